"""Receipts (回执) for saved cases: what they say, and writing them as PDF.

The wording is built here from the case and the catalogue; `printing` only lays it out.
A case is named and reprinted with the catalogue version it was filled with
(:func:`catalogue_of`), not today's: a renamed item or a changed time limit does not rewrite
what the resident was told at the counter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import object_session
from sqlmodel import Session

from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.documents import ReceiptData
from station_app.domain.masking import mask_id
from station_app.domain.progress_link import progress_url
from station_app.services.context import StationContext
from station_app.services.intake import promise
from station_app.store.audit import append_audit
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


@dataclass(frozen=True)
class CaseCatalogue:
    """The catalogue a case is shown with, and why, when it is not the one it was filled with."""

    catalogue: Catalogue
    note: str | None = None


def catalogue_of(ctx: StationContext, sub: Submission) -> CaseCatalogue:
    """The catalogue version ``sub`` was filled with; today's, with a note saying so, when
    this station never recorded that version (cases saved before versions were recorded)."""
    if sub.catalogue_version == ctx.catalogue.version:
        return CaseCatalogue(ctx.catalogue)
    # a case read inside a transaction (the case list, the detail) is looked up in it
    session = object_session(sub)
    recorded = ctx.catalogue_history.get(
        sub.catalogue_version, session if isinstance(session, Session) else None)
    if recorded is not None:
        return CaseCatalogue(recorded)
    return CaseCatalogue(ctx.catalogue, f"（受理时的事项目录 {sub.catalogue_version} 本机未存档，"
                                        f"按现行目录 {ctx.catalogue.version} 显示）")


def codes_of(catalogue: Catalogue, sub: Submission) -> tuple[str, ...]:
    """The items of the case: the bundle's, or its one item."""
    if sub.bundle_code:
        try:
            return catalogue.bundle(sub.bundle_code).items
        except KeyError:
            pass
    return (sub.item_code,)


def _title(catalogue: Catalogue, sub: Submission) -> str:
    if sub.bundle_code:
        try:
            return catalogue.bundle(sub.bundle_code).name
        except KeyError:
            return sub.bundle_code
    item = catalogue.items.get(sub.item_code)
    return item.name if item else sub.item_code


def title_of(ctx: StationContext, sub: Submission) -> str:
    """The case's item or bundle name, as its own catalogue version has it (the case list)."""
    return _title(catalogue_of(ctx, sub).catalogue, sub)


def heading_of(ctx: StationContext, sub: Submission) -> str:
    """:func:`title_of`, followed by the note when today's catalogue stands in (the detail)."""
    shown = catalogue_of(ctx, sub)
    return _title(shown.catalogue, sub) + (shown.note or "")


def receipt_for(ctx: StationContext, sub: Submission) -> ReceiptData:
    shown = catalogue_of(ctx, sub)
    cat = shown.catalogue
    codes = [c for c in codes_of(cat, sub) if c in cat.items]
    accepted_local = sub.created_at.astimezone(CHINA_TZ)
    _, promised = promise(ctx, codes, accepted_local.date(), cat) \
        if codes else (None, "以承办部门答复为准")
    id_number = str(sub.payload.get("id_number") or "")
    return ReceiptData(
        station=ctx.station,
        title=_title(cat, sub) + (shown.note or ""),
        item_names=tuple(cat.item(c).name for c in codes),
        applicant=sub.applicant_name_masked or "（未填写）",
        applicant_id=mask_id(id_number) if id_number else "（未填写）",
        materials_received=tuple(sub.materials),
        tracking_ref=sub.tracking_ref,
        receipt_no=sub.receipt_no,
        accepted_at=accepted_local.replace(tzinfo=None),
        promised=promised,
        operator=sub.operator,
        qr_text=qr_text_for(ctx, sub.tracking_ref),
    )


def progress_template(ctx: StationContext) -> str | None:
    """Where residents follow a case: the station's own setting, else what the district
    publishes in today's catalogue (the page lives there now, whichever version the case was
    filled with), else None."""
    return ctx.settings.progress_page_url or ctx.catalogue.header.progress_page_url


def qr_text_for(ctx: StationContext, tracking_ref: str) -> str:
    """What the receipt's QR code holds: the case's progress page, or its bare reference
    when no page is published (the label under the code then says which)."""
    template = progress_template(ctx)
    return progress_url(template, tracking_ref) if template else tracking_ref


def record_printed(ctx: StationContext, tracking_ref: str, *, kind: str, reprint: bool,
                   channel: str = "gui", number: str | None = None) -> None:
    """An audit row for every receipt or notice that left the station on paper or as a file:
    who printed which case (a notice: its intake, which becomes the case, and its number),
    and whether it was a reprint."""
    detail = {"channel": channel} | ({"number": number} if number else {})
    with session_scope(ctx.engine) as session:
        append_audit(session, ctx.operator, f"{kind}.{'reprinted' if reprint else 'printed'}",
                     tracking_ref, detail)
