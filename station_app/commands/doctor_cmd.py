"""`station-app doctor`: one line per check, ✓ or ✗, exit non-zero if any check failed.

Read-only (no lock, no migration), so it can run beside an open terminal: configuration,
database integrity (quick_check), folders and catalogue, the read-aloud engine (a warning
only: the terminal works without it), backend reachability, signature acceptance and clock
skew against the server's clock; with an ID-card reader configured, its library (the port is
not opened: the running terminal may hold it). A read-only or forbidden data folder, or a
nearly full disk, is named in the folder line in the store's words (``store.errors``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from station_app.commands.common import data_dir_of
from station_app.config import SettingsError, StationSettings, load_secret, load_settings
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.domain.disk import folder_problem, free_bytes
from station_app.services.card_drivers import describe, reader_problem
from station_app.services.catalogue_source import active_catalogue
from station_app.services.clock_check import ClockSkew, SkewLevel, clock_skew
from station_app.services.context import DB_FILE, check_station_database
from station_app.services.read_aloud import DEFAULT_RATE, engine_status
from station_app.services.sync_service import SETUP_HINT
from station_app.store.engine import StoreError
from station_app.store.errors import explain, make_resource_error
from station_app.sync.client import ClientConfig, SyncClient
from station_app.sync.errors import AuthError, SyncError
from station_app.wire.protocol import PROTOCOL_VERSION
from station_app.wire.transport import INSECURE_REFUSED, INSECURE_WARNING, clear_text_remote

OK, BAD, WARN = "✓", "✗", "⚠"
LOW_DISK_BYTES = 100 * 1024 * 1024  # a day of scans: below it, saving may soon fail


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "doctor",
        help="检查配置、数据库、后台连接、签名和时钟 / health check",
        description="逐项检查，每项一行；有失败项时退出码非零 / "
                    "one line per check; non-zero exit on any failure",
    )
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="每个网络检查的超时秒数 / per network check")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    lines: list[tuple[str, str, str]] = []
    settings, secret = _config(data_dir, lines)
    lines.append(_database(data_dir))
    lines.append(_folders(data_dir))
    lines.append(_read_aloud(settings))
    if settings is not None and settings.card_driver != "none":
        lines.append(_card_reader(settings))
    if settings is None or secret is None or not settings.backend_url \
            or not settings.station_id:
        for name in ("后台可达", "签名", "时钟偏差"):
            lines.append((BAD, name, "未检查（本站未配置）"))
    else:
        lines.extend(_network(settings, secret, args.timeout))
    for mark, name, detail in lines:
        print(f"{mark} {name}：{detail}")
    return 1 if any(mark == BAD for mark, _, _ in lines) else 0


def _config(data_dir: Path,
            lines: list[tuple[str, str, str]]) -> tuple[StationSettings | None, str | None]:
    try:
        settings = load_settings(data_dir, migrate_file=False)
        secret = load_secret(data_dir)
    except (SettingsError, OSError) as e:
        lines.append((BAD, "配置", str(e)))
        return None, None
    missing = [label for label, value in (("站点编号", settings.station_id),
                                          ("后台地址", settings.backend_url),
                                          ("站点密钥", secret)) if not value]
    if missing:
        lines.append((BAD, "配置", f"未配置（缺{'、'.join(missing)}）：{SETUP_HINT}"))
    else:
        lines.append((OK, "配置", f"站点 {settings.station_id}，后台 {settings.backend_url}"))
    if settings.backend_url and clear_text_remote(settings.backend_url):
        lines.append((WARN, "传输加密", INSECURE_WARNING) if settings.allow_insecure_http
                     else (BAD, "传输加密", INSECURE_REFUSED))
    return settings, secret


def _database(data_dir: Path) -> tuple[str, str, str]:
    try:
        state = check_station_database(data_dir)  # the same checks as every start
    except StoreError as e:
        return BAD, "数据库完整性", str(e)
    except OSError as e:
        return BAD, "数据库完整性", f"无法读取 {data_dir / DB_FILE}：{explain(e, data_dir)}"
    return OK, "数据库完整性", {"new": "尚未创建数据库（首次启动时创建）",
                               "checked": "quick_check 正常",
                               "encrypted": "已加密，文件完整（内容在登录后检查）"}[state]


def _folders(data_dir: Path) -> tuple[str, str, str]:
    if not data_dir.is_dir():
        return BAD, "目录", f"数据文件夹 {data_dir} 不存在"
    problem = folder_problem(data_dir)
    if problem is not None:
        return BAD, "目录", str(make_resource_error(problem, data_dir, consequence=""))
    try:
        catalogue = active_catalogue(data_dir)
    except CatalogueInvalid as e:
        return BAD, "目录", f"事项目录无效（{len(e.errors)} 处错误，首个：{e.errors[0]}）"
    free = free_bytes(data_dir)
    if free < LOW_DISK_BYTES:
        return WARN, "目录", (f"数据文件夹 {data_dir} 所在磁盘仅剩 {_size(free)}，很快将无法保存"
                             "办件；请清理该磁盘上不需要的文件（或请技术支持扩容）")
    return OK, "目录", (f"数据文件夹 {data_dir} 可写，磁盘剩余 {_size(free)}；"
                        f"事项目录 {catalogue.version}（{len(catalogue.items)} 项）")


def _card_reader(settings: StationSettings) -> tuple[str, str, str]:
    """The configured reader's library and functions; the port is left alone, since the
    terminal beside this command may have it open (``card test`` reads a card)."""
    problem = reader_problem(settings)
    if problem is not None:
        return BAD, "身份证阅读器", problem
    return OK, "身份证阅读器", f"{describe(settings)}；读卡测试：station-app card test"


def _read_aloud(settings: StationSettings | None) -> tuple[str, str, str]:
    usable, detail = engine_status(settings.read_aloud_rate if settings else DEFAULT_RATE)
    return (OK if usable else WARN), "朗读", detail


def _size(n: int) -> str:
    return f"{n / 1024 ** 3:.1f} GB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MB"


def _network(settings: StationSettings, secret: str,
             timeout: float) -> list[tuple[str, str, str]]:
    assert settings.backend_url and settings.station_id
    try:
        client = SyncClient(ClientConfig(settings.backend_url, settings.station_id, secret,
                                         connect_timeout=timeout, read_timeout=timeout,
                                         ca_bundle=settings.ca_bundle))
    except ValueError as e:
        return [(BAD, name, str(e)) for name in ("后台可达", "签名", "时钟偏差")]
    try:
        started = time.monotonic()
        try:
            health = client.health(started + timeout)
        except SyncError as e:
            return [(BAD, "后台可达", str(e)), (BAD, "签名", "未检查（后台不可达）"),
                    (BAD, "时钟偏差", "未检查（后台不可达）")]
        elapsed = time.monotonic() - started
        skew = clock_skew(health.server_unix, elapsed, time.time())
        if health.protocol_version != PROTOCOL_VERSION:
            reach = (BAD, "后台可达", f"{settings.backend_url} 的协议版本为 "
                     f"{health.protocol_version}，本终端为 {PROTOCOL_VERSION}，请升级")
        else:
            reach = (OK, "后台可达", f"{settings.backend_url}（耗时 {elapsed * 1000:.0f} 毫秒）")
        return [reach, _signature(client, timeout), _skew(skew)]
    finally:
        client.close()


def _signature(client: SyncClient, timeout: float) -> tuple[str, str, str]:
    try:
        client.check_signature(time.monotonic() + timeout)
    except AuthError as e:
        return BAD, "签名", f"后台不接受本站签名：{e.reason}"
    except SyncError as e:
        return BAD, "签名", f"无法确认：{e}"
    return OK, "签名", f"后台接受本站（{client.config.station_id}）的签名"


def _skew(skew: ClockSkew) -> tuple[str, str, str]:
    mark = {SkewLevel.OK: OK, SkewLevel.WARN: WARN, SkewLevel.REFUSED: BAD}[skew.level]
    return mark, "时钟偏差", skew.describe()
