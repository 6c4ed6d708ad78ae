"""Document extraction: Vietnamese normalisation, patterns, gazetteer, cues, the docs command."""

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store import GraphStore
from ingest.candidates import read_candidates
from ingest.curated_load import load_curated
from ingest.documents import read_documents, split_sentences
from ingest.extract import Extractor
from ingest.gazetteer import Gazetteer
from ingest.patterns import find_all
from ingest.relations import EntityMention, find_relationships
from ingest.vietnamese import clean_line, fold_name
from queries.stats import stats

from tests.documents_support import SEEDS, requires_documents  # the product's setting VUSTA_DOCUMENTS_DIR

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "new_article.txt"


def test_both_tone_placements_and_unicode_forms_read_alike():
    assert clean_line("Uỷ ban về hoà bình, sức khoẻ") == "Ủy ban về hòa bình, sức khỏe"
    assert clean_line(unicodedata.normalize("NFD", "Hội Luật gia")) == "Hội Luật gia"
    assert clean_line("quý thuyết hoàng") == "quý thuyết hoàng"  # one placement only: untouched
    assert clean_line("a\u00a0b\tc") == "a b c"
    assert fold_name("Liên hiệp Hội Việt Nam") == fold_name("LIEN HIEP hoi viet nam")


def test_sentences_keep_titles_and_offsets():
    line = "Hội thảo do PGS.TS Phạm Quang Thao chủ trì. Tham dự có TS. Lê Công Lương."
    parts = list(split_sentences("d.txt", 3, line))
    assert [p.text for p in parts] == ["Hội thảo do PGS.TS Phạm Quang Thao chủ trì.", "Tham dự có TS. Lê Công Lương."]
    assert all(line[p.start:p.end] == p.text and p.line == 3 for p in parts)


