"""Unattended configuration for mass roll-out: a `station.toml` prepared by district IT.

The file holds the station's settings and its enrolment secret::

    station_id = "QDK01"
    station_name = "七里一村社区红色驿站"
    backend_url = "https://yslb.hanyang.example/api"
    secret = "Zk3v…"                 # issued at enrolment
    sync_interval_seconds = 60       # optional
    ca_bundle = "district-ca.pem"    # optional; relative to this file's folder

It is dropped into the machine-wide configuration folder (``paths.site_config_dir()``) before
the first start, or given to ``station-app setup --from FILE``. :func:`apply_rollout` writes
the settings and moves the secret into the station's owner-only secret file, then rewrites
the roll-out file without the secret (mode 0600), so the file is picked up once and the
secret does not stay in a file IT staff copy around.

Everything is checked before anything is written, through the settings schema
(:mod:`station_app.settings_schema`); a bad or incomplete file gets one Chinese line per bad
key, worded by :mod:`station_app.settings_errors` as ``setup`` and the first-run screen word
it (:class:`RolloutError`). Callers hold the data folder's instance lock.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from station_app.config import StationSettings, load_settings, save_secret, save_settings
from station_app.domain.files import atomic_write_text
from station_app.settings_errors import settings_problems
from station_app.settings_schema import BASE_DIR, SECRET_KEY, StationSetup

ROLLOUT_FILE = "station.toml"


class RolloutError(Exception):
    """The roll-out file cannot be used; one Chinese line per problem, each naming the file.

    ``str()`` is the lines joined by newlines (a single problem is a single line).
    """

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class RolloutResult:
    """What :func:`apply_rollout` did."""

    settings: StationSettings
    source: Path
    secret_removed: bool
    warning: str | None = None

    def summary(self) -> str:
        s = self.settings
        name = f"（{s.station_name}）" if s.station_name else ""
        line = (f"已按 {self.source} 配置站点 {s.station_id}{name}，后台 {s.backend_url}，"
                f"每 {s.sync_interval_seconds} 秒同步一次；密钥已移入受保护的存储")
        return line if self.warning is None else f"{line}。注意：{self.warning}"


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RolloutError(f"找不到配置文件 {path}") from None
    except UnicodeDecodeError:
        raise RolloutError(f"配置文件 {path} 不是 UTF-8 编码的文字文件") from None
    except OSError as e:
        raise RolloutError(f"无法读取配置文件 {path}：{e.strerror or e}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        at = f"第 {where.group(1)} 行第 {where.group(2)} 列" if where else str(e)
        raise RolloutError(f"配置文件 {path} 不是有效的 TOML：{at}附近有错误"
                           "（文字须用英文双引号括起来，每行一个“键 = 值”）") from None


def _load_entry(path: Path) -> StationSetup:
    raw = _read(path)
    try:
        return StationSetup.model_validate(raw, context={BASE_DIR: path.parent})
    except ValidationError as e:
        raise RolloutError(*(f"配置文件 {path}：{p.line(f'键 {p.key}')}"
                             for p in settings_problems(e))) from None


def load_rollout_file(path: Path) -> tuple[StationSettings, str]:
    """Read and check a roll-out file; returns the settings it names and the secret.

    The file is validated as a :class:`StationSetup`, the schema the first-run screen and
    ``setup`` use, so a bad value reads the same in all three; a relative ``ca_bundle`` is
    taken from the file's folder. Raises RolloutError with one line per bad key.
    """
    entry = _load_entry(path)
    given = entry.model_dump(exclude_unset=True, exclude={SECRET_KEY})
    return StationSettings.model_validate(given), entry.secret


def has_secret(path: Path) -> bool:
    """True when ``path`` is a roll-out file that still carries a secret (not yet applied)."""
    try:
        return SECRET_KEY in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return path.is_file()  # unreadable or broken: let load_rollout_file say why


def pending_rollout(config_dir: Path) -> Path | None:
    """The roll-out file in ``config_dir`` if it has not been applied yet, else None."""
    path = config_dir / ROLLOUT_FILE
    return path if path.is_file() and has_secret(path) else None


def _text_without_secret(text: str, today: date) -> str:
    """The file's text with the secret line replaced by a note; comments are kept."""
    note = f"# {SECRET_KEY}：已于 {today.isoformat()} 移入终端受保护的存储，本文件不再含密钥\n"
    pattern = re.compile(rf"""^\s*(?:{SECRET_KEY}|"{SECRET_KEY}"|'{SECRET_KEY}')\s*=""")
    lines = text.splitlines(keepends=True)
    out = [note if pattern.match(line) else line for line in lines]
    candidate = "".join(out)
    expected = tomllib.loads(text)
    expected.pop(SECRET_KEY, None)
    try:
        if tomllib.loads(candidate) == expected:
            return candidate
    except tomllib.TOMLDecodeError:
        pass
    # The secret spans several lines (a multi-line string): write the values without it.
    return note + tomli_w.dumps(expected)


def _rewrite_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``, readable by its owner only (0600).

    Atomically when a new file can be made beside it; otherwise (a file the station's
    account owns in a root-owned /etc folder) in place.
    """
    if _takes_new_files(path.parent):
        atomic_write_text(path, text, mode=0o600)
    else:
        _rewrite_in_place(path, text)


def _takes_new_files(folder: Path) -> bool:
    """Whether ``folder`` lets this account create files (asked first, because a failed
    atomic write could also be a refused rename, where writing in place is not wanted)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".probe.", suffix=".tmp")
    except PermissionError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def _rewrite_in_place(path: Path, text: str) -> None:
    with contextlib.suppress(PermissionError):  # not the owner: the text has no secret now
        os.chmod(path, 0o600)
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def apply_rollout(data_dir: Path, path: Path, *, today: date | None = None) -> RolloutResult:
    """Configure the station in ``data_dir`` from the roll-out file ``path``.

    Nothing is written unless the whole file is valid. Values in the file replace the
    station's current ones; settings it does not name are kept. The secret goes to the
    owner-only secret file, then the roll-out file is rewritten without it (mode 0600). If
    that rewrite is not permitted the station is still configured and ``warning`` says
    that the secret must be removed from the file by hand.
    """
    entry = _load_entry(path)
    merged = entry.apply_to(load_settings(data_dir))
    save_settings(data_dir, merged)
    save_secret(data_dir, entry.secret)
    try:
        original = path.read_text(encoding="utf-8")
        _rewrite_private(path, _text_without_secret(original, today or date.today()))
    except OSError as e:
        return RolloutResult(merged, path, False,
                             f"无法从 {path} 中删除密钥（{e.strerror or e}），"
                             "请手工删除该文件中的 secret 一行或整个文件")
    return RolloutResult(merged, path, True)
