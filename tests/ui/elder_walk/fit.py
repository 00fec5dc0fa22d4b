"""Nothing cut: every text fits the widget that shows it, every widget fits its parent.

Widths are measured with the widget's own font, as Qt lays the text out:

* a label on one line: each line's advance within its contents rect (rich text: the laid-out
  document's ideal width); a wrapping label: the height it needs for its width within the
  height it got;
* a button, check box or radio button: the text (and icon) within the contents rect the style
  (and so the style sheet's padding) leaves for it; a combo box: the current text within its
  edit field; a line edit: the placeholder within the text area;
* an item view: each visible cell's text, with the delegate's margins, within the cell (wrapped
  text: within its height), and each visible column header within its section;
* a widget pushed past its parent's edge (a status bar too full, a row too wide) is cut too;
  one inside a scroll area may be scrolled out of view, which is not a fault, but a view that
  needs a sideways scroll bar shows its lines cut at the right edge, which is.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QPoint, QRect
from PySide6.QtGui import (
    Qt,  # QtGui.Qt also has mightBeRichText
    QTextDocument,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from tests.ui.elder_walk.rules import name, shown

SLACK = 1  # px: rounding between the metrics and the layout
_DELEGATE = QStyledItemDelegate()  # fills a cell's style option as the views' delegates do


def _label_problem(w: QLabel) -> str | None:
    text = QLabel.text(w)  # what Qt draws (a subclass may give its plain text to Python)
    if not text or (w.pixmap() is not None and not w.pixmap().isNull()):
        return None
    rect = w.contentsRect().adjusted(w.margin(), w.margin(), -w.margin(), -w.margin())
    if w.wordWrap():
        need = w.heightForWidth(w.width())
        if need > w.height() + SLACK:
            return f"{name(w)}: needs {need} px high, has {w.height()}"
        return None
    if Qt.mightBeRichText(text) and w.textFormat() != Qt.TextFormat.PlainText:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(w.font())
        doc.setHtml(text)
        wide = doc.idealWidth()
    else:
        fm = w.fontMetrics()
        wide = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    if wide > rect.width() + SLACK:
        return f"{name(w)}: text {wide:.0f} px in {rect.width()} px"
    tall = w.fontMetrics().height() * (text.count("\n") + 1)
    if tall > rect.height() + SLACK + text.count("\n") * 2:
        return f"{name(w)}: text {tall} px high in {rect.height()} px"
    return None


def _button_contents(w: QAbstractButton) -> QRect:
    opt = QStyleOptionButton()
    opt.initFrom(w)
    opt.text = w.text()
    opt.icon = w.icon()
    opt.iconSize = w.iconSize()
    if isinstance(w, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxContents
    elif isinstance(w, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonContents
    else:
        element = QStyle.SubElement.SE_PushButtonContents
    return w.style().subElementRect(element, opt, w)


def _button_problem(w: QAbstractButton) -> str | None:
    text = w.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    fm = w.fontMetrics()
    wide = max(fm.horizontalAdvance(line) for line in text.split("\n"))
    if not w.icon().isNull():
        wide += w.iconSize().width() + 4
    room = _button_contents(w).width() if isinstance(w, QPushButton | QCheckBox | QRadioButton) \
        else w.width() - 2 * 14
    if wide > room + SLACK:
        return f"{name(w)}: text {wide} px in {room} px"
    return None


def _combo_problem(w: QComboBox) -> str | None:
    opt = QStyleOptionComboBox()
    opt.initFrom(w)
    opt.editable = w.isEditable()
    opt.currentText = w.currentText()
    field = w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                     QStyle.SubControl.SC_ComboBoxEditField, w)
    wide = w.fontMetrics().horizontalAdvance(w.currentText())
    if wide > field.width() + SLACK:
        return f"{name(w)}: {w.currentText()!r} {wide} px in {field.width()} px"
    return None


def _line_edit_problem(w: QLineEdit) -> str | None:
    if w.text() or not w.placeholderText():
        return None
    room = w.contentsRect().width() - w.textMargins().left() - w.textMargins().right() - 4
    wide = w.fontMetrics().horizontalAdvance(w.placeholderText())
    if wide > room + SLACK:
        return f"{name(w)}: placeholder {wide} px in {room} px"
    return None


def _cell_option(v: QAbstractItemView, index: QModelIndex) -> QStyleOptionViewItem:
    """The option the view's delegate paints the cell with (as QStyledItemDelegate fills it)."""
    opt = QStyleOptionViewItem()
    try:
        v.initViewItemOption(opt)  # protected: reachable on views made from Python
    except (AttributeError, TypeError):
        opt.initFrom(v)
        opt.font = v.font()
    opt.rect = v.visualRect(index)
    _DELEGATE.initStyleOption(opt, index)
    return opt