def test_gazetteer_matches_without_diacritics_by_acronym_and_with_a_typo():
    g = Gazetteer()
    g.add_entity("vusta", ["Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "Liên hiệp Hội Việt Nam", "VUSTA"],
                 ["Union"])
    g.add_entity("un", ["Liên hợp quốc", "UN"], ["InternationalOrganisation"])
    text = "lien hiep hoi viet nam hop tac voi VUSTA; Liên hiệp Hội Việt đã ký; un chiến dịch"
    found = {(m.text, m.method) for m in g.find(text)}
    assert ("lien hiep hoi viet nam", "gazetteer") in found
    assert ("VUSTA", "gazetteer:acronym") in found
    assert ("Liên hiệp Hội Việt", "gazetteer:fuzzy") in found
    assert not any(t == "un" for t, _ in found)  # a short acronym matches only as written


@pytest.mark.parametrize("sentence, name, kinds, alias", [
    ("là đối tác với Tổ chức Hợp tác Phát triển Đức (GIZ), Cơ quan Viện trợ Ailen.",
     "Tổ chức Hợp tác Phát triển Đức", ["ForeignPartner", "Donor"], "GIZ"),
    ("là thành viên của Liên đoàn các tổ chức kỹ sư ASEAN (AFEO) từ năm 2000.",
     "Liên đoàn các tổ chức kỹ sư ASEAN", ["Network"], "AFEO"),
    ("Nhiều hội như Hội Nghề cá, Hội Khoa học Lịch sử đã lên tiếng.", "Hội Nghề cá", ["MemberAssociation"], None),
    ("ký thỏa thuận với Ủy ban Nhà nước về Người Việt Nam ở nước ngoài thuộc Bộ Ngoại giao.",
     "Ủy ban Nhà nước về Người Việt Nam ở nước ngoài", ["GovernmentBody"], None),
    ("Chia sẻ với báo, bà Dương Thị Nga – Trưởng ban cho biết.", "Dương Thị Nga", ["Person"], "bà Dương Thị Nga"),
    ("Hội thảo do PGS.TS Phạm Quang Thao, Phó Chủ tịch chủ trì.", "Phạm Quang Thao", ["Person"],
     "PGS.TS Phạm Quang Thao"),
    ("đăng cai Hội thi Sáng tạo kỹ thuật toàn quốc lần thứ 17 tại Hà Nội.",
     "Hội thi Sáng tạo kỹ thuật toàn quốc lần thứ 17", ["Event"], None),
    ("thực hiện Chỉ thị số 42-CT/TW của Bộ Chính trị.", "Chỉ thị 42-CT/TW", ["PolicyDocument"], "Chỉ thị số 42-CT/TW"),
])
def test_patterns_find_names_of_the_kinds_the_texts_use(sentence, name, kinds, alias):
    found = {f.name: f for f in find_all(clean_line(sentence))}
    assert name in found, list(found)
    assert found[name].kinds == kinds
    if alias:
        assert alias in found[name].aliases
    assert sentence[found[name].start:found[name].end].startswith(name.split()[0])


def test_event_number_and_year_and_person_title_are_properties():
    found = {f.name: f for f in find_all("VUSTA đã đăng cai hội nghị CAFEO lần thứ 18 (năm 2000), CAFEO 28 (năm 2010).")}
    assert found["CAFEO 28"].properties == {"number": 28, "year": 2010}
    person = {f.name: f for f in find_all("Kết luận, PGS.TS Phạm Quang Thao khẳng định.")}["Phạm Quang Thao"]
    assert person.properties["title"] == "PGS.TS"


def _mention(key: str, kinds: set[str], text: str, name: str) -> EntityMention:
    start = text.index(name)
    return EntityMention(key, frozenset(kinds), start, start + len(name), name)


@pytest.mark.parametrize("text, mentions, expected", [
    ("Liên hiệp Hội Việt Nam hiện là thành viên của AFEO, ISC, là đối tác với nhiều tổ chức như GIZ, UNICEF.",
     [("vusta", {"Union"}, "Liên hiệp Hội Việt Nam"), ("afeo", {"Network"}, "AFEO"),
      ("isc", {"InternationalOrganisation"}, "ISC"), ("giz", {"ForeignPartner"}, "GIZ"),
      ("unicef", {"InternationalOrganisation"}, "UNICEF")],
     {("MEMBER_OF", "vusta", "afeo"), ("MEMBER_OF", "vusta", "isc"), ("PARTNER_OF", "vusta", "giz"),
      ("PARTNER_OF", "vusta", "unicef")}),
    ("Trung tâm SRD được hưởng quy chế tư vấn của ECOSOC.",
     [("srd", {"AffiliatedOrganisation"}, "Trung tâm SRD"), ("ecosoc", {"InternationalOrganisation"}, "ECOSOC")],
     {("HAS_CONSULTATIVE_STATUS", "srd", "ecosoc")}),
    ("Với sự hỗ trợ kỹ thuật của GIZ, Liên hiệp Hội Việt Nam đã tiếp cận dự án.",
     [("giz", {"ForeignPartner"}, "GIZ"), ("vusta", {"Union"}, "Liên hiệp Hội Việt Nam")],
     {("SUPPORTS", "giz", "vusta")}),
    ("Năm 2020, VUSTA đăng cai tổ chức CAFEO 38 tại Đà Nẵng.",
     [("vusta", {"Union"}, "VUSTA"), ("cafeo-38", {"Event"}, "CAFEO 38")],
     {("HOSTS", "vusta", "cafeo-38")}),
])
def test_cue_phrases_give_relationships(text, mentions, expected):
    found = find_relationships(text, [_mention(key, kinds, text, name) for key, kinds, name in mentions])
    assert {(r.type, r.from_key, r.to_key) for r in found} == expected
    hosts = [r for r in found if r.type == "HOSTS"]
    assert all(r.properties.get("year") == 2020 for r in hosts)
    assert all(r.method.startswith("cue:") and 0 < r.confidence <= 1 for r in found)


def test_a_document_never_seen_is_read_by_patterns_alone():
    """tests/fixtures/new_article.txt was written for this test: none of its organisations is in data/."""
    extraction = Extractor(Gazetteer()).run(read_documents([FIXTURE]))
    names = {e.name: e for e in extraction.entities.values() if e.evidence}
    assert names["Quỹ Phát triển Nông nghiệp Bắc Âu"].aliases == ["NADF"]
    assert names["Trần Văn Hùng"].properties == {"title": "PGS.TS"}
    assert "Hội Sinh học Phân tử Việt Nam" in names and "Nguyễn Thị Mai Anh" in names
    assert names["Hội nghị Hóa sinh châu Á lần thứ 17"].properties["number"] == 17  # written "Hoá" in the text
    assert "Mai Anh" not in names  # "Bà Mai Anh" later is the same person
    rels = {(r.type, extraction.entities[r.from_key].name, extraction.entities[r.to_key].name): r
            for r in extraction.relationships.values()}
    assert ("MEMBER_OF", "Hội Sinh học Phân tử Việt Nam", "Liên đoàn các Hội Hóa sinh châu Á") in rels
    assert rels[("MEMBER_OF", "Hội Sinh học Phân tử Việt Nam", "Liên đoàn các Hội Hóa sinh châu Á")].properties == \
        {"year": 2015}
    assert ("HAS_CONSULTATIVE_STATUS", "Trung tâm Nghiên cứu Môi trường và Cộng đồng",
            "Hội đồng Kinh tế - Xã hội Liên hợp quốc") in rels
    assert ("SUPPORTS", "Cơ quan Hợp tác Quốc tế Hàn Quốc", "Trung tâm Nghiên cứu Môi trường và Cộng đồng") in rels
    assert ("HOLDS_POSITION", "Trần Văn Hùng", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam") in rels
    # the NFD paragraph is read like the rest: the partnership it states is found
    assert any(t == "PARTNER_OF" and a == "Quỹ Phát triển Nông nghiệp Bắc Âu" for t, a, _ in rels)
    evidence = rels[("MEMBER_OF", "Hội Sinh học Phân tử Việt Nam", "Liên đoàn các Hội Hóa sinh châu Á")].evidence[0]
    line = clean_line(FIXTURE.read_text(encoding="utf-8").split("\n")[evidence.line - 1])
    assert line[evidence.start:evidence.end].startswith("là thành viên của")
    assert evidence.document == "new_article.txt" and evidence.method == "cue:là thành viên của"


# -- the command ------------------------------------------------------------------------------------

def run_cli(*args: str, database: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = os.environ.copy()
    if database:
        env["VUSTA_EMBEDDED_DATABASE"] = database
    result = subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr}{result.stdout}")
    return result


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
@requires_documents
def test_docs_writes_candidates_and_changes_nothing(store: GraphStore, tmp_path: Path):
    before = stats(store)
    out = json.loads(run_cli("docs", str(SEEDS), "--out", str(tmp_path / "c.json"), "--json").stdout)
    assert out["candidates_file"] == str(tmp_path / "c.json") and "load" not in out
    assert stats(store) == before
    candidates = read_candidates(tmp_path / "c.json")
    assert len(candidates.documents) == 5 and all(d.in_graph for d in candidates.documents)
    giz = next(c for c in candidates.entities if c.id == "giz")
    assert giz.status == "merge-into:giz" and giz.accept is None
    evidence = giz.evidence[0]
    assert {evidence.document, evidence.method} & {"000_f6208c092d653411.txt"} and evidence.end > evidence.start
    member = next(r for r in candidates.relationships if (r.type, r.from_id, r.to_id) == ("MEMBER_OF", "vusta", "afeo"))
    assert member.status.startswith("merge-into:vusta|MEMBER_OF|afeo")
    assert member.evidence[0].method == "cue:là thành viên của"


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
@requires_documents
def test_docs_apply_adds_evidence_without_duplicates_and_again_changes_nothing(settings: Settings, fresh_store,
                                                                            tmp_path: Path):
    database = fresh_store.settings.embedded_database
    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    curated = stats(fresh_store)
    names_before = {row["id"]: row["name"] for row in fresh_store.read("name_table")}
    first = json.loads(run_cli("docs", str(SEEDS), str(FIXTURE), "--apply", "--out", str(tmp_path / "a.json"),
                               "--json", database=database).stdout)
    assert first["load"]["run_id"] and first["load"]["entities"]["updated"] > 50
    after = {row["id"]: row for row in fresh_store.read("name_table")}
    new_ids = set(after) - set(names_before)
    # no new entity repeats a curated one's name
    curated_names = {fold_name(n) for n in names_before.values()}
    assert new_ids and not [i for i in new_ids if fold_name(after[i]["name"]) in curated_names
                            and "Document" not in after[i]["kinds"]]
    assert "new_article.txt" in new_ids  # the new document became a Document node
    assert stats(fresh_store)["nodes"]["Union"] == curated["nodes"]["Union"]
    # curated values kept, extracted evidence added, mentions linked to the documents
    giz = fresh_store.read("entity_profile", id="giz")[0]["props"]
    methods = {s["method"] for s in json.loads(giz["provenance"])}
    assert "curated" in methods and {"gazetteer", "gazetteer:acronym"} & methods
    # again: nothing changes; the curated reload keeps the evidence and changes nothing either
    second = json.loads(run_cli("docs", str(SEEDS), str(FIXTURE), "--apply", "--out", str(tmp_path / "b.json"),
                                "--json", database=database).stdout)
    assert second["load"]["run_id"] is None
    assert second["load"]["entities"]["created"] == second["load"]["entities"]["updated"] == 0
    assert second["load"]["relationships"]["created"] == second["load"]["relationships"]["updated"] == 0
    held = stats(fresh_store)
    reload = load_curated(fresh_store, [ROOT / "data"], quiet=True)
    assert reload.plan.changes == 0 and stats(fresh_store) == held
    runs = [r["run"] for r in fresh_store.read("ingest_runs", limit=10)]
    assert any(r["command"].startswith("python -m ingest docs --apply") for r in runs)


@pytest.mark.slow  # over 2 s: left out of the fast subset (-m "not slow")
def test_reviewed_candidates_are_applied_as_marked(fresh_store, tmp_path: Path):
    database = fresh_store.settings.embedded_database
    load_curated(fresh_store, [ROOT / "data"], quiet=True)
    path = tmp_path / "review.json"
    run_cli("docs", str(FIXTURE), "--out", str(path), database=database)
    data = json.loads(path.read_text(encoding="utf-8"))
    for candidate in data["entities"]:
        candidate["accept"] = candidate["name"] == "Hội Sinh học Phân tử Việt Nam"
    for candidate in data["relationships"]:
        candidate["accept"] = False
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = json.loads(run_cli("docs", "--apply", "--candidates", str(path), "--json", database=database).stdout)
    assert out["load"]["entities"]["created"] == 2  # the document and the one accepted entity
    assert out["load"]["relationships"]["created"] == 1  # its MENTIONED_IN
    found = [r for r in fresh_store.read("name_table") if r["name"] == "Hội Sinh học Phân tử Việt Nam"]
    assert len(found) == 1 and found[0]["kinds"] == ["MemberAssociation"]


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_docs_reports_a_document_that_is_not_utf8(store: GraphStore, tmp_path: Path):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("H\u00f4\u0323i Lu\u00e2\u0323t gia Vi\u00ea\u0323t Nam".encode("cp1258"))  # tones combining
    before = stats(store)
    result = run_cli("docs", str(bad), "--apply", "--json", check=False)
    assert result.returncode == 2
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["file"].endswith("latin.txt") and "UTF-8" in problem["message"] and problem["line"] == 1
    assert stats(store) == before
