"""Catalogue versions kept in the database, so a case is always shown with the catalogue it
was filled with (DESIGN.md: a submission keeps the catalogue and form version it was filled
with), also after the station has moved on to a newer one.

A version is recorded when it becomes the station's active catalogue (at start-up, and when
sync installs a pulled one): its header (categories, departments, common fields, 一事联办
bundles) and each item's definition, as JSON dumped by the domain's models. A version once
recorded is never rewritten, because cases refer to it by its number. The store keeps the
JSON; ``services.catalogue_history`` turns it back into a catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import update
from sqlmodel import Session, col, select

from station_app.domain.catalogue_origin import CatalogueSource
from station_app.store.engine import StoreError
from station_app.store.models import CatalogueItemRow, CatalogueVersion


class ItemDefinition(NamedTuple):
    """One item of a catalogue version, as validated by the domain layer."""

    code: str
    name: str
    form_version: str
    definition: dict[str, Any]


@dataclass(frozen=True)
class StoredCatalogue:
    """A recorded catalogue version: its header and its items' definitions, by code."""

    version: str
    header: dict[str, Any]
    items: dict[str, dict[str, Any]]


def has_catalogue_version(session: Session, version: str) -> bool:
    """Whether ``version`` is recorded (cheap: the definitions are not read)."""
    query = select(CatalogueVersion.version).where(col(CatalogueVersion.version) == version)
    return session.exec(query).first() is not None


def add_catalogue_version(session: Session, version: str, items: Iterable[ItemDefinition], *,
                          header: Mapping[str, Any], source: CatalogueSource,
                          etag: str | None = None) -> CatalogueVersion:
    """Store a (validated) catalogue version, inactive; an existing version is returned as is."""
    existing = session.get(CatalogueVersion, version)
    if existing is not None:
        return existing
    row = CatalogueVersion(version=version, source=source, etag=etag, active=False,
                           header=dict(header))
    session.add(row)
    session.flush()
    session.add_all(CatalogueItemRow(catalogue_version=version, code=i.code, name=i.name,
                                     form_version=i.form_version, definition=i.definition)
                    for i in items)
    return row


def activate_catalogue_version(session: Session, version: str) -> None:
    """Make ``version`` the one active catalogue (the swap commits with the caller's session)."""
    row = session.get(CatalogueVersion, version)
    if row is None:
        raise StoreError(f"目录版本 {version} 不在数据库中，无法启用。")
    if row.active:
        return
    session.exec(update(CatalogueVersion).where(col(CatalogueVersion.active))
                 .values(active=False).execution_options(synchronize_session="fetch"))
    session.flush()
    row.active = True
    session.add(row)
    session.flush()


def active_catalogue_version(session: Session) -> CatalogueVersion | None:
    """The catalogue version currently in use, if any was activated."""
    return session.exec(select(CatalogueVersion).where(col(CatalogueVersion.active))).first()


def catalogue_item(session: Session, version: str, code: str) -> CatalogueItemRow | None:
    """An item's definition in a given catalogue version."""
    query = select(CatalogueItemRow).where(col(CatalogueItemRow.catalogue_version) == version,
                                           col(CatalogueItemRow.code) == code)
    return session.exec(query).first()


def stored_catalogue(session: Session, version: str) -> StoredCatalogue | None:
    """The whole recorded version, or ``None`` if this station never recorded it."""
    row = session.get(CatalogueVersion, version)
    if row is None:
        return None
    query = select(CatalogueItemRow.code, CatalogueItemRow.definition).where(
        col(CatalogueItemRow.catalogue_version) == version)
    items = {code: dict(definition) for code, definition in session.exec(query).all()}
    return StoredCatalogue(version, dict(row.header), items)
