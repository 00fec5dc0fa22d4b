"""Check settings typed on a screen and save them; one Chinese message per wrong field.

The settings page and the first-run screen both collect raw text. What is valid is decided by
the settings schema (:mod:`station_app.settings_schema`) and worded by
:mod:`station_app.settings_errors`, exactly as for ``station-app setup`` and ``station.toml``;
this module only adds what a screen means by its fields: empty text is "not set".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from station_app.config import (
    SETTINGS_FILE,
    StationSettings,
    is_configured,
    save_secret,
    save_settings,
)
from station_app.services.context import StationContext
from station_app.settings_errors import problem_messages
from station_app.settings_schema import SettingsEntry, StationSetup, required_keys
from station_app.store.audit import append_audit
from station_app.store.engine import session_scope


@dataclass(frozen=True)
class SettingsChange:
    """Checked settings to save, and the secret typed with them (None: keep the saved one)."""

    settings: StationSettings
    secret: str | None


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def check_settings(base: StationSettings, changes: Mapping[str, object], *,
                   complete: bool = False) -> tuple[SettingsChange | None, dict[str, str]]:
    """``base`` with ``changes`` applied, or None and one message per wrong field.

    ``changes`` may hold ``secret``. Empty text means "not set"; with ``complete`` (the
    first-run screen) station id, backend URL and secret must be given.
    """
    required = set(required_keys()) if complete else set()
    given: dict[str, Any] = {}
    for key, value in changes.items():
        value = _clean(value)
        if value is not None or key not in required:
            given[key] = value
    schema = StationSetup if complete else SettingsEntry
    try:
        entry = schema.model_validate(given)
    except ValidationError as e:
        return None, problem_messages(e)
    return SettingsChange(entry.apply_to(base), entry.secret), {}


def validate_settings(base: StationSettings, changes: Mapping[str, object]
                      ) -> tuple[StationSettings | None, dict[str, str]]:
    """:func:`check_settings` for changes without a secret: the settings, or the messages."""
    change, errors = check_settings(base, changes)
    return (change.settings if change is not None else None), errors


def store_settings(ctx: StationContext, settings: StationSettings,
                   secret: str | None = None) -> None:
    """Write settings.toml atomically (and the secret, when given); the context follows.
    The change is audited under the signed-in operator: which keys, old and new values (the
    secret only as "changed")."""
    before, after = ctx.settings.model_dump(mode="json"), settings.model_dump(mode="json")
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    save_settings(ctx.data_dir, settings)
    if secret:
        save_secret(ctx.data_dir, secret)
    ctx.settings = settings
    if changed or secret:
        with session_scope(ctx.engine) as session:
            append_audit(session, ctx.operator, "settings.changed", None,
                         {"changed": changed, "secret_changed": bool(secret)})


def needs_first_run(ctx: StationContext) -> bool:
    """True on a fresh station: nothing configured and no settings file saved yet.

    Choosing "稍后配置" writes the settings file, so the first-run screen is not shown again;
    the status bar keeps saying that no backend is configured.
    """
    return not is_configured(ctx.settings, ctx.secret) and \
        not (ctx.data_dir / SETTINGS_FILE).is_file()
