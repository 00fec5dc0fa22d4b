"""Benchmark of item search over the repository catalogue: building the index (at start-up)
and answering a query (at each keystroke on the 事项 screen).

Run from the repository root:

    .venv/bin/python -m tests.bench.bench_search [--repeats N]

Each figure is the median of several runs; the output is a Markdown table for the README.
The unit tests only check that a query converts nothing to pinyin (the reason it is fast).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from station_app.domain.catalogue_loader import load_catalogue
from station_app.domain.search import SearchIndex
from tests.helpers.catalogue import REPO_CATALOGUE

# what a worker types, a key at a time: 全拼, 首字母 and 汉字
QUERIES = ("y", "yi", "yib", "yiba", "yibao", "l", "ln", "lnz", "老", "老年", "gzf", "txns")
REPEATS = 5


def table(rows: list[tuple[str, str]]) -> str:
    lines = ["| 测量 / measure | 结果 / result |", "| --- | ---: |"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    catalogue = load_catalogue(REPO_CATALOGUE)
    builds, queries = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        index = SearchIndex(catalogue)
        builds.append(time.perf_counter() - started)
        started = time.perf_counter()
        for query in QUERIES:
            index.search(query)
        queries.append((time.perf_counter() - started) / len(QUERIES))
    rows = [
        (f"建立索引（{len(catalogue.items)} 个事项）/ build the index",
         f"{statistics.median(builds) * 1000:.0f} ms"),
        ("每次查询 / one query (median of the per-query mean)",
         f"{statistics.median(queries) * 1000:.2f} ms"),
    ]
    print(f"事项搜索基准 / search benchmark — {datetime.now(UTC):%Y-%m-%d}, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPU\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
