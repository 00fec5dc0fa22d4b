"""Station settings on disk: ``settings.toml`` and the secret, read and written safely.

The schema (every key and its rule) is :mod:`station_app.settings_schema`; this module reads
the file, migrates an older layout (:mod:`station_app.settings_migration`) and writes through
:func:`station_app.domain.files.atomic_write`, so a crash never leaves half a file.

The enrolment secret is kept apart from the settings file, in a file only the owner can
read, so that settings can be shown, copied and backed up without leaking the secret.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import tomli_w
from pydantic import ValidationError

from station_app.domain.files import atomic_write
from station_app.settings_errors import settings_problems
from station_app.settings_migration import MigrationError, migrate
from station_app.settings_schema import StationSettings as StationSettings

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"
SECRET_FILE = "station.secret"


class SettingsError(Exception):
    """The settings file exists but cannot be used; the message names the key(s)."""


def load_settings(data_dir: Path, *, migrate_file: bool = True) -> StationSettings:
    """The station's settings (defaults when there is no file yet).

    A file of an older layout is migrated and, with ``migrate_file``, written back once;
    read-only callers (``doctor``, which may run as another user beside the terminal) pass
    False and get the migrated values without a write. Keys this release does not know are
    dropped with a warning (see :mod:`station_app.settings_migration` for why).
    """
    path = data_dir / SETTINGS_FILE
    if not path.is_file():
        return StationSettings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        migrated = migrate(raw)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SettingsError(f"设置文件 {path} 格式错误：{e}") from e
    except MigrationError as e:
        raise SettingsError(f"设置文件 {path}：{e}") from e
    for key in migrated.dropped:
        log.warning("设置文件 %s 中的 %s 不是本版本的设置项，已忽略%s", path, key,
                    "（来自较新的版本；在本版本保存设置会去掉它）"
                    if migrated.from_newer_release else "")
    try:
        settings = StationSettings.model_validate(migrated.values)
    except ValidationError as e:
        lines = "；".join(p.line() for p in settings_problems(e))
        raise SettingsError(f"设置文件 {path} 有误：{lines}。请在设置页或用 station-app setup "
                            "改正，或删去有误的一行后重新启动") from e
    if migrated.needs_rewrite and migrate_file:
        try:
            save_settings(data_dir, settings)
        except OSError as e:  # the migrated values still serve this run; try again next start
            log.warning("无法写回升级后的设置文件 %s（%s），本次按升级后的设置运行", path,
                        e.strerror or e)
        else:
            log.info("设置文件 %s 已从第 %d 版升级到第 %d 版", path, migrated.found_version,
                     settings.schema_version)
    return settings


def settings_toml(settings: StationSettings) -> str:
    """The text of ``settings.toml`` for ``settings`` (unset keys are left out)."""
    raw = {k: (str(v) if isinstance(v, Path) else v)
           for k, v in settings.model_dump().items() if v is not None}
    return tomli_w.dumps(raw)


def save_settings(data_dir: Path, settings: StationSettings) -> None:
    """Write ``settings.toml`` atomically, with this release's ``schema_version``."""
    atomic_write(data_dir / SETTINGS_FILE, settings_toml(settings).encode("utf-8"))


def load_secret(data_dir: Path) -> str | None:
    path = data_dir / SECRET_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def save_secret(data_dir: Path, secret: str) -> None:
    """Store the station secret readable by the owner only (0600)."""
    atomic_write(data_dir / SECRET_FILE, (secret.strip() + "\n").encode("utf-8"), mode=0o600)


def is_configured(settings: StationSettings, secret: str | None) -> bool:
    return bool(settings.station_id and settings.backend_url and secret)
