"""The public progress page (``GET /q/{tracking_ref}``) over real HTTP on 127.0.0.1: what a
resident's phone gets for a case, for an unknown reference and for asking too often."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, inspect

from district_backend import cases
from district_backend.db import make_engine
from district_backend.progress_page import item_names
from station_app.domain.catalogue_loader import load_catalogue
from station_app.wire.canonical import canonical_json
from tests.helpers.backend import RunningBackend, StationClient, new_submission, serve_backend
from tests.helpers.catalogue import REPO_CATALOGUE
from tests.helpers.postgres import backend_database

pytestmark = pytest.mark.timeout(60)

# 2026-11-25 09:30 and 10:05 in Beijing
ACCEPTED_AT = int(datetime(2026, 11, 25, 1, 30, tzinfo=UTC).timestamp())
REVIEWED_AT = ACCEPTED_AT + 35 * 60
REF = "HY261125-7K3M9Q2X"


class Clock:
    """The backend's clock, moved by the test: signatures, events and rate windows."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(ACCEPTED_AT)


@pytest.fixture
def district(tmp_path: Path, clock: Clock, backend_db: str) -> Iterator[RunningBackend]:
    """The backend on this test's database kind, its clock the test's, 5 pages a minute."""
    with backend_database(backend_db) as db_url, serve_backend(
            tmp_path, clock=clock, db_url=db_url, progress_per_minute=5) as running:
        yield running


def _push(station: StationClient, at: int, **overrides: object) -> str:
    body = canonical_json({"station_id": station.station_id,
                           "submissions": [new_submission(tracking_ref=REF, **overrides)]})
    reply = station.request("POST", "/v1/push", body=body, timestamp=at).json()
    receipt: str = reply["results"][0]["receipt_no"]
    return receipt


def _open(backend: RunningBackend, ref: str = REF) -> requests.Response:
    with requests.Session() as http:
        http.trust_env = False
        return http.get(f"{backend.base_url}/q/{ref}", timeout=10, allow_redirects=False)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_page_shows_items_statuses_in_beijing_time_and_the_masked_name_only(
        district: RunningBackend) -> None:
    station = district.enroll("QDK01")
    receipt = _push(station, ACCEPTED_AT)
    engine = make_engine(district.db_url)
    try:
        cases.advance(engine, receipt, "审核中", "请电话联系测试居民", now=REVIEWED_AT)
    finally:
        engine.dispose()
    reply = _open(district)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert reply.headers["Cache-Control"] == "no-store"
    html = reply.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="zh-CN">' in html
    text = _text(html)
    for shown in ("办理进度", REF, "退休人员养老金资格认证", "测**民", "当前状态", "审核中",
                  "受理", "2026年11月25日 09:30", "2026年11月25日 10:05"):
        assert shown in text, shown
    assert text.index("10:05") < text.index("09:30")  # newest first
    sent = new_submission()["payload"]
    for secret in ("测试居民", sent["id_number"], sent["phone"], sent["address"], "请电话联系",
                   sent["id_number"][-4:], "13800000000"):
        assert secret not in html, secret


def test_everything_on_the_page_is_escaped(district: RunningBackend) -> None:
    station = district.enroll("QDK01")
    payload = {**new_submission()["payload"], "name": "<script>"}
    _push(station, ACCEPTED_AT, payload=payload)
    html = _open(district).text
    assert "&lt;******&gt;" in html and "<******>" not in html  # the masked name, escaped
    missing = _open(district, "<script>alert(1)</script>")
    assert missing.status_code == 404 and "<script>" not in missing.text


def test_an_unknown_reference_gets_a_chinese_page_saying_what_to_do(
        district: RunningBackend) -> None:
    reply = _open(district, "HY261125-0000ZZZZ")
    assert reply.status_code == 404
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    text = _text(reply.text)
    assert "没有找到这个受理编号" in text and "HY261125-0000ZZZZ" in text
    assert "还没有上报" in text and "带上回执" in text  # what to do next
    assert 'name="viewport"' in reply.text
    too_long = _open(district, "H" * 65)
    assert too_long.status_code == 404 and "没有找到这个受理编号" in too_long.text


def test_a_reference_two_stations_share_shows_neither_case(district: RunningBackend) -> None:
    _push(district.enroll("QDK01"), ACCEPTED_AT)
    assert _open(district).status_code == 200
    _push(district.enroll("QDK02"), ACCEPTED_AT)
    reply = _open(district)
    assert reply.status_code == 404 and "测**民" not in reply.text


def test_asking_too_often_gets_429_with_retry_after_until_the_next_minute(
        district: RunningBackend, clock: Clock) -> None:
    clock.now = ACCEPTED_AT + 15  # 45 s left in this minute's window
    answers = [_open(district, f"HY261125-0000000{i}").status_code for i in range(5)]
    assert answers == [404] * 5  # unknown references count too: no free walking through them
    refused = _open(district)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "45"
    assert "查询太频繁了" in refused.text and "45 秒后" in refused.text
    assert refused.headers["Content-Type"] == "text/html; charset=utf-8"
    clock.now = ACCEPTED_AT + 60  # the next window
    assert _open(district).status_code == 404


def test_the_page_is_not_part_of_the_station_api_document(tmp_path: Path) -> None:
    """Every operation of the OpenAPI document answers in the JSON error shape (the fuzz
    tests check it); the page answers people, in HTML, so it is not listed."""
    with serve_backend(tmp_path, api_docs=True) as backend:
        doc = backend.client("QDK01", "x").session.get(backend.base_url + "/openapi.json").json()
    assert not any(path.startswith("/q/") for path in doc["paths"])
    assert "/q/{tracking_ref}" in doc["info"]["description"]


def test_items_of_a_bundle_are_named_one_by_one() -> None:
    catalogue = load_catalogue(REPO_CATALOGUE)
    assert item_names(catalogue, "RS02", "BD01") == tuple(
        catalogue.items[c].name for c in ("RS02", "YB11", "LL25"))
    assert item_names(catalogue, "RS04", None) == ("退休人员养老金资格认证",)
    assert item_names(catalogue, "ZZ99", None) == ("ZZ99",)  # gone from today's catalogue
    assert item_names(None, "RS04", None) == ("RS04",)


def test_a_database_made_before_the_reference_index_gets_it(tmp_path: Path,
                                                           backend_db: str) -> None:
    """The page looks cases up by reference; a district's existing database gains the index
    at the next start instead of scanning every case for each request."""
    with backend_database(backend_db) as db_url:
        url = db_url or f"sqlite:///{tmp_path / 'district.db'}"
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_submissions_tracking_ref")
        assert not _has_reference_index(engine)
        engine.dispose()
        engine = make_engine(url)  # the next start
        try:
            assert _has_reference_index(engine)
        finally:
            engine.dispose()


def _has_reference_index(engine: Engine) -> bool:
    return any(ix["column_names"] == ["tracking_ref"]
               for ix in inspect(engine).get_indexes("submissions"))
