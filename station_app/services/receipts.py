"""Receipts (回执) for saved cases: what they say, and writing them as PDF.

The wording is built here from the case and the catalogue; `printing` only lays it out.
"""

from __future__ import annotations

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.documents import ReceiptData
from station_app.domain.masking import mask_id
from station_app.services.context import StationContext
from station_app.services.intake import promise
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.store.submissions import get_submission_by_ref


class CaseNotFound(LookupError):
    """No case with that reference on this station."""


def find_case(ctx: StationContext, ref: str) -> Submission:
    """The case for a tracking reference as typed or scanned."""
    with session_scope(ctx.engine) as s:
        sub = get_submission_by_ref(s, ref)
        if sub is None:
            raise CaseNotFound(f"本站没有受理编号为 {ref} 的办件")
        s.expunge(sub)
        return sub


def codes_of(ctx: StationContext, sub: Submission) -> tuple[str, ...]:
    if sub.bundle_code:
        try:
            return ctx.catalogue.bundle(sub.bundle_code).items
        except KeyError:
            pass
    return (sub.item_code,)


def title_of(ctx: StationContext, sub: Submission) -> str:
    if sub.bundle_code:
        try:
            return ctx.catalogue.bundle(sub.bundle_code).name
        except KeyError:
            return sub.bundle_code
    item = ctx.catalogue.items.get(sub.item_code)
    return item.name if item else sub.item_code


def receipt_for(ctx: StationContext, sub: Submission) -> ReceiptData:
    codes = [c for c in codes_of(ctx, sub) if c in ctx.catalogue.items]
    accepted_local = sub.created_at.astimezone(CHINA_TZ)
    _, promised = promise(ctx, codes or [sub.item_code], accepted_local.date()) \
        if codes else (None, "以承办部门答复为准")
    id_number = str(sub.payload.get("id_number") or "")
    return ReceiptData(
        station=ctx.station,
        title=title_of(ctx, sub),
        item_names=tuple(ctx.catalogue.item(c).name for c in codes),
        applicant=sub.applicant_name_masked or "（未填写）",
        applicant_id=mask_id(id_number) if id_number else "（未填写）",
        materials_received=tuple(sub.materials),
        tracking_ref=sub.tracking_ref,
        receipt_no=sub.receipt_no,
        accepted_at=accepted_local.replace(tzinfo=None),
        promised=promised,
        operator=sub.operator,
        qr_text=sub.tracking_ref,
    )
