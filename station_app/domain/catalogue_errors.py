"""Catalogue errors in Chinese, located by file, item code and field path.

Pydantic reports locations as tuples and messages in English; workers editing a catalogue
need "items/RS04.yaml，事项 RS04，字段 materials[0].name：缺少必填项" instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class CatalogueError:
    """One problem in a catalogue file, located as precisely as the file allows."""

    file: str
    message: str
    item: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.item:
            kind = "联办" if self.item.startswith("BD") else "事项"
            where.append(f"{kind} {self.item}")
        if self.path:
            where.append(f"字段 {self.path}")
        return f"{'，'.join(where)}：{self.message}"


_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的键（可能拼错了）",
    "string_type": "须为文本",
    "string_too_short": "不能为空",
    "too_short": "项数不够",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "greater_than_equal": "数值太小",
    "greater_than": "数值太小",
    "less_than_equal": "数值太大",
    "tuple_type": "须为列表",
    "list_type": "须为列表",
    "model_type": "须为键值表",
    "model_attributes_type": "须为键值表",
    "dict_type": "须为键值表",
    "union_tag_invalid": "无法识别的条目",
}


def _message(err: Any) -> str:
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):
        msg = str(err["msg"])
        return msg.split(", ", 1)[1] if msg.startswith("Value error, ") else msg
    if kind == "enum":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("' or '", "', '")
        if "'text'" in expected:
            return f"未知的字段类型 {err['input']!r}（可用：{expected}）"
        return f"取值 {err['input']!r} 无效（可用：{expected}）"
    if kind == "literal_error":
        return f"取值 {err['input']!r} 无效（须为 {err.get('ctx', {}).get('expected', '')}）"
    base = _MESSAGES.get(kind, str(err["msg"]))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal"):
        limit = next(iter(err.get("ctx", {}).values()), "")
        return f"{base}（界限 {limit}）"
    if kind == "too_short":
        return f"{base}（至少 {err.get('ctx', {}).get('min_length', 1)} 项）"
    return base


def _path(loc: Iterable[Any], raw: Any) -> str:
    """Turn a pydantic location into `fields[3](benefit_type).options`, naming keys."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if step in ("ref", "field") and not isinstance(node, dict):
            continue
        if isinstance(step, int):
            parts.append(f"[{step}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and ("key" in node or "ref" in node or "name" in node):
                label = node.get("key") or node.get("ref") or node.get("name")
                parts.append(f"({label})")
        else:
            if isinstance(node, dict) or node is None:
                if step in ("ref", "field") and isinstance(node, dict) and step not in node:
                    continue  # union tag, not a key of the file
                parts.append(("." if parts else "") + str(step))
                node = node.get(step) if isinstance(node, dict) else None
            else:
                continue
    return "".join(parts)


def validation_errors(
    exc: ValidationError, file: str, item: str | None, raw: Any
) -> list[CatalogueError]:
    errs = exc.errors()
    out = []
    for err in errs:
        loc = tuple(err["loc"])
        # a list whose only entry is broken is also "too short": say the real fault once
        if err["type"] == "too_short" and any(
                len(o["loc"]) > len(loc) and tuple(o["loc"][:len(loc)]) == loc for o in errs):
            continue
        out.append(CatalogueError(file, _message(err), item, _path(loc, raw) or None))
    return out
