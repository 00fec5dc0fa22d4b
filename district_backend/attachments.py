"""Content-addressed attachment storage.

A file is written with :func:`~station_app.domain.files.atomic_write` (temporary name,
fsync, rename) before its row is committed, so "row exists" implies "complete file exists";
an interrupted upload leaves at most a temporary file, which is removed on failure and on
start-up. Storing the same bytes twice is harmless (same name, same content), which makes
PUT idempotent.

A full disk (or a read-only, forbidden or failing one) is not a 500: the station is told
"insufficient storage" (507) or "storage unavailable" (503) in one Chinese line, keeps the
case queued and sends the same bytes again later; nothing half-written stays behind.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from district_backend.db import iso_utc
from district_backend.errors import ApiError
from district_backend.models import Attachment
from station_app.domain.disk import SQLITE_FULL, DiskProblem, os_problem, sqlite_code
from station_app.domain.files import atomic_write, remove_leftovers
from station_app.wire.protocol import AttachmentResult

log = logging.getLogger(__name__)
_OLD_TMP = ".incoming"  # where earlier releases kept temporary files: removed at start
PG_DISK_FULL = "53100"  # PostgreSQL's SQLSTATE disk_full
RETRY_AFTER_S = "60"


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
        try:
            atomic_write(final, body)
        except OSError as e:  # the temporary file is already gone
            problem = os_problem(e)
            if problem is None:
                raise
            raise self._storage_error(e, problem) from e
        try:
            with Session(self._engine) as session, session.begin():
                session.add(Attachment(sha256=sha256, size=len(body),
                                       path=str(final.relative_to(self._dir)),
                                       created_at=iso_utc(now)))
        except IntegrityError:  # a concurrent PUT of the same bytes won
            return AttachmentResult(sha256=sha256, size=len(body), status="exists")
        except DBAPIError as e:  # the complete file without its row is stored again next time
            if not _database_full(e):
                raise
            raise self._storage_error(e, DiskProblem.FULL) from e
        return AttachmentResult(sha256=sha256, size=len(body), status="created")

    def _storage_error(self, exc: Exception, problem: DiskProblem) -> ApiError:
        """The station's answer to a disk that refused the upload (logged here for the
        district's administrator, with the system's own words)."""
        log.error("附件未能保存到 %s（%s）：%s", self._dir, problem.value, exc)
        retry = {"Retry-After": RETRY_AFTER_S}
        if problem is DiskProblem.FULL:
            return ApiError(507, "insufficient_storage",
                            "区后台存储空间已满，附件未保存；本站会稍后自动重发，"
                            "请通知区后台管理员清理或扩容", retry)
        return ApiError(503, "storage_unavailable",
                        "区后台暂时无法写入附件存储（只读、无权限或磁盘故障），附件未保存；"
                        "本站会稍后自动重发，请通知区后台管理员", retry)

    def missing(self, session: Session, hashes: set[str]) -> list[str]:
        """Which of `hashes` are not stored yet (sorted, for a stable reply)."""
        if not hashes:
            return []
        have = set(session.exec(select(Attachment.sha256).where(
            col(Attachment.sha256).in_(sorted(hashes)))).all())
        return sorted(hashes - have)


def _database_full(exc: DBAPIError) -> bool:
    """SQLite's "database or disk is full", or PostgreSQL's disk_full."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == PG_DISK_FULL or (
        orig is not None and sqlite_code(orig) == SQLITE_FULL)
