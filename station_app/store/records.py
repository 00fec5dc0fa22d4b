"""Small records beside the cases: autosaved drafts and settings (``append_audit`` is
re-exported from :mod:`station_app.store.audit`, where the chained trail lives)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from station_app.store.coltypes import utcnow
from station_app.store.models import Draft, Setting


def save_draft(session: Session, draft_id: str, *, operator: str, payload: dict[str, Any],
               materials: Sequence[str] = (), item_code: str | None = None,
               bundle_code: str | None = None) -> Draft:
    """Create or overwrite the autosaved draft ``draft_id``."""
    draft = session.get(Draft, draft_id) or Draft(id=draft_id, operator=operator)
    draft.operator, draft.item_code, draft.bundle_code = operator, item_code, bundle_code
    draft.payload, draft.materials, draft.updated_at = dict(payload), list(materials), utcnow()
    session.add(draft)
    return draft


def load_draft(session: Session, draft_id: str) -> Draft | None:
    """The draft with this id, if it still exists (it is removed when submitted)."""
    return session.get(Draft, draft_id)


def delete_draft(session: Session, draft_id: str) -> bool:
    """Discard a draft; False if there was none."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        return False
    session.delete(draft)
    session.flush()
    return True


def list_drafts(session: Session, operator: str | None = None) -> list[Draft]:
    """Drafts, most recently edited first, optionally of one operator."""
    query = select(Draft).order_by(col(Draft.updated_at).desc())
    if operator is not None:
        query = query.where(col(Draft.operator) == operator)
    return list(session.exec(query).all())


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    """A stored setting, or ``default``."""
    row = session.get(Setting, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: str) -> None:
    """Store a setting (insert or replace)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)
