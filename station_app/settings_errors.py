"""The one translation of settings validation errors into Chinese, one problem per key.

``settings.toml`` at start-up, ``station.toml`` (roll-out), ``station-app setup`` and the
settings form on screen all validate through :mod:`station_app.settings_schema` and word its
errors here, so a bad value gets the same sentence everywhere. Each place only says *where*
the key is (``键 sync_interval_seconds``, ``--sync-interval-seconds``, the field on screen)::

    同步间隔须在 15 到 3600 秒之间

Every error is reported, not just the first, in the schema's field order. A sentence never
repeats what was typed, except the choice given for a field with a fixed list of values, so a
secret can never end up in a message, a log or a terminal's scroll-back.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from station_app.settings_schema import SettingsEntry, bounds, settable_keys


@dataclass(frozen=True)
class SettingProblem:
    """What is wrong with one key; ``message`` names the setting in Chinese and says the rule."""

    key: str
    message: str

    def line(self, where: str | None = None) -> str:
        """``where`` (how this place spells the key; default the key itself), then the message."""
        return f"{where or self.key}：{self.message}"


def settings_problems(error: ValidationError) -> list[SettingProblem]:
    """Every error of ``error`` in Chinese, at most one per key, in the schema's order."""
    found: dict[str, SettingProblem] = {}
    for detail in error.errors():
        loc = detail.get("loc") or ()
        key = str(loc[0]) if loc else "?"
        found.setdefault(key, SettingProblem(key, _message(key, detail)))
    order = {key: i for i, key in enumerate(SettingsEntry.model_fields)}
    return sorted(found.values(), key=lambda p: order.get(p.key, len(order)))


def problem_messages(error: ValidationError) -> dict[str, str]:
    """``{key: message}``, for a form that shows each message under its field."""
    return {p.key: p.message for p in settings_problems(error)}


def _message(key: str, detail: Mapping[str, Any]) -> str:
    field = SettingsEntry.model_fields.get(key)
    if field is None:
        return _unknown_key(key)
    return f"{field.title or key}{_reason(field, detail)}"


def _unknown_key(key: str) -> str:
    allowed = settable_keys()
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"不是可用的设置项，是否应为 {close[0]}？"
    return f"不是可用的设置项；可用的有：{'、'.join(allowed)}"


def _extra(field: FieldInfo, name: str) -> str | None:
    extra = field.json_schema_extra
    value = extra.get(name) if isinstance(extra, dict) else None
    return str(value) if value is not None else None


def _reason(field: FieldInfo, detail: Mapping[str, Any]) -> str:
    """The rest of the sentence after the setting's name."""
    kind = str(detail.get("type", ""))
    ctx: Mapping[str, Any] = detail.get("ctx") or {}
    given = detail.get("input")
    if kind == "missing":
        return "必须填写"
    if kind == "value_error":
        return str(detail.get("msg", "")).removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range(field)
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字"
    if kind == "string_too_short":
        return "不能为空（不设置就不要写这一项）"
    if kind == "string_pattern_mismatch":
        return _extra(field, "hint") or "格式不对"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " 或 ")
        return f"须为 {expected}，填的是 {given!r}"
    if kind in ("int_parsing", "int_from_float"):
        return "须为整数"
    if kind == "int_type":
        return f"须为整数（不加引号），填的是{_kind(given)}"
    if kind == "string_type":
        return f"须为文字（用英文双引号括起来），填的是{_kind(given)}"
    if kind in ("path_type", "path_parsing"):
        return f"须为文件路径（文字），填的是{_kind(given)}"
    return "无效"


def _range(field: FieldInfo) -> str:
    low, high = bounds(field)
    unit = _extra(field, "unit") or ""
    space = " " if unit else ""
    if low is not None and high is not None:
        return f"须在 {low} 到 {high}{space}{unit}之间"
    if low is not None:
        return f"不能小于 {low}{space}{unit}"
    return f"不能大于 {high}{space}{unit}"


def _kind(value: object) -> str:
    """What a value is, in the words of someone editing a TOML file."""
    if isinstance(value, bool):
        return "真假值"
    kinds = ((str, "文字"), (int, "整数"), (float, "小数"), (list, "列表"), (dict, "表"),
             (datetime, "日期时间"), (date, "日期"), (time, "时间"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "其他类型")
