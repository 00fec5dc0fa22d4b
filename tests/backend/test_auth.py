"""Request signing as the backend enforces it: every failure is a 401 with a reason."""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

from station_app.wire.protocol import ErrorBody, HealthResponse
from station_app.wire.signing import new_nonce
from tests.helpers.backend import RunningBackend, StationClient


def error_of(resp: requests.Response) -> str:
    assert resp.status_code == 401, resp.text
    body = ErrorBody.model_validate_json(resp.content)
    assert body.reason
    return body.error


def test_health_is_unsigned_and_reports_server_time(station: StationClient) -> None:
    resp = station.request("GET", "/v1/health", sign=False)
    assert resp.status_code == 200
    health = HealthResponse.model_validate_json(resp.content)
    assert abs(health.server_unix - time.time()) < 5
    assert resp.headers.get("date")  # stations can also read skew from Date


def test_signed_request_passes(station: StationClient) -> None:
    assert station.changes().status_code == 200


def test_unsigned_request_is_refused(station: StationClient) -> None:
    assert error_of(station.request("GET", "/v1/changes", sign=False)) == "missing_headers"


def test_unknown_station_and_wrong_secret_get_the_same_answer(
        backend: RunningBackend, station: StationClient) -> None:
    """Station ids cannot be probed: an unknown station is refused word for word like a
    known station with a wrong secret."""
    stranger = backend.client("NOBODY1", "x" * 43)
    impostor = backend.client(station.station_id, "x" * 43)
    unknown, wrong = stranger.changes(), impostor.changes()
    assert error_of(unknown) == error_of(wrong) == "bad_signature"
    assert unknown.content == wrong.content


def test_wrong_secret(backend: RunningBackend, station: StationClient) -> None:
    impostor = backend.client(station.station_id, station.secret[:-2] + "AA")
    assert error_of(impostor.changes()) == "bad_signature"


@pytest.mark.parametrize("offset", [-301, 301])
def test_timestamp_outside_five_minutes(station: StationClient, offset: int) -> None:
    resp = station.request("GET", "/v1/changes", timestamp=int(time.time()) + offset)
    assert error_of(resp) == "clock_skew"
    assert "秒" in ErrorBody.model_validate_json(resp.content).reason


def test_timestamp_inside_window_is_fine(station: StationClient) -> None:
    assert station.request("GET", "/v1/changes", timestamp=int(time.time()) - 250).ok


def test_replayed_nonce(station: StationClient) -> None:
    nonce = new_nonce()
    assert station.request("GET", "/v1/changes", nonce=nonce).status_code == 200
    assert error_of(station.request("GET", "/v1/changes", nonce=nonce)) == "replayed_nonce"


def test_forged_request_does_not_burn_the_nonce(backend: RunningBackend,
                                                station: StationClient) -> None:
    nonce = new_nonce()
    impostor = backend.client(station.station_id, "wrong-secret")
    assert error_of(impostor.request("GET", "/v1/changes", nonce=nonce)) == "bad_signature"
    assert station.request("GET", "/v1/changes", nonce=nonce).status_code == 200


def test_tampered_body(station: StationClient) -> None:
    body = b'{"station_id":"QDK01","submissions":[]}'
    headers = station.signed_headers("POST", "/v1/push", "", body)
    resp = station.session.post(station.base_url + "/v1/push", data=body.replace(b"[]", b"[1]"),
                                headers=headers, timeout=10)
    assert error_of(resp) == "body_hash_mismatch"


def test_body_and_hash_swapped_together_still_fails(station: StationClient) -> None:
    body = b'{"station_id":"QDK01","submissions":[1]}'
    headers = station.signed_headers("POST", "/v1/push", "", b"{}")
    headers["X-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    resp = station.session.post(station.base_url + "/v1/push", data=body, headers=headers,
                                timeout=10)
    assert error_of(resp) == "bad_signature"


def test_tampered_query_and_path(station: StationClient) -> None:
    headers = station.signed_headers("GET", "/v1/changes", "cursor=0&limit=10")
    resp = station.session.get(station.base_url + "/v1/changes?cursor=5&limit=10",
                               headers=headers, timeout=10)
    assert error_of(resp) == "bad_signature"
    headers = station.signed_headers("GET", "/v1/changes", "")
    resp = station.session.get(station.base_url + "/v1/catalogue", headers=headers, timeout=10)
    assert error_of(resp) == "bad_signature"


def test_query_order_does_not_matter(station: StationClient) -> None:
    headers = station.signed_headers("GET", "/v1/changes", "limit=10&cursor=0")
    resp = station.session.get(station.base_url + "/v1/changes?cursor=0&limit=10",
                               headers=headers, timeout=10)
    assert resp.status_code == 200


def test_rotated_secret_replaces_the_old_one(backend: RunningBackend,
                                             station: StationClient) -> None:
    rc, out, err = backend.cli("enroll", station.station_id, "--rotate")
    assert rc == 0, err
    new_secret = next(x.split(": ", 1)[1] for x in out.splitlines() if x.startswith("secret: "))
    assert error_of(station.changes()) == "bad_signature"
    assert backend.client(station.station_id, new_secret).changes().status_code == 200
