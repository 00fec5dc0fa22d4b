"""The station's local store: SQLite (WAL, one writer), migrations, backups and repositories.

Imports no Qt. Start-up: :func:`prepare_database` (refuse to recreate over data, check, back
up, migrate), then :func:`open_engine`; then one module per kind of record (``submissions``,
``outbox``, ``records``, ``queries``).
"""

# Nothing is imported here: a module that needs only the store's errors (``store.errors``)
# must not load SQLAlchemy with them (the window opens before the data layer is loaded).
