"""Bounds on every value that crosses the wire, shared by the station (which refuses to queue
a body outside them) and the district (which rejects such an item on its own, never the batch).

Each limit exists because something downstream breaks without it: an integer column that
overflows (a 32-bit ``INTEGER`` on PostgreSQL, a 64-bit one on SQLite), a text column that
cannot hold NUL (PostgreSQL), a lone UTF-16 surrogate that cannot be encoded as UTF-8 (so
neither hashed nor stored), a float such as ``1e400`` that JSON reads as infinity but cannot
write back, or a payload deep or wide enough to make validation itself the attack. Limits
are far above what any catalogue form produces, so a case the domain accepts is never refused.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

MAX_FORM_VERSION: Final = 2**31 - 1  # the district's INTEGER column on PostgreSQL
MAX_EVENT_ID: Final = 2**63 - 1  # change-feed ids and cursors: a signed 64-bit integer
MAX_PAYLOAD_DEPTH: Final = 8  # nested objects/lists; a form uses at most 5
MAX_PAYLOAD_ENTRIES: Final = 500  # keys of one object, elements of one list
MAX_PAYLOAD_VALUES: Final = 20_000  # values in one payload, all levels together
MAX_PAYLOAD_KEY: Final = 64  # characters of one key
MAX_PAYLOAD_TEXT: Final = 20_000  # characters of one string value
MAX_PAYLOAD_INT: Final = 2**63 - 1  # magnitude of one integer value
MAX_INT_DIGITS: Final = 40  # longer integer literals are out of every range above

# Unicode's control characters (category Cc: U+0000–U+001F and U+007F–U+009F) but tab and
# line breaks; one compiled search instead of a category lookup per character (the district
# checks every character of every case it receives)
_FORBIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = "含有无法编码的字符（孤立的代理码位）"


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored and hashed as sent, or None. Control characters other
    than tab and line breaks, and lone surrogates, are refused."""
    if not _encodable(text):
        return _SURROGATE
    found = _FORBIDDEN_CONTROL.search(text)
    return None if found is None else f"含有控制字符 U+{ord(found[0]):04X}"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(text: str) -> str:
    """Pydantic after-validator for wire text fields."""
    problem = text_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


def check_payload(value: Any) -> Any:
    """Pydantic before-validator for a form payload: bounded depth, width, count, text and
    numbers, checked without recursion (so a hostile nesting cannot exhaust the stack).

    The district checks every case it receives, so the text is checked in bulk: all keys at
    once, all string values at once (one encode, one search); only when that finds something
    are they gone through one by one, for the message naming the problem."""
    keys, texts = _walk(value)
    if not _all_text_fine(keys, texts):
        for key in keys:
            _check_key(key)
        for text in texts:
            _check_text_value(text)
    return value


def _walk(value: Any) -> tuple[list[str], list[str]]:
    """Check the payload's shape and numbers; return its keys and string values."""
    keys: list[str] = []
    texts: list[str] = []
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_PAYLOAD_VALUES:
            raise ValueError(f"内容超过 {MAX_PAYLOAD_VALUES} 项")
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict | list):
            if depth > MAX_PAYLOAD_DEPTH:
                raise ValueError(f"嵌套超过 {MAX_PAYLOAD_DEPTH} 层")
            if len(node) > MAX_PAYLOAD_ENTRIES:
                raise ValueError(f"一层超过 {MAX_PAYLOAD_ENTRIES} 项")
            if isinstance(node, dict):
                keys.extend(k for k in node if isinstance(k, str))  # else: the model's check
                stack.extend((child, depth + 1) for child in node.values())
            else:
                stack.extend((child, depth + 1) for child in node)
        else:
            _check_number(node)
    return keys, texts


def _all_text_fine(keys: list[str], texts: list[str]) -> bool:
    """Whether every key and string value is within bounds, decided in a few C calls.
    (Joined with a line break, which is allowed: it can neither hide nor make a problem.)"""
    if keys:
        joined = "\n".join(keys)
        if (max(map(len, keys)) > MAX_PAYLOAD_KEY or _FORBIDDEN_CONTROL.search(joined)
                or not _encodable(joined)):
            return False
    return not texts or (max(map(len, texts)) <= MAX_PAYLOAD_TEXT
                         and _encodable("\n".join(texts)))


def _check_key(key: object) -> None:
    if not isinstance(key, str):
        return  # the model's own type check names it
    if len(key) > MAX_PAYLOAD_KEY:
        raise ValueError(f"字段名超过 {MAX_PAYLOAD_KEY} 个字符")
    problem = text_problem(key)
    if problem is not None:
        raise ValueError(f"字段名{problem}")


def _check_text_value(text: str) -> None:
    if len(text) > MAX_PAYLOAD_TEXT:
        raise ValueError(f"文本超过 {MAX_PAYLOAD_TEXT} 个字符")
    if not _encodable(text):
        raise ValueError(f"文本{_SURROGATE}")


def _check_number(node: object) -> None:
    if isinstance(node, bool):
        return
    if isinstance(node, int):
        if abs(node) > MAX_PAYLOAD_INT:
            raise ValueError(f"整数超出范围（绝对值最大 {MAX_PAYLOAD_INT}）")
    elif isinstance(node, float) and not math.isfinite(node):
        raise ValueError("数值超出范围（不是有限数）")
