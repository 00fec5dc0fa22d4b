"""Under ``CI=true`` a skipped test fails the run, unless it is on :data:`ALLOWED_SKIPS`.

A skip is a test that did not run, and a green run with 71 PostgreSQL variants skipped says
nothing about PostgreSQL. On a developer's machine skips stay skips (and ``-ra`` lists them);
on CI each one must either run or be allowed below, with its reason. The run then ends with a
section naming every refused skip and why it was skipped, and exit status 1.

Loaded by tests/conftest.py (``pytest_plugins``); it does nothing unless ``CI`` is set to
something other than ``0``/``false``/``no``.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Mapping
from dataclasses import dataclass

import pytest

CI_ENV = "CI"


@dataclass(frozen=True)
class AllowedSkip:
    """A skip of the tests under ``nodeid_prefix`` whose reason contains ``reason_part``."""

    nodeid_prefix: str
    reason_part: str

    def covers(self, nodeid: str, reason: str) -> bool:
        return nodeid.startswith(self.nodeid_prefix) and self.reason_part in reason


# Skips that leave a CI run green. Keep this list short; each entry says why it is harmless.
ALLOWED_SKIPS: tuple[AllowedSkip, ...] = (
    # The package test builds a .deb and installs it into a fresh Debian root (minutes, root).
    # scripts/test.sh documents REDSTATION_PACKAGING_TESTS=0 as the way to leave it out on
    # purpose; left unset as non-root it still fails CI (its reason differs).
    AllowedSkip("tests/packaging/test_deb.py::", "REDSTATION_PACKAGING_TESTS=0"),
)


def ci_requested(environ: Mapping[str, str]) -> bool:
    return environ.get(CI_ENV, "").strip().lower() not in ("", "0", "false", "no")


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The text given to ``pytest.skip``/``skipif`` (pytest keeps it in ``longrepr``)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


class CiSkipPolicy:
    """Collects the refused skips of one session and fails the session over them."""

    def __init__(self, allowed: tuple[AllowedSkip, ...] = ALLOWED_SKIPS) -> None:
        self.allowed = allowed
        self.refused: list[tuple[str, str]] = []  # (node id, reason)

    def _note(self, report: pytest.TestReport | pytest.CollectReport) -> None:
        if not report.skipped or hasattr(report, "wasxfail"):
            return
        reason = skip_reason(report)
        if not any(a.covers(report.nodeid, reason) for a in self.allowed):
            self.refused.append((report.nodeid, reason))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._note(report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        self._note(report)  # a module skipped as a whole (allow_module_level=True)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.refused and session.exitstatus in (pytest.ExitCode.OK,
                                                   pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(
            self, terminalreporter: pytest.TerminalReporter) -> Generator[None]:
        """After pytest's own short summary, so this is what the reader sees last."""
        try:
            return (yield)
        finally:
            if self.refused:
                self._report(terminalreporter)

    def _report(self, tr: pytest.TerminalReporter) -> None:
        by_reason: dict[str, list[str]] = {}
        for nodeid, reason in self.refused:
            by_reason.setdefault(reason, []).append(nodeid)
        tr.write_sep("=", f"{len(self.refused)} skipped under {CI_ENV}=true: the run fails",
                     red=True, bold=True)
        tr.write_line("A skip on CI means untested code. Make these tests run, or allow the "
                      "skip in tests/helpers/skip_policy.py (ALLOWED_SKIPS) with a comment.")
        for reason, nodeids in by_reason.items():
            tr.write_line("")
            count = f"{len(nodeids)} test" + ("s" if len(nodeids) > 1 else "")
            tr.write_line(f"{reason} ({count})", red=True, bold=True)
            for nodeid in nodeids:
                tr.write_line(f"    {nodeid}")


def pytest_configure(config: pytest.Config) -> None:
    if ci_requested(os.environ):
        config.pluginmanager.register(CiSkipPolicy(), "ci-skip-policy")
