"""The station's settings: every key, its rule and its Chinese name, written once.

Three models share the fields, so a rule can never differ between the places that use it:

* :class:`StationSettings` is what ``settings.toml`` holds (the secret is kept apart, in a file
  only the owner can read). Loading it never touches other files: a CA bundle that went missing
  must not stop the terminal from starting.
* :class:`SettingsEntry` is what a person or a file *gives*: the settings plus the secret,
  checked on the way in (a CA bundle must be a readable PEM file). The settings page, the CLI
  ``station-app setup`` and ``station.toml`` all validate through it.
* :class:`StationSetup` is an entry complete enough to sync: station id, backend URL and
  secret are required (the first-run screen, ``setup`` and ``station.toml``).

Each field carries its Chinese name (``title``), the CLI help (``description``) and, where the
generic wording of :mod:`station_app.settings_errors` is not enough, a ``hint`` that finishes the
sentence "<name>…" and a ``unit`` for numbers. ``schema_version`` says which release's layout a
file follows; :mod:`station_app.settings_migration` brings older files up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from station_app.domain.progress_link import check_progress_template
from station_app.wire.patterns import STATION_ID_PATTERN
from station_app.wire.transport import INSECURE_REFUSED, clear_text_remote

SCHEMA_VERSION: Final = 1
"""Raise by one, and add a step to settings_migration.STEPS, whenever a key is renamed,
removed or changes meaning."""

SECRET_PATTERN: Final = r"^[A-Za-z0-9_\-]{16,128}$"
"""The station secret as the district issues it (``wire.signing.new_secret``: 43 characters)."""

SECRET_KEY: Final = "secret"
PEM_MARKER: Final = "-----BEGIN CERTIFICATE-----"
BASE_DIR: Final = "base_dir"
"""Validation context key: the folder a relative ``ca_bundle`` is taken from (default: cwd)."""


def _extra(hint: str | None = None, unit: str | None = None) -> dict[str, Any] | None:
    extra = {name: value for name, value in (("hint", hint), ("unit", unit)) if value}
    return extra or None


def _station_id(default: Any) -> Any:
    return Field(default, title="站点编号", pattern=STATION_ID_PATTERN,
                 description="站点编号，如 QDK01 / station id",
                 json_schema_extra=_extra(hint="须为 2–16 位大写字母或数字，如 QDK01"))


def _backend_url(default: Any) -> Any:
    return Field(default, title="后台地址", description="区后台地址 / district backend URL")


def _secret(default: Any) -> Any:
    return Field(default, title="站点密钥", pattern=SECRET_PATTERN, repr=False,
                 description="登记时发放的站点密钥 / station secret",
                 json_schema_extra=_extra(hint="须为登记时发放的 16–128 位字母、数字、- 或 _"))


class StationSettings(BaseModel):
    """Everything a station can configure; defaults are what a new station starts with."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True,
                              str_strip_whitespace=True)

    schema_version: int = Field(SCHEMA_VERSION, title="设置文件版本",
                                description="由程序写入 / written by the program")
    station_id: str | None = _station_id(None)
    station_name: str | None = Field(None, title="站点名称", min_length=1, max_length=60,
                                     description="站点名称 / station name")
    allow_insecure_http: bool = Field(
        False, title="允许明文 http",
        description="允许以 http:// 连接非本机后台（仅限实验环境）/ allow plain http (lab only)")
    backend_url: str | None = _backend_url(None)
    sync_interval_seconds: int = Field(60, title="同步间隔", ge=15, le=3600,
                                       description="同步间隔秒数 / sync interval (seconds)",
                                       json_schema_extra=_extra(unit="秒"))
    ca_bundle: Path | None = Field(None, title="CA 证书文件",
                                   description="自建 CA 的证书文件（PEM）/ custom CA bundle")
    theme: Literal["standard", "elder"] = Field(
        "standard", title="默认界面",
        description="每位居民办完后回到的界面：standard 标准版，elder 长辈版 / default look")
    language: Literal["zh_CN", "en"] = Field("zh_CN", title="界面语言",
                                             description="界面语言 / language")
    printer: str | None = Field(None, title="打印机", min_length=1,
                                description="打印机名称（不设则每次询问）/ printer")
    # the values of station_app.printing.paper.Paper (a test keeps the two the same)
    paper: Literal["a4", "a5", "80mm"] = Field(
        "a4", title="纸张", description="回执和告知单的纸张：a4、a5 或 80mm 热敏卷纸 / paper")
    retention_days: int = Field(180, title="个人信息保留期", ge=7, le=3650,
                                description="个人信息保留天数 / retention (days)",
                                json_schema_extra=_extra(unit="天"))
    contact_phone: str | None = Field(None, title="联系电话", min_length=1, max_length=30,
                                      description="印在回执上的联系电话 / contact phone")
    station_address: str | None = Field(None, title="驿站地址", min_length=1, max_length=100,
                                        description="印在告知单上的驿站地址 / address")
    opening_hours: str | None = Field(None, title="办公时间", min_length=1, max_length=60,
                                      description="印在告知单上的办公时间，如 周一至周五 "
                                                  "8:30—17:30 / opening hours")
    progress_page_url: str | None = Field(
        None, title="办理进度网址",
        description="回执二维码指向的办理进度页，{ref} 处填受理编号，如 "
                    "https://hy.example.cn/q/{ref}；不设则用区里在事项目录中公布的，"
                    "都没有则二维码只含受理编号 / progress page URL template for the receipt's QR")
    idle_lock_minutes: int = Field(10, title="无操作自动锁定", ge=1, le=120,
                                   description="无操作多少分钟后锁定 / idle lock (minutes)",
                                   json_schema_extra=_extra(unit="分钟"))
    backup_copy_dir: Path | None = Field(
        None, title="备份副本文件夹",
        description="每次备份后另存一份到此文件夹（U 盘或网络共享）/ "
                    "second folder for a copy of every backup")

    card_driver: Literal["none", "sdtapi", "termb", "keyboard"] = Field(
        "none", title="身份证阅读器",
        description="none 不用阅读器（手工录入），sdtapi 精伦等，termb 华视等，keyboard 键盘式"
                    " / ID-card reader")
    card_library: str | None = Field(
        None, title="阅读器动态库", min_length=1, max_length=500,
        description="厂商动态库的路径（不设则用厂商默认文件名）/ vendor library path")
    card_port: int = Field(1001, title="阅读器端口", ge=1, le=9999,
                           description="阅读器端口号（USB 阅读器一般为 1001）/ reader port")

    # -- 朗读 (read-aloud) ---------------------------------------------------------------------
    read_aloud_rate: int = Field(
        130, title="朗读语速", ge=80, le=260,
        description="朗读语速，每分钟字词数；默认 130，比常速 175 慢，便于长者听清 / "
                    "read-aloud speed (espeak-ng words per minute)",
        json_schema_extra=_extra(unit="字/分钟"))

    @field_validator("schema_version")
    @classmethod
    def _this_release(cls, v: int) -> int:
        if v != SCHEMA_VERSION:  # files of other releases are migrated before validation
            raise ValueError(f"须为 {SCHEMA_VERSION}（由程序写入，请勿修改）")
        return v

    @field_validator("station_id", mode="before")
    @classmethod
    def _upper_case(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v  # people type "qdk01"

    @field_validator("sync_interval_seconds", "retention_days", "idle_lock_minutes",
                     "card_port", "read_aloud_rate", mode="before")
    @classmethod
    def _not_true_or_false(cls, v: object) -> object:
        if isinstance(v, bool):  # pydantic would take true as 1
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        return v

    @field_validator("backend_url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is None:
            return None
        try:
            url = urlsplit(v)
            url.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            raise ValueError("不是有效的网址，应如 https://hy.example.cn/api") from None
        if url.scheme not in ("http", "https"):
            raise ValueError("须以 http:// 或 https:// 开头")
        if not url.hostname:
            raise ValueError("须含主机名，如 https://hy.example.cn/api")
        if url.query or url.fragment or url.username or url.password:
            raise ValueError("不能带查询参数、片段或用户名密码")
        return v.rstrip("/")

    @field_validator("progress_page_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, v: object) -> object:
        """Empty text means "not set" (``setup --progress-page-url ""`` clears it)."""
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("progress_page_url")
    @classmethod
    def _progress_template(cls, v: str | None) -> str | None:
        return None if v is None else check_progress_template(v)

    @property
    def insecure_transport(self) -> bool:
        """A plain-http remote backend that IT explicitly allowed (doctor and status warn)."""
        return bool(self.backend_url and clear_text_remote(self.backend_url))


class SettingsEntry(StationSettings):
    """Settings as given by a person or a file, with the secret; checked on the way in.

    Validate with ``context={BASE_DIR: folder}`` when a relative ``ca_bundle`` should be taken
    from that folder (station.toml: its own folder). Only the keys given are checked, so an
    entry names exactly what changes (:meth:`apply_to`).
    """

    secret: str | None = _secret(None)

    @field_validator("backend_url")
    @classmethod
    def _not_clear_text(cls, v: str | None, info: ValidationInfo) -> str | None:
        """Given addresses are checked for clear-text transport; a stored file is not refused
        at start (workers keep working offline) — the sync engine refuses to send instead."""
        if v and clear_text_remote(v) and not info.data.get("allow_insecure_http"):
            raise ValueError(INSECURE_REFUSED)
        return v

    @field_validator("ca_bundle")
    @classmethod
    def _readable_pem(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        if v is None:
            return None
        base = Path((info.context or {}).get(BASE_DIR) or Path.cwd())
        path = (v if v.is_absolute() else base / v).resolve()
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError:
            raise ValueError(f"无法读取：{path}") from None
        if PEM_MARKER not in text:
            raise ValueError(f"不是 PEM 格式的证书：{path}")
        return path

    @field_validator("backup_copy_dir")
    @classmethod
    def _full_path(cls, v: Path | None) -> Path | None:
        """A relative folder would depend on where the program happens to start."""
        if v is not None and not v.is_absolute():
            raise ValueError("须为完整路径，如 E:\\驿站备份 或 /media/usb/驿站备份")
        return v

    def apply_to(self, current: StationSettings) -> StationSettings:
        """``current`` with the keys this entry was given replaced; the secret left out."""
        given = self.model_dump(exclude_unset=True, exclude={SECRET_KEY, "schema_version"})
        return StationSettings.model_validate({**current.model_dump(), **given})


class StationSetup(SettingsEntry):
    """An entry a station can sync with: id, backend and secret must all be given."""

    station_id: str = _station_id(...)
    backend_url: str = _backend_url(...)
    secret: str = _secret(...)


def settable_keys() -> list[str]:
    """Every key a person or a file may give, in the schema's order (the version is not one)."""
    return [key for key in SettingsEntry.model_fields if key != "schema_version"]


def required_keys() -> list[str]:
    """The keys :class:`StationSetup` cannot do without."""
    return [key for key, f in StationSetup.model_fields.items() if f.is_required()]


def bounds(field: FieldInfo) -> tuple[int | None, int | None]:
    """The lowest and highest value a number setting allows (None: no bound)."""
    low = next((m.ge for m in field.metadata if isinstance(m, Ge) and isinstance(m.ge, int)),
               None)
    high = next((m.le for m in field.metadata if isinstance(m, Le) and isinstance(m.le, int)),
                None)
    return low, high
