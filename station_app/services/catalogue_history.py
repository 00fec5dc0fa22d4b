"""The catalogue versions this station's cases were filled with.

DESIGN.md: a submission keeps the catalogue and form version it was filled with. The case row
holds the version's number; :func:`record_catalogue` keeps the version itself in the store
when it becomes the active catalogue (at start-up, and when sync installs a pulled one), and
:class:`CatalogueHistory` reads it back, so an older case is reprinted and shown with the item
names and time limits it was filled with, even after the district renamed or changed the item.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlmodel import Session

from station_app.domain.catalogue import CatalogueHeader, ServiceItem
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.catalogue_origin import CatalogueSource
from station_app.store.catalogue import (
    ItemDefinition,
    StoredCatalogue,
    activate_catalogue_version,
    add_catalogue_version,
    has_catalogue_version,
    stored_catalogue,
)
from station_app.store.engine import session_scope

log = logging.getLogger(__name__)


def record_catalogue(engine: Engine, catalogue: Catalogue, source: CatalogueSource, *,
                     etag: str | None = None, make_active: bool = True) -> None:
    """Keep ``catalogue`` in the store (once per version); with ``make_active``, mark it the
    version the station fills cases with.

    A version already recorded is not rewritten: the cases filled with it keep it as it was
    when they were filled.
    """
    with session_scope(engine) as s:
        if not has_catalogue_version(s, catalogue.version):
            add_catalogue_version(
                s, catalogue.version, _definitions(catalogue),
                header=catalogue.header.model_dump(mode="json", by_alias=True, exclude_none=True),
                source=source, etag=etag)
        if make_active:
            activate_catalogue_version(s, catalogue.version)


def _definitions(catalogue: Catalogue) -> list[ItemDefinition]:
    return [ItemDefinition(code, item.name, str(item.form_version),
                           item.model_dump(mode="json", by_alias=True, exclude_none=True))
            for code, item in catalogue.items.items()]


class CatalogueHistory:
    """Recorded catalogue versions, each read from the store once and then kept in memory
    (a recorded version never changes). A version that is not recorded is asked again next
    time, since it may be recorded by then."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._known: dict[str, Catalogue] = {}
        self._lock = threading.Lock()

    def get(self, version: str, session: Session | None = None) -> Catalogue | None:
        """The catalogue as recorded under ``version``, or ``None`` if it never was.

        ``session``: the caller's open transaction, when there is one (the store allows one
        per thread); otherwise a short one is opened.
        """
        with self._lock:
            known = self._known.get(version)
        if known is not None:
            return known
        if session is not None:
            stored = stored_catalogue(session, version)
        else:
            with session_scope(self._engine) as s:
                stored = stored_catalogue(s, version)
        if stored is None:
            return None
        catalogue = _catalogue(stored)
        if catalogue is not None:
            with self._lock:
                self._known[version] = catalogue
        return catalogue


def _catalogue(stored: StoredCatalogue) -> Catalogue | None:
    """The domain's catalogue from recorded JSON; ``None`` (logged) if a later program can no
    longer read what an earlier one recorded, so the case is shown with today's catalogue."""
    try:
        header = CatalogueHeader.model_validate(stored.header)
        items = {code: ServiceItem.model_validate(d) for code, d in stored.items.items()}
    except ValueError as e:
        log.warning("数据库中保存的事项目录 %s 无法读取（%s），改按现行目录显示", stored.version, e)
        return None
    return Catalogue(header, items)
