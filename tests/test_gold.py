"""The corpus split and the gold annotations in data/evaluation/ (ingest.gold)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from graph.schema import NodeKind, RelationshipType
from ingest import gold as G
from ingest.curated import yaml_files

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def split() -> G.CorpusSplit:
    return G.load_split()


@pytest.fixture(scope="module")
def known() -> dict[str, list[str]]:
    return G.graph_ids(ROOT / "data")


def test_split_is_what_the_seeded_procedure_gives(split):
    meta = {name: (e.language, e.source_type) for name, e in split.entries.items()}
    assert split.seed == G.SPLIT_SEED
    assert G.make_split(meta, split.seed) == {name: e.half for name, e in split.entries.items()}


def test_split_is_balanced_and_its_counts_are_right(split):
    assert len(split.entries) == 34
    for half in G.HALVES:
        stated = split.counts[half]
        assert stated["total"] == len(split.files(half)) == 17
        for language in ("vi", "en"):
            assert stated[language] == len(split.files(half, language))
    assert len(split.files(None, "vi")) == 16 and len(split.files(None, "en")) == 18
    # every source type is spread over both halves as evenly as it can be
    by_type = Counter((e.source_type, e.half) for e in split.entries.values())
    for source_type in {e.source_type for e in split.entries.values()}:
        assert abs(by_type[(source_type, "dev")] - by_type[(source_type, "test")]) <= 1


def test_split_covers_exactly_the_corpus(split):
    corpus = G.corpus_dir()
    if not corpus.is_dir():
        pytest.skip(f"corpus folder {corpus} not present (set VUSTA_CORPUS_DIR)")
    assert sorted(p.name for p in corpus.glob("*.txt")) == split.files()


def test_every_text_of_the_split_has_a_gold_file_and_nothing_else_is_there(split):
    present = sorted(p.stem for p in G.GOLD_DIR.glob("*.yaml"))
    assert set(present) <= set(split.stems()), "gold files for texts outside the split"
    missing = [stem for stem in split.stems() if stem not in present]
    assert not missing, f"texts without gold annotations: {missing}"
    assert len(present) == 34


def test_every_gold_file_validates_against_schema_graph_and_text(split, known):
    corpus = G.corpus_dir()
    problems: list[str] = []
    golds = G.load_all_gold(split=split)
    assert golds
    for gold in golds.values():
        path = corpus / gold.file
        text = G.corpus_body(path) if path.exists() else None
        problems += G.check_gold(gold, known, text, split)
        keys = gold.by_key()
        for item in gold.all_entities():
            assert isinstance(item.kind, NodeKind)
        for rel in gold.all_relationships():
            assert isinstance(rel.type, RelationshipType)
            assert rel.source in keys and rel.target in keys
    assert not problems, "\n".join(problems)


def test_project_blocks_imply_their_relationships(split):
    golds = G.load_all_gold(split=split)
    for gold in golds.values():
        triples = {(str(r.type), r.source, r.target) for r in gold.all_relationships()}
        for project in gold.projects:
            for donor in project.donors:
                assert ("FUNDS", donor, project.key) in triples
            for place in project.places:
                assert ("LOCATED_IN", project.key, place) in triples


def _write(tmp_path: Path, stem: str, data: dict) -> Path:
    (tmp_path / f"{stem}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


# A made-up annotation (not from the corpus) to show the checks reject bad files.
GOOD = {
    "file": "99_made_up.txt", "language": "vi", "annotator": "test",
    "entities": [
        {"key": "hoi-a", "kind": "MemberAssociation", "name": "Hội Thử nghiệm A"},
        {"key": "quy-b", "kind": "Donor", "name": "Quỹ Thử nghiệm B", "aliases": ["QTB"]},
        {"key": "du-an", "kind": "Project", "name": "Dự án thử nghiệm"},
    ],
    "places": [{"key": "ha-noi", "kind": "Province", "name": "Hà Nội", "graph_id": "place-ha-noi"}],
    "relationships": [{"type": "PARTNER_OF", "source": "hoi-a", "target": "quy-b"}],
    "projects": [{"key": "du-an", "donors": ["quy-b"], "implementers": ["hoi-a"], "places": ["ha-noi"],
                  "start_year": 2020, "end_year": 2022, "amounts": [{"value": 2.5e6, "currency": "USD"}]}],
}


def test_a_good_made_up_file_loads_and_derives_project_relationships(tmp_path, known):
    gold = G.load_gold("99_made_up", _write(tmp_path, "99_made_up", GOOD))
    types = sorted(str(r.type) for r in gold.all_relationships())
    assert types == ["FUNDS", "IMPLEMENTS", "LOCATED_IN", "PARTNER_OF"]
    assert [e.key for e in gold.named_entities()] == ["hoi-a", "quy-b", "du-an"]
    assert G.check_gold(gold, known, "Hội Thử nghiệm A cùng Quỹ Thử nghiệm B (QTB) làm Dự án thử nghiệm ở Hà Nội") == []
    assert G.check_gold(gold, known, "Hội Thử nghiệm A ở Hà Nội")  # names missing from the text are reported


@pytest.mark.parametrize("change, message", [
    (lambda d: d["entities"][0].update(kind="Organisation"), "kind"),
    (lambda d: d["relationships"][0].update(type="KNOWS"), "type"),
    (lambda d: d["relationships"][0].update(target="nobody"), "not a key of this file"),
    (lambda d: d["projects"][0].update(key="hoi-a"), "Project or Programme"),
    (lambda d: d["entities"].append({"key": "hoi-a", "kind": "Person", "name": "X"}), "used twice"),
    (lambda d: d["entities"].append({"key": "tinh", "kind": "Province", "name": "Huế"}), "places/themes"),
    (lambda d: d["projects"][0].update(end_year=2010), "end_year before start_year"),
])
def test_bad_files_are_rejected_naming_the_file(tmp_path, change, message):
    import copy

    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(G.GoldError) as error:
        G.load_gold("99_made_up", _write(tmp_path, "99_made_up", data))
    assert "99_made_up.yaml" in str(error.value) and message in str(error.value)


def test_unknown_or_mismatched_graph_ids_are_reported(tmp_path, known):
    import copy

    data = copy.deepcopy(GOOD)
    data["entities"][0]["graph_id"] = "no-such-entity"
    data["entities"][1]["graph_id"] = "place-ha-noi"  # a donor linked to a province
    gold = G.load_gold("99_made_up", _write(tmp_path, "99_made_up", data))
    problems = G.check_gold(gold, known)
    assert any("no-such-entity" in p for p in problems)
    assert any("place-ha-noi" in p and "quy-b" in p for p in problems)


def test_the_curated_loader_does_not_read_the_evaluation_folder():
    files = yaml_files([ROOT / "data"])
    assert files and not [f for f in files if "evaluation" in f.parts]
    assert G.SPLIT_FILE not in files


@pytest.mark.slow  # over 1 s: left out of the fast subset (-m "not slow")
def test_held_out_ids_are_the_entities_curated_only_from_one_half(split):
    sources = G.source_documents(ROOT / "data")
    dev, test = G.held_out_ids("dev", split), G.held_out_ids("test", split)
    assert not dev & test
    for half, ids in (("dev", dev), ("test", test)):
        for entity_id in ids:
            assert sources[entity_id] and sources[entity_id] <= set(split.files(half))
    assert "vusta" not in dev | test  # cited by the seed documents too
