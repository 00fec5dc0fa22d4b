"""The catalogue's parsed YAML kept between starts: the same catalogue, no YAML parsing on a
start that finds it, an edited file parsed anew, and a damaged file rebuilt."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from station_app.domain import catalogue_loader
from station_app.domain.catalogue_loader import Catalogue, load_catalogue
from station_app.services.catalogue_parse_cache import (
    CACHE_FILE,
    KeptParses,
    keep_parses,
    kept_parses,
)
from station_app.services.catalogue_source import load_active
from tests.helpers.catalogue import REPO_CATALOGUE


def _same(a: Catalogue, b: Catalogue) -> bool:
    return (a.header == b.header and a.items == b.items and a.holidays == b.holidays
            and a.source_files == b.source_files)


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("YAML parsed although the kept table had the file")

    monkeypatch.setattr(yaml, "load", refuse)  # the loader calls yaml.load


def _kept_files(data_dir: Path) -> dict[str, Any]:
    files = json.loads((data_dir / CACHE_FILE).read_text(encoding="utf-8"))["files"]
    assert isinstance(files, dict)
    return files


def test_a_second_start_loads_the_same_catalogue_without_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference = load_catalogue(REPO_CATALOGUE)
    first, _ = load_active(tmp_path)
    files = len(list(REPO_CATALOGUE.rglob("*.yaml")))
    assert len(_kept_files(tmp_path)) == files
    _no_yaml(monkeypatch)
    second, _ = load_active(tmp_path)
    assert _same(first, second) and _same(second, reference)


def test_an_edited_file_is_parsed_anew(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(REPO_CATALOGUE, folder)
    parses = KeptParses({})
    before = load_catalogue(folder, parses)
    code = next(iter(before.items))
    path = folder / before.source_files[code]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["name"] = raw["name"] + "（新）"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    after = load_catalogue(folder, parses)
    assert after.item(code).name == before.item(code).name + "（新）"


def test_an_edit_that_breaks_a_file_is_still_refused(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(REPO_CATALOGUE, folder)
    parses = KeptParses({})
    catalogue = load_catalogue(folder, parses)
    (folder / catalogue.source_files[next(iter(catalogue.items))]).write_text(
        "code: [unclosed", encoding="utf-8")
    with pytest.raises(catalogue_loader.CatalogueInvalid):
        load_catalogue(folder, parses)


@pytest.mark.parametrize("damage", [
    "not json", '{"format": "another", "files": {}}', '{"format": "catalogue-parsed/1"}',
    '{"format": "catalogue-parsed/1", "files": {"abc": [1, 2]}}',
])
def test_a_damaged_file_is_rebuilt(tmp_path: Path, damage: str) -> None:
    path = tmp_path / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_text(damage, encoding="utf-8")
    catalogue, _ = load_active(tmp_path)
    assert _same(catalogue, load_catalogue(REPO_CATALOGUE))
    assert len(_kept_files(tmp_path)) == len(list(REPO_CATALOGUE.rglob("*.yaml")))


def test_entries_no_file_uses_any_more_are_dropped(tmp_path: Path) -> None:
    load_active(tmp_path)
    path = tmp_path / CACHE_FILE
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept["files"]["0" * 64] = {"code": "GONE"}  # a file an older catalogue had
    path.write_text(json.dumps(kept), encoding="utf-8")
    load_active(tmp_path)
    assert "0" * 64 not in _kept_files(tmp_path)
    untouched = path.stat().st_mtime_ns
    load_active(tmp_path)  # nothing to change: the file is left as it is
    assert path.stat().st_mtime_ns == untouched


def test_values_json_would_change_are_not_kept(tmp_path: Path) -> None:
    parses = KeptParses({})
    parses["a" * 64] = {"day": date(2026, 10, 1)}  # YAML gives a date, JSON a string
    parses["b" * 64] = {"name": "老年证"}
    keep_parses(tmp_path, parses)
    assert list(_kept_files(tmp_path)) == ["b" * 64]
    assert "a" * 64 not in kept_parses(tmp_path)


def test_a_folder_that_refuses_the_file_still_loads(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    catalogue, _ = load_active(tmp_path)
    assert _same(catalogue, load_catalogue(REPO_CATALOGUE))
