"""What 朗读 says: the 核对 content, the receipt summary, the 一次性告知单's missing materials.

Each text is built from what the screen already shows (`Confirmation`, `ReceiptData`,
`NoticeData`), so the resident hears what the worker sees, in the same order, and nothing
else. Numbers, dates and codes are written out in characters (`domain.reading`), because the
engine reads Arabic digits and Latin letters badly; sentences end with 。 so the engine pauses.

The 核对 text reads the resident's ID number whole, in its groups: a masked number cannot be
checked, and the read-aloud exists for residents who cannot read the screen. The receipt and
the notice name no one (they are read when the resident already holds or gets the paper).
"""

from __future__ import annotations

from collections.abc import Iterable

from station_app.domain.documents import MissingMaterial, NoticeData, ReceiptData
from station_app.domain.reading import PAUSE, say_count, say_number, say_reference, say_text
from station_app.services.intake_display import Confirmation

STOP = "。"
NEXT_STEP = "请您保管好回执，凭受理编号查询办理进度"
COME_BACK = "请您备齐以上材料后再来办理，一次就能办好"


def _sentence(*parts: str) -> str:
    return "".join(parts).rstrip("。，；： ") + STOP


def _listed(names: Iterable[str]) -> str:
    return "、".join(say_text(n) for n in names)


def confirmation_speech(c: Confirmation) -> str:
    """请您核对以下信息。办理事项：…。<label>：<value>。… 已收材料：…。办结时限：…。"""
    lines = [_sentence("请您核对以下信息"),
             _sentence("办理事项：", _listed(c.item_names or (c.title,)))]
    for label, value in c.full_rows or c.rows:
        spoken = say_text(value.replace("\n", STOP))
        lines.append(_sentence(say_text(label), "：", spoken))
    lines.append(_sentence("已收材料：", _listed(c.materials) if c.materials else "无"))
    lines.append(_sentence("办结时限：", say_text(c.promised)))
    lines.append(_sentence("如有不对，请告诉工作人员修改"))
    return "".join(lines)


def receipt_speech(r: ReceiptData) -> str:
    """已保存。办理事项。受理编号 (dictated in groups)。回执编号。办结时限。what to do next."""
    lines = [_sentence("您的办件已受理"),
             _sentence("办理事项：", _listed(r.item_names or (r.title,))),
             _sentence("受理编号：", say_reference(r.tracking_ref))]
    if r.receipt_no:
        lines.append(_sentence("回执编号：", say_reference(r.receipt_no)))
    lines.append(_sentence("办结时限：", say_text(r.promised)))
    lines.append(_sentence(NEXT_STEP))
    if r.station.contact_phone:
        lines.append(_sentence("如有疑问，请拨打", say_reference(r.station.contact_phone)))
    return "".join(lines)


def missing_line(n: int, m: MissingMaterial, *, for_item: bool = False) -> str:
    """第二项：户口簿，原件，一份，note。 — form and copies always said; ``for_item`` adds the
    item it is for (a bundle's notice lists the materials of several items)."""
    what = [say_text(m.name), say_text(m.form)]
    if m.copies:
        what.append(say_count(m.copies) + "份")
    if m.note:
        what.append(say_text(m.note))
    if for_item and m.item_name:
        what.append("用于" + say_text(m.item_name))
    return _sentence(f"第{say_number(n)}项：", PAUSE.join(what))


def notice_speech(n: NoticeData) -> str:
    """一次性告知：办理事项，还需补交的每一项材料（名称、原件或复印件、份数），再来一次办好。"""
    lines = [_sentence("一次性告知"), _sentence("办理事项：", say_text(n.title))]
    if not n.missing:
        lines.append(_sentence("材料已经齐全，不需要补交"))
        return "".join(lines)
    lines.append(_sentence(f"还需要补交以下{say_count(len(n.missing))}项材料"))
    several = len({m.item_name for m in n.missing}) > 1
    lines.extend(missing_line(i, m, for_item=several) for i, m in enumerate(n.missing, 1))
    lines.extend(_sentence(say_text(note)) for note in n.notes)
    lines.append(_sentence(COME_BACK))
    return "".join(lines)
