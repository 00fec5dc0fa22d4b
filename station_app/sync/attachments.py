"""Where the uploader finds scanned files, and which files a stored body needs.

Files are content-addressed (``<data_dir>/attachments/<sha256>``, the layout
``services.attachments`` writes), so an upload interrupted half-way is simply restarted: the
same bytes go to the same address and the district stores them once. The bytes are hashed
again before sending; a file damaged on disk is reported as missing instead of being sent
under the wrong name.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Protocol

from station_app.vault.keys import DataKey
from station_app.vault.sealed import SEAL_OVERHEAD, SealBroken, is_sealed, unseal
from station_app.wire.patterns import SHA256_PATTERN
from station_app.wire.protocol import MAX_ATTACHMENT_BYTES

_SHA256 = re.compile(SHA256_PATTERN)
_REF_KEYS = frozenset({"sha256", "filename", "size", "mime"})  # domain.validators' shape
_HEX_RUN = re.compile(rb"[0-9a-f]{64}")


class AttachmentSource(Protocol):
    def read(self, sha256: str) -> bytes | None:
        """The file's bytes if present, intact and not over the protocol's size limit."""


class FileAttachments:
    """Scans kept in the station's data folder (``attachments/<sha256>``); read-only here:
    ``services.attachments.store_attachment`` is the one writer."""

    def __init__(self, root: Path, key: DataKey | None = None) -> None:
        self.root = root
        self._key = key  # sealed scans open only with the station's data key

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256

    def read(self, sha256: str) -> bytes | None:
        path = self.path(sha256)
        try:
            if path.stat().st_size > MAX_ATTACHMENT_BYTES + SEAL_OVERHEAD:
                return None
            stored = path.read_bytes()
            data = stored if not is_sealed(stored) or self._key is None \
                else unseal(self._key, sha256, stored)
        except (OSError, SealBroken):
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None


def needed_hashes(body: bytes) -> set[str]:
    """Attachments a stored submission body names: ``materials[].attachments`` and the
    attachment references (``{sha256, filename, size, mime}``) anywhere in its payload.

    Every push reads every body of its batch here, and most cases have no scans: a body with
    no 64-hex run and no escape names none (JSON text without escapes holds its strings as
    written), so it is not parsed at all."""
    if b"\\" not in body and _HEX_RUN.search(body) is None:
        return set()
    try:
        obj = json.loads(body)
    except ValueError:
        return set()
    found: set[str] = set()
    if isinstance(obj, dict):
        for material in obj.get("materials") or []:
            if isinstance(material, dict):
                found.update(h for h in material.get("attachments") or []
                             if isinstance(h, str) and _SHA256.match(h))
        _collect_refs(obj.get("payload"), found)
    return found


def _collect_refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        sha = node.get("sha256")
        if set(node) == _REF_KEYS and isinstance(sha, str) and _SHA256.match(sha):
            found.add(sha)
            return
        for value in node.values():
            _collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect_refs(value, found)
