"""Alembic environment for the station database.

Runs only on the connection that :mod:`station_app.store.migrate` hands over in
``config.attributes["connection"]``, so migrations use the same engine (PRAGMAs, SQLCipher key,
``BEGIN IMMEDIATE``) as the application and run inside the caller's single transaction.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from station_app.store.models import StoreModel


def run_migrations() -> None:
    """Configure the context on the handed-over connection and run the pending revisions."""
    if context.is_offline_mode():
        raise RuntimeError("station migrations do not support offline (SQL script) mode")
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run station migrations through station_app.store.migrate")
    context.configure(
        connection=connection,
        target_metadata=StoreModel.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
