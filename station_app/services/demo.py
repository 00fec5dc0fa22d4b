"""Demo cases: a station's last four months, for newcomers, screenshots, tests and benchmarks.

Each case is filled like a real one (the catalogue's form, the real validation, the materials
the form asks for) and built like one: the row and the exact wire bytes come from
``services.saving`` (``build_row``, ``outbox_body``), as at the counter. What happened since
(acknowledgement with a receipt number, district statuses, a failed send waiting for the sync
backoff) is drawn by ``demo_timeline``, and the store writes it all with
``store.bulk.insert_cases`` in large transactions, because a benchmark needs 100,000 cases in
seconds, not hours.

:func:`queue_demo_cases` makes cases that are still waiting to be sent (saved since yesterday,
never tried), with a real file behind every scan their forms require, so that IT can rehearse
a roll-out or load-test a test backend: a sync delivers them like the counter's own.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from station_app.domain.catalogue import FieldType
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.forms import FormSpec, materials_needed, validate_form
from station_app.domain.lifecycle import SyncState
from station_app.domain.workdays import CalendarOutOfRange
from station_app.services.attachments import store_attachment_bytes
from station_app.services.context import StationContext
from station_app.services.demo_fields import FieldFiller
from station_app.services.demo_people import make_person
from station_app.services.demo_timeline import (
    COLLECTED,
    COMPLETED,
    OFFLINE_ERROR,
    Timeline,
    timeline,
)
from station_app.services.intake import bundle_code_of, open_form, promise
from station_app.services.saving import ApplicantIndex, NewSubmission, build_row, outbox_body
from station_app.store.audit import append_audit
from station_app.store.bulk import CaseRows, Delivery, insert_cases
from station_app.store.engine import session_scope
from station_app.store.models import OutboxState, Submission
from station_app.sync.backoff import BackoffPolicy

DAYS_BACK = 120
QUEUED_DAYS = 2  # queued demo cases were saved since yesterday (the line went down)
CHUNK = 5000
DEFAULT_STATION_ID = "QDK01"
RECEIPT_BASE = 7000
OPERATORS = ("刘晓燕", "陈志刚", "王丽萍", "胡俊")
# The counter's everyday work: annual reviews of pensioners and 老年证 holders first.
WEIGHTS: dict[str, float] = {
    "RS04": 26, "LL27": 20, "YB10": 9, "RS03": 7, "YB12": 6, "WJ47": 3, "LL25": 3, "LL26": 2.5,
    "RS06": 2.5, "RS08": 2, "RS07": 2, "YB13": 2, "MZ28": 2, "MZ31": 2, "YB11": 1.5, "JW52": 1.5,
    "RS01": 1.5, "MZ30": 1, "RS41": 1, "BD01": 1, "BD02": 0.5, "BD05": 0.3,
}
OTHER_WEIGHT = 0.4
# Ages of the applicants of an item (the applicant of CL40 is the child).
AGES: dict[str, tuple[int, int]] = {
    "RS04": (55, 92), "LL27": (60, 92), "LL25": (60, 66), "LL26": (62, 90), "MZ28": (80, 99),
    "MZ29": (100, 104), "MZ30": (70, 92), "MZ31": (65, 92), "MZ32": (65, 92), "RS02": (60, 65),
    "RS08": (58, 90), "RS09": (65, 95), "BD01": (60, 64), "BD05": (65, 95), "YB10": (0, 80),
    "BD02": (0, 0), "CL40": (1, 12), "WJ45": (22, 38), "WJ46": (50, 75), "YB12": (18, 85),
    "WJ47": (30, 90), "ZB36": (22, 40), "RS44": (20, 50), "RS41": (20, 55), "RS42": (40, 58),
    "RS43": (22, 58), "RS05": (22, 58), "MZ23": (55, 75), "TY49": (40, 85),
}
RATING_WEIGHTS = ((5, 70), (4, 20), (3, 6), (2, 3), (1, 1))
BACKOFF = BackoffPolicy()  # the sync engine's default retry timing


@dataclass(frozen=True)
class _Plan:
    """What one code (item or bundle) needs: its form, weight and applicant ages."""

    code: str
    form: FormSpec
    bundle_code: str | None
    ages: tuple[int, int]
    has_scan: bool  # a required scanned attachment: the demo has no file to upload


def _plans(ctx: StationContext) -> list[tuple[_Plan, float]]:
    codes = list(ctx.catalogue.items) + [b.code for b in ctx.catalogue.header.bundles]
    out = []
    for code in codes:
        form = open_form(ctx, code)
        required_scan = any(f.type is FieldType.ATTACHMENT and f.required for f in form.fields)
        plan = _Plan(code, form, bundle_code_of(ctx, form), AGES.get(code, (25, 70)),
                     required_scan)
        out.append((plan, WEIGHTS.get(code, OTHER_WEIGHT)))
    return out


def _uuid7(rng: random.Random, at: datetime) -> str:
    """A UUIDv7 whose timestamp is ``at`` (so the tracking ref carries the case's day)."""
    millis = int(at.timestamp() * 1000)
    value = (millis << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) \
        | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def _creation_times(ctx: StationContext, rng: random.Random, n: int, now: datetime,
                    days_back: int = DAYS_BACK) -> list[datetime]:
    """Times spread over the last ``days_back`` days (at least 2, so that some lie before
    ``now``), in opening hours, mostly on working days."""
    today = now.astimezone(CHINA_TZ).date()
    days = [today - timedelta(days=i) for i in range(max(days_back, 2))]
    cal = ctx.calendar

    def open_day(d: date) -> bool:
        try:
            return cal.is_working_day(d)
        except CalendarOutOfRange:  # a year the holiday data does not know yet
            return d.weekday() < 5

    weights = [1.0 if open_day(d) else 0.12 if d.weekday() == 5 else 0.02 for d in days]
    out: list[datetime] = []
    while len(out) < n:
        day = rng.choices(days, weights=weights)[0]
        start = time(8, 30) if rng.random() < 0.62 else time(14, 0)
        at = datetime.combine(day, start, tzinfo=CHINA_TZ) + timedelta(
            seconds=rng.uniform(0, 3.5 * 3600))
        at = at.replace(microsecond=at.microsecond // 1000 * 1000).astimezone(UTC)
        if at < now:
            out.append(at)
    out.sort()
    return out


class _Receipts:
    """District receipt numbers in the district's format, continuing any already stored.

    Each day's numbers start at ``RECEIPT_BASE + 1``: in ``--demo`` mode the reference
    backend numbers today's real submissions from 0001, and the two must never collide
    (the store keeps receipt numbers unique).
    """

    def __init__(self, session: Session, station_id: str) -> None:
        self.prefix = f"HY-{station_id}-"
        self.last: dict[str, int] = {}
        like = col(Submission.receipt_no).like(self.prefix + "%")
        for no in session.exec(select(Submission.receipt_no).where(like)).all():
            day, _, seq = str(no).removeprefix(self.prefix).partition("-")
            if seq.isdigit():
                self.last[day] = max(self.last.get(day, 0), int(seq))

    def next(self, at: datetime) -> str:
        """The next number of the Beijing day of ``at``."""
        day = at.astimezone(CHINA_TZ).strftime("%Y%m%d")
        self.last[day] = self.last.get(day, RECEIPT_BASE) + 1
        return f"{self.prefix}{day}-{self.last[day]:04d}"


class _Maker:
    """Builds the rows of one case; keeps the caches that make 100,000 cases fast."""

    def __init__(self, ctx: StationContext, rng: random.Random, now: datetime) -> None:
        self.ctx, self.rng, self.now = ctx, rng, now
        plans = _plans(ctx)
        self.plans = [p for p, _ in plans]
        self.cum: list[float] = []
        total = 0.0
        for _, w in plans:
            total += w
            self.cum.append(total)
        self._promises: dict[tuple[object, ...], date | None] = {}

    def promised(self, form: FormSpec, day: date) -> date | None:
        """The intake's promise; items with the same handling share a cache entry."""
        codes = form.item_codes
        if len(codes) == 1:
            h = self.ctx.catalogue.item(codes[0]).handling
            key: tuple[object, ...] = (h.type, h.days, day)
        else:
            key = (codes, day)
        if key not in self._promises:
            self._promises[key] = promise(self.ctx, codes, day)[0]
        return self._promises[key]

    def case(self, created: datetime, receipts: _Receipts, *, queued: bool = False) -> CaseRows:
        """One case: saved as the counter saves it, then what happened to it (``queued``:
        nothing yet; its scans are stored as files, ready to be uploaded)."""
        rng, ctx = self.rng, self.ctx
        plan = rng.choices(self.plans, cum_weights=self.cum)[0]
        day = created.astimezone(CHINA_TZ).date()
        person = make_person(rng, day, *plan.ages)
        values = FieldFiller(rng, person, day).values(plan.form)
        if queued:
            values = _with_stored_scans(ctx, values)
        result = validate_form(plan.form, values)
        if not result.ok:  # a generator bug, never something to hide
            raise AssertionError(f"demo {plan.code} invalid: {result.errors}")
        needed = materials_needed(ctx.catalogue, plan.form, values)
        ticked = [m.name for _, m in needed if m.required or rng.random() < 0.5]
        sub_id = _uuid7(rng, created)
        item = ctx.catalogue.item(plan.form.item_codes[0])
        tl = Timeline(SyncState.QUEUED, created) if queued else timeline(
            rng, item, created, self.now, receipts.next, may_fail=not plan.has_scan)
        rating = rng.choices(*zip(*RATING_WEIGHTS, strict=True))[0] \
            if tl.status in (COMPLETED, COLLECTED) and rng.random() < 0.4 else None
        sub = build_row(NewSubmission(
            item_code=item.code, bundle_code=plan.bundle_code,
            catalogue_version=ctx.catalogue.version,
            form_version=".".join(str(plan.form.form_versions[c]) for c in plan.form.item_codes),
            payload=result.cleaned, materials=list(dict.fromkeys(ticked)),
            applicant=ApplicantIndex.of(person.name, person.id_number, ctx.index_key),
            promised_date=self.promised(plan.form, day), operator=rng.choice(OPERATORS),
        ), sub_id, created)
        body = outbox_body(sub)
        sub.status, sub.receipt_no, sub.attention_reason = (
            tl.status, tl.receipt_no, tl.attention_reason)
        sub.rating, sub.updated_at = rating, tl.last_change
        return CaseRows(sub, body, self.delivery(tl), tl.events)

    def delivery(self, tl: Timeline) -> Delivery:
        """The outbox entry as the sync engine would have left it: acked, set aside, or still
        pending with its failed attempts counted and the next one scheduled by the engine's
        own backoff."""
        if tl.sync_state is SyncState.SYNCED:
            return Delivery(OutboxState.ACKED, acked_at=tl.acked_at)
        if tl.sync_state is SyncState.NEEDS_ATTENTION:
            return Delivery(OutboxState.NEEDS_ATTENTION, last_error=tl.attention_reason)
        if not tl.attempts:
            return Delivery()
        wait = BACKOFF.delay(tl.attempts, self.rng.random)
        return Delivery(attempts=tl.attempts, last_error=OFFLINE_ERROR,
                        next_attempt_at=self.now + timedelta(seconds=wait))


def fill_demo_cases(ctx: StationContext, n: int, seed: int = 0) -> int:
    """Add ``n`` demo cases to the station's database; returns how many were written.

    The same seed, clock and starting database give the same cases. A database that already
    holds cases gets further ones (the seed is combined with the number already stored).
    """
    return _fill(ctx, n, seed, queued=False)


def queue_demo_cases(ctx: StationContext, n: int, seed: int = 0) -> int:
    """Add ``n`` demo cases waiting to be sent (never tried, due now); returns how many.

    They are spread over the opening hours since yesterday, and every scan their forms
    require is a real (small) file in the station's attachment store, so a sync uploads it
    and delivers the case. Raises ``AttachmentError`` when a scan cannot be stored.
    """
    return _fill(ctx, n, seed, queued=True)


def _fill(ctx: StationContext, n: int, seed: int, *, queued: bool) -> int:
    if n < 0:
        raise ValueError("n must not be negative")
    now = ctx.clock()
    with session_scope(ctx.engine) as s:
        existing = int(s.exec(select(func.count()).select_from(Submission)).one())
        receipts = _Receipts(s, ctx.settings.station_id or DEFAULT_STATION_ID)
    kind = "demo-queued" if queued else "demo"
    rng = random.Random(f"red-station-{kind}:{seed}:{existing}")
    maker = _Maker(ctx, rng, now)
    times = _creation_times(ctx, rng, n, now, QUEUED_DAYS if queued else DAYS_BACK)
    for start in range(0, n, CHUNK):
        insert_cases(ctx.engine, (maker.case(t, receipts, queued=queued)
                                  for t in times[start:start + CHUNK]))
    with session_scope(ctx.engine) as s:
        append_audit(s, ctx.operator, "demo.generated", None,
                     {"queued" if queued else "cases": n, "seed": seed})
    return n


_REF_KEYS = frozenset({"sha256", "filename", "size", "mime"})


def _with_stored_scans(ctx: StationContext, value: object) -> Any:
    """``value`` with every attachment reference replaced by one to a stored demo scan."""
    if isinstance(value, dict):
        if set(value) == _REF_KEYS:
            stem = str(value["filename"]).rsplit(".", 1)[0]
            data = (f"%PDF-1.4\n% 演示扫描件（非真实材料）：{stem} {value['sha256']}\n%%EOF\n"
                    ).encode()
            return store_attachment_bytes(ctx.data_dir, data, f"{stem}.pdf", "application/pdf")
        return {k: _with_stored_scans(ctx, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_stored_scans(ctx, v) for v in value]
    return value
