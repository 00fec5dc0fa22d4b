"""One intake at the desk, from the first keystroke to the saved case, without widgets.

The intake page shows what this object says and forwards what the worker does. Every rule
it applies comes from `services.intake` and the domain; what lives here is the bookkeeping
of a form being filled: its draft id (which becomes the case id), which answers the worker
has touched (so a blank field is not scolded before it was reached), and what still blocks
saving, in reading order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from station_app.domain.catalogue import FieldType, Material
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.documents import NoticeData, ReceiptData
from station_app.domain.forms import FormSpec, derived_from_id, visible_fields
from station_app.domain.masking import mask_id, mask_name
from station_app.domain.normalize import clean_text, normalize_id_number
from station_app.domain.validators import ADDRESS_PARTS, is_blank
from station_app.services import intake
from station_app.services.card_fill import derived_from_card, remembered
from station_app.services.context import StationContext
from station_app.services.id_card import IdCardData, card_values, shown_by_card
from station_app.services.intake_defaults import initial_values
from station_app.services.intake_display import Confirmation, confirmation
from station_app.services.receipts import receipt_for
from station_app.services.storage_errors import writing
from station_app.store.engine import session_scope
from station_app.store.records import list_drafts
from station_app.store.refs import new_submission_id

MATERIAL_PREFIX = "material:"
MATERIALS_NAMED = 2  # more missing materials are counted; the checklist names them all
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_parts(path: str) -> list[str | int]:
    """``family_members[1].member_name`` -> ``["family_members", 1, "member_name"]``."""
    return [int(index) if index else name for name, index in _SEGMENT.findall(path)]


def top_key(path: str) -> str:
    return str(path_parts(path)[0]) if path else ""


def value_at(values: Mapping[str, object], path: str) -> object:
    """The raw value an error path points at, or None."""
    node: object = values
    for part in path_parts(path):
        if isinstance(part, int) and isinstance(node, list | tuple) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
    return node


@dataclass(frozen=True)
class DraftOffer:
    """An unfinished intake the page offers to resume: its id (the case keeps it), when it
    was last kept (aware UTC), the answers and the ticked materials."""

    id: str
    saved_at: datetime
    values: dict[str, Any]
    ticked: tuple[str, ...]


@dataclass(frozen=True)
class SavedCase:
    """A case just committed: what the receipt step shows, prints and saves as PDF."""

    id: str
    tracking_ref: str
    receipt: ReceiptData


def pending_draft(ctx: StationContext, code: str) -> DraftOffer | None:
    """This operator's most recent unfinished intake of ``code``, if there is one."""
    with session_scope(ctx.engine) as s:
        for draft in list_drafts(s, ctx.operator):
            if code in (draft.item_code, draft.bundle_code):
                return DraftOffer(draft.id, draft.updated_at, dict(draft.payload),
                                  tuple(draft.materials))
    return None


