"""The key file: the data key unwraps only with a right password or the recovery key."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station_app.vault.keyfile import (
    CHEAP_PROFILE,
    KEY_FILE,
    LOCKOUT,
    MAX_FAILURES,
    AccountLocked,
    BadCredentials,
    Role,
    VaultError,
    create_vault,
    load_vault,
    new_operator,
    put_operator,
    save_vault,
    sign_in,
    unlock_with_recovery,
)
from station_app.vault.keys import DataKey, RecoveryKey
from station_app.vault.sealed import SealBroken, seal, unseal

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "hanyang-2026"


def _vault(tmp_path: Path) -> tuple[DataKey, RecoveryKey]:
    key, recovery = DataKey.generate(), RecoveryKey.generate()
    admin = new_operator(key, CHEAP_PROFILE, staff_no="A001", name="王芳", role=Role.ADMIN,
                         password=PASSWORD)
    save_vault(tmp_path, create_vault(key, recovery, admin, CHEAP_PROFILE))
    return key, recovery


def test_the_right_password_unwraps_the_data_key_and_the_file_never_holds_it(
        tmp_path: Path) -> None:
    key, _ = _vault(tmp_path)
    raw = (tmp_path / KEY_FILE).read_bytes()
    assert key.raw not in raw and key.raw.hex().encode() not in raw
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    vault = load_vault(tmp_path)
    assert vault is not None
    _, op, got = sign_in(vault, "A001", PASSWORD, NOW)
    assert got == key and op.role is Role.ADMIN


def test_wrong_password_and_unknown_staff_number_give_the_same_answer(tmp_path: Path) -> None:
    _vault(tmp_path)
    vault = load_vault(tmp_path)
    assert vault is not None
    vault, _, got = sign_in(vault, "A001", "wrong-password", NOW)
    assert got is None
    with pytest.raises(BadCredentials) as unknown:
        sign_in(vault, "Z999", PASSWORD, NOW)
    assert str(unknown.value) == str(BadCredentials())


def test_five_failures_lock_the_account_for_fifteen_minutes(tmp_path: Path) -> None:
    _vault(tmp_path)
    vault = load_vault(tmp_path)
    assert vault is not None
    for _ in range(MAX_FAILURES):
        vault, _, got = sign_in(vault, "A001", "wrong-password", NOW)
        assert got is None
    save_vault(tmp_path, vault)
    reloaded = load_vault(tmp_path)
    assert reloaded is not None
    with pytest.raises(AccountLocked):  # even the right password, while locked
        sign_in(reloaded, "A001", PASSWORD, NOW + LOCKOUT - timedelta(seconds=1))
    _, op, got = sign_in(reloaded, "A001", PASSWORD, NOW + LOCKOUT)
    assert got is not None and op.failures == 0


def test_recovery_key_opens_and_a_typo_is_refused(tmp_path: Path) -> None:
    key, recovery = _vault(tmp_path)
    vault = load_vault(tmp_path)
    assert vault is not None
    typed = recovery.text().lower().replace("-", " ")
    assert unlock_with_recovery(vault, RecoveryKey.parse(typed)) == key
    with pytest.raises(VaultError):
        unlock_with_recovery(vault, RecoveryKey.generate())
    with pytest.raises(ValueError, match="恢复密钥"):
        RecoveryKey.parse(recovery.text()[:-3])


def test_a_second_operator_gets_the_same_data_key(tmp_path: Path) -> None:
    key, _ = _vault(tmp_path)
    vault = load_vault(tmp_path)
    assert vault is not None
    worker = new_operator(key, vault.profile, staff_no="W002", name="李强", role=Role.WORKER,
                          password="counter-pass-1")
    save_vault(tmp_path, put_operator(vault, worker))
    again = load_vault(tmp_path)
    assert again is not None
    assert sign_in(again, "W002", "counter-pass-1", NOW)[2] == key


def test_short_passwords_and_damaged_files_are_refused_in_one_line(tmp_path: Path) -> None:
    key, _ = _vault(tmp_path)
    with pytest.raises(VaultError, match="至少 8 位"):
        new_operator(key, CHEAP_PROFILE, staff_no="W3", name="赵", role=Role.WORKER,
                     password="abc")
    data = json.loads((tmp_path / KEY_FILE).read_text(encoding="utf-8"))
    del data["check"]
    (tmp_path / KEY_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VaultError, match="无法读取"):
        load_vault(tmp_path)


def test_sealed_files_open_only_with_their_key_and_name() -> None:
    key = DataKey.generate()
    sealed = seal(key, "scan-1", "张三 420105196001010010".encode())
    assert "张三".encode() not in sealed
    assert unseal(key, "scan-1", sealed).decode() == "张三 420105196001010010"
    with pytest.raises(SealBroken):
        unseal(key, "scan-2", sealed)
    with pytest.raises(SealBroken):
        unseal(DataKey.generate(), "scan-1", sealed)
    with pytest.raises(SealBroken):
        unseal(key, "scan-1", sealed[:-1] + bytes([sealed[-1] ^ 1]))


def test_keys_never_show_in_repr() -> None:
    key, recovery = DataKey.generate(), RecoveryKey.generate()
    assert key.raw.hex() not in repr(key) and recovery.text() not in repr(recovery)
