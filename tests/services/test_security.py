"""Securing a station: a folder opens only with a password or the recovery key, and an older
plaintext folder is encrypted with every case kept and no clear copy left behind."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station_app.services.context import open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.services.security import (
    SignInRequired,
    add_operator,
    recover,
    secure_station,
    sign_in,
)
from station_app.store.encrypt import is_plaintext
from station_app.store.engine import session_scope
from station_app.store.queries import CaseFilter, IdLookup, list_submissions
from station_app.vault.keyfile import CHEAP_PROFILE, BadCredentials, Role

NOW = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
NAME, ID_NUMBER, PHONE = "欧阳秀英", "420105195803150026", "13971234567"
PASSWORD = "hanyang-2026"


def _save_case(data_dir: Path, **open_kwargs: object) -> str:
    ctx = open_station(data_dir, **open_kwargs)  # type: ignore[arg-type]
    try:
        sub = save_submission(ctx.engine, NewSubmission(
            item_code="RS04", catalogue_version="2026.11.1", form_version="1",
            payload={"姓名": NAME, "身份证号": ID_NUMBER, "手机": PHONE}, operator="A001",
            materials=["居民身份证"],
            applicant=ApplicantIndex.of(NAME, ID_NUMBER, ctx.index_key)))
        return sub.id
    finally:
        ctx.close()


def _clear_text_hits(folder: Path) -> list[str]:
    needles = [s.encode(enc) for s in (NAME, ID_NUMBER, PHONE) for enc in ("utf-8", "utf-16-le")]
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and any(n in p.read_bytes() for n in needles)]


def _find_by_id(data_dir: Path, key: object) -> list[str]:
    ctx = open_station(data_dir, key=key)  # type: ignore[arg-type]
    try:
        with session_scope(ctx.engine) as s:
            flt = CaseFilter(id_number=IdLookup.of(ID_NUMBER, ctx.index_key))
            return [sub.id for sub in list_submissions(s, flt)]
    finally:
        ctx.close()


def test_a_secured_folder_opens_only_signed_in_and_a_copy_only_with_the_recovery_key(
        tmp_path: Path) -> None:
    data = tmp_path / "station"
    admin, recovery = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                                     profile=CHEAP_PROFILE)
    sid = _save_case(data, key=admin.key)
    assert not is_plaintext(data / "station.db")
    assert _clear_text_hits(data) == []

    copy = tmp_path / "usb-stick"
    shutil.copytree(data, copy)
    with pytest.raises(SignInRequired, match="已加密"):
        open_station(copy)
    with pytest.raises(BadCredentials):
        sign_in(copy, "A001", "not-the-password", NOW)
    assert _find_by_id(copy, recover(copy, recovery.text())) == [sid]
    assert _find_by_id(copy, sign_in(copy, "A001", PASSWORD, NOW).key) == [sid]


def test_an_older_plaintext_folder_is_encrypted_with_every_case_kept(tmp_path: Path) -> None:
    data = tmp_path / "station"
    data.mkdir()
    legacy_key = "ab" * 32  # the clear-text lookup key an older release kept beside the data
    (data / "id-index.key").write_text(legacy_key + "\n", encoding="ascii")
    ids = [_save_case(data) for _ in range(3)]
    assert _clear_text_hits(data) == ["station.db"]
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                              profile=CHEAP_PROFILE)
    assert _clear_text_hits(data) == []
    assert not (data / "id-index.key").exists()
    assert not any(p.name.endswith(".plaintext") for p in data.rglob("*"))
    assert all(legacy_key.encode() not in p.read_bytes() for p in data.rglob("*") if p.is_file())
    assert sorted(_find_by_id(data, admin.key)) == sorted(ids)  # old lookups still work
    ctx = open_station(data, key=admin.key)
    try:
        assert ctx.index_key == bytes.fromhex(legacy_key)  # imported, not replaced
    finally:
        ctx.close()


def test_an_administrator_adds_a_worker_who_unlocks_the_same_data(tmp_path: Path) -> None:
    data = tmp_path / "station"
    admin, _ = secure_station(data, staff_no="A001", name="王芳", password=PASSWORD,
                              profile=CHEAP_PROFILE)
    sid = _save_case(data, key=admin.key)
    add_operator(data, admin, staff_no="W002", name="李强", role=Role.WORKER,
                 password="counter-pass-1")
    worker = sign_in(data, "W002", "counter-pass-1", NOW)
    assert worker.label == "李强（W002）" and not worker.is_admin
    assert _find_by_id(data, worker.key) == [sid]
