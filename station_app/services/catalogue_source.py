"""Which catalogue a station uses: the newest verified download, else the one it shipped with.

A downloaded catalogue is written to a new folder, checked completely, and only then named
as active (an atomic rename of a pointer file), so a broken update never replaces a working one.
Every version the station takes up is also recorded in its database
(``services.catalogue_history``), so cases filled with it are shown with it later.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.domain.catalogue_loader import (
    Catalogue,
    CatalogueInvalid,
    ParsedFiles,
    load_catalogue,
)
from station_app.domain.catalogue_origin import CatalogueSource
from station_app.domain.files import atomic_write_text
from station_app.paths import bundled_catalogue_dir
from station_app.services.catalogue_parse_cache import keep_parses, kept_parses

if TYPE_CHECKING:  # the start reads the catalogue before the store is loaded
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

CATALOGUES_DIR = "catalogues"
ACTIVE_POINTER = "ACTIVE"


def active_catalogue(data_dir: Path) -> Catalogue:
    """The active downloaded catalogue if it still loads, otherwise the bundled one."""
    return load_active(data_dir)[0]


def load_active(data_dir: Path) -> tuple[Catalogue, CatalogueSource]:
    """:func:`active_catalogue`, and whether it was pulled from the district or bundled.

    The files' parsed YAML is kept between starts (``services.catalogue_parse_cache``)."""
    parses = kept_parses(data_dir)
    try:
        return _load_active(data_dir, parses)
    finally:
        keep_parses(data_dir, parses)


def _load_active(data_dir: Path, parsed: ParsedFiles) -> tuple[Catalogue, CatalogueSource]:
    root = data_dir / CATALOGUES_DIR
    pointer = root / ACTIVE_POINTER
    if pointer.is_file():
        name = pointer.read_text(encoding="utf-8").strip()
        candidate = root / name
        if name and candidate.is_dir():
            try:
                downloaded = load_catalogue(candidate, parsed)
            except CatalogueInvalid as e:
                log.error("已下载的事项目录 %s 无效（%d 处错误），改用随程序发布的目录",
                          candidate, len(e.errors))
            else:
                bundled = load_catalogue(bundled_catalogue_dir(), parsed)
                if _newer_or_equal(downloaded, bundled):
                    return downloaded, CatalogueSource.PULLED
                return bundled, CatalogueSource.BUNDLED
    return load_catalogue(bundled_catalogue_dir(), parsed), CatalogueSource.BUNDLED


def _newer_or_equal(a: Catalogue, b: Catalogue) -> bool:
    def key(c: Catalogue) -> tuple[int, ...]:
        return tuple(int(p) if p.isdigit() else 0 for p in c.version.split("."))
    return key(a) >= key(b)


def activate(data_dir: Path, folder_name: str, *, engine: Engine | None = None,
             etag: str | None = None) -> Catalogue:
    """Make an already written folder under `catalogues/` the active catalogue, if valid.

    With ``engine``, the version is also recorded in the station's database (as pulled, with
    the district's ``etag``); it becomes the database's active version when the station next
    starts with it (:func:`station_app.services.context.open_station`).
    """
    root = data_dir / CATALOGUES_DIR
    catalogue = load_catalogue(root / folder_name)  # raises CatalogueInvalid: nothing changes
    if engine is not None:
        from station_app.services.catalogue_history import record_catalogue

        record_catalogue(engine, catalogue, CatalogueSource.PULLED, etag=etag, make_active=False)
    atomic_write_text(root / ACTIVE_POINTER, folder_name + "\n", mode=0o644)
    return catalogue
