"""The Administration page, signed in as an administrator: imports through the one import entry
point (the spreadsheet upload works), deletion of a person on request, accounts."""

from __future__ import annotations

from pathlib import Path

from accounts.config import accounts, read_config
from graph.schema import EntityRecord
from ingest.load import load_records
from tests.accounts_support import accounts_file, app_store, page_app, sign_in  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def admin_page():
    app = sign_in(page_app("admin"), "admin")
    assert not app.exception, app.exception
    return app


def test_spreadsheet_upload_dry_run_then_write(accounts_file, app_store):
    csv = ("id,kinds,name,name_en,aliases,abbreviation,country,city,website,sector,partner_of,cooperates_with,sources\n"
           "quy-thu-nghiem,Donor,Quỹ Thử Nghiệm,Test Fund,QTN,QTN,Đức,,,,,,https://example.org/quy\n")
    app = admin_page()
    app.file_uploader[0].upload("partners.csv", csv.encode("utf-8"), "text/csv").run()
    assert not app.exception, app.exception
    assert not any("not supported" in e.value or "chưa được hỗ trợ" in e.value for e in app.error), \
        [e.value for e in app.error]
    # two new entities: the fund and the source page it cites
    assert any("Kiểm tra trước" in i.value and "thực thể: 2 mới, 0 cập nhật" in i.value for i in app.info), \
        [i.value for i in app.info]
    assert app_store.read("entity_profile", id="quy-thu-nghiem") == []  # the dry run wrote nothing
    next(b for b in app.button if b.label == "Ghi vào đồ thị").click().run()
    assert any("Đã ghi" in s.value for s in app.success)
    assert app_store.read("entity_profile", id="quy-thu-nghiem")[0]["props"]["name"] == "Quỹ Thử Nghiệm"


def test_a_bad_spreadsheet_names_row_and_column_and_writes_nothing(accounts_file, app_store):
    csv = "id,kinds,name,founded\nx-org,Donor,Tổ chức X,nineteen\n"
    app = admin_page()
    app.file_uploader[0].upload("donors.csv", csv.encode("utf-8"), "text/csv").run()
    assert any("nothing was written" in e.value or "không có gì được ghi" in e.value for e in app.error)
    assert any("donors.csv" in c.value for c in app.code)
    assert app_store.read("entity_profile", id="x-org") == []


def test_administrator_can_delete_a_person_on_request(accounts_file, app_store):
    load_records(app_store, [EntityRecord(id="person-x", kinds=["Person"], name="Người Cần Xóa",
                                          properties={"email": "x@example.org", "consent": False})], [],
                 command="test", inputs=["test"], quiet=True)
    app = admin_page()
    app.text_input(key="admin-forget-id").input("person-x")
    app.checkbox(key="admin-forget-confirm").check().run()
    app.button(key="admin-forget").click().run()
    assert any("Đã xóa" in s.value and "person" in s.value for s in app.success)
    assert app_store.read("entity_profile", id="person-x") == []


def test_administrator_finds_the_person_to_delete_by_name_without_accents(accounts_file, app_store):
    load_records(app_store, [EntityRecord(id="person-y", kinds=["Person"], name="Trần Thị Xuyến",
                                          properties={"email": "y@example.org", "consent": False})], [],
                 command="test", inputs=["test"], quiet=True)
    app = admin_page()
    app.text_input(key="admin-forget-person__q").input("tran thi xuyen").run()
    app.checkbox(key="admin-forget-confirm").check().run()
    app.button(key="admin-forget").click().run()
    success = [s.value.replace("\\", "") for s in app.success]  # the message is markdown-escaped
    assert any("Đã xóa Trần Thị Xuyến (person-y)" in s for s in success), success
    assert app_store.read("entity_profile", id="person-y") == []


def test_sample_sets_are_offered_by_name_not_raw_value(accounts_file, app_store):
    options = admin_page().selectbox(key="admin-sample-set").options
    assert "Danh sách trí thức ở nước ngoài mẫu (giả lập)" in options and "Danh mục dự án mẫu (giả lập)" in options
    assert not {"diaspora", "portfolio", "all"} & set(options)


def test_administrator_adds_an_account(accounts_file, app_store):
    app = admin_page()
    app.text_input(key="admin-new-username").input("hoa.pham")
    app.text_input(key="admin-new-name").input("Phạm Thị Hoa")
    app.selectbox(key="admin-new-role").select("editor")
    password = next(t for t in app.text_input if t.key is None or "password" in (t.label or "").lower()
                    or "Mật khẩu" in (t.label or ""))
    password.input("a long enough password")
    next(b for b in app.button if b.label == "Thêm").click().run()
    assert any("hoa" in s.value and "pham" in s.value for s in app.success), [e.value for e in app.error]
    assert ("hoa.pham", "editor") in [(a.username, str(a.roles[0])) for a in accounts(read_config(accounts_file))]
    assert not any("a long enough password" in str(app.session_state[k]) for k in app.session_state)
