"""The key file (``keys.json``): operators, their wrapped copies of the data key, lockouts.

It sits beside the database because signing in must work before the database can be opened,
and offline. It holds no resident data: staff numbers, names and roles of operators, Argon2id
salts and parameters, AES-256-GCM-wrapped copies of the data key, failure counters.

Why a file and not a table: the database is encrypted with the key this file guards. Editing
the file gains an attacker nothing they could not do offline anyway — every guess still costs
one Argon2id derivation — and the lockout exists to stop a colleague guessing at the counter.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station_app.domain.files import atomic_write
from station_app.vault.keys import KEY_BYTES, DataKey, RecoveryKey, b64, unb64

KEY_FILE: Final = "keys.json"
FORMAT: Final = 1
MAX_FAILURES: Final = 5
LOCKOUT: Final = timedelta(minutes=15)
MIN_PASSWORD: Final = 8


class Role(StrEnum):
    """What an operator may do: admins also change settings, operators, export, restore."""

    WORKER = "worker"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {Role.WORKER: "工作人员", Role.ADMIN: "管理员"}[self]


@dataclass(frozen=True)
class Argon2Profile:
    """Argon2id cost. The default follows RFC 9106's second recommendation (64 MiB, t=3);
    tests and demo folders may store a cheaper profile in their own key file."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 1

    def derive(self, password: str, salt: bytes) -> bytes:
        return hash_secret_raw(password.encode("utf-8"), salt, self.time_cost, self.memory_kib,
                               self.parallelism, KEY_BYTES, Type.ID)


CHEAP_PROFILE: Final = Argon2Profile(time_cost=1, memory_kib=8 * 1024)
"""For demo folders and tests only: stored in the file, so nothing else is weakened."""


class VaultError(Exception):
    """Any key-file problem; ``str()`` is one Chinese line for the operator."""


class BadCredentials(VaultError):
    def __init__(self) -> None:
        super().__init__("工号或密码不正确，请重新输入")


class AccountLocked(VaultError):
    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"密码连续错误 {MAX_FAILURES} 次，该账号已锁定至 "
                         f"{until.astimezone():%H:%M}，请稍后再试或请管理员协助")


@dataclass(frozen=True)
class Operator:
    """One account. ``wrapped`` is the data key under this operator's password."""

    staff_no: str
    name: str
    role: Role
    salt: str
    nonce: str
    wrapped: str
    failures: int = 0
    locked_until: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Vault:
    """The parsed key file; methods return new values, :func:`save_vault` writes them."""

    check: str
    profile: Argon2Profile
    recovery_nonce: str
    recovery_wrapped: str
    operators: dict[str, Operator] = field(default_factory=dict)

    def operator(self, staff_no: str) -> Operator | None:
        op = self.operators.get(staff_no.strip())
        return op if op is not None and op.active else None


def _wrap(kek: bytes, data_key: DataKey, aad: bytes) -> tuple[str, str]:
    nonce = secrets.token_bytes(12)
    return b64(nonce), b64(AESGCM(kek).encrypt(nonce, data_key.raw, aad))


def _unwrap(kek: bytes, nonce: str, wrapped: str, aad: bytes) -> DataKey | None:
    try:
        return DataKey(AESGCM(kek).decrypt(unb64(nonce), unb64(wrapped), aad))
    except (InvalidTag, ValueError):
        return None


def _aad(staff_no: str) -> bytes:
    return f"red-station/operator/{staff_no}".encode()


_RECOVERY_AAD: Final = b"red-station/recovery"


