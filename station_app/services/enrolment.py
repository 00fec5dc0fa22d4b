"""Read the enrolment string the district prints (``redstation://enroll?station=…``).

`district-backend enroll` prints it as text and as a QR code; a scanner at the station types
it into the first-run screen, or a worker pastes it. Reading it here keeps the screen simple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from station_app.wire.patterns import STATION_ID_PATTERN

SCHEME = "redstation"
_STATION_RE = re.compile(STATION_ID_PATTERN)


class EnrolmentError(ValueError):
    """The text is an enrolment string, but an unusable one; the message says why."""


@dataclass(frozen=True)
class Enrolment:
    station_id: str
    secret: str
    backend_url: str | None


def looks_like_enrolment(text: str) -> bool:
    return text.strip().lower().startswith(f"{SCHEME}://")


def parse_enrolment(text: str) -> Enrolment:
    """Station id, secret and (if present) backend URL from a scanned or pasted string."""
    text = text.strip()
    if not looks_like_enrolment(text):
        raise EnrolmentError("不是登记串：应以 redstation://enroll? 开头")
    parts = urlsplit(text)
    if parts.netloc.lower() != "enroll":
        raise EnrolmentError(f"无法识别的登记串类型：{parts.netloc or '（空）'}")
    query = parse_qs(parts.query, keep_blank_values=True)

    def one(key: str) -> str | None:
        values = query.get(key)
        return values[0].strip() if values and values[0].strip() else None

    station, secret, backend = one("station"), one("secret"), one("backend")
    if station is None or secret is None:
        raise EnrolmentError("登记串不完整：缺少站点编号或密钥，请重新扫码")
    if not _STATION_RE.match(station):
        raise EnrolmentError(f"登记串中的站点编号 {station} 无效")
    if backend is not None and not backend.startswith(("http://", "https://")):
        raise EnrolmentError("登记串中的后台地址须以 http:// 或 https:// 开头")
    return Enrolment(station, secret, backend)
