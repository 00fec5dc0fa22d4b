"""``GET /q/{tracking_ref}``: the public page a receipt's QR code opens on a resident's phone.

It shows the case's item names, its status history in Beijing time and the resident's masked
name — never the ID number, phone, address or full name, and no staff notes (they are written
for the station). It needs no signature, so it is limited per client address
(:mod:`district_backend.rate_limit`; behind a reverse proxy, uvicorn's forwarded-address
handling must be on for the proxy's address not to count for everyone). A reference two
stations happen to share shows nothing: neither resident's case is shown to the other.

The page is for people, not stations, so it is left out of the OpenAPI document: every
operation there answers in the one JSON error shape, this one in HTML.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from district_backend.catalogue import CatalogueSource
from district_backend.errors import DATABASE_AWAY, DATABASE_RETRY_AFTER, ApiError
from district_backend.models import CaseEvent, ReceivedSubmission
from district_backend.progress_html import (
    CaseProgress,
    not_found_page,
    progress_page,
    too_many_page,
    unavailable_page,
)
from district_backend.rate_limit import FixedWindowLimit
from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.china_time import CHINA_TZ
from station_app.domain.masking import mask_name

PATH = "/q/{tracking_ref}"
MAX_REF_LENGTH = 64  # the column's length: anything longer names no case
UNKNOWN_NAME = "（未填写）"
# a page about one person: not cached, not indexed, not framed, no script, no referrer
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


def item_names(catalogue: Catalogue | None, item_code: str,
               bundle_code: str | None) -> tuple[str, ...]:
    """The case's items by today's names (a bundle: each of its items); codes the catalogue
    no longer knows stay codes."""
    codes: tuple[str, ...] = (item_code,)
    if catalogue is None:
        return codes
    if bundle_code:
        with contextlib.suppress(KeyError):
            codes = catalogue.bundle(bundle_code).items
    return tuple(catalogue.items[c].name if c in catalogue.items else c for c in codes)


def _masked_applicant(body: str) -> str:
    try:
        name = json.loads(body).get("payload", {}).get("name")
    except (ValueError, AttributeError):
        return UNKNOWN_NAME
    return mask_name(name) if isinstance(name, str) and name.strip() else UNKNOWN_NAME


def _beijing(at: str) -> datetime:
    return datetime.fromisoformat(at).astimezone(CHINA_TZ)


def find_progress(engine: Engine, catalogue: Catalogue | None,
                  tracking_ref: str) -> CaseProgress | None:
    """The case with this reference, as the page shows it; None when there is no such case,
    or more than one."""
    with Session(engine) as session:
        found = session.exec(select(ReceivedSubmission).where(
            ReceivedSubmission.tracking_ref == tracking_ref).limit(2)).all()
        if len(found) != 1:
            return None
        sub = found[0]
        events = session.exec(select(CaseEvent.status, CaseEvent.at).where(
            CaseEvent.receipt_no == sub.receipt_no).order_by(col(CaseEvent.id))).all()
        return CaseProgress(
            tracking_ref=sub.tracking_ref,
            items=item_names(catalogue, sub.item_code, sub.bundle_code),
            applicant=_masked_applicant(sub.body),
            history=tuple((status, _beijing(at)) for status, at in events))


def install(app: FastAPI, *, engine: Engine, catalogue: CatalogueSource,
            clock: Callable[[], float], per_minute: int) -> None:
    """Add the page to ``app``, limited to ``per_minute`` requests per client address."""
    limit = FixedWindowLimit(per_minute)

    def page(html: str, status: int, **extra: str) -> HTMLResponse:
        return HTMLResponse(html, status_code=status, headers={**HEADERS, **extra})

    @app.get(PATH, response_class=HTMLResponse, include_in_schema=False)
    def progress(request: Request, tracking_ref: str) -> HTMLResponse:
        client = request.client.host if request.client else "unknown"
        wait = limit.wait_seconds(client, clock())
        if wait is not None:
            return page(too_many_page(wait), 429, **{"Retry-After": str(wait)})
        ref = tracking_ref.strip().upper()
        if not ref or len(ref) > MAX_REF_LENGTH:
            return page(not_found_page(tracking_ref), 404)
        try:
            published: Catalogue | None = catalogue.get().catalogue
        except ApiError:  # no catalogue ever loaded: the page still shows the item codes
            published = None
        try:
            found = find_progress(engine, published, ref)
        except DATABASE_AWAY:
            return page(unavailable_page(int(DATABASE_RETRY_AFTER)), 503,
                        **{"Retry-After": DATABASE_RETRY_AFTER})
        if found is None:
            return page(not_found_page(ref), 404)
        return page(progress_page(found), 200)
