"""The station's local store: SQLite (WAL, one writer), migrations, backups and repositories.

Imports no Qt. Start-up: :func:`prepare_database` (refuse to recreate over data, check, back
up, migrate), then :func:`open_engine`; then one module per kind of record (``submissions``,
``outbox``, ``records``, ``queries``).
"""

from station_app.store.backup import (
    BackupFailed,
    NoBackupAvailable,
    backup_database,
    list_backups,
    restore_latest,
)
from station_app.store.engine import (
    DatabaseCorrupt,
    DatabaseUnusable,
    EncryptionUnavailable,
    StoreError,
    open_engine,
    quick_check,
    session_scope,
)
from station_app.store.migrate import (
    ForeignDatabase,
    PrepareReport,
    SchemaTooNew,
    prepare_database,
)
from station_app.store.presence import DatabaseMissing

__all__ = [
    "BackupFailed",
    "DatabaseCorrupt",
    "DatabaseMissing",
    "DatabaseUnusable",
    "EncryptionUnavailable",
    "ForeignDatabase",
    "NoBackupAvailable",
    "PrepareReport",
    "SchemaTooNew",
    "StoreError",
    "backup_database",
    "list_backups",
    "open_engine",
    "prepare_database",
    "quick_check",
    "restore_latest",
    "session_scope",
]
