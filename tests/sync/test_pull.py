"""Pull: the change feed after `district-backend case advance`, and the catalogue by ETag,
where a broken or hostile catalogue is never activated."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from station_app.config import load_settings
from station_app.domain.catalogue_loader import load_catalogue
from station_app.services.catalogue_source import ACTIVE_POINTER, CATALOGUES_DIR, activate
from station_app.services.context import StationContext
from station_app.services.sync_service import build_engine
from station_app.store.catalogue import stored_catalogue
from station_app.store.engine import session_scope
from station_app.store.models import CatalogueVersion
from station_app.store.records import get_setting, set_setting
from station_app.store.submissions import status_history
from station_app.sync.catalogue import CatalogueInstaller, CatalogueRefused
from station_app.sync.pull import CURSOR_KEY, ETAG_KEY
from station_app.wire.protocol import CatalogueResponse
from tests.helpers.backend import RunningBackend
from tests.helpers.station import configure
from tests.helpers.sync_harness import MakeEngine, Submit, local_state

from .scripted_server import Scripted, ScriptedServer

pytestmark = pytest.mark.timeout(60)


def _history(ctx: StationContext, sid: str) -> list[tuple[str, str]]:
    with session_scope(ctx.engine) as s:
        return [(h.status, h.source) for h in status_history(s, sid)]


def test_change_feed_reaches_the_case(station_ctx: StationContext, backend: RunningBackend,
                                      submit: Submit, make_engine: MakeEngine) -> None:
    sid = submit().id
    engine = make_engine()
    assert engine.run_once().accepted == 1
    receipt = local_state(station_ctx, sid)[0].receipt_no
    assert receipt is not None
    time.sleep(2)  # the district stamps whole seconds; keep its steps after the local ones
    for status in ("审核中", "补正材料"):
        rc, _, err = backend.cli("case", "advance", receipt, status, "--note", "请补交户口簿")
        assert rc == 0, err
    report = engine.run_once(push=False, changes=True)
    assert report.ok and report.pulled_changes == 2  # 受理 came with the first run
    sub, _ = local_state(station_ctx, sid)
    assert sub.status == "补正材料"
    history = _history(station_ctx, sid)
    assert history == [("已保存", "local"), ("受理", "district"), ("审核中", "district"),
                       ("补正材料", "district")]
    with session_scope(station_ctx.engine) as s:
        cursor = int(get_setting(s, CURSOR_KEY) or 0)
    assert cursor >= 3
    again = engine.run_once(push=False, changes=True)
    assert again.pulled_changes == 0 and _history(station_ctx, sid) == history


def test_feed_replayed_from_zero_changes_nothing(station_ctx: StationContext,
                                                 backend: RunningBackend, submit: Submit,
                                                 make_engine: MakeEngine) -> None:
    sid = submit().id
    engine = make_engine()
    engine.run_once()
    receipt = local_state(station_ctx, sid)[0].receipt_no
    assert receipt is not None
    backend.cli("case", "advance", receipt, "审核中")
    engine.run_once(push=False)
    before = _history(station_ctx, sid)
    with session_scope(station_ctx.engine) as s:
        set_setting(s, CURSOR_KEY, "0")  # e.g. restored from an older backup
    assert engine.run_once(push=False).pulled_changes == 2
    assert _history(station_ctx, sid) == before


def _active(ctx: StationContext) -> str:
    return (ctx.data_dir / CATALOGUES_DIR / ACTIVE_POINTER).read_text(encoding="utf-8").strip()


def test_catalogue_pulled_with_etag_and_304(station_ctx: StationContext, backend: RunningBackend,
                                            make_engine: MakeEngine) -> None:
    engine = make_engine()
    report = engine.run_once(push=False, changes=False, catalogue=True)
    assert report.ok and report.catalogue_updated == "2026.11.1", report.lines()
    assert _active(station_ctx) == "2026.11.1"
    folder = station_ctx.data_dir / CATALOGUES_DIR / "2026.11.1"
    assert list(load_catalogue(folder).items) == ["RS04"]
    assert (folder / "holidays.yaml").is_file()
    with session_scope(station_ctx.engine) as s:
        etag = get_setting(s, ETAG_KEY)
    assert etag and etag.startswith('"')
    again = engine.run_once(push=False, changes=False, catalogue=True)
    assert again.ok and again.catalogue_updated is None and "事项目录：无变化" in again.lines()
    header = backend.catalogue_dir / "catalogue.yaml"
    header.write_text(header.read_text(encoding="utf-8").replace("2026.11.1", "2026.12.1"),
                      encoding="utf-8")
    newer = engine.run_once(push=False, changes=False, catalogue=True)
    assert newer.catalogue_updated == "2026.12.1" and _active(station_ctx) == "2026.12.1"
    with session_scope(station_ctx.engine) as s:  # kept for the cases to be filled with it
        pulled = s.get(CatalogueVersion, "2026.12.1")
        assert pulled is not None and (pulled.source, pulled.etag) == ("pulled", get_setting(
            s, ETAG_KEY))
        assert not pulled.active  # the station fills cases with it from its next start
        stored = stored_catalogue(s, "2026.12.1")
        assert stored is not None and list(stored.items) == ["RS04"]


def _catalogue_body(backend: RunningBackend, station_secret: str, **changes: Any) -> bytes:
    client = backend.client("QDK01", station_secret)
    body = json.loads(client.request("GET", "/v1/catalogue").content)
    body.update(changes)
    return json.dumps(body, ensure_ascii=False).encode()


def test_broken_catalogue_is_never_activated(tmp_path: Path, station_ctx: StationContext,
                                             backend: RunningBackend, station_secret: str,
                                             scripted_server: ScriptedServer) -> None:
    good = json.loads(_catalogue_body(backend, station_secret))
    broken = dict(good, items=[dict(good["items"][0], fields="not a list")])
    scripted_server.then(Scripted(200, json.dumps(broken).encode(),
                                  {"Content-Type": "application/json", "ETag": '"b1"'}))
    data_dir = station_ctx.data_dir
    activate(data_dir, _install_good(data_dir, good))
    before = _active(station_ctx)
    configure(data_dir, scripted_server.url, station_secret)
    engine = build_engine(data_dir, load_settings(data_dir), station_secret, station_ctx.engine)
    try:
        report = engine.run_once(push=False, changes=False, catalogue=True)
    finally:
        engine.close()
    assert not report.ok and report.catalogue_updated is None
    assert report.catalogue_problem and "未采用" in report.catalogue_problem
    assert _active(station_ctx) == before
    left = {p.name for p in (data_dir / CATALOGUES_DIR).iterdir()}
    assert left == {ACTIVE_POINTER, before}  # the broken download was removed
    with session_scope(station_ctx.engine) as s:
        assert get_setting(s, ETAG_KEY) is None  # asked again next time


def _install_good(data_dir: Path, good: dict[str, Any]) -> str:
    installer = CatalogueInstaller(data_dir / CATALOGUES_DIR, lambda name, etag: None)
    return installer.install(CatalogueResponse.model_validate(good), None)


@pytest.mark.parametrize("change", [
    {"catalogue_version": "../../escape"},
    {"catalogue_version": ".."},
    {"catalogue_version": "2099.1"},  # disagrees with the header
])
def test_hostile_catalogue_versions_are_refused(tmp_path: Path, backend: RunningBackend,
                                                station_secret: str,
                                                change: dict[str, str]) -> None:
    body = json.loads(_catalogue_body(backend, station_secret))
    body.update(change)
    activated: list[str] = []
    installer = CatalogueInstaller(tmp_path / "catalogues",
                                   lambda name, etag: activated.append(name))
    with pytest.raises(CatalogueRefused):
        installer.install(CatalogueResponse.model_validate(body), None)
    assert activated == [] and not (tmp_path / "escape").exists()
    assert not (tmp_path / "catalogues").exists() or not any((tmp_path / "catalogues").iterdir())


def test_hostile_item_codes_are_refused(tmp_path: Path, backend: RunningBackend,
                                        station_secret: str) -> None:
    body = json.loads(_catalogue_body(backend, station_secret))
    body["items"][0]["code"] = "../RS04"
    installer = CatalogueInstaller(tmp_path / "catalogues", lambda name, etag: None)
    with pytest.raises(CatalogueRefused, match="事项编码"):
        installer.install(CatalogueResponse.model_validate(body), None)


def test_feed_order_wins_over_clock_disagreement(station_ctx: StationContext,
                                                 backend: RunningBackend, submit: Submit,
                                                 make_engine: MakeEngine) -> None:
    """Within one second the district's stamps (whole seconds) sort before the local ack;
    the case still ends in the district's latest status."""
    sid = submit().id
    engine = make_engine()
    engine.run_once()
    receipt = local_state(station_ctx, sid)[0].receipt_no
    assert receipt is not None
    for status in ("审核中", "已办结", "已领取"):
        backend.cli("case", "advance", receipt, status)
    assert engine.run_once(push=False).pulled_changes == 3
    assert local_state(station_ctx, sid)[0].status == "已领取"
