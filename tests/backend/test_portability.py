"""What behaves the same on SQLite and PostgreSQL: column limits checked before the database
sees a value (SQLite stores an over-long text where PostgreSQL refuses it), and many
stations pushing at once."""

from __future__ import annotations

import json
import threading
from typing import Any

from station_app.wire.protocol import ChangesResponse, PushResponse
from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient


def test_an_over_long_note_is_refused_and_the_feed_stays_readable(
        backend: RunningBackend, station: StationClient, make_submission: MakeSubmission) -> None:
    resp = station.push([make_submission()])
    [result] = PushResponse.model_validate_json(resp.content).results
    receipt = result.receipt_no
    assert receipt is not None
    rc, out, err = backend.cli("case", "advance", receipt, "审核中", "--note", "补" * 501)
    assert rc == 1 and out == "" and "最多 500 个字" in err and len(err.strip().splitlines()) == 1
    rc, _, err = backend.cli("case", "advance", receipt, "审核中", "--note", "补" * 500)
    assert rc == 0, err
    page = station.changes()
    assert page.status_code == 200, page.text
    assert [e.status for e in ChangesResponse.model_validate_json(page.content).changes] == [
        "受理", "审核中"]


def test_an_over_long_station_name_is_refused(backend: RunningBackend) -> None:
    rc, out, err = backend.cli("enroll", "QDK09", "--name", "驿" * 101)
    assert rc == 1 and out == "" and "最多 100 个字" in err and len(err.strip().splitlines()) == 1
    rc, out, err = backend.cli("enroll", "QDK09", "--name", "驿" * 100)
    assert rc == 0, err


def test_many_stations_push_at_once(backend: RunningBackend,
                                    make_submission: MakeSubmission) -> None:
    """Twelve stations, each sending batches and then resending them, all at the same time:
    every request answered 200, one row per submission, nonces pruned without deadlocks."""
    stations = [backend.enroll(f"ST{i:02d}") for i in range(12)]
    failures: list[str] = []
    sent: dict[str, set[str]] = {}

    def run(client: Any) -> None:
        ids: set[str] = set()
        try:
            for _ in range(4):
                batch = [make_submission() for _ in range(10)]
                for attempt in range(2):  # the second time: all duplicates
                    resp = client.push(batch)
                    if resp.status_code != 200:
                        failures.append(f"{client.station_id}: {resp.status_code} {resp.text}")
                        return
                    outcomes = {r.outcome for r in
                                PushResponse.model_validate_json(resp.content).results}
                    assert outcomes == {"accepted" if attempt == 0 else "duplicate"}
                ids.update(s["submission_id"] for s in batch)
        except Exception as e:  # reported below, with the station
            failures.append(f"{client.station_id}: {type(e).__name__}: {e}")
        sent[client.station_id] = ids

    threads = [threading.Thread(target=run, args=(c,)) for c in stations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert not failures, failures[:3]
    rc, out, err = backend.cli("stats", "--json")
    assert rc == 0, err
    rows = {r["station_id"]: r for r in json.loads(out)}
    for client in stations:
        assert (rows[client.station_id]["received"], rows[client.station_id]["duplicates"]) == (
            40, 40)
        assert len(sent[client.station_id]) == 40
