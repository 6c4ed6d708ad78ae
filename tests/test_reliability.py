"""Reliability and security guarantees (issue 17): values and messages within the store's limits,
backups that always restore, restores that never lose contact details silently, deletion that
leaves nothing on disk, uploads that never overwrite curated data, Excel read completely, clear
errors, and the smaller ones (temporary copies, confirmations, long texts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.backup import ShareableBackup, export_graph, export_lines, import_graph
from graph.maintenance import NotAPerson, fingerprint, forget, sync_labels
from graph.schema import EntityRecord
from graph.store import GraphStore, ValueTooLarge, encoded_size, one_ahead
from ingest.load import load_records
from ui.widgets import md
from tests.accounts_support import accounts_file, app_store, page_app, sign_in  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(store: GraphStore) -> str:
    return "\n".join(export_lines(store, full=True))


def ingest(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest", *args, "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def env_for(store: GraphStore) -> dict[str, str]:
    return {**os.environ, "VUSTA_EMBEDDED_DATABASE": store.database}


# -- 2. sizes: values and Bolt messages ---------------------------------------------------------

@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_a_value_over_the_limit_is_refused_naming_record_and_field(fresh_store: GraphStore, tmp_path: Path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps([{"id": "huge-donor", "name": "Quỹ Rất Lớn", "kinds": "Donor",
                                 "description": "x" * (13 * 1024 * 1024)}]), encoding="utf-8")
    fresh_store.ensure_schema()
    before = snapshot(fresh_store)
    done = ingest(env_for(fresh_store), str(path))
    assert done.returncode == 2, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["problems"][0]["field"] == "description" and "limit" in out["problems"][0]["message"]
    assert snapshot(fresh_store) == before


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_batches_are_sized_by_bytes_so_big_loads_never_hang(fresh_store: GraphStore):
    """30 MiB in one batch of rows would be one Bolt message over 16 MiB (dropped by the embedded
    server, the client then waits forever); batched by bytes it loads."""
    entities = [EntityRecord(id=f"big-{i}", kinds=["Theme"], name=f"Chủ đề lớn {i}",
                             properties={"description": f"{i} " + "mô tả " * 150_000}) for i in range(30)]
    result = load_records(fresh_store, entities, [], command="test", inputs=["test"], quiet=True)
    assert result.plan.summary()["entities"]["created"] == 30
    assert fresh_store.read("count_entities")[0]["count"] == 30


def test_a_record_too_large_for_one_message_is_refused_before_sending(fresh_store: GraphStore):
    fresh_store.ensure_schema()
    record = {"id": "too-big", "props": {"a": "x" * (8 * 1024 * 1024), "b": "y" * (8 * 1024 * 1024)}}
    with pytest.raises(ValueTooLarge) as caught:
        fresh_store.write(lambda w: w.write_rows("update_entities", [record]))
    assert "too-big" in str(caught.value)
    assert fresh_store.read("count_entities")[0]["count"] == 0


def test_row_sizes_count_utf8_bytes_and_take_values_orjson_refuses():
    """Rows are sized by orjson; what it refuses is sized by the standard encoder (same bytes)."""
    row = {"id": "hội-1", "props": {"name": "Hội Liên hiệp", "year": 2021, "share": 0.5, "kinds": ["Union"]}}
    compact = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert encoded_size(row) == len(compact)
    assert encoded_size({"n": 2 ** 70}) == len('{"n": 1180591620717411303424}'.encode())  # over 64 bits
    assert encoded_size("ơ" * 1000) == 2002  # two bytes per letter, two quotes
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be sent either
        encoded_size("x\ud800")


def test_rows_made_ahead_keep_their_order_and_an_error_stops_where_it_happened():
    """A write's next batch is made in a helper thread while the current one is written: the
    batches come in order, at most one is made ahead, and an error making one is raised in its place."""
    made: list[int] = []

    def batches_of_rows():
        for i in range(5):
            made.append(i)
            if i == 3:
                raise ValueTooLarge(f"row-{i}", "description", 20, 10)
            yield [i]

    received = []
    with pytest.raises(ValueTooLarge) as caught:
        for batch in one_ahead(batches_of_rows()):
            assert len(made) <= len(received) + 2  # the one handed over and at most one more
            received.append(batch)
    assert received == [[0], [1], [2]] and "row-3" in str(caught.value)
    assert made == [0, 1, 2, 3]  # nothing after the failing batch was made


# -- 2b. backups: kinds and labels checked together; labels never stripped ----------------------

def test_sync_labels_never_leaves_a_node_without_a_kind(fresh_store: GraphStore, tmp_path: Path):
    load_records(fresh_store, [EntityRecord(id="t1", kinds=["Theme"], name="Chủ đề")], [], command="test",
                 inputs=["test"], quiet=True)
    fresh_store.write(lambda w: w.run("update_entities", rows=[{"id": "t1", "props": {"kinds": ["Nonsense"]}}]))
    sync_labels(fresh_store)
    labels = fresh_store.read("export_entities")[0]["labels"]
    assert "Theme" in labels
    export_graph(fresh_store, tmp_path / "after.jsonl", full=True)  # still exportable …
    assert json.loads((tmp_path / "after.jsonl").read_text().splitlines()[1])["labels"] == ["Theme"]


# -- 4. full backup and the shareable export ----------------------------------------------------

def _people(store: GraphStore) -> None:
    load_records(store, [EntityRecord(id="p-private", kinds=["Person"], name="Nguyễn Văn Kín",
                                      properties={"email": "kin@example.org", "phone": "+84 90 111 2222",
                                                  "consent": False})], [], command="test", inputs=["test"],
                 quiet=True)


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_replace_refuses_a_shareable_export_unless_forced(fresh_store: GraphStore, tmp_path: Path):
    _people(fresh_store)
    shareable, full = tmp_path / "share.jsonl", tmp_path / "full.jsonl"
    export_graph(fresh_store, shareable)
    export_graph(fresh_store, full, full=True)
    before = full.read_bytes()
    env = env_for(fresh_store)
    done = subprocess.run([sys.executable, "-m", "graph", "import", str(shareable), "--replace", "--json"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "--full" in json.loads(done.stdout)["error"]
    export_graph(fresh_store, tmp_path / "again.jsonl", full=True)
    assert (tmp_path / "again.jsonl").read_bytes() == before               # nothing changed
    import_graph(fresh_store, shareable)                                   # merged: contacts kept
    assert fresh_store.read("entity_profile", id="p-private")[0]["props"]["email"] == "kin@example.org"
    with pytest.raises(ShareableBackup):
        import_graph(fresh_store, shareable, replace=True)
    import_graph(fresh_store, shareable, replace=True, force=True)         # asked for: done
    assert "email" not in fresh_store.read("entity_profile", id="p-private")[0]["props"]


@pytest.fixture
def admin_page(accounts_file, app_store):
    def open_page() -> AppTest:
        app = sign_in(page_app("admin"), "admin")
        assert not app.exception, [e.value for e in app.exception]
        return app

    yield app_store, open_page


def test_admin_page_gives_a_full_backup_that_restores_exactly(admin_page, tmp_path: Path):
    store, open_page = admin_page
    _people(store)
    app = open_page()
    app.button(key="admin-full-backup").click().run()
    assert not app.exception
    assert any(b.proto.label == "Tải bản sao lưu đầy đủ" for b in app.get("download_button"))
    expected = "\n".join(export_lines(store, full=True)) + "\n"
    from graph.backup import full_backup_bytes
    data = full_backup_bytes(store)
    assert data.decode("utf-8") == expected and "kin@example.org" in expected
    path = tmp_path / "full.jsonl"
    path.write_bytes(data)
    import_graph(store, path, replace=True)  # a full backup: no question asked
    assert snapshot(store) + "\n" == expected


def test_remove_sample_needs_a_confirmation(admin_page):
    _, open_page = admin_page
    app = open_page()
    assert app.button(key="admin-remove-sample").disabled
    app.checkbox(key="admin-sample-confirm").check().run()
    assert not app.button(key="admin-remove-sample").disabled


def test_uploads_leave_no_temporary_copy(admin_page, tmp_path: Path):
    _, open_page = admin_page
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp)
    try:
        app = open_page()
        app.file_uploader[0].upload("x.yaml", "entities:\n  - {id: up-x, kinds: [Theme], name: Chủ đề tải lên}\n"
                                    .encode("utf-8"), "application/x-yaml").run()
        assert not app.exception, [e.value for e in app.exception]
        assert any("Kiểm tra trước" in i.value for i in app.info), [e.value for e in app.error]
        assert not list(tmp.glob("vusta-upload-*"))
    finally:
        tempfile.tempdir = saved


# -- 6. forget: people only, keyed hash, nothing left on disk ----------------------------------

def test_forget_deletes_people_only(fresh_store: GraphStore):
    load_records(fresh_store, [EntityRecord(id="donor-x", kinds=["Donor"], name="Quỹ X")], [], command="test",
                 inputs=["test"], quiet=True)
    before = snapshot(fresh_store)
    with pytest.raises(NotAPerson) as caught:
        forget(fresh_store, "donor-x")
    assert "not a person" in str(caught.value) and "Donor" in str(caught.value)
    assert snapshot(fresh_store) == before


def test_forget_leaves_no_trace_in_the_store_files_and_logs_a_keyed_hash(server, fresh_store: GraphStore):
    people = [EntityRecord(id=f"fg-{i}", kinds=["Person"], name=f"Zyxwvu Quênđi{i}",
                           properties={"email": f"quen{i}@zyx-example.org", "phone": f"+84 99 777 {i:04d}",
                                       "consent": False}) for i in range(3)]
    load_records(fresh_store, people, [], command="test", inputs=["test"], quiet=True)
    folder = server.server_root / "databases" / fresh_store.database

    def files_holding(text: str) -> list[str]:
        return [p.name for p in folder.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]

    assert files_holding("Quênđi1")  # the probe sees it before
    forget(fresh_store, "fg-1")
    for text in ("Quênđi1", "quen1@zyx-example.org", "+84 99 777 0001"):
        assert files_holding(text) == [], text
    assert files_holding("Quênđi0")  # the others stay
    runs = [r["props"] for r in fresh_store.read("export_ingest_runs") if r["props"]["command"].endswith("forget")]
    logged = runs[0]["inputs"][0]
    assert logged == f"hmac-sha256:{fingerprint(fresh_store, 'fg-1')}" and len(logged) == len("hmac-sha256:") + 64
    import hashlib
    assert hashlib.sha256(b"fg-1").hexdigest()[:16] not in logged  # not the unkeyed hash
    assert fresh_store.read("count_entities")[0]["count"] == 2


# -- 8. uploads keep curated values -----------------------------------------------------------

def test_an_uploaded_yaml_never_overwrites_curated_values(fresh_store: GraphStore, tmp_path: Path):
    from ingest.curated_load import load_curated

    curated = tmp_path / "curated.yaml"
    curated.write_text("entities:\n  - {id: vusta, kinds: [Union], name: Liên hiệp Hội Việt Nam, "
                       "aliases: [VUSTA, LHHVN], properties: {country: Việt Nam}}\n", encoding="utf-8")
    load_curated(fresh_store, [curated], quiet=True)
    before = snapshot(fresh_store)
    upload = tmp_path / "upload.yaml"
    upload.write_text("entities:\n  - {id: vusta, kinds: [Union], name: HIJACKED NAME, aliases: [], "
                      "properties: {country: Mars}}\n", encoding="utf-8")
    dry = load_curated(fresh_store, [upload], dry_run=True, quiet=True, authoritative=False)
    fields = {c["field"]: c for c in dry.plan.conflicts}
    assert fields["name"]["kept"] == "Liên hiệp Hội Việt Nam" and fields["name"]["ignored"] == "HIJACKED NAME"
    assert fields["country"]["kept"] == "Việt Nam" and fields["country"]["ignored"] == "Mars"
    assert snapshot(fresh_store) == before
    load_curated(fresh_store, [upload], quiet=True, authoritative=False)
    props = fresh_store.read("entity_profile", id="vusta")[0]["props"]
    assert props["name"] == "Liên hiệp Hội Việt Nam" and props["country"] == "Việt Nam"
    assert set(props["aliases"]) == {"VUSTA", "LHHVN"}


# -- 9. Excel: every row, whatever <dimension> says --------------------------------------------

def test_excel_rows_beyond_the_dimension_record_are_read():
    from ingest.tabular import read_tables

    problems: list = []
    tables = read_tables([FIXTURES / "beyond_dimension.xlsx"], problems)
    assert not problems
    assert [row.cells["name"] for row in tables[0].rows] == [f"Hội Thử Kích Thước {i}" for i in range(5)]


# -- 10. clear errors in the user's language ----------------------------------------------------

PROFILE = "from ui.pages.profile import page\npage()\n"


@pytest.mark.parametrize("lang,expected", [("vi", "Không có thực thể nào có mã"), ("en", "There is no entity")])
def test_profile_of_a_missing_id_says_so(store: GraphStore, lang: str, expected: str):
    app = AppTest.from_string(PROFILE, default_timeout=120)
    app.session_state["lang"] = lang
    app.query_params["id"] = "zzqx-9f3k"
    app.run()
    assert not app.exception
    assert any(expected in w.value and md("zzqx-9f3k") in w.value for w in app.warning)  # as markdown shows it
    assert not app.title  # no other entity's profile in its place


def test_unknown_ids_are_reported_in_vietnamese(store: GraphStore):
    from queries.paths import find_paths
    from queries.profile import NotFound

    with pytest.raises(NotFound) as caught:
        find_paths(store, "vusta", "zzqx-9f3k")  # no name, alias or acronym is like it
    assert caught.value.text("vi").startswith("Không tìm thấy") and "No entity" in str(caught.value)


# -- 11. a very long description ------------------------------------------------------------------

@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_a_ten_megabyte_description_is_shortened_with_show_all(fresh_store: GraphStore):
    text = "Mo ta rat dai. " * (10 * 1024 * 1024 // 15)  # 10 MiB
    load_records(fresh_store, [EntityRecord(id="long-desc", kinds=["Theme"], name="Chủ đề dài",
                                            properties={"description": text})], [], command="test",
                 inputs=["test"], quiet=True)
    saved = os.environ.get("VUSTA_EMBEDDED_DATABASE")
    os.environ["VUSTA_EMBEDDED_DATABASE"] = fresh_store.database
    st.cache_resource.clear()
    try:
        app = AppTest.from_string(PROFILE, default_timeout=120)
        app.query_params["id"] = "long-desc"
        app.run()
        assert not app.exception, [e.value for e in app.exception]
        shown = sum(len(m.value) for m in app.markdown)
        assert shown < 100_000, shown
        toggle = app.toggle(key="profile-all-description")
        toggle.set_value(True).run()
        assert app.text and len(app.text[0].value) == 200_000
        assert any(b.proto.label.startswith("Tải toàn bộ") for b in app.get("download_button"))
    finally:
        if saved is None:
            os.environ.pop("VUSTA_EMBEDDED_DATABASE", None)
        else:
            os.environ["VUSTA_EMBEDDED_DATABASE"] = saved
        st.cache_resource.clear()
