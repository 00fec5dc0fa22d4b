"""受理 (intake) and 回执 (receipt) screens: `IntakePage` is the entry point."""

from station_app.ui.intake.intake_page import IntakePage

__all__ = ["IntakePage"]
