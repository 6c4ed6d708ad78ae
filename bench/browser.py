"""Page times in a real browser: the app (``streamlit run app.py``) on the benchmark's store,
every page opened by headless Chromium (Debian's ``/usr/bin/chromium`` through playwright, the
launch flags of :mod:`ui.screenshots`; every address outside this machine fails, and a page that
asks for one is reported).

Each visit is a new Streamlit session, timed from the navigation to the page's main content: the
page's own marker (its title, the drawn relationship map, the partner finder's result table, ...)
is visible and Streamlit has finished running the script. Three kinds of visit:

- *cold*: the first visit of each page on a freshly started app, in a new browser (nothing
  cached; the app's caches of the graph are built by whichever page comes first: the overview);
- *warm*: a new tab in a browser that has opened the app before, as a person who comes back
  (Streamlit's script files come from the browser's cache; the app's caches are built);
- *new browser*: a warm app, opened by a browser that has never opened it (nothing cached).

The runs up to the evening of 7 December 2026 (run 10) timed every visit in a new browser whose
requests were intercepted one by one (which also switched the browser's cache off): their "warm"
figures are closest to the *new browser* ones, plus about 0.25 s of interception.

After every page was visited, the app process's peak and current memory (``VmHWM``/``VmRSS``)
is read from ``/proc``.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

RUNNING = """() => !document.querySelector('[data-testid="stStatusWidget"] button')
                 && !document.querySelector('[data-testid="stSpinner"]')
                 && !document.querySelector('[data-stale="true"]')"""
MAP_DRAWN = """() => [...document.querySelectorAll('iframe')].some(f => {
    try { return !!f.contentDocument.querySelector('body[data-drawn=yes] #network canvas'); }
    catch (e) { return false; } })"""


@dataclass
class Visit:
    name: str
    path: str
    marker: str  # a CSS selector in the main block, or "map" (a drawn relationship map)
    action: Callable[[Any], None] | None = None  # what a person does on the page before the content
    after: str | None = None  # the marker of the content the action produces


def _partner_idea(text: str) -> Callable[[Any], None]:
    def act(page: Any) -> None:
        box = page.locator('[data-testid="stMain"] textarea').first
        box.fill(text)
        page.locator('[data-testid="stMain"] [data-testid="stFormSubmitButton"] button').first.click()
    return act


def _search(text: str) -> Callable[[Any], None]:
    def act(page: Any) -> None:
        box = page.locator('[data-testid="stMain"] input[type="text"]').first
        box.fill(text)
        box.press("Enter")
    return act


def visits(donor_id: str, ideas: list[str]) -> list[Visit]:
    heading = '[data-testid="stMain"] h1'
    out = [
        Visit("overview", "/", '[data-testid="stMain"] .vega-embed'),
        Visit("search", "/search", heading, _search("hoi luat gia"), '[data-testid="stMain"] button[kind="secondary"]'),
        Visit("profile_vusta", "/profile?id=vusta", heading),
        Visit("profile_large_donor", f"/profile?id={donor_id}", heading),
        Visit("map_vusta", "/map?ids=vusta", "map"),
        Visit("paths", "/paths?a=hoi-luat-gia&b=giz", heading),
        Visit("sources", "/sources", heading),
        Visit("diaspora", "/diaspora", heading),
        Visit("admin", "/admin", heading),
    ]
    for number, idea in enumerate(ideas[:3], start=1):
        out.append(Visit(f"partners_idea_{number}", "/partners", heading, _partner_idea(idea),
                         '[data-testid="stMain"] [data-testid="stDataFrame"]'))
    return out


def proc_memory_mb(pid: int) -> dict[str, float | None]:
    """Peak (``VmHWM``) and current (``VmRSS``) resident memory of a process, in MB."""
    out: dict[str, float | None] = {"peak_mb": None, "current_mb": None}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                out["peak_mb"] = round(int(line.split()[1]) / 1024, 1)
            elif line.startswith("VmRSS:"):
                out["current_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def _wait(page: Any, marker: str, timeout_ms: float) -> None:
    if marker == "map":
        page.wait_for_function(MAP_DRAWN, timeout=timeout_ms, polling="raf")
    else:
        page.locator(marker).first.wait_for(state="visible", timeout=timeout_ms)
    page.wait_for_function(RUNNING, timeout=timeout_ms, polling="raf")


METHOD = ("cold: first visit of each page on a freshly started app, in a new browser; warm: new tabs in a "
          "browser that opened the app before; new browser: a warm app in a browser that never opened it")
FLOOR_PAGE = Path(__file__).resolve().parent / "floor_page.py"


def _visit_once(context: Any, url: str, visit: Visit, timeout_s: float) -> float:
    """One visit in a new tab of ``context`` (a new Streamlit session): seconds to the page's main
    content."""
    page = context.new_page()
    try:
        began = time.perf_counter()
        page.goto(url + visit.path, wait_until="commit", timeout=timeout_s * 1000)
        _wait(page, visit.marker, timeout_s * 1000)
        if visit.action is not None:
            visit.action(page)
            page.wait_for_timeout(50)  # the rerun starts
            _wait(page, visit.after or visit.marker, timeout_s * 1000)
        return time.perf_counter() - began
    finally:
        page.close()


def _in_new_browser(browser: Any, url: str, visit: Visit, timeout_s: float) -> tuple[float, list[str]]:
    """One visit in a browser context of its own (nothing cached): seconds, and the addresses
    outside the app the page asked for."""
    from ui.screenshots import watched_context

    context = watched_context(browser, url, language="vi")
    try:
        return _visit_once(context, url, visit, timeout_s), list(context.blocked)
    finally:
        context.close()


def _in_tab(context: Any, url: str, visit: Visit, timeout_s: float) -> tuple[float, list[str]]:
    """One visit in a new tab of a browser context that is kept: seconds, and the addresses outside
    the app this visit asked for."""
    before = len(context.blocked)
    seconds = _visit_once(context, url, visit, timeout_s)
    return seconds, list(context.blocked[before:])


def _summary(cold: float, warm: list[float], new_browser: float | None) -> dict[str, Any]:
    """One page's figures: its cold visit, the p50/p95 of its warm visits, its new-browser visit."""
    warm = sorted(warm) or [cold]
    p95_index = max(0, min(len(warm) - 1, int(round(0.95 * (len(warm) - 1)))))
    out: dict[str, Any] = {"cold_s": round(cold, 3), "warm_p50_s": round(statistics.median(warm), 3),
                           "warm_p95_s": round(warm[p95_index], 3), "n": 1 + len(warm) + (new_browser is not None)}
    if new_browser is not None:
        out["new_browser_s"] = round(new_browser, 3)
    return out


