"""Demo cases hold the same promises as real ones: valid forms, outbox rows, consistent states.

They feed the 办件 screen tests and the benchmark, so a broken invariant here would make those
tests prove nothing.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.forms import FormSpec, validate_form
from station_app.domain.idcard import age_on, parse_id_number
from station_app.domain.lifecycle import CaseStatus, can_transition
from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.services.intake import open_form
from station_app.services.saving import wire_submission
from station_app.store.engine import session_scope
from station_app.store.models import OutboxEntry, Submission
from station_app.store.outbox import body_digest
from station_app.store.refs import normalise_ref, tracking_ref_for
from station_app.wire.canonical import canonical_json

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # a Wednesday, 16:00 in Wuhan
N = 1500


def _open(path: Path) -> StationContext:
    return open_station(path, clock=lambda: NOW)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StationContext]:
    ctx = _open(tmp_path_factory.mktemp("demo") / "station")
    assert fill_demo_cases(ctx, N, seed=5) == N
    yield ctx
    ctx.close()


def _rows(ctx: StationContext, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"{ctx.db_path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def test_every_payload_passes_the_real_form_validation(demo: StationContext) -> None:
    with session_scope(demo.engine) as s:
        subs = list(s.exec(select(Submission)).all())
        forms: dict[str, FormSpec] = {}
        for sub in subs:
            code = sub.bundle_code or sub.item_code
            form = forms.setdefault(code, open_form(demo, code))
            result = validate_form(form, sub.payload)
            assert result.errors == {}, (sub.tracking_ref, code)
            assert result.cleaned == sub.payload
            assert sub.tracking_ref == tracking_ref_for(sub.id)
            assert normalise_ref(sub.tracking_ref) == sub.tracking_ref


def test_id_numbers_are_valid_and_elderly_items_have_elderly_applicants(
        demo: StationContext) -> None:
    ages: dict[str, list[int]] = {}
    for code, created, payload in _rows(demo, "SELECT item_code, created_at, payload "
                                              "FROM submission WHERE bundle_code IS NULL"):
        parsed = parse_id_number(json.loads(str(payload))["id_number"])
        day = datetime.fromisoformat(str(created)).astimezone(CHINA_TZ).date()
        ages.setdefault(str(code), []).append(age_on(parsed.birth_date, day))
    assert min(ages["RS04"]) >= 55 and max(ages["RS04"]) <= 93
    assert min(ages["LL27"]) >= 60
    area = Counter(p[:6] for (p,) in _rows(
        demo, "SELECT json_extract(payload, '$.id_number') FROM submission"))
    assert area.most_common(1)[0][0] == "420105"  # 汉阳


def test_frequent_items_lead_and_dates_span_four_months(demo: StationContext) -> None:
    top = [c for c, _ in _rows(demo, "SELECT item_code, COUNT(*) FROM submission "
                                     "GROUP BY item_code ORDER BY 2 DESC LIMIT 2")]
    assert top == ["RS04", "LL27"]
    first, last = _rows(demo, "SELECT MIN(created_at), MAX(created_at) FROM submission")[0]
    span = datetime.fromisoformat(str(last)) - datetime.fromisoformat(str(first))
    assert 100 <= span.days <= 120
    assert datetime.fromisoformat(str(last)) <= NOW


def test_outbox_and_states_keep_the_store_invariants(demo: StationContext) -> None:
    rows = _rows(demo, """
        SELECT s.sync_state, o.state, s.receipt_no IS NOT NULL, o.acked_at IS NOT NULL,
               s.status, s.attention_reason IS NOT NULL, COUNT(*)
        FROM submission s JOIN outbox o ON o.submission_id = s.id GROUP BY 1, 2, 3, 4, 5, 6""")
    assert sum(int(str(r[-1])) for r in rows) == N  # every case has exactly its outbox row
    seen = Counter[str]()
    for sync, state, has_receipt, acked, status, has_reason, n in rows:
        seen[str(sync)] += int(str(n))
        if sync == "synced":
            assert (state, has_receipt, acked, has_reason) == ("acked", 1, 1, 0)
            assert status in ("受理", "审核中", "补正材料", "已办结", "不予受理", "已领取")
        else:
            assert (has_receipt, acked, status) == (0, 0, None)
            assert state == ("needs_attention" if sync == "needs_attention" else "pending")
            assert has_reason == (sync == "needs_attention")
    assert seen["synced"] > 0.9 * N
    assert 0 < seen["needs_attention"] < 0.05 * N
    assert 0 < seen["queued"] < 0.05 * N
    rated = _rows(demo, "SELECT COUNT(*) FROM submission WHERE rating IS NOT NULL")[0][0]
    assert 0.1 * N < int(str(rated)) < 0.6 * N


def test_outbox_bodies_are_the_wire_bytes_of_the_stored_case(demo: StationContext) -> None:
    with session_scope(demo.engine) as s:
        pairs = s.exec(select(Submission, OutboxEntry)
                       .where(Submission.id == OutboxEntry.submission_id).limit(200)).all()
        for sub, entry in pairs:
            assert entry.body == canonical_json(wire_submission(sub))
            assert entry.body_sha256 == body_digest(entry.body)


def test_history_follows_the_district_workflow(demo: StationContext) -> None:
    timelines: dict[str, list[str]] = {}
    for sid, status in _rows(demo, "SELECT submission_id, status FROM status_history "
                                   "ORDER BY submission_id, at, id"):
        timelines.setdefault(str(sid), []).append(str(status))
    assert len(timelines) == N
    current = dict(_rows(demo, "SELECT id, status FROM submission"))
    for sid, steps in timelines.items():
        assert steps[0] == "已保存"
        district = [s for s in steps if s not in ("已保存", "需处理")]
        if not district:
            assert current[sid] is None
            continue
        assert district[0] == "受理" and district[-1] == current[sid]
        for before, after in itertools.pairwise(district):
            assert can_transition(CaseStatus(before), CaseStatus(after)), (sid, steps)


def test_same_seed_same_cases_and_a_second_fill_adds_more(tmp_path: Path) -> None:
    a, b = _open(tmp_path / "a"), _open(tmp_path / "b")
    try:
        fill_demo_cases(a, 40, seed=9)
        fill_demo_cases(b, 40, seed=9)
        sql = "SELECT id, payload, status, receipt_no FROM submission ORDER BY id"
        assert _rows(a, sql) == _rows(b, sql)
        fill_demo_cases(a, 40, seed=9)  # more of the same station, no clash
        assert _rows(a, "SELECT COUNT(*) FROM submission")[0][0] == 80
        dup = _rows(a, "SELECT COUNT(*) - COUNT(DISTINCT receipt_no) FROM submission "
                       "WHERE receipt_no IS NOT NULL")[0][0]
        assert dup == 0
    finally:
        a.close()
        b.close()


def test_receipt_numbers_leave_the_districts_own_numbers_free(demo: StationContext) -> None:
    today = date(2026, 11, 25).strftime("%Y%m%d")
    seqs = [int(str(r).rsplit("-", 1)[1]) for (r,) in _rows(
        demo, f"SELECT receipt_no FROM submission WHERE receipt_no LIKE '%-{today}-%'")]
    assert seqs and min(seqs) > 7000


def test_demo_data_command_prints_a_summary_and_encrypts_a_new_folder(tmp_path: Path) -> None:
    def run(folder: Path, *extra: str) -> list[str]:
        res = subprocess.run([sys.executable, "-m", "station_app.cli", "--data-dir",
                              str(folder), "demo-data", "--cases", "25", "--seed", "2", *extra],
                             capture_output=True, text=True, timeout=120, check=False)
        assert res.returncode == 0, res.stderr
        return res.stdout.strip().splitlines()

    lines = run(tmp_path / "d")
    assert lines[0].startswith("数据已加密") and "已生成 25 件演示办件" in lines[-1]
    assert len(lines) == 2
    locked = sqlite3.connect(tmp_path / "d" / "station.db")
    try:
        with pytest.raises(sqlite3.DatabaseError):  # not readable without the key
            locked.execute("SELECT COUNT(*) FROM outbox").fetchone()
    finally:
        locked.close()
    lines = run(tmp_path / "clear", "--no-encrypt")  # for tools that read the file
    assert len(lines) == 1 and "已生成 25 件演示办件" in lines[0]
    conn = sqlite3.connect(tmp_path / "clear" / "station.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 25
    finally:
        conn.close()
