"""Run every benchmark in this folder (``bench_*.py``) and print their tables.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.run

Each benchmark module has ``main(argv) -> int``; they are not collected by pytest.

Before each benchmark and after the last, the same fixed piece of pure-Python work is timed
(:func:`machine_check`): a shared machine's speed wanders within the hour, and these lines
show how far it moved during the run, so a figure can be read against the machine's state
when it was taken. (Baselines inside each table are measured beside their figure as well.)
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
import time
from pathlib import Path

CHECK_ROUNDS = 5


def _fixed_work() -> int:
    """Interpreted loops, dict and JSON work and hashing: what the terminal and the backend
    spend their time on, in a fixed amount."""
    total = 0
    for i in range(200_000):
        total += i * i % 7
    record = {f"field{i}": ["值", i, i / 3, None, {"k": "v" * 20}] for i in range(200)}
    for _ in range(40):
        total += len(json.dumps(record, ensure_ascii=False, sort_keys=True))
    total += hashlib.sha256(b"x" * 4_000_000).digest()[0]
    return total


def machine_check() -> float:
    """Milliseconds of the fixed work, the fastest of CHECK_ROUNDS (less is faster)."""
    best = float("inf")
    for _ in range(CHECK_ROUNDS):
        started = time.perf_counter()
        _fixed_work()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> int:
    status = 0
    checks: list[tuple[str, float]] = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        checks.append((f"before {path.stem}", machine_check()))
        print(f"\n(machine check before {path.stem}: fixed work {checks[-1][1]:.0f} ms)",
              flush=True)
        module = importlib.import_module(f"tests.bench.{path.stem}")
        print(f"\n## {path.stem}\n", flush=True)
        status |= int(module.main([]))
    checks.append(("after the last", machine_check()))
    fastest = min(ms for _, ms in checks)
    print("\n## machine check\n\nThe same fixed work timed through the run (1.00 = the "
          "fastest moment):\n")
    print("| when | fixed work | relative |\n| --- | ---: | ---: |")
    for when, ms in checks:
        print(f"| {when} | {ms:.0f} ms | {ms / fastest:.2f} |")
    return status


if __name__ == "__main__":
    sys.exit(main())
