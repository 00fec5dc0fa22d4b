"""Catalogue versions kept in the database, so a case can always be shown with the form it
was filled with, and a newly pulled catalogue is switched to in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import update
from sqlmodel import Session, col, select

from station_app.store.engine import StoreError
from station_app.store.models import CatalogueItemRow, CatalogueSource, CatalogueVersion


class ItemDefinition(NamedTuple):
    """One item of a catalogue version, as validated by the domain layer."""

    code: str
    name: str
    form_version: str
    definition: dict[str, Any]


def add_catalogue_version(session: Session, version: str, items: Iterable[ItemDefinition], *,
                          source: CatalogueSource, etag: str | None = None) -> CatalogueVersion:
    """Store a (validated) catalogue version, inactive; an existing version is returned as is."""
    existing = session.get(CatalogueVersion, version)
    if existing is not None:
        return existing
    row = CatalogueVersion(version=version, source=source, etag=etag, active=False)
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
