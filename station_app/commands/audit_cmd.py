"""`station-app audit verify | export`: the inspector's view of who did what.

``verify`` walks the whole SHA-256 chain and exits 1 naming the first row that does not hold;
``export`` (administrators) writes every row with its hashes as JSON Lines, so an inspector can
re-check the chain elsewhere, and records that it did.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlmodel import col, select

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import SignInFailed, add_sign_in_options, open_signed_in
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.domain.files import atomic_write
from station_app.store.audit import append_audit, chain_head, verify_chain
from station_app.store.coltypes import to_utc_text
from station_app.store.engine import StoreError, session_scope
from station_app.store.models import AuditEvent


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="审计记录：校验或导出 / verify or export the audit trail")
    asub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    v = asub.add_parser("verify", help="校验审计链是否完整 / check the hash chain")
    add_sign_in_options(v)
    v.set_defaults(handler=_verify)
    e = asub.add_parser("export", help="导出全部审计记录（管理员）/ export every row (admin)")
    e.add_argument("file", type=Path, metavar="FILE", help="输出文件（JSON Lines）")
    add_sign_in_options(e)
    e.set_defaults(handler=_export)


def _verify(args: argparse.Namespace) -> int:
    try:
        ctx = open_signed_in(args, data_dir_of(args), command="audit verify")
    except (SignInFailed, StoreError, SettingsError, CatalogueInvalid, OSError) as e:
        return fail(str(e), 1)
    try:
        with session_scope(ctx.engine) as session:
            checked, problem = verify_chain(session)
    finally:
        ctx.close()
    if problem is not None:
        return fail(f"{problem}；此前 {checked} 条完好。请勿再改动数据文件，并联系区信息中心", 1)
    print(f"审计记录 {checked} 条，哈希链完整")
    return 0


def _export(args: argparse.Namespace) -> int:
    try:
        ctx = open_signed_in(args, data_dir_of(args), command="audit export", admin=True)
    except (SignInFailed, StoreError, SettingsError, CatalogueInvalid, OSError) as e:
        return fail(str(e), 1)
    try:
        with session_scope(ctx.engine) as session:
            rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
            lines = [json.dumps({"seq": r.id, "at": to_utc_text(r.at), "actor": r.actor,
                                 "action": r.action, "subject": r.subject, "detail": r.detail,
                                 "prev_hash": r.prev_hash, "hash": r.hash},
                                ensure_ascii=False, sort_keys=True) for r in rows]
            head = chain_head(session)
        try:
            atomic_write(args.file, ("\n".join(lines) + "\n").encode("utf-8"))
        except OSError as e:
            return fail(f"无法写入 {args.file}（{e.strerror or e}），请换一个可写的位置", 1)
        with session_scope(ctx.engine) as session:
            append_audit(session, ctx.operator, "audit.exported", str(args.file),
                         {"rows": len(lines), "head_seq": head.seq})
    finally:
        ctx.close()
    print(f"已导出 {len(lines)} 条审计记录到 {args.file}（链头 {head.seq}：{head.hash[:16]}…）")
    return 0
