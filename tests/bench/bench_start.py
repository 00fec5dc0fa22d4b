"""Start-up: from launching the program to a window a worker can type into, against a bare
PySide6 window measured in the same run (the floor any Qt program pays).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.bench_start [--runs N] [--cases N]

The station is an encrypted demo folder with N cases (default 2,000), signed in as its demo
operator (the password check is part of the start). Each start is its own process
(``tests.bench.start_child``), timed from just before it is launched to the first moment the
window is shown with the keyboard focus in its search box; the first start of a fresh folder
(which builds the search readings' cache) is measured apart from the steady ones. Figures are
medians of N runs; the ratio is terminal / bare window. The window shows before the station's
database is open (a worker thread opens it), so each terminal start also gives the moment the
station is open in the window, and a few starts type into the search box meanwhile (a key
every 20 ms) to show how long a key waits to be handled while the database is being opened.

Both kinds of start run from compiled bytecode, as the installed program does (the package
ships it compiled): the children write and read it in a throwaway ``PYTHONPYCACHEPREFIX``,
whatever ``PYTHONDONTWRITEBYTECODE`` says, and the source tree gets no ``__pycache__``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from station_app.commands.demo_mode import prepare_station

DEFAULT_RUNS = 7
DEFAULT_CASES = 2000
TYPING_RUNS = 3


def one_start(mode: str, data_dir: Path, pycache: Path, *signed_in_as: str) -> float:
    """Seconds from launch to a usable window, as the child measured it (``signed_in_as``:
    staff number and password, for a station that is not a demo one)."""
    return start_times(mode, data_dir, pycache, *signed_in_as)["usable"]


def start_times(mode: str, data_dir: Path, pycache: Path, *signed_in_as: str
                ) -> dict[str, float]:
    """The child's figures: ``usable`` (both modes) and, for the terminal, ``ready`` (the
    station's database open in the window)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "tests.bench.start_child", mode,
                           str(data_dir), repr(started), *signed_in_as], capture_output=True,
                          text=True,
                          env=env, timeout=120, check=False)
    said = [line.split() for line in done.stdout.splitlines()]
    times = {words[0]: float(words[1]) for words in said
             if len(words) == 2 and words[0] in ("usable", "ready")}
    for words in said:  # typing: keys N median MS longest MS
        if len(words) == 6 and words[0] == "keys":
            times.update(keys=float(words[1]), key_median=float(words[3]) / 1000,
                         key_longest=float(words[5]) / 1000)
    if done.returncode != 0 or "usable" not in times or (mode != "bare" and "ready" not in times):
        raise RuntimeError(f"{mode} start failed ({done.returncode}): {done.stderr[-500:]}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        station = Path(tmp) / "station"
        prepare_station(station, cases=args.cases, secure=True)
        pycache = Path(tmp) / "pycache"
        one_start("bare", station, pycache)  # compiles the bare start's own modules
        first = one_start("terminal", station, pycache)
        bare, terminal, ready = [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine
            bare.append(one_start("bare", station, pycache))
            times = start_times("terminal", station, pycache)
            terminal.append(times["usable"])
            ready.append(times["ready"])
        typing = [start_times("typing", station, pycache) for _ in range(TYPING_RUNS)]
    b, t, r = statistics.median(bare), statistics.median(terminal), statistics.median(ready)
    key_median = statistics.median(run["key_median"] for run in typing if "key_median" in run)
    key_longest = max(run["key_longest"] for run in typing if "key_longest" in run)
    keys = sum(int(run.get("keys", 0)) for run in typing)
    print(f"Start to a usable window (offscreen, {args.cases:,} cases, encrypted, median of "
          f"{args.runs}; {os.cpu_count()} CPUs)\n")
    print("| measure | time | baseline: bare PySide6 window | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| start, signed in, search box focused | {t * 1000:,.0f} ms | {b * 1000:,.0f} ms "
          f"| {t / b:.1f}× |")
    print(f"| … and the station open in it (every page ready) | {r * 1000:,.0f} ms "
          f"| {b * 1000:,.0f} ms | {r / b:.1f}× |")
    print(f"| a key typed while the station opens: handled after, median (longest) of {keys} "
          f"| {key_median * 1000:.0f} ms ({key_longest * 1000:.0f} ms) | — | — |")
    print("| first start of a new folder (builds the search cache, compiles bytecode) | "
          f"{first * 1000:,.0f} ms "
          f"| {b * 1000:,.0f} ms | {first / b:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
