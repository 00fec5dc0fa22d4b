"""PostgreSQL for the backend tests: ``REDSTATION_PG_URL`` names a server (scripts/postgres.sh
starts one and prints the URL; scripts/test.sh does so when run as root). Each test gets a
fresh schema. Without a reachable server the PostgreSQL variants skip with the reason, and
under ``CI=true`` those skips fail the run (tests/helpers/skip_policy.py)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

PG_ENV = "REDSTATION_PG_URL"
DB_KINDS = ("sqlite", "postgresql")
SKIP_PREFIX = "PostgreSQL variants skipped: "
_pg_problem: list[str | None] = []  # probed once per test run


def pg_unavailable() -> str | None:
    """Why the PostgreSQL variants cannot run (None: they can)."""
    if not _pg_problem:
        url = os.environ.get(PG_ENV, "").strip()
        if not url:
            _pg_problem.append(
                f"{SKIP_PREFIX}{PG_ENV} not set — scripts/test.sh starts PostgreSQL as root")
        else:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                _pg_problem.append(None)
            except (SQLAlchemyError, ImportError) as e:
                reason = " ".join(str(getattr(e, "orig", None) or e).split())[:200]
                _pg_problem.append(f"{SKIP_PREFIX}the server at {PG_ENV} is unreachable: "
                                   f"{reason}")
            finally:
                engine.dispose()
    return _pg_problem[0]


@contextlib.contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server of ``REDSTATION_PG_URL``, dropped
    afterwards; yields a URL whose connections use it (``search_path``)."""
    problem = pg_unavailable()
    if problem is not None:
        pytest.skip(problem)
    base = make_url(os.environ[PG_ENV].strip())
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def backend_database(kind: str) -> Iterator[str | None]:
    """``"sqlite"``: None (serve_backend makes a file); ``"postgresql"``: a fresh schema's URL,
    or the test is skipped with the reason."""
    if kind == "sqlite":
        yield None
    elif kind == "postgresql":
        with fresh_pg_schema() as url:
            yield url
    else:
        raise ValueError(f"unknown backend database {kind!r}")
