"""One bad item is that item's problem: every field of the wire schema is bounded, each item
runs in its own savepoint, and whatever breaks on one item (a value the database refuses, a
failure planted in the database itself) is answered "rejected" for that item alone, with a
Chinese reason, while the rest of the batch is stored. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from district_backend.ingest import ITEM_FAILED
from station_app.wire.bounds import MAX_FORM_VERSION, MAX_PAYLOAD_DEPTH
from station_app.wire.protocol import ErrorBody, PushResponse
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient
from tests.helpers.backend_faults import fail_commit, fail_insert
from tests.helpers.sync_harness import backend_received

from .test_push import row_count

HUGE = 99999999999999999999999


def _deep(levels: int) -> Any:
    value: Any = "底"
    for _ in range(levels):
        value = [value]
    return value


# (what the hostile item carries as JSON text spliced into a valid item, words of the reason)
HOSTILE: dict[str, tuple[str, str]] = {
    "form_version far beyond any column": (f'"form_version": {HUGE}', "form_version 数值太大"),
    "form_version beyond INTEGER": (f'"form_version": {MAX_FORM_VERSION + 1}',
                                    "form_version 数值太大"),
    "float that JSON reads as infinity": ('"payload": {"name": 1e400}', "无法编码"),
    "integer with 5000 digits": ('"payload": {"n": ' + "9" * 5000 + "}", "无法编码"),
    "payload integer beyond 64 bits": (f'"payload": {{"n": {2**64}}}', "整数超出范围"),
    "lone surrogate in the payload": ('"payload": {"name": "\\ud800"}', "无法编码"),
    "lone surrogate in a payload key": ('"payload": {"\\udc00": 1}', "无法编码"),
    "lone surrogate as submission id": ('"submission_id": "\\ud800"', "无法编码"),
    "NUL in tracking_ref": ('"tracking_ref": "QDK01-\\u0000"', "tracking_ref 含有控制字符"),
    "NUL in operator": ('"operator": "王\\u0000"', "operator 含有控制字符"),
    "NUL in catalogue_version": ('"catalogue_version": "2026\\u0000"', "catalogue_version"),
    "NUL in a material name": ('"materials": [{"name": "证\\u0000", "provided": true}]',
                               "materials.0.name 含有控制字符"),
    "payload nested too deep": (f'"payload": {{"n": {json.dumps(_deep(MAX_PAYLOAD_DEPTH))}}}',
                                f"嵌套超过 {MAX_PAYLOAD_DEPTH} 层"),
    "payload nested 900 deep": (f'"payload": {{"n": {json.dumps(_deep(900))}}}', "嵌套"),
    "payload too wide": ('"payload": {"n": [' + ",".join(["1"] * 501) + "]}", "一层超过"),
    "payload text too long": ('"payload": {"n": "' + "长" * 20_001 + '"}', "文本超过"),
    "control character in a payload key": ('"payload": {"na\\u0007me": 1}',
                                           "字段名含有控制字符 U+0007"),
    "payload key too long": ('"payload": {"' + "k" * 65 + '": 1}', "字段名超过"),
    "unicode digits in item_code": ('"item_code": "RS\\u0660\\u0664"', "item_code 格式不对"),
    "created_at with a surrogate": ('"created_at": "2026-11-25T09:30:00+08:00\\ud800"',
                                    "无法编码"),
}


def _spliced(sub: dict[str, Any], override: str) -> bytes:
    """The item as JSON text with ``override`` appended (a repeated key: the last one wins)."""
    text = json.dumps(sub, ensure_ascii=False)
    return (text[:-1] + ", " + override + "}").encode("utf-8", "surrogatepass")


def _push_raw(station: StationClient, items: list[bytes]) -> Any:
    body = b'{"station_id":"QDK01","submissions":[' + b",".join(items) + b"]}"
    return station.request("POST", "/v1/push", body=body)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_one_hostile_item_is_rejected_alone_and_the_batch_is_stored(
        name: str, backend: RunningBackend, station: StationClient,
        make_submission: MakeSubmission) -> None:
    override, words = HOSTILE[name]
    good = [make_submission() for _ in range(2)]
    items = [json.dumps(good[0]).encode(), _spliced(make_submission(), override),
             json.dumps(good[1]).encode()]
    resp = _push_raw(station, items)
    assert resp.status_code == 200, resp.text
    results = PushResponse.model_validate_json(resp.content).results
    assert [r.outcome for r in results] == ["accepted", "rejected", "accepted"], results
    assert words in (results[1].reason or ""), results[1].reason
    assert results[1].reason and len(results[1].reason) <= 500
    assert set(backend_received(backend.db_url)) == {g["submission_id"] for g in good}


def test_the_largest_form_version_fits(backend: RunningBackend, station: StationClient,
                                       make_submission: MakeSubmission) -> None:
    sub = make_submission(form_version=MAX_FORM_VERSION)
    resp = station.push([sub])
    [r] = PushResponse.model_validate_json(resp.content).results
    assert r.outcome == "accepted", r
    assert row_count(backend.db_url) == 1


def test_a_database_failure_on_one_item_rejects_that_item_only(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission,
        caplog: pytest.LogCaptureFixture) -> None:
    """A real failure of the database on one INSERT (a planted trigger): that item is
    rejected, its neighbours are stored, and the log names the error without the item's data."""
    subs = [make_submission() for _ in range(5)]
    poison = subs[2]["submission_id"]
    fail_insert(backend.db_url, [poison])
    with caplog.at_level(logging.ERROR, logger="district_backend"):
        resp = station.push(subs)
    results = PushResponse.model_validate_json(resp.content).results
    assert [r.outcome for r in results] == ["accepted"] * 2 + ["rejected"] + ["accepted"] * 2
    assert results[2].reason == ITEM_FAILED
    assert set(backend_received(backend.db_url)) == {
        s["submission_id"] for s in subs} - {poison}
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert poison in logged and "answered rejected" in logged
    assert "测试居民" not in logged and "11010519491231002X" not in logged  # no personal data
    again = PushResponse.model_validate_json(station.push(subs).content).results
    assert [r.outcome for r in again] == ["duplicate"] * 2 + ["rejected"] + ["duplicate"] * 2


