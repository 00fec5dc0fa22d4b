"""Who is at the counter: the signed-in operator of a running terminal, and its audit trail.

The GUI holds one :class:`OperatorSession`; sign-in, lock, unlock and switching user go
through it, so every case, receipt and audit row names the person actually signed in
(``StationContext.operator``) and each of those moments is an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from station_app.services.context import StationContext
from station_app.services.unlock import Unlocked
from station_app.store.audit import append_audit
from station_app.store.engine import session_scope


@dataclass
class OperatorSession:
    ctx: StationContext
    who: Unlocked
    locked: bool = False
    history: list[str] = field(default_factory=list)

    def _audit(self, action: str, detail: dict[str, object] | None = None) -> None:
        with session_scope(self.ctx.engine) as session:
            append_audit(session, self.who.label, action, None, dict(detail or {}))
        self.history.append(action)

    def started(self) -> None:
        """The first sign-in of this run of the terminal."""
        self.ctx.operator, self.ctx.admin = self.who.label, self.who.is_admin
        self._audit("auth.signed_in", {"channel": "gui", "role": self.who.role.value})

    def lock(self, reason: str) -> None:
        if not self.locked:
            self.locked = True
            self._audit("auth.locked", {"reason": reason})

    def unlock(self, who: Unlocked) -> bool:
        """Someone signed in on the lock screen; True when it is another operator (the
        terminal switched user; what they do from now on is theirs)."""
        switched = who.staff_no != self.who.staff_no
        previous = self.who.label
        self.who, self.locked = who, False
        self.ctx.operator, self.ctx.admin = who.label, who.is_admin
        if switched:
            self._audit("auth.switched", {"from": previous, "role": who.role.value})
        else:
            self._audit("auth.unlocked", {})
        return switched

    def signed_out(self) -> None:
        self._audit("auth.signed_out", {})
