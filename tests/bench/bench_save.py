"""Save latency: one case with its outbox entry, plain SQLite and SQLCipher, against a raw
commit of two rows on the same kind of file (the floor any durable save pays).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_save [--saves N]

Each figure is the median (p50) and p95 of N saves on a fresh data folder; the baseline is
measured in the same run on the same disk, and the ratio is save / baseline. The statements
one save sends are counted too: unlike the times, that number does not depend on the machine
(tests/store/test_save_cost.py holds it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from station_app.services.context import open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.services.security import secure_station
from station_app.store.engine import raw_connect
from station_app.vault.keys import DataKey
from tests.helpers.statements import recorded

DEFAULT_SAVES = 300
NAME, ID_NUMBER = "欧阳秀英", "420105195803150026"
PAYLOAD: dict[str, object] = {"name": NAME, "id_number": ID_NUMBER, "phone": "13971234567",
           "address": {"community": "七里一村", "building": "5栋", "unit": "2单元",
                       "room": "301"}, "apply_by": "本人办理"}


def _quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def raw_commit(db: Path, key: str | None, n: int) -> list[float]:
    """Two INSERTs and a COMMIT per sample, WAL + synchronous=FULL like the store."""
    conn = raw_connect(db, key=key)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, body BLOB)")
        conn.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, body BLOB)")
        body = repr(PAYLOAD).encode() * 3
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO a (body) VALUES (?)", (body,))
            conn.execute("INSERT INTO b (body) VALUES (?)", (body,))
            conn.execute("COMMIT")
            samples.append(time.perf_counter() - started)
        return samples
    finally:
        conn.close()


def saves(data_dir: Path, key: DataKey | None, n: int) -> tuple[list[float], int]:
    """N save times, and the number of statements the last save sent."""
    ctx = open_station(data_dir, key=key)
    try:
        samples = []
        for i in range(n):
            new = NewSubmission(item_code="RS04", catalogue_version="2026.11.1",
                                form_version="1", payload=PAYLOAD, operator="王芳（A001）",
                                materials=["居民身份证或社会保障卡"],
                                applicant=ApplicantIndex.of(NAME, ID_NUMBER, ctx.index_key))
            if i == n - 1:
                with recorded(ctx.engine) as sent:
                    save_submission(ctx.engine, new)
                break
            started = time.perf_counter()
            save_submission(ctx.engine, new)
            samples.append(time.perf_counter() - started)
        return samples, len(sent)
    finally:
        ctx.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=DEFAULT_SAVES)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-save-") as tmp:
        base = Path(tmp)
        plain_floor = _quantiles(raw_commit(base / "raw-plain.db", None, args.saves))
        plain_times, statements = saves(base / "plain", None, args.saves + 1)
        plain = _quantiles(plain_times)
        key = DataKey.generate()
        enc_floor = _quantiles(raw_commit(base / "raw-enc.db", key.sqlcipher_key(), args.saves))
        who, _ = secure_station(base / "enc", staff_no="A001", name="基准",
                                password="bench-password-1")
        enc = _quantiles(saves(base / "enc", who.key, args.saves + 1)[0])
    for label, (p50, p95), (f50, _) in (("未加密 / plain SQLite", plain, plain_floor),
                                        ("加密 / SQLCipher", enc, enc_floor)):
        rows.append(f"| {label} | {p50 * 1000:.2f} ms | {p95 * 1000:.2f} ms | "
                    f"{f50 * 1000:.2f} ms | {p50 / f50:.1f}× |")
    print(f"保存一件办件 / save a case — {datetime.now(UTC):%Y-%m-%d}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPU, {args.saves} saves each\n")
    print("| 数据库 / database | 保存 p50 | 保存 p95 | 基线：两行原始提交 p50 / raw commit "
          "| 倍数 / ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print(f"\n每次保存发出的 SQL 语句 / statements per save: {statements}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
