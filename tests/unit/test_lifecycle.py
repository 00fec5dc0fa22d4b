"""Case status workflow, local sync state and 好差评 ratings."""

from __future__ import annotations

import itertools

import pytest

from station_app.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    INITIAL_STATUS,
    CaseStatus,
    InvalidTransition,
    Rating,
    SyncState,
    can_transition,
    check_transition,
    is_final,
    needs_attention,
    next_statuses,
)

S = CaseStatus

ALLOWED = {
    (S.ACCEPTED, S.REVIEWING),
    (S.ACCEPTED, S.REFUSED),
    (S.REVIEWING, S.NEEDS_MORE),
    (S.REVIEWING, S.COMPLETED),
    (S.REVIEWING, S.REFUSED),
    (S.NEEDS_MORE, S.REVIEWING),
    (S.COMPLETED, S.COLLECTED),
}


def test_labels_and_wire_values() -> None:
    assert [(s.value, s.label) for s in CaseStatus] == [
        ("受理", "受理"), ("审核中", "审核中"), ("补正材料", "补正材料"),
        ("已办结", "已办结"), ("不予受理", "不予受理"), ("已领取", "已领取"),
    ]
    assert CaseStatus("补正材料") is S.NEEDS_MORE


def test_the_wire_speaks_the_domain_vocabulary() -> None:
    """A change event carries the domain's values, and nothing else parses."""
    from pydantic import ValidationError

    from station_app.wire.protocol import ChangeEvent

    event = {"event_id": 1, "receipt_no": "R1", "at": "2026-01-05T09:00:00+08:00",
             "submission_id": "0190a8f2-7c3e-7a00-8000-000000000001"}
    for status in CaseStatus:
        assert ChangeEvent.model_validate({**event, "status": status.value}).status is status
    with pytest.raises(ValidationError):
        ChangeEvent.model_validate({**event, "status": "needs_more"})
    assert [(s.value, s.label) for s in SyncState] == [
        ("queued", "待上报"), ("sending", "上报中"), ("synced", "已上报"),
        ("needs_attention", "需处理"),
    ]
    assert INITIAL_STATUS is S.ACCEPTED


@pytest.mark.parametrize(("a", "b"), list(itertools.product(CaseStatus, repeat=2)))
def test_exactly_the_documented_transitions_are_allowed(a: CaseStatus, b: CaseStatus) -> None:
    assert can_transition(a, b) is ((a, b) in ALLOWED)
    if (a, b) in ALLOWED:
        check_transition(a, b)
    else:
        with pytest.raises(InvalidTransition):
            check_transition(a, b)


def test_every_status_has_an_entry() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(CaseStatus)


def test_a_full_round_with_more_materials() -> None:
    path = [S.ACCEPTED, S.REVIEWING, S.NEEDS_MORE, S.REVIEWING, S.COMPLETED, S.COLLECTED]
    for a, b in itertools.pairwise(path):
        check_transition(a, b)


def test_invalid_transition_message_is_chinese_and_helpful() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition(S.COMPLETED, S.REVIEWING)
    assert str(caught.value) == "办件状态不能从「已办结」变为「审核中」；可变为：已领取"
    assert (caught.value.current, caught.value.new) == (S.COMPLETED, S.REVIEWING)
    with pytest.raises(InvalidTransition, match="无（已是最终状态）"):
        check_transition(S.REFUSED, S.REVIEWING)


def test_staying_put_is_not_a_transition() -> None:
    assert not any(can_transition(s, s) for s in CaseStatus)


def test_next_statuses_in_declaration_order() -> None:
    assert next_statuses(S.REVIEWING) == (S.NEEDS_MORE, S.COMPLETED, S.REFUSED)
    assert next_statuses(S.COLLECTED) == ()


def test_is_final() -> None:
    assert {s for s in CaseStatus if is_final(s)} == {S.REFUSED, S.COLLECTED}


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("sync", list(SyncState))
def test_needs_attention(status: CaseStatus, sync: SyncState) -> None:
    expected = sync is SyncState.NEEDS_ATTENTION or status is S.NEEDS_MORE
    assert needs_attention(status, sync) is expected


def test_ratings() -> None:
    assert [(r.label, r.score) for r in Rating] == [
        ("非常满意", 5), ("满意", 4), ("基本满意", 3), ("不满意", 2), ("非常不满意", 1),
    ]
    assert all(Rating.from_score(r.score) is r for r in Rating)
    assert [r.is_negative for r in Rating] == [False, False, False, True, True]
    for bad in (0, 6, -1, True):
        with pytest.raises(ValueError, match="1 至 5"):
            Rating.from_score(bad)
