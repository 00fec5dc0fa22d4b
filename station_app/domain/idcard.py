"""居民身份证 and 港澳台居民居住证 numbers (GB 11643-1999): parse, check, upgrade, derive.

Layout of the 18 characters: 6-digit area code, 8-digit birth date YYYYMMDD, 3-digit sequence
(odd = male), 1 check character (ISO 7064 MOD 11-2; 10 is written X).

The area code is where the household was registered when the number was issued, not a birth
place, and a number keeps it for life. Districts are merged and renamed (汉阳县 420121 became
蔡甸区 in 1992), so only the province part is checked here; rejecting unknown or retired area
codes would turn away real residents. That is also why only the check-digit function of
``stdnum.cn.ric`` is used: its ``validate`` requires the area code to have existed in the birth
year and rejects, for example, everyone born in 汉阳区 before 1983.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from enum import StrEnum

from station_app.domain import messages as msg
from station_app.domain.normalize import normalize_id_number

# GB/T 2260 province-level codes (71 台湾, 81 香港, 82 澳门 included).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)
HK_MACAO_PREFIXES = ("810000", "820000")
TAIWAN_PREFIX = "830000"
EARLIEST_YEAR = 1800


class IdKind(StrEnum):
    """Which document the number belongs to; the check rules are the same for all three."""

    RESIDENT = "resident"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"

    @property
    def label(self) -> str:
        return {
            "resident": "居民身份证",
            "hk_macao_permit": "港澳居民居住证",
            "taiwan_permit": "台湾居民居住证",
        }[self.value]


class Sex(StrEnum):
    MALE = "男"
    FEMALE = "女"


class InvalidIdNumber(ValueError):
    """The number cannot be accepted; ``message`` says why, in Chinese, for the worker."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class IdNumber:
    """A checked number, always in its 18-character form."""

    number18: str
    birth_date: _dt.date
    sex: Sex
    kind: IdKind
    upgraded_from15: bool = False

    @property
    def area_code(self) -> str:
        return self.number18[:6]

    def age_on(self, day: _dt.date) -> int:
        """Full years of age (周岁) on ``day``."""
        return age_on(self.birth_date, day)


def age_on(birth: _dt.date, day: _dt.date) -> int:
    """Full years between ``birth`` and ``day``; a 29 February birthday counts from 1 March."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character for 17 digits (stdnum does the arithmetic; imported on
    the first number checked, not while the terminal starts: it loads ssl and pydoc too)."""
    from stdnum.cn import ric

    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    # stdnum expects the full number and ignores its last character.
    return str(ric.calc_check_digit(first17 + "0"))


def upgrade15(number15: str) -> str:
    """A 15-digit number (GB 11643-1989) as its 18-digit form: insert "19", add the check.

    Numbers with sequence 996-999 are said by some to belong to people born in the 1800s;
    that convention is not in the standard, so "19" is always used.
    """
    if len(number15) != 15 or not number15.isascii() or not number15.isdigit():
        raise ValueError("upgrade15 needs exactly 15 ASCII digits")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_digit(first17)


def _kind(number18: str) -> IdKind:
    if number18.startswith(HK_MACAO_PREFIXES):
        return IdKind.HK_MACAO_PERMIT
    if number18.startswith(TAIWAN_PREFIX):
        return IdKind.TAIWAN_PERMIT
    if number18[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber(msg.ID_PROVINCE.format(code=number18[:2]))
    return IdKind.RESIDENT


def _birth_date(number18: str, today: _dt.date) -> _dt.date:
    text = number18[6:14]
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    shown = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        raise InvalidIdNumber(msg.ID_DATE_MISSING.format(date=shown)) from None
    if year < EARLIEST_YEAR:
        raise InvalidIdNumber(msg.ID_DATE_TOO_EARLY.format(year=year))
    if born > today:
        raise InvalidIdNumber(msg.ID_DATE_FUTURE.format(date=shown))
    return born


def parse_id_number(raw: str, today: _dt.date | None = None) -> IdNumber:
    """Check a number as typed and return it in 18-character form with what it tells.

    ``today`` is the date a birth date may not be after (the default is the real today).
    Raises ``InvalidIdNumber`` with a Chinese message; checks run in the order a worker
    would correct them: characters, length, province, date, check digit.
    """
    number = normalize_id_number(raw)
    if not number:
        raise InvalidIdNumber(msg.ID_EMPTY)
    if not number.isascii() or not number.replace("X", "").isdigit() or (
        "X" in number[:-1]
    ):
        raise InvalidIdNumber(msg.ID_CHARS)
    upgraded = False
    if len(number) == 15:
        if not number.isdigit():
            raise InvalidIdNumber(msg.ID_15_CHARS)
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_digit(first17)
        upgraded = True
    elif len(number) != 18:
        raise InvalidIdNumber(msg.ID_LENGTH.format(n=len(number)))
    kind = _kind(number)
    born = _birth_date(number, today or _dt.date.today())
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(msg.ID_CHECKSUM.format(expected=expected))
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdNumber(number, born, sex, kind, upgraded)


def is_valid_id_number(raw: str, today: _dt.date | None = None) -> bool:
    """True when ``parse_id_number`` would accept ``raw``."""
    try:
        parse_id_number(raw, today)
    except InvalidIdNumber:
        return False
    return True
