"""How numbers, dates and codes are read by a person: grouped for the eye, in words for the ear.

An 18-digit ID number is unreadable as one block; at a counter it is read in the groups the
number is made of (`masking.group_id`: region, birth date, sequence and check character,
``420105 19600101 001X``). The same groups are used when it is read aloud, digit by digit,
with a pause between groups.

A speech engine reads Chinese characters reliably but Arabic digits and Latin letters by its
own rules (a year as a quantity, letters as pinyin), so everything that is said is written
out in characters first: years and codes digit by digit (二零二六年, 四二零一零五), months,
days and counts as quantities (十二月三日, 五个工作日), a Latin letter by the name Chinese
speakers give it (X 艾克斯). Characters that would be read as noise (``*`` of a masked value,
``-`` inside a code) become a pause.
"""

from __future__ import annotations

import re
from datetime import date

from station_app.domain.masking import group_id

DIGITS = "零一二三四五六七八九"
PAUSE = "，"
LETTERS = {
    "A": "诶", "B": "比", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉",
    "H": "艾尺", "I": "艾", "J": "杰", "K": "开", "L": "艾勒", "M": "艾姆", "N": "艾恩",
    "O": "欧", "P": "披", "Q": "丘", "R": "艾儿", "S": "艾丝", "T": "提", "U": "优",
    "V": "维", "W": "达布溜", "X": "艾克斯", "Y": "歪", "Z": "贼德",
}

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_CN_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_DECIMAL = re.compile(r"^(\d+)\.(\d+)$")
_NOISE = re.compile(r"[*＊#_/\\|~^<>\[\]{}]+")
CODE_DIGITS = 5  # a run of this many digits is a number to spell (ID, phone), not a quantity


def say_digits(code: str) -> str:
    """Digit by digit, letters by name: ``001X`` -> ``零零一艾克斯``."""
    out = []
    for ch in code.upper():
        if ch.isdigit() and ch.isascii():
            out.append(DIGITS[int(ch)])
        elif ch in LETTERS:
            out.append(LETTERS[ch])
        else:
            out.append(PAUSE)
    return "".join(out)


def say_id_number(number: str) -> str:
    """An ID number in its reading groups (`masking.group_id`), digit by digit, a pause
    between groups."""
    return PAUSE.join(say_digits(g) for g in group_id(number).split())


def say_number(n: int) -> str:
    """A quantity in words: 5 -> 五, 12 -> 十二, 105 -> 一百零五, 10086 -> 一万零八十六."""
    if n < 0:
        return "负" + say_number(-n)
    if 10 <= n < 20:
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    if n < 10_000:
        return _below_ten_thousand(n)
    for value, unit in ((100_000_000, "亿"), (10_000, "万")):
        if n >= value:
            head, rest = divmod(n, value)
            words = ("两" if head == 2 else say_number(head)) + unit
            if rest:
                inner = _below_ten_thousand(rest) if rest < 10_000 else say_number(rest)
                words += ("零" if rest < value // 10 else "") + inner
            return words
    raise AssertionError(n)  # pragma: no cover - every n >= 10_000 has a unit above


def say_count(n: int) -> str:
    """A count before a measure word: 两份, 两项 (but 十二份)."""
    return "两" if n == 2 else say_number(n)


def _below_ten_thousand(n: int) -> str:
    """0..9999 in words (10..19 inside a larger number are 一十…: 一万零一十)."""
    if n == 0:
        return DIGITS[0]
    words, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += DIGITS[0]
            zero = False
        if digit == 2 and unit in ("千", "百") and not words:
            words += "两"
        else:
            words += DIGITS[digit]
        words += unit
    return words


def say_reference(ref: str) -> str:
    """A receipt's reference as a person dictates it: ``HY261206-7K3M9Q2X`` -> 艾尺歪，
    二六一二零六，七开三艾姆，九丘二艾克斯 (letters apart from digits, long runs in fours)."""
    groups: list[str] = []
    for part in re.split(r"[-\s]+", ref.strip()):
        head = re.match(r"^([A-Za-z]+)(\d+)$", part)
        if head:
            groups.extend(head.groups())
        elif len(part) > 6:
            groups.extend(part[i:i + 4] for i in range(0, len(part), 4))
        else:
            groups.append(part)
    return PAUSE.join(say_digits(g) for g in groups if g)


def say_date(day: date) -> str:
    """``1960-01-01`` -> ``一九六零年一月一日`` (the year digit by digit, as it is said)."""
    return f"{say_digits(f'{day.year:04d}')}年{say_number(day.month)}月{say_number(day.day)}日"


def _date_words(year: str, month: str, day: str | None) -> str:
    text = f"{say_digits(year)}年{say_number(int(month))}月"
    return text + (f"{say_number(int(day))}日" if day else "")


def _code_or_number(match: re.Match[str]) -> str:
    token = match.group(0)
    decimal = _DECIMAL.match(token)
    if token.isdigit() and len(token) < CODE_DIGITS:
        return say_number(int(token))
    if decimal and len(decimal.group(1)) < CODE_DIGITS:
        return f"{say_number(int(decimal.group(1)))}点{say_digits(decimal.group(2))}"
    parts = re.split(r"[-\s]+", token)
    return PAUSE.join(say_digits(p) for p in parts)


def say_text(text: str) -> str:
    """Free text (a label, a value, a promise) with every number, date and code in words."""
    text = _ISO_DATE.sub(lambda m: _date_words(m[1], m[2], m[3]), text)
    text = _CN_DATE.sub(lambda m: _date_words(m[1], m[2], m[3]), text)
    text = _YEAR.sub(lambda m: say_digits(m[1]) + "年", text)
    text = re.sub(r"(?<!\d)(\d+\.\d+)(?!\d)|[0-9A-Za-z]+(?:[-\s][0-9A-Za-z]+)*",
                  _code_or_number, text)
    return _NOISE.sub(PAUSE, text)
