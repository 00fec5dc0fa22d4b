"""Child process for the kill tests: saves submissions and reports progress on stdout.

Usage: kill_child.py DB pause STAGE   -- one save that announces STAGE and then waits
       kill_child.py DB loop          -- waits for a line on stdin (so the parent can start
                                         it early), then saves until killed, printing
                                         "saved <id>" after each commit
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from station_app.services.saving import ApplicantIndex, NewSubmission, _save_submission
from station_app.store.engine import open_engine
from station_app.store.submissions import SaveStage


def _say(*words: str) -> None:
    """One line in one write(2): a kill can never leave half a line for the parent to read."""
    os.write(1, (" ".join(words) + "\n").encode())


def _new(n: int) -> NewSubmission:
    return NewSubmission(item_code="RS01", catalogue_version="2025.1", form_version="1",
                         payload={"姓名": "王五", "序号": n, "备注": "断电测试" * 50},
                         materials=["居民身份证"], operator="kill-test",
                         applicant=ApplicantIndex("王*", "1234", None))


def main() -> None:
    db, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "loop":
        sys.stdin.readline()
    engine = open_engine(db)
    if mode == "pause":
        wanted = sys.argv[3]

        def pause(stage: SaveStage) -> None:
            if stage == wanted:
                _say(stage)
                time.sleep(120)  # the parent kills us here

        _save_submission(engine, _new(0), hook=pause)
    else:
        _say("ready")
        n = 0
        while True:
            n += 1
            sub = _save_submission(engine, _new(n), hook=None)
            _say("saved", sub.id)
    engine.dispose()


if __name__ == "__main__":
    main()
