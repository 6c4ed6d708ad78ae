"""The Review page in AppTest: a pasted text goes through extraction; the editor accepts two
candidates (editing one), merges one into an existing entity found without diacritics, and only
those rows are written, with their evidence, as one run that can be undone."""

from __future__ import annotations

import pytest

from graph.schema import EntityRecord, SourceRef
from ingest.history import entity_history, undo_run
from ingest.load import load_records
from tests.accounts_support import accounts_file, app_store, page_app, sign_in  # noqa: F401
from ui.pages.review import highlight

# Written for this test (invented organisations, not from any source document).
TEXT = ("Hội Kỹ sư Thủy lợi Miền Trung là thành viên của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam.\n"
        "Năm 2022, Quỹ Rừng Xanh Mê Kông ký thỏa thuận hợp tác với Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam.\n"
        "Viện Nghiên cứu Đất Ngập Nước Đồng Tháp đã tham dự hội thảo.\n")


@pytest.fixture
def seeded(app_store):
    load_records(app_store, [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
                     aliases=["VUSTA", "LHHVN"], sources=[SourceRef(document="000_f6208c092d653411.txt", line=3)]),
        EntityRecord(id="vien-dat-ngap-nuoc", kinds=["AffiliatedOrganisation"], name="Viện Đất ngập nước",
                     sources=[SourceRef(document="000_f6208c092d653411.txt", line=4)]),
    ], [], command="test", inputs=["test"], quiet=True)
    return app_store


def test_highlight_marks_the_name_with_or_without_diacritics():
    assert highlight("GIZ hỗ trợ <b>", ["GIZ"]) == "<mark>GIZ</mark> hỗ trợ &lt;b&gt;"
    assert "<mark>Hội Luật gia</mark>" in highlight("Ông là chủ tịch Hội Luật gia Việt Nam", ["hoi luat gia"])


def test_paste_review_accept_edit_merge_apply_and_undo(accounts_file, seeded):
    app = sign_in(page_app("review"), "editor")
    assert not app.exception, app.exception
    app.text_area(key="review-text").input(TEXT)
    app.text_input(key="review-doc-name").input("bản tin thử nghiệm")
    app.button(key="review-extract").click().run()
    assert not app.exception, app.exception
    names = {m.value for m in app.markdown}
    found = [r for r in app.radio if r.key and r.key.endswith("-decision")]
    assert len(found) >= 3, names
    labels = [m.value for m in app.markdown if m.value.startswith("**")]

    def index_of(words: str) -> int:
        return next(i for i, label in enumerate(labels) if words in label)

    marks = [m.value for m in app.markdown if "<mark>" in m.value]
    assert any("<mark>Hội Kỹ sư Thủy lợi Miền Trung</mark>" in m for m in marks)
    hoi, quy, vien = index_of("Thủy lợi"), index_of("Rừng Xanh"), index_of("Ngập Nước")
    app.radio(key=f"review-e-{hoi}-decision").set_value("accept").run()
    app.radio(key=f"review-e-{quy}-decision").set_value("accept").run()
    app.text_input(key=f"review-e-{quy}-name").input("Quỹ Rừng Xanh Mekong")
    app.text_input(key=f"review-e-{quy}-aliases").input("Quỹ Rừng Xanh Mê Kông")
    app.radio(key=f"review-e-{vien}-decision").set_value("merge").run()
    app.text_input(key=f"review-e-{vien}-merge-q").input("vien dat ngap nuoc").run()
    assert app.selectbox(key=f"review-e-{vien}-merge-pick").value == "vien-dat-ngap-nuoc"
    app.button(key="review-apply").click().run()
    assert not app.exception, app.exception
    assert any("Đã ghi" in s.value for s in app.success), [e.value for e in app.error]

    assert "Hội Kỹ sư Thủy lợi Miền Trung" in {row["name"] for row in seeded.read("dedupe_entities")}
    created = {r["id"]: r for r in seeded.read("existing_entities", ids=["quy-rung-xanh-mekong"])}
    assert created["quy-rung-xanh-mekong"]["props"]["aliases"] == ["Quỹ Rừng Xanh Mê Kông"]
    assert "ban-tin-thu-nghiem.txt" in created["quy-rung-xanh-mekong"]["props"]["provenance"]
    merged = seeded.read("entity_profile", id="vien-dat-ngap-nuoc")[0]["props"]
    assert "ban-tin-thu-nghiem.txt" in merged["provenance"]  # the mention is a new source of the chosen entity
    assert merged["name"] == "Viện Đất ngập nước"  # whose curated values are kept
    history = entity_history(seeded, "quy-rung-xanh-mekong")
    assert history[0]["user"] == "editor" and history[0]["documents"] == ["ban-tin-thu-nghiem.txt"]

    undo_run(seeded, history[0]["run_id"])
    assert seeded.read("existing_entities", ids=["quy-rung-xanh-mekong"]) == []
    assert "ban-tin-thu-nghiem.txt" not in seeded.read("entity_profile", id="vien-dat-ngap-nuoc")[0]["props"]["provenance"]
