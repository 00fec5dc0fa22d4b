"""Signing on the push path, which checks headers with the secret its process read last and
records the nonce in the push's own transaction (district_backend/push_path.py): a rotated
secret, a replayed nonce and a refused batch are answered as on every other endpoint, and a
refused push stores nothing."""

from __future__ import annotations

import requests

from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import ErrorBody, PushResponse
from station_app.wire.signing import new_nonce
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient
from tests.helpers.sync_harness import backend_received


def error_of(resp: requests.Response, status: int = 401) -> str:
    assert resp.status_code == status, resp.text
    return ErrorBody.model_validate_json(resp.content).error


def row_count(db_url: str) -> int:
    return len(backend_received(db_url))


def push_body(station: StationClient, make_submission: MakeSubmission) -> bytes:
    return canonical_json({"station_id": station.station_id,
                           "submissions": [make_submission()]})


def test_the_old_secret_is_refused_on_push_once_rotated(
        backend: RunningBackend, station: StationClient,
        make_submission: MakeSubmission) -> None:
    assert station.push([make_submission()]).status_code == 200  # the old secret, now known
    rc, out, err = backend.cli("enroll", station.station_id, "--rotate")
    assert rc == 0, err
    new_secret = next(x.split(": ", 1)[1] for x in out.splitlines() if x.startswith("secret: "))
    assert error_of(station.push([make_submission()])) == "bad_signature"
    assert row_count(backend.db_url) == 1
    renewed = backend.client(station.station_id, new_secret)
    [result] = PushResponse.model_validate_json(renewed.push([make_submission()]).content).results
    assert result.outcome == "accepted"
    assert error_of(station.push([make_submission()])) == "bad_signature"
    assert row_count(backend.db_url) == 2


def test_a_replayed_push_is_refused_and_stores_nothing_more(
        backend: RunningBackend, station: StationClient,
        make_submission: MakeSubmission) -> None:
    body, nonce = push_body(station, make_submission), new_nonce()
    first = station.request("POST", "/v1/push", body=body, nonce=nonce)
    assert first.status_code == 200, first.text
    assert error_of(station.request("POST", "/v1/push", body=body, nonce=nonce)) == (
        "replayed_nonce")
    assert row_count(backend.db_url) == 1


def test_a_push_refused_whole_spends_its_nonce(station: StationClient) -> None:
    nonce = new_nonce()
    body = b'{"station_id":"QDK01"}'
    assert error_of(station.request("POST", "/v1/push", body=body, nonce=nonce), 422) == (
        "invalid_request")
    assert error_of(station.request("POST", "/v1/push", body=body, nonce=nonce)) == (
        "replayed_nonce")


def test_a_forged_push_from_a_known_station_does_not_burn_the_nonce(
        backend: RunningBackend, station: StationClient,
        make_submission: MakeSubmission) -> None:
    assert station.push([make_submission()]).status_code == 200  # its secret is known now
    body, nonce = push_body(station, make_submission), new_nonce()
    impostor = backend.client(station.station_id, "wrong-secret")
    assert error_of(impostor.request("POST", "/v1/push", body=body, nonce=nonce)) == (
        "bad_signature")
    assert station.request("POST", "/v1/push", body=body, nonce=nonce).status_code == 200
    assert row_count(backend.db_url) == 2
