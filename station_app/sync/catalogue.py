"""Installing a catalogue pulled from the district: written apart, checked whole, then named
active in one rename (by ``services.catalogue_source.activate``), so a broken or half-written
download can never replace the catalogue the station is using.

Each file is written with :func:`~station_app.domain.files.atomic_write` (flushed to disk
before the folder is renamed into place), so a power cut after activation cannot leave an
active catalogue with empty files.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from station_app.domain.catalogue_loader import HEADER_FILE, ITEMS_DIR, CatalogueInvalid
from station_app.domain.files import atomic_write, atomic_write_text
from station_app.wire.protocol import CatalogueResponse

_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
_CODE = re.compile(r"^[A-Z]{2}\d{2}$")
CATALOGUE_MODE = 0o644  # public data: readable by every account of the station PC
# (folder name under root, the district's ETag) -> raises CatalogueInvalid
Activate = Callable[[str, str | None], object]


class CatalogueRefused(Exception):
    """The district's catalogue was not installed; the message says why, in Chinese."""


class CatalogueInstaller:
    """Writes ``root/<version>/`` (catalogue.yaml, items/, plus ``extra_files`` such as the
    bundled holidays.yaml the district does not serve) and activates it."""

    def __init__(self, root: Path, activate: Activate, extra_files: Sequence[Path] = ()) -> None:
        self.root = root
        self._activate = activate
        self._extra = tuple(extra_files)

    def install(self, cat: CatalogueResponse, etag: str | None) -> str:
        """Install and activate; return the folder name, or raise CatalogueRefused."""
        version = cat.catalogue_version
        if not _VERSION.match(version) or version.strip(".") == "":
            raise CatalogueRefused(f"区后台下发的目录版本号 {version[:40]!r} 不合规，未采用")
        if cat.header.get("catalogue_version") != version:
            raise CatalogueRefused(f"区后台下发的目录 {version} 前后版本号不一致，未采用")
        codes = [item.get("code") for item in cat.items]
        if any(not isinstance(c, str) or not _CODE.match(c) for c in codes) \
                or len(set(codes)) != len(codes):
            raise CatalogueRefused(f"区后台下发的目录 {version} 含无效或重复的事项编码，未采用")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".incoming-{secrets.token_hex(6)}"
        try:
            self._write(tmp, cat)
            name = self._free_name(version, etag)
            tmp.rename(self.root / name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        try:
            self._activate(name, etag)
        except CatalogueInvalid as e:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.root / name)
            first = str(e.errors[0]) if e.errors else ""
            raise CatalogueRefused(f"区后台下发的目录 {version} 有 {len(e.errors)} 处错误"
                                   f"（{first}），未采用，继续使用当前目录") from None
        return name

    def _write(self, folder: Path, cat: CatalogueResponse) -> None:
        (folder / ITEMS_DIR).mkdir(parents=True)
        _dump(folder / HEADER_FILE, cat.header)
        for item in cat.items:
            _dump(folder / ITEMS_DIR / f"{item['code']}.yaml", item)
        for extra in self._extra:
            if extra.is_file():
                atomic_write(folder / extra.name, extra.read_bytes(), mode=CATALOGUE_MODE)

    def _free_name(self, version: str, etag: str | None) -> str:
        if not (self.root / version).exists():
            return version
        tag = re.sub(r"[^0-9a-f]", "", (etag or "").lower())[:12] or secrets.token_hex(6)
        name = f"{version}-{tag}"
        while (self.root / name).exists():
            name = f"{version}-{secrets.token_hex(6)}"
        return name


def _dump(path: Path, data: object) -> None:
    atomic_write_text(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      mode=CATALOGUE_MODE)
