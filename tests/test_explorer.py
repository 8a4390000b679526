"""The HTML explorer in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium).

Opens the file via file:// (nothing is served), waits for vis-network to lay the
graph out, checks that nodes render, clicks a paragraph node and an actor and
checks that the side panel shows the source text read from the store, then saves
a screenshot under tmp_path.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

import ctkg
from ctkg.export import export

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                       reason="needs Chromium and chromedriver (Debian packages chromium and chromium-driver)"),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="needs the selenium package")


@pytest.fixture(scope="module")
def store():
    return ctkg.build(corpus="demo", store="memory:").store_handle


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(browser, path: Path) -> None:
    browser.get(path.as_uri())
    deadline = time.monotonic() + 30
    while not browser.execute_script("return !!(window.ctkgExplorer && window.ctkgExplorer.ready)"):
        assert time.monotonic() < deadline, "the explorer did not finish its layout in 30 s"
        time.sleep(0.1)


def _click_node(browser, node_id: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    x, y = browser.execute_script(
        "const n = window.ctkgExplorer.network; const p = n.getPositions([arguments[0]])[arguments[0]];"
        "const d = n.canvasToDOM(p); return [d.x, d.y];", node_id)
    canvas = browser.find_element(By.CSS_SELECTOR, "#network canvas")
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)).click().perform()


def _panel(browser) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.ID, "panel").text)


def test_explorer_renders_and_shows_source_text(store, browser, tmp_path: Path) -> None:
    para = "https://w3id.org/ctkg/id/res/1373-2001/para_6"
    text = next(iter(store.query(f"SELECT ?t WHERE {{ <{para}> <https://w3id.org/ctkg/ontology#text> ?t }}")))[0].value
    export(store, "html", tmp_path / "obligations.html", view="obligations", resolution="S/RES/1373 (2001)")
    _open(browser, tmp_path / "obligations.html")
    assert browser.execute_script("return window.ctkgExplorer.network.body.data.nodes.length") > 10
    drawn = browser.execute_script("return Object.keys(window.ctkgExplorer.network.getPositions()).length")
    assert drawn == browser.execute_script("return window.ctkgExplorer.data.nodes.length")
    assert "Click a node" in _panel(browser)

    _click_node(browser, para)
    panel = _panel(browser)
    assert "¶6" in panel and text[:80] in panel

    shot = tmp_path / "explorer.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_explorer_filters_search_and_actor_panel(store, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    export(store, "html", tmp_path / "actors.html", view="actor-network")
    _open(browser, tmp_path / "actors.html")
    everything = browser.execute_script("return window.ctkgExplorer.network.body.data.nodes.length")
    Select(browser.find_element(By.ID, "f-resolution")).select_by_value("S/RES/748 (1992)")
    _open_after_change = time.monotonic() + 30
    while not browser.execute_script("return window.ctkgExplorer.ready"):
        assert time.monotonic() < _open_after_change
        time.sleep(0.1)
    filtered = browser.execute_script("return window.ctkgExplorer.network.body.data.nodes.length")
    assert 0 < filtered < everything

    ctc = "https://w3id.org/ctkg/id/actor/COMMITTEE_748"
    _click_node(browser, ctc)
    panel = _panel(browser)
    assert "Security Council Committee established by resolution 748" in panel
    assert "Source paragraphs" in panel and "S/RES/748 (1992)" in panel

    search = browser.find_element(By.ID, "search")
    search.send_keys("Libya")
    assert "1 node(s) match" in browser.find_element(By.ID, "status").text
