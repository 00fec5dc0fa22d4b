"""POST /v1/push: accepted, duplicate with the original receipt, conflict, per-item rejection,
batch limits, and exactly one row under concurrent retries."""

from __future__ import annotations

import http.client
import re
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import create_engine, func, select
from sqlmodel import col

from district_backend.db import china_day
from district_backend.ingest import receipt_number
from district_backend.models import ReceivedSubmission
from station_app.wire.canonical import canonical_json, content_sha256
from station_app.wire.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    ErrorBody,
    PushResponse,
    WireSubmission,
    push_body,
)
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient

RECEIPT = re.compile(r"^HY-QDK01-\d{8}-(\d{4})$")


def results(resp: Any) -> list[Any]:
    assert resp.status_code == 200, resp.text
    return PushResponse.model_validate_json(resp.content).results


def row_count(db_url: str, **where: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            q = select(func.count()).select_from(ReceivedSubmission)
            for k, v in where.items():
                q = q.where(getattr(ReceivedSubmission, k) == v)
            return int(conn.execute(q).scalar_one())
    finally:
        engine.dispose()


def test_new_submission_is_accepted_with_a_readable_receipt(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    sub = make_submission()
    [r] = results(station.push([sub]))
    assert (r.outcome, r.index, r.submission_id) == ("accepted", 0, sub["submission_id"])
    m = RECEIPT.match(r.receipt_no or "")
    assert m and m.group(1) == "0001"
    assert row_count(backend.db_url) == 1


def test_retry_gets_the_original_receipt(backend: RunningBackend, station: StationClient,
                                         make_submission: MakeSubmission) -> None:
    sub = make_submission()
    [first] = results(station.push([sub]))
    second, other = results(station.push([sub, make_submission()]))
    assert second.outcome == "duplicate"
    assert second.receipt_no == first.receipt_no
    assert other.outcome == "accepted" and other.receipt_no.endswith("-0002")
    assert row_count(backend.db_url, submission_id=sub["submission_id"]) == 1


def test_same_id_with_other_content_is_a_conflict_and_keeps_the_first(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    sub = make_submission()
    [first] = results(station.push([sub]))
    changed = {**sub, "payload": {**sub["payload"], "phone": "13900000000"}}
    [r] = results(station.push([changed]))
    assert r.outcome == "conflict" and r.receipt_no is None
    assert first.receipt_no in (r.reason or "")
    assert row_count(backend.db_url) == 1
    [again] = results(station.push([sub]))  # the original bytes are still a duplicate
    assert (again.outcome, again.receipt_no) == ("duplicate", first.receipt_no)


def test_bad_items_are_rejected_one_by_one(backend: RunningBackend, station: StationClient,
                                           make_submission: MakeSubmission) -> None:
    good1, good2 = make_submission(), make_submission()
    no_operator = make_submission()
    del no_operator["operator"]
    batch = [
        good1,
        make_submission(item_code="ZZ99"),
        make_submission(payload=["not", "a", "dict"]),
        no_operator,
        42,
        make_submission(submission_id="NOT-A-UUID"),
        make_submission(form_version="1"),  # strict: no string-to-int coercion
        good2,
    ]
    rs = results(station.push(batch))
    assert [r.index for r in rs] == list(range(len(batch)))
    assert [r.outcome for r in rs] == ["accepted", "rejected", "rejected", "rejected",
                                      "rejected", "rejected", "rejected", "accepted"]
    assert "ZZ99" in rs[1].reason and "payload" in rs[2].reason and "operator" in rs[3].reason
    assert rs[4].submission_id == ""
    assert all(r.reason and r.receipt_no is None for r in rs[1:7])
    assert row_count(backend.db_url) == 2


def test_duplicate_is_answered_before_catalogue_checks(backend: RunningBackend,
                                                       station: StationClient,
                                                       make_submission: MakeSubmission) -> None:
    """A retry must get its receipt even if the item left the catalogue meanwhile."""
    sub = make_submission()
    [first] = results(station.push([sub]))
    (backend.catalogue_dir / "items" / "RS04.yaml").rename(backend.catalogue_dir / "RS04.bak")
    (backend.catalogue_dir / "items" / "RS05.yaml").write_text(
        (backend.catalogue_dir / "RS04.bak").read_text(encoding="utf-8")
        .replace("code: RS04", "code: RS05"), encoding="utf-8")
    [again, fresh] = results(station.push([sub, make_submission()]))
    assert (again.outcome, again.receipt_no) == ("duplicate", first.receipt_no)
    assert fresh.outcome == "rejected" and "RS04" in fresh.reason


def test_full_batch_is_fine_and_one_more_is_413(station: StationClient,
                                                make_submission: MakeSubmission) -> None:
    subs = [make_submission() for _ in range(MAX_BATCH_ITEMS)]
    rs = results(station.push(subs))
    assert len(rs) == MAX_BATCH_ITEMS and {r.outcome for r in rs} == {"accepted"}
    assert len({r.receipt_no for r in rs}) == MAX_BATCH_ITEMS
    resp = station.push([make_submission() for _ in range(MAX_BATCH_ITEMS + 1)])
    assert resp.status_code == 413
    assert ErrorBody.model_validate_json(resp.content).error == "too_many_items"


def test_body_over_the_byte_limit_is_413_before_it_is_read(backend: RunningBackend,
                                                           station: StationClient) -> None:
    """Declared too large: answered from the headers, without reading or signing checks."""
    host = urlsplit(backend.base_url)
    conn = http.client.HTTPConnection(host.hostname or "", host.port, timeout=10)
    try:
        conn.putrequest("POST", "/v1/push")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(MAX_BATCH_BYTES + 1))
        conn.endheaders()
        resp = conn.getresponse()
        assert resp.status == 413
        assert ErrorBody.model_validate_json(resp.read()).error == "too_large"
    finally:
        conn.close()


def test_station_cannot_push_for_another_station(station: StationClient,
                                                 make_submission: MakeSubmission) -> None:
    resp = station.push([make_submission()], station_id="OTHER1")
    assert resp.status_code == 403
    assert ErrorBody.model_validate_json(resp.content).error == "station_mismatch"


def test_malformed_envelope_fails_whole_request(station: StationClient) -> None:
    for body, status in [(b"{not json", 400), (b'{"station_id":"QDK01"}', 422),
                         (b'{"station_id":"QDK01","submissions":[NaN]}', 400)]:
        resp = station.request("POST", "/v1/push", body=body)
        assert resp.status_code == status, resp.text
        ErrorBody.model_validate_json(resp.content)


def test_station_side_models_produce_what_the_backend_hashes(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    sub = WireSubmission.model_validate(make_submission())
    body = push_body("QDK01", [canonical_json(sub.wire_dict())])
    [r] = results(station.request("POST", "/v1/push", body=body))
    assert r.outcome == "accepted"
    engine = create_engine(backend.db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(col(ReceivedSubmission.content_sha256))).scalar_one()
    finally:
        engine.dispose()
    assert stored == sub.content_sha256() == content_sha256(sub.wire_dict())


def test_concurrent_retries_of_one_submission_make_exactly_one_row(
        backend: RunningBackend, make_submission: MakeSubmission) -> None:
    station = backend.enroll("QDK01")
    clients = [backend.client("QDK01", station.secret) for _ in range(8)]
    sub = make_submission()
    barrier = threading.Barrier(len(clients))
    outcomes: list[Any] = []
    errors: list[BaseException] = []

    def worker(client: Any) -> None:
        try:
            barrier.wait(10)
            outcomes.extend(results(client.push([sub, make_submission()])))
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors and not any(t.is_alive() for t in threads)
    same = [r for r in outcomes if r.submission_id == sub["submission_id"]]
    assert sorted(r.outcome for r in same) == ["accepted"] + ["duplicate"] * 7
    assert len({r.receipt_no for r in same}) == 1
    assert row_count(backend.db_url, submission_id=sub["submission_id"]) == 1
    receipts = [r.receipt_no for r in outcomes if r.outcome == "accepted"]
    assert len(receipts) == len(set(receipts)) == 9


def test_receipt_day_is_the_wuhan_calendar_day() -> None:
    late_utc = datetime(2026, 11, 24, 16, 30, tzinfo=UTC).timestamp()  # 00:30 in Wuhan
    assert china_day(late_utc) == "20261125"
    assert receipt_number("QDK01", "20261125", 7) == "HY-QDK01-20261125-0007"


def test_reasons_stay_short_enough_for_the_station_to_parse(
        station: StationClient, make_submission: MakeSubmission) -> None:
    hostile = make_submission(**{"k" * 5000: 1, "operator": "", "form_version": 0})
    [r] = results(station.push([hostile]))  # results() parses the reply strictly
    assert r.outcome == "rejected" and 0 < len(r.reason or "") <= 500
