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

Everything is checked before anything is written; a bad or incomplete file gets one Chinese
message naming the key (:class:`RolloutError`). Callers hold the data folder's instance lock.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w
from pydantic import ValidationError

from station_app.config import StationSettings, load_settings, save_secret, save_settings
from station_app.wire.protocol import STATION_ID_PATTERN

ROLLOUT_FILE = "station.toml"
SECRET_KEY = "secret"
SECRET_PATTERN = r"^[A-Za-z0-9_\-]{16,128}$"
REQUIRED = ("station_id", "backend_url", SECRET_KEY)

# What IT staff call each key (used in messages); every StationSettings field is allowed.
DESCRIPTIONS: dict[str, str] = {
    "station_id": "站点编号",
    "station_name": "站点名称",
    "backend_url": "区后台地址",
    SECRET_KEY: "站点密钥",
    "sync_interval_seconds": "同步间隔秒数",
    "ca_bundle": "自建 CA 证书文件",
    "theme": "界面风格",
    "language": "界面语言",
    "printer": "打印机",
    "retention_days": "个人信息保留天数",
    "contact_phone": "联系电话",
}


class RolloutError(Exception):
    """The roll-out file cannot be used; ``str()`` is one Chinese line naming file and key."""


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


def _allowed_keys() -> list[str]:
    return [*StationSettings.model_fields, SECRET_KEY]


def _label(key: str) -> str:
    desc = DESCRIPTIONS.get(key)
    return f"{key}（{desc}）" if desc else f"“{key}”"


def _reason(error: Mapping[str, Any]) -> str:
    """A pydantic error of the settings schema, said in Chinese."""
    ctx = error.get("ctx") or {}
    reasons = {
        "literal_error": f"可选值为 {str(ctx.get('expected', '')).replace(' or ', ' 或 ')}",
        "string_type": "应为文字（用英文双引号括起来）",
        "int_type": "应为整数（不加引号）",
        "int_parsing": "应为整数（不加引号）",
        "greater_than_equal": f"不能小于 {ctx.get('ge', '')}",
        "less_than_equal": f"不能大于 {ctx.get('le', '')}",
        "string_too_long": f"最多 {ctx.get('max_length', '')} 个字",
        "string_pattern_mismatch": "格式不对",
    }
    return reasons.get(str(error.get("type")), "格式不对")


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "真假值"
    for kind, name in ((str, "文字"), (int, "整数"), (float, "小数"), (list, "列表"),
                       (dict, "表"), (datetime, "日期时间"), (date, "日期"), (time, "时间")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise RolloutError(f"键 {_label(key)}应为文字（用英文双引号括起来），"
                           f"文件中是{_toml_type(value)}")
    return value.strip()


def _check_value(key: str, value: object, base: Path) -> object:
    """The value to use for ``key``, or RolloutError with a message naming the key."""
    label = _label(key)
    if key == "station_id":
        text = _text(key, value)
        if not re.match(STATION_ID_PATTERN, text):
            raise RolloutError(f"键 {label}无效：须为 2–16 位大写字母或数字，如 QDK01")
        return text
    if key == "backend_url":
        text = _text(key, value)
        url = urlsplit(text)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise RolloutError(f"键 {label}无效：须以 http:// 或 https:// 开头并含主机名")
        if url.query or url.fragment or url.username or url.password:
            raise RolloutError(f"键 {label}无效：不能带查询参数、片段或用户名密码")
        return text.rstrip("/")
    if key == SECRET_KEY:
        text = _text(key, value)
        if not re.match(SECRET_PATTERN, text):
            raise RolloutError(f"键 {label}格式不对：应为登记时发放的 16–128 位字母、数字、- 或 _")
        return text
    if key == "station_name":
        text = _text(key, value)
        if not 0 < len(text) <= 60:
            raise RolloutError(f"键 {label}无效：须为 1–60 个字")
        return text
    if key == "sync_interval_seconds":
        if isinstance(value, bool) or not isinstance(value, int):
            raise RolloutError(f"键 {label}应为整数（不加引号），文件中是{_toml_type(value)}")
        if not 15 <= value <= 3600:
            raise RolloutError(f"键 {label}无效：须在 15–3600 之间，文件中是 {value}")
        return value
    if key == "ca_bundle":
        given = Path(_text(key, value))
        path = given if given.is_absolute() else base / given
        try:
            pem = path.read_text(encoding="ascii", errors="replace")
        except OSError:
            raise RolloutError(f"键 {label}无效：无法读取证书文件 {path}") from None
        if "-----BEGIN CERTIFICATE-----" not in pem:
            raise RolloutError(f"键 {label}无效：{path} 不是 PEM 格式的证书文件")
        return path.resolve()
    # any other settings field: the settings schema decides
    try:
        StationSettings.model_validate({key: value})
    except ValidationError as e:
        raise RolloutError(f"键 {label}的值 {value!r} 无效：{_reason(e.errors()[0])}") from None
    return value


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


def load_rollout_file(path: Path) -> tuple[StationSettings, str]:
    """Read and check a roll-out file; returns the settings it describes and the secret.

    Raises RolloutError with one message naming the file and the first bad key.
    """
    raw = _read(path)
    try:
        allowed = _allowed_keys()
        for key in raw:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"，是否应为 {close[0]}？" if close else f"；可用的键：{'、'.join(allowed)}"
                raise RolloutError(f"未知的键 {key}{hint}")
        for key in REQUIRED:
            if key not in raw:
                raise RolloutError(f"缺少必填的键 {_label(key)}")
        values = {key: _check_value(key, value, path.parent) for key, value in raw.items()}
    except RolloutError as e:
        raise RolloutError(f"配置文件 {path}：{e}") from None
    secret = str(values.pop(SECRET_KEY))
    try:
        settings = StationSettings.model_validate(values)
    except ValidationError as e:  # a rule of the schema not mirrored above
        first = e.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise RolloutError(f"配置文件 {path}：键 {_label(key)}无效：{_reason(first)}") from None
    return settings, secret


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

    Atomically through a temporary file when the folder is writable; otherwise (a file the
    station's account owns in a root-owned /etc folder) in place.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except PermissionError:
        _rewrite_in_place(path, text)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
    settings, secret = load_rollout_file(path)
    given = settings.model_dump(exclude_unset=True)
    merged = StationSettings.model_validate({**load_settings(data_dir).model_dump(), **given})
    save_settings(data_dir, merged)
    save_secret(data_dir, secret)
    try:
        original = path.read_text(encoding="utf-8")
        _rewrite_private(path, _text_without_secret(original, today or date.today()))
    except OSError as e:
        return RolloutResult(merged, path, False,
                             f"无法从 {path} 中删除密钥（{e.strerror or e}），"
                             "请手工删除该文件中的 secret 一行或整个文件")
    return RolloutResult(merged, path, True)
