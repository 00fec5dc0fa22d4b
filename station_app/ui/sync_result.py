"""The one line the status bar shows when a sync the worker asked for (立即同步) ends.

Scheduled runs stay quiet (the bar's counts and connection say enough every minute); a run a
person asked for answers that person: done and what moved, or not done and why.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_app.sync.report import SyncReport


def result_line(report: SyncReport) -> str:
    """Done or not done first, then the counts that matter to the worker at the desk."""
    if report.busy:
        return QCoreApplication.translate("SyncResult", "已有同步正在进行，稍后再看结果")
    if report.error:
        return QCoreApplication.translate("SyncResult", "同步未完成：{0}").format(report.error)
    problems = report.rejected + report.conflicts + report.local_problems \
        + report.feedback_refused
    if report.acked or report.pulled_changes:
        line = QCoreApplication.translate(
            "SyncResult", "同步完成：上报 {0} 件，收到状态变更 {1} 条").format(
            report.acked, report.pulled_changes)
    else:
        line = QCoreApplication.translate(
            "SyncResult", "同步完成：没有待上报的办件，也没有新的状态变更")
    if problems:
        line += QCoreApplication.translate("SyncResult", "；{0} 件需处理").format(problems)
    if report.more_pending:
        line += QCoreApplication.translate("SyncResult", "；还有办件待发，稍后自动继续")
    return line
