"""Benchmarks of the sync path: draining a queue, and the backend's ingest under many stations.

Run from the repository root:

    .venv/bin/python -m tests.bench.bench_sync [--drain N] [--stations N] [--batches N]
        [--batch-size N] [--workers N] [--repeats N] [--skip-drain] [--skip-ingest]

(a) Drain: N queued submissions (default 10,000) pushed by the station's real engine to the
    reference backend on loopback, once in batches of the protocol's maximum and once one
    request per submission, in the same run and against the same backend.
(b) Ingest: simulated stations (default 50), each enrolled and pushing signed batches from its
    own thread, all at once, against the backend on SQLite and, when REDSTATION_PG_URL is set,
    on PostgreSQL (a fresh schema, dropped afterwards) with one backend worker and with
    ``--workers N`` (default 2; several workers need PostgreSQL), each run in a new schema.

The backend always runs as its own process (``district-backend serve``), as in production,
so the station or the simulated stations never share an interpreter with it. Output is
Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import platform
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from station_app.config import StationSettings, save_secret, save_settings
from station_app.services.sync_service import build_engine
from station_app.store.engine import open_engine
from station_app.store.migrate import prepare_database
from station_app.sync.run import SyncOptions
from station_app.vault.keys import DataKey
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import MAX_BATCH_ITEMS
from station_app.wire.signing import sign_request
from tests.bench.cpu_watch import ConnectionWatch, CpuUse, CpuWatch
from tests.helpers.backend_process import BackendProcess, serve_process
from tests.helpers.postgres import PG_ENV, fresh_pg_schema
from tests.helpers.station import RS04_TICKED, RS04_VALUES
from tests.helpers.sync_harness import queue_rs04_bulk

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "catalogue"


@contextlib.contextmanager
def database(kind: str, work: Path) -> Iterator[str]:
    """A new SQLite file, or a new schema on the PostgreSQL server of REDSTATION_PG_URL."""
    if kind == "sqlite":
        yield f"sqlite:///{work / 'district.db'}"
        return
    with fresh_pg_schema() as url:
        yield url


# -- (a) drain: batched vs one request per submission -----------------------------------------

@dataclass
class DrainResult:
    label: str
    batch: int
    count: int
    seconds: float
    requests: int

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def drain_once(backend: BackendProcess, work: Path, station_id: str, count: int,
               batch: int) -> DrainResult:
    secret = backend.enroll(station_id)
    data_dir = work / station_id
    save_settings(data_dir, StationSettings(station_id=station_id, backend_url=backend.url))
    save_secret(data_dir, secret)
    key = DataKey.generate().sqlcipher_key()  # encrypted like every station's database
    prepare_database(data_dir / "station.db", data_dir / "backups", key=key)
    db = open_engine(data_dir / "station.db", key=key)
    try:
        queue_rs04_bulk(db, count)
        settings = StationSettings(station_id=station_id, backend_url=backend.url)
        engine = build_engine(data_dir, settings, secret, db,
                              options=SyncOptions(batch_items=batch))
        try:
            started = time.perf_counter()
            report = engine.drain(time.monotonic() + 3600)
            seconds = time.perf_counter() - started
        finally:
            engine.close()
    finally:
        db.dispose()
    if report.error or report.acked != count:
        raise RuntimeError(f"drain of {station_id} incomplete: {report.lines()}")
    label = "batched" if batch > 1 else "one per request"
    return DrainResult(label, batch, count, seconds, -(-count // batch))


def bench_drain(count: int) -> list[DrainResult]:
    with tempfile.TemporaryDirectory(prefix="bench-drain-") as tmp:
        work = Path(tmp)
        (work / "district").mkdir()
        with (database("sqlite", work / "district") as url,
              serve_process(work / "district", url, CATALOGUE) as b):
            batched = drain_once(b, work, "BENCHB", count, MAX_BATCH_ITEMS)
            single = drain_once(b, work, "BENCHS", count, 1)
    return [batched, single]


def drain_table(results: list[DrainResult]) -> str:
    batched, single = results
    lines = ["| mode | batch size | submissions | requests | wall time | submissions/s |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r.label} | {r.batch} | {r.count:,} | {r.requests:,} | "
                     f"{r.seconds:.1f} s | {r.rate:,.0f} |")
    lines.append(f"\nBatched is **{batched.rate / single.rate:.1f}×** one request per "
                 "submission.")
    return "\n".join(lines)


# -- (b) ingest with many stations at once --------------------------------------------------

@dataclass
class IngestResult:
    database: str
    stations: int
    submissions: int
    seconds: float
    latencies: list[float]
    errors: int
    workers: int = 1
    cpu: CpuUse | None = None
    spread: list[int] | None = None  # most connections each backend process held at once

    def percentile(self, q: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))]


def _bodies(station_id: str, batches: int, size: int) -> list[bytes]:
    out = []
    for _ in range(batches):
        subs: list[dict[str, Any]] = [{
            "submission_id": str(uuid.uuid4()), "tracking_ref": "BENCH-" + uuid.uuid4().hex[:8],
            "item_code": "RS04", "bundle_code": None, "catalogue_version": "2026.11.1",
            "form_version": 1, "payload": RS04_VALUES,
            "materials": [{"name": m, "provided": True, "attachments": [], "note": None}
                          for m in RS04_TICKED],
            "operator": "王帮办", "created_at": datetime.now(UTC).isoformat()}
            for _ in range(size)]
        out.append(canonical_json({"station_id": station_id, "submissions": subs}))
    return out


def _station(url: str, station_id: str, secret: str, bodies: list[bytes],
             start: threading.Barrier, latencies: list[float], errors: list[str]) -> None:
    """One station pushing its batches one after another over one keep-alive connection,
    each request signed with a fresh nonce as the station's sync engine signs it. The
    standard library's client, not requests: the simulated stations share the backend's
    CPUs, and requests costs several times more per call for the same bytes."""
    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=120)
    try:
        start.wait(60)
        for body in bodies:
            headers = {"Content-Type": "application/json",
                       **sign_request("POST", "/v1/push", "", body, station_id, secret)}
            began = time.perf_counter()
            try:
                conn.request("POST", "/v1/push", body=body, headers=headers)
                resp = conn.getresponse()
                reply = resp.read()
                elapsed = time.perf_counter() - began
            except (OSError, http.client.HTTPException) as e:
                errors.append(f"{station_id}: {e!r}")
                conn.close()  # the next request opens a new connection
                continue
            if resp.status == 200 and b'"rejected"' not in reply:
                latencies.append(elapsed)
            else:
                errors.append(f"{station_id}: HTTP {resp.status}")
    finally:
        conn.close()


def bench_ingest(kind: str, stations: int, batches: int, size: int,
                 workers: int = 1) -> IngestResult:
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        with (database(kind, work) as url,
              serve_process(work, url, CATALOGUE, workers=workers) as backend):
            ids = [f"ST{i:03d}" for i in range(stations)]
            secrets = {sid: backend.enroll(sid) for sid in ids}
            bodies = {sid: _bodies(sid, batches, size) for sid in ids}
            latencies: list[float] = []
            errors: list[str] = []
            start = threading.Barrier(stations + 1)
            threads = [threading.Thread(target=_station, args=(
                backend.url, sid, secrets[sid], bodies[sid], start, latencies, errors))
                for sid in ids]
            for t in threads:
                t.start()
            with (CpuWatch(backend, url if kind == "postgresql" else None) as watch,
                  ConnectionWatch(backend) as spread):
                start.wait(60)
                began = time.perf_counter()
                for t in threads:
                    t.join()
                seconds = time.perf_counter() - began
            stored = _stored(url)
    if errors:
        print(f"  {kind}: {len(errors)} failed requests, e.g. {errors[0]}", file=sys.stderr)
    if stored != len(latencies) * size:
        raise RuntimeError(f"{kind}: {stored} rows stored, {len(latencies) * size} acknowledged")
    return IngestResult(kind, stations, stored, seconds, latencies, len(errors), workers,
                        watch.use, spread.most())


def _stored(db_url: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM submissions")).scalar_one())
    finally:
        engine.dispose()


def ingest_table(results: list[IngestResult], batches: int, size: int) -> str:
    lines = [f"Each station sends {batches} batches of {size} submissions, all stations at once.",
             "",
             "| database | workers | stations | submissions | wall time | submissions/s "
             "| requests/s | p50 latency | p95 latency | failed requests "
             "| CPU ms per submission: backend / PostgreSQL / stations | machine busy "
             "| connections per worker |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: | ---: | ---: |"]
    for r in results:
        lines.append(
            f"| {r.database} | {r.workers} | {r.stations} | {r.submissions:,} | "
            f"{r.seconds:.1f} s | "
            f"{rate(r):,.0f} | {len(r.latencies) / r.seconds:,.1f} | "
            f"{r.percentile(0.5) * 1000:,.0f} ms | {r.percentile(0.95) * 1000:,.0f} ms | "
            f"{r.errors} | {_cpu(r)} | {' / '.join(map(str, r.spread or [])) or '–'} |")
    pg = {r.workers: r for r in results if r.database == "postgresql"}
    if len(pg) > 1:
        one, most = pg[1], pg[max(pg)]
        lines.append(f"\n{most.workers} workers on PostgreSQL: **{rate(most) / rate(one):.2f}×** "
                     "one worker's submissions/s.")
    return "\n".join(lines)


def _cpu(r: IngestResult) -> str:
    if r.cpu is None:
        return "– | –"
    per = 1000 / r.submissions
    pg = f"{r.cpu.postgres * per:.2f}" if r.database == "postgresql" else "–"
    return (f"{r.cpu.backend * per:.2f} / {pg} / {r.cpu.stations * per:.2f} | "
            f"{r.cpu.machine_busy:.0%}")


def rate(r: IngestResult) -> float:
    return r.submissions / r.seconds


def median_run(runs: list[IngestResult]) -> IngestResult:
    """The run whose submissions/s is the median (the lower middle of an even count): one
    run's own figures, not a mix of several."""
    return sorted(runs, key=rate)[(len(runs) - 1) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drain", type=int, default=10_000, metavar="N",
                        help="queued submissions to drain (default 10,000)")
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--batches", type=int, default=10, help="batches per station")
    parser.add_argument("--batch-size", type=int, default=20, help="submissions per batch")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="PostgreSQL ingest also with N backend workers (default 2; "
                             "1 for one worker only)")
    parser.add_argument("--repeats", type=int, default=3, metavar="N",
                        help="ingest runs per configuration, taken in turn; the table shows "
                             "the median run (default 3: the machine's speed wanders)")
    parser.add_argument("--skip-drain", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args(argv)
    print(f"同步基准 / sync benchmark — {datetime.now(UTC):%Y-%m-%d}, Python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, loopback, backend in its own "
          "process (uvicorn)\n", flush=True)
    if not args.skip_drain:
        print(f"### Drain of {args.drain:,} queued submissions (encrypted station, SQLite "
              "backend)\n", flush=True)
        print(drain_table(bench_drain(args.drain)) + "\n", flush=True)
    if not args.skip_ingest:
        runs = [("sqlite", 1)]
        if os.environ.get(PG_ENV, "").strip():  # several workers need PostgreSQL
            runs += [("postgresql", n) for n in sorted({1, args.workers})]
        print(f"### Backend ingest, {args.stations} concurrent stations\n", flush=True)
        rounds = [[bench_ingest(k, args.stations, args.batches, args.batch_size, n)
                   for k, n in runs] for _ in range(args.repeats)]  # interleaved
        results = [median_run([r[i] for r in rounds]) for i in range(len(runs))]
        print(ingest_table(results, args.batches, args.batch_size), flush=True)
        if args.repeats > 1:
            print(f"\nEach row is the median of {args.repeats} runs by submissions/s, the "
                  "configurations taken in turn; every run's submissions/s:", flush=True)
            for i, (kind, n) in enumerate(runs):
                print(f"- {kind}, {n} worker(s): "
                      + " / ".join(f"{rate(r[i]):,.0f}" for r in rounds), flush=True)
        if len(runs) == 1:
            print(f"\n(PostgreSQL skipped: set {PG_ENV}, e.g. from scripts/postgres.sh)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
