"""`station-app --data-dir DIR receipt REF --pdf FILE` in a real process, without a display."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from station_app.services import intake
from station_app.services.context import StationContext

Run = subprocess.CompletedProcess[str]


def _run(*args: str) -> Run:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "station_app.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _saved_case(ctx: StationContext) -> str:
    form = intake.open_form(ctx, "RS04")
    values = {"name": "张建国", "id_number": "420105195603150015", "phone": "13871234567",
              "address": {"community": "七里一村", "room": "301"}, "apply_by": "本人办理",
              "benefit_type": "企业职工基本养老保险", "auth_method": "柜台人脸识别",
              "auth_result": "认证通过", "next_due_date": "2027-11-24"}
    return intake.submit(ctx, form, values, ["居民身份证或社会保障卡"]).tracking_ref


def test_receipt_command_writes_the_same_receipt(
        named_ctx: StationContext, tmp_path: Path,
        read_pdf: Callable[[Path], tuple[str, list[str]]]) -> None:
    ref = _saved_case(named_ctx)
    out = tmp_path / "out" / "回执.pdf"
    res = _run("--data-dir", str(named_ctx.data_dir), "receipt", ref.lower(), "--pdf", str(out))
    assert res.returncode == 0, res.stderr
    assert ref in res.stdout
    text, codes = read_pdf(out)
    assert codes == [ref]
    assert "420***********0015" in text and "七里一村红色驿站" in text


def test_unknown_ref_is_one_chinese_line_and_exit_1(named_ctx: StationContext,
                                                    tmp_path: Path) -> None:
    _saved_case(named_ctx)
    res = _run("--data-dir", str(named_ctx.data_dir), "receipt", "HY261125-00000000",
               "--pdf", str(tmp_path / "x.pdf"))
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "HY261125-00000000" in lines[0] and "没有" in lines[0]
    assert not (tmp_path / "x.pdf").exists()


def test_missing_data_dir_is_explained(tmp_path: Path) -> None:
    res = _run("--data-dir", str(tmp_path / "nowhere"), "receipt", "HY261125-00000000",
               "--pdf", str(tmp_path / "x.pdf"))
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()  # nothing created by a failed look-up
