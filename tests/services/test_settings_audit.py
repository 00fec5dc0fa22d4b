"""A settings change is an audit row naming who changed which key, never the secret."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from station_app.services.context import open_station
from station_app.services.settings_form import store_settings, validate_settings
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent

SECRET = "Zk3vQ9-x_7LmN2pR8sT4"


def test_settings_changes_are_audited_without_the_secret(tmp_path: Path) -> None:
    ctx = open_station(tmp_path / "station", operator="王芳（A001）")
    try:
        settings, errors = validate_settings(ctx.settings, {"retention_days": 365,
                                                            "contact_phone": "027-84700000"})
        assert settings is not None, errors
        store_settings(ctx, settings, SECRET)
        store_settings(ctx, settings)  # nothing changed: no row
        elder, errors = validate_settings(ctx.settings, {"theme": "elder"})
        assert elder is not None, errors
        store_settings(ctx, elder)
        with session_scope(ctx.engine) as s:
            rows = s.exec(select(AuditEvent).where(AuditEvent.action == "settings.changed")
                          .order_by(col(AuditEvent.id))).all()
            details = [(r.actor, r.detail) for r in rows]
    finally:
        ctx.close()
    assert details == [
        ("王芳（A001）", {"changed": {"retention_days": [180, 365],
                                     "contact_phone": [None, "027-84700000"]},
                         "secret_changed": True}),
        ("王芳（A001）", {"changed": {"theme": ["standard", "elder"]}, "secret_changed": False}),
    ]
    assert all(SECRET not in str(d) for _, d in details)
