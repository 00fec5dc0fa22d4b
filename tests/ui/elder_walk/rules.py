"""The acceptance rules for one screen, checked on its real widgets (tests/ui/test_elder_walk*).

* targets: every visible, enabled control (buttons, check boxes, radio buttons, inputs, combo
  and spin boxes, scroll bars) is at least `TARGET_MIN_PX` square; an item view's rows are that
  tall; a check box's box is the theme's indicator size (长辈版 only).
* outlines: read from the rendered window (`QWidget.grab`), not from the style sheet text: the
  pixels at a control's left edge, half-way down, must reach `BORDER_CONTRAST_MIN` against the
  pixel just outside it (for a check box: its box; for a scroll bar: its handle).
* text: the widget's palette as the style sheet left it, placeholders with their alpha laid
  over the input's background, at least `TEXT_CONTRAST_MIN`.
* fit (see tests/ui/widget_fit.py): nothing cut, elided, or pushed out of its parent.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPoint, QRect
from PySide6.QtGui import QBrush, QColor, QFontInfo, QImage, QPalette, Qt, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSlider,
    QWidget,
)

from station_app.ui.theme import (
    BORDER_CONTRAST_MIN,
    TARGET_MIN_PX,
    TEXT_CONTRAST_MIN,
    Theme,
    contrast_ratio,
)

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QScrollBar)


def inside_compound(w: QWidget) -> bool:
    """The line edit inside a spin box or combo box is part of that input."""
    return isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)


def shown(root: QWidget) -> Iterator[QWidget]:
    """`root` and every widget under it that is on screen (not hidden, not inside a compound)."""
    for w in [root, *root.findChildren(QWidget)]:
        if w.isVisible() and not inside_compound(w):
            yield w


def name(w: QWidget) -> str:
    text = w.text() if isinstance(w, QLabel | QAbstractButton | QLineEdit) else ""
    return f"{type(w).__name__} {w.objectName() or text or w.accessibleName()!r}"[:90]


def _item_view_interactive(v: QAbstractItemView) -> bool:
    """A list the worker picks from; a read-only list with no selection is text."""
    return v.selectionMode() != QAbstractItemView.SelectionMode.NoSelection


def _indicator(w: QCheckBox | QRadioButton) -> QRect:
    opt = QStyleOptionButton()
    opt.initFrom(w)
    opt.text = w.text()
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(w, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    return w.style().subElementRect(element, opt, w)


def _rows_too_low(v: QAbstractItemView) -> list[str]:
    model = v.model()
    if model is None:
        return []
    low = []
    for row in range(min(model.rowCount(QModelIndex()), 50)):
        rect = v.visualRect(model.index(row, 0))
        if rect.isValid() and rect.intersects(v.viewport().rect()) and \
                rect.height() < TARGET_MIN_PX:
            low.append(f"{name(v)}: row {row} is {rect.height()} px high")
    return low[:3]


def small_targets(root: QWidget, theme: Theme) -> list[str]:
    """Controls under `TARGET_MIN_PX` (and check boxes under the theme's box size)."""
    problems: list[str] = []
    for w in shown(root):
        if not w.isEnabled():
            continue
        if isinstance(w, QAbstractItemView) and _item_view_interactive(w):
            problems += _rows_too_low(w)
        if isinstance(w, CONTROLS) and (w.width() < TARGET_MIN_PX or
                                        w.height() < TARGET_MIN_PX):
            problems.append(f"{name(w)}: target {w.width()}x{w.height()}")
        if isinstance(w, QCheckBox | QRadioButton):
            box = _indicator(w)
            if min(box.width(), box.height()) < theme.indicator_px:
                problems.append(f"{name(w)}: box {box.width()}x{box.height()}")
    return problems


def _font_too_small(root: QWidget, theme: Theme) -> list[str]:
    problems = []
    for w in shown(root):
        has_text = isinstance(w, QLabel | QAbstractButton) and bool(w.text())
        if has_text or isinstance(w, INPUTS):
            px = QFontInfo(w.font()).pixelSize()
            if px < theme.font_px:
                problems.append(f"{name(w)}: font {px}px")
    return problems


def small_text(root: QWidget, theme: Theme) -> list[str]:
    """Text below the theme's body size (the 长辈版 walk: 24 px)."""
    return _font_too_small(root, theme)


def _line_pitch(w: QLabel) -> tuple[int, float] | None:
    """(lines, distance between lines in line heights) of a wrapping label as it is drawn:
    rich text through QTextDocument (its line-height), plain text by the font's line spacing."""
    width = w.contentsRect().width() - 2 * w.margin()
    text = QLabel.text(w)  # what Qt draws (a subclass may give its plain text to Python)
    if Qt.mightBeRichText(text) and w.textFormat() != Qt.TextFormat.PlainText:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(w.font())
        doc.setHtml(text)
        doc.setTextWidth(width)
        tops: list[float] = []
        block = doc.begin()
        while block.isValid():
            layout = block.layout()
            top = layout.position().y()
            tops += [top + layout.lineAt(i).y() for i in range(layout.lineCount())]
            block = block.next()
        if len(tops) < 2:
            return None
        pitch = min(b - a for a, b in pairwise(tops))
        return len(tops), pitch / w.fontMetrics().height()
    lines = w.fontMetrics().boundingRect(0, 0, max(1, width), 100000,
                                         int(Qt.TextFlag.TextWordWrap), text)
    count = round(lines.height() / w.fontMetrics().lineSpacing())
    if count < 2:
        return None
    return count, w.fontMetrics().lineSpacing() / w.fontMetrics().height()


def tight_lines(root: QWidget, theme: Theme) -> list[str]:
    """Wrapped text whose lines are closer than the theme's line spacing (长辈版: 1.3)."""
    problems = []
    for w in shown(root):
        if isinstance(w, QLabel) and w.wordWrap() and w.text():
            pitch = _line_pitch(w)
            if pitch is not None and pitch[1] < theme.line_spacing - 0.01:
                problems.append(f"{name(w)}: {pitch[0]} lines at {pitch[1]:.2f}")
    return problems


# -- contrast ------------------------------------------------------------------------------

def _over(fg: QColor, bg: QColor) -> str:
    """`fg` with its alpha laid over the opaque `bg`, as it is painted."""
    a = fg.alphaF()
    mix = [a * f + (1 - a) * b for f, b in ((fg.redF(), bg.redF()), (fg.greenF(), bg.greenF()),
                                               (fg.blueF(), bg.blueF()))]
    return QColor.fromRgbF(*mix).name()


def _text_pairs(w: QWidget) -> list[tuple[str, str, str]]:
    pal, roles = w.palette(), QPalette.ColorRole
    if isinstance(w, QAbstractButton):
        pairs = [("text", roles.ButtonText, roles.Button)]
    elif isinstance(w, INPUTS):
        pairs = [("text", roles.Text, roles.Base)]
        if isinstance(w, QLineEdit) and w.placeholderText():
            pairs.append(("placeholder", roles.PlaceholderText, roles.Base))
    else:
        pairs = [("text", roles.WindowText, roles.Window)]
    out = []
    for what, fg, bg in pairs:
        back = pal.color(bg)
        out.append((what, _over(pal.color(fg), back), back.name()))
    return out


def _cell_pairs(v: QAbstractItemView) -> list[tuple[str, str, str]]:
    """(cell, colour, background) of each visible cell that sets its own colours (a list's
    attention rows, a calendar's weekends); selected cells are drawn in highlight colours."""
    model, pal = v.model(), v.palette()
    if model is None:
        return []
    out = []
    view = v.viewport().rect()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(min(model.rowCount(QModelIndex()), 60)):
        for col in range(columns):
            index = model.index(row, col)
            fg = index.data(Qt.ItemDataRole.ForegroundRole)
            if fg is None or not v.visualRect(index).intersects(view):
                continue
            if v.selectionModel() is not None and v.selectionModel().isSelected(index):
                continue
            bg = index.data(Qt.ItemDataRole.BackgroundRole)
            back = QBrush(bg).color() if bg is not None else pal.color(QPalette.ColorRole.Base)
            out.append((f"cell {row},{col}", _over(QBrush(fg).color(), back), back.name()))
    return out


def low_text_contrast(root: QWidget) -> list[str]:
    problems = []
    for w in shown(root):
        has_text = isinstance(w, QLabel | QAbstractButton) and bool(w.text())
        if not (has_text or isinstance(w, INPUTS)):
            continue
        pairs = _text_pairs(w)
        if isinstance(w, QAbstractItemView):
            pairs += _cell_pairs(w)
        for what, fg, bg in pairs:
            ratio = contrast_ratio(fg, bg)
            if ratio < TEXT_CONTRAST_MIN:
                problems.append(f"{name(w)}: {what} {fg} on {bg} = {ratio:.2f}")
    return problems


def _edge(w: QWidget, rect: QRect, depth: int = 4) -> tuple[str, str]:
    """(the edge pixel that stands out most, the pixel just outside the edge), rendered by Qt
    from the parent (so a control scrolled out of view is still drawn)."""
    parent = w.parentWidget() or w
    at = w.mapTo(parent, QPoint(rect.left(), rect.center().y())) if parent is not w \
        else QPoint(rect.left(), rect.center().y())
    x0 = max(0, at.x() - 2)
    image: QImage = parent.grab(QRect(x0, at.y(), depth + 4, 1)).toImage()
    scale = image.devicePixelRatio()

    def pixel(x: int) -> str:
        return image.pixelColor(min(image.width() - 1, round((x - x0) * scale)), 0).name()

    outside = pixel(at.x() - 2) if at.x() >= 2 else \
        parent.palette().color(QPalette.ColorRole.Window).name()
    edge = [pixel(at.x() + dx) for dx in range(0, depth)]
    return max(edge, key=lambda c: contrast_ratio(c, outside)), outside


def _handle(bar: QScrollBar) -> QRect:
    opt = QStyleOptionSlider()
    opt.initFrom(bar)
    opt.orientation = bar.orientation()
    opt.minimum, opt.maximum = bar.minimum(), bar.maximum()
    opt.sliderPosition = opt.sliderValue = bar.value()
    opt.pageStep, opt.singleStep = bar.pageStep(), bar.singleStep()
    return bar.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, opt,
                                      QStyle.SubControl.SC_ScrollBarSlider, bar)


def low_border_contrast(window: QWidget) -> list[str]:
    """Controls whose drawn outline does not stand out from what is around it."""
    problems = []
    for w in shown(window):
        if not w.isEnabled() or inside_compound(w):
            continue
        if isinstance(w, QCheckBox | QRadioButton):
            rect = _indicator(w)
        elif isinstance(w, QScrollBar):
            rect = _handle(w)
        elif isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox) or (
                isinstance(w, QAbstractScrollArea) and w.frameWidth() > 0
                and isinstance(w, QAbstractItemView)):
            rect = w.rect()
        else:
            continue
        if w.property("flat_link") or rect.width() < 4:
            continue
        # a scroll bar's handle may sit inside a margin of its own rectangle: look deeper
        edge, outside = _edge(w, rect, rect.width() // 2 if isinstance(w, QScrollBar) else 4)
        ratio = contrast_ratio(edge, outside)
        if ratio < BORDER_CONTRAST_MIN:
            problems.append(f"{name(w)}: outline {edge} against {outside} = {ratio:.2f}")
    return problems
