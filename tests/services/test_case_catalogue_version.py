"""A case keeps the catalogue version it was filled with: after the district renames an item,
changes its materials or time limit, or renames a 一事联办 bundle, the reprint and the detail
of an older case still say what the resident was told at the counter."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_app.paths import bundled_catalogue_dir
from station_app.services.case_list import CaseQuery, CaseSource
from station_app.services.case_record import load_case
from station_app.services.catalogue_source import CATALOGUES_DIR, activate
from station_app.services.context import StationContext, open_station
from station_app.services.receipts import find_case, receipt_for, title_of
from station_app.services.saving import NewSubmission, save_submission
from station_app.store.catalogue import active_catalogue_version, stored_catalogue
from station_app.store.engine import session_scope
from station_app.store.models import CatalogueSource, Submission

V1, V2 = "2026.11.1", "2026.12.1"
RS04_V1, RS04_V2 = "退休人员养老金资格认证", "养老金领取资格年度认证"
BD01_V1, BD01_V2 = "退休“一件事”", "退休“一件事”（新版）"
PAYLOAD = {"name": "张三丰", "id_number": "11010519491231002X"}


@pytest.fixture
def station_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "station"


def _open(data_dir: Path) -> StationContext:
    return open_station(data_dir, operator="李四")


def _save(ctx: StationContext, item_code: str, materials: list[str], *,
          bundle_code: str | None = None, form_version: str = "1") -> Submission:
    return save_submission(ctx.engine, NewSubmission(
        item_code=item_code, bundle_code=bundle_code, catalogue_version=ctx.catalogue.version,
        form_version=form_version, payload=PAYLOAD, operator="李四", materials=materials))


def _write_v2(data_dir: Path) -> str:
    """The district's next catalogue: RS04 renamed with other materials, CL37 given a shorter
    time limit, BD01 renamed; installed the way sync installs a pulled one."""
    folder = data_dir / CATALOGUES_DIR / V2
    shutil.copytree(bundled_catalogue_dir(), folder)

    def edit(rel: str, *changes: tuple[str, str]) -> None:
        path = folder / rel
        text = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text, (rel, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")

    edit("catalogue.yaml", (f'"{V1}"', f'"{V2}"'), (f"name: {BD01_V1}", f"name: {BD01_V2}"))
    edit("items/RS04.yaml", (f"name: {RS04_V1}", f"name: {RS04_V2}"),
         ("name: 居民身份证或社会保障卡", "name: 社会保障卡"))
    edit("items/CL37.yaml", ("days: 20", "days: 10"))
    return V2


def test_reprint_and_detail_keep_the_catalogue_the_case_was_filled_with(
        station_dir: Path) -> None:
    ctx = _open(station_dir)
    try:
        assert ctx.catalogue.version == V1
        cases = [_save(ctx, "RS04", ["居民身份证或社会保障卡"]),
                 _save(ctx, "CL37", ["居民身份证"]),
                 _save(ctx, "RS02", ["居民身份证"], bundle_code="BD01", form_version="1.1.1")]
        before = {c.id: (receipt_for(ctx, find_case(ctx, c.tracking_ref)),
                         load_case(ctx, c.id)) for c in cases}
        activate(station_dir, _write_v2(station_dir), engine=ctx.engine, etag='"v2"')
    finally:
        ctx.close()

    ctx = _open(station_dir)  # the station restarts with the pulled catalogue
    try:
        assert ctx.catalogue.version == V2 and ctx.catalogue.item("RS04").name == RS04_V2
        source, query = CaseSource(ctx), CaseQuery()  # first read inside the list's transaction
        titles = {row.id: row.title for row in source.page(query, source.counts(query), 0, 10)}
        assert titles == {cases[0].id: RS04_V1, cases[1].id: "残疾人证新办",
                          cases[2].id: BD01_V1}
        for case in cases:
            receipt, record = before[case.id]
            sub = find_case(ctx, case.tracking_ref)
            assert receipt_for(ctx, sub) == receipt  # word for word what was printed
            after = load_case(ctx, case.id)
            assert after is not None and record is not None and after.title == record.title
        rs04, cl37, bundle = (before[c.id][0] for c in cases)
        assert rs04.title == RS04_V1 and rs04.materials_received == ("居民身份证或社会保障卡",)
        assert bundle.title == BD01_V1
        assert "20 个工作日" in cl37.promised  # v1's time limit, not v2's 10 days
        assert title_of(ctx, find_case(ctx, cases[0].tracking_ref)) == RS04_V1

        new = _save(ctx, "RS04", ["社会保障卡"])
        assert receipt_for(ctx, find_case(ctx, new.tracking_ref)).title == RS04_V2
        with session_scope(ctx.engine) as s:
            active = active_catalogue_version(s)
            assert active is not None and active.version == V2
            assert (active.source, active.etag) == (CatalogueSource.PULLED, '"v2"')
            first = stored_catalogue(s, V1)
            assert first is not None and first.items["RS04"]["name"] == RS04_V1
            assert len(first.items) == len(ctx.catalogue.items)
    finally:
        ctx.close()


def test_a_version_never_recorded_is_shown_with_todays_catalogue_and_says_so(
        station_dir: Path) -> None:
    ctx = _open(station_dir)
    try:
        old = save_submission(ctx.engine, NewSubmission(
            item_code="RS04", catalogue_version="2025.1", form_version="1", payload=PAYLOAD,
            operator="李四", materials=["居民身份证或社会保障卡"]))
        sub = find_case(ctx, old.tracking_ref)
        receipt = receipt_for(ctx, sub)
        assert receipt.title.startswith(RS04_V1)
        assert "2025.1" in receipt.title and "现行目录" in receipt.title
        record = load_case(ctx, old.id)
        assert record is not None and record.title == receipt.title
        assert title_of(ctx, sub) == RS04_V1  # the list stays short
    finally:
        ctx.close()


def test_a_recorded_version_is_not_rewritten(station_dir: Path) -> None:
    ctx = _open(station_dir)
    ctx.close()
    with pytest.MonkeyPatch.context() as m:  # the same number, other content (a mistake)
        changed = station_dir.parent / "changed"
        shutil.copytree(bundled_catalogue_dir(), changed)
        rs04 = changed / "items" / "RS04.yaml"
        rs04.write_text(rs04.read_text(encoding="utf-8").replace(RS04_V1, RS04_V2),
                        encoding="utf-8")
        m.setattr("station_app.services.catalogue_source.bundled_catalogue_dir",
                  lambda: changed)
        ctx = _open(station_dir)
    try:
        assert ctx.catalogue.item("RS04").name == RS04_V2
        with session_scope(ctx.engine) as s:
            kept = stored_catalogue(s, V1)
            assert kept is not None and kept.items["RS04"]["name"] == RS04_V1
            active = active_catalogue_version(s)
            assert active is not None and active.source == CatalogueSource.BUNDLED
    finally:
        ctx.close()
