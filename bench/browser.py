"""Page times in a real browser: the app (``streamlit run app.py``) on the benchmark's store,
every page opened by headless Chromium (Debian's ``/usr/bin/chromium`` through playwright, the
launch flags of :mod:`ui.screenshots`, every request to the internet refused).

Each visit is a fresh browser context (a new Streamlit session) and is timed from the navigation
to the page's main content: the page's own marker (its title, the drawn relationship map, the
partner finder's result table, ...) is visible and Streamlit has finished running the script.
The first visit of each page on a freshly started app is its *cold* time (the app's caches of
the graph are built by whichever page comes first: the overview); the other visits are *warm*.
After every page was visited, the app process's peak and current memory (``VmHWM``/``VmRSS``)
is read from ``/proc``.
"""

from __future__ import annotations

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
        page.wait_for_function(MAP_DRAWN, timeout=timeout_ms, polling=100)
    else:
        page.locator(marker).first.wait_for(state="visible", timeout=timeout_ms)
    page.wait_for_function(RUNNING, timeout=timeout_ms, polling=100)


FLOOR_PAGE = Path(__file__).resolve().parent / "floor_page.py"


def _visit_once(browser: Any, url: str, visit: Visit, timeout_s: float) -> tuple[float, list[str]]:
    """One visit in a fresh browser context (a new Streamlit session): seconds to the page's main
    content, and the addresses it tried to reach outside the app (refused)."""
    from ui.screenshots import offline_context

    context = offline_context(browser, url, language="vi")
    page = context.new_page()
    try:
        began = time.perf_counter()
        page.goto(url + visit.path, wait_until="commit", timeout=timeout_s * 1000)
        _wait(page, visit.marker, timeout_s * 1000)
        if visit.action is not None:
            visit.action(page)
            page.wait_for_timeout(50)  # the rerun starts
            _wait(page, visit.after or visit.marker, timeout_s * 1000)
        return time.perf_counter() - began, list(context.blocked)
    finally:
        context.close()


def _summary(times: list[float]) -> dict[str, Any]:
    """Cold (first visit) and warm (the others) figures of one page."""
    warm = sorted(times[1:]) or times
    p95_index = max(0, min(len(warm) - 1, int(round(0.95 * (len(warm) - 1)))))
    middle = len(warm) // 2
    p50 = warm[middle] if len(warm) % 2 else (warm[middle - 1] + warm[middle]) / 2
    return {"cold_s": round(times[0], 3), "warm_p50_s": round(p50, 3), "warm_p95_s": round(warm[p95_index], 3),
            "n": len(times)}


def measure_floor(browser: Any, port: int, repeats: int, timeout_s: float = 60.0) -> dict[str, Any]:
    """The baseline of the same run: the smallest Streamlit page (``bench/floor_page.py``), served
    and visited the same way as the app's pages."""
    from ui.screenshots import serve_app

    with serve_app(port, timeout=120, script=FLOOR_PAGE) as url:
        times = [_visit_once(browser, url, Visit("floor", "/", '[data-testid="stMain"] h1'), timeout_s)[0]
                 for _ in range(repeats)]
    return _summary(times)


def measure_pages(env: dict[str, str], port: int, donor_id: str, ideas: list[str], repeats: int = 5,
                  progress: Callable[[str], None] = lambda _: None, timeout_s: float = 120.0) -> dict[str, Any]:
    """Start the app with ``env`` (the store's settings), visit every page ``repeats`` times; then
    the smallest Streamlit page as the baseline (``floor``) and each page's warm p50 over it."""
    from playwright.sync_api import sync_playwright

    from ui.screenshots import CHROMIUM, launch_browser, serve_app

    if not Path(CHROMIUM).is_file():
        return {"skipped": f"Chromium is not at {CHROMIUM} (run `bash install.sh`)"}
    started = time.perf_counter()
    out: dict[str, Any] = {"repeats": repeats, "pages": {}}
    with sync_playwright() as driver:
        browser = launch_browser(driver)
        try:
            with serve_app(port, env=env, timeout=3600) as url:  # the app warms up first (minutes at 1M)
                out["app_start_s"] = round(time.perf_counter() - started, 2)
                plan = visits(donor_id, ideas)
                samples: dict[str, list[float]] = {v.name: [] for v in plan}
                errors: dict[str, str] = {}
                for round_number in range(repeats):
                    progress(f"browser round {round_number + 1}/{repeats}")
                    for visit in plan:
                        if visit.name in errors:
                            continue
                        try:
                            seconds, blocked = _visit_once(browser, url, visit, timeout_s)
                            samples[visit.name].append(seconds)
                            progress(f"  {visit.name}: {seconds:.2f} s")
                            if blocked:
                                errors[visit.name] = f"tried to reach the internet: {blocked[:3]}"
                        except Exception as error:  # a page that does not show its content is reported
                            errors[visit.name] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
                            progress(f"  {visit.name}: {errors[visit.name]}")
                out["app_memory"] = proc_memory_mb(url.pid)
            progress("baseline: the smallest Streamlit page, served and visited the same way")
            out["floor"] = measure_floor(browser, port, repeats)
        finally:
            browser.close()
    floor = out["floor"]["warm_p50_s"]
    for name, times in samples.items():
        if not times:
            out["pages"][name] = {"error": errors.get(name, "no sample")}
            continue
        out["pages"][name] = {**_summary(times), "warm_p50_over_floor": round(_summary(times)["warm_p50_s"] / floor, 2)}
        if name in errors:
            out["pages"][name]["error"] = errors[name]
    measured = [p for p in out["pages"].values() if "warm_p95_s" in p]
    if measured:
        out["worst_warm_p95_s"] = max(p["warm_p95_s"] for p in measured)
        out["worst_cold_s"] = max(p["cold_s"] for p in measured)
    return out
