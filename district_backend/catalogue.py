"""The published catalogue: reloaded when its files change, served with a strong ETag.

A catalogue directory that stops validating (someone is half-way through an edit) does not
take the service down: the last good version keeps being served and pushes keep being
checked against it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from district_backend.errors import ApiError
from station_app.domain.catalogue_loader import (
    HEADER_FILE,
    ITEMS_DIR,
    Catalogue,
    CatalogueInvalid,
    load_catalogue,
)
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import CatalogueResponse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    catalogue: Catalogue
    body: bytes  # canonical JSON of a CatalogueResponse
    etag: str  # strong: quoted SHA-256 of body


def publish(catalogue: Catalogue) -> Published:
    header = catalogue.header.model_dump(mode="json", by_alias=True)
    items = [catalogue.items[code].model_dump(mode="json", by_alias=True)
             for code in sorted(catalogue.items)]
    response = CatalogueResponse(
        schema_version=catalogue.header.schema_version,
        catalogue_version=catalogue.version,
        published=catalogue.header.published,
        header=header,
        items=items,
    )
    body = canonical_json(response.model_dump(mode="json"))
    return Published(catalogue, body, f'"{hashlib.sha256(body).hexdigest()}"')


FULL_CHECK_S = 1.0
"""Longest an item file edited in place goes unnoticed. A file added, removed or renamed in
the items folder, and any change to the header, are noticed at the next request."""

_Quick = tuple[tuple[int, int] | None, ...]


class CatalogueSource:
    """Thread-safe cache keyed on the files' names, sizes and modification times.

    Every push asks for the catalogue. Looking at every item file each time cost about
    0.2 ms a push on 55 files, so a request looks at two things only — the header file and
    the items folder, whose modification time moves when a file is added, removed
    or renamed in it (editors that save by renaming included) — and at every file once every
    :data:`FULL_CHECK_S` (an item file rewritten in place)."""

    def __init__(self, directory: Path, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._dir = directory
        self._clock = clock
        self._lock = threading.Lock()
        self._quick: _Quick | None = None
        self._full_at = -math.inf
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._current: Published | None = None

    def _quick_stamp(self) -> _Quick:
        """Size and modification time of the header and of the items folder."""
        out: list[tuple[int, int] | None] = []
        for path in (self._dir / HEADER_FILE, self._dir / ITEMS_DIR):
            try:
                st = os.stat(path)
            except OSError:
                out.append(None)
                continue
            out.append((st.st_size, st.st_mtime_ns))
        return tuple(out)

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and mtime of the header and of every item file. Taken once a second and
        whenever the header or the folder moved, so with os.scandir and plain strings:
        pathlib's glob and Path objects cost several times more for the same answer."""
        out = []
        with contextlib.suppress(OSError):
            st = os.stat(self._dir / HEADER_FILE)
            out.append((HEADER_FILE, st.st_size, st.st_mtime_ns))
        try:
            with os.scandir(self._dir / ITEMS_DIR) as listing:
                entries = sorted((e for e in listing if e.name.endswith(".yaml")),
                                 key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            out.append((entry.name, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def get(self) -> Published:
        """The current catalogue, or ApiError(503) when none has ever loaded."""
        with self._lock:
            quick, now = self._quick_stamp(), self._clock()
            if quick == self._quick and now - self._full_at < FULL_CHECK_S:
                stamp = self._stamp
            else:
                self._quick, self._full_at = quick, now
                stamp = self._fingerprint()
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._current = publish(load_catalogue(self._dir))
                except CatalogueInvalid as e:
                    self._report(e)
            if self._current is None:
                raise ApiError(503, "catalogue_unavailable", "服务器上的事项目录无法加载",
                               headers={"Retry-After": "300"})
            return self._current

    def _report(self, exc: CatalogueInvalid) -> None:
        first = "; ".join(str(e) for e in exc.errors[:5])
        if self._current is not None:
            log.warning("catalogue in %s is invalid, still serving %s: %s", self._dir,
                        self._current.catalogue.version, first)
        else:
            log.error("catalogue in %s is invalid: %s", self._dir, first)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match uses weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    tags = (t.strip() for t in if_none_match.split(","))
    return any(t.removeprefix("W/") == etag for t in tags)