class _Samples:
    """The visits' times of every page, and the first error of each (a page that does not show its
    content, or asks for an address outside this machine, is not visited again)."""

    def __init__(self, plan: list[Visit], progress: Callable[[str], None]):
        self.plan, self.progress = plan, progress
        self.cold: dict[str, float] = {}
        self.warm: dict[str, list[float]] = {v.name: [] for v in plan}
        self.new_browser: dict[str, float] = {}
        self.errors: dict[str, str] = {}

    def run(self, kind: str, visit_once: Callable[[Visit], tuple[float, list[str]]]) -> None:
        for visit in self.plan:
            if visit.name in self.errors:
                continue
            try:
                seconds, blocked = visit_once(visit)
            except Exception as error:  # reported with the page's figures
                self.errors[visit.name] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
                self.progress(f"  {visit.name}: {self.errors[visit.name]}")
                continue
            if kind == "warm":
                self.warm[visit.name].append(seconds)
            elif kind == "cold":
                self.cold[visit.name] = seconds
            else:
                self.new_browser[visit.name] = seconds
            self.progress(f"  {visit.name} ({kind}): {seconds:.2f} s")
            if blocked:
                self.errors[visit.name] = f"asked for addresses outside this machine: {blocked[:3]}"

    def summary(self, name: str) -> dict[str, Any]:
        if name not in self.cold:
            return {"error": self.errors.get(name, "no sample")}
        out = _summary(self.cold[name], self.warm[name], self.new_browser.get(name))
        if name in self.errors:
            out["error"] = self.errors[name]
        return out