class IntakeSession:
    """The answers, ticked materials and draft of one intake of an item or a bundle."""

    def __init__(self, ctx: StationContext, code: str, draft: DraftOffer | None = None) -> None:
        self.ctx = ctx
        self.code = code
        self.form: FormSpec = intake.open_form(ctx, code)
        self.values: dict[str, Any]
        self.ticked: list[str]
        if draft is not None:
            self.draft_id = draft.id
            self.values = dict(draft.values)
            self.ticked = list(draft.ticked)
        else:
            self.draft_id = new_submission_id()
            self.values = initial_values(self.form, self.today())
            self.ticked = []
        self.restored = draft is not None
        self.touched: set[str] = set(self.values) if draft is not None else set()
        self.left: set[str] = set()  # fields the worker moved on from
        self.reveal_all = False  # after a refused submit every problem is shown
        self.dirty = False
        self.submitted: SavedCase | None = None

    def today(self) -> date:
        return self.ctx.clock().astimezone(CHINA_TZ).date()

    # -- what the worker does -------------------------------------------------------------

    def set_value(self, key: str, value: object) -> None:
        if self.values.get(key) != value:
            self.values[key] = value
            self.touched.add(key)
            self.dirty = True

    def set_ticked(self, name: str, received: bool) -> None:
        if received and name not in self.ticked:
            self.ticked.append(name)
        elif not received and name in self.ticked:
            self.ticked.remove(name)
        else:
            return
        self.dirty = True

    def leave(self, key: str) -> None:
        """The worker moved on from this field: from now on even a blank is reported."""
        if key in self.touched:
            self.left.add(key)

    def other_person(self, card: IdCardData) -> str | None:
        """Whose data the form holds when it is not the card's holder (masked), else None.

        A card placed on a half-filled form of someone else must not replace anything
        before the worker says so.
        """
        typed_id = normalize_id_number(str(self.values.get("id_number") or ""))
        typed_name = clean_text(str(self.values.get("name") or ""))
        if typed_id and typed_id != normalize_id_number(card.id_number):
            return f"{mask_name(typed_name) if typed_name else ''}（{mask_id(typed_id)}）"
        if not typed_id and typed_name and card.name and typed_name != clean_text(card.name):
            return mask_name(typed_name)
        return None

    def fill_from_card(self, card: IdCardData) -> list[str]:
        """Take name, ID number and address from the card; tick the ID card as received.

        Blank fields also get what the card decides (证型 from the age …) and what this
        resident's earlier cases tell (phone …): see services.card_fill.
        """
        filled = []
        fields = {f.key: f for f in self.form.fields}
        for key, value in card_values(card).items():
            if key in fields:
                self.set_value(key, value)
                filled.append(key)
        extra = remembered(self.ctx, self.form, card.id_number)
        extra.update(derived_from_card(self.form, card, self.today()))
        for key, value in extra.items():
            f = fields[key]
            if not is_blank(self.values.get(key)) or (
                    f.type is FieldType.CHOICE and value not in (f.options or ())):
                continue
            self.set_value(key, value)
            filled.append(key)
        for _, m in self.review().materials:
            if shown_by_card(m):
                self.set_ticked(m.name, True)
        return filled

    # -- what the page shows --------------------------------------------------------------

    def review(self) -> intake.Review:
        return intake.review(self.ctx, self.form, self.values, self.ticked)

    def visible_keys(self) -> set[str]:
        return {f.key for f in visible_fields(self.form, self.values)}

    def shown_errors(self, rev: intake.Review) -> dict[str, str]:
        """Errors to show now: a wrong value as soon as it is typed, a blank once left."""
        if self.reveal_all:
            return dict(rev.result.errors)
        shown = {}
        for path, message in rev.result.errors.items():
            key = top_key(path)
            if key in self.left or (key in self.touched
                                    and not is_blank(value_at(self.values, path))):
                shown[path] = message
        return shown

    def blockers(self, rev: intake.Review) -> list[str]:
        """Why the case cannot be saved yet, one short Chinese line per reason."""
        reasons = []
        errors = rev.result.errors
        if errors:
            first = self.label_of(next(iter(errors)))
            reasons.append(f"还有 {len(errors)} 处未填或有误（第一处：{first}）")
        if len(rev.missing) > MATERIALS_NAMED:
            reasons.append(f"未收材料 {len(rev.missing)} 项（第一项：{rev.missing[0].name}）")
        elif rev.missing:
            reasons.append("未收材料：" + "、".join(m.name for m in rev.missing))
        return reasons

    def first_problem(self, rev: intake.Review) -> str | None:
        """The path of the first problem in reading order; materials come after the fields."""
        if rev.result.errors:
            return next(iter(rev.result.errors))
        if rev.missing:
            return MATERIAL_PREFIX + rev.missing[0].name
        return None

    def label_of(self, path: str) -> str:
        """A person's name for an error path: 现居地址·门牌, 家庭成员 第 2 行·身份证号."""
        parts = path_parts(path)
        try:
            field = self.form.field(str(parts[0]))
        except KeyError:
            return path
        text = field.label
        for part in parts[1:]:
            if isinstance(part, int):
                text += f" 第 {part + 1} 行"
            elif field.type is FieldType.ADDRESS:
                text += "·" + ADDRESS_PARTS.get(part, part)
            else:
                member = next((f for f in field.fields or () if f.key == part), None)
                text += "·" + (member.label if member else part)
        return text

    def derived_text(self, raw: object) -> str | None:
        """性别、年龄 and 出生日期 read from a valid ID number, for the worker to compare.

        Two short lines, so the text beside the number never breaks inside a date.
        """
        info = derived_from_id({"n": raw}, self.today(), key="n")
        if info is None:
            return None
        born = info.birth_date
        return f"{info.sex.value}，{info.age} 岁\n{born.year}年{born.month}月{born.day}日出生"

    def materials(self, rev: intake.Review) -> list[tuple[Material, bool]]:
        """Materials for the current answers, each with whether it is ticked as received."""
        ticked = {clean_text(n) for n in self.ticked}
        return [(m, m.name in ticked) for _, m in rev.materials]

    def received(self, rev: intake.Review) -> list[str]:
        return [m.name for m, on in self.materials(rev) if on]

    def notice(self) -> NoticeData:
        return intake.notice(self.ctx, self.form, self.values, self.ticked, self.draft_id)

    def confirmation(self, *, full_id: bool = False) -> Confirmation:
        """The 核对 content; ``full_id`` for the resident's own screen only."""
        rev = self.review()
        _, promised = intake.promise(self.ctx, self.form.item_codes, self.today())
        names = [self.ctx.catalogue.item(c).name for c in self.form.item_codes]
        return confirmation(self.form, rev.result.cleaned, names, self.received(rev), promised,
                            full_id=full_id)

    # -- drafts and saving ----------------------------------------------------------------

    def autosave(self) -> bool:
        """Keep the half-filled form; False when there is nothing to keep or it was saved.

        Raises `StorageFailed` when the database or the disk refuses the draft.
        """
        if self.submitted is not None or not self.dirty:
            return False
        with writing("草稿"):
            intake.autosave(self.ctx, self.draft_id, self.code, self.values, self.ticked)
        self.dirty = False
        return True

    def discard_draft(self) -> None:
        intake.discard(self.ctx, self.draft_id)

    def submit(self) -> SavedCase:
        """Save case and outbox entry; returns after COMMIT.

        Raises `IntakeRefused` when something is still wrong, `StorageFailed` when the
        database or the disk refused the save (nothing was committed).
        """
        if self.submitted is None:
            with writing("办件"):
                sub = intake.submit(self.ctx, self.form, self.values, self.ticked,
                                    draft_id=self.draft_id)
            self.submitted = SavedCase(sub.id, sub.tracking_ref, receipt_for(self.ctx, sub))
        return self.submitted

