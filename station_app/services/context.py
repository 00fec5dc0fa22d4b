"""Everything a use case needs about this station, opened once by the composition root.

No global state: the GUI, the CLI and the tests each build a `StationContext` and pass it on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from station_app.config import StationSettings, load_secret, load_settings
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.documents import StationInfo
from station_app.domain.workdays import WorkCalendar
from station_app.services.catalogue_history import CatalogueHistory, record_catalogue
from station_app.services.catalogue_source import load_active
from station_app.services.permissions import tighten
from station_app.services.security import BACKUP_DIR as BACKUP_DIR
from station_app.services.security import DB_FILE as DB_FILE
from station_app.services.security import SignInRequired, index_key, is_secured
from station_app.store.engine import open_engine
from station_app.store.migrate import PrepareReport, prepare_database
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

    @cached_property
    def catalogue_history(self) -> CatalogueHistory:
        """Older catalogue versions, to show cases filled with them (see ``receipts``)."""
        return CatalogueHistory(self.engine)

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.catalogue.holidays)

    @property
    def station(self) -> StationInfo:
        s = self.settings
        return StationInfo(s.station_id or "未配置", s.station_name or "红色驿站（未命名）",
                           s.contact_phone)

    @property
    def secret(self) -> str | None:
        return load_secret(self.data_dir)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE

    def close(self) -> None:
        self.engine.dispose()


def open_station(data_dir: Path, *, operator: str = "工作人员", clock: Clock = utc_now,
                 key: DataKey | None = None) -> StationContext:
    """Check and migrate the database (with a verified backup first), then load the rest.

    ``key``: the data key a sign-in unwrapped; the database is then opened with SQLCipher.
    Raises the store's DatabaseCorrupt / SchemaTooNew / ForeignDatabase, SettingsError and
    CatalogueInvalid with one-line Chinese messages; nothing is changed when they are raised.
    """
    if key is None and is_secured(data_dir):
        raise SignInRequired(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(data_dir)  # a folder an older release left readable by others
    settings = load_settings(data_dir)
    catalogue, source = load_active(data_dir)
    db_key = None if key is None else key.sqlcipher_key()
    report = prepare_database(data_dir / DB_FILE, data_dir / BACKUP_DIR, key=db_key)
    engine = open_engine(data_dir / DB_FILE, key=db_key)
    try:
        record_catalogue(engine, catalogue, source)  # the version cases are filled with now
        lookup_key = index_key(engine, data_dir)
    except BaseException:
        engine.dispose()
        raise
    return StationContext(data_dir, engine, catalogue, settings, lookup_key,
                          report, operator, clock)
