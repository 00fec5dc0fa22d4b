"""Alembic migrations of the station database, run in code by ``station_app.store.migrate``."""
