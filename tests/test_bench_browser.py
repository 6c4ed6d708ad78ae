"""The benchmark's page times in a real headless Chromium (bench/browser.py), on small Streamlit
pages: every kind of visit is timed, and a page that asks for an address outside this machine is
reported (the request fails: the benchmark's browser reaches nothing outside). No time is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.browser import Visit, _in_tab, _rounds, measure_floor
from graph.ports import free_port
from ui.screenshots import CHROMIUM, launch_browser, serve_app, watched_context

TITLE = '[data-testid="stMain"] h1'
REACHING_OUT = '''import streamlit as st

st.title("Trang thử")
st.markdown('<img src="https://example.org/vusta.png" alt="x">', unsafe_allow_html=True)
'''


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `bash install.sh` (it installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = launch_browser(driver, offline=True)
        yield chromium
        chromium.close()


def test_the_floor_page_is_timed_cold_warm_and_in_a_new_browser(browser):
    floor = measure_floor(browser, free_port(), repeats=3)
    assert floor["n"] == 4  # one cold, two warm, one in a new browser
    assert 0 < floor["warm_p50_s"] <= floor["warm_p95_s"]
    assert floor["cold_s"] > 0 and floor["new_browser_s"] > 0
    assert "error" not in floor


def test_a_page_that_asks_for_an_outside_address_is_reported_and_reaches_nothing(browser, tmp_path):
    script = tmp_path / "reaching_out.py"
    script.write_text(REACHING_OUT, encoding="utf-8")
    failed: list[str] = []
    with serve_app(free_port(), timeout=120, script=script) as url:
        samples = _rounds(browser, url, [Visit("reaching_out", "/", TITLE)], 2, lambda _: None, 60.0)
        # in a browser that is kept, a visit is charged only with what it asked for itself
        kept = watched_context(browser, url)
        kept.blocked.append("https://example.org/asked-for-by-an-earlier-visit")
        asked = _in_tab(kept, url, Visit("reaching_out", "/", TITLE), 60.0)[1]
        kept.close()
        assert "https://example.org/vusta.png" in asked
        assert "https://example.org/asked-for-by-an-earlier-visit" not in asked
        page = browser.new_page()
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(url + "/")
        page.locator(TITLE).first.wait_for()
        page.wait_for_timeout(500)
        page.close()
    figures = samples.summary("reaching_out")
    assert "cold_s" in figures  # the content showed, and was timed
    assert "outside this machine" in figures["error"] and "example.org" in figures["error"]
    assert not samples.warm["reaching_out"]  # a page reported once is not visited again
    assert "https://example.org/vusta.png" in failed  # the offline browser refused it
