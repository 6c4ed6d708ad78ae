"""Access: the app is read-only unless VUSTA_ADMIN_PASSWORD is set and given; the password is
never kept in the session; deleting a person works from the admin page."""

import os

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.schema import EntityRecord
from graph.store import GraphStore
from ingest.load import load_records

SCRIPT = """
from ui.pages.admin import page
page()
"""


@pytest.fixture
def admin_env(fresh_store: GraphStore):
    saved = {k: os.environ.get(k) for k in ("VUSTA_EMBEDDED_DATABASE", "VUSTA_ADMIN_PASSWORD")}
    os.environ["VUSTA_EMBEDDED_DATABASE"] = fresh_store.database
    st.cache_resource.clear()
    yield fresh_store
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    st.cache_resource.clear()


def app() -> AppTest:
    test = AppTest.from_string(SCRIPT, default_timeout=60)
    test.run()
    return test


def test_without_an_admin_password_the_app_is_read_only(admin_env):
    os.environ.pop("VUSTA_ADMIN_PASSWORD", None)
    page = app()
    assert not page.exception
    assert any("VUSTA_ADMIN_PASSWORD" in info.value for info in page.info)
    assert not page.text_input and not page.button


def test_wrong_password_gives_nothing_and_is_not_kept(admin_env):
    os.environ["VUSTA_ADMIN_PASSWORD"] = "correct horse battery staple"
    page = app()
    page.text_input(key="admin-password").input("guess")
    page.button[0].click().run()
    assert any("Sai mật khẩu" in e.value for e in page.error)
    assert "admin-password" not in page.session_state
    assert not page.session_state["admin_signed_in"] if "admin_signed_in" in page.session_state else True
    assert not any(b.key == "admin-forget" for b in page.button)


def test_administrator_can_delete_a_person_on_request(admin_env):
    store = admin_env
    load_records(store, [EntityRecord(id="person-x", kinds=["Person"], name="Người Cần Xóa",
                                      properties={"email": "x@example.org", "consent": False})], [],
                 command="test", inputs=["test"], quiet=True)
    os.environ["VUSTA_ADMIN_PASSWORD"] = "correct horse battery staple"
    page = app()
    page.text_input(key="admin-password").input("correct horse battery staple")
    page.button[0].click().run()
    assert not page.exception
    assert "admin-password" not in page.session_state  # the password is not kept
    page.text_input(key="admin-forget-id").input("person-x")
    page.checkbox(key="admin-forget-confirm").check().run()
    page.button(key="admin-forget").click().run()
    assert any("Đã xóa" in s.value and "person" in s.value for s in page.success)
    assert store.read("entity_profile", id="person-x") == []
