"""Read the many spellings of phone numbers, dates, credit codes and bank accounts.

Each parser takes a string as typed and returns the one canonical spelling that is stored, or
raises ``Unparsable`` with a Chinese message. ``validators`` turns these into field results;
keeping the parsing here lets other code (search, import) use the same rules.
"""

from __future__ import annotations

import datetime as _dt
import re

from stdnum.cn import uscc as _uscc

from station_app.domain import messages as msg
from station_app.domain.normalize import normalize_code, normalize_digits

LOCAL_AREA_CODE = "027"  # Wuhan: a bare 8-digit landline number is a local one
DATE_YEARS = (1800, 2199)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_DATE_RES = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


class Unparsable(ValueError):
    """The text is not a valid value of the kind asked for; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def parse_phone(raw: str) -> str:
    """Mobile -> "13812345678"; landline -> "027-84561234" (area code, hyphen, number).

    Accepts +86 / 0086 / 86 prefixes, spaces, hyphens and brackets. Mobile prefixes are not
    listed one by one (new ones appear), only ``1[3-9]``.
    """
    text = re.sub(r"[-()]", "", normalize_digits(raw))
    international = text.startswith(("+", "0086"))
    if text.startswith("+") and not text.startswith("+86"):
        raise Unparsable(msg.PHONE_FOREIGN)
    digits = text.removeprefix("+86") if text.startswith("+") else text
    digits = digits.removeprefix("0086") if international else digits
    if not digits.isascii() or not digits.isdigit():
        raise Unparsable(msg.PHONE_CHARS)
    if international and digits[:1] not in ("0", "1"):
        digits = "0" + digits  # "+86 27 ..." leaves out the trunk prefix 0
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if digits.startswith("1"):
        if len(digits) != 11:
            raise Unparsable(msg.PHONE_MOBILE_LENGTH.format(n=len(digits)))
        if not _MOBILE_RE.match(digits):
            raise Unparsable(msg.PHONE_MOBILE_PREFIX)
        return digits
    if len(digits) == 8 and digits[0] in "23456789":
        return f"{LOCAL_AREA_CODE}-{digits}"
    if not digits.startswith("0") or len(digits) < 3:
        raise Unparsable(msg.PHONE_INVALID)
    # 010 and 020-029 are three-digit area codes with 8-digit numbers; the rest have four.
    area_len, lengths = (3, (8,)) if digits[1] in "12" else (4, (7, 8))
    area, number = digits[:area_len], digits[area_len:]
    if len(number) not in lengths or number[0] in "01":
        raise Unparsable(msg.PHONE_LANDLINE)
    return f"{area}-{number}"


def parse_date(raw: str) -> _dt.date:
    """2024-1-5, 2024/01/05, 2024.1.5, 2024年1月5日, 20240105 -> a real Gregorian date."""
    text = normalize_digits(raw)
    for pattern in _DATE_RES:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                day = _dt.date(y, mo, d)
            except ValueError:
                raise Unparsable(
                    msg.DATE_MISSING.format(date=f"{y:04d}-{mo:02d}-{d:02d}")) from None
            if not DATE_YEARS[0] <= y <= DATE_YEARS[1]:
                raise Unparsable(msg.DATE_RANGE.format(low=DATE_YEARS[0], high=DATE_YEARS[1]))
            return day
    raise Unparsable(msg.DATE_FORMAT)


def parse_uscc(raw: str) -> str:
    """统一社会信用代码: GB 32100 structure checked here, check character by ``stdnum.cn.uscc``.

    stdnum's own ``validate`` insists the first two characters are digits, which turns away
    the codes of 农村集体经济组织 (N2…), 军队事业单位 (A1…) and 其他 (Y1…); the standard allows
    a code character there. The embedded 组织机构代码 check is not enforced: codes of
    个体工商户 do not carry one.
    """
    code = normalize_code(raw).replace("-", "")
    if len(code) != 18:
        raise Unparsable(msg.USCC_LENGTH.format(n=len(code)))
    for pos, char in enumerate(code, start=1):
        if char not in USCC_ALPHABET:
            raise Unparsable(msg.USCC_CHARS.format(pos=pos, char=char))
    if not code[2:8].isdigit():
        raise Unparsable(msg.USCC_REGION)
    expected = str(_uscc.calc_check_digit(code[:17]))
    if code[17] != expected:
        raise Unparsable(msg.USCC_CHECKSUM.format(expected=expected))
    return code


def parse_bank_account(raw: str) -> str:
    """12-19 digits. No Luhn check: many passbook (存折) accounts do not satisfy it."""
    digits = normalize_digits(raw).replace("-", "")
    if not digits.isascii() or not digits.isdigit():
        raise Unparsable(msg.BANK_CHARS)
    if not 12 <= len(digits) <= 19:
        raise Unparsable(msg.BANK_LENGTH.format(n=len(digits)))
    return digits
