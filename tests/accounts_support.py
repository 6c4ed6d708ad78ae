"""Shared by the curation tests: an accounts file of their own, accounts in it, and signing in
through the real login form in AppTest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accounts.config import add_user
from accounts.limiter import LIMITER

PASSWORDS = {"admin": "admin password 2024", "editor": "editor password 2024", "viewer": "viewer password 2024"}


@pytest.fixture
def accounts_file(tmp_path: Path):
    """A fresh accounts file with one account per role; the limiter starts clean."""
    saved = os.environ.get("VUSTA_ACCOUNTS_FILE")
    path = tmp_path / "accounts.yaml"
    os.environ["VUSTA_ACCOUNTS_FILE"] = str(path)
    add_user("admin", PASSWORDS["admin"], "administrator", name="Quản Trị Viên", path=path)
    add_user("editor", PASSWORDS["editor"], "editor", name="Nguyễn Thị Lan", path=path)
    add_user("viewer", PASSWORDS["viewer"], "viewer", name="Trần Văn Minh", path=path)
    LIMITER._counts.clear()
    yield path
    LIMITER._counts.clear()
    if saved is None:
        os.environ.pop("VUSTA_ACCOUNTS_FILE", None)
    else:
        os.environ["VUSTA_ACCOUNTS_FILE"] = saved


@pytest.fixture
def app_store(fresh_store):
    """The app's pages talk to a database of their own."""
    saved = os.environ.get("VUSTA_EMBEDDED_DATABASE")
    os.environ["VUSTA_EMBEDDED_DATABASE"] = fresh_store.database
    st.cache_resource.clear()
    yield fresh_store
    if saved is None:
        os.environ.pop("VUSTA_EMBEDDED_DATABASE", None)
    else:
        os.environ["VUSTA_EMBEDDED_DATABASE"] = saved
    st.cache_resource.clear()


def page_app(module: str, query: dict[str, str] | None = None) -> AppTest:
    test = AppTest.from_string(f"from ui.pages.{module} import page\npage()\n", default_timeout=90)
    for key, value in (query or {}).items():
        test.query_params[key] = value
    test.run()
    return test


def sign_in(test: AppTest, username: str, password: str | None = None) -> AppTest:
    """Fill in the real login form (streamlit-authenticator's) and submit it."""
    test.text_input[0].input(username)
    test.text_input[1].input(PASSWORDS.get(username, "") if password is None else password)
    next(b for b in test.button if b.label == "Đăng nhập").click().run()
    return test
