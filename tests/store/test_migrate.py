"""Start-up preparation: new files, migration from the previous schema with a verified
backup, and refusal of files that are newer or not ours. Models must match migrations."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from station_app.store.backup import integrity_problems, list_backups
from station_app.store.engine import open_engine, session_scope
from station_app.store.migrate import (
    ForeignDatabase,
    SchemaTooNew,
    current_revision,
    head_revision,
    prepare_database,
    upgrade,
)
from station_app.store.models import CatalogueVersion, StoreModel, Submission
from station_app.store.queries import list_submissions
from station_app.store.records import save_draft
from station_app.wire.feedback import RatingItem

SUB_ID = "01960e1e-8f4a-7c3b-9d2e-5a6b7c8d9e0f"
NOW = "2025-03-14T02:00:00.000000+00:00"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_rev_0001(db_path: Path) -> None:
    """A database as the previous release left it, with a case in it."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_path)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO submission (id, tracking_ref, item_code, catalogue_version,"
                " form_version, payload, materials, applicant_name_masked, id_last4,"
                " sync_state, operator, created_at, updated_at) VALUES"
                " (?, 'HY250314-AAAAAAAA', 'RS01', '2025.1', '1', ?, ?, '张*', '002X',"
                " 'queued', 'worker-01', ?, ?)",
                (SUB_ID, '{"姓名":"张三"}', '["居民身份证"]', NOW, NOW))
            conn.exec_driver_sql(
                "INSERT INTO outbox (submission_id, body, body_sha256, state, attempts,"
                " created_at) VALUES (?, x'7b7d', 'ab', 'pending', 0, ?)", (SUB_ID, NOW))
            conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('cursor', '42')")
    finally:
        engine.dispose()


def test_new_file_is_created_at_head(db_path: Path, backup_dir: Path) -> None:
    report = prepare_database(db_path, backup_dir)
    assert report.created and report.backup is None and report.to_revision == head_revision()
    assert "已新建数据库" in report.summary()
    again = prepare_database(db_path, backup_dir)
    assert not again.created and not again.migrated and again.backup is None
    assert list_backups(db_path, backup_dir) == []


def test_migration_from_previous_schema_keeps_data_and_leaves_a_verified_backup(
        db_path: Path, backup_dir: Path) -> None:
    _make_rev_0001(db_path)
    report = prepare_database(db_path, backup_dir)
    head = head_revision()
    assert (report.from_revision, report.to_revision, report.migrated) == ("0001", head, True)
    assert report.backup is not None and report.backup.exists()
    assert list_backups(db_path, backup_dir) == [report.backup]
    assert f"升级到 {head}" in report.summary()

    engine = open_engine(db_path)
    try:
        assert current_revision(engine) == head
        with session_scope(engine) as session:
            (case,) = list_submissions(session)
            assert (case.id, case.payload, case.rating) == (SUB_ID, {"姓名": "张三"}, None)
            assert case.created_at.isoformat() == "2025-03-14T02:00:00+00:00"
            save_draft(session, "d1", operator="worker-01", payload={})  # new table works
    finally:
        engine.dispose()

    assert integrity_problems(report.backup) == []
    old = sqlite3.connect(report.backup)
    try:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT id FROM submission").fetchall() == [(SUB_ID,)]
        assert old.execute("SELECT value FROM setting").fetchone() == ("42",)
        assert old.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "draft" not in tables
    finally:
        old.close()


def test_rating_check_constraint_after_migration(db_path: Path, backup_dir: Path) -> None:
    _make_rev_0001(db_path)
    prepare_database(db_path, backup_dir)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="ck_submission_rating"):
            conn.execute("UPDATE submission SET rating = 6")
        conn.execute("UPDATE submission SET rating = 5")
        conn.rollback()
    finally:
        conn.close()


def test_catalogue_versions_from_before_0004_get_an_empty_header(
        db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_path)
    try:
        upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO catalogue_version (version, loaded_at, source, active)"
                " VALUES ('2025.1', ?, 'bundled', 1)", (NOW,))
    finally:
        engine.dispose()
    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        with session_scope(engine) as session:
            row = session.get(CatalogueVersion, "2025.1")
            assert row is not None and row.header == {} and row.active
    finally:
        engine.dispose()


