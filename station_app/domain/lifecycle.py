"""The life of a case: district status, local sync state and the resident's rating.

Two separate axes, on purpose. `CaseStatus` is what the district says about the case and only
changes when a status change is pulled from the backend; `SyncState` is whether this station
has delivered the submission yet. Keeping them apart means a network failure can never make a
case look refused, and a refusal can never look like a delivery problem.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ATTENTION_STATUS",
    "ATTENTION_SYNC",
    "FINISHED",
    "INITIAL_STATUS",
    "LOCAL_SAVED",
    "CaseStatus",
    "InvalidTransition",
    "Rating",
    "SyncState",
    "can_transition",
    "check_transition",
    "is_final",
    "needs_attention",
    "next_statuses",
]


class CaseStatus(StrEnum):
    """Status of a case at the district. The values are the names on the wire, in the
    station's and the backend's tables and on screen: one vocabulary, written once."""

    ACCEPTED = "受理"
    REVIEWING = "审核中"
    NEEDS_MORE = "补正材料"
    COMPLETED = "已办结"
    REFUSED = "不予受理"
    COLLECTED = "已领取"

    @property
    def label(self) -> str:
        return self.value


LOCAL_SAVED = "已保存"
"""The history line a case gets at the station's COMMIT, before the district has it."""

INITIAL_STATUS = CaseStatus.ACCEPTED

ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.ACCEPTED: frozenset({CaseStatus.REVIEWING, CaseStatus.REFUSED}),
    CaseStatus.REVIEWING: frozenset(
        {CaseStatus.NEEDS_MORE, CaseStatus.COMPLETED, CaseStatus.REFUSED}
    ),
    CaseStatus.NEEDS_MORE: frozenset({CaseStatus.REVIEWING}),
    CaseStatus.COMPLETED: frozenset({CaseStatus.COLLECTED}),
    CaseStatus.REFUSED: frozenset(),
    CaseStatus.COLLECTED: frozenset(),
}


class InvalidTransition(ValueError):
    """A status change that the district workflow does not allow."""

    def __init__(self, current: CaseStatus, new: CaseStatus) -> None:
        self.current = current
        self.new = new
        allowed = "、".join(s.label for s in next_statuses(current)) or "无（已是最终状态）"
        super().__init__(
            f"办件状态不能从「{current.label}」变为「{new.label}」；可变为：{allowed}"
        )


def next_statuses(current: CaseStatus) -> tuple[CaseStatus, ...]:
    """Statuses reachable in one step, in declaration order (stable for menus and messages)."""
    allowed = ALLOWED_TRANSITIONS[current]
    return tuple(s for s in CaseStatus if s in allowed)


def can_transition(current: CaseStatus, new: CaseStatus) -> bool:
    """True when the workflow allows `current` -> `new`.

    Staying in the same status is not a transition (False); a caller that may see the same
    change twice, such as a status pull that is retried, should treat it as a no-op first.
    """
    return new in ALLOWED_TRANSITIONS[current]


def check_transition(current: CaseStatus, new: CaseStatus) -> None:
    """Raise `InvalidTransition` unless `current` -> `new` is allowed."""
    if not can_transition(current, new):
        raise InvalidTransition(current, new)


FINISHED: frozenset[CaseStatus] = frozenset(
    {CaseStatus.COMPLETED, CaseStatus.COLLECTED, CaseStatus.REFUSED})
"""Cases the district has finished with (已办结, 已领取, 不予受理): after the retention period
their personal data is purged at the station (已办结 can still become 已领取, which needs no
personal data)."""


def is_final(status: CaseStatus) -> bool:
    """True when nothing can follow (不予受理, 已领取): the case is closed for good."""
    return not ALLOWED_TRANSITIONS[status]


class SyncState(StrEnum):
    """Whether this station has delivered the submission to the district."""

    QUEUED = "queued"
    SENDING = "sending"
    SYNCED = "synced"
    NEEDS_ATTENTION = "needs_attention"

    @property
    def label(self) -> str:
        return _SYNC_LABELS[self]


_SYNC_LABELS: dict[SyncState, str] = {
    SyncState.QUEUED: "待上报",
    SyncState.SENDING: "上报中",
    SyncState.SYNCED: "已上报",
    SyncState.NEEDS_ATTENTION: "需处理",
}


ATTENTION_SYNC = SyncState.NEEDS_ATTENTION
ATTENTION_STATUS = CaseStatus.NEEDS_MORE


def needs_attention(status: CaseStatus, sync: SyncState, *, rating_open: bool = False) -> bool:
    """需处理, the one definition: a worker must act when the district rejected the upload
    (``ATTENTION_SYNC``), asks for 补正材料 (``ATTENTION_STATUS``), or a 好差评 of the case
    is open (``rating_open``: a 差评 not yet followed up, or a rating the district refused).
    The store's query for the ⚠ list and the status bar's count is built from these names."""
    return sync is ATTENTION_SYNC or status is ATTENTION_STATUS or rating_open


class Rating(StrEnum):
    """好差评: the resident's five-level rating of the service."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self][0]

    @property
    def score(self) -> int:
        """5 (非常满意) down to 1 (非常不满意)."""
        return _RATING_LABELS[self][1]

    @property
    def is_negative(self) -> bool:
        """差评 (不满意, 非常不满意) must be followed up, so callers need to tell them apart."""
        return self.score <= 2

    @classmethod
    def from_score(cls, score: int) -> Rating:
        if not isinstance(score, bool):
            for r in cls:
                if r.score == score:
                    return r
        raise ValueError(f"评价分值须为 1 至 5 的整数：{score!r}")


_RATING_LABELS: dict[Rating, tuple[str, int]] = {
    Rating.VERY_SATISFIED: ("非常满意", 5),
    Rating.SATISFIED: ("满意", 4),
    Rating.FAIRLY_SATISFIED: ("基本满意", 3),
    Rating.DISSATISFIED: ("不满意", 2),
    Rating.VERY_DISSATISFIED: ("非常不满意", 1),
}
