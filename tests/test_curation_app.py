"""The curation pages in AppTest, signed in through the real login form: the edit form (refusals
at the field, add, edit), relationships, deletion with confirmation, the history page and undo;
viewers are refused everywhere."""

from __future__ import annotations

import pytest

from graph.schema import EntityRecord, SourceRef
from ingest.load import load_records
from tests.accounts_support import accounts_file, app_store, page_app, sign_in  # noqa: F401

CURATED = [SourceRef(document="000_f6208c092d653411.txt", line=3)]


@pytest.fixture
def seeded(app_store):
    load_records(app_store, [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
                     aliases=["VUSTA", "LHHVN"], sources=CURATED),
        EntityRecord(id="giz", kinds=["Donor"], name="Tổ chức Hợp tác Quốc tế Đức", aliases=["GIZ"], sources=CURATED),
    ], [], command="test", inputs=["test"], quiet=True)
    return app_store


def editor_page(module: str):
    app = sign_in(page_app(module), "editor")
    assert not app.exception, app.exception
    return app


def props(store, entity_id):
    rows = store.read("entity_profile", id=entity_id)
    return rows[0]["props"] if rows else None


@pytest.mark.parametrize("module", ["curate", "review", "duplicates", "history"])
def test_a_viewer_cannot_reach_the_curation_pages(accounts_file, seeded, module):
    app = page_app(module)
    assert not app.exception and any("Biên tập viên" in i.value for i in app.info)
    sign_in(app, "viewer")
    assert any("không có quyền" in e.value for e in app.error)
    assert not app.text_area and not app.file_uploader and not app.radio


def test_add_an_entity_refused_at_the_field_then_saved(accounts_file, seeded):
    app = editor_page("curate")
    app.multiselect(key="curate-add-kinds").select("MemberAssociation").run()
    app.text_input(key="curate-add-name").input("Hội Tin học Việt Nam")
    app.text_input(key="curate-add-p-founded").input("năm 1988")
    next(b for b in app.button if b.label == "Lưu").click().run()
    assert not app.exception, app.exception
    assert any("số nguyên" in e.value for e in app.error)  # under the field
    assert props(seeded, "hoi-tin-hoc-viet-nam") is None
    app.text_input(key="curate-add-p-founded").input("1988")
    app.text_input(key="curate-add-aliases").input("VAIP")
    next(b for b in app.button if b.label == "Lưu").click().run()
    assert any("Đã lưu" in s.value for s in app.success), [e.value for e in app.error]
    node = props(seeded, "hoi-tin-hoc-viet-nam")
    assert node["founded"] == 1988 and node["aliases"] == ["VAIP"] and node["ingest_run"]


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_edit_relationship_delete_and_history_with_undo(accounts_file, seeded):
    app = editor_page("curate")
    app.radio(key="curate-mode").set_value("edit").run()
    app.text_input(key="curate-edit-entity-q").input("to chuc hop tac quoc te duc").run()  # no diacritics
    assert app.selectbox(key="curate-edit-entity-pick").value == "giz"
    app.text_input(key="curate-edit-p-country").input("Đức")
    app.text_input(key="curate-edit-source").input("https://www.giz.de")
    next(b for b in app.button if b.label == "Lưu").click().run()
    assert any("Đã lưu" in s.value for s in app.success), [e.value for e in app.error]
    assert props(seeded, "giz")["country"] == "Đức"

    app.radio(key="curate-mode").set_value("relationships").run()
    app.text_input(key="curate-rel-other-q").input("LHHVN").run()
    assert app.selectbox(key="curate-rel-other-pick").value == "vusta"
    app.selectbox(key="curate-rel-type").select("FUNDS")
    app.text_input(key="curate-rel-year").input("2021")
    app.button(key="curate-rel-add").click().run()
    assert any("source" in e.value or "nguồn" in e.value for e in app.error)  # a source is required
    app.text_input(key="curate-rel-source").input("https://example.org/tin-tuc")
    app.button(key="curate-rel-add").click().run()
    assert any("Đã thêm quan hệ" in s.value for s in app.success), [e.value for e in app.error]
    rels = seeded.read("entity_relationships_all", ids=["giz"])
    assert [(r["id"], r["props"]["year"]) for r in rels] == [("giz|FUNDS|vusta|", 2021)]

    app.radio(key="curate-mode").set_value("delete").run()
    assert app.button(key="curate-delete").disabled  # confirmation first
    app.checkbox(key="curate-delete-confirm-giz").check().run()
    app.button(key="curate-delete").click().run()
    assert any("Đã xóa" in s.value for s in app.success)
    assert props(seeded, "giz") is None

    history = editor_page("history")
    assert any("delete entity" in c.value for c in history.caption)
    undo = next(b for b in history.button if b.label.startswith("Hoàn tác"))
    undo.click().run()
    assert any("Đã hoàn tác" in s.value for s in history.success), [e.value for e in history.error]
    assert props(seeded, "giz")["country"] == "Đức"
    assert [r["id"] for r in seeded.read("entity_relationships_all", ids=["giz"])] == ["giz|FUNDS|vusta|"]


def test_duplicates_with_evidence_preview_then_merge(accounts_file, seeded):
    load_records(seeded, [EntityRecord(id="giz-2", kinds=["Donor"], name="GIZ",
                                       sources=[SourceRef(document="001_a.txt", line=2, method="pattern")])],
                 [], command="test", inputs=["test"], quiet=True)
    app = editor_page("duplicates")
    assert any("GIZ" in str(o) for o in app.selectbox(key="duplicates-pair").options)
    assert any("alias" in m.value for m in app.markdown)  # the evidence
    assert any("Tên khác mới" in m.value or "Sau khi gộp" in m.value for m in app.markdown)  # the preview
    assert props(seeded, "giz-2") is not None  # nothing written yet
    app.button(key="duplicates-suggested-merge").click().run()
    assert any("Đã gộp" in s.value for s in app.success), [e.value for e in app.error]
    assert props(seeded, "giz-2") is None
    assert "001_a.txt" in props(seeded, "giz")["provenance"]
