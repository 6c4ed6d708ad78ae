"""The evaluation corpus split and the gold-standard annotations (``data/evaluation/``).

Split
-----
``data/evaluation/corpus_split.yaml`` assigns each of the 34 corpus texts (``../shared/corpus``,
setting ``VUSTA_CORPUS_DIR``) to ``dev`` or ``test``. It was made once by :func:`make_split`
(seeded, stratified by language and source type); :func:`load_split` reads it back and
``tests/test_gold.py`` checks the file still equals what :func:`make_split` produces.

Gold files
----------
``data/evaluation/gold/<stem>.yaml``, one per corpus text, written by hand following
``data/evaluation/GUIDELINES.md``. The curated loader skips ``data/evaluation/``.

API (for the extractor's evaluation; nothing here reads extractor output)::

    from ingest.gold import load_split, load_gold, load_all_gold, corpus_dir, corpus_body

    split = load_split()                      # CorpusSplit
    split.files("dev")                        # sorted file names of the dev half
    split.stems("test", "vi")                 # stems of the Vietnamese test texts
    split.entries[name].language / .half / .source_type

    gold = load_gold("01_vusta_global_fund_aids_project")   # GoldFile (stem or file name)
    golds = load_all_gold(half="test")        # {stem: GoldFile}; every file validated
    text = corpus_body(corpus_dir() / gold.file)   # the excerpt without its URL/Retrieved header

    gold.named_entities()   # GoldEntity of the scored groups: organisation, person, event,
                            # project (Project+Programme), agreement
    gold.entities           # all named entities incl. group "document" (PolicyDocument, Publication)
    gold.places, gold.themes        # reported apart (group "place" / "theme")
    e.name, e.aliases, e.names()    # surface forms as written in the text (match on graph.text.fold)
    e.kind, e.alt_kinds, e.group    # schema NodeKind; alternatives also count as right; score group
    e.graph_id                      # id of the entity in data/ when the graph holds it, else None
    gold.all_relationships()        # GoldRelationship incl. FUNDS/IMPLEMENTS/LOCATED_IN derived
                                    # from the project blocks; r.type, r.alt_types, r.source,
                                    # r.target (keys of gold.by_key()), r.year, r.role,
                                    # r.symmetric (PARTNER_OF/COOPERATES_WITH: direction ignored),
                                    # r.pair() (unordered pair, for "related pairs" scoring)
    held_out_ids("test")            # graph ids curated ONLY from test-half corpus texts: leave
                                    # them out of the linking gazetteer when scoring the test half
                                    # and treat a gold graph_id among them as not-in-graph
    gold.projects                   # GoldProject: key, donors, implementers, places (keys),
                                    # start_year, end_year, amounts [Amount(value, currency, note)]

``check_gold(gold, graph_ids(), text, split)`` returns cross-check problems (graph ids exist with
a compatible kind, every name is written in the text, language agrees with the split).
``python -m ingest.gold`` validates every file and prints the counts per half and language.
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graph.schema import KINDS, RELATIONSHIPS, NodeKind, RelationshipType
from graph.text import normalise
from graph.yaml_text import load_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVALUATION_DIR = PROJECT_ROOT / "data" / "evaluation"
SPLIT_FILE = EVALUATION_DIR / "corpus_split.yaml"
GOLD_DIR = EVALUATION_DIR / "gold"

SPLIT_SEED = 13  # the issue number; fixed once, never re-drawn

Half = str  # "dev" | "test"
HALVES = ("dev", "test")


def make_split(files: dict[str, tuple[str, str]], seed: int = SPLIT_SEED) -> dict[str, Half]:
    """Split ``{file name: (language, source type)}`` into two halves, stratified.

    Strata are (language, source type), visited in sorted order. Within a stratum the files
    (sorted by name) are shuffled with one ``random.Random(seed)``, then dealt one by one to the
    half that has (1) fewer files of this stratum, then (2) fewer files of this language, then
    (3) fewer files overall; a remaining tie is broken by the same random generator.
    """
    rng = random.Random(seed)
    strata: dict[tuple[str, str], list[str]] = {}
    for name in sorted(files):
        strata.setdefault(files[name], []).append(name)
    assigned: dict[str, Half] = {}
    per_language: Counter[tuple[str, Half]] = Counter()
    overall: Counter[Half] = Counter()
    for key in sorted(strata):
        names = strata[key]
        rng.shuffle(names)
        in_stratum: Counter[Half] = Counter()
        for name in names:
            ranked = sorted(HALVES, key=lambda h: (in_stratum[h], per_language[(key[0], h)], overall[h]))
            a, b = ranked
            if (in_stratum[a], per_language[(key[0], a)], overall[a]) == (
                in_stratum[b], per_language[(key[0], b)], overall[b]
            ):
                half = HALVES[rng.random() < 0.5]
            else:
                half = a
            assigned[name] = half
            in_stratum[half] += 1
            per_language[(key[0], half)] += 1
            overall[half] += 1
    return assigned


# --------------------------------------------------------------------------------------------
# Loading the split and the gold annotations
# --------------------------------------------------------------------------------------------


Language = Literal["vi", "en"]

# Kinds per list of a gold file. Places and themes are kept apart from the named entities.
PLACE_KINDS = frozenset({NodeKind.PROVINCE, NodeKind.PLACE})
ENTITY_KINDS = frozenset(set(NodeKind) - PLACE_KINDS - {NodeKind.THEME, NodeKind.DOCUMENT, NodeKind.FIGURE})
PROJECT_KINDS = frozenset({NodeKind.PROJECT, NodeKind.PROGRAMME})
# What an evaluation scores the entities by (the groups; places and themes apart).
SCORE_GROUPS: dict[NodeKind, str] = {
    **{k: "organisation" for k, spec in KINDS.items() if spec.group in ("organisation", "government")},
    NodeKind.PERSON: "person",
    NodeKind.EVENT: "event",
    NodeKind.PROJECT: "project",
    NodeKind.PROGRAMME: "project",
    NodeKind.AGREEMENT: "agreement",
    NodeKind.POLICY_DOCUMENT: "document",
    NodeKind.PUBLICATION: "document",
    NodeKind.PROVINCE: "place",
    NodeKind.PLACE: "place",
    NodeKind.THEME: "theme",
}
NAMED_GROUPS = ("organisation", "person", "event", "project", "agreement")
# Relationship types whose direction carries no meaning (scored as unordered pairs).
SYMMETRIC_TYPES = frozenset(t for t, spec in RELATIONSHIPS.items() if spec.symmetric)
WRITABLE_TYPES = frozenset(set(RelationshipType) - {RelationshipType.MENTIONED_IN, RelationshipType.DESCRIBES})

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def corpus_dir() -> Path:
    """The corpus folder: setting ``VUSTA_CORPUS_DIR``, default ``../shared/corpus`` beside the project."""
    raw = os.environ.get("VUSTA_CORPUS_DIR")
    return Path(raw).expanduser() if raw else PROJECT_ROOT.parent / "shared" / "corpus"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SplitEntry(_Strict):
    half: Literal["dev", "test"]
    language: Language
    source_type: Literal["vusta_network_site", "member_or_affiliate_site", "international_partner_site", "news_media"]


class CorpusSplit(_Strict):
    seed: int
    counts: dict[str, dict[str, int]]
    entries: dict[str, SplitEntry] = Field(alias="files")

    def files(self, half: str | None = None, language: str | None = None) -> list[str]:
        """File names (sorted), optionally of one half (``dev``/``test``) and one language (``vi``/``en``)."""
        return sorted(name for name, entry in self.entries.items()
                      if (half is None or entry.half == half) and (language is None or entry.language == language))

    def stems(self, half: str | None = None, language: str | None = None) -> list[str]:
        return [Path(name).stem for name in self.files(half, language)]


class GoldEntity(_Strict):
    """A named entity of one text: organisation, person, event, project/programme, agreement, document.

    ``name``: the fullest form as written in the text; ``aliases``: every other form written in
    the same text (acronyms, short names, other spellings); ``kind``: the schema kind the text
    supports best; ``alt_kinds``: other kinds a reader could defend (scored as right too);
    ``graph_id``: the id of the entity in data/ when the graph already holds it.
    """

    key: str
    kind: NodeKind
    name: str
    aliases: list[str] = []
    alt_kinds: list[NodeKind] = []
    graph_id: str | None = None
    note: str | None = None

    @field_validator("key")
    @classmethod
    def _key_form(cls, value: str) -> str:
        if not _KEY.match(value):
            raise ValueError(f"key {value!r} must be lower-case letters, digits and hyphens")
        return value

    @field_validator("name")
    @classmethod
    def _name_form(cls, value: str) -> str:
        value = normalise(value)
        if not value:
            raise ValueError("name is empty")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_form(cls, value: list[str]) -> list[str]:
        return [normalise(v) for v in value if normalise(v)]

    @property
    def group(self) -> str:
        return SCORE_GROUPS[self.kind]

    def names(self) -> list[str]:
        """The name and every alias (as written)."""
        return [self.name, *self.aliases]


class GoldPlace(GoldEntity):
    pass


class GoldTheme(_Strict):
    """A theme of the taxonomy (data/reference/themes.yaml) the text names; ``name`` as written."""

    key: str
    name: str
    aliases: list[str] = []
    graph_id: str
    note: str | None = None

    kind: NodeKind = NodeKind.THEME

    @property
    def group(self) -> str:
        return "theme"

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class GoldRelationship(_Strict):
    """A relationship the text states: ``type`` from source to target (keys of this file)."""

    type: RelationshipType
    source: str
    target: str
    year: int | None = None
    role: str | None = None          # the position, for HOLDS_POSITION; the role, for others
    alt_types: list[RelationshipType] = []   # other types a reader could defend (scored as right too)
    note: str | None = None

    @property
    def symmetric(self) -> bool:
        return self.type in SYMMETRIC_TYPES

    def pair(self) -> tuple[str, str]:
        """The related pair, unordered (sorted keys)."""
        return tuple(sorted((self.source, self.target)))  # type: ignore[return-value]


class Amount(_Strict):
    value: float
    currency: str                     # ISO 4217 code: USD, VND, CAD, EUR…
    note: str | None = None           # e.g. "per initiative, maximum"


class GoldProject(_Strict):
    """The project facts the text states, for a Project/Programme entity of this file (``key``).

    ``donors`` → FUNDS donor→project, ``implementers`` → IMPLEMENTS implementer→project,
    ``places`` → LOCATED_IN project→place are derived from these lists (see
    :meth:`GoldFile.all_relationships`); do not write them again under ``relationships``.
    """

    key: str
    donors: list[str] = []
    implementers: list[str] = []
    places: list[str] = []
    start_year: int | None = None
    end_year: int | None = None
    amounts: list[Amount] = []
    note: str | None = None


class GoldFile(_Strict):
    file: str
    language: Language
    annotator: str
    notes: str | None = None
    entities: list[GoldEntity] = []
    places: list[GoldPlace] = []
    themes: list[GoldTheme] = []
    relationships: list[GoldRelationship] = []
    projects: list[GoldProject] = []

    @model_validator(mode="after")
    def _check(self) -> "GoldFile":
        problems: list[str] = []
        keys: dict[str, object] = {}
        for item in [*self.entities, *self.places, *self.themes]:
            if item.key in keys:
                problems.append(f"key '{item.key}' is used twice")
            keys[item.key] = item
        for entity in self.entities:
            if entity.kind not in ENTITY_KINDS:
                problems.append(f"entity '{entity.key}': kind {entity.kind} belongs under places/themes or is not annotated")
        for place in self.places:
            if place.kind not in PLACE_KINDS:
                problems.append(f"place '{place.key}': kind must be Province or Place, not {place.kind}")
        for index, rel in enumerate(self.relationships, 1):
            if rel.type not in WRITABLE_TYPES:
                problems.append(f"relationship #{index}: {rel.type} is derived by the loader, not annotated")
            for end in (rel.source, rel.target):
                if end not in keys:
                    problems.append(f"relationship #{index} ({rel.type}): '{end}' is not a key of this file")
            if rel.source == rel.target:
                problems.append(f"relationship #{index} ({rel.type}): source and target are the same")
        by_key = {e.key: e for e in self.entities}
        for project in self.projects:
            entity = by_key.get(project.key)
            if entity is None or entity.kind not in PROJECT_KINDS:
                problems.append(f"project '{project.key}' must be an entity of kind Project or Programme")
            for field_name in ("donors", "implementers", "places"):
                for key in getattr(project, field_name):
                    if key not in keys:
                        problems.append(f"project '{project.key}': {field_name} '{key}' is not a key of this file")
            for key in project.places:
                if key in keys and not isinstance(keys[key], GoldPlace):
                    problems.append(f"project '{project.key}': place '{key}' is not listed under places")
            if project.start_year and project.end_year and project.end_year < project.start_year:
                problems.append(f"project '{project.key}': end_year before start_year")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def all_entities(self) -> list[GoldEntity | GoldPlace | GoldTheme]:
        return [*self.entities, *self.places, *self.themes]

    def by_key(self) -> dict[str, GoldEntity | GoldPlace | GoldTheme]:
        return {e.key: e for e in self.all_entities()}

    def named_entities(self) -> list[GoldEntity]:
        """Entities of the groups the issue scores (organisations, people, events, projects, agreements)."""
        return [e for e in self.entities if e.group in NAMED_GROUPS]

    def all_relationships(self) -> list[GoldRelationship]:
        """The annotated relationships plus those the project blocks imply, without duplicates."""
        out: list[GoldRelationship] = list(self.relationships)
        seen = {(r.type, r.source, r.target) for r in out}

        def add(type_: RelationshipType, source: str, target: str, year: int | None) -> None:
            if (type_, source, target) not in seen:
                seen.add((type_, source, target))
                out.append(GoldRelationship(type=type_, source=source, target=target, year=year,
                                            note="derived from the project block"))

        for project in self.projects:
            for donor in project.donors:
                add(RelationshipType.FUNDS, donor, project.key, project.start_year)
            for implementer in project.implementers:
                add(RelationshipType.IMPLEMENTS, implementer, project.key, project.start_year)
            for place in project.places:
                add(RelationshipType.LOCATED_IN, project.key, place, None)
        return out


def load_split(path: Path = SPLIT_FILE) -> CorpusSplit:
    """Read ``corpus_split.yaml``; a clear error names the file when it is malformed."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        return CorpusSplit.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise GoldError(f"{path}: the corpus split cannot be read / không đọc được bảng chia tập: {error}") from error


