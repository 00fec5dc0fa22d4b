"""One validator per field type: raw input in, normalised value or a Chinese message out.

A validator never raises for bad input; it returns ``Invalid`` so the form can show every
problem at once. Blank values never reach a validator: whether a blank is allowed is the
form's decision (``required`` and conditions), see ``forms.validate_form``.

Stored shapes: text/id_number/phone/date/choice/money/uscc/bank_account -> str,
multi_choice -> list[str] in option order, integer -> int, address -> dict of four str,
attachment -> dict(sha256, filename, size, mime).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from station_app.domain import messages as msg
from station_app.domain.catalogue import FieldType, FormField
from station_app.domain.idcard import InvalidIdNumber, parse_id_number
from station_app.domain.normalize import clean_text, halfwidth_alnum, normalize_digits
from station_app.domain.parsing import (
    Unparsable,
    parse_bank_account,
    parse_date,
    parse_phone,
    parse_uscc,
)


@dataclass(frozen=True)
class Invalid:
    """Why a value was rejected; ``parts`` names sub-values (e.g. ``room`` of an address)."""

    message: str
    parts: tuple[tuple[str, str], ...] = ()


Validator = Callable[[FormField, object], object]  # returns the clean value or Invalid

ADDRESS_PARTS = {"community": "小区", "building": "楼栋", "unit": "单元", "room": "门牌"}
ADDRESS_REQUIRED = ("community", "room")
ADDRESS_PART_MAX = 50
MONEY_MAX_DIGITS = 12  # integer digits; 1 000 000 000 000 元 is certainly a typing error

_NUMBER_RE = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_MIME_RE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def is_blank(value: object) -> bool:
    """Nothing entered: None, whitespace, an empty list, or a mapping of blanks."""
    if value is None:
        return True
    if isinstance(value, str):
        return not clean_text(value)
    if isinstance(value, list | tuple):
        return all(is_blank(v) for v in value)
    if isinstance(value, Mapping):
        return all(is_blank(v) for v in value.values())
    return False


def _limit(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def validate_text(field: FormField, raw: object) -> str | Invalid:
    if not isinstance(raw, str):
        return Invalid(msg.WRONG_KIND.format(label=field.label))
    text = clean_text(raw.replace("\r\n", "\n").replace("\t", " "))
    if not field.multiline:
        text = " ".join(text.split("\n"))
    if any(unicodedata.category(c) == "Cc" and c != "\n" for c in text):
        return Invalid(msg.TEXT_CONTROL.format(label=field.label))
    if field.max_length is not None and len(text) > field.max_length:
        return Invalid(msg.TEXT_TOO_LONG.format(label=field.label, max=field.max_length,
                                                n=len(text)))
    return text


def _parsed(parser: Callable[[str], str], raw: object, wrong_kind: str) -> str | Invalid:
    if not isinstance(raw, str):
        return Invalid(wrong_kind)
    try:
        return parser(raw)
    except (Unparsable, InvalidIdNumber) as e:
        return Invalid(e.message)


def validate_id_number(field: FormField, raw: object) -> str | Invalid:
    """Stored in 18-character form; a 15-digit number is upgraded."""
    return _parsed(lambda text: parse_id_number(text).number18, raw, msg.ID_CHARS)


def validate_phone(field: FormField, raw: object) -> str | Invalid:
    """Mobile -> "13812345678"; landline -> "027-84561234"."""
    return _parsed(parse_phone, raw, msg.PHONE_INVALID)


def validate_date(field: FormField, raw: object) -> str | Invalid:
    """Many spellings in, ISO 'YYYY-MM-DD' out; a date object (from a picker) is taken as is."""
    if isinstance(raw, _dt.datetime):
        raw = raw.date()
    if isinstance(raw, _dt.date):
        return raw.isoformat()
    return _parsed(lambda text: parse_date(text).isoformat(), raw, msg.DATE_FORMAT)


def validate_choice(field: FormField, raw: object) -> str | Invalid:
    value = clean_text(raw) if isinstance(raw, str) else str(raw)
    if value not in (field.options or ()):
        return Invalid(msg.CHOICE_UNKNOWN.format(value=value, label=field.label))
    return value


def validate_multi_choice(field: FormField, raw: object) -> list[str] | Invalid:
    """A list of options, returned in the catalogue's option order for a stable payload."""
    options = field.options or ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return Invalid(msg.MULTI_KIND.format(label=field.label))
    chosen: list[str] = []
    for item in raw:
        value = validate_choice(field, item)
        if isinstance(value, Invalid):
            return value
        if value in chosen:
            return Invalid(msg.MULTI_DUPLICATE.format(value=value))
        chosen.append(value)
    return [o for o in options if o in chosen]


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = normalize_digits(raw).lstrip("¥￥").removesuffix("元")
        if not _NUMBER_RE.match(text):
            return None
        value = Decimal(text.replace(",", ""))
    else:
        return None
    return value if value.is_finite() else None


def _range(field: FormField, value: Decimal) -> Invalid | None:
    if field.min is not None and value < Decimal(repr(field.min)):
        return Invalid(msg.NUMBER_TOO_SMALL.format(label=field.label, limit=_limit(field.min)))
    if field.max is not None and value > Decimal(repr(field.max)):
        return Invalid(msg.NUMBER_TOO_LARGE.format(label=field.label, limit=_limit(field.max)))
    return None


