"""Set-based ingest, on SQLite and PostgreSQL: a batch is stored in a fixed number of
statements, yet every item gets the answer the item-by-item path would give it (new, stored
duplicate or conflict, the same id twice in one batch, rejected, retry), receipts of one batch
are consecutive, and a poison item still sends the batch item by item, where it is rejected
alone. Ingest is driven directly on a real database, so its statements can be counted."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from district_backend.attachments import AttachmentStore
from district_backend.catalogue import CatalogueSource
from district_backend.db import china_day, make_engine
from district_backend.ingest import ITEM_FAILED, Ingest, receipt_number
from district_backend.stations import SecretBox, enroll
from station_app.domain.catalogue_loader import Catalogue
from station_app.wire.protocol import PushEnvelope, PushItemResult
from tests.helpers.backend import new_submission
from tests.helpers.backend_faults import fail_insert
from tests.helpers.catalogue import write_test_catalogue
from tests.helpers.postgres import backend_database
from tests.helpers.statements import recorded
from tests.helpers.sync_harness import backend_received

NOW = time.time()
SCAN = b"scan of an id card"
SCAN_SHA = hashlib.sha256(SCAN).hexdigest()
ABSENT_SHA = "ab" * 32


class _Fallbacks(logging.Handler):
    """Counts batches the set-based path handed to the item-by-item path."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += "stored one by one" in record.getMessage()


@dataclass
class District:
    engine: Engine
    ingest: Ingest
    catalogue: Catalogue

    def push(self, station_id: str, items: list[Any], *,
             item_by_item: bool = False) -> list[PushItemResult]:
        """Push `items`; fails unless the batch went item by item exactly when expected."""
        envelope = PushEnvelope(station_id=station_id, submissions=items)
        fallbacks = _Fallbacks()
        logger = logging.getLogger("district_backend.ingest")
        logger.addHandler(fallbacks)
        try:
            results = self.ingest.push(station_id, envelope, self.catalogue, NOW).results
        finally:
            logger.removeHandler(fallbacks)
        assert fallbacks.count == int(item_by_item), "set-based" if item_by_item else "fell back"
        return results

    def statements(self, station_id: str, items: list[Any],
                   results: list[PushItemResult] | None = None) -> list[str]:
        """The SQL the push of `items` sends to the database, in order (the answers are
        added to `results`)."""
        with recorded(self.engine) as seen:
            answers = self.push(station_id, items)
        if results is not None:
            results.extend(answers)
        return seen

    def station_counts(self, station_id: str) -> tuple[int, int, int, int]:
        with self.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT duplicates, conflicts, rejected, retries FROM stations WHERE id = :s"),
                {"s": station_id}).one()
        return (row[0], row[1], row[2], row[3])

    def events(self, station_id: str) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT submission_id, receipt_no FROM case_events WHERE station_id = :s "
                "ORDER BY id"), {"s": station_id}).all()
        return [(r[0], r[1]) for r in rows]


@pytest.fixture
def district(tmp_path: Path, backend_db: str) -> Iterator[District]:
    with backend_database(backend_db) as url:
        engine = make_engine(url or f"sqlite:///{tmp_path / 'district.db'}")
        try:
            box = SecretBox(b"k" * 32)
            for station_id in ("QDK01", "QDK02"):
                enroll(engine, box, station_id, station_id, now=NOW)
            attachments = AttachmentStore(tmp_path / "attachments", engine)
            attachments.put(SCAN_SHA, SCAN, NOW)
            catalogue = CatalogueSource(write_test_catalogue(tmp_path / "catalogue")).get()
            yield District(engine, Ingest(engine, attachments), catalogue.catalogue)
        finally:
            engine.dispose()


def _with_scan(sha: str) -> dict[str, Any]:
    return new_submission(materials=[{"name": "居民身份证或社会保障卡", "provided": True,
                                      "attachments": [sha], "note": None}])


def _receipt(station_id: str, seq: int) -> str:
    return receipt_number(station_id, china_day(NOW), seq)


