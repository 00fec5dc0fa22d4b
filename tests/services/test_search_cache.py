"""The search index's pinyin readings kept between starts: the same answers, no pypinyin on
a start that finds them, and a damaged or stale file rebuilt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from station_app.domain.catalogue_loader import load_catalogue
from station_app.domain.search import SearchIndex
from station_app.services.search_cache import CACHE_FILE, search_index
from tests.helpers.catalogue import REPO_CATALOGUE

QUERIES = ("lnz", "txns", "ylbx", "laonianzheng", "yinhang", "yi bao", "低保", "rs04", "zhongdu")


def _answers(index: SearchIndex) -> list[list[str]]:
    return [[h.code for h in index.search(q, limit=5)] for q in QUERIES]


def test_kept_readings_give_the_same_answers(tmp_path: Path) -> None:
    catalogue = load_catalogue(REPO_CATALOGUE)
    fresh = SearchIndex(catalogue)
    first = search_index(tmp_path, catalogue)
    kept = json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))
    assert kept["readings"]["老年证"][0] == ["lao"]
    second = search_index(tmp_path, catalogue)
    assert not second.readings_added  # everything came from the file
    assert _answers(first) == _answers(second) == _answers(fresh)


def test_a_start_with_kept_readings_does_not_load_pypinyin(tmp_path: Path) -> None:
    index = search_index(tmp_path, load_catalogue(REPO_CATALOGUE))
    code = ("import sys; from pathlib import Path; "
            "from station_app.domain.catalogue_loader import load_catalogue; "
            "from station_app.services.search_cache import search_index; "
            f"c = load_catalogue(Path({str(REPO_CATALOGUE)!r})); "
            f"i = search_index(Path({str(tmp_path)!r}), c); "
            "print(i.search('lnz')[0].code, 'pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == [index.search("lnz")[0].code, "False"]


@pytest.mark.parametrize("damage", [
    "not json", '{"key": "an older release", "readings": {}}',
    '{"key": "KEY", "readings": {"老年证": [["lao"]]}}',  # one reading for three characters
])
def test_a_damaged_or_stale_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    from station_app.domain.search import READINGS_KEY

    catalogue = load_catalogue(REPO_CATALOGUE)
    path = tmp_path / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_text(damage.replace("KEY", READINGS_KEY), encoding="utf-8")
    index = search_index(tmp_path, catalogue)
    assert index.readings_added and _answers(index) == _answers(SearchIndex(catalogue))
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == READINGS_KEY


def test_a_folder_that_refuses_the_file_still_gives_an_index(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    catalogue = load_catalogue(REPO_CATALOGUE)
    index = search_index(tmp_path, catalogue)
    assert _answers(index) == _answers(SearchIndex(catalogue))