def _rounds(browser: Any, url: str, plan: list[Visit], repeats: int, progress: Callable[[str], None],
            timeout_s: float) -> _Samples:
    """Every page: cold in a new browser; ``repeats - 1`` times warm, in new tabs of one browser
    that opened the app's first page once before (untimed); then once in a new browser."""
    from ui.screenshots import watched_context

    samples = _Samples(plan, progress)
    progress("cold: the first visit of each page, each in a new browser")
    samples.run("cold", lambda visit: _in_new_browser(browser, url, visit, timeout_s))
    returning = watched_context(browser, url, language="vi")
    try:
        # this browser has the app open in a tab (kept open: each visit is a new tab beside it)
        first = returning.new_page()
        first.goto(url + plan[0].path, timeout=timeout_s * 1000)
        _wait(first, plan[0].marker, timeout_s * 1000)
        for round_number in range(1, repeats):
            progress(f"warm round {round_number}/{repeats - 1}: new tabs in a browser that opened the app before")
            samples.run("warm", lambda visit: _in_tab(returning, url, visit, timeout_s))
    finally:
        returning.close()
    progress("new browser: each page once more, each in a browser that has not opened the app")
    samples.run("new_browser", lambda visit: _in_new_browser(browser, url, visit, timeout_s))
    return samples


def measure_floor(browser: Any, port: int, repeats: int, timeout_s: float = 60.0) -> dict[str, Any]:
    """The baseline of the same run: the smallest Streamlit page (``bench/floor_page.py``), served
    and visited the same three ways as the app's pages."""
    from ui.screenshots import serve_app

    with serve_app(port, timeout=120, script=FLOOR_PAGE) as url:
        samples = _rounds(browser, url, [Visit("floor", "/", '[data-testid="stMain"] h1')], repeats,
                          lambda _: None, timeout_s)
    floor = samples.summary("floor")
    if "error" in floor:
        raise RuntimeError(f"the smallest Streamlit page did not show its content: {floor['error']}")
    return floor


def measure_pages(env: dict[str, str], port: int, donor_id: str, ideas: list[str], repeats: int = 9,
                  progress: Callable[[str], None] = lambda _: None, timeout_s: float = 120.0) -> dict[str, Any]:
    """Start the app with ``env`` (the store's settings) and visit every page: cold, ``repeats - 1``
    times warm, once in a new browser; then the smallest Streamlit page the same ways as the
    baseline (``floor``), and each page's times over it."""
    from playwright.sync_api import sync_playwright

    from ui.screenshots import CHROMIUM, launch_browser, serve_app

    if not Path(CHROMIUM).is_file():
        return {"skipped": f"Chromium is not at {CHROMIUM} (run `bash install.sh`)"}
    started = time.perf_counter()
    out: dict[str, Any] = {"repeats": repeats, "method": METHOD}
    with sync_playwright() as driver:
        browser = launch_browser(driver, offline=True)
        try:
            with serve_app(port, env=env, timeout=3600) as url:  # the app warms up first (minutes at 1M)
                out["app_start_s"] = round(time.perf_counter() - started, 2)
                plan = visits(donor_id, ideas)
                samples = _rounds(browser, url, plan, repeats, progress, timeout_s)
                out["app_memory"] = proc_memory_mb(url.pid)
            progress("baseline: the smallest Streamlit page, served and visited the same ways")
            floor = out["floor"] = measure_floor(browser, port, repeats)
        finally:
            browser.close()
    out["pages"] = {}
    for visit in plan:
        page = out["pages"][visit.name] = samples.summary(visit.name)
        if "warm_p50_s" in page:
            page["warm_p50_over_floor"] = round(page["warm_p50_s"] / floor["warm_p50_s"], 2)
        if "new_browser_s" in page and floor.get("new_browser_s"):
            page["new_browser_over_floor"] = round(page["new_browser_s"] / floor["new_browser_s"], 2)
    measured = [p for p in out["pages"].values() if "warm_p95_s" in p]
    if measured:
        out["worst_warm_p95_s"] = max(p["warm_p95_s"] for p in measured)
        out["worst_cold_s"] = max(p["cold_s"] for p in measured)
        if all("new_browser_s" in p for p in measured):
            out["worst_new_browser_s"] = max(p["new_browser_s"] for p in measured)
    return out
