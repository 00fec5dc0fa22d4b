"""Child process of the disk-full tests: a station whose files may not grow past a limit.

Usage: fsize_child.py DATA_DIR EXTRA_BYTES save|attach

``RLIMIT_FSIZE`` is set to the largest file in DATA_DIR plus EXTRA_BYTES, with SIGXFSZ
ignored, so a write past it fails with EFBIG as on a disk that filled up (the default action
of SIGXFSZ would kill the process instead). ``save`` saves RS04 cases until the store
refuses; ``attach`` stores one scan larger than the limit. Prints one JSON line: how many
cases were saved (their ids), and the refusal's class and message.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from station_app.services.attachments import AttachmentError, store_attachment_bytes
from station_app.store.engine import open_engine
from station_app.store.errors import StoreError
from tests.helpers.sync_harness import save_rs04

MAX_CASES = 10_000


def main(argv: list[str]) -> int:
    data_dir, extra, what = Path(argv[0]), int(argv[1]), argv[2]
    largest = max(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + extra, resource.RLIM_INFINITY))
    saved: list[str] = []
    error: Exception | None = None
    if what == "save":
        engine = open_engine(data_dir / "station.db")
        try:
            while len(saved) < MAX_CASES:
                saved += save_rs04(engine, 1)
        except StoreError as e:
            error = e
        finally:
            engine.dispose()
    else:
        try:
            store_attachment_bytes(data_dir, b"%PDF-1.4\n" + b"\0" * (largest + extra),
                                   "户口簿.pdf", "application/pdf")
        except AttachmentError as e:
            error = e
    print(json.dumps({"saved": saved, "error": type(error).__name__ if error else None,
                      "cause": type(error.__cause__).__name__ if error else None,
                      "message": str(error) if error else None}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
