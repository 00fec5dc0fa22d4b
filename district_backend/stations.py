"""Station enrolment and secret storage.

The backend must be able to recompute HMACs, so it keeps each secret itself (a hash would
not do). Secrets are sealed with AES-256-GCM under a key kept in a 0600 file beside the
data, bound to the station id as associated data, so a database dump alone reveals nothing
and a sealed secret cannot be moved to another station's row. Secrets are never logged.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, select
from sqlmodel import Session

from district_backend.db import iso_utc
from district_backend.models import AdminEvent, Station, metadata
from station_app.wire.patterns import STATION_ID_PATTERN
from station_app.wire.signing import new_secret

KEY_FILE = "station-secrets.key"
NAME_MAX = 100  # Station.name's column length
_STATION_RE = re.compile(STATION_ID_PATTERN)
STATIONS = metadata.tables[Station.__tablename__]


class StationError(Exception):
    """An enrolment request that cannot be carried out; the message is for the operator."""


class SecretBox:
    """Seals station secrets; with no key (tests, throwaway servers) they are stored plain."""

    def __init__(self, key: bytes | None) -> None:
        if key is not None and len(key) != 32:
            raise ValueError("secret key must be 32 bytes")
        self._aead = AESGCM(key) if key is not None else None

    def seal(self, station_id: str, secret: str) -> str:
        if self._aead is None:
            return "plain:" + secret
        nonce = os.urandom(12)
        ct = self._aead.encrypt(nonce, secret.encode("utf-8"), _aad(station_id))
        return "aesgcm:" + base64.urlsafe_b64encode(nonce + ct).decode("ascii")

    def open(self, station_id: str, sealed: str) -> str:
        kind, _, data = sealed.partition(":")
        if kind == "plain":
            return data
        if kind != "aesgcm" or self._aead is None:
            raise StationError(f"站点 {station_id} 的密钥已加密，但服务器没有可用的解密密钥文件")
        try:
            raw = base64.urlsafe_b64decode(data)
            return self._aead.decrypt(raw[:12], raw[12:], _aad(station_id)).decode("utf-8")
        except (ValueError, InvalidTag):
            raise StationError(f"站点 {station_id} 的密钥无法解密：密钥文件与数据库不配套"
                               ) from None


def _aad(station_id: str) -> bytes:
    return b"red-station/station-secret/" + station_id.encode("utf-8")


def load_or_create_key(path: Path) -> bytes:
    """Read the sealing key, creating it (mode 0600, never overwritten) on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_key(path)
    key = os.urandom(32)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(key).decode("ascii") + "\n")
        f.flush()
        os.fsync(f.fileno())
    return key


def read_key(path: Path) -> bytes:
    """Read an existing sealing key. Server workers use this, never the creating variant:
    the parent process made the key before starting them, so they all read the same one."""
    try:
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise StationError(f"密钥文件 {path} 已损坏")
    return key


def enroll(engine: Engine, box: SecretBox, station_id: str, name: str, *, now: float,
           rotate: bool = False, actor: str = "system") -> str:
    """Register a station (or issue it a new secret with rotate=True); return the secret.
    ``actor`` is recorded in the admin log with the change."""
    if not _STATION_RE.match(station_id):
        raise StationError(f"站点编号 {station_id!r} 无效：须为 2–16 位大写字母或数字，如 QDK01")
    if len(name) > NAME_MAX:  # SQLite would store it, PostgreSQL refuse it: check it here
        raise StationError(f"站点名称最多 {NAME_MAX} 个字，本次 {len(name)} 个字")
    secret = new_secret()
    with Session(engine) as session, session.begin():
        station = session.get(Station, station_id, with_for_update=True)
        if station is not None and not rotate:
            raise StationError(f"站点 {station_id} 已登记；如需重新发放密钥请加 --rotate")
        if station is None:
            if rotate:
                raise StationError(f"站点 {station_id} 尚未登记，无法更换密钥")
            station = Station(id=station_id, name=name or station_id, secret_sealed="",
                              enrolled_at=iso_utc(now))
        station.secret_sealed = box.seal(station_id, secret)
        if name:
            station.name = name
        session.add(station)
        session.add(AdminEvent(at=iso_utc(now), actor=actor,
                               action="station.rotated" if rotate else "station.enrolled",
                               subject=station_id, detail=name))
    return secret


def sealed_secret(session: Session, station_id: str) -> str | None:
    """The station's secret as sealed in its row (:meth:`SecretBox.open` opens it), or None
    when no such station is enrolled."""
    return session.connection().execute(
        select(STATIONS.c.secret_sealed).where(STATIONS.c.id == station_id)).scalar_one_or_none()
