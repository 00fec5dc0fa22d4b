"""The one atomic file writer: the target holds the old bytes or the new ones, never half, and
no temporary file outlives a failed write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from station_app.domain.files import atomic_write, atomic_write_text, remove_leftovers

posix_only = pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_content_is_replaced_and_the_folder_created(tmp_path: Path) -> None:
    target = tmp_path / "新文件夹" / "settings.toml"
    atomic_write(target, b"first")
    assert target.read_bytes() == b"first"
    atomic_write_text(target, "站点 = 汉阳\n")
    assert target.read_text(encoding="utf-8") == "站点 = 汉阳\n"
    assert list(target.parent.iterdir()) == [target]  # no temporary file left


@posix_only
def test_mode_bits_are_those_asked_for_whatever_the_umask(tmp_path: Path) -> None:
    secret, shared = tmp_path / "secret", tmp_path / "catalogue.yaml"
    old = os.umask(0o077)
    try:
        atomic_write(secret, b"s")
        atomic_write(shared, b"c", mode=0o644)
    finally:
        os.umask(old)
    assert _mode(secret) == 0o600 and _mode(shared) == 0o644
    shared.chmod(0o666)
    atomic_write(shared, b"again", mode=0o640)  # a replaced file gets the new bits
    assert _mode(shared) == 0o640


def test_target_untouched_and_temporary_removed_when_writing_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "station.secret"
    atomic_write(target, b"old secret")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"new secret that never fully arrived")
    assert target.read_bytes() == b"old secret"
    assert list(tmp_path.iterdir()) == [target]


def test_target_untouched_when_the_rename_fails(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ACTIVE"
    atomic_write_text(target, "2026.11.1\n")

    def refused(src: object, dst: object) -> None:
        raise PermissionError(13, "file in use")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(PermissionError):
        atomic_write_text(target, "2026.12.1\n")
    assert target.read_text(encoding="utf-8") == "2026.11.1\n"
    assert list(tmp_path.iterdir()) == [target]


def test_an_interrupt_mid_write_leaves_no_temporary(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "scan"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_synced_is_no_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def no_directory_sync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(22, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", no_directory_sync)
    atomic_write(tmp_path / "on-a-share", b"data")
    assert (tmp_path / "on-a-share").read_bytes() == b"data"


def test_leftovers_of_a_killed_write_are_removed_and_nothing_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep = [tmp_path / "a.tmp", tmp_path / ".hidden", tmp_path / "report.pdf"]
    for path in keep:
        path.write_bytes(b"keep")

    def killed(src: object, dst: object) -> None:
        raise RuntimeError("killed before the rename")

    with monkeypatch.context() as m:  # a kill: neither the rename nor the clean-up happens
        m.setattr(os, "replace", killed)
        m.setattr(Path, "unlink", lambda self, missing_ok=False: None)
        with pytest.raises(RuntimeError):
            atomic_write(tmp_path / "report.pdf", b"half")
    assert len(list(tmp_path.iterdir())) == len(keep) + 1
    assert remove_leftovers(tmp_path) == 1
    assert sorted(tmp_path.iterdir()) == sorted(keep)
    assert (tmp_path / "report.pdf").read_bytes() == b"keep"
    assert remove_leftovers(tmp_path / "missing") == 0
