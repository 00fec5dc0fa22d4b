"""Check settings typed on a screen and save them; turn schema errors into Chinese per field.

The settings page and the first-run screen both collect raw text; the rules (what a station
id looks like, the allowed sync interval …) live in `StationSettings`. This module only
translates its errors into one plain message per field, so the screen can show each message
under the field it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
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

_FIELD_HINTS: dict[str, str] = {
    "station_id": "站点编号须为 2–16 位大写字母或数字，如 QDK01",
    "station_name": "站点名称不能超过 60 个字",
    "sync_interval_seconds": "同步间隔须在 15 到 3600 秒之间",
    "contact_phone": "联系电话不能超过 30 个字符",
    "retention_days": "保留天数须在 7 到 3650 天之间",
}


def _message(field: str, err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "须为整数"
    if kind in ("literal_error", "enum"):
        return "不是可选的值"
    return _FIELD_HINTS.get(field, "填写有误")


def field_errors(e: ValidationError) -> dict[str, str]:
    """First message per field name, in Chinese."""
    out: dict[str, str] = {}
    for err in e.errors():
        loc = err.get("loc") or ("?",)
        field = str(loc[0])
        out.setdefault(field, _message(field, err))
    return out


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def validate_settings(base: StationSettings, changes: Mapping[str, object]
                      ) -> tuple[StationSettings | None, dict[str, str]]:
    """`base` with `changes` applied, or None and one message per wrong field.

    Empty text means "not set". A station id is upper-cased, since people type "qdk01".
    """
    raw: dict[str, Any] = base.model_dump()
    for key, value in changes.items():
        value = _clean(value)
        if key == "station_id" and isinstance(value, str):
            value = value.upper()
        raw[key] = value
    try:
        return StationSettings.model_validate(raw), {}
    except ValidationError as e:
        return None, field_errors(e)


def store_settings(ctx: StationContext, settings: StationSettings,
                   secret: str | None = None) -> None:
    """Write settings.toml atomically (and the secret, when given); the context follows."""
    save_settings(ctx.data_dir, settings)
    if secret:
        save_secret(ctx.data_dir, secret)
    ctx.settings = settings


def remember_theme(ctx: StationContext, theme_key: str) -> StationSettings:
    """Keep the 长辈版 switch across restarts."""
    settings, errors = validate_settings(ctx.settings, {"theme": theme_key})
    if settings is None:
        raise ValueError(errors.get("theme", "主题无效"))
    store_settings(ctx, settings)
    return settings


def needs_first_run(ctx: StationContext) -> bool:
    """True on a fresh station: nothing configured and no settings file saved yet.

    Choosing "稍后配置" writes the settings file, so the first-run screen is not shown again;
    the status bar keeps saying that no backend is configured.
    """
    return not is_configured(ctx.settings, ctx.secret) and \
        not (ctx.data_dir / SETTINGS_FILE).is_file()
