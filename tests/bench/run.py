"""Run every benchmark in this folder (``bench_*.py``) and print their tables.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.bench.run

Each benchmark module has ``main(argv) -> int``; they are not collected by pytest.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    status = 0
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"tests.bench.{path.stem}")
        print(f"\n## {path.stem}\n", flush=True)
        status |= int(module.main([]))
    return status


if __name__ == "__main__":
    sys.exit(main())
