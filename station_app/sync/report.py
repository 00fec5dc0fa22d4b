"""What one sync run did, for the status bar, the log and ``station-app sync --once``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SyncReport:
    """Counts of one run. ``error`` is one Chinese line (None when the run went through);
    ``next_run_hint`` is the seconds until the next attempt is worth making (None: nothing
    is waiting); ``online`` is whether the district answered at all (None: not asked)."""

    started_at: datetime
    finished_at: datetime | None = None
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: int = 0
    retried: int = 0
    local_problems: int = 0  # set aside here (attachment missing, body too large)
    uploaded_attachments: int = 0
    feedback_acked: int = 0  # ratings and follow-up closures the district confirmed
    feedback_refused: int = 0  # refused for good (需处理)
    pulled_changes: int = 0
    catalogue_updated: str | None = None  # the version activated by this run
    catalogue_problem: str | None = None
    error: str | None = None
    next_run_hint: float | None = None
    online: bool | None = None
    busy: bool = False  # another run was in progress; this one did nothing
    deferred: bool = False  # still backing off after a failure; this one did nothing
    more_pending: bool = False  # stopped by the deadline or cancel with work left
    parts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.error is None and self.catalogue_problem is None and not self.busy

    @property
    def acked(self) -> int:
        return self.accepted + self.duplicates

    def lines(self) -> list[str]:
        """One line per fact, in Chinese, for people and for scripts that grep: the failure
        first (it is what the reader must act on), then only what did happen — a count of
        nothing is not news, so zero counts are left out."""
        if self.busy:
            return [self.error or "已有同步正在进行"]
        out: list[str] = []
        if self.error:
            out.append(f"错误：{self.error}")
            if self.next_run_hint is not None:
                out.append(f"建议 {max(round(self.next_run_hint), 0)} 秒后再试")
        if "push" in self.parts:
            out += self._push_lines()
        if "changes" in self.parts and self.pulled_changes:
            out.append(f"拉取状态变更：{self.pulled_changes} 条")
        if "catalogue" in self.parts:
            if self.catalogue_updated:
                out.append(f"事项目录：已更新到 {self.catalogue_updated}")
            elif self.catalogue_problem:
                out.append(f"事项目录：{self.catalogue_problem}")
            elif self.error is None:
                out.append("事项目录：无变化")
        if self.more_pending:
            out.append("尚有待发办件，下次继续")
            if self.error is None and self.next_run_hint is not None:
                out.append(f"建议 {max(round(self.next_run_hint), 0)} 秒后再试")
        return out

    def _push_lines(self) -> list[str]:
        counts = (("发出办件", self.sent, "件"), ("区后台受理", self.accepted, "件"),
                  ("重复应答（沿用原回执号）", self.duplicates, "件"),
                  ("拒收（需处理）", self.rejected, "件"),
                  ("编号冲突（需处理）", self.conflicts, "件"),
                  ("等待附件后重发", self.retried, "件"),
                  ("本机发现问题（需处理）", self.local_problems, "件"),
                  ("上传附件", self.uploaded_attachments, "个"),
                  ("好差评及回访上报", self.feedback_acked, "条"),
                  ("好差评被拒收（需处理）", self.feedback_refused, "条"))
        out = [f"{label}：{n} {unit}" for label, n, unit in counts if n]
        if not out and self.error is None:
            out.append("没有待发办件")
        return out