def _cell_problem(v: QAbstractItemView, index: QModelIndex) -> str | None:
    """Lay the cell's text out as Qt's item delegate does (QCommonStyle's viewItemTextLayout):
    a line wider than the text rectangle is elided, and so is a last line below its bottom."""
    text = index.data(Qt.ItemDataRole.DisplayRole)
    if text is None or str(text) == "":
        return None
    opt = _cell_option(v, index)
    style = v.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, v)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, v) + 1
    # A style sheet's item padding is taken off twice when the cell is painted (the sheet
    # pads the cell, then the platform style asks the sheet for the text rectangle again):
    # seen as "已保存（本站）…" in the case history while one padding left room for it.
    padding = opt.rect.width() - rect.width()
    width = rect.width() - padding - 2 * margin
    wrap = bool(opt.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap if wrap
                       else QTextOption.WrapMode.ManualWrap)
    layout = QTextLayout(str(opt.text).replace("\n", "\u2028"), opt.font)
    layout.setTextOption(option)
    layout.beginLayout()
    height, widest = 0.0, 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        height += line.height()
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    where = f"{name(v)} cell {index.row()},{index.column()} {str(text)!r}"
    if widest > width + SLACK:
        return f"{where}: {widest:.0f} px wide in {width} px"
    if height > rect.height() + SLACK:
        return f"{where}: {height:.0f} px high in {rect.height()} px"
    return None


def _columns(model: QAbstractItemModel) -> int:
    """A list model has one column (PySide6 hides its columnCount)."""
    return 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())


def _header_problems(v: QTableView) -> list[str]:
    header: QHeaderView = v.horizontalHeader()
    if not header.isVisible():
        return []
    model = v.model()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    problems = []
    for col in range(_columns(model)):
        if header.isSectionHidden(col):
            continue
        text = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        wide = header.fontMetrics().horizontalAdvance(text) + 2 * margin
        if wide > header.sectionSize(col) + SLACK:
            problems.append(f"{name(v)} header {text!r}: {wide} px in "
                            f"{header.sectionSize(col)} px")
    return problems


def _view_problems(v: QAbstractItemView) -> list[str]:
    model = v.model()
    if model is None:
        return []
    problems = _header_problems(v) if isinstance(v, QTableView) else []
    viewport = v.viewport().rect()
    for row in range(model.rowCount(QModelIndex())):
        for col in range(_columns(model)):
            index = model.index(row, col)
            if isinstance(v, QTableView) and v.isColumnHidden(col):
                continue
            if not v.visualRect(index).intersects(viewport):
                continue
            problem = _cell_problem(v, index)
            if problem:
                problems.append(problem)
    return problems


def _outside_parent(w: QWidget) -> str | None:
    """A widget whose rectangle goes past one of its parents (up to a scroll area's view)."""
    rect = QRect(QPoint(0, 0), w.size())
    child: QWidget = w
    parent = w.parentWidget()
    while parent is not None and not child.isWindow():
        rect = rect.translated(child.pos())
        if parent.objectName() == "qt_scrollarea_viewport":
            return None
        if not parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(rect):
            return f"{name(w)}: reaches past {name(parent)} ({rect} in {parent.rect()})"
        child, parent = parent, parent.parentWidget()
    return None


def cut_text(root: QWidget) -> list[str]:
    """Every text on screen that is elided, cut, or pushed out of its parent."""
    problems: list[str | None] = []
    for w in shown(root):
        if isinstance(w, QLabel | QAbstractButton | QLineEdit | QComboBox):
            problems.append(_outside_parent(w))
        if isinstance(w, QLabel):
            problems.append(_label_problem(w))
        elif isinstance(w, QAbstractButton):
            problems.append(_button_problem(w))
        elif isinstance(w, QComboBox):
            problems.append(_combo_problem(w))
        elif isinstance(w, QLineEdit):
            problems.append(_line_edit_problem(w))
        elif isinstance(w, QAbstractItemView):
            problems.extend(_view_problems(w))
        if isinstance(w, QAbstractScrollArea) and w.horizontalScrollBar().isVisible():
            problems.append(f"{name(w)}: wider than its view (sideways scroll bar)")
    return [p for p in problems if p]
