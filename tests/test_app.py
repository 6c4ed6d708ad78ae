"""The real app, driven by Streamlit's AppTest against the session's store."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_search_finds_vusta(store):
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    app.text_input(key="q").input("lien hiep hoi").run()
    assert not app.exception
    assert any("Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam" in m.value for m in app.markdown)
