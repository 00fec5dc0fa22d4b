"""Key material: the data key, what is derived from it, and the printable recovery key.

Each use of the data key gets its own subkey through HKDF-SHA256 with a distinct label, so the
database cipher, the attachment cipher and the ID-lookup HMAC never share key bytes, and a
subkey leaked from one use says nothing about the others.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES: Final = 32
_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_GROUP: Final = 4
_FORGIVEN: Final = str.maketrans("ILOU", "110V")  # letters a person may type for look-alikes


class KeyUse(StrEnum):
    """What a subkey is for; the value is the HKDF label and must never change."""

    DATABASE = "red-station/sqlcipher/v1"
    ATTACHMENTS = "red-station/attachments/v1"
    ID_LOOKUP = "red-station/id-lookup/v1"
    KEY_CHECK = "red-station/key-check/v1"
    RECOVERY_WRAP = "red-station/recovery-wrap/v1"


def derive(key: bytes, use: KeyUse) -> bytes:
    """A 32-byte subkey of ``key`` for one ``use``."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=use.value.encode("ascii")).derive(key)


@dataclass(frozen=True, repr=False)
class DataKey:
    """The station's data key. ``repr`` never shows the bytes (keys must not reach logs)."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")

    @classmethod
    def generate(cls) -> DataKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def subkey(self, use: KeyUse) -> bytes:
        return derive(self.raw, use)

    def sqlcipher_key(self) -> str:
        """The database key as SQLCipher's raw-key literal: no passphrase KDF per open."""
        return f"x'{self.subkey(KeyUse.DATABASE).hex()}'"

    def check_value(self) -> str:
        """A short public value that tells whether an unwrapped key is the right one."""
        return hmac.new(self.subkey(KeyUse.KEY_CHECK), b"check", hashlib.sha256).hexdigest()[:32]

    def __repr__(self) -> str:
        return "DataKey(<hidden>)"


@dataclass(frozen=True, repr=False)
class RecoveryKey:
    """IT's recovery key: 256 random bits, shown once as groups of Crockford base-32 letters
    (no I, L, O, U; case and separators forgiven when typed back)."""

    raw: bytes

    @classmethod
    def generate(cls) -> RecoveryKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def text(self) -> str:
        bits = int.from_bytes(self.raw, "big")
        chars = "".join(_CROCKFORD[(bits >> shift) & 31] for shift in range(255, -1, -5))
        groups = [chars[i:i + _GROUP] for i in range(0, len(chars), _GROUP)]
        return "-".join(groups)

    @classmethod
    def parse(cls, text: str) -> RecoveryKey:
        """Read a typed recovery key; ValueError with a Chinese message when it cannot be one."""
        cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
        cleaned = cleaned.translate(_FORGIVEN)
        if len(cleaned) != 52 or any(ch not in _CROCKFORD for ch in cleaned):
            raise ValueError("恢复密钥应为 13 组、每组 4 个字母或数字，请核对后重新输入")
        bits = 0
        for ch in cleaned:
            bits = (bits << 5) | _CROCKFORD.index(ch)
        if bits >> 256:
            raise ValueError("恢复密钥应为 13 组、每组 4 个字母或数字，请核对后重新输入")
        return cls(bits.to_bytes(KEY_BYTES, "big"))

    def wrapping_key(self) -> bytes:
        return derive(self.raw, KeyUse.RECOVERY_WRAP)

    def __repr__(self) -> str:
        return "RecoveryKey(<hidden>)"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
