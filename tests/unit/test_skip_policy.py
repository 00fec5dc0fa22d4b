"""The suite's CI rule (tests/helpers/skip_policy.py): under CI=true a skip fails the run unless
it is allowed, and the run says which tests were skipped and why. Each case runs a small
pytest session of its own (pytester) with the policy loaded as the suite loads it."""

from __future__ import annotations

import pytest

from tests.helpers.postgres import PG_ENV, SKIP_PREFIX
from tests.helpers.skip_policy import ALLOWED_SKIPS, ci_requested
from tests.packaging.test_deb import NOT_SWITCHED_ON, SWITCHED_OFF

pytest_plugins = ["pytester"]

PG_REASON = f"{SKIP_PREFIX}{PG_ENV} not set — scripts/test.sh starts PostgreSQL as root"
WITHOUT_POSTGRES = f"""
import pytest

def test_on_sqlite():
    pass

@pytest.mark.parametrize("kind", ["a", "b"])
def test_on_postgresql(kind):
    pytest.skip({PG_REASON!r})
"""


def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
        ci: str | None) -> pytest.RunResult:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    return pytester.runpytest("-p", "tests.helpers.skip_policy", "-p", "no:cacheprovider")


def test_a_skip_fails_a_ci_run_naming_each_test_and_the_reason(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_backend=WITHOUT_POSTGRES)
    result = run(pytester, monkeypatch, "true")
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*= 2 skipped under CI=true: the run fails =*",
        "*ALLOWED_SKIPS*",
        f"{PG_REASON} (2 tests)",
        "    test_backend.py::test_on_postgresql[[]a[]]",
        "    test_backend.py::test_on_postgresql[[]b[]]",
    ])


def test_without_ci_a_skip_is_only_reported(pytester: pytest.Pytester,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_backend=WITHOUT_POSTGRES)
    for ci in (None, "", "false", "0"):
        result = run(pytester, monkeypatch, ci)
        result.assert_outcomes(passed=1, skipped=2)
        assert result.ret == pytest.ExitCode.OK, ci
        result.stdout.no_fnmatch_line("*skipped under CI=true*")


def test_a_module_skipped_as_a_whole_fails_a_ci_run(pytester: pytest.Pytester,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_windows="""
        import pytest
        pytest.skip("Windows only", allow_module_level=True)
    """)
    result = run(pytester, monkeypatch, "1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["Windows only (1 test)", "    test_windows.py"])


def test_the_allowed_package_test_skip_keeps_a_ci_run_green(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry on the allow-list, under the path and reason the real test_deb.py uses."""
    deb = pytester.path / "tests" / "packaging" / "test_deb.py"
    deb.parent.mkdir(parents=True)
    deb.write_text(f"import pytest\n\n"
                   f"pytestmark = pytest.mark.skipif(True, reason={SWITCHED_OFF!r})\n\n"
                   f"def test_install():\n    pass\n", encoding="utf-8")
    pytester.makepyfile(test_unit="def test_unit():\n    pass\n")
    result = run(pytester, monkeypatch, "true")
    result.assert_outcomes(passed=1, skipped=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*skipped under CI=true*")


def test_the_allow_list_is_narrow() -> None:
    """Only the deliberate switch-off of the package test is allowed; not the package test
    left unset, and not the same words in another test."""
    deb = "tests/packaging/test_deb.py::test_install_upgrade_remove_purge_in_a_clean_bookworm_root"
    assert any(a.covers(deb, SWITCHED_OFF) for a in ALLOWED_SKIPS)
    assert not any(a.covers(deb, NOT_SWITCHED_ON) for a in ALLOWED_SKIPS)
    assert not any(a.covers("tests/backend/test_push.py::test_x", SWITCHED_OFF)
                   for a in ALLOWED_SKIPS)
    assert not any(a.covers("tests/backend/test_push.py::test_x[postgresql]", PG_REASON)
                   for a in ALLOWED_SKIPS)
    assert len(ALLOWED_SKIPS) <= 3  # short by design: add to it only with a comment


def test_ci_switch_values() -> None:
    assert ci_requested({"CI": "true"}) and ci_requested({"CI": "1"})
    assert ci_requested({"CI": "True"}) and ci_requested({"CI": "yes"})
    assert not any(ci_requested(env) for env in ({}, {"CI": ""}, {"CI": "false"},
                                                 {"CI": "0"}, {"CI": "no"}))
