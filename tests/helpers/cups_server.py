"""A private CUPS scheduler with a cups-pdf queue: printing tested against a real print queue.

Everything lives in one temporary folder (configuration, spool, cache, state, logs, the PDFs
cups-pdf writes); the scheduler listens only on a domain socket in that folder, runs in the
foreground and is stopped at the end. The system's /etc/cups and any system cupsd are left
alone.

cups-pdf reads its configuration file from /etc/cups only (the path is compiled in), but it
takes the same options from the queue's PPD, which is private: the helper appends ``Out``,
``AnonDirName``, ``Spool``, ``Log`` and ``Grp`` to a copy of the cups-pdf PPD. A PPD default
value ends at its first ``/``, so the folders are given relative to the scheduler's working
directory, which is the private folder (the backend inherits it).

The cups-pdf backend only runs as root (mode 0700), so the queue needs root; CI runs as root.
Qt's CUPS print support uses libcups, which reads ``CUPS_SERVER`` once and keeps it:
:func:`point_libcups_at` sets both, so a test that touched the system's CUPS earlier in the
session does not hide the private queue.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
PPD_DIR = Path("/usr/share/ppd/cups-pdf")
QUEUE = "station-pdf"
START_SECONDS = 20.0
JOB_SECONDS = 60.0
# the page log as "job id|job name|media", one line per finished job ("total" lines only)
PAGE_LOG_FORMAT = "%j|%P|%{job-name}|%{media}"
# cups-pdf options taken from the private PPD: the folders relative to the scheduler's folder
PRIVATE_OPTIONS = {"Out": "out", "AnonDirName": "out", "Spool": "pdf-spool", "Log": "log",
                   "Grp": "root"}


def unavailable_reason() -> str | None:
    """Why the private queue cannot run here (None: it can)."""
    missing = [p for p in (CUPSD, shutil.which("lpadmin"), shutil.which("lpstat"), BACKEND)
               if p is None or not Path(p).exists()]
    if missing or not any(PPD_DIR.glob("CUPS-PDF*.ppd")):
        return ("CUPS with printer-driver-cups-pdf is not installed "
                "(scripts/setup.sh installs cups, cups-client and printer-driver-cups-pdf)")
    if os.geteuid() != 0:
        return "the cups-pdf backend runs only as root: the print-queue test needs root"
    return None


@dataclass(frozen=True)
class PrintedJob:
    """One finished job of the private queue: what CUPS logged and the PDF cups-pdf wrote."""

    job_id: int
    name: str  # the document name the application gave
    media: str  # the paper CUPS was asked for (A4, A5, Custom.80x…mm)
    pdf: Path


@dataclass(frozen=True)
class PrivateQueue:
    """The running scheduler (``server`` is its socket) and its cups-pdf queue."""

    root: Path
    server: str
    name: str

    @property
    def out_dir(self) -> Path:
        return self.root / PRIVATE_OPTIONS["Out"]

    def lpstat(self, *args: str) -> str:
        done = subprocess.run(["lpstat", "-h", self.server, *args], capture_output=True,
                              text=True, timeout=30, check=False)
        return done.stdout

    def job_ids(self, which: str = "all") -> set[int]:
        """Jobs of the queue as ``lpstat -W which`` lists them (all, completed, …)."""
        listing = self.lpstat("-W", which, "-o", self.name)
        return {int(m) for m in re.findall(rf"^{re.escape(self.name)}-(\d+)\s", listing, re.M)}

    def wait_for_jobs(self, known: set[int], count: int = 1) -> list[PrintedJob]:
        """The ``count`` jobs queued since ``known`` was taken, once CUPS reports them
        completed and their PDF is written; fails with the scheduler's log otherwise."""
        deadline = time.monotonic() + JOB_SECONDS
        while time.monotonic() < deadline:
            jobs = self._finished(sorted(self.job_ids("completed") - known))
            if len(jobs) >= count:
                return jobs[:count]
            time.sleep(0.1)
        written = sorted(p.name for p in self.out_dir.iterdir())
        raise AssertionError(f"no finished job with a PDF in {JOB_SECONDS:.0f} s\n"
                             f"{self.lpstat('-W', 'all', '-l', '-o', self.name)}\n"
                             f"written: {written}\npage log: {self._page_log()}\n"
                             f"{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        log = self.root / "log" / "error_log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def _finished(self, job_ids: list[int]) -> list[PrintedJob]:
        """The jobs among ``job_ids`` whose PDF is written and whose end is logged, in order;
        stops at the first that is not there yet."""
        logged = self._page_log()
        jobs: list[PrintedJob] = []
        for job in job_ids:
            pdfs = sorted(self.out_dir.glob(f"*-job_{job}.pdf"))
            if not pdfs or job not in logged:
                break
            jobs.append(PrintedJob(job, *logged[job], pdfs[0]))
        return jobs

    def _page_log(self) -> dict[int, tuple[str, str]]:
        log = self.root / "log" / "page_log"
        jobs: dict[int, tuple[str, str]] = {}
        for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
            job, page, rest = (*line.split("|", 2), "", "")[:3]
            name, _, media = rest.rpartition("|")  # a document name may hold a "|"
            if page == "total" and job.isdigit():
                jobs[int(job)] = (name, media)
        return jobs


def _write_config(root: Path, socket: Path) -> tuple[Path, Path]:
    conf = root / "conf"
    for sub in ("conf/ppd", "spool/tmp", "state", "cache", "log", "out", "pdf-spool"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    cupsd_conf = conf / "cupsd.conf"
    cupsd_conf.write_text("\n".join([
        f"Listen {socket}",
        "LogLevel warn",
        f"PageLogFormat {PAGE_LOG_FORMAT}",
        "Browsing No",
        "WebInterface No",
        "ErrorPolicy abort-job",  # a failed job ends at once (the test says why)
        "DefaultAuthType None",
        "<Location />", "  Order allow,deny", "  Allow all", "</Location>",
        # only this socket reaches it: no authentication for adding the test queue
        "<Policy default>", "  JobPrivateAccess all", "  JobPrivateValues none",
        "  SubscriptionPrivateAccess all", "  SubscriptionPrivateValues none",
        "  <Limit All>", "    Order deny,allow", "  </Limit>", "</Policy>",
        ""]))
    files_conf = conf / "cups-files.conf"
    files_conf.write_text("\n".join([
        f"ServerRoot {conf}",
        f"RequestRoot {root / 'spool'}",
        f"TempDir {root / 'spool' / 'tmp'}",
        f"StateDir {root / 'state'}",
        f"CacheDir {root / 'cache'}",
        f"ErrorLog {root / 'log' / 'error_log'}",
        f"AccessLog {root / 'log' / 'access_log'}",
        f"PageLog {root / 'log' / 'page_log'}",
        f"Printcap {root / 'state' / 'printcap'}",
        "SystemGroup root",
        ""]))
    return cupsd_conf, files_conf


def private_ppd(root: Path) -> Path:
    """The cups-pdf PPD with the output, spool and log folders inside ``root``."""
    source = PPD_DIR / "CUPS-PDF_opt.ppd"
    if not source.exists():
        source = sorted(PPD_DIR.glob("CUPS-PDF*.ppd"))[0]
    lines = [source.read_text(encoding="latin-1"), "", "*OpenGroup: Private/Private"]
    for key, value in PRIVATE_OPTIONS.items():
        lines += [f"*OpenUI *{key}/{key}: PickOne", f"*Default{key}: {value}",
                  f'*{key} {value}/{value}: ""', f"*CloseUI: *{key}"]
    lines += ["*CloseGroup: Private", ""]
    ppd = root / "queue.ppd"
    ppd.write_text("\n".join(lines), encoding="latin-1")
    return ppd


def _wait_running(proc: subprocess.Popen[bytes], queue: PrivateQueue) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"cupsd exited with {proc.returncode}\n{queue.log_tail()}")
        if "is running" in queue.lpstat("-r"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"cupsd did not answer in {START_SECONDS:.0f} s\n{queue.log_tail()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def private_cups() -> Iterator[PrivateQueue]:
    """Start the private scheduler with its cups-pdf queue; stop it and remove its folder."""
    # a short path of its own (a socket path has ~100 bytes); readable by the filters (user lp)
    root = Path(tempfile.mkdtemp(prefix="redstation-cups-", dir="/tmp"))
    root.chmod(0o755)
    socket = root / "cups.sock"
    cupsd_conf, files_conf = _write_config(root, socket)
    queue = PrivateQueue(root, str(socket), QUEUE)
    # setpriv (util-linux) ends the daemon with this process even if the teardown never runs
    guard = ["setpriv", "--pdeathsig", "TERM"] if shutil.which("setpriv") else []
    proc = subprocess.Popen([*guard, CUPSD, "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
                            cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_running(proc, queue)
        subprocess.run(["lpadmin", "-h", queue.server, "-p", QUEUE, "-E", "-v", "cups-pdf:/",
                        "-P", str(private_ppd(root))],
                       check=True, capture_output=True, timeout=30)
        yield queue
    finally:
        if proc.poll() is None:  # the queue leaves with the scheduler (and colord hears it)
            subprocess.run(["lpadmin", "-h", queue.server, "-x", QUEUE], capture_output=True,
                           timeout=30, check=False)
        _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


def _libcups() -> ctypes.CDLL:
    name = ctypes.util.find_library("cups") or "libcups.so.2"
    lib = ctypes.CDLL(name)
    lib.cupsSetServer.argtypes = [ctypes.c_char_p]
    lib.cupsSetServer.restype = None
    return lib


@contextmanager
def point_libcups_at(server: str) -> Iterator[None]:
    """Send this process's CUPS clients (Qt's print support) to ``server``, then back."""
    before = os.environ.get("CUPS_SERVER")
    lib = _libcups()
    os.environ["CUPS_SERVER"] = server
    lib.cupsSetServer(server.encode())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = before
        lib.cupsSetServer(None)  # back to the default: read again from the environment
