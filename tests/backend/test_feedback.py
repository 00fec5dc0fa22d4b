"""``POST /v1/feedback`` on the real backend: one row per (station, item id), filed under the
case's receipt number; a resend is ``duplicate`` with the same receipt, other content under
the same id a ``conflict``; a rating before its case, or a closure before its rating,
``retry`` with nothing stored; a 差评 without a reason is refused on its own."""

from __future__ import annotations

import uuid
from typing import Any

from station_app.wire.canonical import canonical_json
from station_app.wire.feedback import FeedbackResponse
from tests.helpers.backend import RunningBackend, StationClient, new_submission


def _rating(sid: str, **kw: Any) -> dict[str, Any]:
    item = {"kind": "rating", "item_id": str(uuid.uuid4()), "submission_id": sid,
            "tracking_ref": "QDK01-000001", "level": "dissatisfied", "reason": "attitude",
            "words": "", "rated_at": "2026-11-25T10:00:00+08:00", "operator": "王帮办",
            "followup_deadline": "2026-12-02", "legacy": False}
    item.update(kw)
    return item


def _closure(sid: str, rating_id: str, **kw: Any) -> dict[str, Any]:
    item = {"kind": "closure", "item_id": str(uuid.uuid4()), "rating_id": rating_id,
            "submission_id": sid, "closed_at": "2026-11-27T10:00:00+08:00",
            "closed_by": "李站长", "notes": "已上门回访"}
    item.update(kw)
    return item


def _send(client: StationClient, *items: dict[str, Any]) -> list[tuple[str, str | None]]:
    body = canonical_json({"station_id": client.station_id, "items": list(items)})
    resp = client.request("POST", "/v1/feedback", body=body)
    assert resp.status_code == 200, resp.text
    reply = FeedbackResponse.model_validate_json(resp.content)
    return [(r.outcome, r.receipt_no or r.reason) for r in reply.results]


def _case(client: StationClient) -> tuple[str, str]:
    sub = new_submission()
    resp = client.push([sub])
    assert resp.status_code == 200, resp.text
    return sub["submission_id"], resp.json()["results"][0]["receipt_no"]


def test_a_rating_is_filed_under_its_case_once(backend: RunningBackend) -> None:
    client = backend.enroll()
    early = _rating(str(uuid.uuid4()))
    ((outcome, reason),) = _send(client, early)
    assert outcome == "retry" and reason and "尚未收到此评价所属的办件" in reason
    sid, receipt = _case(client)
    rating = _rating(sid)
    assert _send(client, rating) == [("accepted", receipt)]
    assert _send(client, rating) == [("duplicate", receipt)]
    changed = {**rating, "reason": "skill"}
    ((outcome, reason),) = _send(client, changed)
    assert outcome == "conflict" and reason and "不同内容" in reason
    rc, out, _ = backend.cli("stats", "--json")
    assert rc == 0 and '"dissatisfied": 1' in out and '"followups_open": 1' in out


def test_each_item_is_answered_on_its_own(backend: RunningBackend) -> None:
    client = backend.enroll()
    sid, receipt = _case(client)
    good = _rating(sid, level="satisfied", reason=None, followup_deadline=None)
    no_reason = _rating(sid, reason=None)
    bad = _rating(sid)
    answers = _send(client, good, no_reason, _closure(sid, bad["item_id"]), bad,
                    _closure(sid, good["item_id"]))
    assert answers[0] == ("accepted", receipt)
    assert answers[1][0] == "rejected" and "差评须有原因" in str(answers[1][1])
    assert answers[2][0] == "retry" and "尚未收到此回访所属的评价" in str(answers[2][1])
    assert answers[3] == ("accepted", receipt)
    assert answers[4][0] == "rejected" and "不是需要回访的差评" in str(answers[4][1])
    closure = _closure(sid, bad["item_id"])
    assert _send(client, closure) == [("accepted", receipt)]
    again = _send(client, _closure(sid, bad["item_id"]))
    assert again[0][0] == "conflict"
    assert _send(client, closure) == [("duplicate", receipt)]


def test_a_legacy_rating_needs_no_reason_and_no_followup(backend: RunningBackend) -> None:
    client = backend.enroll()
    sid, receipt = _case(client)
    legacy = _rating(sid, level="very_dissatisfied", reason=None, followup_deadline=None,
                     legacy=True)
    assert _send(client, legacy) == [("accepted", receipt)]
    rc, out, _ = backend.cli("stats", "--json")
    assert rc == 0 and '"very_dissatisfied": 1' in out and '"followups_open": 0' in out
