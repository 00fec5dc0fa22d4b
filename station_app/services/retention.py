"""The daily retention job: personal data of finished cases leaves the station on time.

Cases finished (已办结 / 已领取 / 不予受理) and synced for longer than ``retention_days`` (set by
the district, default 180) keep only their minimal record; drafts untouched for 30 days are
deleted. Unsynced or unfinished cases are never touched: the district may still need them.
Each run that purges anything writes one audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Engine

from station_app.domain.china_time import CHINA_TZ
from station_app.services.context import StationContext
from station_app.services.storage_errors import writing
from station_app.store.audit import append_audit
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.store.records import get_setting, set_setting
from station_app.store.retention import (
    checkpoint,
    due_for_purge,
    purge_cases,
    purge_old_drafts,
    vacuum,
)

DRAFT_DAYS: Final = 30
ACTOR: Final = "retention"


@dataclass(frozen=True)
class PurgeReport:
    cases: int
    drafts: int
    refs: tuple[str, ...]

    def line(self) -> str:
        return f"已清除 {self.cases} 件已办结办件的个人信息、{self.drafts} 份过期草稿"


def run_retention(engine: Engine, *, now: datetime, retention_days: int,
                  compact: bool = False) -> PurgeReport:
    """Purge what is due at ``now``, in batches, one audit row per run; optionally VACUUM."""
    cutoff = now - timedelta(days=retention_days)
    refs: list[str] = []
    total = 0
    with session_scope(engine) as session:
        drafts = purge_old_drafts(session, now - timedelta(days=DRAFT_DAYS))
    while True:
        with session_scope(engine) as session:
            ids = due_for_purge(session, cutoff)
            if not ids:
                break
            refs += [session.get_one(Submission, i).tracking_ref for i in ids]
            total += purge_cases(session, ids, now)
    if total or drafts:
        with session_scope(engine) as session:
            append_audit(session, ACTOR, "retention.purged", None,
                         {"cases": total, "drafts": drafts, "retention_days": retention_days,
                          "refs": refs[:200]}, at=now)
        checkpoint(engine)
    if compact:
        vacuum(engine)
    return PurgeReport(total, drafts, tuple(refs))


LAST_RUN_SETTING: Final = "retention_last_run"
QUIET_HOURS: Final = range(0, 7)  # China time: VACUUM rewrites the file, so not at the counter


def purge_if_due(ctx: StationContext, now: datetime | None = None) -> PurgeReport | None:
    """The daily run: at most once per China calendar day, with VACUUM only in the quiet
    hours. None when today's run already happened."""
    when = now or ctx.clock()
    today = when.astimezone(CHINA_TZ).date().isoformat()
    with writing("个人信息到期清除"):
        with session_scope(ctx.engine) as session:
            if get_setting(session, LAST_RUN_SETTING) == today:
                return None
        quiet = when.astimezone(CHINA_TZ).hour in QUIET_HOURS
        report = run_retention(ctx.engine, now=when,
                               retention_days=ctx.settings.retention_days, compact=quiet)
        with session_scope(ctx.engine) as session:  # done: not again today
            set_setting(session, LAST_RUN_SETTING, today)
        return report