def test_old_ratings_become_legacy_records_queued_for_the_district(
        db_path: Path, backup_dir: Path) -> None:
    """0006: the single rating column of older releases becomes one record per rated case,
    marked legacy (no reason was asked), with no follow-up, queued with its exact bytes."""
    _make_rev_0001(db_path)
    engine = open_engine(db_path)
    try:
        upgrade(engine, "0005")
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE submission SET rating = 2")
    finally:
        engine.dispose()
    prepare_database(db_path, backup_dir)
    db = sqlite3.connect(db_path)
    try:
        ((rid, sid, level, reason, legacy, operator),) = db.execute(
            "SELECT id, submission_id, level, reason, legacy, operator FROM rating").fetchall()
        assert (sid, level, reason, legacy, operator) == (SUB_ID, "dissatisfied", None, 1,
                                                          "worker-01")
        assert db.execute("SELECT COUNT(*) FROM followup").fetchone() == (0,)
        ((item, kind, body, state),) = db.execute(
            "SELECT item_id, kind, body, state FROM feedback_outbox").fetchall()
        assert (item, kind, state) == (rid, "rating", "pending")
        wire = RatingItem.model_validate_json(body)  # what the district will read
        assert wire.legacy and wire.reason is None and wire.tracking_ref == "HY250314-AAAAAAAA"
        assert hashlib.sha256(body).hexdigest() == db.execute(
            "SELECT body_sha256 FROM feedback_outbox").fetchone()[0]
        assert db.execute("SELECT rating FROM submission").fetchone() == (2,)  # kept
    finally:
        db.close()


def test_models_match_the_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, StoreModel.metadata) == []
    assert Submission.__table__.name in StoreModel.metadata.tables  # type: ignore[attr-defined]


def test_downgrade_and_upgrade_round_trip(db_path: Path, backup_dir: Path) -> None:
    from alembic import command

    from station_app.store.migrate import alembic_config

    prepare_database(db_path, backup_dir)
    engine = open_engine(db_path)
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        assert current_revision(engine) == "0001"
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_schema_from_a_newer_program_is_refused_untouched(
        db_path: Path, backup_dir: Path) -> None:
    prepare_database(db_path, backup_dir)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0999'")
    conn.commit()
    conn.close()
    before = _sha(db_path)
    with pytest.raises(SchemaTooNew, match=r"0999.*请安装最新版本"):
        prepare_database(db_path, backup_dir)
    assert _sha(db_path) == before and list_backups(db_path, backup_dir) == []


def test_foreign_sqlite_file_is_refused_untouched(db_path: Path, backup_dir: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = _sha(db_path)
    with pytest.raises(ForeignDatabase, match="不是本程序的数据库"):
        prepare_database(db_path, backup_dir)
    assert _sha(db_path) == before


def test_paths_with_spaces_chinese_and_url_characters(tmp_path: Path) -> None:
    folder = tmp_path / "汉阳 区#1?站"
    db = folder / "红色 驿站.db"
    assert prepare_database(db, folder / "备份").created
    _make_rev_0001(folder / "旧 版.db")
    report = prepare_database(folder / "旧 版.db", folder / "备份")
    assert report.backup is not None and integrity_problems(report.backup) == []
    assert not (tmp_path / "红色 驿站.db").exists()  # nothing landed elsewhere


@pytest.mark.parametrize("column", ["status", "item_code", "sync_state",
                                    "applicant_name_masked"])
def test_filtered_case_list_reads_a_page_without_sorting(engine: Engine, column: str) -> None:
    """Each list filter has an index that also gives the newest-first order: no full sort
    of the matching rows (only ties on created_at are ordered by id, as they stream)."""
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN SELECT id FROM submission WHERE {column} = 'x' "
            "ORDER BY created_at DESC, id DESC LIMIT 200 OFFSET 0").fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert f"ix_submission_{column}_created_at" in details
    assert "TEMP B-TREE FOR ORDER BY" not in details


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from station_app.store.migrate import alembic_config, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {r.revision: r.down_revision
                                 for r in script.walk_revisions()}


def test_a_start_with_nothing_to_migrate_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic costs a noticeable part of a start; it is imported only when a migration is
    due (checked in a fresh interpreter, where nothing else has imported it)."""
    import subprocess
    import sys

    db = tmp_path / "station.db"
    prepare_database(db, tmp_path / "backups")
    code = ("import sys; from pathlib import Path; "
            "from station_app.store.migrate import prepare_database; "
            f"r = prepare_database(Path({str(db)!r}), Path({str(tmp_path / 'backups')!r})); "
            "print(r.migrated, 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["False", "False"]
