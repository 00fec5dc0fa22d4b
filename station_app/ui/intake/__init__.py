"""受理 (intake) and 回执 (receipt) screens: `IntakePage` is the entry point.

The page and its field widgets are imported the first time `IntakePage` is asked for, not
with the package: the resident's view uses the confirmation view from here at start-up, and
the 受理 page is built on first use (about 45 ms of imports a start need not pay).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station_app.ui.intake.intake_page import IntakePage

__all__ = ["IntakePage"]


def __getattr__(name: str) -> Any:
    if name == "IntakePage":
        from station_app.ui.intake.intake_page import IntakePage

        return IntakePage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
