"""Everything a use case needs about this station, opened once by the composition root.

No global state: the GUI, the CLI and the tests each build a `StationContext` and pass it on.
"""

from __future__ import annotations

import os
import secrets
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
from station_app.store.engine import open_engine
from station_app.store.migrate import PrepareReport, prepare_database

DB_FILE = "station.db"
BACKUP_DIR = "backups"
INDEX_KEY_FILE = "id-index.key"

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


def _index_key(data_dir: Path) -> bytes:
    """A per-station random key, created once with owner-only permissions."""
    path = data_dir / INDEX_KEY_FILE
    if path.is_file():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def open_station(data_dir: Path, *, operator: str = "工作人员",
                 clock: Clock = utc_now) -> StationContext:
    """Check and migrate the database (with a verified backup first), then load the rest.

    Raises the store's DatabaseCorrupt / SchemaTooNew / ForeignDatabase, SettingsError and
    CatalogueInvalid with one-line Chinese messages; nothing is changed when they are raised.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = load_settings(data_dir)
    catalogue, source = load_active(data_dir)
    report = prepare_database(data_dir / DB_FILE, data_dir / BACKUP_DIR)
    engine = open_engine(data_dir / DB_FILE)
    try:
        record_catalogue(engine, catalogue, source)  # the version cases are filled with now
    except BaseException:
        engine.dispose()
        raise
    return StationContext(data_dir, engine, catalogue, settings, _index_key(data_dir),
                          report, operator, clock)
