"""Invariant 6, tried as an inspector would: after demo data, an intake with a scan, a
printed receipt, a half-filled draft, a backup, a sync and the terminal's own log, no file
under the data folder holds a resident's name, ID number or phone number in clear — as
UTF-8 or as UTF-16."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select

from station_app.app import configure_logging
from station_app.commands.demo_mode import (
    DEMO_PASSWORD,
    DEMO_STAFF_NO,
    district_backend,
    prepare_station,
)
from station_app.printing.documents_pdf import write_receipt_pdf
from station_app.services.attachments import store_attachment
from station_app.services.backups import MANUAL, take_backup
from station_app.services.context import StationContext, open_station
from station_app.services.intake import autosave
from station_app.services.receipts import receipt_for, record_printed
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.services.security import sign_in
from station_app.services.sync_service import SyncService
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.ui.intake import IntakePage
from tests.ui.test_intake_flow import (
    ID_MATERIAL,
    Typer,
    activate,
    fill_rs04_without_material,
)

NEW_NAME, NEW_ID, NEW_PHONE = "诸葛秀兰", "42010519520918004X", "13907130271"
DRAFT_NAME, DRAFT_ID = "司徒建华", "420105196107070038"
SCAN = b"%PDF-1.4\n" + f"{NEW_NAME} {NEW_ID}".encode() + b"\n%%EOF\n"


def _needles(payloads: list[dict[str, object]]) -> set[str]:
    found = {NEW_NAME, NEW_ID, NEW_PHONE, DRAFT_NAME, DRAFT_ID, GUI_NAME, GUI_ID, GUI_PHONE}
    for p in payloads:
        for key in ("name", "id_number", "phone"):
            value = p.get(key)
            if isinstance(value, str) and len(value) >= 2:
                found.add(value)
    return found


def _clear_text(folder: Path, needles: set[str]) -> list[tuple[str, str]]:
    encoded = [(n, n.encode(enc)) for n in needles for enc in ("utf-8", "utf-16-le")]
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits += [(str(path.relative_to(folder)), n) for n, b in encoded if b in data]
    return hits


GUI_NAME, GUI_ID, GUI_PHONE = "张建国", "420105195603150015", "13871234567"


def _gui_intake(qtbot: QtBot, make_intake: Callable[..., IntakePage], ctx: StationContext,
                type_text: Typer) -> str:
    """The 受理 screen as at the desk: typed, material ticked, 核对 confirmed, receipt
    printed on the stand-in printer; returns the tracking ref."""
    page = make_intake("RS04", ctx)
    activate(qtbot, page)
    fill_rs04_without_material(qtbot, page, type_text)
    type_text(page.form_view.widgets["id_number"].inputs()[0], GUI_ID)
    qtbot.keyClick(page.form_page.materials.box(ID_MATERIAL), Qt.Key.Key_Space)
    qtbot.mouseClick(page.form_page.submit_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.submitted) as saved:
        qtbot.keyClick(page.confirm_view.confirm_button, Qt.Key.Key_Return)
    assert page.receipt_view.print_receipt()
    return str(saved.args[0])


def test_nothing_personal_is_in_clear_anywhere_in_the_data_folder(
        tmp_path: Path, qtbot: QtBot, make_intake: Callable[..., IntakePage],
        type_text: Typer) -> None:
    data = tmp_path / "station"
    with district_backend(tmp_path / "district") as backend:
        prepare_station(data, cases=60, backend=backend, secure=True)  # demo data, encrypted
        who = sign_in(data, DEMO_STAFF_NO, DEMO_PASSWORD, datetime.now(UTC))
        handlers = configure_logging(data)  # the terminal's own log file
        log = logging.getLogger("station_app")
        try:
            ctx = open_station(data, key=who.key, operator=who.label)
            try:
                scan = tmp_path / "hukou.pdf"
                scan.write_bytes(SCAN)
                sha = str(store_attachment(data, scan, key=ctx.data_key)["sha256"])
                sub = save_submission(ctx.engine, NewSubmission(
                    item_code="RS04", catalogue_version=ctx.catalogue.version, form_version="1",
                    payload={"name": NEW_NAME, "id_number": NEW_ID, "phone": NEW_PHONE},
                    operator=ctx.operator, materials=["户口簿"], scans={"户口簿": [sha]},
                    applicant=ApplicantIndex.of(NEW_NAME, NEW_ID, ctx.index_key)))
                log.info("案件已保存：%s", sub.tracking_ref)
                gui_ref = _gui_intake(qtbot, make_intake, ctx, type_text)
                log.info("案件已保存：%s", gui_ref)
                write_receipt_pdf(receipt_for(ctx, sub), tmp_path / "printed" / "receipt.pdf")
                record_printed(ctx, sub.tracking_ref, kind="receipt", reprint=False)
                autosave(ctx, "draft-0001", "RS04", {"name": DRAFT_NAME, "id_number": DRAFT_ID},
                         [])
                take_backup(ctx, MANUAL)
                service = SyncService.for_station(ctx)
                try:
                    report = service.run_once(time.monotonic() + 60)
                finally:
                    service.stop()
                assert report.ok, report.lines()
                with session_scope(ctx.engine) as s:
                    payloads = [dict(p) for p in s.exec(select(Submission.payload)).all()]
                    assert s.get(Submission, sub.id) is not None
            finally:
                ctx.close()
        finally:
            for h in handlers:
                log.removeHandler(h)
                h.close()
    assert len(payloads) == 62  # 60 demo cases, the scanned case, the one typed at the desk
    assert any(p.get("name") == GUI_NAME and p.get("id_number") == GUI_ID for p in payloads)
    assert (data / "logs" / "station.log").read_text(encoding="utf-8").strip()
    assert any(p.name == sha for p in (data / "attachments").iterdir())
    assert list((data / "backups").glob("*.db"))
    assert _clear_text(data, _needles(payloads)) == []
