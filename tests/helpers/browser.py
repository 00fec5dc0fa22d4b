"""A real headless browser for pages residents open on a phone: Debian's chromium and its
chromedriver, driven by selenium, on loopback only.

The driver path is given, so selenium never looks for (or downloads) a driver of its own; the
browser starts with a fresh profile in the test's folder, without background networking,
updates, sync or QUIC, and with a phone's screen (390×844 CSS pixels, device pixel ratio 2),
so the page's viewport meta tag is honoured as on a phone. Without chromium the test is
skipped with the reason, which under ``CI=true`` fails the run (tests/helpers/skip_policy.py).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

PHONE_WIDTH, PHONE_HEIGHT = 390, 844
PAGE_LOAD_TIMEOUT = 30  # seconds: a loopback page, with room for a busy CI machine
MISSING = ("Debian's chromium and chromium-driver are not installed "
           "(scripts/setup.sh installs them)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--no-proxy-server", "--no-default-browser-check",
         f"--window-size={PHONE_WIDTH},{PHONE_HEIGHT}")


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) as installed on this machine, or None."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextlib.contextmanager
def phone_browser(profile_dir: Path) -> Iterator[webdriver.Chrome]:
    """A headless chromium with a phone's screen, quit when the block ends (even on failure)."""
    paths = chromium_paths()
    if paths is None:
        pytest.skip(MISSING)
    browser, driver_path = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
        "width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 2.0, "touch": True}})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
        driver.set_script_timeout(PAGE_LOAD_TIMEOUT)
        yield driver
    finally:
        driver.quit()
