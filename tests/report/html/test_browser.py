"""The sample's report in headless Chromium: it loads without console errors, the topology,
the wave calendar and the cost chart are visible, the decisions filter works, the core
content is there without JavaScript, and the page prints.

Runs in CI (``scripts/install-browser.sh`` installs Debian's chromium and chromium-driver);
elsewhere it is skipped, saying why, when they are missing.  Set ``GOVCLOUD_SCREENSHOT`` to a
path to keep the screenshot (the README's is made that way).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
#: what Chromium needs on a machine with no display and a closed network
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--window-size=1280,2400",
)


def _require_browser() -> None:
    if Path(CHROMIUM).exists() and Path(DRIVER).exists():
        return
    message = "Chromium or chromedriver missing: run scripts/install-browser.sh"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs them; a browser test that skips there proves nothing
    pytest.skip(message)


def _browser(tmp_path: Path, javascript: bool) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / ('profile-js' if javascript else 'profile-nojs')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


@pytest.fixture(scope="module")
def page(sample_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """One browser for the tests that read the page with its script running."""
    _require_browser()
    driver = _browser(tmp_path_factory.mktemp("chromium"), javascript=True)
    try:
        driver.get((sample_out / "report.html").as_uri())
        yield driver
    finally:
        driver.quit()


def _visible(driver: webdriver.Chrome, selector: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, selector)
    assert element.is_displayed(), selector
    assert element.size["width"] > 300, (selector, element.size)
    assert element.size["height"] > 100, (selector, element.size)


def test_loads_without_errors_and_shows_the_charts(page: webdriver.Chrome, tmp_path: Path) -> None:
    assert page.title.startswith("海岳省")
    errors = [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    for selector in ("#topology-before svg", "#topology-after svg", "#wave-calendar svg", "#cost-chart svg"):
        _visible(page, selector)
    cards = page.find_elements(By.CSS_SELECTOR, "#glance .card")
    assert len(cards) == 7
    assert all(card.is_displayed() for card in cards)
    shot = tmp_path / "report.png"
    assert page.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # a page with content, not a blank one
    if os.environ.get("GOVCLOUD_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["GOVCLOUD_SCREENSHOT"])


def test_decisions_can_be_filtered(page: webdriver.Chrome, sample_out: Path) -> None:
    decisions = json.loads((sample_out / "plan.json").read_text(encoding="utf-8"))["decisions"]
    rows = page.find_elements(By.CSS_SELECTOR, "#decision-table tbody tr")
    assert len(rows) == len(decisions)
    assert page.find_element(By.ID, "decision-filter").is_displayed()
    Select(page.find_element(By.ID, "decision-action")).select_by_value("retain")
    shown = [row for row in rows if row.is_displayed()]
    assert len(shown) == sum(1 for d in decisions if d["action"] == "retain")
    assert {row.get_attribute("data-action") for row in shown} == {"retain"}
    Select(page.find_element(By.ID, "decision-action")).select_by_value("")
    search = page.find_element(By.ID, "decision-search")
    search.send_keys(decisions[0]["system"])
    shown = [row for row in rows if row.is_displayed()]
    assert decisions[0]["system"] in shown[0].text
    assert len(shown) < len(rows)
    assert page.find_element(By.ID, "decision-count").text.endswith(f"/ {len(rows)}")


def test_core_content_without_javascript(sample_out: Path, tmp_path: Path) -> None:
    _require_browser()
    driver = _browser(tmp_path, javascript=False)
    try:
        driver.get((sample_out / "report.html").as_uri())
        rows = driver.find_elements(By.CSS_SELECTOR, "#decision-table tbody tr")
        assert rows
        assert all(row.is_displayed() for row in rows)
        assert driver.find_element(By.ID, "decision-count").text == ""  # the script did not run
        assert not driver.find_element(By.ID, "decision-filter").is_displayed()  # no dead controls
        for selector in ("#topology-before svg", "#wave-calendar svg", "#cost-chart svg"):
            _visible(driver, selector)
    finally:
        driver.quit()


def test_prints(page: webdriver.Chrome) -> None:
    pdf = base64.b64decode(page.print_page())
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") > 5  # every section starts a page
