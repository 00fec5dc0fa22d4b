"""The receipt's QR code leads to the case's progress page: a station saves a case and syncs it
to the real backend on loopback, the receipt is rendered to PNG, its QR code decoded by a real
decoder, and the decoded address opened in headless Chromium with a phone's screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By

from station_app.printing.documents_pdf import receipt_page
from station_app.printing.output import render_png
from station_app.printing.paper import Paper
from station_app.services import intake
from station_app.services.context import StationContext, open_station
from station_app.services.receipts import find_case, receipt_for
from station_app.services.sync_service import build_engine
from tests.helpers.backend import RunningBackend
from tests.helpers.browser import phone_browser
from tests.helpers.station import RS04_TICKED, RS04_VALUES, configure
from tests.helpers.sync_harness import MakeEngine, local_state

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def station(tmp_path: Path, backend: RunningBackend,
            station_secret: str) -> Iterator[StationContext]:
    """A station whose receipts point at the backend's progress page."""
    data_dir = tmp_path / "station"
    configure(data_dir, backend.base_url, station_secret,
              progress_page_url=backend.base_url + "/q/{ref}")
    ctx = open_station(data_dir)
    yield ctx
    ctx.close()


def _saved_and_synced(ctx: StationContext) -> str:
    """Save an RS04 case as the intake page does, push it; its tracking reference."""
    form = intake.open_form(ctx, "RS04")
    sub = intake.submit(ctx, form, RS04_VALUES, RS04_TICKED)
    engine = build_engine(ctx.data_dir, ctx.settings, ctx.secret, ctx.engine)
    try:
        assert engine.run_once().accepted == 1
    finally:
        engine.close()
    return sub.tracking_ref


def _receipt_qr(ctx: StationContext, ref: str, png: Path, paper: Paper) -> list[str]:
    """The case's receipt rendered to PNG on ``paper``, and what a decoder reads in it."""
    render_png(png, receipt_page(receipt_for(ctx, find_case(ctx, ref)), paper))
    with Image.open(png) as image:
        return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("paper", list(Paper))
def test_the_receipts_qr_decodes_to_the_cases_progress_page(
        qapp: object, tmp_path: Path, station: StationContext, backend: RunningBackend,
        paper: Paper) -> None:
    ref = _saved_and_synced(station)
    codes = _receipt_qr(station, ref, tmp_path / f"receipt-{paper.value}.png", paper)
    assert codes == [f"{backend.base_url}/q/{ref}"]
    assert receipt_for(station, find_case(station, ref)).qr_label == "扫码查询办理进度"


def test_the_progress_page_opens_in_headless_chromium_from_the_qrs_url(
        qapp: object, tmp_path: Path, station: StationContext, backend: RunningBackend) -> None:
    ref = _saved_and_synced(station)
    receipt_no = local_state(station, find_case(station, ref).id)[0].receipt_no
    assert receipt_no is not None
    rc, _, err = backend.cli("case", "advance", receipt_no, "审核中")
    assert rc == 0, err
    [url] = _receipt_qr(station, ref, tmp_path / "receipt.png", Paper.A4)
    with phone_browser(tmp_path / "chromium-profile") as browser:
        browser.get(url)
        text = browser.find_element(By.TAG_NAME, "body").text
        assert browser.title == f"办理进度 · {ref}"
        for shown in ("办理进度", ref, "退休人员养老金资格认证", "当前状态", "审核中", "受理",
                      "测**民"):
            assert shown in text, shown
        assert "测试居民" not in browser.page_source
        assert browser.find_element(By.CSS_SELECTOR, ".now").text == "审核中"
        # a phone's page: no sideways scrolling, body text large enough to read
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth") is True
        assert browser.execute_script("return window.innerWidth") == 390
        size = browser.execute_script("return getComputedStyle(document.body).fontSize")
        assert float(str(size).removesuffix("px")) >= 18
        assert browser.save_screenshot(str(tmp_path / "progress-page.png"))


def test_a_page_the_district_publishes_reaches_the_receipts_and_a_setting_overrides_it(
        station_ctx: StationContext, backend: RunningBackend, make_engine: MakeEngine) -> None:
    """No setting at the station: the QR holds the bare reference until the district's
    catalogue names its page; a station's own setting then still takes precedence."""
    form = intake.open_form(station_ctx, "RS04")
    ref = intake.submit(station_ctx, form, RS04_VALUES, RS04_TICKED).tracking_ref
    before = receipt_for(station_ctx, find_case(station_ctx, ref))
    assert before.qr_text == ref and before.qr_label == "受理编号（二维码）"
    published = "https://hy.example.cn/q/{ref}"
    header = backend.catalogue_dir / "catalogue.yaml"
    data = yaml.safe_load(header.read_text(encoding="utf-8"))
    data.update(catalogue_version="2026.12.1", progress_page_url=published)
    header.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = make_engine().run_once(push=False, changes=False, catalogue=True)
    assert report.catalogue_updated == "2026.12.1", report.lines()
    ctx = open_station(station_ctx.data_dir)  # the station's next start, with the new catalogue
    try:
        assert receipt_for(ctx, find_case(ctx, ref)).qr_text == f"https://hy.example.cn/q/{ref}"
        ctx.settings = ctx.settings.model_copy(
            update={"progress_page_url": "https://qdk.example.cn/jd?bh={ref}"})
        own = receipt_for(ctx, find_case(ctx, ref)).qr_text
        assert own == f"https://qdk.example.cn/jd?bh={ref}"
    finally:
        ctx.close()
