"""A stateful fuzz of push, changes and attachments against the real backend (real HTTP on
127.0.0.1, SQLite and PostgreSQL): a Hypothesis state machine whose steps mix requests
generated from the backend's own OpenAPI (schemathesis strategies) with the sequences a
station really makes (push, retry the same bytes, retry with other content, upload then name
an attachment, page through the change feed) and with hostile items (lone surrogates, NUL,
infinities, 60-digit numbers, deep nesting) spliced into valid batches.

After every step: no request got a 5xx; the backend holds each submission of the station
once, under the receipt it first gave; a retry gets that receipt back; a hostile item never
takes a valid neighbour down with it; the change feed grows and shows every stored case.
Schemathesis' own stateful mode needs OpenAPI links between operations, which this API does
not declare (its dependencies are content hashes and cursors), hence the state machine.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from schemathesis import GenerationMode
from sqlalchemy import Engine, create_engine, text

from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import ChangesResponse, PushResponse
from tests.helpers.backend import RunningBackend, ServeBackend, StationClient, new_submission
from tests.helpers.fuzz import StationSigner, check_reply
from tests.helpers.postgres import backend_database

CI_EXAMPLES, CI_STEPS = 30, 25


@dataclass
class Env:
    backend: RunningBackend
    db: Engine
    schema: Any  # the served OpenAPI, loaded by schemathesis
    ids: Iterator[int]
    requests: int = 0


def _hostile_json() -> st.SearchStrategy[str]:
    """JSON text a station never sends: any code point (lone surrogates included, escaped),
    huge and tiny numbers, deep nesting."""
    scalars = (st.none() | st.booleans() | st.integers(-(10**60), 10**60)
               | st.floats(allow_nan=False, allow_infinity=False)  # Infinity is not JSON
               | st.text(st.characters(codec=None), max_size=20))
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                          max_leaves=12)
    deep = st.integers(1, 40).map(lambda n: "[" * n + "0" + "]" * n)
    return st.one_of(values.map(json.dumps), deep, st.sampled_from(["1e400", "-1e999"]))


class ApiMachine(RuleBasedStateMachine):
    env: ClassVar[Env]

    def __init__(self) -> None:
        super().__init__()
        self.station_id = f"FZ{next(self.env.ids):04d}"
        self.client: StationClient = self.env.backend.enroll(self.station_id)
        self.signer = StationSigner(self.station_id, self.client.secret)
        self.stored: dict[str, tuple[dict[str, Any], str]] = {}  # sid: (item, receipt)
        self.uploaded: dict[str, int] = {}
        self.cursor = 0
        self.seen_events: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------

    def _checked(self, method: str, response: requests.Response, what: str) -> None:
        self.env.requests += 1
        check_reply(method, response, what)

    def _push(self, items: list[bytes]) -> list[Any]:
        body = (b'{"station_id":' + canonical_json(self.station_id) + b',"submissions":['
                + b",".join(items) + b"]}")
        resp = self.client.request("POST", "/v1/push", body=body)
        self._checked("POST", resp, f"push of {len(items)} items")
        assert resp.status_code == 200, resp.text
        results = PushResponse.model_validate_json(resp.content).results
        assert [r.index for r in results] == list(range(len(items)))
        return results

    def _new_item(self, data: st.DataObject) -> dict[str, Any]:
        item = new_submission(tracking_ref=f"{self.station_id}-{len(self.stored):06d}")
        names_upload = data.draw(st.booleans(), label="names an upload")
        if self.uploaded and names_upload:
            sha = data.draw(st.sampled_from(sorted(self.uploaded)))
            item["materials"] = [{"name": "扫描件", "provided": True, "attachments": [sha],
                                  "note": None}]
        return item

    def _record(self, item: dict[str, Any], result: Any) -> None:
        sid = item["submission_id"]
        if result.outcome == "accepted":
            assert sid not in self.stored, "a second receipt for a stored submission"
            self.stored[sid] = (item, result.receipt_no)
        elif result.outcome == "duplicate":
            assert self.stored[sid][1] == result.receipt_no

    # -- rules -----------------------------------------------------------------------------

    @rule(data=st.data(), n=st.integers(1, 5))
    def push_new(self, data: st.DataObject, n: int) -> None:
        items = [self._new_item(data) for _ in range(n)]
        for item, result in zip(items, self._push([canonical_json(i) for i in items]),
                                strict=True):
            assert result.outcome == "accepted", result
            self._record(item, result)

    @precondition(lambda self: bool(self.stored))
    @rule(data=st.data(), changed=st.booleans())
    def push_again(self, data: st.DataObject, changed: bool) -> None:
        sid = data.draw(st.sampled_from(sorted(self.stored)))
        item, receipt = self.stored[sid]
        if changed:
            item = {**item, "operator": item["operator"] + "改"}
        [result] = self._push([canonical_json(item)])
        expected = "conflict" if changed else "duplicate"
        assert result.outcome == expected, result
        if not changed:
            assert result.receipt_no == receipt

    @rule(data=st.data(), hostile=_hostile_json(), field=st.sampled_from(
        ["payload", "form_version", "operator", "tracking_ref", "submission_id", "materials"]))
    def push_hostile_beside_a_valid_item(self, data: st.DataObject, hostile: str,
                                         field: str) -> None:
        good = self._new_item(data)
        text_item = json.dumps(new_submission(), ensure_ascii=True)[:-1]
        payload = f'{{"x": {hostile}}}' if field == "payload" else hostile
        bad = f'{text_item}, "{field}": {payload}}}'.encode()
        first, second = self._push([bad, canonical_json(good)])
        assert first.outcome in ("rejected", "accepted"), first
        assert second.outcome == "accepted", second
        self._record(good, second)
        if first.outcome == "accepted":  # a hostile value that is valid after all: stored once
            self._record(json.loads(bad), first)

    @rule(data=st.data(), mode=st.sampled_from(list(GenerationMode)))
    def push_generated(self, data: st.DataObject, mode: GenerationMode) -> None:
        case = data.draw(self.env.schema["/v1/push"]["POST"].as_strategy(generation_mode=mode))
        if isinstance(case.body, dict):
            case.body["station_id"] = self.station_id
        resp = case.call(base_url=self.env.backend.base_url, session=self.client.session,
                         auth=self.signer, timeout=30)
        self._checked("POST", resp, case.as_curl_command())
        if resp.status_code == 200:
            items = case.body["submissions"]
            for item, result in zip(items, PushResponse.model_validate_json(
                    resp.content).results, strict=True):
                if result.outcome == "accepted":
                    self._record(item, result)

    @rule(content=st.binary(max_size=2048), honest=st.booleans())
    def upload(self, content: bytes, honest: bool) -> None:
        sha = hashlib.sha256(content if honest else content + b"!").hexdigest()
        resp = self.client.request("PUT", f"/v1/attachments/{sha}", body=content,
                                   headers={"Content-Type": "application/octet-stream"})
        self._checked("PUT", resp, f"upload of {len(content)} bytes")
        if honest:
            assert resp.status_code in (200, 201), resp.text
            self.uploaded[sha] = len(content)
        else:
            assert resp.status_code == 422, resp.text

    @rule(data=st.data(), mode=st.sampled_from(list(GenerationMode)),
          method=st.sampled_from(["PUT", "HEAD"]))
    def attachment_generated(self, data: st.DataObject, mode: GenerationMode,
                             method: str) -> None:
        operation = self.env.schema["/v1/attachments/{sha256}"][method]
        case = data.draw(operation.as_strategy(generation_mode=mode))
        resp = case.call(base_url=self.env.backend.base_url, session=self.client.session,
                         auth=self.signer, timeout=30)
        self._checked(method, resp, case.as_curl_command())

    @rule(data=st.data())
    def head_known_or_not(self, data: st.DataObject) -> None:
        sha = data.draw(st.sampled_from(sorted(self.uploaded)) if self.uploaded
                        else st.just("0" * 64))
        resp = self.client.request("HEAD", f"/v1/attachments/{sha}")
        self._checked("HEAD", resp, f"head {sha}")
        if sha in self.uploaded:
            assert resp.status_code == 200
            assert resp.headers["X-Attachment-Size"] == str(self.uploaded[sha])
        else:
            assert resp.status_code == 404

    @rule(limit=st.integers(1, 5))
    def read_changes(self, limit: int) -> None:
        resp = self.client.changes(self.cursor, limit)
        self._checked("GET", resp, f"changes after {self.cursor}")
        page = ChangesResponse.model_validate_json(resp.content)
        ids = [c.event_id for c in page.changes]
        assert ids == sorted(ids) and all(i > self.cursor for i in ids)
        assert page.next_cursor >= self.cursor
        self.cursor = page.next_cursor
        self.seen_events.update(c.submission_id for c in page.changes)

    @rule(data=st.data(), mode=st.sampled_from(list(GenerationMode)))
    def changes_generated(self, data: st.DataObject, mode: GenerationMode) -> None:
        case = data.draw(self.env.schema["/v1/changes"]["GET"].as_strategy(generation_mode=mode))
        resp = case.call(base_url=self.env.backend.base_url, session=self.client.session,
                         auth=self.signer, timeout=30)
        self._checked("GET", resp, case.as_curl_command())

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def each_submission_once_under_its_first_receipt(self) -> None:
        with self.env.db.connect() as conn:
            rows = conn.execute(text(
                "SELECT submission_id, receipt_no FROM submissions WHERE station_id = :s"),
                {"s": self.station_id}).all()
        stored = {str(sid): str(receipt) for sid, receipt in rows}
        assert len(stored) == len(rows), "a submission stored twice"
        assert stored == {sid: receipt for sid, (_item, receipt) in self.stored.items()}

    def teardown(self) -> None:
        """The whole feed, from the start: one 受理 per stored case, nothing else."""
        resp = self.client.changes(0, 500)
        page = ChangesResponse.model_validate_json(resp.content)
        assert sorted(c.submission_id for c in page.changes) == sorted(self.stored)
        assert {c.status.value for c in page.changes} <= {"受理"}
        assert self.seen_events <= set(self.stored)


def run_machine(tmp_path: Path, backend_db: str, backend_server: ServeBackend,
                examples: int, steps: int, derandomize: bool) -> int:
    """Run the machine; returns how many requests it sent."""
    with backend_database(backend_db) as db_url, backend_server(
            tmp_path, db_url=db_url, api_docs=True) as backend:
        db = create_engine(backend.db_url)
        try:
            schema = schemathesis.openapi.from_url(backend.base_url + "/openapi.json")
            ApiMachine.env = Env(backend, db, schema, itertools.count(1))
            run_state_machine_as_test(ApiMachine, settings=settings(
                max_examples=examples, stateful_step_count=steps, deadline=None,
                database=None, derandomize=derandomize, print_blob=True,
                suppress_health_check=list(HealthCheck)))
            return ApiMachine.env.requests
        finally:
            db.dispose()


@pytest.mark.timeout(600)
def test_push_changes_and_attachments_in_any_order(
        tmp_path: Path, backend_db: str, backend_server: ServeBackend,
        record_property: Any) -> None:
    sent = run_machine(tmp_path, backend_db, backend_server, CI_EXAMPLES, CI_STEPS, True)
    assert sent >= CI_EXAMPLES * CI_STEPS // 2
    record_property("inputs_fuzzed", sent)
    print(f"stateful fuzz sent {sent} requests on {backend_db}")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_push_changes_and_attachments_in_any_order_long_run(
        tmp_path: Path, backend_db: str, backend_server: ServeBackend,
        record_property: Any) -> None:
    sent = run_machine(tmp_path, backend_db, backend_server, 150, 40, False)
    record_property("inputs_fuzzed", sent)
    print(f"stateful fuzz sent {sent} requests on {backend_db}")
