"""Station settings: one typed schema, stored as TOML in the data folder.

The enrolment secret is kept apart from the settings file, in a file only the owner can
read, so that settings can be shown, copied and backed up without leaking the secret.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from station_app.wire.protocol import STATION_ID_PATTERN

SETTINGS_FILE = "settings.toml"
SECRET_FILE = "station.secret"


class StationSettings(BaseModel):
    """Everything a station can configure; defaults are what a new station starts with."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    station_id: str | None = Field(default=None, pattern=STATION_ID_PATTERN)
    station_name: str | None = Field(default=None, max_length=60)
    backend_url: str | None = None
    sync_interval_seconds: int = Field(default=60, ge=15, le=3600)
    ca_bundle: Path | None = None
    theme: Literal["standard", "elder"] = "standard"
    language: Literal["zh_CN", "en"] = "zh_CN"
    printer: str | None = None
    retention_days: int = Field(default=180, ge=7, le=3650)
    contact_phone: str | None = Field(default=None, max_length=30)

    @field_validator("backend_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        v = v.strip().rstrip("/")
        if not v.startswith(("http://", "https://")):
            raise ValueError("后台地址须以 http:// 或 https:// 开头")
        return v


class SettingsError(Exception):
    """The settings file exists but cannot be used; the message names the key."""


def _describe(e: ValidationError) -> str:
    first = e.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "?"
    msg = str(first["msg"]).removeprefix("Value error, ")
    return f"设置项 {key} 无效：{msg}"


def load_settings(data_dir: Path) -> StationSettings:
    path = data_dir / SETTINGS_FILE
    if not path.is_file():
        return StationSettings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"设置文件 {path} 格式错误：{e}") from e
    try:
        return StationSettings.model_validate(raw)
    except ValidationError as e:
        raise SettingsError(f"{path}：{_describe(e)}") from e


def save_settings(data_dir: Path, settings: StationSettings) -> None:
    """Write atomically: a crash never leaves half a settings file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    raw = {k: (str(v) if isinstance(v, Path) else v)
           for k, v in settings.model_dump().items() if v is not None}
    tmp = data_dir / (SETTINGS_FILE + ".tmp")
    tmp.write_bytes(tomli_w.dumps(raw).encode("utf-8"))
    os.replace(tmp, data_dir / SETTINGS_FILE)


def load_secret(data_dir: Path) -> str | None:
    path = data_dir / SECRET_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def save_secret(data_dir: Path, secret: str) -> None:
    """Store the station secret readable by the owner only (0600)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE
    tmp = data_dir / (SECRET_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret.strip() + "\n")
    os.replace(tmp, path)


def is_configured(settings: StationSettings, secret: str | None) -> bool:
    return bool(settings.station_id and settings.backend_url and secret)
