"""Change feed: 受理 on receipt, `case advance` from the CLI, cursor paging, isolation."""

from __future__ import annotations

from typing import Any

from station_app.wire.protocol import ChangesResponse, PushResponse
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient


def feed(client: StationClient, cursor: int=0, limit: int=100) -> ChangesResponse:
    resp = client.changes(cursor, limit)
    assert resp.status_code == 200, resp.text
    return ChangesResponse.model_validate_json(resp.content)


def push_one(client: StationClient, sub: dict[str, Any]) -> str:
    resp = client.push([sub])
    [r] = PushResponse.model_validate_json(resp.content).results
    assert r.outcome == "accepted"
    assert r.receipt_no
    return r.receipt_no


def test_new_receipt_starts_with_shouli(station: StationClient,
                                        make_submission: MakeSubmission) -> None:
    sub = make_submission()
    receipt = push_one(station, sub)
    page = feed(station)
    [event] = page.changes
    assert (event.receipt_no, event.submission_id, event.status) == (
        receipt, sub["submission_id"], "受理")
    assert page.next_cursor == event.event_id and not page.more


def test_case_advance_reaches_the_station(backend: RunningBackend, station: StationClient,
                                          make_submission: MakeSubmission) -> None:
    receipt = push_one(station, make_submission())
    cursor = feed(station).next_cursor
    for status, note in [("审核中", ""), ("补正材料", "请补交户口簿复印件"), ("审核中", ""),
                         ("已办结", ""), ("已领取", "网格员送达")]:
        rc, out, err = backend.cli("case", "advance", receipt, status, "--note", note)
        assert rc == 0 and receipt in out and not err
    page = feed(station, cursor)
    assert [e.status for e in page.changes] == ["审核中", "补正材料", "审核中", "已办结", "已领取"]
    assert page.changes[1].note == "请补交户口簿复印件"
    assert feed(station, page.next_cursor).changes == []


def test_case_advance_refuses_skipping_steps(backend: RunningBackend, station: StationClient,
                                             make_submission: MakeSubmission) -> None:
    receipt = push_one(station, make_submission())
    for status in ("已领取", "已办结", "不存在的状态"):
        rc, out, err = backend.cli("case", "advance", receipt, status)
        assert rc != 0 and out == ""
        assert len(err.strip().splitlines()) == 1 and "district-backend:" in err
    rc, _, err = backend.cli("case", "advance", "HY-NOPE-20260101-0001", "审核中")
    assert rc == 1 and "HY-NOPE" in err
    rc, _, _ = backend.cli("case", "advance", receipt, "审核中")
    rc2, _, _ = backend.cli("case", "advance", receipt, "不予受理", "--note", "不符合条件")
    assert (rc, rc2) == (0, 0)
    rc, _, err = backend.cli("case", "advance", receipt, "审核中")
    assert rc == 1 and "不予受理" in err


def test_cursor_pages_through_everything_once(station: StationClient,
                                              make_submission: MakeSubmission) -> None:
    receipts = [push_one(station, make_submission()) for _ in range(5)]
    seen, cursor, pages = [], 0, []
    while True:
        page = feed(station, cursor, limit=2)
        pages.append(len(page.changes))
        seen += [e.receipt_no for e in page.changes]
        assert page.next_cursor >= cursor
        cursor = page.next_cursor
        if not page.more:
            break
    assert pages == [2, 2, 1] and seen == receipts
    empty = feed(station, cursor)
    assert empty.changes == [] and empty.next_cursor == cursor and not empty.more


def test_stations_see_only_their_own_cases(backend: RunningBackend, station: StationClient,
                                           make_submission: MakeSubmission) -> None:
    other = backend.enroll("ZYM02", "知音社区红色驿站")
    push_one(station, make_submission())
    theirs = push_one(other, make_submission(tracking_ref="ZYM02-000001"))
    assert theirs.startswith("HY-ZYM02-")
    assert [e.receipt_no for e in feed(other).changes] == [theirs]
    assert len(feed(station).changes) == 1


def test_bad_paging_parameters_are_422(station: StationClient) -> None:
    for params in ({"cursor": -1}, {"limit": 0}, {"limit": 501}, {"cursor": "x"}):
        resp = station.request("GET", "/v1/changes", params=params)
        assert resp.status_code == 422, params
        assert resp.json()["error"] == "invalid_request"
