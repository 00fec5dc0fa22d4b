"""The app as each worker process of `district-backend serve --workers N` builds it.

uvicorn starts its workers as fresh interpreters (spawn) and asks each for the app through an
import string, so the settings cannot be handed over as Python objects. The parent resolves
and checks everything first (catalogue, data folder, sealing key, database tables), then
writes the resolved settings as JSON into one environment variable that the workers inherit;
each worker reads it in :func:`make_app`. Nothing is decided twice: a worker only reads.
The sealing key is read, never created, by a worker, so all of them use the parent's key.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path

from fastapi import FastAPI

from district_backend.app import create_app
from district_backend.stations import read_key

SETTINGS_ENV = "DISTRICT_BACKEND_WORKER_SETTINGS"
FACTORY = f"{__name__}:make_app"
"""The import string uvicorn is given (with ``factory=True``)."""


@dataclass(frozen=True)
class ServeSettings:
    """Everything a worker needs to build the same app as its siblings."""

    db_url: str
    catalogue_dir: str
    attachment_dir: str
    key_file: str
    api_docs: bool
    progress_per_minute: int

    def build_app(self) -> FastAPI:
        return create_app(self.db_url, catalogue_dir=Path(self.catalogue_dir),
                          attachment_dir=Path(self.attachment_dir),
                          secret_key=read_key(Path(self.key_file)), api_docs=self.api_docs,
                          progress_per_minute=self.progress_per_minute)

    def hand_down(self, environ: MutableMapping[str, str]) -> None:
        """Put the settings where the workers started after this call will find them."""
        environ[SETTINGS_ENV] = json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def handed_down(cls, environ: MutableMapping[str, str]) -> ServeSettings:
        raw = environ.get(SETTINGS_ENV)
        if not raw:
            raise RuntimeError(f"{SETTINGS_ENV} is not set: workers are started by "
                               "`district-backend serve --workers N`")
        return cls(**json.loads(raw))


def make_app() -> FastAPI:
    """uvicorn's app factory in each worker."""
    return ServeSettings.handed_down(os.environ).build_app()
