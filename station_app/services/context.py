"""Everything a use case needs about this station, opened once by the composition root.

No global state: the GUI, the CLI and the tests each build a `StationContext` and pass it on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from station_app.config import StationSettings, load_secret
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.documents import StationInfo
from station_app.domain.workdays import WorkCalendar
from station_app.services.attachments import ATTACHMENT_DIR
from station_app.services.catalogue_history import CatalogueHistory, record_catalogue
from station_app.services.opening import Opening, read_opening, station_info
from station_app.services.permissions import tighten
from station_app.services.security import BACKUP_DIR as BACKUP_DIR
from station_app.services.security import DB_FILE as DB_FILE
from station_app.services.security import SignInRequired, index_key, is_secured
from station_app.store.clean_close import record_clean_close
from station_app.store.engine import DatabaseCorrupt, open_engine
from station_app.store.migrate import PrepareReport, check_database, prepare_database
from station_app.store.presence import has_content, refuse_over_data, shape_problems
from station_app.vault.keys import DataKey

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class StationContext:
    data_dir: Path
    engine: Engine
    catalogue: Catalogue
    settings: StationSettings
    index_key: bytes  # HMAC key for exact ID lookups; never leaves this machine
    prepare_report: PrepareReport | None = None
    operator: str = "工作人员"
    clock: Clock = field(default=utc_now)
    data_key: DataKey | None = field(default=None, repr=False)  # what the engine is keyed with
    # Whether the operator at the counter may do what is for administrators (close a 差评's
    # follow-up). A folder without accounts has one user, its administrator, as the 设置
    # page treats them; a sign-in sets it from the operator's role (services.sessions).
    admin: bool = True

    @property
    def db_key(self) -> str | None:
        """The SQLCipher key of the database and its backups; None for a plaintext folder."""
        return None if self.data_key is None else self.data_key.sqlcipher_key()

    @cached_property
    def catalogue_history(self) -> CatalogueHistory:
        """Older catalogue versions, to show cases filled with them (see ``receipts``)."""
        return CatalogueHistory(self.engine)

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.catalogue.holidays)

    @property
    def station(self) -> StationInfo:
        return station_info(self.settings)

    @property
    def secret(self) -> str | None:
        return load_secret(self.data_dir)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE

    def close(self, *, verified: bool = False) -> None:
        """Close the database. ``verified``: a backup just read every page of it (the close
        backup), so the next start may skip the full check if the file stays as it is now
        (:mod:`station_app.store.clean_close`)."""
        self.engine.dispose()
        if verified:
            record_clean_close(self.db_path)


def open_station(data_dir: Path, *, operator: str = "工作人员", clock: Clock = utc_now,
                 key: DataKey | None = None, opening: Opening | None = None) -> StationContext:
    """Check and migrate the database (with a verified backup first), then load the rest.

    ``key``: the data key a sign-in unwrapped; the database is then opened with SQLCipher.
    A missing, empty or damaged database in a folder that has held one is refused
    (DatabaseMissing / DatabaseCorrupt, both ``DatabaseUnusable``: the way out is a restore,
    :mod:`station_app.services.restore`); a new one is made only where none was ever held.
    Raises those, SchemaTooNew / ForeignDatabase, SettingsError and CatalogueInvalid with
    one-line Chinese messages; nothing is changed when they are raised.

    ``opening``: the settings and catalogue the window already read (``services.opening``),
    used instead of reading the files again.
    """
    if not has_content(data_dir / DB_FILE):  # said before sign-in: it is what matters now
        refuse_over_data(data_dir / DB_FILE, data_dir / BACKUP_DIR, held_beside_database(data_dir))
    if key is None and is_secured(data_dir):
        raise SignInRequired(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(data_dir)  # a folder an older release left readable by others
    read = opening or read_opening(data_dir, operator)
    settings, catalogue, source = read.settings, read.catalogue, read.source
    db_key = None if key is None else key.sqlcipher_key()
    report = prepare_database(data_dir / DB_FILE, data_dir / BACKUP_DIR, key=db_key,
                              others=held_beside_database(data_dir), now=clock())
    engine = open_engine(data_dir / DB_FILE, key=db_key)
    try:
        record_catalogue(engine, catalogue, source)  # the version cases are filled with now
        lookup_key = index_key(engine, data_dir)
    except BaseException:
        engine.dispose()
        raise
    return StationContext(data_dir, engine, catalogue, settings, lookup_key,
                          report, operator, clock, key)


def held_beside_database(data_dir: Path) -> list[Path]:
    """Folders whose content exists only alongside a database: with any of it there, a missing
    or empty ``station.db`` is refused rather than made anew."""
    return [data_dir / ATTACHMENT_DIR]


DatabaseState = Literal["new", "checked", "encrypted"]


def check_station_database(data_dir: Path, key: DataKey | None = None) -> DatabaseState:
    """The start-up checks of :func:`open_station`, read-only, for commands that do not open
    the station (``doctor``, ``cases list``, ``restore``): ``new`` for a folder that never held
    a database, ``checked`` for a sound one, ``encrypted`` for an encrypted file checked
    without the key (present, not empty, whole pages; its content is checked at sign-in).
    Raises ``DatabaseUnusable`` (one line with the way out) otherwise.
    """
    db = data_dir / DB_FILE
    if not has_content(db):
        refuse_over_data(db, data_dir / BACKUP_DIR, held_beside_database(data_dir))
        return "new"
    if key is None and is_secured(data_dir):
        problems = shape_problems(db)
        if problems:
            raise DatabaseCorrupt(db, problems)
        return "encrypted"
    if check_database(db, key=None if key is None else key.sqlcipher_key()) is None:
        refuse_over_data(db, data_dir / BACKUP_DIR, held_beside_database(data_dir))
        return "new"
    return "checked"
