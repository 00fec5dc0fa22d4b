"""The reader's watcher thread: a card lying on the reader is reported once, again after it was
taken off or when asked; a reader that fails says so once, and again when it works."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from station_app.domain.id_card_data import IdCardData
from station_app.services.card_watch import CardNotice, CardWatcher
from station_app.services.id_card import IdCardReadError
from tests.helpers.counter import LI, SANFENG


class Reader:
    """What lies on the reader now; ``fail`` makes every read raise that line."""

    def __init__(self) -> None:
        self.card: IdCardData | None = None
        self.fail: str | None = None
        self.reads = 0
        self.threads: set[str] = set()
        self.closed = False

    def read(self) -> IdCardData | None:
        self.reads += 1
        self.threads.add(threading.current_thread().name)
        if self.fail:
            raise IdCardReadError(self.fail)
        return self.card

    def close(self) -> None:
        self.closed = True


def until(done: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Wait (bounded) for the watcher thread to get somewhere."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.01)
    return done()


def test_a_card_is_reported_once_then_again_after_removal_or_when_asked() -> None:
    reader, notices = Reader(), list[CardNotice]()
    watcher = CardWatcher(lambda: reader, poll_seconds=0.01)
    watcher.add_listener(notices.append)
    watcher.start()
    try:
        reader.card = SANFENG
        assert until(lambda: len(notices) == 1)
        start = reader.reads
        assert until(lambda: reader.reads > start + 10)  # still lying there: no new notice
        assert [n.card for n in notices] == [SANFENG]
        reader.card = LI  # another card swapped in at once
        assert until(lambda: len(notices) == 2 and notices[1].card == LI)
        reader.card = None
        start = reader.reads
        assert until(lambda: reader.reads > start + 3)  # taken off
        reader.card = LI
        assert until(lambda: len(notices) == 3 and notices[2].card == LI)
        watcher.read_now()
        assert until(lambda: len(notices) == 4 and notices[3].asked)
        assert notices[3].card == LI
    finally:
        watcher.stop()
    assert reader.closed and reader.threads == {"card-reader"}  # never the caller's thread


def test_a_failing_reader_says_so_once_and_when_it_works_again() -> None:
    reader, notices = Reader(), list[CardNotice]()
    reader.fail = "身份证阅读器没有响应：请检查连接线"
    watcher = CardWatcher(lambda: reader, poll_seconds=0.01)
    watcher.add_listener(notices.append)
    watcher.start()
    try:
        assert until(lambda: reader.reads > 10)
        assert [n.text for n in notices] == [reader.fail]
        reader.fail = None
        assert until(lambda: len(notices) == 2)
        assert notices[1] == CardNotice()  # works again: the status line clears
    finally:
        watcher.stop()


def test_without_polling_the_reader_is_read_only_when_asked() -> None:
    reader, notices = Reader(), list[CardNotice]()
    watcher = CardWatcher(lambda: reader, poll_seconds=0)
    watcher.add_listener(notices.append)
    watcher.start()
    try:
        watcher.read_now()
        assert until(lambda: len(notices) == 1)
        assert notices[0].asked and notices[0].text is not None and "没有身份证" in notices[0].text
        assert reader.reads == 1
    finally:
        watcher.stop()
