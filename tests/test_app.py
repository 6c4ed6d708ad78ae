"""The real app entry point (app.py), driven by Streamlit's AppTest: the menu, the language switch,
the status line, and opening when the store cannot be reached."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.ports import free_port
from ui.pages import PAGES, Page

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def closed_port() -> int:
    return free_port()  # nothing listens there


def test_app_opens_on_the_overview_in_vietnamese(store):
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Tổng quan mạng lưới đối tác VUSTA"]
    status = " ".join(m.value for m in app.sidebar.markdown).replace("\\", "")  # markdown escapes
    assert "Kho nhúng" in status and "đang kết nối" in status
    entities = store.read("count_entities")[0]["count"]
    assert f"{entities:,}".replace(",", ".") + " thực thể" in status


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_every_label_switches_to_english(store):
    app = AppTest.from_file(APP, default_timeout=90).run()
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert [t.value for t in app.title] == ["VUSTA's partner network at a glance"]
    assert "Aid by year" in [s.value for s in app.subheader]
    status = " ".join(m.value for m in app.sidebar.markdown)
    assert "Embedded store" in status and "connected" in status


def test_the_menu_lists_the_declared_pages(store):
    from ui.navigation import _CURRENT

    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    registered = set(_CURRENT)
    assert {"overview", "search", "profile", "network", "paths", "sources"} <= registered
    assert registered <= {p.module for p in PAGES}


def test_a_declared_page_whose_module_does_not_exist_is_left_out(store, monkeypatch):
    from ui.navigation import _CURRENT

    monkeypatch.setattr("ui.navigation.PAGES", [*PAGES, Page("not_written_yet", "Chưa có", "Not yet",
                                                             ":material/block:", "not-yet")])
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    assert "not_written_yet" not in _CURRENT and "overview" in _CURRENT


def test_a_page_that_fails_to_import_shows_an_error_instead_of_vanishing(store, monkeypatch, tmp_path):
    import ui.pages
    from ui.navigation import _CURRENT

    (tmp_path / "broken_page.py").write_text("raise RuntimeError('half-written page')\n", encoding="utf-8")
    monkeypatch.setattr(ui.pages, "__path__", [*ui.pages.__path__, str(tmp_path)])
    broken = Page("broken_page", "Trang lỗi", "Broken page", ":material/block:", "broken")
    monkeypatch.setattr("ui.navigation.PAGES", [broken, *PAGES])
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    assert "broken_page" in _CURRENT and "overview" in _CURRENT
    assert [t.value for t in app.title] == ["Trang lỗi"]
    assert any("gặp lỗi" in e.value for e in app.error)
    assert any("half-written page" in c.value for c in app.code)


def test_the_app_opens_and_says_what_to_do_when_the_store_is_down(settings, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{closed_port()}")  # nothing listens there
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    app = AppTest.from_file(APP, default_timeout=90).run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Không kết nối được kho dữ liệu đồ thị."]
    advice = " ".join(m.value for m in app.markdown)
    assert "NEO4J_URI" in advice
    assert "không kết nối được" in " ".join(m.value for m in app.sidebar.markdown)
    assert not app.title  # no page was drawn on a store that is not there
    app.radio(key="lang").set_value("en").run()
    assert [e.value for e in app.error] == ["The graph store cannot be reached."]


@pytest.mark.slow  # about 2 s: every cache of the app is built again
def test_the_warm_up_builds_what_the_first_page_reads(store, capsys):
    """`python -m ui.serve` reads, before the server answers, what the overview and the pickers
    need: the first reader does not wait for it."""
    import gc

    from graph.privacy import staff_audience
    from queries.projection import _cache, forget_cached
    from ui.serve import warm_caches

    forget_cached()
    before = staff_audience()
    try:
        warm_caches()
    finally:
        gc.unfreeze()
    assert staff_audience() == before  # the test process (or a server thread) keeps its audience
    names = {key[1] for key in _cache if key[0] == store.identity()}
    assert {"projection", "search_index", "overview", "overview_charts_vi", "partner_features"} <= names
    assert any(name.startswith("quality_warnings") for name in names)  # the sources page's checks
    assert any(name.startswith("entity_choices") for name in names)
    # the other pages' first reads: paths, the map's years, IATI flows, the first document's contributions
    assert {"path_lookups", "year_range", "iati_flows:vi:True"} <= names
    assert any(name.startswith("contributions|") for name in names)
    features = _cache[next(key for key in _cache if key[0] == store.identity() and key[1] == "partner_features")]
    assert features.every_theme_ready
    assert "warm-up skipped" not in capsys.readouterr().err


def test_the_warm_up_says_so_and_lets_the_app_start_when_the_store_is_down(settings, monkeypatch, capsys):
    from ui.serve import warm_caches

    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{closed_port()}")  # nothing listens there
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    warm_caches()  # returns: the app's pages then say what is wrong
    assert "warm-up skipped" in capsys.readouterr().err