def test_a_failure_at_commit_is_a_500_with_the_error_shape_and_stores_nothing(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission,
        caplog: pytest.LogCaptureFixture) -> None:
    """What no savepoint can catch (a deferred constraint fails the COMMIT) is a 500 for the
    batch, in the error shape, logged without personal data; the connection stays usable."""
    subs = [make_submission() for _ in range(3)]
    fail_commit(backend.db_url, [subs[1]["submission_id"]])
    with caplog.at_level(logging.ERROR, logger="district_backend"):
        resp = station.push(subs)
    assert resp.status_code == 500
    assert ErrorBody.model_validate_json(resp.content).error == "internal_error"
    assert row_count(backend.db_url) == 0
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /v1/push failed" in logged
    assert "测试居民" not in logged and "11010519491231002X" not in logged
    ok = station.push([subs[0], subs[2]])  # the same keep-alive session: no reset
    assert [r.outcome for r in PushResponse.model_validate_json(ok.content).results] == [
        "accepted", "accepted"]


@pytest.mark.parametrize("cursor", ["99999999999999999999999", str(2**63)])
def test_a_cursor_beyond_64_bits_is_422_and_the_connection_survives(
        station: StationClient, cursor: str) -> None:
    resp = station.request("GET", "/v1/changes", params={"cursor": cursor})
    assert resp.status_code == 422, resp.text
    body = ErrorBody.model_validate_json(resp.content)
    assert body.error == "invalid_request" and "cursor 不能大于" in body.reason
    largest = station.request("GET", "/v1/changes", params={"cursor": str(2**63 - 1)})
    assert largest.status_code == 200, largest.text
    assert largest.json() == {"changes": [], "next_cursor": 2**63 - 1, "more": False}
