"""The menu: pages built from ``ui.pages.PAGES`` in the chosen language, and switching to a page
from code (a search hit opens its profile)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui.i18n import language
from ui.pages import PAGES

log = logging.getLogger(__name__)
# Page objects of the latest run, by module name (their identity is their url path).
_CURRENT: dict[str, StreamlitPage] = {}


def _load(module_name: str) -> Any | None:
    """The page module, or None when it does not exist (yet) or cannot be imported."""
    full = f"ui.pages.{module_name}"
    try:
        module = importlib.import_module(full)
    except ModuleNotFoundError as error:
        if error.name == full:
            return None
        log.warning("page %s cannot be imported: %s", full, error)
        return None
    except Exception as error:  # a page being written by someone else must not take the app down
        log.warning("page %s cannot be imported: %s", full, error)
        return None
    return module if callable(getattr(module, "page", None)) else None


def build_pages(start: str | None = None) -> list[StreamlitPage]:
    """One ``st.Page`` per declared page whose module exists; ``start`` (a module name) opens first."""
    lang = language()
    modules = [(decl, _load(decl.module)) for decl in PAGES]
    available = [(decl, module) for decl, module in modules if module is not None]
    default = start if any(decl.module == start for decl, _ in available) else (
        available[0][0].module if available else None)
    pages = []
    _CURRENT.clear()
    for decl, module in available:
        page = st.Page(module.page, title=decl.title_vi if lang == "vi" else decl.title_en, icon=decl.icon,
                       url_path=decl.url_path, default=decl.module == default)
        _CURRENT[decl.module] = page
        pages.append(page)
    return pages


def has_page(module_name: str) -> bool:
    return module_name in _CURRENT


def open_page(module_name: str, **query_params: str) -> None:
    """Switch to another page (stops this run), with query parameters for deep links."""
    page = _CURRENT.get(module_name)
    if page is None:
        st.warning(f"Page '{module_name}' is not available.")
        return
    st.switch_page(page, query_params=query_params or None)
