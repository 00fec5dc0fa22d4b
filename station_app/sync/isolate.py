"""Finding the item that breaks a batch: split it until the culprit fails alone.

A 5xx, a 400 or an unreadable reply to a batch of several items may be the district choking
on one of them (a "poison" item). Resending the same batch would fail for ever and hold back
every good case in it (the failure CommCare users called a "bricked" phone; DESIGN
invariant 8). So the batch is split in halves, each half resent, a failing half split again.
Halves are joined from the same stored bytes, so exactly-once holds: a half the district had
already stored is answered "duplicate" with the original receipt. An item that fails alone
``SyncOptions.poison_after`` times, in a run in which the district answered other pushes,
goes to 需处理 with the failure text; everything else goes on in the same run.

What is not the item's fault is never blamed on it:

* a timeout, a reset, a redirect, 401, 413 alone, or a reply carrying Retry-After stops the
  search at once: outcome unknown, the items stay queued and the run backs off;
* when nothing has been answered in this run, or more requests fail in a row than one poison
  item can cause (the way down to it, plus two items failing alone), the district is failing
  as a whole: the search stops and every item not answered stays queued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from station_app.store.outbox import mark_needs_attention
from station_app.sync.errors import OutcomeUnknown, SyncError
from station_app.sync.run import RunEnv

if TYPE_CHECKING:
    from station_app.sync.push import Pending

# Sends one part and applies its answers: None when answered, else the failure that may be
# one item's fault (anything else is raised).
SendPart = Callable[[list["Pending"]], OutcomeUnknown | None]
# Counts a failed attempt for the items and schedules their next one (outcome unknown).
GiveUp = Callable[[list["Pending"], SyncError], None]


def may_be_one_item(error: SyncError) -> bool:
    """Could one item of the batch have caused this failure? A definite reply only: 400,
    5xx, or a 2xx the station cannot read; never when the server asked us to wait."""
    if not isinstance(error, OutcomeUnknown) or not error.reached:
        return False
    if error.retry_after is not None or error.status is None:
        return False
    return error.status == 400 or error.status >= 500 or 200 <= error.status < 300


def _halves(part: list[Pending]) -> tuple[list[Pending], list[Pending]]:
    middle = (len(part) + 1) // 2
    return part[:middle], part[middle:]


def _kept(error: OutcomeUnknown) -> OutcomeUnknown:
    """The error without its traceback, to be kept while the search goes on: the traceback's
    frames hold the HTTP response, whose connection pool (urllib3 2) is only closed once
    nothing refers to it, so a kept traceback would keep a socket open after the client
    closed."""
    return error.with_traceback(None)


def _answered(env: RunEnv) -> bool:
    """Whether the district answered a push in this run (its push path works)."""
    r = env.report
    return r.accepted + r.duplicates + r.rejected + r.conflicts + r.retried > 0


class _Search:
    def __init__(self, env: RunEnv, batch: list[Pending], error: OutcomeUnknown,
                 send: SendPart) -> None:
        self.env = env
        self.send = send
        self.first_error = _kept(error)
        self.unresolved = {p.submission_id: p for p in batch}
        self.alone: dict[str, tuple[Pending, int, OutcomeUnknown]] = {}  # failures alone
        self.in_a_row = 1  # the batch's own failure
        self.limit = (len(batch) - 1).bit_length() + 3

    def attempt(self, part: list[Pending]) -> OutcomeUnknown | None:
        if self.env.stop():
            raise self.first_error  # out of time: the rest waits for the next run
        failed = self.send(part)
        if failed is None:
            self.in_a_row = 0
            for p in part:
                self.unresolved.pop(p.submission_id, None)
            return None
        self.in_a_row += 1
        return _kept(failed)

    def split(self, batch: list[Pending]) -> None:
        """Depth first, first half first; a part that fails is split again."""
        todo = list(reversed(_halves(batch)))
        while todo:
            part = todo.pop()
            failed = self.attempt(part)
            if failed is None:
                continue
            if self.in_a_row > self.limit:
                raise self.first_error  # the district is failing as a whole
            if len(part) > 1:
                todo.extend(reversed(_halves(part)))
            else:
                self.alone[part[0].submission_id] = (part[0], 1, failed)

    def confirm(self) -> None:
        """Resend each item that failed alone until it has failed ``poison_after`` times;
        only then, and only if the district answered others, is it set aside."""
        if not _answered(self.env):
            raise self.first_error
        needed = self.env.options.poison_after
        for item, failures, failed in list(self.alone.values()):
            while failures < needed:
                again = self.attempt([item])
                if again is None:
                    break
                failures, failed = failures + 1, again
            else:
                self._set_aside(item, failures, failed)

    def _set_aside(self, item: Pending, failures: int, failed: OutcomeUnknown) -> None:
        reason = (f"区后台无法处理此件：单独发送 {failures} 次均失败（{failed}），"
                  "其余办件已照常发送；请联系区里核查后重新提交")
        with self.env.sessions() as s:
            mark_needs_attention(s, item.submission_id, reason, at=self.env.clock())
        self.unresolved.pop(item.submission_id, None)
        self.env.report.rejected += 1


def isolate(env: RunEnv, batch: list[Pending], error: OutcomeUnknown, send: SendPart,
            give_up: GiveUp) -> None:
    """Split ``batch`` (which just failed with ``error``) until the items that fail alone are
    found and set aside; the rest are answered in this run. Raises (after ``give_up`` on the
    items still unanswered) when the failure is not one item's, as the module describes."""
    search = _Search(env, batch, error, send)
    try:
        if len(batch) > 1:
            search.split(batch)
        else:
            search.alone[batch[0].submission_id] = (batch[0], 1, error)
        search.confirm()
    except SyncError as stop:
        left = list(search.unresolved.values())
        if left:
            give_up(left, stop)
        raise
