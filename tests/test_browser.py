"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by playwright): the
real app (`streamlit run app.py` in a subprocess, on the test store), searched and mapped the way a
person would, with every request to the internet refused."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ui.network_html import render_network
from ui.screenshots import (CHROMIUM, launch_browser, network_frame, offline_context, screenshot_whole_page,
                            serve_app, wait_for_app)

VUSTA_NAME = "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"
PAINTED_PIXELS = """() => {
    const canvas = document.querySelector('#network canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) painted++;
    }
    return {painted, width: canvas.width, height: canvas.height,
            nodes: window.vustaNetwork.body.data.nodes.length};
}"""


@pytest.fixture(scope="module")
def playwright():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `bash install.sh` (it installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright):
    browser = launch_browser(playwright)
    yield browser
    browser.close()


def test_search_then_the_relationship_map_in_a_real_browser(store, browser, tmp_path):
    with serve_app(env=dict(os.environ)) as url:  # the test store's settings, exported by the fixture
        context = offline_context(browser, url)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        wait_for_app(page)
        assert page.get_by_role("heading", name="Tổng quan mạng lưới đối tác VUSTA").is_visible()
        assert page.get_by_text("đang kết nối").is_visible()  # the status line

        page.get_by_role("link", name="Tìm kiếm").click()
        wait_for_app(page)
        box = page.get_by_label(re.compile("Tìm theo tên"))
        box.fill("lien hiep hoi")
        box.press("Enter")
        page.get_by_text(VUSTA_NAME, exact=True).first.wait_for(timeout=60_000)
        wait_for_app(page)
        page.get_by_role("button", name="Xem hồ sơ").first.click()
        page.get_by_role("heading", name=VUSTA_NAME).wait_for(timeout=60_000)
        assert "/profile" in page.url

        page.get_by_role("link", name="Bản đồ quan hệ").click()
        wait_for_app(page)
        frame = network_frame(page)
        drawn = frame.evaluate(PAINTED_PIXELS)
        assert drawn["nodes"] > 5 and drawn["width"] > 300 and drawn["height"] > 300
        assert drawn["painted"] > 2000, drawn  # dots, lines and labels, not an empty canvas
        # drawn with the library the app serves (app/static/), not a copy written into the map
        assert frame.locator('script[src^="app/static/"]').count() == 1
        assert frame.get_by_text("Liên hiệp hội").first.is_visible()  # the legend
        screenshot_whole_page(page, tmp_path / "map.png")
        assert (tmp_path / "map.png").stat().st_size > 20_000

        assert context.blocked == [], f"the app tried to reach the internet: {context.blocked}"
        assert errors == []
        context.close()


def test_a_hostile_name_on_the_map_stays_text_in_a_real_browser(browser):
    hood = {"seeds": ["x"], "omitted": 0, "depth": 1, "unknown": [], "edges": [{"from": "x", "to": "y",
            "type": "FUNDS", "year": 2020}], "nodes": [
        {"id": "x", "name": "<script>alert(1)</script>", "name_en": None, "aliases": ["<img src=x onerror=alert(3)>"],
         "label": "<script>alert(1)</script>", "kinds": ["Donor"], "kind": "Donor", "colour": "#16a34a",
         "importance": 1.0, "distance": 0, "seed": True, "sample": False},
        {"id": "y", "name": "Dự án", "name_en": None, "aliases": [], "label": "Dự án", "kinds": ["Project"],
         "kind": "Project", "colour": "#059669", "importance": 0.2, "distance": 1, "seed": False, "sample": True}]}
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(render_network(hood, "vi", title="<script>alert(2)</script>"))
    page.wait_for_selector("body[data-drawn=yes]", timeout=30_000)
    label = page.evaluate("() => window.vustaNetwork.body.data.nodes.get('x').label")
    assert label.replace("\n", "") == "<script>alert(1)</script>"  # shown as text (on two lines)
    assert page.title() == "<script>alert(2)</script>"
    assert dialogs == [] and page.locator("img").count() == 0
    page.close()


# --- every page, both languages ------------------------------------------------------------------

from graph.schema import NodeKind  # noqa: E402
from ui.pages import PAGES  # noqa: E402

