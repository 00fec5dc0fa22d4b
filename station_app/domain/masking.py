"""Masked forms of personal data for lists, logs and receipts (DESIGN.md invariant 6).

Enough stays visible for a worker to tell two residents apart and for a resident to recognise
their own record; never enough to reconstruct the value.
"""

from __future__ import annotations

from station_app.domain.normalize import clean_text, normalize_code, normalize_digits


def _middle(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail:]


def mask_id(number: str) -> str:
    """``42010519600101001X`` -> ``420***********001X``: province/city, then sex and check.

    The birth date is always hidden. Shorter values (15-digit numbers, fragments) keep the
    first three and last four only when at least half is still masked.
    """
    text = normalize_code(number)
    n = len(text)
    if n >= 14:
        return _middle(text, 3, 4)
    keep = n // 4
    return _middle(text, keep, keep)


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; ``027-84561234`` -> ``027-****1234``."""
    text = normalize_digits(phone)
    area, sep, number = text.partition("-")
    if sep and area.startswith("0") and "-" not in number:  # landline, area code kept
        return f"{area}-{mask_phone(number)}"
    plain = text.replace("-", "")
    n = len(plain)
    if n >= 11:
        return _middle(plain, n - 8, 4)
    if n > 4:
        return _middle(plain, 0, 4)
    return "*" * n


def mask_name(name: str) -> str:
    """``张三丰`` -> ``张*丰``, ``李四`` -> ``李*``: the family name stays readable."""
    text = clean_text(name)
    if len(text) <= 1:
        return "*" * len(text)
    if len(text) == 2:
        return text[0] + "*"
    return _middle(text, 1, 1)


def group_id(id_number: str) -> str:
    """The full number in the groups it is read in: area, birth date, sequence and check.

    Shown only to the resident on their own screen (420105 19600101 001X), never in lists.
    """
    n = id_number.strip()
    if len(n) != 18:
        return n
    return f"{n[:6]} {n[6:14]} {n[14:]}"
