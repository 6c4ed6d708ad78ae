"""The precision/recall script, and that the extractor does not know the answers."""

import ast
import json
import subprocess
import sys
from pathlib import Path

from ingest.evaluate import load_gold
from ingest.patterns import EVENT_HEADS, FOREIGN, INTERNATIONAL, NAME_TAILS, ORG_HEADS, POLICY_HEADS
from ingest.vietnamese import fold_name

ROOT = Path(__file__).resolve().parent.parent


def test_evaluate_prints_both_modes_with_figures():
    result = subprocess.run([sys.executable, "-m", "ingest.evaluate", "--json", "--corpus", "none"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["documents"]) == 5
    for mode in ("discovery", "linking"):
        block = out[mode]
        for part in ("entities", "relationships"):
            figures = block[part]
            assert set(figures) >= {"precision", "recall", "f1", "correct", "predicted", "gold"}
            assert figures["gold"] > 0 and 0 <= figures["recall"] <= 1
        assert block["entities_by_kind"] and block["relationships_by_type"]
    assert "empty gazetteer" in out["discovery"]["description"]
    # floors well below today's figures (see README): a regression fails here
    assert out["linking"]["entities"]["precision"] >= 0.85 and out["linking"]["entities"]["recall"] >= 0.8
    assert out["discovery"]["entities"]["precision"] >= 0.8 and out["discovery"]["entities"]["recall"] >= 0.3
    assert out["discovery"]["relationships"]["precision"] >= 0.6
    assert out["linking"]["relationships"]["precision"] >= 0.6
    # discovery may not see what only the gazetteer knows
    assert out["discovery"]["entities"]["recall"] < out["linking"]["entities"]["recall"]

    text = subprocess.run([sys.executable, "-m", "ingest.evaluate", "--corpus", "none"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600).stdout
    assert "DISCOVERY" in text and "LINKING" in text and "relationships" in text


def test_corpus_evaluation_reports_both_halves_languages_and_modes():
    from ingest.evaluate_corpus import split_files
    result = subprocess.run([sys.executable, "-m", "ingest.evaluate", "--json", "--no-seeds", "--errors"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    corpus = json.loads(result.stdout)["corpus"]
    assert corpus["linking_gazetteer"]["entities"] > 0
    for half in ("dev", "test"):
        block = corpus[half]
        if "note" in block:  # gold not written yet for this half
            assert half == "test"
            continue
        assert block["documents"] == len(split_files(half))
        for mode in ("discovery", "linking"):
            for language in ("vi", "en", "all"):
                figures = block[mode][language]
                for scope in ("named", "places", "themes"):
                    assert set(figures["entities"][scope]) >= {"precision", "recall", "correct", "predicted", "gold"}
                assert figures["entities"]["named"]["gold"] > 0
                assert figures["related_pairs"]["gold"] > 0 and figures["typed_relationships"]["gold"] > 0
                assert set(figures["named_by_group"]) == {"organisation", "person", "event", "project", "agreement"}
                # the test half's errors are never printed, so nobody tunes on them
                assert ("errors" in figures) == (half == "dev")
        # discovery sees no graph names: never better recall than linking on named entities by much
        assert block["discovery"]["all"]["entities"]["named"]["recall"] <= \
            block["linking"]["all"]["entities"]["named"]["recall"] + 0.05


def test_the_linking_gazetteer_leaves_out_what_only_the_test_half_sources():
    from ingest.evaluate_corpus import linking_records, split_files
    test_files = split_files("test")
    kept, left_out = linking_records(excluded_documents=test_files)
    for record in kept:
        documents = {s.document for s in record.sources}
        assert not record.sample
        assert not documents or not documents <= set(test_files), record.id
    kept_all, _ = linking_records(excluded_documents=[])
    assert len(kept_all) == len(kept) + len(left_out)


def _code_strings(path: Path) -> list[str]:
    """The string literals of a module that are code, not documentation (docstrings left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_the_patterns_do_not_contain_the_gold_names():
    gold = load_gold()
    strings = [s for name in ("patterns.py", "relations.py", "extract.py", "gazetteer.py", "vietnamese.py")
               for s in _code_strings(ROOT / "ingest" / name)]
    code = " | ".join(fold_name(s) for s in strings)
    # head words are types of body ("Bộ", "Hội", "Đảng đoàn" …); country, region and "United Nations"
    # words tell foreign and international organisations apart (kinds) and end names ("… Liên hợp
    # quốc"): none of them makes an entity by itself
    vocabulary = {fold_name(" ".join(words)) for words in FOREIGN | INTERNATIONAL | set(NAME_TAILS) | set(ORG_HEADS)
                  | EVENT_HEADS | POLICY_HEADS}
    # the standard abbreviations' full words ("tài nguyên và môi trường" → "TN-MT") are vocabulary too:
    # they are how any official name is written, not the name of one entity
    from ingest.gazetteer import ABBREVIATIONS

    abbreviated = " | ".join(" ".join(words) for words in ABBREVIATIONS)
    leaked = []
    for entity in gold.entities.values():
        if not any(gold.by_document.get(d) and entity.id in gold.by_document[d] for d in gold.by_document):
            continue
        for name in [entity.name, *entity.aliases]:
            folded = fold_name(name)
            if len(folded.split()) >= 2 and f" {folded} " in f" {code} " and folded not in vocabulary \
                    and f" {folded} " not in f" {abbreviated} ":
                leaked.append(name)
    assert not leaked, leaked
