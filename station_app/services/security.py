"""Securing a station and unlocking it: the key lifecycle as the GUI and the CLI use it.

``secure_station`` runs once per data folder (first run, or the first start of this release on
an older folder): it makes the data key, the first administrator and IT's recovery key, then
encrypts an existing plaintext database and its backups (after a verified backup) and moves
the ID-lookup key from its old clear-text file into the encrypted database. Afterwards the
folder opens only through :func:`sign_in` or :func:`recover`.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path
from typing import Final

from sqlalchemy import Engine

from station_app.services.attachments import seal_stored_attachments
from station_app.services.unlock import NotSecured as NotSecured
from station_app.services.unlock import SignInRequired as SignInRequired
from station_app.services.unlock import Unlocked as Unlocked
from station_app.services.unlock import is_secured as is_secured
from station_app.services.unlock import secured_vault
from station_app.services.unlock import sign_in as sign_in
from station_app.store.audit import append_audit
from station_app.store.backup import backup_database
from station_app.store.encrypt import encrypt_database_and_backups, is_plaintext, shred
from station_app.store.engine import StoreError, session_scope
from station_app.store.records import get_setting, set_setting
from station_app.vault.keyfile import (
    Argon2Profile,
    Operator,
    Role,
    VaultError,
    create_vault,
    new_operator,
    put_operator,
    save_vault,
    unlock_with_recovery,
)
from station_app.vault.keys import DataKey, RecoveryKey

DB_FILE: Final = "station.db"
BACKUP_DIR: Final = "backups"
LEGACY_INDEX_KEY_FILE: Final = "id-index.key"
INDEX_KEY_SETTING: Final = "id_index_key"


class SecuringFailed(VaultError):
    """Encrypting the folder could not be finished; what was there is left as it was."""


def secure_station(data_dir: Path, *, staff_no: str, name: str, password: str,
                   profile: Argon2Profile | None = None) -> tuple[Unlocked, RecoveryKey]:
    """Create the key file with its first administrator; encrypt what is already there.

    Returns the signed-in administrator and the recovery key, which the caller shows or
    prints exactly once (it is never stored)."""
    if is_secured(data_dir):
        raise VaultError(f"数据目录 {data_dir} 已设置过管理员账号；"
                         "如需新增账号，请由管理员登录后添加")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    key, recovery = DataKey.generate(), RecoveryKey.generate()
    chosen = profile or Argon2Profile()
    admin = new_operator(key, chosen, staff_no=staff_no, name=name, role=Role.ADMIN,
                         password=password)
    db = data_dir / DB_FILE
    try:
        if is_plaintext(db):  # an older release's folder: a verified backup, then encrypt all
            backup_database(db, data_dir / BACKUP_DIR, "pre-encryption")
            encrypt_database_and_backups(db, data_dir / BACKUP_DIR, key.sqlcipher_key())
        seal_stored_attachments(data_dir, key)
        save_vault(data_dir, create_vault(key, recovery, admin, chosen))
    except StoreError as e:
        raise SecuringFailed(str(e)) from e
    except OSError as e:
        raise SecuringFailed(f"无法在 {data_dir} 中完成加密（{e.strerror or e}），原有数据未改动；"
                             "请检查磁盘空间和文件夹权限后重试") from e
    return Unlocked(key, admin.staff_no, admin.name, admin.role), recovery


def recover(data_dir: Path, recovery_text: str) -> DataKey:
    """IT's way in when no operator can sign in; ValueError/VaultError say what was wrong."""
    return unlock_with_recovery(secured_vault(data_dir), RecoveryKey.parse(recovery_text))


def add_operator(data_dir: Path, by: Unlocked, *, staff_no: str, name: str, role: Role,
                 password: str) -> Operator:
    """An administrator adds (or resets) an account that unlocks the same data key."""
    if not by.is_admin:
        raise VaultError("只有管理员可以管理账号")
    vault = secured_vault(data_dir)
    op = new_operator(by.key, vault.profile, staff_no=staff_no, name=name, role=role,
                      password=password)
    save_vault(data_dir, put_operator(vault, op))
    return op


def disable_operator(data_dir: Path, by: Unlocked, staff_no: str) -> None:
    """Stop an account from signing in (its wrapped key stays, so re-adding it is a reset).
    The last active administrator cannot be disabled: nobody could manage accounts."""
    if not by.is_admin:
        raise VaultError("只有管理员可以管理账号")
    vault = secured_vault(data_dir)
    op = vault.operator(staff_no)
    if op is None:
        raise VaultError(f"没有工号为 {staff_no} 的在用账号")
    admins = [o for o in vault.operators.values() if o.active and o.role is Role.ADMIN]
    if op.role is Role.ADMIN and len(admins) <= 1:
        raise VaultError("这是最后一个管理员账号，不能停用；请先添加另一位管理员")
    save_vault(data_dir, put_operator(vault, replace(op, active=False)))


def list_operators(data_dir: Path) -> list[Operator]:
    return sorted((op for op in secured_vault(data_dir).operators.values() if op.active),
                  key=lambda op: op.staff_no)


def index_key(engine: Engine, data_dir: Path) -> bytes:
    """The ID-lookup HMAC key, kept inside the encrypted database. A clear-text key file left
    by an older release is imported once and then shredded."""
    legacy = data_dir / LEGACY_INDEX_KEY_FILE
    with session_scope(engine) as session:
        stored = get_setting(session, INDEX_KEY_SETTING)
        if stored is None:
            raw = (bytes.fromhex(legacy.read_text(encoding="ascii").strip())
                   if legacy.is_file() else secrets.token_bytes(32))
            set_setting(session, INDEX_KEY_SETTING, raw.hex())
            append_audit(session, "system", "security.index_key_created", None,
                         {"imported": legacy.is_file()})
            stored = raw.hex()
    if legacy.is_file():
        shred(legacy)
    return bytes.fromhex(stored)
