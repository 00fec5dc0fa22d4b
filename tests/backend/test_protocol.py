"""Wire models and signing in isolation: canonical bytes, strictness, signature round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from station_app.wire.canonical import canonical_json, content_sha256
from station_app.wire.protocol import (
    MAX_BATCH_ITEMS,
    ChangesResponse,
    PushEnvelope,
    PushItemResult,
    PushRequest,
    WireSubmission,
    push_body,
)
from station_app.wire.signing import (
    SignatureError,
    canonical_query,
    new_secret,
    sign_request,
    verify_signature,
)
from tests.helpers.backend import MakeSubmission

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_round_trips_to_the_same_bytes(value: Any) -> None:
    once = canonical_json(value)
    assert canonical_json(json.loads(once)) == once


def test_canonical_json_shape() -> None:
    assert canonical_json({"b": 1, "a": ["汉阳", None]}) == '{"a":["汉阳",null],"b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_submission_hash_ignores_key_order_but_not_content(make_submission: MakeSubmission) -> None:
    sub = make_submission()
    reordered = dict(reversed(list(sub.items())))
    assert content_sha256(sub) == content_sha256(reordered)
    assert WireSubmission.model_validate(sub).content_sha256() == content_sha256(sub)
    assert content_sha256({**sub, "operator": "别人"}) != content_sha256(sub)


@pytest.mark.parametrize("change", [
    {"submission_id": "8F4B98C6-C556-4B95-877C-7003FA2352BC"},  # one spelling per id
    {"created_at": "2026-11-25T09:30:00"},  # no offset
    {"created_at": "yesterday"},
    {"form_version": True},
    {"extra": 1},
    {"materials": [{"name": "x", "provided": "yes"}]},
])
def test_wire_submission_is_strict(make_submission: MakeSubmission, change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        WireSubmission.model_validate(make_submission(**change))


def test_batches_are_bounded_and_joined_bytes_are_the_request(
        make_submission: MakeSubmission) -> None:
    subs = [WireSubmission.model_validate(make_submission()) for _ in range(MAX_BATCH_ITEMS)]
    stored = [canonical_json(s.wire_dict()) for s in subs]  # what the outbox keeps
    body = push_body("QDK01", stored)
    assert body == canonical_json({"station_id": "QDK01",
                                   "submissions": [s.wire_dict() for s in subs]})
    assert PushRequest.model_validate_json(body).submissions == subs
    assert PushEnvelope.model_validate_json(body).station_id == "QDK01"
    with pytest.raises(ValidationError):
        PushRequest(station_id="QDK01", submissions=[*subs, subs[0]])
    with pytest.raises(ValidationError):
        PushRequest.model_validate_json(push_body("QDK01", []))


@pytest.mark.parametrize("reply", [
    {"index": 0, "submission_id": "a", "outcome": "accepted"},  # ack without receipt
    {"index": 0, "submission_id": "a", "outcome": "rejected", "receipt_no": "R"},
    {"index": 0, "submission_id": "a", "outcome": "rejected"},  # no reason
    {"index": 0, "submission_id": "a", "outcome": "retry", "reason": "r"},  # nothing to upload
    {"index": 0, "submission_id": "a", "outcome": "stored", "receipt_no": "R"},
    {"index": "0", "submission_id": "a", "outcome": "accepted", "receipt_no": "R"},
])
def test_inconsistent_item_results_are_unparsable(reply: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PushItemResult.model_validate_json(json.dumps(reply))


def test_changes_reply_rejects_unknown_statuses() -> None:
    bad = {"changes": [{"event_id": 1, "receipt_no": "R", "status": "已撤销", "note": "",
                        "submission_id": "8f4b98c6-c556-4b95-877c-7003fa2352bc",
                        "at": "2026-11-25T01:00:00Z"}], "next_cursor": 1, "more": False}
    with pytest.raises(ValidationError):
        ChangesResponse.model_validate_json(json.dumps(bad))


def test_canonical_query_sorts_and_encodes() -> None:
    assert canonical_query("b=2&a=%E6%B1%89&a=1") == "a=%E6%B1%89&a=1&b=2"  # by encoded bytes
    params: dict[str, str | int] = {"b": 2, "a": "汉"}
    assert canonical_query(params) == "a=%E6%B1%89&b=2"
    assert canonical_query(None) == canonical_query("") == ""


def test_signature_round_trip_and_failures() -> None:
    secret = new_secret()
    body = b'{"x":1}'
    headers = sign_request("POST", "/v1/push", "", body, "QDK01", secret, timestamp=1_000_000)
    nonce, ts = verify_signature("POST", "/v1/push", "", headers, body, secret, now=1_000_100)
    assert (nonce, ts) == (headers["X-Nonce"], 1_000_000)
    lower = {k.lower(): v for k, v in headers.items()}  # header names are case-insensitive
    verify_signature("POST", "/v1/push", None, lower, body, secret, now=1_000_000)
    cases = [
        (("PUT", "/v1/push", "", headers, body, secret), "bad_signature"),
        (("POST", "/v1/pull", "", headers, body, secret), "bad_signature"),
        (("POST", "/v1/push", "a=1", headers, body, secret), "bad_signature"),
        (("POST", "/v1/push", "", headers, b"{}", secret), "body_hash_mismatch"),
        (("POST", "/v1/push", "", headers, body, new_secret()), "bad_signature"),
        (("POST", "/v1/push", "", {**headers, "X-Station-Id": "X2"}, body, secret),
         "bad_signature"),
        (("POST", "/v1/push", "", {**headers, "X-Nonce": "zz"}, body, secret), "bad_nonce"),
        (("POST", "/v1/push", "", {**headers, "X-Timestamp": "1e6"}, body, secret),
         "bad_timestamp"),
        (("POST", "/v1/push", "", {"X-Station-Id": "QDK01"}, body, secret), "missing_headers"),
    ]
    for args, code in cases:
        with pytest.raises(SignatureError) as info:
            verify_signature(*args, now=1_000_000)
        assert info.value.code == code, args
    with pytest.raises(SignatureError, match="300"):
        verify_signature("POST", "/v1/push", "", headers, body, secret, now=1_000_301)


def test_secrets_are_long_and_fresh() -> None:
    a, b = new_secret(), new_secret()
    assert a != b and len(a) >= 43


def test_secrets_never_start_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed after --secret, a leading dash would be read as an option (1 secret in 64)."""
    import secrets as secrets_module

    draws = iter(["-abc" + "x" * 39, "Zabc" + "x" * 39])
    monkeypatch.setattr(secrets_module, "token_urlsafe", lambda _n: next(draws))
    assert new_secret() == "Zabc" + "x" * 39
