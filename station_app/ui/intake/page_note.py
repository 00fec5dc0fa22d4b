"""The intake page's one-line note, and when it ends.

A note that outlives its cause misleads: "一次性告知单已送打印机" after the missing material was
brought, or "阅读器上没有身份证" after the worker typed the data by hand. Each note says when it
ends: at the worker's next edit, when nothing is missing any more, or at the next draft saved.
"""

from __future__ import annotations

from enum import Enum

from station_app.ui.intake.form_page import FormPage


class Until(Enum):
    EDIT = "edit"  # the worker's next change to the form
    COMPLETE = "complete"  # no required material is missing any more
    SAVED = "saved"  # the next draft saved without error


class PageNote:
    """Shows notes on the form page and clears each when its cause has ended."""

    def __init__(self, page: FormPage) -> None:
        self.page = page
        self.until: Until | None = None

    def say(self, message: str | None, until: Until = Until.EDIT) -> None:
        self.page.say(message)
        self.until = until if message else None

    def edited(self) -> None:
        if self.until is Until.EDIT:
            self.say(None)

    def reviewed(self, missing: bool) -> None:
        if self.until is Until.COMPLETE and not missing:
            self.say(None)

    def saved(self) -> None:
        if self.until is Until.SAVED:
            self.say(None)
