"""The menu: pages built from ``ui.pages.PAGES`` in the chosen language, and switching to a page
from code (a search hit opens its profile).

A declared page whose module does not exist yet is left out of the menu; a page whose module
exists but fails to import stays in the menu and shows what went wrong instead of vanishing.
A page's module is imported when the page is first opened, not when the menu is built: the first
page of a fresh app does not wait for every other page's libraries."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from typing import Any, Callable, NamedTuple

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui.i18n import language, tr
from ui.pages import PAGES, Page

log = logging.getLogger(__name__)
# Page objects of the latest run, by module name (their identity is their url path).
_CURRENT: dict[str, StreamlitPage] = {}


LABELS = {
    "broken": ("Trang này gặp lỗi khi mở nên tạm thời không dùng được. Các trang khác vẫn hoạt động.",
               "This page failed to load and cannot be used for now. The other pages still work."),
    "detail": ("Chi tiết cho người vận hành:", "Details for the operator:"),
}


class ImportFailure(NamedTuple):
    """A page module that exists but cannot be imported, and why."""

    message: str


def _load(module_name: str) -> Any | ImportFailure | None:
    """The page module; None when it does not exist (yet); an :class:`ImportFailure` when it
    exists but cannot be imported (or has no ``page()``)."""
    full = f"ui.pages.{module_name}"
    try:
        module = importlib.import_module(full)
    except ModuleNotFoundError as error:
        if error.name == full:
            return None
        log.warning("page %s cannot be imported: %s", full, error)
        return ImportFailure(f"{type(error).__name__}: {error}")
    except Exception as error:  # a page being written by someone else must not take the app down
        log.warning("page %s cannot be imported: %s", full, error)
        return ImportFailure(f"{type(error).__name__}: {error}")
    if not callable(getattr(module, "page", None)):
        return ImportFailure(f"{full} has no page() function")
    return module


def _error_page(decl: Page, failure: ImportFailure) -> Callable[[], None]:
    def page() -> None:
        st.title(decl.title_vi if language() == "vi" else decl.title_en)
        st.error(tr(LABELS, "broken"))
        st.caption(tr(LABELS, "detail"))
        st.code(failure.message, language=None)

    page.__name__ = f"broken_{decl.module}"
    return page


def _exists(module_name: str) -> bool:
    """Whether ``ui/pages/<module_name>.py`` exists (found without importing it)."""
    return importlib.util.find_spec(f"ui.pages.{module_name}") is not None


def _runner(decl: Page) -> Callable[[], None]:
    """The page's ``page()``, its module imported on first use; the error page if that fails."""
    def run() -> None:
        module = _load(decl.module)
        if isinstance(module, ImportFailure):
            _error_page(decl, module)()
        elif module is not None:
            module.page()

    run.__name__ = decl.module
    return run


def build_pages(start: str | None = None) -> list[StreamlitPage]:
    """One ``st.Page`` per declared page whose module exists; ``start`` (a module name) opens first."""
    lang = language()
    available = [decl for decl in PAGES if _exists(decl.module)]
    default = start if any(decl.module == start for decl in available) else (
        available[0].module if available else None)
    pages = []
    _CURRENT.clear()
    for decl in available:
        page = st.Page(_runner(decl), title=decl.title_vi if lang == "vi" else decl.title_en, icon=decl.icon,
                       url_path=decl.url_path, default=decl.module == default)
        _CURRENT[decl.module] = page
        pages.append(page)
    return pages


def open_page(module_name: str, **query_params: str) -> None:
    """Switch to another page (stops this run), with query parameters for deep links."""
    page = _CURRENT.get(module_name)
    if page is None:
        st.warning(f"Page '{module_name}' is not available.")
        return
    st.switch_page(page, query_params={"lang": language(), **query_params})
