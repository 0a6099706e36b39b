"""The exported HTML page in a real headless Chromium: search, filters, anchors, escaping, a phone screen.

Needs the system's `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`)
and the `selenium` package. Without them these tests are skipped on a developer machine and fail
in CI (CI=true), where they are installed. Selenium Manager is never used: nothing is downloaded.
Set BPOTERMS_SCREENSHOT_DIR to keep the screenshot (docs/img/export-html.png is made that way).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bpoterms import load

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCRIPT = "<script>alert(1)</script>"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def browser_or_skip() -> None:
    """Skip without a browser on a developer machine; in CI a missing browser is a failure."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if importlib.util.find_spec("selenium") is None:
        missing.append("the selenium package")
    if missing:
        reason = "browser tests need " + ", ".join(missing)
        if in_ci():
            pytest.fail(reason + " (CI=true: they must be installed)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1200,900",
        "--force-device-scale-factor=1",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(30)
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The real glossary exported by the real CLI, as a file:// URL. Exported once for the module
    (every test opens it afresh), from empty config and cache folders of its own: the per-test
    isolation fixture is not set up yet at module scope."""
    from typer.testing import CliRunner

    from bpoterms.cli import app

    folder = tmp_path_factory.mktemp("page")
    out = folder / "glossary.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        patch.setenv("BPOTERMS_CACHE_DIR", str(folder / "cache"))
        patch.delenv("BPOTERMS_GLOSSARY", raising=False)
        result = CliRunner().invoke(app, ["export", "--format", "html", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out.as_uri()


def open_page(driver: Any, url: str, width: int = 1200, height: int = 900) -> None:
    driver.set_window_size(width, height)
    driver.get("about:blank")  # a fresh load even when only the #fragment differs
    driver.get(url)
    driver.get_log("browser")  # start each test with an empty console log


def shown(driver: Any, element_id: str) -> bool:
    return driver.find_element("id", element_id).is_displayed()


def type_search(driver: Any, text: str) -> None:
    box = driver.find_element("id", "bt-search")
    box.clear()
    box.send_keys(text)


def in_view_below_the_search_bar(driver: Any, element_id: str) -> bool:
    """The element's top is on screen and not hidden under the sticky search bar."""
    return driver.execute_script(
        "var r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "var bar = document.getElementById('bt-controls').getBoundingClientRect();"
        "return r.top >= bar.bottom - 1 && r.top < window.innerHeight;",
        element_id,
    )


def severe_console_messages(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_typing_aht_shows_average_handle_time_and_hides_unrelated_entries(driver, page):
    open_page(driver, page)
    type_search(driver, "aht")
    assert shown(driver, "aht")
    assert not shown(driver, "absenteeism")
    total = len(load().entries)
    shown_count, rest = driver.find_element("id", "bt-status").text.split(" ", 1)
    assert rest == f"of {total} entries shown" and 1 <= int(shown_count) <= 10


def test_search_ignores_case_and_matches_aliases_and_definitions(driver, page):
    open_page(driver, page)
    type_search(driver, "HANDLING time")  # an alias of AHT
    assert shown(driver, "aht")
    type_search(driver, "payroll")  # only in definitions
    visible = driver.execute_script(
        "return Array.from(document.querySelectorAll('.bt-entry')).filter(e => !e.hidden).map(e => e.id);"
    )
    assert visible and all("payroll" in driver.find_element("id", i).text.lower() for i in visible)


def test_clicking_a_category_filter_shows_only_that_category(driver, page):
    open_page(driver, page)
    driver.find_element("css selector", "label[for='bt-cat-workforce']").click()
    categories = driver.execute_script(
        "return Array.from(document.querySelectorAll('.bt-entry')).filter(e => !e.hidden).map(e => e.dataset.category);"
    )
    workforce = sum(1 for e in load().entries if e.category == "workforce")
    assert len(categories) == workforce and set(categories) == {"workforce"}
    assert shown(driver, "absenteeism") and not shown(driver, "aht")
    assert not shown(driver, "category-metrics")  # an emptied section hides its heading too


def test_following_a_see_also_link_to_a_filtered_out_entry_shows_and_targets_it(driver, page):
    open_page(driver, page)
    driver.find_element("css selector", "label[for='bt-cat-workforce']").click()
    link = driver.find_element("css selector", "#wfm a[href='#aht']")  # Workforce Management → AHT
    link.click()
    assert driver.execute_script("return location.hash") == "#aht"
    assert driver.execute_script("return document.querySelector(':target').id") == "aht"
    assert shown(driver, "aht")
    assert in_view_below_the_search_bar(driver, "aht")


def test_opening_the_page_at_an_entry_anchor_scrolls_to_that_entry(driver, page):
    open_page(driver, page + "#fcr")
    assert driver.execute_script("return document.querySelector(':target').id") == "fcr"
    assert driver.execute_script("return window.scrollY") > 0
    assert in_view_below_the_search_bar(driver, "fcr")


def test_keyboard_slash_focuses_the_search_and_escape_clears_it(driver, page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(driver, page)
    ActionChains(driver).send_keys("/").perform()
    assert driver.switch_to.active_element.get_attribute("id") == "bt-search"
    ActionChains(driver).send_keys("nps").perform()
    assert not shown(driver, "aht")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert driver.find_element("id", "bt-search").get_attribute("value") == ""
    assert shown(driver, "aht")


def test_category_filters_work_from_the_keyboard(driver, page):
    from selenium.webdriver.common.keys import Keys

    open_page(driver, page)
    all_radio = driver.find_element("id", "bt-cat-all")
    driver.execute_script("arguments[0].focus()", all_radio)
    all_radio.send_keys(Keys.ARROW_RIGHT)  # radio groups move with the arrow keys
    first = driver.execute_script("return document.querySelector('input[name=bt-category]:checked').value")
    assert first == "outsourcing-models"
    assert shown(driver, "bpo") and not shown(driver, "aht")


def test_the_page_makes_no_network_requests_and_logs_no_errors(driver, page):
    open_page(driver, page)
    type_search(driver, "queue")
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert severe_console_messages(driver) == []


def test_the_page_fits_a_phone_screen_without_sideways_scrolling(driver, page):
    open_page(driver, page, width=390, height=844)
    try:
        width = driver.execute_script("return window.innerWidth")
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        font = driver.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('.bt-def p')).fontSize)"
        )
        assert font >= 16
        type_search(driver, "aht")
        assert shown(driver, "aht")
    finally:
        driver.set_window_size(1200, 900)


