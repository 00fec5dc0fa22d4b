"""The one assertion of the acceptance walk, and what the walk's screens share.

长辈版 is held to every rule, 标准版 to those that apply to both looks: contrast and fit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from station_app.ui.theme import ELDER, Theme
from tests.ui.elder_walk.fit import cut_text
from tests.ui.elder_walk.rules import (
    low_border_contrast,
    low_text_contrast,
    small_targets,
    small_text,
    tight_lines,
)

SCREEN = (1366, 768)
SHOTS = Path("/tmp/elder-walk")  # screenshots for a person to look at (not compared)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def broken_rules(root: QWidget, theme: Theme, *, line_spacing: bool = True) -> list[str]:
    """Every rule `root` breaks in `theme`: all of them in 长辈版, contrast and fit in 标准版."""
    settle()
    found = low_text_contrast(root) + low_border_contrast(root) + cut_text(root)
    if theme is ELDER:
        found += small_targets(root, theme) + small_text(root, theme)
        found += tight_lines(root, theme) if line_spacing else []
    return found


def assert_all_rules(root: QWidget, theme: Theme, *, line_spacing: bool = True) -> None:
    """Fail with every broken rule, one per line."""
    found = broken_rules(root, theme, line_spacing=line_spacing)
    assert not found, f"{len(found)} broken:\n" + "\n".join(found)


def shoot(root: QWidget, name: str) -> None:
    """Keep a picture of the screen under /tmp for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    root.grab().save(str(SHOTS / f"{name}.png"))
