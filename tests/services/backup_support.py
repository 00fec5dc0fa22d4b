"""Shared by the backup and restore tests: a station folder with real cases, a clock the test
moves, and the ways a database file gets damaged in the field."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station_app.services.context import StationContext, open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.services.security import Unlocked, secure_station
from station_app.store.engine import raw_connect
from station_app.vault.keyfile import CHEAP_PROFILE
from station_app.vault.keys import DataKey

PASSWORD = "hanyang-2026"
NAME, ID_NUMBER, PHONE = "欧阳秀英", "420105195803150026", "13971234567"
DAMAGE = ("empty", "missing", "truncated", "garbage")


@dataclass
class FakeClock:
    """The station's clock, moved by the test: 09:00 China time on Monday 2 March 2026."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def secured(data: Path) -> Unlocked:
    """A new encrypted station folder and its first administrator (A001)."""
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                              profile=CHEAP_PROFILE)
    return admin


def open_at(data: Path, clock: FakeClock, key: DataKey | None) -> StationContext:
    return open_station(data, key=key, clock=clock, operator="王芳（A001）")


def save_cases(ctx: StationContext, n: int) -> list[str]:
    """Save ``n`` cases naming the same resident (so a byte scan has something to find)."""
    return [save_submission(ctx.engine, NewSubmission(
        item_code="RS04", catalogue_version="2026.11.1", form_version="1",
        payload={"姓名": NAME, "身份证号": ID_NUMBER, "手机": PHONE, "备注": "材料齐全" * 20},
        operator="A001", materials=["居民身份证"],
        applicant=ApplicantIndex.of(NAME, ID_NUMBER, ctx.index_key))).tracking_ref
        for _ in range(n)]


def refs_in(db: Path, key: DataKey | None) -> set[str]:
    conn = raw_connect(db, key=None if key is None else key.sqlcipher_key(), readonly=True)
    try:
        return {str(r[0]) for r in conn.execute("SELECT tracking_ref FROM submission")}
    finally:
        conn.close()


def damage(db: Path, how: str) -> None:
    """What a failed copy, a full disk or a stray tool leaves behind."""
    if how == "empty":
        db.write_bytes(b"")  # : > station.db
    elif how == "missing":
        db.unlink()
    elif how == "truncated":
        # truncate -s 200000 station.db: cuts the case rows, keeps the schema's pages (the
        # schema grows with each migration; 0006 took it past 100000 bytes)
        os.truncate(db, 200000)
    elif how == "garbage":
        db.write_bytes(random.Random(3).randbytes(db.stat().st_size))
    else:
        raise ValueError(how)


def clear_text_hits(folder: Path) -> list[str]:
    needles = [s.encode(enc) for s in (NAME, ID_NUMBER, PHONE) for enc in ("utf-8", "utf-16-le")]
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and any(n in p.read_bytes() for n in needles)]
