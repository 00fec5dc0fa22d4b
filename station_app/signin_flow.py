"""Who opens the terminal, and what happens when the database cannot be opened.

Kept beside the composition root (``app.py``), which calls it: the demo operator signs itself
in; a folder never secured gets its first administrator; otherwise an operator signs in. A
damaged or lost database is offered the newest sound backup (signed in first when the folder
is encrypted), with the newer cases that may need re-entry named. At close, a verified backup.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from station_app.services.unlock import Unlocked, is_secured, sign_in
from station_app.ui.start_dialogs import APP_TITLE, FirstAdminDialog, SignInDialog

if TYPE_CHECKING:  # the data layer: loaded once the window shows (see station_app.app)
    from station_app.services.context import StationContext
    from station_app.services.opening import Opening
    from station_app.services.sessions import OperatorSession
    from station_app.store.engine import DatabaseUnusable

log = logging.getLogger("station_app")


def ask_operator(data_dir: Path, demo: bool) -> Unlocked | None:
    """Who works at this terminal now: the demo operator in demo mode, else the first
    administrator (a folder never secured) or a sign-in; None when the person gave up."""
    if demo:
        from station_app.commands.demo_mode import DEMO_PASSWORD, DEMO_STAFF_NO

        return sign_in(data_dir, DEMO_STAFF_NO, DEMO_PASSWORD, datetime.now(UTC))
    if not is_secured(data_dir):
        first = FirstAdminDialog(data_dir)
        first.exec()
        return first.who if first.result() == QDialog.DialogCode.Accepted else None
    dialog = SignInDialog(data_dir, clock=lambda: datetime.now(UTC))
    dialog.exec()
    return dialog.who


Authenticate = Callable[[Path, bool], Unlocked | None]


def open_signed_in(data_dir: Path, demo: bool,
                   authenticate: Authenticate) -> OperatorSession | None:
    """The station opened for a signed-in operator, or None when nobody signed in.

    A folder that was never secured is checked and migrated first, so a damaged database is
    reported before anyone is asked to create an account; it is then secured by its first
    administrator."""
    from station_app.services.context import open_station

    if not demo and not is_secured(data_dir):
        open_station(data_dir).close()
    who = authenticate(data_dir, demo)
    if who is None:
        return None
    return open_for(data_dir, who)


def open_for(data_dir: Path, who: Unlocked, opening: Opening | None = None) -> OperatorSession:
    """The station opened with the key ``who`` unwrapped, their session begun (``opening``:
    the settings and catalogue the window already read)."""
    from station_app.services.context import open_station
    from station_app.services.sessions import OperatorSession

    session = OperatorSession(open_station(data_dir, key=who.key, operator=who.label,
                                           opening=opening), who)
    session.started()
    return session


def first_start(data_dir: Path, demo: bool, authenticate: Authenticate,
                 confirm: Callable[[str], bool]) -> OperatorSession | None:
    """A folder never secured: its database checked (a restore offered when damaged) before
    its first administrator is created."""
    from station_app.store.engine import DatabaseUnusable

    try:
        return open_signed_in(data_dir, demo, authenticate)
    except DatabaseUnusable as damaged:
        return offer_restore(data_dir, damaged, demo, authenticate, confirm)


def opened_session(result: object, data_dir: Path, who: Unlocked, demo: bool,
                    authenticate: Authenticate, confirm: Callable[[str], bool]
                    ) -> OperatorSession | None:
    """What the opener's thread returned, as a session; a damaged or lost database is offered
    its newest sound backup here on the GUI thread (the operator already signed in)."""
    from station_app.store.engine import DatabaseUnusable

    if isinstance(result, DatabaseUnusable):
        return offer_restore(data_dir, result, demo, authenticate, confirm, who=who)
    if isinstance(result, BaseException):
        raise result
    from station_app.services.sessions import OperatorSession

    assert isinstance(result, OperatorSession)
    return result


def close_backup(ctx: StationContext) -> bool:
    """A verified backup every time the terminal closes (the day's work is in it); whether
    it was taken (it read every page of the database: see ``StationContext.close``)."""
    from station_app.services.backups import CLOSE, BackupFailed, take_backup

    try:
        log.info("%s", take_backup(ctx, CLOSE).summary())
    except BackupFailed as e:
        log.warning("关闭时的备份未完成：%s", e)
        return False
    return True


def ask_restore(question: str) -> bool:
    """The one question the start asks when the database is damaged (tests replace it)."""
    answer = QMessageBox.question(None, f"{APP_TITLE}：数据库无法使用", question)
    return answer == QMessageBox.StandardButton.Yes


def tell(message: str) -> None:
    QMessageBox.information(None, APP_TITLE, message)


def offer_restore(data_dir: Path, damaged: DatabaseUnusable, demo: bool,
                  authenticate: Authenticate, confirm: Callable[[str], bool], *,
                  who: Unlocked | None = None) -> OperatorSession | None:
    """The database is damaged or gone: offer the newest sound backup (signed in first when
    the folder is encrypted, unless ``who`` already did), say which newer cases may need
    re-entry, then open the station. Declined, or no backup: the start is refused with the
    original line."""
    from station_app.services.restore import newest_sound_backup, restore_backup

    if who is None and (is_secured(data_dir) or demo):
        who = authenticate(data_dir, demo)
        if who is None:
            return None
    key = who.key if who is not None else None
    info = newest_sound_backup(data_dir, key)
    if info is None or not confirm(f"{damaged}\n\n找到最近的已验证备份：{info.line()}。"
                                   "是否用它恢复？当前文件会保留在一旁。"):
        raise damaged
    report = restore_backup(data_dir, key, info.path,
                            actor=who.label if who is not None else "工作人员")
    tell("\n".join(report.lines()))
    if who is None:
        return open_signed_in(data_dir, demo, authenticate)
    return open_for(data_dir, who)