# Raw kind ids a reader must never see (the multi-word ones read as English words in no language).
RAW_KIND_IDS = re.compile(r"\b(" + "|".join(k.value for k in NodeKind if re.search(r"[a-z][A-Z]", k.value)) + r")\b")
# English that leaked into Vietnamese pages before (issue 16): none may come back.
ENGLISH_LEAKS = ["No results", "Select all", "Browse files", "200MB per file", "Drag and drop", "committed",
                 "bilateral agency", "technical cooperation", "international NGO", "Choose an option",
                 "Origin:", "Nothing found", "Entity", "Donor", "Union", "View more", "more"]
# Vietnamese that must not show on English pages.
VIETNAMESE_LEAKS = ["Không tìm thấy", "Chọn…", "đang kết nối", "Hà Lan", "Hoa Kỳ", "Tất cả", "Thực thể"]


def _main_text(page) -> str:
    """What the reader sees: the main block, the sidebar and every map's frame."""
    texts = [page.inner_text('[data-testid="stMain"]'), page.inner_text('[data-testid="stSidebar"]')]
    for frame in page.frames:
        if frame is not page.main_frame:
            try:
                texts.append(frame.inner_text("body"))
            except Exception:  # a frame being replaced
                pass
    return "\n".join(texts)


def _without_proper_names(text: str, store) -> str:
    """The text less the entities' own English names ("Vietnam Union of Science…" is a name, shown on
    purpose on a Vietnamese profile, not a leaked label)."""
    from queries.projection import projection

    for row in sorted(projection(store).entities.values(), key=lambda r: -len(r.name_en or "")):
        if row.name_en and len(row.name_en) > 3:
            text = text.replace(row.name_en, " ")
    return text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_speaks_one_language_without_raw_ids(store, browser, language):
    with serve_app(env=dict(os.environ)) as url:
        context = offline_context(browser, url, language)
        page = context.new_page()
        problems: list[str] = []
        for declared in PAGES:
            page.goto(f"{url}/{declared.url_path}?lang={language}")
            wait_for_app(page)
            page.wait_for_timeout(1500)
            text = _main_text(page)
            title = declared.title_vi if language == "vi" else declared.title_en
            if title not in page.inner_text('[data-testid="stSidebarNav"]'):
                problems.append(f"{declared.url_path}: the menu is not in {language}")
            for raw in sorted(set(RAW_KIND_IDS.findall(text))):
                problems.append(f"{declared.url_path}: raw kind id {raw!r}")
            named = _without_proper_names(text, store)
            for leak in ENGLISH_LEAKS if language == "vi" else VIETNAMESE_LEAKS:
                if re.search(rf"(?<!\w){re.escape(leak)}(?!\w)", named):
                    problems.append(f"{declared.url_path}: {leak!r} on a {language} page")
            if f"lang={language}" not in page.url:
                problems.append(f"{declared.url_path}: the language is not in the address ({page.url})")
        assert problems == [], "\n".join(problems)
        assert context.blocked == []
        context.close()


def test_the_language_survives_a_reload_and_a_page_switch(store, browser):
    with serve_app(env=dict(os.environ)) as url:
        context = offline_context(browser, url)
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        page.get_by_text("English", exact=True).click()
        wait_for_app(page)
        assert "lang=en" in page.url
        page.reload()
        wait_for_app(page)
        page.get_by_role("link", name="Paths").click()  # the menu is still English after the reload
        wait_for_app(page)
        assert page.get_by_role("heading", name="Paths").first.is_visible() and "lang=en" in page.url
        context.close()


@pytest.mark.parametrize("typed, shown", [("hoi luat gia", "Hội Luật Gia"), ("banh my", "Bánh Mỳ cho Thế giới")])
def test_a_picker_finds_an_unaccented_name_in_a_real_browser(store, browser, typed, shown):
    """Paths from VUSTA to GIZ; typing an unaccented name in the 'To' box picks that entity, and a path
    to it is drawn. (The page's own default 'From' is Hội Luật Gia, so the link sets both ends.)"""
    with serve_app(env=dict(os.environ)) as url:
        context = offline_context(browser, url)
        page = context.new_page()
        page.goto(f"{url}/paths?lang=vi&a=vusta&b=giz")
        wait_for_app(page)
        assert shown not in page.inner_text('[data-testid="stMain"]')
        box = page.get_by_label(re.compile("^Đến")).first
        box.fill(typed)
        box.press("Enter")
        wait_for_app(page)
        text = page.inner_text('[data-testid="stMain"]')
        assert "Không tìm thấy" not in text and "No results" not in text
        assert "Hãy chọn hai thực thể khác nhau" not in text, "both ends are the same entity"
        assert shown in text
        assert re.search(r"\d+ đường kết nối", text), text[:600]
        context.close()
