"""`station-app cases list [--json]`: the local cases and where each stands with the district.

Read-only and free of personal data: no names, no ID numbers, no form contents; only what a
script needs to check the sync (ids, refs, states, receipt numbers, reasons).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import SignInFailed, add_sign_in_options, open_signed_in
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.services.context import DB_FILE, check_station_database
from station_app.services.security import is_secured
from station_app.store.coltypes import to_utc_text
from station_app.store.engine import StoreError, open_engine, session_scope
from station_app.store.models import Submission
from station_app.store.queries import list_submissions
from station_app.vault.keyfile import VaultError

PAGE = 1000
COLUMNS = ("submission_id", "tracking_ref", "item_code", "bundle_code", "status", "sync_state",
           "receipt_no", "attention_reason", "created_at")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cases", help="本机办件 / local cases",
                       description="列出本机办件及同步状态 / list local cases and sync state")
    csub = p.add_subparsers(dest="cases_command", required=True, metavar="ACTION")
    lst = csub.add_parser("list", help="列出全部办件 / list all cases, newest first")
    lst.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    add_sign_in_options(lst)
    lst.set_defaults(handler=run_list)


def _row(sub: Submission) -> dict[str, Any]:
    return {"submission_id": sub.id, "tracking_ref": sub.tracking_ref,
            "item_code": sub.item_code, "bundle_code": sub.bundle_code, "status": sub.status,
            "sync_state": sub.sync_state, "receipt_no": sub.receipt_no,
            "attention_reason": sub.attention_reason,
            "created_at": to_utc_text(sub.created_at)}


def _engine(args: argparse.Namespace, data_dir: Path) -> tuple[Engine, Callable[[], None]]:
    """The database of a secured folder through a sign-in; of an older one directly."""
    if is_secured(data_dir):
        ctx = open_signed_in(args, data_dir, command="cases list")
        return ctx.engine, ctx.close
    engine = open_engine(data_dir / DB_FILE)
    return engine, engine.dispose


def run_list(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    db_path = data_dir / DB_FILE
    rows: list[dict[str, Any]] = []
    try:
        state = check_station_database(data_dir)  # never "0 cases" for a lost database
    except StoreError as e:
        return fail(str(e), 1)
    except OSError as e:
        return fail(f"无法读取数据库 {db_path}：{e.strerror or e}", 1)
    if state != "new":
        try:
            engine, close = _engine(args, data_dir)
        except (SignInFailed, VaultError, StoreError, SettingsError, CatalogueInvalid,
                OSError) as e:
            return fail(str(e), 1)
        try:
            offset = 0
            while True:
                with session_scope(engine) as s:
                    page = list_submissions(s, offset=offset, limit=PAGE)
                rows.extend(_row(sub) for sub in page)
                if len(page) < PAGE:
                    break
                offset += PAGE
        except (StoreError, SQLAlchemyError) as e:
            return fail(f"无法读取数据库 {db_path}：{getattr(e, 'orig', None) or e}", 1)
        finally:
            close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("\t".join(COLUMNS))
    for r in rows:
        print("\t".join("" if r[c] is None else str(r[c]) for c in COLUMNS))
    print(f"共 {len(rows)} 件")
    return 0
