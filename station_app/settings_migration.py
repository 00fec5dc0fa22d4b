"""Bring a settings file of any release to this release's layout before it is validated.

A file says which layout it follows with ``schema_version``; files written before the key
existed have none and count as version 0. Each step in
:data:`STEPS` turns version *n* into *n + 1*; a release that renames or removes a key raises
``SCHEMA_VERSION`` and adds a step, so an old file keeps starting the terminal.

Keys this release does not know are **dropped, with a log line naming each one**, rather than
kept or refused:

* refusing them would stop the terminal from starting after a downgrade, or after a release
  removed a key — exactly what this module exists to prevent;
* keeping them would mean writing back values nothing has validated, and carrying them in a
  model that otherwise forbids unknown keys (which is what catches typos in station.toml);
* a file from a *newer* release is not rewritten on load, so its keys are still there when
  the newer release runs again — unless settings were saved in between, which the log says.

An older file is rewritten (atomically, by the caller) once migrated, so the steps run once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from station_app.settings_schema import SCHEMA_VERSION, StationSettings

Document = dict[str, Any]

VERSION_KEY = "schema_version"


class MigrationError(ValueError):
    """The file's ``schema_version`` is not a version number; the message says so in Chinese."""


def _from_version_0(doc: Document) -> Document:
    """Version 0 (no ``schema_version``): an empty text meant "not set"; version 1 says so
    by leaving the key out (empty names, phones and printers are refused on the way in)."""
    return {key: value for key, value in doc.items() if value != ""}


STEPS: dict[int, Callable[[Document], Document]] = {
    0: _from_version_0,
}
"""``STEPS[n]`` turns a version-*n* document into version *n + 1*."""


@dataclass(frozen=True)
class Migrated:
    """A document in this release's layout, and what it took to get there."""

    values: Document
    found_version: int
    dropped: list[str] = field(default_factory=list)

    @property
    def needs_rewrite(self) -> bool:
        """An older file is written back once; a newer one is left for its own release."""
        return self.found_version < SCHEMA_VERSION

    @property
    def from_newer_release(self) -> bool:
        return self.found_version > SCHEMA_VERSION


def file_version(doc: Mapping[str, Any]) -> int:
    version = doc.get(VERSION_KEY, 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise MigrationError(f"{VERSION_KEY}：设置文件版本须为整数（由程序写入，请勿修改）")
    return version


def migrate(doc: Mapping[str, Any]) -> Migrated:
    """``doc`` in this release's layout: steps applied, unknown keys dropped, version set."""
    found = file_version(doc)
    values: Document = {k: v for k, v in doc.items() if k != VERSION_KEY}
    for version in range(found, SCHEMA_VERSION):
        values = STEPS[version](values)
    known = StationSettings.model_fields
    dropped = [key for key in values if key not in known]
    kept = {key: value for key, value in values.items() if key in known}
    return Migrated({**kept, VERSION_KEY: SCHEMA_VERSION}, found, dropped)