def _mixed_batch() -> tuple[dict[str, Any], list[Any]]:
    """(an item to store first, a batch holding one of every kind of answer)."""
    stored = new_submission()
    twice = new_submission()
    clash = new_submission()
    batch: list[Any] = [
        new_submission(),                                 # 0 accepted, seq 2
        stored,                                           # 1 duplicate of seq 1
        {**stored, "operator": "李帮办"},                 # 2 conflict with seq 1
        twice,                                            # 3 accepted, seq 3
        twice,                                            # 4 duplicate of 3, same batch
        clash,                                            # 5 accepted, seq 4
        {**clash, "tracking_ref": "QDK01-999999"},        # 6 conflict with 5, same batch
        new_submission(item_code="ZZ99"),                 # 7 rejected: not in the catalogue
        new_submission(form_version=0),                   # 8 rejected: wire schema
        _with_scan(ABSENT_SHA),                           # 9 retry: attachment not uploaded
        _with_scan(SCAN_SHA),                             # 10 accepted, seq 5
        "not an object",                                  # 11 rejected
    ]
    return stored, batch


MIXED_OUTCOMES = ["accepted", "duplicate", "conflict", "accepted", "duplicate", "accepted",
                  "conflict", "rejected", "rejected", "retry", "accepted", "rejected"]


def test_a_mixed_batch_answers_each_item_as_one_at_a_time_would(district: District) -> None:
    stored, batch = _mixed_batch()
    [first] = district.push("QDK01", [stored])
    assert first.receipt_no == _receipt("QDK01", 1)
    results = district.push("QDK01", batch)
    assert [r.outcome for r in results] == MIXED_OUTCOMES
    assert [r.index for r in results] == list(range(len(batch)))
    assert [r.receipt_no for r in results if r.receipt_no] == [
        _receipt("QDK01", n) for n in (2, 1, 3, 3, 4, 5)]
    assert _receipt("QDK01", 1) in (results[2].reason or "")
    assert _receipt("QDK01", 4) in (results[6].reason or "")
    assert "ZZ99" in (results[7].reason or "") and "form_version" in (results[8].reason or "")
    assert results[9].missing_attachments == [ABSENT_SHA]
    assert results[11].reason == "办件须为 JSON 对象"
    received = backend_received(district.engine, "QDK01")
    assert all(len(receipts) == 1 for receipts in received.values()), received
    assert list(received) == [stored["submission_id"]] + [
        batch[i]["submission_id"] for i in (0, 3, 5, 10)]
    assert district.events("QDK01") == [
        (sid, receipts[0]) for sid, receipts in received.items()]  # in item order
    assert district.station_counts("QDK01") == (2, 2, 3, 1)


def test_a_poison_item_sends_the_batch_item_by_item_with_the_same_answers(
        district: District) -> None:
    """QDK01 pushes the mixed batch set-based; QDK02 the same items plus one the database
    refuses, which can only be found item by item: every other answer is the same."""
    stored, batch = _mixed_batch()
    poison = new_submission()
    fail_insert(str(district.engine.url.render_as_string(hide_password=False)),
                [poison["submission_id"]])
    answers: dict[str, list[PushItemResult]] = {}
    for station_id, extra in (("QDK01", []), ("QDK02", [poison])):
        district.push(station_id, [stored])
        answers[station_id] = district.push(station_id, batch + extra,
                                            item_by_item=bool(extra))
    *same, refused = answers["QDK02"]
    assert [r.model_dump_json() for r in same] == [
        r.model_dump_json().replace("QDK01", "QDK02") for r in answers["QDK01"]]
    assert (refused.outcome, refused.reason) == ("rejected", ITEM_FAILED)
    assert set(backend_received(district.engine, "QDK02")) == set(
        backend_received(district.engine, "QDK01"))


def test_the_receipt_counter_advances_once_per_batch(district: District) -> None:
    first = district.statements("QDK01", [new_submission() for _ in range(30)])
    assert sum("receipt_counters" in s for s in first) == 1
    second = district.push("QDK01", [new_submission() for _ in range(30)])
    assert [r.receipt_no for r in second] == [_receipt("QDK01", n) for n in range(31, 61)]
    received = backend_received(district.engine, "QDK01")
    assert sorted(r for receipts in received.values() for r in receipts) == [
        _receipt("QDK01", n) for n in range(1, 61)]


def test_a_batch_costs_the_same_statements_whatever_its_size(district: District) -> None:
    one = district.statements("QDK01", [new_submission()])
    many = district.statements("QDK01", [new_submission() for _ in range(50)])
    assert len(many) == len(one), many
    assert len(backend_received(district.engine, "QDK01")) == 51


