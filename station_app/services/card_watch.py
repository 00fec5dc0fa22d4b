"""Watch the desk reader on a thread of its own, so the counter never waits on a driver.

Vendor drivers block for up to a second or more per call (and a broken one longer); the GUI
must stay responsive, so every driver call happens here, on one worker thread that also
opens and closes the reader (some vendor libraries are not thread-safe: all their calls stay
on the thread that opened them). Listeners get a :class:`CardNotice`, on this thread:

- a card: a card was put on the reader. A card left lying there is reported once;
  it is reported again only after the reader saw no card twice in a row (taken off), or when
  someone asks with :meth:`CardWatcher.read_now` (the 读身份证 key).
- a text: one Chinese line for the worker: no card on an explicit read, a read
  error, a reader that cannot be opened. The same line is not repeated while it stays true.
- an empty notice: the reader works again after a problem (the status line can clear).

Without a configured reader nothing polls; ``read_now`` then says why in one line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from station_app.domain.id_card_data import IdCardData
from station_app.services.card_drivers.factory import CHIP_DRIVERS, open_reader
from station_app.services.id_card import NO_CARD_MESSAGE, IdCardReader, IdCardReadError
from station_app.settings_schema import StationSettings

log = logging.getLogger(__name__)

POLL_SECONDS = 0.4  # a card placed shows within half a second
REOPEN_SECONDS = 5.0  # a reader that failed to open is tried again this often
ABSENT_TO_REMOVE = 2  # polls without a card before the card counts as taken off


Opener = Callable[[], IdCardReader]


@dataclass(frozen=True)
class CardNotice:
    """What happened at the reader: a card (``card``) or a line for the worker (``text``)."""

    card: IdCardData | None = None
    text: str | None = None
    asked: bool = False  # True when it answers read_now (so the page may say it aloud)


class CardWatcher:
    """Polls ``open_reader()``'s reader every ``poll_seconds`` (0: only on request)."""

    def __init__(self, open_reader: Opener, *, poll_seconds: float = POLL_SECONDS) -> None:
        self._open = open_reader
        self._poll = poll_seconds
        self._listeners: list[Callable[[CardNotice], None]] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._asked = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add_listener(self, listener: Callable[[CardNotice], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)
        return remove

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="card-reader", daemon=True)
            self._thread.start()

    def read_now(self) -> None:
        """Read at once and report the result, even a card already reported."""
        with self._lock:
            self._asked = True
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling and close the reader; waits for the driver call under way."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # -- the worker thread ----------------------------------------------------------------

    def _tell(self, notice: CardNotice) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)

    def _run(self) -> None:
        reader: IdCardReader | None = None
        last_id: str | None = None
        absent = ABSENT_TO_REMOVE
        last_text: str | None = None
        try:
            while not self._stop.is_set():
                with self._lock:
                    asked, self._asked = self._asked, False
                if not asked and not self._poll:  # reads on request only
                    self._sleep(None)
                    continue
                if reader is None:
                    try:
                        reader = self._open()
                    except IdCardReadError as e:
                        if asked or str(e) != last_text:
                            self._tell(CardNotice(text=str(e), asked=asked))
                        last_text = str(e)
                        self._sleep(REOPEN_SECONDS if self._poll else None)
                        continue
                try:
                    card = reader.read()
                except IdCardReadError as e:
                    if asked or str(e) != last_text:
                        self._tell(CardNotice(text=str(e), asked=asked))
                    last_text = str(e)
                    self._sleep(self._poll or None)
                    continue
                if last_text is not None and not asked:
                    self._tell(CardNotice())  # the reader works again
                last_text = None
                if card is None:
                    absent += 1
                    if asked:
                        self._tell(CardNotice(text=NO_CARD_MESSAGE, asked=True))
                elif asked or absent >= ABSENT_TO_REMOVE or card.id_number != last_id:
                    last_id, absent = card.id_number, 0
                    self._tell(CardNotice(card=card, asked=asked))
                else:
                    absent = 0
                self._sleep(self._poll or None)
        except Exception:  # a driver bug: say it in the status line, then the one error path
            self._tell(CardNotice(text="身份证阅读器出错，已停止读取：请重启本程序或联系技术支持"))
            raise
        finally:
            close = getattr(reader, "close", None)
            if callable(close):
                try:
                    close()
                except Exception:
                    log.exception("关闭身份证阅读器出错")

    def _sleep(self, seconds: float | None) -> None:
        """Wait for the next poll, a read_now or stop (None: until asked)."""
        self._wake.wait(seconds)
        self._wake.clear()


def watcher_for(settings: StationSettings) -> CardWatcher:
    """The watcher of the reader the settings name: polled for a chip reader, asked only on
    request otherwise (no reader: 读身份证 says so; a keyboard wedge types its cards)."""
    polled = settings.card_driver in CHIP_DRIVERS
    return CardWatcher(lambda: open_reader(settings), poll_seconds=POLL_SECONDS if polled else 0)
