"""The search index of a station's catalogue, with its pinyin readings kept between starts.

Reading every catalogue name with pypinyin's phrase dictionary costs a noticeable part of a
start; the readings depend only on the names and on this release, so they are kept in the
data folder (``cache/search-readings.json``, catalogue text only, nothing personal) and read
back next time. A missing, unreadable or stale file is simply rebuilt; failing to write it
costs speed on the next start, never the start itself.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from station_app.domain.catalogue_loader import Catalogue
from station_app.domain.files import atomic_write_text
from station_app.domain.search import READINGS_KEY, Readings, SearchIndex

log = logging.getLogger(__name__)
CACHE_FILE = Path("cache") / "search-readings.json"


def _kept(path: Path) -> Readings:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("key") != READINGS_KEY:
        return {}
    readings = data.get("readings")
    if not isinstance(readings, dict) or not all(_sound(run, r) for run, r in readings.items()):
        return {}
    return readings


def _sound(run: object, readings: object) -> bool:
    """One reading list per character, each a non-empty list of strings."""
    return isinstance(run, str) and isinstance(readings, list) \
        and len(readings) == len(run) and all(
            isinstance(c, list) and c and all(isinstance(x, str) for x in c) for c in readings)


def search_index(data_dir: Path, catalogue: Catalogue) -> SearchIndex:
    """The index of ``catalogue``, from the kept readings where they serve."""
    path = data_dir / CACHE_FILE
    index = SearchIndex(catalogue, _kept(path))
    if index.readings_added:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps({"key": READINGS_KEY, "readings": index.readings},
                                               ensure_ascii=False, sort_keys=True), mode=0o644)
        except OSError as e:
            log.warning("无法保存检索读音缓存 %s：%s（下次启动会重新计算）", path, e)
    return index
