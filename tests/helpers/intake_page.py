"""The 受理 page as the walk tests reach 核对: RS04 (养老金资格认证) filled in and its
materials ticked in the main window, so that nothing blocks ``try_submit``.

One place for it because the acceptance walk (tests/ui/elder_walk) and the English walk
(tests/ui/test_i18n_walk.py) both check the screens from there on; a change to how a form is
filled is then made once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from station_app.ui.intake import IntakePage
from station_app.ui.main_window import MainWindow
from tests.helpers.station import RS04_TICKED, RS04_VALUES


def rs04_ready_for_review(window: MainWindow, values: Mapping[str, Any] = RS04_VALUES,
                          ticked: Sequence[str] = RS04_TICKED) -> IntakePage:
    """Start RS04 in ``window``, enter ``values`` in the session and on the form, tick
    ``ticked`` and refresh: the page a worker has before pressing 核对."""
    window.start_intake("RS04")
    page = window.intake
    assert isinstance(page, IntakePage) and page.session is not None
    for key, value in values.items():
        page.session.set_value(key, value)
    page.form_view.set_values(values)
    for name in ticked:
        page.session.set_ticked(name, True)
    page.refresh()
    return page
