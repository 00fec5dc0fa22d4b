"""`station-app --demo`: the whole product on throwaway data, with one command.

A temporary data folder is filled with demo cases, the reference district backend runs on
127.0.0.1 (a free port, in a background thread) with a demo station enrolled, and the terminal
opens configured against it, its receipts' QR codes pointing at the backend's progress page.
Everything is deleted when the window closes.

This module prepares the data and the backend and knows no widgets: the composition root
(`station_app.app.run_demo`) opens the window on what `demo_station` yields. The district
backend's package is imported only inside `district_backend`, when demo mode starts. The
station's data layer is imported by the functions that fill and secure the folder: the demo's
window signs itself in with the account named here before that layer is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from station_app.config import StationSettings, save_secret, save_settings
from station_app.paths import bundled_catalogue_dir
from station_app.vault.keyfile import CHEAP_PROFILE

log = logging.getLogger(__name__)

DEMO_STATION_ID = "QDK01"
DEMO_STATION_NAME = "琴断口街道七里一村社区红色驿站"
DEMO_PHONE = "027-84700000"
DEMO_CASES = 300
STARTUP_TIMEOUT = 15.0
DEMO_STAFF_NO = "DEMO"
DEMO_OPERATOR = "演示工作人员"
DEMO_PASSWORD = "demo-hanyang-2026"  # known on purpose: rehearsals and scripts run unattended
PROGRESS_PATH = "/q/{ref}"  # where the reference backend serves the progress page


@dataclass(frozen=True)
class DemoBackend:
    url: str
    station_id: str
    secret: str


def fill_cases(data_dir: Path, n: int, seed: int = 0) -> int:
    """Demo cases via `services.demo`; 0 (and a log line) when that module is not built in."""
    from station_app.services.context import open_station

    try:
        from station_app.services.demo import fill_demo_cases
    except ImportError:
        log.warning("本版本不含演示数据模块，演示终端中没有办件")
        return 0
    ctx = open_station(data_dir)
    try:
        return fill_demo_cases(ctx, n, seed)
    finally:
        ctx.close()


def prepare_station(data_dir: Path, *, cases: int = DEMO_CASES,
                    backend: DemoBackend | None = None, secure: bool = False) -> StationSettings:
    """A configured demo station: settings, secret (when there is a backend) and cases; with
    ``secure`` encrypted like a real one, its administrator the demo operator (password
    ``DEMO_PASSWORD``, so the demo signs itself in)."""
    settings = StationSettings(
        station_id=backend.station_id if backend else DEMO_STATION_ID,
        station_name=DEMO_STATION_NAME, contact_phone=DEMO_PHONE,
        backend_url=backend.url if backend else None,
        # the demo backend's own progress page: a receipt's QR code opens it on this computer
        progress_page_url=backend.url + PROGRESS_PATH if backend else None)
    save_settings(data_dir, settings)
    if backend is not None:
        save_secret(data_dir, backend.secret)
    n = fill_cases(data_dir, cases) if cases else 0
    if secure:
        from station_app.services.security import secure_station

        secure_station(data_dir, staff_no=DEMO_STAFF_NO, name=DEMO_OPERATOR,
                       password=DEMO_PASSWORD, profile=CHEAP_PROFILE)
    log.info("演示站点已准备：%d 件办件", n)
    return settings


@contextlib.contextmanager
def district_backend(workdir: Path) -> Iterator[DemoBackend]:
    """The reference backend on a free loopback port, with the demo station enrolled."""
    import uvicorn

    from district_backend import create_app
    from district_backend.db import make_engine
    from district_backend.stations import KEY_FILE, SecretBox, enroll, load_or_create_key

    workdir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{workdir / 'district.db'}"
    key = load_or_create_key(workdir / KEY_FILE)
    engine = make_engine(db_url)
    try:
        secret = enroll(engine, SecretBox(key), DEMO_STATION_ID, DEMO_STATION_NAME,
                        now=time.time())
    finally:
        engine.dispose()
    app = create_app(db_url, catalogue_dir=bundled_catalogue_dir(),
                     attachment_dir=workdir / "attachments", secret_key=key)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="demo-district-backend", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(5)
            raise RuntimeError("演示后台未能启动")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield DemoBackend(f"http://127.0.0.1:{port}", DEMO_STATION_ID, secret)
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT)


@contextlib.contextmanager
def demo_station() -> Iterator[Path]:
    """A temporary, configured, populated station folder, with the demo backend running while
    it is in use (when the backend cannot start, the station is offline); all deleted after."""
    with tempfile.TemporaryDirectory(prefix="red-station-demo-") as tmp, \
            contextlib.ExitStack() as stack:
        root = Path(tmp)
        backend: DemoBackend | None = None
        try:
            backend = stack.enter_context(district_backend(root / "district"))
            print(f"演示后台：{backend.url}  站点 {backend.station_id}")
        except Exception as e:  # the terminal still works offline without the backend
            log.warning("演示后台未启动（%s），终端以离线方式演示", e)
        prepare_station(root / "station", backend=backend, secure=True)
        yield root / "station"
