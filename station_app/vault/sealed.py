"""Files sealed with the data key: scans and any other file that holds personal data.

AES-256-GCM under the attachments subkey, a fresh 96-bit nonce per file, and the file's own
name as associated data, so a sealed file cannot be passed off under another name. A sealed
file starts with a short magic so a plain file left from an older release is recognised.
"""

from __future__ import annotations

import secrets
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station_app.vault.keys import DataKey, KeyUse

MAGIC: Final = b"RSSEAL1\0"
SEAL_OVERHEAD: Final = len(MAGIC) + 12 + 16  # magic, nonce, GCM tag


class SealBroken(Exception):
    """A sealed file was altered, truncated, or sealed with another station's key."""


def seal(key: DataKey, name: str, plain: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return MAGIC + nonce + AESGCM(key.subkey(KeyUse.ATTACHMENTS)).encrypt(
        nonce, plain, name.encode("utf-8"))


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(key: DataKey, name: str, data: bytes) -> bytes:
    if not is_sealed(data) or len(data) < len(MAGIC) + 12 + 16:
        raise SealBroken(f"文件 {name} 不是本终端加密的文件")
    nonce = data[len(MAGIC):len(MAGIC) + 12]
    try:
        return AESGCM(key.subkey(KeyUse.ATTACHMENTS)).decrypt(
            nonce, data[len(MAGIC) + 12:], name.encode("utf-8"))
    except InvalidTag:
        raise SealBroken(f"文件 {name} 已损坏或不属于本站点，无法解密") from None
