"""A database or disk that refuses a read or a write, said as one Chinese line for the worker.

The store raises its own errors (`StoreError`) and the driver's (`SQLAlchemyError`); the
screens must not know either. Services wrap their store calls in `reading` or `writing`, and
the screens catch the one `StorageFailed` and show its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import SQLAlchemyError

from station_app.store.engine import StoreError
from station_app.store.errors import ResourceError


class StorageFailed(Exception):
    """The station's database (or the disk under it) failed just now: locked, busy, damaged
    or full. ``str()`` is one Chinese line for the worker; ``detail`` is what the database or
    the system said, for a screen that words the sentence around it."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


def _detail(e: BaseException) -> str:
    if isinstance(e, SQLAlchemyError):
        return str(getattr(e, "orig", None) or e)
    if isinstance(e, OSError):
        return str(e.strerror or e)
    return str(e)


@contextmanager
def reading(what: str) -> Iterator[None]:
    """A failed read of ``what`` (办件列表, 办件详情 …) becomes `StorageFailed`."""
    try:
        yield
    except ResourceError as e:  # disk full, read-only, locked: the store's line says what to do
        raise StorageFailed(f"{what}暂时无法读取：{e}", str(e)) from e
    except (StoreError, SQLAlchemyError) as e:
        detail = _detail(e)
        raise StorageFailed(
            f"{what}暂时无法读取（{detail}），请稍后重试；已保存的办件不受影响。", detail) from e


@contextmanager
def writing(what: str) -> Iterator[None]:
    """A failed write of ``what`` (办件, 草稿, 好差评 …) becomes `StorageFailed`; nothing of
    it was committed (the store writes each in one transaction)."""
    try:
        yield
    except ResourceError as e:
        raise StorageFailed(f"{what}未能保存：{e}", str(e)) from e
    except (StoreError, SQLAlchemyError, OSError) as e:
        detail = _detail(e)
        raise StorageFailed(
            f"{what}未能保存（{detail}），请稍后重试；反复失败请联系技术支持。", detail) from e
