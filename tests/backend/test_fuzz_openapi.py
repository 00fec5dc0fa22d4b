"""Every endpoint of the district backend, fuzzed from the backend's own OpenAPI document
(schemathesis), over real HTTP on 127.0.0.1, on SQLite and PostgreSQL: schema-conforming
("positive") and schema-violating ("negative") requests, signed with a real enrolled
station's secret (so they reach the handlers) and unsigned. Whatever is sent, the answer is
never a 5xx, and every refusal is in the one error shape.

Bounded for CI: 200 requests per endpoint (derandomized, so CI runs the same ones every
time). The ``slow`` variant sends ten times as many, freshly random.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from tests.helpers.backend import RunningBackend, ServeBackend, new_submission
from tests.helpers.fuzz import StationSigner, check_reply
from tests.helpers.postgres import backend_database

STATION = "QDK01"


@dataclass(frozen=True)
class Plan:
    """How many requests of one kind each endpoint gets."""

    mode: GenerationMode
    signed: bool
    examples: int


CI_PLANS = (Plan(GenerationMode.POSITIVE, True, 80), Plan(GenerationMode.NEGATIVE, True, 80),
            Plan(GenerationMode.POSITIVE, False, 20), Plan(GenerationMode.NEGATIVE, False, 20))


def _storable(submission: Any, data: st.DataObject) -> Any:
    """Sometimes turn a generated item into one the backend can store (a real item code and
    an aware time), so generated content also reaches the INSERT, not only the checks."""
    if isinstance(submission, dict) and data.draw(st.booleans(), label="storable"):
        good = new_submission()
        return {**submission, "item_code": good["item_code"], "bundle_code": None,
                "created_at": good["created_at"]}
    return submission


def _steer(case: Any, data: st.DataObject) -> None:
    """Point generated requests at the paths worth reaching: a push for the signing station,
    an upload whose address is its content's hash."""
    path, body = case.operation.path, case.body
    if path == "/v1/push" and isinstance(body, dict) and data.draw(st.booleans(), label="own"):
        body["station_id"] = STATION
        items = body.get("submissions")
        if isinstance(items, list):
            body["submissions"] = [_storable(item, data) for item in items]
    if (path == "/v1/attachments/{sha256}" and isinstance(body, bytes)
            and data.draw(st.booleans(), label="hash matches")):
        case.path_parameters["sha256"] = hashlib.sha256(body).hexdigest()


def _has_inputs(operation: Any) -> bool:
    return any(len(getattr(operation, part, ())) for part in (
        "path_parameters", "headers", "cookies", "query", "body"))


def fuzz_every_endpoint(backend: RunningBackend, plans: tuple[Plan, ...], scale: int,
                        derandomize: bool) -> Counter[str]:
    """Run the plans over every operation of the served schema; count requests per operation."""
    station = backend.enroll(STATION)
    target = Target(backend.base_url, StationSigner(STATION, station.secret), requests.Session(),
                     Counter())
    target.http.trust_env = False
    schema = schemathesis.openapi.from_url(backend.base_url + "/openapi.json")
    try:
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                pytest.fail(f"the served schema does not load: {result.err()}")
            operation = result.ok()
            for plan in plans:
                if plan.mode is GenerationMode.NEGATIVE and not _has_inputs(operation):
                    continue  # nothing to get wrong (GET /v1/health)
                _fuzz_operation(target, operation, plan, scale, derandomize)
    finally:
        target.http.close()
    return target.sent


@dataclass(frozen=True)
class Target:
    base_url: str
    signer: StationSigner
    http: requests.Session
    sent: Counter[str]


def _fuzz_operation(target: Target, operation: Any, plan: Plan, scale: int,
                    derandomize: bool) -> None:
    @settings(max_examples=plan.examples * scale, deadline=None, database=None,
              derandomize=derandomize, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=plan.mode), data=st.data())
    def send(case: Any, data: st.DataObject) -> None:
        if plan.signed:
            _steer(case, data)
        response = case.call(base_url=target.base_url, session=target.http, timeout=30,
                             auth=target.signer if plan.signed else None)
        target.sent[operation.label] += 1
        check_reply(case.method, response, case.as_curl_command())

    try:
        send()
    except Unsatisfiable:
        pytest.fail(f"{operation.label}: no {plan.mode.value} input generated")


def _run(tmp_path: Path, backend_db: str, backend_server: ServeBackend, scale: int,
         derandomize: bool) -> Counter[str]:
    with backend_database(backend_db) as db_url, backend_server(
            tmp_path, db_url=db_url, api_docs=True) as backend:
        sent = fuzz_every_endpoint(backend, CI_PLANS, scale, derandomize)
        paths = backend.client(STATION, "x").session.get(backend.base_url + "/openapi.json")
        operations = {f"{m.upper()} {p}" for p, ops in paths.json()["paths"].items()
                      for m in ops}
    assert set(sent) == operations, "every endpoint of the schema was fuzzed"
    return sent


@pytest.mark.timeout(600)
def test_no_input_gets_a_5xx_from_any_endpoint(
        tmp_path: Path, backend_db: str, backend_server: ServeBackend,
        record_property: Any) -> None:
    sent = _run(tmp_path, backend_db, backend_server, scale=1, derandomize=True)
    for label, n in sent.items():  # health takes no input: one request per plan is all
        assert n >= (1 if label == "GET /v1/health" else 150), f"{label}: only {n} requests"
    record_property("inputs_fuzzed", sum(sent.values()))
    print(f"fuzzed {sum(sent.values())} requests on {backend_db}: {dict(sent)}")


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_no_input_gets_a_5xx_from_any_endpoint_long_run(
        tmp_path: Path, backend_db: str, backend_server: ServeBackend,
        record_property: Any) -> None:
    sent = _run(tmp_path, backend_db, backend_server, scale=10, derandomize=False)
    record_property("inputs_fuzzed", sum(sent.values()))
    print(f"fuzzed {sum(sent.values())} requests on {backend_db}: {dict(sent)}")
