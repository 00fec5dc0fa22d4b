"""How a demo case has fared since it was filled: delivery to the district and its statuses.

The shares follow a busy station: nearly everything is delivered within minutes, a few of
today's cases are still queued (the line was down), a handful were sent back and need a
worker, and district statuses move on in the order the district backend allows
(受理 -> 审核中 -> 补正材料 / 已办结 / 不予受理 -> 已领取), never beyond "now".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from station_app.domain.catalogue import HandlingType, ServiceItem
from station_app.domain.lifecycle import CaseStatus, SyncState
from station_app.store.bulk import HistoryEvent
from station_app.store.models import HistorySource

REVIEWING, NEEDS_MORE, COMPLETED, REFUSED, COLLECTED = (
    CaseStatus.REVIEWING, CaseStatus.NEEDS_MORE, CaseStatus.COMPLETED, CaseStatus.REFUSED,
    CaseStatus.COLLECTED)
# Items whose result is a card or certificate that the resident comes back to collect.
CERTIFICATE_ITEMS = frozenset({"CL37", "CL38", "LL25", "LL26", "RS06", "GA51", "TY48"})
SENT_BACK = (
    "区后台退回：身份证号与户籍信息不一致，请与申请人核对身份证号后重新提交",
    "区后台退回：该申请人本年度已办理此事项，请勿重复申请；如需变更请办理变更事项",
    "区后台退回：事项目录版本已停用，请按新目录重新填写",
)
NEEDS_MORE_NOTES = (
    "请补交户口簿首页及本人页复印件",
    "银行账号与开户人姓名不一致，请提供本人名下的银行卡",
    "请补交近 6 个月的收入证明",
    "残疾评定表缺少医师签字，请补齐后再交",
)
REFUSED_NOTES = ("经核查不符合申请条件：家庭人均收入高于当年标准",
                 "申请人已享受同类待遇，不予重复受理")
OFFLINE_ERROR = "连接区后台超时（网络不通），将自动重试"


@dataclass
class Timeline:
    """The outcome for one case: its sync state and its history after it was saved (the
    store writes the "saved" line itself)."""

    sync_state: SyncState
    saved_at: datetime
    events: list[HistoryEvent] = field(default_factory=list)
    acked_at: datetime | None = None
    receipt_no: str | None = None
    attention_reason: str | None = None
    attempts: int = 0

    @property
    def status(self) -> str | None:
        """The latest district status, or ``None`` before the district has answered."""
        district = [e for e in self.events if e.source is HistorySource.DISTRICT]
        return district[-1].status if district else None

    @property
    def last_change(self) -> datetime:
        return self.events[-1].at if self.events else self.saved_at


def _minutes(rng: random.Random, lo: float, hi: float) -> timedelta:
    return timedelta(minutes=rng.uniform(lo, hi))


def _days(rng: random.Random, lo: float, hi: float) -> timedelta:
    return timedelta(days=rng.uniform(lo, hi))


def timeline(rng: random.Random, item: ServiceItem, created: datetime, now: datetime,
             receipt: Callable[[datetime], str], *, may_fail: bool) -> Timeline:
    """Draw what happened to a case filled at ``created`` up to ``now``.

    ``receipt`` gives the district's next receipt number on the day of the acknowledgement.

    ``may_fail``: the case may stay queued or be sent back (not for cases with scanned
    attachments: the demo has no files behind them to upload).
    """
    age = now - created
    r = rng.random()
    if may_fail and ((age < timedelta(hours=20) and r < 0.25)
                     or (age < timedelta(days=2) and r < 0.03)):
        attempts = rng.randint(0, 4)
        return Timeline(SyncState.QUEUED, created, attempts=attempts)
    if may_fail and r > 0.985:
        reason = rng.choice(SENT_BACK)
        at = min(created + _minutes(rng, 2, 30), now)
        return Timeline(SyncState.NEEDS_ATTENTION, created, [
            HistoryEvent(SyncState.NEEDS_ATTENTION.label, at, reason, HistorySource.LOCAL)],
            attention_reason=reason)
    acked = min(created + _minutes(rng, 0.2, 15), now)
    receipt_no = receipt(acked)
    events = [HistoryEvent(CaseStatus.ACCEPTED, acked, f"回执号 {receipt_no}",
                           HistorySource.DISTRICT)]
    steps = _immediate(rng, acked) if item.handling.type is HandlingType.IMMEDIATE \
        else _promised(rng, acked, item.handling.days or 15)
    if steps and steps[-1][0] == COMPLETED and item.code in CERTIFICATE_ITEMS \
            and rng.random() < 0.8:
        steps.append((COLLECTED, steps[-1][1] + _days(rng, 1, 10), "申请人已到社区领取"))
    events += [HistoryEvent(s, at, note, HistorySource.DISTRICT)
               for s, at, note in steps if at <= now]
    return Timeline(SyncState.SYNCED, created, events, acked_at=acked, receipt_no=receipt_no)


def _immediate(rng: random.Random, acked: datetime) -> list[tuple[str, datetime, str | None]]:
    reviewing = acked + _minutes(rng, 0.5, 5)
    if rng.random() < 0.02:
        return [(REVIEWING, reviewing, None),
                (REFUSED, reviewing + _minutes(rng, 5, 60), rng.choice(REFUSED_NOTES))]
    return [(REVIEWING, reviewing, None),
            (COMPLETED, reviewing + _minutes(rng, 1, 30), "即办件，当场办结")]


def _promised(rng: random.Random, acked: datetime,
              days: int) -> list[tuple[str, datetime, str | None]]:
    calendar_days = days * 7 / 5
    at = acked + _days(rng, 0.3, 2)
    steps: list[tuple[str, datetime, str | None]] = [(REVIEWING, at, "承办部门审核中")]
    r = rng.random()
    if r < 0.10:
        at += _days(rng, 1, 3)
        steps.append((NEEDS_MORE, at, rng.choice(NEEDS_MORE_NOTES)))
        if rng.random() < 0.5:
            return steps  # the resident has not brought the papers yet
        at += _days(rng, 2, 10)
        steps.append((REVIEWING, at, "已补交材料，重新审核"))
    elif r < 0.14:
        return [*steps, (REFUSED, at + _days(rng, 2, calendar_days * 0.8),
                         rng.choice(REFUSED_NOTES))]
    steps.append((COMPLETED, at + _days(rng, calendar_days * 0.3, calendar_days), "已办结"))
    return steps
