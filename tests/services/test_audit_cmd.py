"""`station-app audit verify | export` on an encrypted folder, signed in from the command line."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station_app.cli import main
from station_app.services.context import open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.services.security import add_operator, secure_station, sign_in
from station_app.store.engine import raw_connect
from station_app.vault.keyfile import CHEAP_PROFILE, Role

PASSWORD = "hanyang-2026"


@pytest.fixture
def station(tmp_path: Path) -> Path:
    data = tmp_path / "station"
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                              profile=CHEAP_PROFILE)
    add_operator(data, admin, staff_no="W002", name="李强", role=Role.WORKER,
                 password="counter-pass-1")
    ctx = open_station(data, key=admin.key, operator=admin.label)
    try:
        for i in range(3):
            save_submission(ctx.engine, NewSubmission(
                item_code="RS04", catalogue_version="2026.11.1", form_version="1",
                payload={"序号": i}, operator=admin.label,
                applicant=ApplicantIndex.of("张三", None, ctx.index_key)))
    finally:
        ctx.close()
    (tmp_path / "admin.pass").write_text(PASSWORD + "\n", encoding="utf-8")
    (tmp_path / "worker.pass").write_text("counter-pass-1\n", encoding="utf-8")
    return data


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(data), "audit", *args])
    out, err = capsys.readouterr()
    return rc, out.strip(), err.strip()


def _as(data: Path, who: str) -> tuple[str, ...]:
    staff = {"admin": "A001", "worker": "W002"}[who]
    return ("--staff-no", staff, "--password-file", str(data.parent / f"{who}.pass"))


def test_verify_passes_then_names_the_row_someone_changed(
        capsys: pytest.CaptureFixture[str], station: Path) -> None:
    rc, out, err = _run(capsys, station, "verify", *_as(station, "worker"))
    assert rc == 0 and "哈希链完整" in out, err
    key = sign_in(station, "A001", PASSWORD, datetime.now(UTC)).key.sqlcipher_key()
    conn = raw_connect(station / "station.db", key=key)  # someone holding the key
    try:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET actor = '某人' WHERE id = 2")
    finally:
        conn.close()
    rc, out, err = _run(capsys, station, "verify", *_as(station, "worker"))
    assert rc == 1 and not out
    assert err.startswith("错误：审计记录第 2 条：内容被改动") and "\n" not in err


def test_export_is_for_administrators_and_is_itself_audited(
        capsys: pytest.CaptureFixture[str], station: Path, tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    rc, _, err = _run(capsys, station, "export", str(target), *_as(station, "worker"))
    assert rc == 1 and "只有管理员" in err and not target.exists()
    rc, out, err = _run(capsys, station, "export", str(target), *_as(station, "admin"))
    assert rc == 0, err
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["prev_hash"] == p["hash"] for p, r in itertools.pairwise(rows))
    rc, out, _ = _run(capsys, station, "verify", *_as(station, "admin"))
    assert rc == 0 and f"{len(rows) + 2} 条" in out  # + the export row and its sign-in


@pytest.mark.parametrize("given", [(), ("--staff-no", "A001", "--password-file", "/nonexistent"),
                                   ("--staff-no", "A001", "--password-file", "WRONG")])
def test_a_secured_folder_without_a_good_sign_in_is_one_line(
        capsys: pytest.CaptureFixture[str], station: Path, given: tuple[str, ...]) -> None:
    if "WRONG" in given:
        wrong = station.parent / "wrong.pass"
        wrong.write_text("not-the-password\n", encoding="utf-8")
        given = (*given[:3], str(wrong))
    rc, out, err = _run(capsys, station, "verify", *given)
    assert rc == 1 and not out and err.startswith("错误：") and "\n" not in err
    assert "Traceback" not in err


def test_receipt_and_cases_commands_sign_in_and_the_reprint_is_audited(
        capsys: pytest.CaptureFixture[str], station: Path, tmp_path: Path,
        qapp: object) -> None:
    """``qapp``: the receipt command, run in this process, would otherwise make a bare
    QGuiApplication that every later widget test in the process would find."""
    key = sign_in(station, "A001", PASSWORD, datetime.now(UTC)).key
    ctx = open_station(station, key=key)
    try:
        from station_app.store.engine import session_scope
        from station_app.store.queries import list_submissions

        with session_scope(ctx.engine) as s:
            ref = list_submissions(s, limit=1)[0].tracking_ref
    finally:
        ctx.close()
    pdf = tmp_path / "receipt.pdf"
    rc = main(["--data-dir", str(station), "receipt", ref, "--pdf", str(pdf)])
    out, err = capsys.readouterr()
    assert rc == 1 and not pdf.exists() and "已加密" in err and "\n" not in err.strip()
    rc = main(["--data-dir", str(station), "receipt", ref, "--pdf", str(pdf),
               *_as(station, "worker")])
    out, err = capsys.readouterr()
    assert rc == 0 and pdf.read_bytes().startswith(b"%PDF"), err
    rc = main(["--data-dir", str(station), "cases", "list", "--json", *_as(station, "worker")])
    out, err = capsys.readouterr()
    assert rc == 0 and ref in out, err
    rc, out, _ = _run(capsys, station, "export", str(tmp_path / "a.jsonl"),
                      *_as(station, "admin"))
    assert rc == 0
    rows = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    assert ("李强（W002）", "receipt.reprinted", ref) in [
        (r["actor"], r["action"], r["subject"]) for r in rows]