def validate_integer(field: FormField, raw: object) -> int | Invalid:
    value = _decimal(raw)
    if value is None or value != value.to_integral_value():
        return Invalid(msg.INTEGER_FORMAT.format(label=field.label))
    return _range(field, value) or int(value)


def validate_money(field: FormField, raw: object) -> str | Invalid:
    """Yuan with exactly two decimals, as a string so no float rounding ever touches it."""
    value = _decimal(raw)
    if value is None:
        return Invalid(msg.MONEY_FORMAT)
    if value < 0 and (field.min is None or field.min >= 0):
        return Invalid(msg.MONEY_NEGATIVE)
    if value.adjusted() >= MONEY_MAX_DIGITS:
        return Invalid(msg.MONEY_TOO_LARGE)
    cents = value.quantize(Decimal("0.01"))
    if cents != value:
        return Invalid(msg.MONEY_DECIMALS)
    return _range(field, value) or str(cents)


def validate_address(field: FormField, raw: object) -> dict[str, str] | Invalid:
    if not isinstance(raw, Mapping):
        return Invalid(msg.ADDRESS_KIND)
    unknown = sorted(str(k) for k in raw if k not in ADDRESS_PARTS)
    if unknown:
        return Invalid(msg.ADDRESS_UNKNOWN_PART.format(keys="、".join(unknown)))
    out: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for key, label in ADDRESS_PARTS.items():
        value = raw.get(key)
        text = halfwidth_alnum(clean_text(str(value))) if value is not None else ""
        if not text and key in ADDRESS_REQUIRED:
            problems.append((key, msg.ADDRESS_PART_REQUIRED.format(part=label)))
        elif len(text) > ADDRESS_PART_MAX:
            problems.append((key, msg.ADDRESS_PART_TOO_LONG.format(part=label,
                                                                   max=ADDRESS_PART_MAX)))
        out[key] = text
    return Invalid(msg.ADDRESS_INCOMPLETE, tuple(problems)) if problems else out


def validate_uscc(field: FormField, raw: object) -> str | Invalid:
    return _parsed(parse_uscc, raw, msg.WRONG_KIND.format(label=field.label))


def validate_bank_account(field: FormField, raw: object) -> str | Invalid:
    """12-19 digits; an integer (from a spreadsheet import) is read as its digits."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    return _parsed(parse_bank_account, raw, msg.BANK_CHARS)


def validate_attachment(field: FormField, raw: object) -> dict[str, object] | Invalid:
    """The reference to a stored scan: content hash, original name, size in bytes, type."""
    if not isinstance(raw, Mapping) or set(raw) != {"sha256", "filename", "size", "mime"}:
        return Invalid(msg.ATTACHMENT_KIND)
    sha, name, size, mime = raw["sha256"], raw["filename"], raw["size"], raw["mime"]
    if not isinstance(sha, str) or not _SHA256_RE.match(sha.lower()):
        return Invalid(msg.ATTACHMENT_HASH)
    name = clean_text(name) if isinstance(name, str) else ""
    if (not name or name in (".", "..") or len(name) > 255 or any(c in name for c in "/\\")
            or any(unicodedata.category(c) == "Cc" for c in name)):
        return Invalid(msg.ATTACHMENT_NAME)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        return Invalid(msg.ATTACHMENT_SIZE)
    if not isinstance(mime, str) or not _MIME_RE.match(mime.strip().lower()):
        return Invalid(msg.ATTACHMENT_MIME)
    return {"sha256": sha.lower(), "filename": name, "size": size, "mime": mime.strip().lower()}


VALIDATORS: Mapping[FieldType, Validator] = {
    FieldType.TEXT: validate_text,
    FieldType.ID_NUMBER: validate_id_number,
    FieldType.PHONE: validate_phone,
    FieldType.DATE: validate_date,
    FieldType.CHOICE: validate_choice,
    FieldType.MULTI_CHOICE: validate_multi_choice,
    FieldType.INTEGER: validate_integer,
    FieldType.MONEY: validate_money,
    FieldType.ADDRESS: validate_address,
    FieldType.USCC: validate_uscc,
    FieldType.BANK_ACCOUNT: validate_bank_account,
    FieldType.ATTACHMENT: validate_attachment,
}


def validate_value(field: FormField, raw: object) -> object:
    """Dispatch on the field type; repeating groups are validated by ``forms``."""
    if field.type is FieldType.GROUP:
        raise TypeError("repeating groups are validated by forms.validate_form")
    return VALIDATORS[field.type](field, raw)


# What a bare number in each address part means when read aloud or printed: "5" is 5栋.
_ADDRESS_UNITS = {"building": "栋", "unit": "单元", "room": "室"}
_HAS_UNIT = re.compile(r"(栋|幢|座|号楼|楼|单元|室|号|户)$")


def address_line(parts: Mapping[str, object]) -> str:
    """An address as people write it: 七里一村5栋2单元301室 (units added to bare numbers)."""
    out = []
    for key in ADDRESS_PARTS:
        text = str(parts.get(key) or "").strip()
        if not text:
            continue
        unit = _ADDRESS_UNITS.get(key, "")
        if unit and not _HAS_UNIT.search(text):
            text += unit
        out.append(text)
    return "".join(out)
