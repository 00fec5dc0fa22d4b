"""The repository's catalogue, and small catalogues made from it for tests that must not
depend on every item of the real one being finished."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

REPO_CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue"


def write_test_catalogue(directory: Path, items: Iterable[Mapping[str, Any]] = (),
                         bundles: list[dict[str, Any]] | None = None, *,
                         with_rs04: bool = True) -> Path:
    """The real header with ``bundles`` instead of its own (their items are still being
    written), RS04 (养老金资格认证) unless ``with_rs04`` is false, and ``items``."""
    header = yaml.safe_load((REPO_CATALOGUE / "catalogue.yaml").read_text(encoding="utf-8"))
    header["bundles"] = bundles or []
    (directory / "items").mkdir(parents=True)
    (directory / "catalogue.yaml").write_text(
        yaml.safe_dump(header, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if with_rs04:
        shutil.copy(REPO_CATALOGUE / "items" / "RS04.yaml", directory / "items" / "RS04.yaml")
    for item in items:
        (directory / "items" / f"{item['code']}.yaml").write_text(
            yaml.safe_dump(dict(item), allow_unicode=True), encoding="utf-8")
    return directory