def check_password(password: str) -> str | None:
    """Why ``password`` cannot be used, in Chinese, or None when it can."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if password.isdigit() and len(set(password)) <= 2:
        return "密码过于简单，请勿使用重复数字"
    return None


def new_operator(data_key: DataKey, profile: Argon2Profile, *, staff_no: str, name: str,
                 role: Role, password: str) -> Operator:
    """An account whose password unwraps ``data_key``."""
    staff_no, name = staff_no.strip(), name.strip()
    if not staff_no or not name:
        raise VaultError("工号和姓名都不能为空")
    problem = check_password(password)
    if problem:
        raise VaultError(problem)
    salt = secrets.token_bytes(16)
    nonce, wrapped = _wrap(profile.derive(password, salt), data_key, _aad(staff_no))
    return Operator(staff_no, name, role, b64(salt), nonce, wrapped)


def create_vault(data_key: DataKey, recovery: RecoveryKey, admin: Operator,
                 profile: Argon2Profile = Argon2Profile()) -> Vault:
    if admin.role is not Role.ADMIN:
        raise VaultError("第一个账号须为管理员")
    nonce, wrapped = _wrap(recovery.wrapping_key(), data_key, _RECOVERY_AAD)
    return Vault(data_key.check_value(), profile, nonce, wrapped, {admin.staff_no: admin})


def sign_in(vault: Vault, staff_no: str, password: str,
            now: datetime) -> tuple[Vault, Operator, DataKey | None]:
    """Try a password. Returns the vault to save (counters changed), the operator and the key
    (None when wrong). Unknown staff numbers and wrong passwords give the same answer and cost
    the same Argon2id work, so accounts cannot be probed. Raises AccountLocked."""
    op = vault.operator(staff_no)
    if op is None:
        vault.profile.derive(password, b"\0" * 16)
        raise BadCredentials()
    if op.locked_until and datetime.fromisoformat(op.locked_until) > now:
        raise AccountLocked(datetime.fromisoformat(op.locked_until))
    key = _unwrap(vault.profile.derive(password, unb64(op.salt)), op.nonce, op.wrapped,
                  _aad(op.staff_no))
    if key is not None and key.check_value() == vault.check:
        updated = replace(op, failures=0, locked_until=None)
    else:
        key = None
        failures = op.failures + 1
        locked = (now + LOCKOUT).isoformat() if failures >= MAX_FAILURES else None
        updated = replace(op, failures=0 if locked else failures, locked_until=locked)
    return replace(vault, operators={**vault.operators, op.staff_no: updated}), updated, key


def unlock_with_recovery(vault: Vault, recovery: RecoveryKey) -> DataKey:
    key = _unwrap(recovery.wrapping_key(), vault.recovery_nonce, vault.recovery_wrapped,
                  _RECOVERY_AAD)
    if key is None or key.check_value() != vault.check:
        raise VaultError("恢复密钥不正确，请核对打印的恢复密钥后重新输入")
    return key


def put_operator(vault: Vault, op: Operator) -> Vault:
    return replace(vault, operators={**vault.operators, op.staff_no: op})


def load_vault(folder: Path) -> Vault | None:
    """The key file of ``folder``; None when the folder has none (never set up)."""
    path = folder / KEY_FILE
    if not path.exists():
        return None
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            raise VaultError(f"密钥文件 {path} 的格式版本 {raw.get('format')} 不受支持，"
                             "请使用较新版本的终端打开")
        ops = {k: replace(Operator(**v), role=Role(v["role"]))
               for k, v in raw["operators"].items()}
        return Vault(raw["check"], Argon2Profile(**raw["profile"]), raw["recovery"]["nonce"],
                     raw["recovery"]["wrapped"], ops)
    except VaultError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise VaultError(f"密钥文件 {path} 无法读取（{type(e).__name__}），"
                         "请从备份恢复该文件或使用恢复密钥") from None


def save_vault(folder: Path, vault: Vault) -> None:
    raw = {"format": FORMAT, "check": vault.check, "profile": asdict(vault.profile),
           "recovery": {"nonce": vault.recovery_nonce, "wrapped": vault.recovery_wrapped},
           "operators": {k: asdict(v) for k, v in vault.operators.items()}}
    atomic_write(folder / KEY_FILE,
                 json.dumps(raw, ensure_ascii=False, indent=1).encode("utf-8"), mode=0o600)
