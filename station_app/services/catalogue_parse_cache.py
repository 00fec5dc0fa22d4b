"""What the catalogue's YAML files parsed to, kept between starts.

Parsing the 55 YAML files is most of loading a catalogue (about 25 ms of 35 with libyaml);
the files change only with a catalogue update. The parsed values are kept in the data folder
(``cache/catalogue-parsed.json``, catalogue text only, nothing personal), keyed by the SHA-256
of each file's text, so an edited or updated file is parsed anew. Every file is still read
and every value still validated by the loader on every start.

Only values JSON gives back unchanged are kept (a YAML date, say, is parsed every time). A
missing, unreadable or foreign file is rebuilt; failing to write it costs speed on the next
start, never the start itself. Only the entries used by this start are written back, so the
file does not grow with every catalogue update.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from station_app.domain.catalogue_loader import ParsedFiles
from station_app.domain.files import atomic_write_text

log = logging.getLogger(__name__)
CACHE_FILE = Path("cache") / "catalogue-parsed.json"
_FORMAT = "catalogue-parsed/1"


class KeptParses(ParsedFiles):
    """The kept table, noting which entries this start used or added."""

    def __init__(self, kept: dict[str, Any]) -> None:
        self._kept = kept
        self._used: dict[str, Any] = {}
        self._added = False

    def __getitem__(self, digest: str) -> Any:
        value = self._kept[digest]
        self._used[digest] = value
        return value

    def __setitem__(self, digest: str, value: Any) -> None:
        if not _round_trips(value):  # parsed at every start rather than kept changed
            return
        self._kept[digest] = value
        self._used[digest] = value
        self._added = True

    def __delitem__(self, digest: str) -> None:
        del self._kept[digest]
        self._used.pop(digest, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._kept)

    def __len__(self) -> int:
        return len(self._kept)

    def to_keep(self) -> dict[str, Any] | None:
        """The table to write back, or None when the file on disk already serves."""
        if not self._added and len(self._used) == len(self._kept):
            return None
        return dict(self._used)


def _round_trips(value: Any) -> bool:
    try:
        return bool(json.loads(json.dumps(value, ensure_ascii=False)) == value)
    except (TypeError, ValueError):
        return False


def kept_parses(data_dir: Path) -> KeptParses:
    """The table kept in ``data_dir`` (empty when there is none that serves)."""
    try:
        data = json.loads((data_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return KeptParses({})
    files = data.get("files") if isinstance(data, dict) and data.get("format") == _FORMAT \
        else None
    if not isinstance(files, dict):
        return KeptParses({})
    return KeptParses({k: v for k, v in files.items() if isinstance(v, dict)})


def keep_parses(data_dir: Path, parses: KeptParses) -> None:
    """Write the table back when this start changed what it should hold."""
    files = parses.to_keep()
    if files is None:
        return
    path = data_dir / CACHE_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps({"format": _FORMAT, "files": files},
                                           ensure_ascii=False, sort_keys=True), mode=0o644)
    except OSError as e:
        log.warning("无法保存事项目录解析缓存 %s：%s（下次启动会重新解析）", path, e)
