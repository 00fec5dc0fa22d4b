"""Signing an operator in: the key file alone, no database (the window opens before the
station's data layer is loaded; see ``station_app.app``).

The rest of the key lifecycle (securing a folder, recovery, accounts) is in
:mod:`station_app.services.security`, which needs the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station_app.vault.keyfile import (
    BadCredentials,
    Role,
    Vault,
    VaultError,
    load_vault,
    save_vault,
)
from station_app.vault.keyfile import sign_in as vault_sign_in
from station_app.vault.keys import DataKey


class SignInRequired(VaultError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(f"数据目录 {data_dir} 中的数据已加密：请先用工号和密码登录，"
                         "或由区里技术人员使用恢复密钥打开")


class NotSecured(VaultError):
    def __init__(self, data_dir: Path) -> None:
        super().__init__(f"数据目录 {data_dir} 尚未设置管理员账号，请先完成首次设置")


@dataclass(frozen=True)
class Unlocked:
    """A signed-in operator and the data key their sign-in unwrapped."""

    key: DataKey
    staff_no: str
    name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def label(self) -> str:
        """How the operator appears as 经办人 on cases, receipts and audit rows."""
        return f"{self.name}（{self.staff_no}）"


def is_secured(data_dir: Path) -> bool:
    return load_vault(data_dir) is not None


def secured_vault(data_dir: Path) -> Vault:
    """The folder's key file; NotSecured when it has none."""
    vault = load_vault(data_dir)
    if vault is None:
        raise NotSecured(data_dir)
    return vault


def sign_in(data_dir: Path, staff_no: str, password: str, now: datetime) -> Unlocked:
    """Unlock with an operator's password; counters are saved either way. Raises
    BadCredentials, AccountLocked, NotSecured (each a one-line Chinese message)."""
    vault, op, key = vault_sign_in(secured_vault(data_dir), staff_no, password, now)
    save_vault(data_dir, vault)
    if key is None:
        raise BadCredentials()
    return Unlocked(key, op.staff_no, op.name, op.role)