class GoldError(ValueError):
    """A gold file or the split is missing or malformed (message names the file)."""


def gold_path(name: str, gold_dir: Path = GOLD_DIR) -> Path:
    return gold_dir / f"{Path(name).stem}.yaml"


def load_gold(name: str, gold_dir: Path = GOLD_DIR) -> GoldFile:
    """The gold annotations of one corpus text, by stem or file name."""
    path = gold_path(name, gold_dir)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        gold = GoldFile.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise GoldError(f"{path}: gold annotations invalid / tệp chú giải chuẩn không hợp lệ: {error}") from error
    if gold.stem != path.stem:
        raise GoldError(f"{path}: 'file' says {gold.file!r}, which is not this file's text")
    return gold


def load_all_gold(gold_dir: Path = GOLD_DIR, half: str | None = None, language: str | None = None,
                  split: CorpusSplit | None = None) -> dict[str, GoldFile]:
    """Every gold file (of one half / language when given), keyed by stem, each validated."""
    split = split or load_split()
    return {stem: load_gold(stem, gold_dir) for stem in split.stems(half, language)
            if half is not None or language is not None or gold_path(stem, gold_dir).exists()}


def corpus_body(path: Path) -> str:
    """The excerpt text of a corpus file: everything after the header and its blank line."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    return body if sep and head.startswith("URL:") else text


def graph_ids(data_dir: Path = PROJECT_ROOT / "data") -> dict[str, list[str]]:
    """Ids of the real (non-sample) entities in data/ and their kinds.

    Reads the same files as the curated loader (:func:`ingest.curated.yaml_files`) but only
    the ``id``/``kinds``/``sample`` fields, with the C YAML parser: the loader's own validation
    is its tests' business, and a full validation of data/ takes tens of seconds.
    """
    from ingest.curated import yaml_files

    out: dict[str, list[str]] = {}
    for path in yaml_files([data_dir]):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for record in (data.get("entities") or []) if isinstance(data, dict) else []:
            if isinstance(record, dict) and isinstance(record.get("id"), str) and not record.get("sample"):
                out[record["id"]] = [str(k) for k in record.get("kinds") or []]
    return out


def source_documents(data_dir: Path = PROJECT_ROOT / "data") -> dict[str, set[str]]:
    """For every real (non-sample) entity id in data/, the ids of the documents its record cites.

    Corpus texts curated into data/ keep their file name as document id (data/README.md), so
    this shows which graph entities were curated from which corpus text.
    """
    from ingest.curated import yaml_files

    out: dict[str, set[str]] = {}
    for path in yaml_files([data_dir]):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for record in (data.get("entities") or []) if isinstance(data, dict) else []:
            if not isinstance(record, dict) or not isinstance(record.get("id"), str) or record.get("sample"):
                continue
            docs = out.setdefault(record["id"], set())
            for source in record.get("sources") or []:
                if isinstance(source, dict) and source.get("document"):
                    docs.add(str(source["document"]))
                elif isinstance(source, str):
                    docs.add(source.split(":", 1)[0])
    return out


def held_out_ids(half: str = "test", split: CorpusSplit | None = None,
                 data_dir: Path = PROJECT_ROOT / "data") -> set[str]:
    """Graph entity ids whose records cite only corpus texts of ``half`` (and no other source).

    The curated portfolio (data/portfolio/) was partly written from the corpus texts, test half
    included. When scoring that half in linking mode, leave these ids out of the gazetteer and
    treat a gold ``graph_id`` among them as "not in the graph" — else the linking figure measures
    recall of names the graph took from the very text being scored.
    """
    split = split or load_split()
    half_docs = set(split.files(half))
    return {entity_id for entity_id, docs in source_documents(data_dir).items()
            if docs and docs <= half_docs}


def check_gold(gold: GoldFile, known: dict[str, list[str]], text: str | None = None,
               split: CorpusSplit | None = None) -> list[str]:
    """Cross-checks beyond the model: graph ids exist with a compatible kind group, names are
    written in the text (when given), the language agrees with the split. Returns problems."""
    problems: list[str] = []
    where = gold.file
    for item in gold.all_entities():
        if item.graph_id is not None:
            kinds = known.get(item.graph_id)
            if kinds is None:
                problems.append(f"{where}: '{item.key}' links to graph id '{item.graph_id}', which data/ does not hold")
            else:
                groups = {SCORE_GROUPS.get(NodeKind(k)) for k in kinds}
                mine = {SCORE_GROUPS[item.kind], *(SCORE_GROUPS[k] for k in getattr(item, "alt_kinds", []))}
                if not groups & mine:
                    problems.append(f"{where}: '{item.key}' ({item.kind}) links to '{item.graph_id}' of kinds {kinds}")
        if text is not None:
            flat = normalise(text)
            for name in item.names():
                if name not in flat:
                    problems.append(f"{where}: '{item.key}': {name!r} is not written in the text")
    if split is not None:
        entry = split.entries.get(gold.file)
        if entry is None:
            problems.append(f"{where}: not in the corpus split")
        elif entry.language != gold.language:
            problems.append(f"{where}: language {gold.language} but the split says {entry.language}")
    return problems


def summary(golds: dict[str, GoldFile], split: CorpusSplit) -> dict[tuple[str, str], dict[str, Counter]]:
    """Counts per (half, language): files, entities by kind, relationships by type, projects."""
    out: dict[tuple[str, str], dict[str, Counter]] = {}
    for stem, gold in golds.items():
        entry = split.entries[gold.file]
        bucket = out.setdefault((entry.half, entry.language), {
            "files": Counter(), "entities": Counter(), "groups": Counter(), "relationships": Counter(),
            "projects": Counter()})
        bucket["files"]["files"] += 1
        for item in gold.all_entities():
            bucket["entities"][str(item.kind)] += 1
            bucket["groups"][item.group] += 1
        for rel in gold.all_relationships():
            bucket["relationships"][str(rel.type)] += 1
        bucket["projects"]["projects"] += len(gold.projects)
        bucket["projects"]["with amount"] += sum(1 for p in gold.projects if p.amounts)
        bucket["projects"]["with donor"] += sum(1 for p in gold.projects if p.donors)
    return out


def main() -> int:
    split = load_split()
    known = graph_ids()
    cdir = corpus_dir()
    golds: dict[str, GoldFile] = {}
    problems: list[str] = []
    for stem in split.stems():
        try:
            golds[stem] = load_gold(stem)
        except GoldError as error:
            problems.append(str(error))
            continue
        text_path = cdir / golds[stem].file
        text = corpus_body(text_path) if text_path.exists() else None
        problems += check_gold(golds[stem], known, text, split)
    for problem in problems:
        print("PROBLEM:", problem)
    for half in HALVES:
        held = held_out_ids(half, split)
        links = [e.graph_id for g in golds.values() if split.entries[g.file].half == half
                 for e in g.all_entities() if e.graph_id]
        print(f"{half}: {len(held)} graph entities cite only {half}-half corpus texts; "
              f"{sum(1 for g_id in links if g_id in held)} of {len(links)} gold links point at them")
    for (half, language), bucket in sorted(summary(golds, split).items()):
        print(f"== {half} / {language}: {bucket['files']['files']} files")
        for name in ("groups", "entities", "relationships", "projects"):
            print(f"   {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(bucket[name].items())))
    print(f"{len(golds)} gold files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
