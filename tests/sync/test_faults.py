"""Replies the real backend never gives, from a scripted server: every one of them leaves
the queue as it was ("outcome unknown"), and the engine backs off as told."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from station_app.config import load_settings
from station_app.services.context import StationContext
from station_app.services.sync_service import build_engine
from station_app.sync.client import ClientConfig, SyncClient
from station_app.sync.errors import AuthError, OutcomeUnknown
from station_app.sync.run import SyncOptions
from tests.helpers.backend import RunningBackend
from tests.helpers.station import configure
from tests.helpers.sync_harness import Submit, local_state

from .scripted_server import Scripted, ScriptedServer

pytestmark = pytest.mark.timeout(60)
JSON = {"Content-Type": "application/json"}


def _client(url: str, **kw: Any) -> SyncClient:
    return SyncClient(ClientConfig(url, "QDK01", "s" * 43, **kw))


@pytest.fixture
def scripted_station(station_ctx: StationContext, station_secret: str,
                     scripted_server: ScriptedServer) -> StationContext:
    """The station, pointed at the scripted server instead of the backend."""
    configure(station_ctx.data_dir, scripted_server.url, station_secret)
    return station_ctx


def _engine(ctx: StationContext, **kw: Any) -> Any:
    return build_engine(ctx.data_dir, load_settings(ctx.data_dir), ctx.secret, ctx.engine, **kw)


def _unchanged(ctx: StationContext, sids: list[str], attempts: int = 1) -> None:
    for sid in sids:
        sub, entry = local_state(ctx, sid)
        assert (sub.sync_state, entry.state, sub.receipt_no) == ("queued", "pending", None)
        assert entry.attempts == attempts and entry.next_attempt_at is not None


def test_stalled_server_is_outcome_unknown_within_the_timeout(
        scripted_station: StationContext, scripted_server: ScriptedServer, submit: Submit) -> None:
    sids = [submit().id for _ in range(2)]
    scripted_server.then(Scripted(stall=30))
    engine = _engine(scripted_station, read_timeout=0.5)
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert scripted_server.answered == 0  # the client gave up; the server is still stalling
    assert report.error and "没有应答" in report.error and report.online is False
    assert report.accepted == 0 and report.next_run_hint is not None
    _unchanged(scripted_station, sids)


def test_deadline_bounds_a_run_against_a_stall(scripted_station: StationContext,
                                               scripted_server: ScriptedServer,
                                               submit: Submit) -> None:
    submit()
    # shorter than the client's read timeout (30 s): only the deadline ends the run before it
    scripted_server.then(Scripted(stall=20))
    engine = _engine(scripted_station)
    try:
        report = engine.run_once(time.monotonic() + 1.0)
    finally:
        engine.close()
    assert scripted_server.answered == 0  # the deadline ended the run, not the server's reply
    assert report.error


@pytest.mark.parametrize(("reply", "words"), [
    (Scripted(500, '{"error":"internal","reason":"数据库忙"}'.encode()), "HTTP 500：数据库忙"),
    (Scripted(502, b"<html>bad gateway</html>", {"Content-Type": "text/html"}), "HTTP 502"),
    (Scripted(307, b"", {"Location": "http://127.0.0.1:9/v1/push"}), "重定向"),
    (Scripted(404, b""), "HTTP 404"),
    (Scripted(200, b"not json at all", {"Content-Type": "text/plain"}), "不是 JSON"),
    (Scripted(200, b'{"results": [', JSON), "格式不对"),
    (Scripted(200, b'{"results": [], "extra": 1}', JSON), "格式不对"),
    (Scripted(200, b"x" * (5 * 1024 * 1024), JSON), "过大"),
    (Scripted(200, b'{"results":[]}', JSON), "对不上"),
])
def test_unusable_replies_leave_items_queued(scripted_station: StationContext,
                                             scripted_server: ScriptedServer, submit: Submit,
                                             reply: Scripted, words: str) -> None:
    sids = [submit().id for _ in range(2)]
    scripted_server.then(reply)
    engine = _engine(scripted_station)
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert report.error and words in report.error, report.error
    # Nothing retried at once. A reply one item may have caused (5xx, unreadable) is looked
    # into by sending each half once; with nothing answered, no item is blamed (isolate.py).
    sizes = [len(json.loads(body)["submissions"]) for _, _, _, body in scripted_server.requests]
    assert sizes == ([2, 1, 1] if reply.status >= 500 or reply.status == 200 else [2])
    _unchanged(scripted_station, sids)


def _result(index: int, sid: str) -> dict[str, Any]:
    return {"index": index, "submission_id": sid, "outcome": "accepted",
            "receipt_no": f"HY-QDK01-20261125-{index + 1:04d}"}


@pytest.mark.parametrize("shape", ["foreign id", "duplicate", "missing", "out of range"])
def test_results_that_do_not_match_what_was_sent(scripted_station: StationContext,
                                                 scripted_server: ScriptedServer, submit: Submit,
                                                 shape: str) -> None:
    sids = [submit().id for _ in range(2)]
    results = [_result(0, sids[0]), _result(1, sids[1])]
    if shape == "foreign id":
        results[1]["submission_id"] = "01900000-0000-7000-8000-000000000000"
    elif shape == "duplicate":
        results.append(_result(1, sids[1]))
    elif shape == "missing":
        results.pop()
    else:
        results[1]["index"] = 7
    scripted_server.then(Scripted(200, json.dumps({"results": results}).encode(), JSON))
    engine = _engine(scripted_station)
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert report.error and "对不上" in report.error
    _unchanged(scripted_station, sids)


def test_retry_after_is_honoured(scripted_station: StationContext, scripted_server: ScriptedServer,
                                 submit: Submit) -> None:
    sid = submit().id
    scripted_server.then(Scripted(503, '{"error":"busy","reason":"维护中"}'.encode(),
                                  {**JSON, "Retry-After": "120"}))
    engine = _engine(scripted_station, rng=lambda: 0.0)
    try:
        report = engine.run_once()
        assert report.next_run_hint == pytest.approx(120)
        assert 119 < engine.backoff_remaining() <= 120
        _, entry = local_state(scripted_station, sid)
        assert entry.next_attempt_at is not None
        wait = (entry.next_attempt_at - report.started_at).total_seconds()
        assert 119 < wait < 125
        second = engine.run_once()  # within the wait: no request at all
        assert second.deferred and second.error and second.error.count("秒后重试") == 1
        assert "维护中" in second.error and engine.last_error == report.error
        third = engine.run_once()
        assert third.error and third.error.count("秒后重试") == 1
        assert len(scripted_server.requests) == 1
        engine.wake()  # "立即同步" does not override what the server asked for
        assert engine.run_once().sent == 0 and len(scripted_server.requests) == 1
    finally:
        engine.close()


def test_own_backoff_is_waived_by_sync_now(scripted_station: StationContext,
                                           scripted_server: ScriptedServer) -> None:
    scripted_server.then(Scripted(500, b""), Scripted(500, b""))
    engine = _engine(scripted_station, rng=lambda: 0.99)
    try:
        assert engine.run_once(push=False).error
        assert engine.backoff_remaining() > 0
        assert engine.run_once(push=False).error and len(scripted_server.requests) == 1
        engine.wake()  # "立即同步" after our own (not the server's) backoff: try now
        assert engine.run_once(push=False).error and len(scripted_server.requests) == 2
        assert engine.backoff_remaining() > 0  # and back off longer after failing again
    finally:
        engine.close()


def test_auth_error_carries_the_backends_reason(backend: RunningBackend, tmp_path: Path) -> None:
    backend.enroll("QDK01")
    client = SyncClient(ClientConfig(backend.base_url, "QDK01", "wrong-secret-" + "x" * 30))
    try:
        with pytest.raises(AuthError) as caught:
            client.check_signature()
    finally:
        client.close()
    assert caught.value.code == "bad_signature" and "签名无效" in caught.value.reason


def test_wrong_secret_keeps_items_queued(station_ctx: StationContext, backend: RunningBackend,
                                         submit: Submit) -> None:
    sid = submit().id
    engine = build_engine(station_ctx.data_dir, station_ctx.settings, "wrong-" + "y" * 40,
                          station_ctx.engine)
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert report.error and "签名无效" in report.error and report.online is True
    _unchanged(station_ctx, [sid])


def test_environment_proxies_and_ca_bundles_are_ignored(
        backend: RunningBackend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    client = _client(backend.base_url)
    try:
        assert client.health().status == "ok"
    finally:
        client.close()


def test_unreachable_backend_is_offline(tmp_path: Path) -> None:
    client = _client("http://127.0.0.1:9", connect_timeout=2)
    try:
        with pytest.raises(OutcomeUnknown) as caught:
            client.health()
    finally:
        client.close()
    assert not caught.value.reached and "区后台没有响应" in str(caught.value)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        SyncOptions(batch_items=1000)
    with pytest.raises(ValueError, match="CA"):
        _client("https://example.invalid", ca_bundle=Path("/nonexistent/ca.pem"))


def test_413_from_a_proxy_halves_the_batch(scripted_station: StationContext,
                                           scripted_server: ScriptedServer, submit: Submit) -> None:
    sids = [submit().id for _ in range(4)]
    scripted_server.then(Scripted(413, b"<html>too large</html>", {"Content-Type": "text/html"}),
                         Scripted(500, b""))
    engine = _engine(scripted_station)
    try:
        report = engine.run_once()
    finally:
        engine.close()
    assert report.error and "HTTP 500" in report.error
    sizes = [len(json.loads(body)["submissions"]) for _, _, _, body in scripted_server.requests]
    assert sizes == [4, 2, 1, 1]  # the 500 is looked into (isolate.py): nothing answered
    attempts = [local_state(scripted_station, sid)[1].attempts for sid in sids]
    assert attempts == [1, 1, 0, 0]  # the refused-unread batch is not counted as an attempt
    assert {local_state(scripted_station, sid)[0].sync_state for sid in sids} == {"queued"}
