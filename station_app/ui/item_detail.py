"""The right-hand side of the 事项 page: everything a worker tells a resident about an item.

Shown as rich text in a scroll area so long material lists wrap and scroll with the keyboard;
catalogue text is escaped, never interpreted as markup.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from station_app.domain.catalogue import Condition, FieldRef, Material, ServiceItem
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.materials import AGENT_SOURCE, materials_for
from station_app.i18n import mark_data
from station_app.ui.domain_words import form_label
from station_app.ui.spaced_label import SpacedLabel

LINE = 'style="line-height:140%"'


def _field_label(catalogue: Catalogue, item: ServiceItem, key: str) -> str:
    for f in item.fields:
        if isinstance(f, FieldRef) and f.ref == key:
            return f.label or catalogue.common_field(f.ref).label
        if not isinstance(f, FieldRef) and f.key == key:
            return f.label
    return key


class ItemDetail(QScrollArea):
    """Read-only description of one item or bundle; `show_code` switches what it shows."""

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self.code: str | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # scroll long lists with the keys
        self.setAccessibleName(self.tr("事项详情"))
        body = QWidget()
        body.setObjectName("page")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 4, 12, 12)
        layout.setSpacing(10)
        self.title = SpacedLabel()
        self.title.setProperty("role", "heading")
        self.tag = SpacedLabel()
        self.tag.setProperty("role", "attention")
        self.facts = QLabel()
        self.materials = QLabel()
        for label in (self.facts, self.materials):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for label in (self.title, self.tag, self.facts, self.materials):
            mark_data(label)  # catalogue text
        layout.addWidget(self.title)
        layout.addWidget(self.tag)
        layout.addWidget(self.facts)
        layout.addWidget(self.materials)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_code(None)

    def show_code(self, code: str | None) -> None:
        self.code = code
        cat = self._catalogue
        if code is None:
            self.title.setText(self.tr("请在左侧选择事项"))
            self.tag.hide()
            hint = self.tr("输入汉字、全拼或拼音首字母查找，例如“txns”或“退休”。")
            self.facts.setText(f"<p {LINE}>{escape(hint)}</p>")
            self.materials.clear()
        elif code in cat.items:
            self._show_item(cat.items[code])
        else:
            self._show_bundle(code)
        self.verticalScrollBar().setValue(0)

    def _row(self, label: str, value: str | None) -> str:
        if not value:
            return ""
        head = self.tr("{0}：").format(label)
        return f"<p {LINE}><b>{escape(head)}</b>{escape(value)}</p>"

    def _show_item(self, item: ServiceItem) -> None:
        cat = self._catalogue
        self.title.setText(item.name)
        self.tag.setText(self.tr("单项事项 {0} · {1}").format(
            item.code, cat.category_name(item.category)))
        self.tag.show()
        handling = item.handling.label
        if item.handling.note:
            handling += "。" + item.handling.note
        self.facts.setText("".join([
            self._row(self.tr("又称"), "、".join(item.aliases)),
            self._row(self.tr("办理部门"), cat.department_name(item.department)),
            self._row(self.tr("办理时限"), handling),
            self._row(self.tr("收费"), item.fee),
            self._row(self.tr("说明"), item.summary),
            self._row(self.tr("办理对象"), item.eligibility),
        ]))
        rows = [(item.code, m) for m in item.materials]
        self.materials.setText(self._materials_html(rows))

    def _show_bundle(self, code: str) -> None:
        cat = self._catalogue
        bundle = cat.bundle(code)
        self.title.setText(bundle.name)
        self.tag.setText(self.tr("一事联办 {0} · 共 {1} 项，共用信息只填一次").format(
            bundle.code, len(bundle.items)))
        self.tag.show()
        includes = self.tr("{0}：").format(self.tr("包含事项"))
        parts = [self._row(self.tr("又称"), "、".join(bundle.aliases)),
                 self._row(self.tr("说明"), bundle.description),
                 f"<p {LINE}><b>{escape(includes)}</b></p><ol>"]
        for c in bundle.items:
            it = cat.items[c]
            how = escape(f"{cat.department_name(it.department)} · {it.handling.label}")
            parts.append(f"<li {LINE}><b>{escape(it.name)}</b><br/>{how}</li>")
        parts.append("</ol>")
        self.facts.setText("".join(parts))
        self.materials.setText(self._materials_html(materials_for(cat, bundle.items, False)))

    def _materials_html(self, rows: list[tuple[str, Material]]) -> str:
        heading = self.tr("{0}：").format(self.tr("所需材料（{0}）").format(len(rows)))
        out = [f"<p {LINE}><b>{escape(heading)}</b></p><ol>"]
        comma = self.tr("，")
        for source, m in rows:
            bits = [form_label(m.form)]
            if m.copies > 1:
                bits.append(self.tr("{0} 份").format(m.copies))
            if not m.required:
                bits.append(self.tr("非必需"))
            if m.note:
                bits.append(m.note)
            cond = ""
            if m.when is not None and source != AGENT_SOURCE:
                cond = "<br/>" + escape(self._condition(source, m.when))
            how = self.tr("（{0}）").format(comma.join(bits))
            out.append(f"<li {LINE}><b>{escape(m.name)}</b>{escape(how)}"
                       f"{cond}</li>")
        out.append("</ol>")
        return "".join(out)

    def _condition(self, source: str, when: Condition) -> str:
        item = self._catalogue.items.get(source)
        label = _field_label(self._catalogue, item, when.field) if item else when.field
        wanted = when.equals if when.equals is not None else self.tr("或").join(when.in_ or ())
        return self.tr("〔视情况〕仅当“{0}”为“{1}”时需要").format(label, wanted)
