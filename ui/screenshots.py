"""Screenshots of the app's main pages, taken by a real headless Chromium.

    python -m ui.screenshots [--out docs/screenshots] [--language vi|en] [--only PAGE ...] [--suffix=-demo]

starts the app (``streamlit run app.py``) on a free port against the configured store, opens
each page in Debian's Chromium (``/usr/bin/chromium``, driven by Python playwright; no browser
download) with every request to the internet blocked, and saves one PNG per page. The browser
test (tests/test_browser.py) uses the same helpers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from cli.output import emit, fail
from graph.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VUSTA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The benchmark's browser: every address outside this machine goes to a proxy that is not there, so
# it fails without the browser's requests being intercepted one by one (which would also switch
# the browser's cache off); loopback addresses bypass the proxy.
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9"]
VIEWPORT = {"width": 1440, "height": 1000}
# (file name, path and query, what to wait for)
PAGES = [
    ("overview", "/", "vega"),
    ("search", "/search", "search"),
    ("profile", "/profile?id=vusta", "network"),
    ("map", "/map?ids=vusta", "network"),
    ("map-climate", "/map", "climate"),
    ("paths", "/paths?a=hoi-luat-gia&b=giz", "network"),
    ("sources", "/sources", "table"),
    ("diaspora", "/diaspora", "vega"),
]


class AppDidNotStart(RuntimeError):
    pass


class RunningApp(str):
    """The running app's base URL; ``pid`` is its process (the benchmark reads its memory)."""

    pid: int


@contextmanager
def serve_app(port: int | None = None, env: dict[str, str] | None = None,
              timeout: float = 120.0, script: Path | None = None) -> Iterator[RunningApp]:
    """Run the app headless on ``port`` as ``vusta app`` does (:mod:`ui.serve`: ``streamlit run
    app.py``, warmed up), or ``streamlit run SCRIPT`` with the same options; yields its base URL
    once it answers; stops it afterwards."""
    port = port or free_port()
    log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # its end is quoted if the app fails
    serve = ["streamlit", "run", str(script)] if script is not None else ["ui.serve"]
    command = [sys.executable, "-m", *serve, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = RunningApp(f"http://127.0.0.1:{port}")
    url.pid = process.pid
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise AppDidNotStart(f"the app (`python -m ui.serve`) exited with code {process.returncode}: "
                                     f"{log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AppDidNotStart(f"the app did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def launch_browser(playwright, offline: bool = False):
    """Debian's Chromium, headless (never ``playwright install``); ``offline``: every address outside
    this machine fails (``OFFLINE_ARGS``), for :func:`watched_context`."""
    return playwright.chromium.launch(executable_path=CHROMIUM,
                                      args=CHROMIUM_ARGS + (OFFLINE_ARGS if offline else []))


def _outside(base_url: str):
    """A test of an address: is it outside the app at ``base_url`` (another host or port)?"""
    allowed = urlparse(base_url).netloc

    def outside(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != allowed

    return outside


def offline_context(browser, base_url: str, language: str = "vi"):
    """A browser context that may only talk to the app: every other request is refused, and the
    refused addresses are collected in ``context.blocked``."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN" if language == "vi" else "en-GB")
    outside = _outside(base_url)
    blocked: list[str] = []

    def route(request_route, request) -> None:
        if outside(request.url):
            blocked.append(request.url)
            request_route.abort()
        else:
            request_route.continue_()

    context.route("**/*", route)
    context.blocked = blocked
    return context


def watched_context(browser, base_url: str, language: str = "vi"):
    """A browser context as a person's browser is (its requests are not intercepted, its cache
    works) in which every request to another address than the app's is recorded in
    ``context.blocked``. In a browser from ``launch_browser(..., offline=True)`` those requests fail."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN" if language == "vi" else "en-GB")
    outside = _outside(base_url)
    blocked: list[str] = []
    context.on("request", lambda request: blocked.append(request.url) if outside(request.url) else None)
    context.blocked = blocked
    return context


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Until the page's script has run: the menu is drawn and Streamlit says it is not running."""
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] button')
                 && !document.querySelector('[data-testid="stSpinner"]')""", timeout=timeout)
    page.wait_for_timeout(600)


def network_frame(page, timeout: float = 60_000):
    """The frame of the first relationship map on the page, once vis-network has drawn it."""
    page.wait_for_selector("iframe", timeout=timeout)
    for _ in range(int(timeout / 250)):
        for frame in page.frames:
            if frame is page.main_frame:
                continue
            try:
                if frame.query_selector("#network canvas") and frame.query_selector("body[data-drawn=yes]"):
                    return frame
            except Exception:  # a frame being replaced while we look
                pass
        page.wait_for_timeout(250)
    raise TimeoutError("no relationship map was drawn")


def screenshot_whole_page(page, target: Path, max_height: int = 4000) -> None:
    """The whole page, not only the window: Streamlit scrolls inside its main block, so the window is
    made as tall as that block's content for the picture, then put back."""
    height = page.evaluate("""() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], '
        + '[data-testid="stAppViewContainer"], section.main, body')].map(e => e.scrollHeight))""")
    tall = min(max(int(height), VIEWPORT["height"]), max_height)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
    page.wait_for_timeout(700)
    page.screenshot(path=str(target))
    page.set_viewport_size(VIEWPORT)


def choose_language(page, language: str) -> None:
    if language == "en":
        page.get_by_text("English", exact=True).click()
        wait_for_app(page)


def capture(base_url: str, out_dir: Path, language: str = "vi", browser=None, only: list[str] | None = None,
            suffix: str = "") -> list[Path]:
    """Screenshots of the main pages (or of the pages named in ``only``) into ``out_dir``; returns the
    files written (``NAME[-en]SUFFIX.png``)."""
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        own = browser is None
        browser = browser or launch_browser(playwright)
        context = offline_context(browser, base_url, language)
        page = context.new_page()
        page.goto(base_url)
        wait_for_app(page)
        choose_language(page, language)
        for name, path, wait in PAGES:
            if only and name not in only:
                continue
            page.goto(base_url + path + ("&" if "?" in path else "?") + f"lang={language}")  # the language is in the address
            wait_for_app(page)
            if wait == "search":
                box = page.get_by_role("textbox").first
                box.fill("lien hiep hoi")
                box.press("Enter")
                wait_for_app(page)
            elif wait == "climate":
                page.get_by_role("button", name="khí hậu" if language == "vi" else "climate").first.click()
                wait_for_app(page)
                network_frame(page)
            elif wait == "network":
                network_frame(page)
            elif wait == "vega":
                page.wait_for_selector(".vega-embed", timeout=60_000)
                page.wait_for_timeout(800)
            target = out_dir / f"{name}{'' if language == 'vi' else '-en'}{suffix}.png"
            screenshot_whole_page(page, target)
            written.append(target)
        context.close()
        if own:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=["vi", "en"], default="vi")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--only", nargs="+", choices=[name for name, _, _ in PAGES], metavar="PAGE",
                        help="only these pages: " + ", ".join(name for name, _, _ in PAGES))
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. --suffix=-demo on a store with demo data")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    from playwright.sync_api import Error as BrowserError

    try:
        with serve_app(args.port) as url:
            files = capture(url, args.out, args.language, only=args.only, suffix=args.suffix)
    except (AppDidNotStart, TimeoutError, BrowserError) as error:
        message = f"{error}. Is the store running and loaded? Try `python -m graph status` and `python -m ingest`."
        return fail(args.json, message, code=1)
    emit({"screenshots": [str(f) for f in files]}, args.json, "\n".join(str(f) for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
