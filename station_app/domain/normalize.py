"""Normalise what people type before it is validated or stored.

Residents' numbers reach the desk typed on Chinese input methods (full-width digits, the
ideographic space), copied from chat messages or Word files (no-break and zero-width spaces), or
read aloud and typed with a lower-case x. The same number must always end up as the same
string, or duplicates and checksum errors follow.
"""

from __future__ import annotations

import re

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E, in the same order.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20  # ideographic space
_HALFWIDTH[0x2212] = 0x2D  # minus sign, as some input methods produce it

_ALNUM = {
    code: code - 0xFEE0
    for code in range(0xFF01, 0xFF5F)
    if chr(code - 0xFEE0).isascii() and chr(code - 0xFEE0).isalnum()
}

# Characters that are invisible but not covered by str.isspace().
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_SPACES_RE = re.compile(rf"[\s{_INVISIBLE}]+")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters, punctuation and the ideographic space to ASCII.

    Chosen over NFKC on purpose: NFKC also rewrites circled numbers, superscripts and CJK
    compatibility ideographs, which would change names and addresses.
    """
    return text.translate(_HALFWIDTH)


def halfwidth_alnum(text: str) -> str:
    """Only full-width digits and Latin letters to ASCII, for values mixing them with prose.

    Used for address parts: "３栋" becomes "3栋" while "（二期）" keeps its Chinese brackets.
    """
    return text.translate(_ALNUM)


def remove_spaces(text: str) -> str:
    """Drop every kind of whitespace, including no-break and zero-width spaces."""
    return _SPACES_RE.sub("", text)


def normalize_code(text: str) -> str:
    """A code-like value (ID number, credit code, account): ASCII, no spaces, upper case."""
    return remove_spaces(to_halfwidth(text)).upper()


def normalize_id_number(text: str) -> str:
    """An ID number as typed -> its canonical spelling (lower-case x becomes X)."""
    return normalize_code(text)


def normalize_digits(text: str) -> str:
    """A number-like value: ASCII digits, no spaces (case is irrelevant here)."""
    return remove_spaces(to_halfwidth(text))


def clean_text(text: str) -> str:
    """Free text: only the outer whitespace (including the ideographic space) is removed.

    Inner full-width punctuation is kept: it is correct in Chinese prose.
    """
    return text.strip().strip(_INVISIBLE).strip()


def plain_value(value: object) -> object:
    """A form value as conditions compare it: strings cleaned, lists element by element."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    return value
