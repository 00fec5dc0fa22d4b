"""`district-backend`: serve the reference backend, enrol stations, move cases, print stats.

Errors are one line on stderr with a non-zero exit, so scripts and IT staff can rely on it.
`serve` listens on loopback unless told otherwise: the reference server speaks plain HTTP
unless given a certificate, and should sit behind a TLS proxy when reachable from outside.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import os
import ssl
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy.exc import SQLAlchemyError

from district_backend import cases
from district_backend.db import make_engine
from district_backend.operator_errors import explain
from district_backend.qr import print_qr, setup_string, write_png
from district_backend.rate_limit import DEFAULT_PER_MINUTE
from district_backend.stations import KEY_FILE, SecretBox, StationError, enroll, load_or_create_key
from station_app.domain.catalogue_loader import check_catalogue
from station_app.domain.lifecycle import CaseStatus, Rating

if TYPE_CHECKING:
    from district_backend.worker_app import ServeSettings

PROG = "district-backend"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _db_url(args: argparse.Namespace) -> str:
    return str(args.db) if args.db else f"sqlite:///{Path(args.data_dir).resolve()}/district.db"


def _data_dir(args: argparse.Namespace) -> Path:
    path = Path(args.data_dir)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # holds personal data and the key
    return path


MAX_WORKERS = 64


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from district_backend.worker_app import run_workers

    settings = _serve_settings(args)
    options: dict[str, Any] = {
        "host": args.host, "port": args.port, "log_level": args.log_level,
        "ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key, "server_header": False}
    if args.workers == 1:
        uvicorn.run(settings.build_app(), **options)
    else:
        run_workers(settings, args.workers, options)
    return 0


def _serve_settings(args: argparse.Namespace) -> ServeSettings:
    """Check every option and resolve every path before anything listens: the workers of
    ``--workers N`` then only read what was decided here (see district_backend.worker_app)."""
    from district_backend.worker_app import ServeSettings

    if args.progress_rate < 1:
        raise StationError("--progress-rate 须为正整数（每个访问地址每分钟可查询办理进度的次数）")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise StationError(f"--workers 须为 1 到 {MAX_WORKERS} 之间的整数（后台工作进程数）")
    if not args.allow_remote and not _is_loopback(args.host):
        raise StationError(f"拒绝监听非本机地址 {args.host}；"
                           "确需对外服务请加 --allow-remote 并配置 TLS")
    db_url = _db_url(args)
    if args.workers > 1 and db_url.startswith("sqlite"):
        raise StationError("SQLite 同一时刻只允许一个进程写入，多个工作进程不会更快："
                           "--workers 大于 1 时请用 PostgreSQL（--db postgresql+psycopg://…），"
                           "或去掉 --workers")
    if args.tls_cert or args.tls_key:
        _check_tls(args.tls_cert, args.tls_key)
    catalogue, errors = check_catalogue(Path(args.catalogue))
    if catalogue is None:
        raise StationError(f"事项目录 {args.catalogue} 有 {len(errors)} 处错误，首个：{errors[0]}")
    data = _data_dir(args)
    load_or_create_key(data / KEY_FILE)  # made here, once, before any worker reads it
    return ServeSettings(db_url, str(Path(args.catalogue).resolve()),
                         str((data / "attachments").resolve()), str((data / KEY_FILE).resolve()),
                         args.api_docs, args.progress_rate)


def _check_tls(cert: str | None, key: str | None) -> None:
    """Load the certificate and key once here, so a bad pair is one line before anything
    listens (each worker would otherwise fail on it at start-up)."""
    if not cert:
        raise StationError("--tls-key 须与 --tls-cert 一起使用")
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as e:
        raise StationError(f"TLS 证书 {cert} 或私钥 {key or '（同一文件）'} 无法加载："
                           f"{e.strerror or e}") from None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _enroll(args: argparse.Namespace) -> int:
    data = _data_dir(args)
    box = SecretBox(load_or_create_key(data / KEY_FILE))
    engine = make_engine(_db_url(args))
    try:
        secret = enroll(engine, box, args.station_id, args.name or "", now=time.time(),
                        rotate=args.rotate, actor=_actor())
    finally:
        engine.dispose()
    text = setup_string(args.station_id, secret, args.backend_url)
    out = sys.stdout
    print(f"站点 {args.station_id} 已{'更换密钥' if args.rotate else '登记'}。"
          "密钥只显示这一次，请当场录入站点或扫码：", file=out)
    print(f"station: {args.station_id}", file=out)
    print(f"secret: {secret}", file=out)
    print(f"setup: {text}", file=out)
    print_qr(text, out, dark_terminal=not args.light_terminal)
    if args.qr_png:
        write_png(text, Path(args.qr_png))
        print(f"二维码已保存到 {args.qr_png}（含密钥，用后请删除）", file=out)
    return 0


def _actor() -> str:
    """Who runs the command, for the admin log: the OS account (IT signs in personally)."""
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _advance(args: argparse.Namespace) -> int:
    engine = make_engine(_db_url(args))
    try:
        event = cases.advance(engine, args.receipt, args.status, args.note, now=time.time(),
                              actor=_actor())
    finally:
        engine.dispose()
    print(f"{event.receipt_no}: {event.status}（事件 {event.event_id}）")
    return 0


def _stats(args: argparse.Namespace) -> int:
    engine = make_engine(_db_url(args))
    try:
        rows = cases.stats(engine)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("站点\t收到\t重复应答\t冲突\t拒收\t待重发\t评价\t差评\t待回访\t已回访")
    for r in rows:
        bad = sum(n for level, n in r["ratings"].items() if Rating(level).is_negative)
        print(f"{r['station_id']}\t{r['received']}\t{r['duplicates']}\t{r['conflicts']}\t"
              f"{r['rejected']}\t{r['retries']}\t{sum(r['ratings'].values())}\t{bad}\t"
              f"{r['followups_open']}\t{r['followups_closed']}")
    return 0


def _parser() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--data-dir", default="district-data",
                        help="数据目录（默认 ./district-data）: SQLite 库、附件、密钥文件")
    common.add_argument("--db", help="数据库 URL（默认数据目录下的 SQLite），如 postgresql://…")
    p = _Parser(prog=PROG, description="红色驿站 区级参考后台 / reference district backend")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("serve", parents=[common], help="启动后台服务")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8700)
    s.add_argument("--catalogue", default="catalogue", help="事项目录文件夹")
    s.add_argument("--allow-remote", action="store_true", help="允许监听非本机地址")
    s.add_argument("--tls-cert", help="TLS 证书（PEM）")
    s.add_argument("--tls-key", help="TLS 私钥（PEM）")
    s.add_argument("--api-docs", action="store_true",
                   help="提供 /docs 与 /openapi.json（默认关闭）")
    s.add_argument("--progress-rate", type=int, default=DEFAULT_PER_MINUTE, metavar="N",
                   help="办理进度页 /q/… 每个访问地址每分钟最多查询次数"
                        f"（默认 {DEFAULT_PER_MINUTE}，每个工作进程各计）")
    s.add_argument("--workers", type=int, default=1, metavar="N",
                   help=f"工作进程数（默认 1，最多 {MAX_WORKERS}），共用同一端口。大于 1 时："
                        "须用 PostgreSQL（--db）；意外退出的工作进程由主进程重启；"
                        "办理进度页的查询限额按进程计，即 N 倍")
    s.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    s.set_defaults(func=_serve)

    e = sub.add_parser("enroll", parents=[common], help="登记站点并发放密钥")
    e.add_argument("station_id", metavar="STATION_ID")
    e.add_argument("--name", help="站点名称")
    e.add_argument("--backend-url", help="写入设置二维码的后台地址")
    e.add_argument("--rotate", action="store_true", help="为已登记站点更换密钥")
    e.add_argument("--qr-png", metavar="FILE", help="另存二维码为 PNG")
    e.add_argument("--light-terminal", action="store_true", help="浅色背景终端（不反色）")
    e.set_defaults(func=_enroll)

    c = sub.add_parser("case", help="办件操作")
    csub = c.add_subparsers(dest="case_command", required=True, parser_class=_Parser)
    a = csub.add_parser("advance", parents=[common], help="推进办件状态")
    a.add_argument("receipt", metavar="RECEIPT")
    a.add_argument("status", metavar="STATUS", help="、".join(CaseStatus))
    a.add_argument("--note", default="", help="说明（站点会看到）")
    a.set_defaults(func=_advance)

    t = sub.add_parser("stats", parents=[common], help="各站点收件统计")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_stats)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageError as e:
        return _fail(f"用法错误：{e}（见 {PROG} --help）", 2)
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    try:
        return int(args.func(args))
    except (cases.CaseError, StationError, OSError, ImportError, SQLAlchemyError) as e:
        return _fail(explain(e) or str(e), 1)
    except KeyboardInterrupt:
        return 130


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