def test_an_anchor_on_a_phone_lands_below_the_search_bar(driver, page):
    open_page(driver, page + "#aht", width=390, height=844)
    try:
        assert in_view_below_the_search_bar(driver, "aht")
    finally:
        driver.set_window_size(1200, 900)


@pytest.mark.parametrize(("width", "height"), [(1200, 900), (390, 844)])
def test_an_anchor_to_the_last_entry_lands_on_it_though_the_entries_above_were_never_drawn(driver, page, width, height):
    open_page(driver, page)
    last = driver.execute_script("var all = document.querySelectorAll('.bt-entry'); return all[all.length - 1].id")
    open_page(driver, f"{page}#{last}", width=width, height=height)
    try:
        assert driver.execute_script("return document.querySelector(':target').id") == last
        assert in_view_below_the_search_bar(driver, last)
    finally:
        driver.set_window_size(1200, 900)


def test_glossary_markup_is_shown_as_text_and_never_runs(driver, invoke, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    team = tmp_path / "team.yaml"
    team.write_text(
        f'terms:\n  - term: Script Test\n    definition: "Beware {SCRIPT} and <b>bold</b>."\n', encoding="utf-8"
    )
    out = tmp_path / "team.html"
    assert invoke("--glossary", str(team), "export", "--format", "html", "-o", str(out)).exit_code == 0
    open_page(driver, out.as_uri())
    definition = driver.find_element("css selector", "#script-test .bt-def")
    assert definition.text == f"Beware {SCRIPT} and <b>bold</b>."
    assert definition.find_elements("css selector", "script, b") == []
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is what raises


def test_a_screenshot_of_a_search_is_saved(driver, page, tmp_path):
    folder = Path(os.environ.get("BPOTERMS_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    open_page(driver, page, width=1000, height=1000)
    type_search(driver, "handle time")
    target = folder / "export-html.png"
    assert driver.save_screenshot(str(target))
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
