"""The one line an operator reads when a command, or a server worker starting up, meets a
failure they can do something about: a refused option, a damaged key file, a database that
cannot be reached, a missing driver. One definition, so `district-backend` and each worker of
`serve --workers N` word the same failure the same way."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from district_backend.cases import CaseError
from district_backend.stations import StationError


def explain(exc: BaseException) -> str | None:
    """The operator's line for ``exc``; None for anything else (a bug, not a setting)."""
    if isinstance(exc, CaseError | StationError | OSError):
        return str(exc)
    if isinstance(exc, ImportError):  # e.g. a postgresql:// URL without its driver installed
        return f"缺少模块 {exc.name}：请安装相应的数据库驱动"
    if isinstance(exc, SQLAlchemyError):
        return f"数据库错误：{getattr(exc, 'orig', None) or exc}"
    return None
