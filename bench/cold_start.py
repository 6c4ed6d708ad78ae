"""Cold start of the app, as a reader meets it: a fresh ``streamlit run`` (new process, empty caches),
then the time from opening the first page to its title, and from opening the VUSTA profile to its
title, in headless Chromium; then the same two pages again in the same server (warm) as the baseline.

    python -m bench.cold_start [--port 8519] [--runs 1]

Prints seconds and the cold/warm ratios. Uses the configured store (VUSTA_* settings); nothing is
fetched from the internet. Figures only: no test asserts on time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ui.screenshots import launch_browser, offline_context, serve_app

FIRST_TITLE = "Tổng quan mạng lưới đối tác VUSTA"
VUSTA_TITLE = "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"


def _time_to_title(page, url: str, title: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=180_000)
    return time.perf_counter() - started


def measure(port: int | None = None) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        started = time.perf_counter()
        with serve_app(port) as url:
            server = time.perf_counter() - started
            context = offline_context(browser, url)
            page = context.new_page()
            first = _time_to_title(page, url + "/?lang=vi", FIRST_TITLE)
            profile = _time_to_title(page, url + "/profile?id=vusta&lang=vi", VUSTA_TITLE)
            warm_page = context.new_page()
            first_warm = _time_to_title(warm_page, url + "/?lang=vi", FIRST_TITLE)
            profile_warm = _time_to_title(warm_page, url + "/profile?id=vusta&lang=vi", VUSTA_TITLE)
            context.close()
        browser.close()
    return {"server_start_s": round(server, 2), "first_page_cold_s": round(first, 2),
            "profile_cold_s": round(profile, 2), "first_page_warm_s": round(first_warm, 2),
            "profile_warm_s": round(profile_warm, 2),
            "first_page_cold_over_warm": round(first / first_warm, 2),
            "profile_cold_over_warm": round(profile / profile_warm, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cold_start", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    for run in range(1, args.runs + 1):
        figures = measure(args.port)
        print(json.dumps({"run": run, **figures}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
