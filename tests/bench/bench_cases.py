"""Benchmark of the 办件 screen over a large station: build, open, filter, scroll, memory.

Run from the repository root:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_cases [--cases N]
        [--data-dir DIR]

The demo cases are written by ``station-app demo-data`` in a child process, so the peak memory
reported for the page is that of the terminal process alone. Each interactive figure is the
median of several runs; the output is a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from station_app.vault.keys import DataKey

DEFAULT_CASES = 100_000
OPERATOR = ("A001", "bench-password-1")  # the encrypted copy's administrator
REPEATS = 5
# Proposed for a store migration (see the report): the list is ordered by created_at, so a
# filter needs (column, created_at) to read one page instead of sorting every match.
PROPOSED_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_bench_status_created ON submission (status, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_bench_item_created ON submission (item_code, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_bench_sync_created ON submission (sync_state, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_bench_name_created "
    "ON submission (applicant_name_masked, created_at)",
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _median(action: Callable[[], object], reset: Callable[[], object] | None = None,
            repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        if reset is not None:
            reset()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build(data_dir: Path, cases: int) -> float:
    """Fill ``data_dir`` through the real command; returns the wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "station_app.cli", "--data-dir", str(data_dir),
                    "demo-data", "--cases", str(cases), "--seed", "1", "--no-encrypt"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(data_dir: Path, key: DataKey | None = None) -> list[tuple[str, str]]:
    """Open the page on ``data_dir`` (with SQLCipher when ``key`` is given) and time what a
    worker does with it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from station_app.services.case_list import ATTENTION_MARK, CaseQuery, CaseSource
    from station_app.services.context import open_station
    from station_app.ui.cases import CasesPage
    from station_app.ui.cases.cases_model import PAGE_SIZE, CasesModel
    from station_app.ui.theme import STANDARD, apply_theme

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, STANDARD)
    ctx = open_station(data_dir, key=key)
    rows: list[tuple[str, str]] = []
    try:
        started = time.perf_counter()
        page = CasesPage(ctx)
        page.resize(1366, 760)
        page.show()
        app.processEvents()
        rows.append(("办件页打开（建页面 + 计数 + 首页 + 详情）/ page open",
                     _ms(time.perf_counter() - started)))
        total = page.model.total
        model = CasesModel(CaseSource(ctx))
        rows.append(("首页 200 件（计数 + 一页）/ first page",
                     _ms(_median(lambda: model.set_query(CaseQuery())))))
        rows.append(("下一页 fetchMore（第 2 页）/ next page",
                     _ms(_median(model.fetchMore, lambda: model.set_query(CaseQuery())))))
        deep = CaseSource(ctx)
        counts = deep.counts(CaseQuery())
        rows.append(("深处一页（偏移 50,000）/ page at offset 50,000",
                     _ms(_median(lambda: deep.page(CaseQuery(), counts, 50_000, PAGE_SIZE)))))

        with ctx.engine.connect() as conn:
            name, id_number, ref = conn.exec_driver_sql(
                "SELECT json_extract(payload, '$.name'), json_extract(payload, '$.id_number'), "
                "tracking_ref FROM submission ORDER BY id LIMIT 1 OFFSET 4321").one()
        f = page.filters

        def combo(box: object, index: int) -> Callable[[], None]:
            def run() -> None:
                box.setCurrentIndex(index)  # type: ignore[attr-defined]
                app.processEvents()
            return run

        def search(text: str) -> Callable[[], None]:
            def run() -> None:
                f.search.setText(text)
                f.search.returnPressed.emit()
                app.processEvents()
            return run

        def reset() -> None:
            for box in (f.status, f.item, f.dates):
                box.blockSignals(True)
                box.setCurrentIndex(0)
                box.blockSignals(False)
            f.search.blockSignals(True)
            f.search.clear()
            f.search.blockSignals(False)
            page.apply_filters()
            app.processEvents()

        filters = [
            ("筛选：状态 已办结 / status", combo(f.status, f.status.findText("已办结"))),
            ("筛选：状态 ⚠ 需处理 / needs attention",
             combo(f.status, f.status.findText(ATTENTION_MARK))),
            ("筛选：事项 RS04 / item", combo(f.item, f.item.findData("RS04"))),
            ("筛选：近 30 天 / last 30 days", combo(f.dates, f.dates.findText("近 30 天"))),
            ("查找：姓名 / name", search(name)),
            ("查找：身份证后 4 位 / last 4 ID digits", search(id_number[-4:])),
            ("查找：受理编号 / tracking ref", search(ref.lower())),
        ]
        for label, action in filters:
            rows.append((label + "（含详情）", _ms(_median(action, reset))))
        page.close()
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        rows.append(("终端进程内存峰值 / peak RSS of the page process",
                     f"{peak_kb / 1024:.0f} MiB"))
        rows.insert(0, ("办件总数 / cases", f"{total:,}"))
    finally:
        ctx.close()
    return rows


def table(rows: list[tuple[str, str]], encrypted: list[tuple[str, str]] | None = None) -> str:
    """One row per measure; with ``encrypted`` a second column for the SQLCipher run."""
    if encrypted is None:
        lines = ["| 测量 / measure | 结果 / result |", "| --- | ---: |"]
        return "\n".join(lines + [f"| {a} | {b} |" for a, b in rows])
    enc = dict(encrypted)
    lines = ["| 测量 / measure | 未加密 / plain | 加密 / SQLCipher |", "| --- | ---: | ---: |"]
    return "\n".join(lines + [f"| {a} | {b} | {enc.get(a, '—')} |" for a, b in rows])


def starts(station: Path, pycache: Path) -> list[tuple[str, float]]:
    """The terminal started on the encrypted 100,000-case station, signed in as a real
    operator (the default Argon2 cost, unlike bench_start's demo account): once as after a
    crash (no note of a clean close: every page checked), then after that start's clean close
    (header, key and schema checked); see station_app.store.clean_close. A first start before
    them compiles the bytecode and builds the search readings' cache (what bench_start's
    "first start" row measures); the note of its clean close is then removed, which is what a
    crash leaves. Each start gives two figures: the window usable (search works; the database
    is opened meanwhile on a worker thread) and the station open in it (every page ready)."""
    from station_app.store.clean_close import note_path
    from tests.bench.bench_start import start_times

    start_times("terminal", station, pycache, *OPERATOR)
    note_path(station / "station.db").unlink()
    full = start_times("terminal", station, pycache, *OPERATOR)
    light = start_times("terminal", station, pycache, *OPERATOR)
    return [("启动（崩溃后：全库检查）：窗口可用 / start after a crash: window usable",
             full["usable"]),
            ("启动（崩溃后：全库检查）：数据库已打开 / … station open (full check)",
             full["ready"]),
            ("启动（正常关闭后）：窗口可用 / start after a clean close: window usable",
             light["usable"]),
            ("启动（正常关闭后）：数据库已打开 / … station open", light["ready"])]


def secure_copy(data_dir: Path, target: Path) -> DataKey:
    """The same station encrypted the way an upgrade does it (first administrator, SQLCipher
    export); returns the data key a sign-in would unwrap."""
    import shutil

    from station_app.services.security import secure_station

    shutil.copytree(data_dir, target)
    who, _ = secure_station(target, staff_no=OPERATOR[0], name="基准", password=OPERATOR[1])
    return who.key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="reuse a filled data folder instead of building one")
    parser.add_argument("--plain-only", action="store_true",
                        help="skip the second run on an encrypted copy")
    parser.add_argument("--measure-only", action="store_true",
                        help="measure --data-dir and print the rows as JSON (used for the "
                             "encrypted run, in its own process so its memory is its own)")
    parser.add_argument("--key-file", type=Path, help="data key (hex) for --measure-only")
    parser.add_argument("--proposed-indexes", action="store_true",
                        help="add the proposed (column, created_at) indexes first "
                             "(changes the data folder's database)")
    args = parser.parse_args(argv)
    if args.measure_only:
        key = (DataKey(bytes.fromhex(args.key_file.read_text().strip()))
               if args.key_file else None)
        print(json.dumps(measure(args.data_dir, key), ensure_ascii=False))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as tmp:
        rows: list[tuple[str, str]] = []
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp) / "station"
            seconds = build(data_dir, args.cases)
            child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            rows.append((f"生成 {args.cases:,} 件演示办件 / build demo cases",
                         f"{seconds:.1f} s ({args.cases / seconds:,.0f} 件/s)"))
            rows.append(("生成进程内存峰值 / peak RSS while building",
                         f"{child_kb / 1024:.0f} MiB"))
        if args.proposed_indexes:
            with sqlite3.connect(data_dir / "station.db") as conn:
                for statement in PROPOSED_INDEXES:
                    conn.execute(statement)
            rows.append(("（已加建议索引 / with the proposed indexes）", "—"))
        measured = measure(data_dir)
        rows = measured[:1] + rows + measured[1:]
        encrypted = None
        if not args.plain_only:
            key = secure_copy(data_dir, Path(tmp) / "encrypted")
            key_file = Path(tmp) / "data.key"
            key_file.write_text(key.raw.hex())
            child = subprocess.run(
                [sys.executable, "-m", "tests.bench.bench_cases", "--measure-only",
                 "--data-dir", str(Path(tmp) / "encrypted"), "--key-file", str(key_file)],
                check=True, capture_output=True, text=True)
            encrypted = [tuple(r) for r in json.loads(child.stdout.strip().splitlines()[-1])]
            for label, seconds in starts(Path(tmp) / "encrypted", Path(tmp) / "pycache"):
                rows.insert(len(rows) - 1, (label, "—"))
                encrypted.append((label, _ms(seconds)))
    print(f"办件页基准 / cases benchmark — {datetime.now(UTC):%Y-%m-%d}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPU\n")
    print(table(rows, encrypted))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
