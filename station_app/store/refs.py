"""Identifiers and privacy-preserving index values for submissions.

``tracking_ref`` format: ``HY`` + the Beijing date of the submission (``YYMMDD``) + ``-`` +
8 Crockford base32 characters (40 random bits) taken from the submission's UUIDv7, e.g.
``HY250314-7K3M9Q2X``. It is a pure function of the id, so it needs no counter and no
station code, never changes on retry, and can be printed on the receipt before the district
has answered. The date helps a person reading it aloud; Crockford's alphabet avoids I/L/O/U,
and the sparse space (2^40 per day) means a mistyped ref practically never names another case.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from datetime import datetime
from urllib.parse import unquote

import uuid6

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.masking import mask_name

__all__ = [
    "id_last4", "id_lookup_hmac", "mask_name", "new_submission_id",
    "normalise_id_number", "normalise_ref", "tracking_ref_for",
]

REF_PREFIX = "HY"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_REF_RE = re.compile(r"^HY(\d{6})([0-9A-HJKMNP-TV-Z]{8})$")
_REF_IN_URL = re.compile(r"(?<![0-9A-Z])HY\d{6}-?[0-9A-Z]{8}(?![0-9A-Z])")


def new_submission_id() -> str:
    """A fresh time-ordered client id (UUIDv7), as the canonical 36-character text."""
    return str(uuid6.uuid7())


def tracking_ref_for(submission_id: str) -> str:
    """The human-readable reference printed on the receipt, derived from a UUIDv7 id."""
    value = uuid.UUID(submission_id)
    if value.version != 7:
        raise ValueError(f"{submission_id} is not a UUIDv7")
    bits = value.int
    millis = bits >> 80
    rand_a = (bits >> 64) & 0xFFF
    rand_b_top = (bits & ((1 << 62) - 1)) >> 34
    code = (rand_a << 28) | rand_b_top
    chars = "".join(_CROCKFORD[(code >> shift) & 31] for shift in range(35, -1, -5))
    try:
        day = datetime.fromtimestamp(millis / 1000, tz=CHINA_TZ).strftime("%y%m%d")
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"{submission_id}: timestamp beyond the calendar") from exc
    return f"{REF_PREFIX}{day}-{chars}"


def normalise_ref(text: str) -> str | None:
    """Canonical ref from what a person typed or a scanner read; ``None`` if it cannot be one.

    A receipt's QR code may hold the case's progress page (``https://…/q/HY…``): scanned at the
    counter, the reference at the end of that address is the one meant."""
    if text.strip().lower().startswith(("http://", "https://")):
        found = _REF_IN_URL.findall(unquote(text).upper())
        text = found[-1] if found else ""
    compact = re.sub(r"[\s\-_.]", "", text).upper()
    if not compact.startswith(REF_PREFIX):
        return None
    compact = REF_PREFIX + compact[len(REF_PREFIX):].translate(_CONFUSABLE)
    match = _REF_RE.match(compact)
    if match is None:
        return None
    return f"{REF_PREFIX}{match.group(1)}-{match.group(2)}"


def normalise_id_number(id_number: str) -> str:
    """Upper-case and strip an ID number so equal numbers give equal index values."""
    return re.sub(r"\s", "", id_number).upper()


def id_lookup_hmac(id_number: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the full ID number: exact lookup without the number in an index."""
    if len(key) < 16:
        raise ValueError("the ID lookup key must be at least 16 bytes")
    data = normalise_id_number(id_number).encode("utf-8")
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def id_last4(id_number: str) -> str:
    """The last four characters of the ID number, for search by last digits."""
    return normalise_id_number(id_number)[-4:]


