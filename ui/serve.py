"""Serve the app with its work done before the first reader arrives: ``python -m ui.serve [options]``
runs ``streamlit run app.py [options]`` in this process after importing the app and its pages
(the driver, pandas, Altair, pyvis: about 1.5 s that the first page would otherwise wait for) and
reading what the pages read first (:func:`warm_caches`: the projections, search index, overview
with its charts, pickers' lists, the partner finder's features and theme evidence, the data-quality
checks and the other pages' lookups; a few seconds on the real data, about a minute at 100k
entities: the address is printed when the app is ready for its first reader).

``vusta app`` and the app's browser tests and benchmarks start the app this way; plain
``streamlit run app.py`` works too, the first page then does this work itself. When the store
cannot be reached the warm-up says so on stderr and the app starts all the same (its pages say
what is wrong).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def preload_pages() -> None:
    """Import the app's frame and every page module (a page that fails to import is left to show
    its error when opened)."""
    from ui.pages import PAGES

    importlib.import_module("ui.app")
    for decl in PAGES:
        try:
            importlib.import_module(f"ui.pages.{decl.module}")
        except Exception:  # noqa: BLE001 - the page shows the error when it is opened
            pass


def warm_caches() -> None:
    """Read the projections, the search index, the overview, the pickers' lists, the partner
    finder's features and every theme's evidence, the data-quality checks, the path finder's and
    the map's lookups, the IATI flows and the first document's contributions (cached per graph
    version), as a reader who has not signed in sees them; the calling thread's audience is left
    as it was."""
    from graph.privacy import set_staff_audience, staff_audience
    from graph.settings import Settings
    from graph.store import GraphStore
    from queries.aid_flows import flows
    from queries.documents import contributions, documents
    from queries.neighbourhood import entity_choices, year_range
    from queries.overview import overview
    from queries.partners.features import partner_features
    from queries.partners.scoring import prepare_every_theme
    from queries.paths import path_lookups
    from queries.projection import settle_heap
    from queries.quality import quality_warnings
    from queries.search import search_index

    audience = staff_audience()
    set_staff_audience(False)
    try:
        store = GraphStore(Settings.from_env())
        try:
            search_index(store)  # the projection first, then what the first pages and the pickers use
            from ui.pages.overview import chart_specs

            chart_specs(store, overview(store))  # in the default language (no reader has chosen yet)
            entity_choices(store)
            prepare_every_theme(partner_features(store))  # the partner finder's first search would otherwise build them
            quality_warnings(store)  # the sources page's checks scan the whole graph (14 s cold at 100k)
            # what the other pages' first visits read (each took 1-3 s at 100k entities)
            path_lookups(store)
            year_range(store)
            flows(store)  # each donor's profile shows its IATI portfolio
            listed = documents(store, store.settings.documents_dir)
            if listed:  # the sources page opens on the first document
                contributions(store, listed[0]["id"], store.settings.documents_dir)
        finally:
            store.close()
        settle_heap()  # what the warm-up built stays: later collections need not walk it again
    except Exception as error:  # noqa: BLE001 - a warm-up must never stop the app from starting
        print(f"warm-up skipped: {type(error).__name__}: {str(error).splitlines()[0][:200]}", file=sys.stderr)
    finally:
        set_staff_audience(audience)


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli as streamlit_cli

    started = time.perf_counter()
    preload_pages()
    warm_caches()
    print(f"vusta: the app is warmed up in {time.perf_counter() - started:.1f} s; starting the server",
          file=sys.stderr, flush=True)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *(sys.argv[1:] if argv is None else argv)]
    streamlit_cli.main()


if __name__ == "__main__":
    main()
