"""Scanned materials kept on this station until sync uploads them.

Files are stored content-addressed, ``<data_dir>/attachments/<sha256>``, because the district
accepts them with an idempotent ``PUT /attachments/{sha256}``: the same scan attached twice is
stored once, and a retry after a lost connection sends the same bytes under the same name.
The form keeps only the reference (sha256, filename, size, mime), the shape the validator checks.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from pathlib import Path

from station_app.domain.files import atomic_write
from station_app.store.encrypt import shred
from station_app.store.errors import explain
from station_app.vault.keys import DataKey
from station_app.vault.sealed import SealBroken, is_sealed, seal, unseal
from station_app.wire.protocol import MAX_ATTACHMENT_BYTES

ATTACHMENT_DIR = "attachments"
MAX_BYTES = MAX_ATTACHMENT_BYTES  # what the district accepts; a multi-page scan fits

# Leading bytes of the formats scanners and phones produce, so a misnamed file keeps its type.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


class AttachmentError(Exception):
    """The file cannot be attached; the message says why, in Chinese, for the worker."""


def attachment_path(data_dir: Path, sha256: str) -> Path:
    """Where the stored copy of a scan with this hash lives."""
    return data_dir / ATTACHMENT_DIR / sha256.lower()


def _mime(path: Path, head: bytes) -> str:
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        return "image/webp"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def store_attachment(data_dir: Path, source: Path, *,
                     key: DataKey | None = None) -> dict[str, object]:
    """Copy ``source`` into the station's store; return the reference the form saves.

    The bytes are read once (at most ``MAX_BYTES``), hashed, and written with
    :func:`~station_app.domain.files.atomic_write`, so a crash never leaves a file whose
    content does not match its name, and a full disk leaves neither the file nor a temporary
    one (the message says so, in the store's words for disk failures). A scan already stored
    is not written again.
    """
    try:
        size = source.stat().st_size
    except OSError as e:
        raise AttachmentError(f"无法读取文件 {source.name}：{e.strerror or e}") from e
    if not source.is_file():
        raise AttachmentError(f"{source.name} 不是文件，请重新选择")
    if size == 0:
        raise AttachmentError(f"文件 {source.name} 是空的，请重新扫描")
    if size > MAX_BYTES:
        raise _too_big(source, size)
    try:
        with source.open("rb") as src:
            data = src.read(MAX_BYTES + 1)  # the file may have grown since stat()
    except OSError as e:
        raise AttachmentError(f"无法读取附件 {source.name}（{e.strerror or e}），"
                              "请检查文件后重试") from e
    if len(data) > MAX_BYTES:
        raise _too_big(source, len(data))
    return store_attachment_bytes(data_dir, data, source.name, _mime(source, data[:16]),
                                  key=key)


def store_attachment_bytes(data_dir: Path, data: bytes, filename: str, mime: str, *,
                           key: DataKey | None = None) -> dict[str, object]:
    """Store scanned bytes already in hand (see :func:`store_attachment`); return the
    reference the form saves. With the station's data ``key`` the file on disk is sealed
    (AES-GCM, named by the SHA-256 of the scan itself, which is what the district checks)."""
    sha = hashlib.sha256(data).hexdigest()
    target = attachment_path(data_dir, sha)
    try:
        if not _intact(target, sha, key):
            atomic_write(target, data if key is None else seal(key, sha, data))
    except OSError as e:
        raise AttachmentError(f"附件 {filename} 未能保存：{explain(e, data_dir)}") from e
    return {"sha256": sha, "filename": filename, "size": len(data), "mime": mime}


def _too_big(source: Path, size: int) -> AttachmentError:
    limit_mb = MAX_BYTES // 1024 // 1024
    return AttachmentError(f"文件 {source.name} 有 {size / 1024 / 1024:.1f} MB，"
                           f"超过 {limit_mb} MB，请降低扫描分辨率后重试")


def _intact(path: Path, sha256: str, key: DataKey | None) -> bool:
    """A stored copy exists, is sealed when it should be, and still matches its name (a
    damaged or still-clear one is written again)."""
    try:
        return hashlib.sha256(open_attachment(path.read_bytes(), sha256, key)).hexdigest() \
            == sha256 and (key is None or is_sealed(path.read_bytes()))
    except (OSError, SealBroken):
        return False


def open_attachment(stored: bytes, sha256: str, key: DataKey | None) -> bytes:
    """The scan's bytes from what is on disk: unsealed with ``key`` when sealed, as is when
    an older release stored it in clear. Raises SealBroken for a sealed file without a key or
    with the wrong one."""
    if not is_sealed(stored):
        return stored
    if key is None:
        raise SealBroken(f"附件 {sha256[:12]}… 已加密，需登录后读取")
    return unseal(key, sha256, stored)


def seal_stored_attachments(data_dir: Path, key: DataKey) -> int:
    """Seal every scan an older release left in clear (the clear copy is overwritten before
    it goes); returns how many. Safe to run again."""
    folder = data_dir / ATTACHMENT_DIR
    count = 0
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if not path.is_file() or len(path.name) != 64:
            continue
        data = path.read_bytes()
        if is_sealed(data) or hashlib.sha256(data).hexdigest() != path.name:
            continue
        sealed = path.with_name(path.name + ".sealing")
        atomic_write(sealed, seal(key, path.name, data))
        shred(path)
        os.replace(sealed, path)
        count += 1
    return count
