"""Curation end to end in a real headless Chromium (Debian's, driven by playwright) against the real
app (`streamlit run app.py`) on a database of its own: an editor signs in, uploads a document,
accepts two candidates (editing one), merges a duplicate, sees the history and undoes the run; a
viewer cannot reach any of it. Every request to the internet is refused."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from accounts.config import add_user
from graph.schema import EntityRecord, SourceRef
from ingest.load import load_records
from tests.accounts_support import PASSWORDS
from ui.screenshots import CHROMIUM, launch_browser, offline_context, serve_app, wait_for_app

# Written for this test (invented organisations, not from any source document).
TEXT = ("Hội Kỹ sư Thủy lợi Miền Trung là thành viên của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam.\n"
        "Năm 2022, Quỹ Rừng Xanh Mê Kông ký thỏa thuận hợp tác với Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam.\n")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not at {CHROMIUM}: run `bash install.sh` (it installs Debian's chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = launch_browser(driver)
        yield chromium
        chromium.close()


@pytest.fixture
def served(fresh_store, tmp_path):
    curated = [SourceRef(document="000_f6208c092d653411.txt", line=3)]
    load_records(fresh_store, [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
                     aliases=["VUSTA", "LHHVN"], sources=curated),
        EntityRecord(id="giz", kinds=["Donor"], name="Tổ chức Hợp tác Quốc tế Đức", aliases=["GIZ"], sources=curated),
        EntityRecord(id="giz-2", kinds=["Donor"], name="GIZ",
                     sources=[SourceRef(document="001_a.txt", line=2, method="pattern")]),
    ], [], command="test", inputs=["test"], quiet=True)
    accounts = tmp_path / "accounts.yaml"
    add_user("editor", PASSWORDS["editor"], "editor", name="Nguyễn Thị Lan", path=accounts)
    add_user("viewer", PASSWORDS["viewer"], "viewer", name="Trần Văn Minh", path=accounts)
    env = {**os.environ, "VUSTA_EMBEDDED_DATABASE": fresh_store.database, "VUSTA_ACCOUNTS_FILE": str(accounts)}
    with serve_app(env=env) as url:
        yield url, fresh_store


def sign_in(page, username: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORDS[username])
    page.get_by_role("button", name="Đăng nhập").click()
    wait_for_app(page)


def open_page(page, name: str) -> None:
    """Click a menu entry (the menu folds pages after the tenth behind "View N more")."""
    more = page.get_by_text(re.compile(r"View \d+ more"))
    if more.count():
        more.first.click()
    page.get_by_role("link", name=name).click()
    wait_for_app(page)


def card(page, text: str, prefix: str = "review-card-"):
    """The bordered container (keyed ``prefix<n>``) whose bold title starts with ``text``."""
    title = page.locator("strong").filter(has_text=re.compile("^" + re.escape(text)))
    return page.locator(f'[class*="st-key-{prefix}"]').filter(has=title).first


def test_editor_reviews_a_document_merges_a_duplicate_and_undoes_in_a_real_browser(served, browser, tmp_path):
    url, store = served
    document = tmp_path / "ban-tin.txt"
    document.write_text(TEXT, encoding="utf-8")
    context = offline_context(browser, url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/review")
    wait_for_app(page)
    sign_in(page, "editor")
    page.get_by_text("Tải tệp lên").click()
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(document))
    page.get_by_text("ban-tin.txt").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Trích xuất").click()
    page.get_by_text("Thực thể đề xuất").wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("mark").filter(has_text="Hội Kỹ sư Thủy lợi Miền Trung").count() >= 1  # highlighted

    card(page, "Hội Kỹ sư Thủy lợi Miền Trung").get_by_text("Chấp nhận", exact=True).click()
    wait_for_app(page)
    quy = card(page, "Quỹ Rừng Xanh Mê Kông")
    quy.get_by_text("Chấp nhận", exact=True).click()
    wait_for_app(page)
    quy = card(page, "Quỹ Rừng Xanh Mê Kông")
    quy.get_by_text("Sửa tên, loại, tên khác").click()
    name = quy.get_by_label("Tên", exact=True)
    name.fill("Quỹ Rừng Xanh Mekong")
    name.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Ghi các dòng đã chấp nhận").click()
    page.get_by_text(re.compile("Đã ghi")).wait_for(timeout=60_000)
    assert store.read("existing_entities", ids=["quy-rung-xanh-mekong"])
    names = {row["name"] for row in store.read("dedupe_entities")}
    assert "Hội Kỹ sư Thủy lợi Miền Trung" in names  # the other accepted candidate

    open_page(page, "Trùng lặp")
    page.get_by_text("Sau khi gộp").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Gộp", exact=True).first.click()
    page.get_by_text(re.compile("Đã gộp")).wait_for(timeout=60_000)
    assert store.read("existing_entities", ids=["giz-2"]) == []

    open_page(page, "Lịch sử")
    review_run = page.locator('[class*="st-key-history-run-"]').filter(has_text="app: review document").first
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)
    review_run.get_by_text(re.compile("Nguyễn Thị Lan")).first.wait_for(timeout=15_000)
    review_run.get_by_role("button", name=re.compile("^Hoàn tác")).click()
    page.get_by_text(re.compile("Đã hoàn tác")).wait_for(timeout=60_000)
    assert store.read("existing_entities", ids=["quy-rung-xanh-mekong"]) == []
    assert store.read("existing_entities", ids=["giz-2"]) == []  # the merge is another run: still merged

    assert context.blocked == [], f"the app tried to reach the internet: {context.blocked}"
    assert errors == []
    context.close()


def test_a_viewer_cannot_reach_the_curation_pages_in_a_real_browser(served, browser):
    url, _ = served
    context = offline_context(browser, url)
    page = context.new_page()
    page.goto(f"{url}/edit")
    wait_for_app(page)
    sign_in(page, "viewer")
    page.get_by_text(re.compile("không có quyền")).wait_for(timeout=30_000)
    for link in ("Duyệt tài liệu", "Trùng lặp", "Lịch sử", "Quản trị"):
        open_page(page, link)
        assert page.get_by_text(re.compile("không có quyền")).first.is_visible(), link
        assert page.get_by_role("button", name=re.compile("Ghi|Gộp|Hoàn tác|Lưu|Trích xuất")).count() == 0
    context.close()
