"""A roll-out rehearsal as IT runs it: `setup`, `demo-data --queued 50`, `cases list --json`,
`sync --once` against a district backend on 127.0.0.1 serving the full catalogue. All 50 are
delivered exactly once, with their scans, and acknowledged here."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from station_app.cli import main
from station_app.services.context import DB_FILE
from station_app.store.engine import open_engine, session_scope
from station_app.store.models import OutboxEntry
from station_app.sync.attachments import needed_hashes
from tests.helpers.backend import serve_backend
from tests.helpers.catalogue import REPO_CATALOGUE
from tests.helpers.station import STATION_ID
from tests.helpers.sync_harness import assert_exactly_once, cases_list_json, district_stats

pytestmark = pytest.mark.timeout(180)
QUEUED = 50


def _cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> str:
    capsys.readouterr()
    rc = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    assert rc == 0, out + err
    return out


def test_queued_demo_cases_are_delivered_exactly_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serve_backend(tmp_path, catalogue_dir=REPO_CATALOGUE) as district:
        data_dir = tmp_path / "station"
        secret = district.enroll(STATION_ID).secret
        _cli(capsys, data_dir, "setup", "--station-id", STATION_ID, "--backend",
             district.base_url, f"--secret={secret}")
        out = _cli(capsys, data_dir, "demo-data", "--queued", str(QUEUED), "--seed", "4",
                   "--no-encrypt")  # clear: the test reads the outbox file directly
        assert f"已生成 {QUEUED} 件演示办件（其中待同步 {QUEUED} 件" in out

        cases = cases_list_json(data_dir, capsys)
        assert len(cases) == QUEUED
        assert {(c["sync_state"], c["status"], c["receipt_no"]) for c in cases} == {
            ("queued", None, None)}
        engine = open_engine(data_dir / DB_FILE)
        try:
            with session_scope(engine) as s:
                scans = set().union(*(needed_hashes(b)
                                      for b in s.exec(select(OutboxEntry.body)).all()))

            out = _cli(capsys, data_dir, "sync", "--once", "--no-catalogue")
            for line in (f"发出办件：{QUEUED} 件", f"区后台受理：{QUEUED} 件",
                         "待同步：0 件", "需处理：0 件", "同步完成"):
                assert line in out.splitlines(), out
            assert "拒收" not in out, out  # nothing refused, so no line of zeros
            if scans:
                assert f"上传附件：{len(scans)} 个" in out.splitlines(), out
            receipts = assert_exactly_once(engine, district.db_url, STATION_ID)
        finally:
            engine.dispose()
        assert len(receipts) == QUEUED
        stats = district_stats(district)[STATION_ID]
        assert (stats["received"], stats["duplicates"], stats["rejected"],
                stats["conflicts"]) == (QUEUED, 0, 0, 0)
        stored = {p.name for p in district.attachment_dir.rglob("*") if p.is_file()}
        assert stored == scans

        cases = cases_list_json(data_dir, capsys)
        assert {c["sync_state"] for c in cases} == {"synced"}
        assert all(c["receipt_no"] == receipts[c["submission_id"]] for c in cases)
