"""The store's errors, and the one place where a failing disk becomes a sentence.

A full disk reached the worker as "(sqlite3.OperationalError) database or disk is full", and a
read-only data folder as a Python traceback. :func:`resource_error` turns what SQLite or
SQLCipher (directly or wrapped by SQLAlchemy) or the operating system raised into a
:class:`ResourceError` whose ``str()`` is one Chinese line: what happened, which folder, that
nothing half-written was kept, and what to do. :func:`~station_app.store.engine.session_scope`
applies it to every transaction; services and commands apply it to their file writes and to
start-up. Anything that is not a disk problem (a constraint, a bug) is left alone.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from station_app.domain.disk import DiskProblem, os_problem, sqlite_problem

NOT_DONE = "本次操作未完成，已保存的数据不受影响"


class StoreError(Exception):
    """Base of the store's errors; ``str()`` is one Chinese line for the operator."""


class ResourceError(StoreError):
    """The disk or the operating system refused a write or an open; nothing was kept
    half-written (the transaction rolled back, a temporary file was removed)."""

    problem: DiskProblem

    def __init__(self, message: str, folder: Path) -> None:
        super().__init__(message)
        self.folder = folder


class DiskFull(ResourceError):
    problem = DiskProblem.FULL


class ReadOnlyFolder(ResourceError):
    problem = DiskProblem.READ_ONLY


class FolderNotPermitted(ResourceError):
    problem = DiskProblem.NOT_PERMITTED


class DatabaseLocked(ResourceError):
    problem = DiskProblem.LOCKED


class DiskFailing(ResourceError):
    problem = DiskProblem.FAILING


def _account() -> str:
    """The account the program runs as (not ``$USER``, which ``su``/``setpriv`` keep)."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError, AttributeError):
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "当前账户"


def make_resource_error(problem: DiskProblem, folder: Path, *, file: Path | None = None,
                        waited_s: float | None = None,
                        consequence: str = NOT_DONE) -> ResourceError:
    """The :class:`ResourceError` for ``problem`` in ``folder`` (``file``: the database or
    file concerned, named where it helps). ``consequence``: what the failure meant for the
    work in hand (empty for a check that changed nothing, such as ``doctor``)."""
    cls: type[ResourceError]
    if problem is DiskProblem.FULL:
        cls, what, step = (DiskFull, f"磁盘已满：数据文件夹 {folder} 所在磁盘没有剩余空间",
                           "请清理该磁盘上不需要的文件（或请技术支持扩容）后重试")
    elif problem is DiskProblem.READ_ONLY:
        cls, what, step = (ReadOnlyFolder, f"数据文件夹 {folder} 所在磁盘是只读的，无法写入",
                           "请技术支持将其恢复为可写（U 盘请关闭写保护）后重试")
    elif problem is DiskProblem.NOT_PERMITTED:
        target = file if file is not None and file.exists() else folder
        cls, what, step = (FolderNotPermitted, f"当前账户（{_account()}）没有读写 {target} 的权限",
                           "请技术支持为该账户开通数据文件夹的读写权限后重试")
    elif problem is DiskProblem.LOCKED:
        waited = f"等待 {waited_s:g} 秒后仍未释放" if waited_s else "暂时无法写入"
        cls, what, step = (DatabaseLocked, f"数据库 {file or folder} 被另一个程序占用，{waited}",
                           "请关闭同时打开该数据文件夹的其他程序（另一个终端、sync 命令或"
                           "数据库查看工具）后重试")
    else:
        cls, what, step = (DiskFailing, f"读写数据文件夹 {folder} 时出错（磁盘空间不足、"
                           "磁盘故障或网络盘断开）", "请检查磁盘后重试，反复出现请联系技术支持")
    middle = f"，{consequence}" if consequence else ""
    return cls(f"{what}{middle}；{step}", folder)


def resource_error(exc: BaseException, folder: Path, *, file: Path | None = None,
                   waited_s: float | None = None) -> ResourceError | None:
    """``exc`` as a :class:`ResourceError` about ``folder``, or ``None`` when it is not a
    disk problem. Accepts an ``OSError``, a DB-API error of ``sqlite3``/``sqlcipher3``, or
    SQLAlchemy's wrapper of one (its ``orig``)."""
    if isinstance(exc, ResourceError):
        return exc
    if isinstance(exc, OSError):
        problem = os_problem(exc)
    else:
        driver = getattr(exc, "orig", exc)  # sqlalchemy.exc.DBAPIError keeps the original
        if not _is_sqlite_error(driver):
            return None
        problem = sqlite_problem(driver, folder, file)
    if problem is None:
        return None
    return make_resource_error(problem, folder, file=file, waited_s=waited_s)


def _is_sqlite_error(exc: object) -> bool:
    module = type(exc).__module__.split(".", 1)[0]
    return isinstance(exc, Exception) and module in ("sqlite3", "sqlcipher3", "pysqlite2")


def explain(exc: BaseException, folder: Path, *, file: Path | None = None) -> str:
    """One line for ``exc``: the resource sentence when it is a disk problem, else its own
    text on one line (``StoreError``s and the settings' errors already are sentences)."""
    found = resource_error(exc, folder, file=file)
    text = str(found if found is not None else exc)
    return " ".join(text.split()) or type(exc).__name__
