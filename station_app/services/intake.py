"""Intake use case: open a form, review it, print a notice for what is missing, submit.

`review` is the one place that decides whether a case may be submitted (确保办件一次成功):
no field error and no required material unticked. The GUI and the CLI both ask it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from station_app.domain.catalogue import HandlingType, Material
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.documents import MissingMaterial, NoticeData
from station_app.domain.forms import (
    FormResult,
    FormSpec,
    form_for_bundle,
    form_for_item,
    materials_needed,
    missing_materials,
    validate_form,
)
from station_app.domain.masking import mask_id, mask_name
from station_app.domain.workdays import CalendarOutOfRange
from station_app.services.context import StationContext
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.store.engine import session_scope
from station_app.store.models import Draft, Submission
from station_app.store.records import delete_draft, load_draft, save_draft


def open_form(ctx: StationContext, code: str) -> FormSpec:
    """The form of an item (``RS04``) or a 一事联办 bundle (``BD01``)."""
    if code in ctx.catalogue.items:
        return form_for_item(ctx.catalogue, code)
    return form_for_bundle(ctx.catalogue, code)


def bundle_code_of(ctx: StationContext, form: FormSpec) -> str | None:
    for b in ctx.catalogue.header.bundles:
        if b.items == form.item_codes and b.name == form.title:
            return b.code
    return None


@dataclass(frozen=True)
class Review:
    """What the worker must still do before the case can be saved."""

    result: FormResult
    materials: list[tuple[str, Material]]
    missing: list[Material]

    @property
    def can_submit(self) -> bool:
        return self.result.ok and not self.missing


def review(ctx: StationContext, form: FormSpec, values: Mapping[str, object],
           ticked: Sequence[str]) -> Review:
    result = validate_form(form, values)
    materials = materials_needed(ctx.catalogue, form, values)
    return Review(result, materials, missing_materials(materials, ticked))


class IntakeRefused(Exception):
    """Submit was asked while something is still wrong; `review` says what."""

    def __init__(self, rev: Review) -> None:
        self.review = rev
        parts = []
        if rev.result.errors:
            parts.append(f"{len(rev.result.errors)} 处填写有误")
        if rev.missing:
            parts.append("缺少材料：" + "、".join(m.name for m in rev.missing))
        super().__init__("不能提交：" + "；".join(parts))


def _local_day(ctx: StationContext, at: datetime | None = None) -> date:
    return (at or ctx.clock()).astimezone(CHINA_TZ).date()


def promise(ctx: StationContext, codes: Sequence[str], accepted_on: date,
            catalogue: Catalogue | None = None) -> tuple[date | None, str]:
    """Due date and receipt wording for one item or a bundle (the latest item decides).

    ``catalogue``: the one the case was filled with, when it is not today's (a reprint).
    """
    cal = ctx.calendar
    items = [(catalogue or ctx.catalogue).item(c) for c in codes]
    if len(items) == 1:
        h = items[0].handling
        try:
            due = cal.promised_date(h, accepted_on)
        except CalendarOutOfRange:
            due = None
        return due, cal.promise_label(h, accepted_on)
    dues: list[date] = []
    for it in items:
        if it.handling.type is HandlingType.REFERRED:
            return None, "含转报事项，办结时限以承办部门答复为准"
        try:
            d = cal.promised_date(it.handling, accepted_on)
        except CalendarOutOfRange:
            longest = max(i.handling.days or 0 for i in items)
            return None, f"承诺 {longest} 个工作日内全部办结（具体日期另行告知）"
        if d is not None:
            dues.append(d)
    due = max(dues)
    if due == accepted_on:
        return due, "即办件，当场办结"
    return due, f"承诺 {due.year}年{due.month}月{due.day}日前全部办结"


BLANK_FORM_NOTE = "空白表格可在本驿站领取，或请工作人员打印"


def notice_number(ctx: StationContext, draft_id: str, day: date) -> str:
    """The notice's number: station, day and the intake it belongs to (a reprint of the
    same intake keeps it; the intake's draft becomes the case, so the case carries it)."""
    return f"GZ-{ctx.station.station_id}-{day:%Y%m%d}-{draft_id[-6:].upper()}"


def notice(ctx: StationContext, form: FormSpec, values: Mapping[str, object],
           ticked: Sequence[str], draft_id: str) -> NoticeData:
    """一次性告知单: every required material not yet received, with form and copies, where
    blank forms are, each item's time limit, and the notice's own number (一次性告知 rules)."""
    rev = review(ctx, form, values, ticked)
    missing_names = {m.name for m in rev.missing}
    rows = []
    for code, m in rev.materials:
        if m.name in missing_names:
            item = ctx.catalogue.items.get(code)
            note = m.note
            if m.name.endswith("表"):  # an application form: say where a blank one is
                note = f"{note}；{BLANK_FORM_NOTE}" if note else BLANK_FORM_NOTE
            rows.append(MissingMaterial(m.name, m.form.label, m.copies, note,
                                        item.name if item else "代办"))
    name = str(values.get("name") or "")
    id_number = str(values.get("id_number") or "")
    today = _local_day(ctx)
    limits = tuple(f"{ctx.catalogue.item(c).name}：{promise(ctx, (c,), today)[1]}"
                   for c in form.item_codes)
    return NoticeData(ctx.station, form.title, mask_name(name) if name else "（未填写）",
                      mask_id(id_number) if id_number else "（未填写）", ctx.clock(),
                      tuple(rows), ctx.operator, notice_no=notice_number(ctx, draft_id, today),
                      time_limits=limits)


def submit(ctx: StationContext, form: FormSpec, values: Mapping[str, object],
           ticked: Sequence[str], *, draft_id: str | None = None) -> Submission:
    """Save the case and its outbox entry in one transaction; raise IntakeRefused if not ready.

    Returns only after COMMIT, so the caller may say "已保存".
    """
    rev = review(ctx, form, values, ticked)
    if not rev.can_submit:
        raise IntakeRefused(rev)
    cleaned: dict[str, Any] = dict(rev.result.cleaned)
    due, _ = promise(ctx, form.item_codes, _local_day(ctx))
    needed = {m.name for _, m in rev.materials}
    new = NewSubmission(
        item_code=form.item_codes[0],
        bundle_code=bundle_code_of(ctx, form),
        catalogue_version=ctx.catalogue.version,
        form_version=".".join(str(form.form_versions[c]) for c in form.item_codes),
        payload=cleaned,
        operator=ctx.operator,
        materials=[n for n in ticked if n in needed],
        applicant=ApplicantIndex.of(str(cleaned.get("name") or "") or None,
                                    str(cleaned.get("id_number") or "") or None, ctx.index_key),
        promised_date=due,
        id=draft_id,
    )
    return save_submission(ctx.engine, new)


def autosave(ctx: StationContext, draft_id: str, code: str, values: Mapping[str, Any],
             ticked: Sequence[str]) -> None:
    """Keep the half-filled form so a crash or a closed window loses nothing."""
    is_bundle = code not in ctx.catalogue.items
    with session_scope(ctx.engine) as s:
        save_draft(s, draft_id, operator=ctx.operator, payload=dict(values),
                   materials=list(ticked), item_code=None if is_bundle else code,
                   bundle_code=code if is_bundle else None)


def restore(ctx: StationContext, draft_id: str) -> Draft | None:
    with session_scope(ctx.engine) as s:
        draft = load_draft(s, draft_id)
        if draft is not None:
            s.expunge(draft)
        return draft


def discard(ctx: StationContext, draft_id: str) -> None:
    with session_scope(ctx.engine) as s:
        delete_draft(s, draft_id)