@pytest.mark.parametrize("backend_db", ["postgresql"])
def test_on_postgresql_every_batch_size_sends_the_same_sql(district: District) -> None:
    """Rows travel as arrays (district_backend/bulk_sql.py): one SQL text per statement,
    which psycopg keeps parsed and PostgreSQL prepared, whatever the batch holds."""
    district.statements("QDK01", [new_submission() for _ in range(3)])  # a stored id to find
    one = district.statements("QDK01", [new_submission()])
    many = district.statements("QDK01", [new_submission() for _ in range(50)])
    assert many == one
    assert len(backend_received(district.engine, "QDK01")) == 54


@pytest.mark.parametrize("backend_db", ["postgresql"])
def test_postgresql_plans_each_execution_of_a_prepared_statement(district: District) -> None:
    """A generic plan made while the tables were small would scan them whole ever after
    (district_backend/db.py); every backend connection asks for a fresh plan each time."""
    for _ in range(2):  # a new connection, then one back from the pool
        with district.engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == (
                "force_custom_plan")


def test_the_same_id_twice_in_one_batch_is_stored_once(district: District) -> None:
    sub = new_submission()
    changed = {**sub, "operator": "李帮办"}
    results = district.push("QDK01", [sub, sub, changed])
    assert [r.outcome for r in results] == ["accepted", "duplicate", "conflict"]
    assert results[0].receipt_no == results[1].receipt_no == _receipt("QDK01", 1)
    assert _receipt("QDK01", 1) in (results[2].reason or "")
    assert backend_received(district.engine, "QDK01") == {
        sub["submission_id"]: [_receipt("QDK01", 1)]}
    assert district.events("QDK01") == [(sub["submission_id"], _receipt("QDK01", 1))]
    again = district.push("QDK01", [sub, changed])
    assert [(r.outcome, r.receipt_no) for r in again] == [
        ("duplicate", _receipt("QDK01", 1)), ("conflict", None)]


def test_an_item_rejected_first_does_not_claim_its_id(district: District) -> None:
    """The first of two items with one id fails its checks: the second is judged on its own,
    as it would be had the first never been sent."""
    good = new_submission()
    bad = {**good, "item_code": "ZZ99"}
    results = district.push("QDK01", [bad, good])
    assert [r.outcome for r in results] == ["rejected", "accepted"]
    assert backend_received(district.engine, "QDK01") == {
        good["submission_id"]: [_receipt("QDK01", 1)]}


def test_a_row_the_batch_could_not_insert_is_never_answered_accepted(
        district: District) -> None:
    """The day's receipt counter was set back (restored from an old backup, say): the batch's
    first receipt number is taken, so the set-based insert skips that row. The batch then goes
    item by item, where each item meets the taken number and is rejected (the counter's bump
    rolls back with the item's savepoint); no item is told "accepted" with another case's
    receipt, and the stored case keeps its receipt."""
    [first] = district.push("QDK01", [new_submission()])
    with district.engine.begin() as conn:
        conn.execute(text("UPDATE receipt_counters SET last_seq = 0"))
    results = district.push("QDK01", [new_submission() for _ in range(3)], item_by_item=True)
    assert [(r.outcome, r.reason) for r in results] == [("rejected", ITEM_FAILED)] * 3
    assert first.receipt_no is not None
    assert list(backend_received(district.engine, "QDK01").values()) == [[first.receipt_no]]


def test_a_database_without_returning_gets_the_same_answers_item_by_item(
        district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite before 3.35 has no RETURNING (SQLAlchemy says so on the dialect): such a
    district's batches go item by item, with the same answers and receipts."""
    monkeypatch.setattr(district.engine.dialect, "insert_returning", False)
    stored, batch = _mixed_batch()
    district.push("QDK01", [stored])
    results: list[PushItemResult] = []
    sql = district.statements("QDK01", batch, results)
    assert not any("RETURNING" in s.upper() for s in sql), sql
    assert [r.outcome for r in results] == MIXED_OUTCOMES
    assert [r.receipt_no for r in results if r.receipt_no] == [
        _receipt("QDK01", n) for n in (2, 1, 3, 3, 4, 5)]
