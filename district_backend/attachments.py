"""Content-addressed attachment storage.

A file is written with :func:`~station_app.domain.files.atomic_write` (temporary name,
fsync, rename) before its row is committed, so "row exists" implies "complete file exists";
an interrupted upload leaves at most a temporary file, which is removed on failure and on
start-up. Storing the same bytes twice is harmless (same name, same content), which makes
PUT idempotent.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from district_backend.db import iso_utc
from district_backend.errors import ApiError
from district_backend.models import Attachment
from station_app.domain.files import atomic_write, remove_leftovers
from station_app.wire.protocol import AttachmentResult

_OLD_TMP = ".incoming"  # where earlier releases kept temporary files: removed at start


class AttachmentStore:
    def __init__(self, directory: Path, engine: Engine) -> None:
        self._dir = directory
        self._engine = engine
        directory.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(directory / _OLD_TMP, ignore_errors=True)
        for shard in directory.iterdir():  # temporary files left by a crash mid-upload
            if shard.is_dir():
                remove_leftovers(shard)

    def _final(self, sha256: str) -> Path:
        return self._dir / sha256[:2] / sha256

    def size(self, sha256: str) -> int | None:
        """Size of a stored attachment, or None if it is not (completely) stored."""
        with Session(self._engine) as session:
            row = session.get(Attachment, sha256)
        if row is None or not self._final(sha256).is_file():
            return None
        return row.size

    def put(self, sha256: str, body: bytes, now: float) -> AttachmentResult:
        if hashlib.sha256(body).hexdigest() != sha256:
            raise ApiError(422, "hash_mismatch", "附件内容的 SHA-256 与地址中的不符，请重新上传")
        size = self.size(sha256)
        if size is not None:
            return AttachmentResult(sha256=sha256, size=size, status="exists")
        final = self._final(sha256)
        atomic_write(final, body)
        try:
            with Session(self._engine) as session, session.begin():
                session.add(Attachment(sha256=sha256, size=len(body),
                                       path=str(final.relative_to(self._dir)),
                                       created_at=iso_utc(now)))
        except IntegrityError:  # a concurrent PUT of the same bytes won
            return AttachmentResult(sha256=sha256, size=len(body), status="exists")
        return AttachmentResult(sha256=sha256, size=len(body), status="created")

    def missing(self, session: Session, hashes: set[str]) -> list[str]:
        """Which of `hashes` are not stored yet (sorted, for a stable reply)."""
        if not hashes:
            return []
        have = set(session.exec(select(Attachment.sha256).where(
            col(Attachment.sha256).in_(sorted(hashes)))).all())
        return sorted(hashes - have)
