"""Backup and restore, personal data in exports, and deletion on request."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graph.backup import BackupError, export_graph, import_graph
from graph.maintenance import forget
from graph.schema import EntityRecord, FigureRecord, RelationshipRecord
from graph.store import GraphStore
from ingest.load import load_records
from queries.profile import show
from queries.stats import stats

ROOT = Path(__file__).resolve().parent.parent


def add_people(store: GraphStore) -> None:
    entities = [
        EntityRecord(id="vusta", kinds=["Union"], name="Liên hiệp Hội Việt Nam"),
        EntityRecord(id="person-private", kinds=["Person"], name="Nguyễn Văn Riêng",
                     properties={"email": "rieng@example.org", "phone": "+84 90 000 0001", "consent": False,
                                 "country_of_residence": "Pháp"}),
        EntityRecord(id="person-public", kinds=["Person"], name="Trần Thị Công Khai",
                     properties={"email": "congkhai@example.org", "consent": True}),
        FigureRecord(id="fig-private-papers", subject="person-private", metric="papers", label="Số bài báo",
                     value=12, unit="count", year=2020).as_entity(),
    ]
    relationships = [
        RelationshipRecord.model_validate({"type": "MEMBER_OF", "from": "person-private", "to": "vusta"}),
        RelationshipRecord.model_validate({"type": "MEMBER_OF", "from": "person-public", "to": "vusta"}),
    ]
    load_records(store, entities, relationships, command="test", inputs=["test"], quiet=True)


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_full_export_round_trips_exactly(store: GraphStore, fresh_store: GraphStore, tmp_path: Path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_graph(store, first, full=True)
    assert oct(first.stat().st_mode & 0o777) == "0o600"
    import_graph(fresh_store, first)
    export_graph(fresh_store, second, full=True)
    assert first.read_bytes() == second.read_bytes()
    assert stats(fresh_store) == stats(store)


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_replace_restores_exactly_over_other_data(store: GraphStore, fresh_store: GraphStore, tmp_path: Path):
    add_people(fresh_store)  # data that the restore must remove
    backup, again = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_graph(store, backup, full=True)
    import_graph(fresh_store, backup, replace=True)
    export_graph(fresh_store, again, full=True)
    assert backup.read_bytes() == again.read_bytes()


def test_default_export_has_no_contact_details_without_consent(fresh_store: GraphStore, tmp_path: Path):
    add_people(fresh_store)
    shared, full = tmp_path / "shared.jsonl", tmp_path / "full.jsonl"
    export_graph(fresh_store, shared)
    export_graph(fresh_store, full, full=True)
    text = shared.read_text(encoding="utf-8")
    assert "rieng@example.org" not in text and "+84 90 000 0001" not in text
    assert "congkhai@example.org" in text  # consent given
    assert "rieng@example.org" in full.read_text(encoding="utf-8")


def test_show_hides_contact_details_without_consent(fresh_store: GraphStore):
    add_people(fresh_store)
    private = show(fresh_store, "person-private")
    assert "email" not in private["properties"] and "phone" not in private["properties"]
    assert private["properties"]["country_of_residence"] == "Pháp"
    assert show(fresh_store, "person-public")["properties"]["email"] == "congkhai@example.org"


def test_forget_removes_the_person_and_every_fact_about_them(fresh_store: GraphStore):
    add_people(fresh_store)
    result = forget(fresh_store, "person-private")
    assert result["deleted_figures"] == ["fig-private-papers"]
    assert fresh_store.read("entity_profile", id="person-private") == []
    assert fresh_store.read("entity_profile", id="fig-private-papers") == []
    vusta = show(fresh_store, "vusta")
    assert all(r["other"]["id"] != "person-private" for r in vusta["relationships"])
    log = json.dumps(fresh_store.read("ingest_runs", limit=50), ensure_ascii=False)
    assert "person-private" not in log and "Riêng" not in log and "sha256:" in log
    with pytest.raises(LookupError):
        forget(fresh_store, "person-private")


BAD_BACKUPS = {
    "not_json": ('{"record": "header", "format": "vusta-graph", "version": 1}\n{not json\n', "not valid JSON"),
    "no_header": ('{"record": "entity", "id": "x", "labels": ["Theme"], "properties": {}}\n', "header"),
    "unknown_label": ('{"record": "header", "format": "vusta-graph", "version": 1}\n'
                      '{"record": "entity", "id": "x", "labels": ["Charity"], "properties": {}}\n', "Charity"),
    "unknown_type": ('{"record": "header", "format": "vusta-graph", "version": 1}\n'
                     '{"record": "entity", "id": "x", "labels": ["Theme"], "properties": {}}\n'
                     '{"record": "relationship", "id": "r", "type": "LIKES", "from": "x", "to": "x", '
                     '"properties": {}}\n', "LIKES"),
    "dangling": ('{"record": "header", "format": "vusta-graph", "version": 1}\n'
                 '{"record": "entity", "id": "x", "labels": ["Theme"], "properties": {}}\n'
                 '{"record": "relationship", "id": "r", "type": "PART_OF", "from": "x", "to": "nowhere", '
                 '"properties": {}}\n', "nowhere"),
    "wrong_version": ('{"record": "header", "format": "vusta-graph", "version": 99}\n', "version"),
    "empty": ("", "empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_BACKUPS))
def test_bad_backup_is_refused_and_nothing_changes(store: GraphStore, tmp_path: Path, case: str):
    text, expected = BAD_BACKUPS[case]
    path = tmp_path / f"{case}.jsonl"
    path.write_text(text, encoding="utf-8")
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    export_graph(store, before, full=True)
    with pytest.raises(BackupError, match=expected):
        import_graph(store, path)
    export_graph(store, after, full=True)
    assert before.read_bytes() == after.read_bytes()


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_cli_export_import_forget(fresh_store: GraphStore, tmp_path: Path):
    add_people(fresh_store)
    env = {**os.environ, "VUSTA_EMBEDDED_DATABASE": fresh_store.database}

    def cli(*args: str) -> dict:
        result = subprocess.run([sys.executable, "-m", "graph", *args, "--json"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        return {"code": result.returncode, **json.loads(result.stdout)}

    out = cli("export", str(tmp_path / "x.jsonl"))
    assert out["code"] == 0 and out["full"] is False
    assert "rieng@example.org" not in (tmp_path / "x.jsonl").read_text(encoding="utf-8")
    refused = cli("forget", "person-private")
    assert refused["code"] == 2 and "--yes" in refused["message"]
    done = cli("forget", "person-private", "--yes")
    assert done["code"] == 0 and done["deleted"] == "person-private"
    missing = cli("import", str(tmp_path / "nope.jsonl"))
    assert missing["code"] == 2 and "cannot be read" in missing["error"]
