"""Extracting entities and relationships from documents: patterns, gazetteer, cue phrases.

Two passes over the documents:

1. *discovery* — :mod:`ingest.patterns` finds names in every sentence. A name that is already
   in the gazetteer (the graph's names, aliases and acronyms, diacritics-insensitive, with small
   spelling variants) is resolved to that entity; otherwise it becomes a new entity, merged with
   the other finds of the same run by folded name, alias, acronym or document reference.
2. *linking* — the gazetteer, extended with the run's new names and acronyms, finds every
   mention ("GIZ" after "Tổ chức Hợp tác Phát triển Đức (GIZ)" was seen), and
   :mod:`ingest.relations` reads the relationships the sentence's cue phrases state.

``Extractor(Gazetteer())`` (an empty gazetteer) is extraction from patterns alone; the result is
independent of the graph. Every mention and relationship keeps its evidence: document, line,
character span in the line, the sentence, the method and a confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from graph.schema import KINDS, SYMMETRIC_RELATIONSHIP_TYPES, NodeKind, RelationshipType
from ingest.amounts import find_amounts, find_period
from ingest.chrome import is_chrome, is_cut_off
from graph.text import slug
from ingest.documents import Sentence, SourceDocument
from ingest.gazetteer import Gazetteer, Mention
from ingest.patterns import Found, find_all, find_policy_documents, policy_reference_key
from ingest.relations import EntityMention, FoundRelationship, find_relationships
from ingest.vietnamese import fold_name, tokenize

SYMMETRIC = SYMMETRIC_RELATIONSHIP_TYPES
_PROJECT_REFERENCE = re.compile(r"(?<!\w)(?:[Dd]ự án|[Cc]hương trình|[Tt]h(?:e|is) (?:[Pp]roject|[Pp]rogram(?:me)?))"
                                r"(?: này| nói trên)?(?!\w)")
_GROUPS = {kind.value: spec.group for kind, spec in KINDS.items()}


@dataclass(frozen=True)
class Evidence:
    document: str
    line: int
    start: int
    end: int
    sentence: str
    method: str
    confidence: float


@dataclass
class ExtractedEntity:
    key: str                          # an existing entity id, or "new:<folded name>"
    name: str
    kinds: list[str]
    existing: bool
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, object] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    found_confidence: float = 0.0     # new entities: how sure the patterns that found it were

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)

    @property
    def documents(self) -> set[str]:
        return {e.document for e in self.evidence}


@dataclass
class ExtractedRelationship:
    type: str
    from_key: str
    to_key: str
    properties: dict[str, object] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)

    @property
    def documents(self) -> set[str]:
        return {e.document for e in self.evidence}


@dataclass
class Extraction:
    documents: list[SourceDocument]
    entities: dict[str, ExtractedEntity] = field(default_factory=dict)
    relationships: dict[tuple[str, str, str], ExtractedRelationship] = field(default_factory=dict)

    def new_entities(self) -> list[ExtractedEntity]:
        return [e for e in self.entities.values() if not e.existing]


def compatible(kinds_a: Iterable[str], kinds_b: Iterable[str]) -> bool:
    """Whether two kind lists may name the same thing (a person is never an organisation)."""
    groups_a = {_GROUPS.get(k, "") for k in kinds_a}
    groups_b = {_GROUPS.get(k, "") for k in kinds_b}
    strict = {"person", "document", "figure", "theme", "place"}
    for group in strict:
        if (group in groups_a) != (group in groups_b):
            return False
    return True


class _NewEntities:
    """New entities of one run, merged by folded name, alias, acronym or document reference."""

    def __init__(self) -> None:
        self.by_key: dict[str, ExtractedEntity] = {}
        self.index: dict[str, str] = {}
        self.documents: dict[str, set[str]] = defaultdict(set)

    def _keys(self, found: Found) -> list[str]:
        keys = [fold_name(found.name)] + [fold_name(a) for a in found.aliases]
        tokens = tokenize(found.name)
        if len(tokens) >= 2 and tokens[-1].upper and found.method == "pattern:org-prefix":
            keys.append(tokens[-1].text)  # "Trung tâm CECR" is CECR
        if NodeKind.POLICY_DOCUMENT in found.kinds and found.properties.get("reference"):
            keys.append("ref:" + policy_reference_key(str(found.properties["reference"])))
        return [k for k in keys if k]

    def resolve(self, found: Found, document: str) -> ExtractedEntity:
        keys = self._keys(found)
        for key in keys:
            existing = self.by_key.get(self.index.get(key, ""))
            if existing and compatible(existing.kinds, found.kinds):
                self._absorb(existing, found)
                for k in keys:
                    self.index.setdefault(k, existing.key)
                self.documents[existing.key].add(document)
                existing.found_confidence = max(existing.found_confidence, found.confidence)
                return existing
        entity = ExtractedEntity("new:" + keys[0], found.name, list(found.kinds), False,
                                 aliases=[a for a in found.aliases if fold_name(a) != keys[0]],
                                 properties=dict(found.properties))
        self.by_key[entity.key] = entity
        for key in keys:
            self.index.setdefault(key, entity.key)
        self.documents[entity.key].add(document)
        entity.found_confidence = found.confidence
        return entity

    @staticmethod
    def _absorb(entity: ExtractedEntity, found: Found) -> None:
        names = {fold_name(entity.name), *(fold_name(a) for a in entity.aliases)}
        for alias in [found.name, *found.aliases]:
            if fold_name(alias) not in names:
                entity.aliases.append(alias)
                names.add(fold_name(alias))
        # a longer, more specific name found later becomes the name ("Hội nghị CAFEO 38" over "CAFEO 38")
        if found.method == "pattern:defined-alias" and len(found.name) > len(entity.name):
            entity.aliases.append(entity.name)
            entity.name = found.name
            entity.aliases = [a for a in entity.aliases if fold_name(a) != fold_name(found.name)]
        for kind in found.kinds:
            if kind not in entity.kinds and kind == NodeKind.DONOR:
                entity.kinds.append(kind)
        for key, value in found.properties.items():
            entity.properties.setdefault(key, value)


class Extractor:
    """Extract entities and relationships from documents, against a gazetteer of known names."""

    def __init__(self, gazetteer: Gazetteer, discover: bool = True) -> None:
        self.gazetteer = gazetteer
        self.discover = discover
        self._policy_refs = self._policy_index(gazetteer)

    @staticmethod
    def _policy_index(gazetteer: Gazetteer) -> dict[str, str]:
        index: dict[str, str] = {}
        for entries in gazetteer.entries.values():
            for entry in entries:
                if NodeKind.POLICY_DOCUMENT in entry.kinds or NodeKind.AGREEMENT in entry.kinds:
                    for found in find_policy_documents(entry.name, tokenize(entry.name)):
                        if found.properties.get("reference"):
                            index.setdefault(policy_reference_key(str(found.properties["reference"])),
                                             entry.entity_id)
        return index

    # -- resolution -------------------------------------------------------------------------
    def _existing_id(self, found: Found) -> tuple[str | None, float]:
        """The known entity a pattern's find names, and how sure that is."""
        if NodeKind.POLICY_DOCUMENT in found.kinds and found.properties.get("reference"):
            ref = policy_reference_key(str(found.properties["reference"]))
            if ref in self._policy_refs:
                return self._policy_refs[ref], 1.0
        for name in [found.name, *found.aliases]:
            ids = [i for i in self.gazetteer.lookup(name)
                   if compatible(self.gazetteer.kinds_of.get(i, ()), found.kinds)]
            if len(ids) == 1:
                return ids[0], 1.0
        for name in [found.name, *found.aliases]:
            near = self.gazetteer.lookup_fuzzy(name)
            if near and compatible(self.gazetteer.kinds_of.get(near[0], ()), found.kinds):
                return near[0], near[1] / 100
        # a known name making up most of the find: "Hội nghị CAFEO 38 năm 2020" is "Hội nghị CAFEO 38"
        words = len(tokenize(found.name))
        for mention in self.gazetteer.find(found.name):
            covered = len(tokenize(mention.text))
            if not mention.ambiguous and covered >= 2 and covered * 3 >= words * 2 and \
                    compatible(self.gazetteer.kinds_of.get(mention.entity_ids[0], ()), found.kinds):
                return mention.entity_ids[0], 0.9
        return None, 0.0

    def _truncated(self, found: Found) -> bool:
        """Whether a find is only the start of a known, longer name ("Vụ Đối ngoại" of "Vụ Đối ngoại Nhân dân")."""
        key = tuple(t.text for t in tokenize(found.name))
        for other in self.gazetteer.by_first.get(key[0], ()) if key else ():
            if len(other) > len(key) and other[:len(key)] == key:
                return True
        return False

    def run(self, documents: list[SourceDocument]) -> Extraction:
        extraction = Extraction(documents)
        new = _NewEntities()
        found_in: dict[tuple[str, int, int], list[tuple[Found, str]]] = defaultdict(list)
        sentences: list[Sentence] = [s for d in documents for s in text_sentences(d)]
        # pass 1: names by pattern
        if self.discover:
            for sentence in sentences:
                for found in find_all(sentence.text):
                    if _reaches_cut(sentence, found.end):
                        continue  # "… và Trung tâm Hỗ trợ Nông d": the name may go on past the excerpt
                    existing_id, similarity = self._existing_id(found)
                    if existing_id:
                        key = existing_id
                        self._entity(extraction, key, found.name, found.kinds, existing=True)
                        entity = extraction.entities[key]
                        known = {fold_name(n) for n in self._names_of(key)}
                        for alias in [found.name, *found.aliases]:
                            if fold_name(alias) not in known and alias not in entity.aliases:
                                entity.aliases.append(alias)
                        found.confidence = round(found.confidence * similarity, 3)
                    else:
                        if self._truncated(found):
                            found.confidence = min(found.confidence, 0.5)
                        key = self._person_by_given_name(found, sentence.document, new) or \
                            new.resolve(found, sentence.document).key
                        extraction.entities.setdefault(key, new.by_key[key])
                    found_in[(sentence.document, sentence.line, sentence.start)].append((found, key))
        # pass 2: every mention of a known or newly found name, then relationships
        linking = self._extended_gazetteer(extraction)
        projects: dict[str, list[str]] = defaultdict(list)   # a document's projects, in order of mention
        for (document, _, _), finds in sorted(found_in.items()):
            for found, key in finds:
                if {NodeKind.PROJECT, NodeKind.PROGRAMME} & set(extraction.entities[key].kinds) and \
                        key not in projects[document]:
                    projects[document].append(key)
        current: dict[str, str] = {}
        for sentence in sentences:
            mentions = self._mentions(sentence, linking, found_in.get((sentence.document, sentence.line,
                                                                        sentence.start), []), extraction)
            named = [m for m, _, _ in mentions if {NodeKind.PROJECT, NodeKind.PROGRAMME} & m.kinds]
            if named:
                current[sentence.document] = named[-1].key
            project = current.get(sentence.document) or (projects[sentence.document] or [None])[0]
            for mention, method, confidence in mentions:
                if mention.inner:
                    continue
                self._add_evidence(extraction.entities[mention.key], sentence, mention.start, mention.end, method,
                                   confidence)
            found = find_relationships(sentence.text, [m for m, _, _ in mentions] +
                                       self._project_references(sentence.text, mentions, project, extraction))
            for rel in found:
                self._relationship(extraction, sentence, rel)
            self._money_and_years(extraction, sentence, [m for m, _, _ in mentions], found)
        return extraction

    @staticmethod
    def _project_references(text: str, mentions: list, project: str | None,
                            extraction: Extraction) -> list[EntityMention]:
        """"Dự án này", "the project": the document's project the text is about (the last one named,
        else its first); with no reference at all, an unplaced mention at the sentence's start that
        cues without a stated project fall back to (a project page's "Donors: …" line)."""
        if project is None or project not in extraction.entities:
            return []
        kinds = frozenset(extraction.entities[project].kinds)
        spans = [(m.start, m.end) for m, _, _ in mentions]
        if any(m.key == project for m, _, _ in mentions):
            return []
        out = [EntityMention(project, kinds, match.start(), match.end(), match.group(0))
               for match in _PROJECT_REFERENCE.finditer(text)
               if not any(a <= match.start() < b for a, b in spans)]
        return out or [EntityMention(project, kinds, 0, 0, "")]

    @staticmethod
    def _money_and_years(extraction: Extraction, sentence: Sentence, mentions: list[EntityMention],
                         found: list[FoundRelationship]) -> None:
        """Amounts ("2,25 triệu USD", "USD 284,500") and periods ("2018–2021") on the sentence's
        projects and funding relationships."""
        amounts = find_amounts(sentence.text)
        period = find_period(sentence.text)
        if not amounts and not period:
            return
        amount = amounts[0] if amounts else None
        for mention in mentions:
            entity = extraction.entities.get(mention.key)
            if entity is None or not {NodeKind.PROJECT, NodeKind.PROGRAMME} & set(entity.kinds) or entity.existing:
                continue
            if amount and amount.currency == "USD":
                entity.properties.setdefault("amount_usd", amount.value)
            if period:
                entity.properties.setdefault("start_year", period[0])
                entity.properties.setdefault("end_year", period[1])
        for rel in found:
            if rel.type != RelationshipType.FUNDS:
                continue
            item = extraction.relationships.get((rel.type, rel.from_key, rel.to_key))
            if item is None:
                continue
            if amount:
                item.properties.setdefault("amount", amount.value)
                item.properties.setdefault("currency", amount.currency)
            if period:
                item.properties.setdefault("since", period[0])
                item.properties.setdefault("until", period[1])

    def _names_of(self, entity_id: str) -> list[str]:
        return [e.name for entries in self.gazetteer.entries.values() for e in entries if e.entity_id == entity_id] \
            if entity_id not in self._name_cache else self._name_cache[entity_id]

    @property
    def _name_cache(self) -> dict[str, list[str]]:
        if not hasattr(self, "_names"):
            names: dict[str, list[str]] = defaultdict(list)
            for entries in self.gazetteer.entries.values():
                for entry in entries:
                    names[entry.entity_id].append(entry.name)
            self._names = dict(names)
        return self._names

    def _entity(self, extraction: Extraction, key: str, name: str, kinds: Iterable[str], existing: bool) -> None:
        if key not in extraction.entities:
            known_name = self.gazetteer.names_of.get(key, name) if existing else name
            known_kinds = list(self.gazetteer.kinds_of.get(key, ())) if existing else list(kinds)
            extraction.entities[key] = ExtractedEntity(key, known_name, known_kinds or list(kinds), existing)

    @staticmethod
    def _person_by_given_name(found: Found, document: str, new: _NewEntities) -> str | None:
        """'bà Nga' after 'bà Dương Thị Nga' in the same document: the same person."""
        short = fold_name(found.name).split()
        if found.kinds != [NodeKind.PERSON] or len(short) > 2:
            return None
        for entity in new.by_key.values():
            names = fold_name(entity.name).split()
            if NodeKind.PERSON in entity.kinds and len(names) > len(short) and names[-len(short):] == short and \
                    document in new.documents[entity.key]:
                for alias in [found.name, *found.aliases]:
                    if alias not in entity.aliases:
                        entity.aliases.append(alias)
                new.documents[entity.key].add(document)
                return entity.key
        return None

    def _extended_gazetteer(self, extraction: Extraction) -> Gazetteer:
        linking = Gazetteer()
        for key, entries in self.gazetteer.entries.items():
            for entry in entries:
                linking.entries[key].append(entry)
                linking.by_first[key[0]].add(key)
        linking.kinds_of.update(self.gazetteer.kinds_of)
        linking.names_of.update(self.gazetteer.names_of)
        for entity in extraction.entities.values():
            if entity and not entity.existing:
                linking.add_entity(entity.key, [entity.name, *entity.aliases], entity.kinds)
            elif entity:
                for alias in entity.aliases:  # a new acronym of a known entity
                    linking.add(entity.key, alias, entity.kinds)
        return linking

    def _mentions(self, sentence: Sentence, linking: Gazetteer, finds: list[tuple[Found, str]],
                  extraction: Extraction) -> list[tuple[EntityMention, str, float]]:
        candidates: list[tuple[EntityMention, str, float]] = []
        for found, key in finds:
            entity = extraction.entities[key]
            candidates.append((EntityMention(key, frozenset(entity.kinds), found.start, found.end,
                                             sentence.text[found.start:found.end]), found.method, found.confidence))
        for mention in linking.find(sentence.text):
            resolved = self._resolve_mention(mention, extraction)
            if resolved and not _reaches_cut(sentence, mention.end):
                candidates.append(resolved)
        chosen: list[tuple[EntityMention, str, float]] = []
        for item in sorted(candidates, key=lambda c: (-(c[0].end - c[0].start), -c[2], c[0].start)):
            mention = item[0]
            if all(mention.end <= o[0].start or mention.start >= o[0].end for o in chosen):
                chosen.append(item)
        # names inside an agreement's, event's or document's name: its parties, organisers
        inner: list[tuple[EntityMention, str, float]] = []
        for outer, _, _ in chosen:
            if {NodeKind.AGREEMENT, NodeKind.EVENT, NodeKind.POLICY_DOCUMENT, NodeKind.PROGRAMME} & outer.kinds:
                span = sentence.text[outer.start:outer.end]
                for mention in linking.find(span):
                    resolved = self._resolve_mention(mention, extraction)
                    if resolved and resolved[0].key != outer.key:
                        m = resolved[0]
                        inner.append((EntityMention(m.key, m.kinds, outer.start + m.start, outer.start + m.end,
                                                    m.text, inner=True), resolved[1], resolved[2]))
        return sorted(chosen + inner, key=lambda c: c[0].start)

    def _resolve_mention(self, mention: Mention, extraction: Extraction) -> tuple[EntityMention, str, float] | None:
        if mention.ambiguous:
            return None
        key = mention.entity_ids[0]
        if key not in extraction.entities:
            if key.startswith("new:"):
                return None
            self._entity(extraction, key, mention.matched, mention.kinds, existing=True)
        entity = extraction.entities[key]
        confidence = mention.confidence if entity.existing else min(mention.confidence, entity.found_confidence)
        return EntityMention(key, frozenset(entity.kinds), mention.start, mention.end, mention.text), \
            mention.method if entity.existing else "pattern+gazetteer", confidence

    @staticmethod
    def _add_evidence(entity: ExtractedEntity, sentence: Sentence, start: int, end: int, method: str,
                      confidence: float) -> None:
        evidence = Evidence(sentence.document, sentence.line, sentence.start + start, sentence.start + end,
                            sentence.text, method, round(confidence, 3))
        if evidence not in entity.evidence:
            entity.evidence.append(evidence)

    @staticmethod
    def _relationship(extraction: Extraction, sentence: Sentence, rel: FoundRelationship) -> None:
        from_key, to_key = rel.from_key, rel.to_key
        if rel.type in SYMMETRIC and (rel.type, to_key, from_key) in extraction.relationships:
            from_key, to_key = to_key, from_key
        key = (rel.type, from_key, to_key)
        item = extraction.relationships.get(key)
        if item is None:
            item = extraction.relationships[key] = ExtractedRelationship(rel.type, from_key, to_key)
        for name, value in rel.properties.items():
            item.properties.setdefault(name, value)
        evidence = Evidence(sentence.document, sentence.line, sentence.start + rel.start, sentence.start + rel.end,
                            sentence.text, rel.method, rel.confidence)
        if evidence not in item.evidence:
            item.evidence.append(evidence)


# Sentences shortened because the excerpt stops inside their last word: a name reaching their end may be cut.
CUT_OFF: set[tuple[str, int, int, int]] = set()


def _reaches_cut(sentence: Sentence, end: int) -> bool:
    return (sentence.document, sentence.line, sentence.start, sentence.end) in CUT_OFF and \
        end >= len(sentence.text.rstrip(" ,;:-–"))


def text_sentences(document: SourceDocument) -> list[Sentence]:
    """The document's sentences less page chrome and a last sentence cut off by the excerpt's end."""
    filled = [n for n, line in enumerate(document.lines, start=1) if line.strip()]
    edges = set(filled[:3] + filled[-2:])
    last_line = filled[-1] if filled else 0
    kept: list[Sentence] = []
    chrome_lines = {n for n in filled if is_chrome(document.lines[n - 1], at_edge=n in edges)}
    sentences = [s for s in document.sentences() if s.line not in chrome_lines]
    for index, sentence in enumerate(sentences):
        last = index == len(sentences) - 1 and sentence.line == last_line
        if is_cut_off(sentence.text, last):
            # the excerpt stops inside its last word: keep the sentence up to the word before it
            cut = sentence.text.rstrip().rfind(" ")
            while cut > 0 and not sentence.text[cut - 1].isalnum():
                cut -= 1
            if cut <= 0:
                continue
            sentence = Sentence(sentence.document, sentence.line, sentence.start, sentence.start + cut,
                                sentence.text[:cut])
            CUT_OFF.add((sentence.document, sentence.line, sentence.start, sentence.end))
        kept.append(sentence)
    return kept


def proposed_id(entity: ExtractedEntity, taken: set[str]) -> str:
    """A readable, stable id for a new entity: kind prefix + slug of its name (or acronym)."""
    prefixes = {NodeKind.PERSON: "person-", NodeKind.EVENT: "event-", NodeKind.POLICY_DOCUMENT: "policy-", NodeKind.AGREEMENT: "agreement-",
                NodeKind.PROGRAMME: "programme-", NodeKind.PROJECT: "project-", NodeKind.PUBLICATION: "publication-", NodeKind.THEME: "theme-",
                NodeKind.PLACE: "place-", NodeKind.PROVINCE: "place-"}
    prefix = next((prefixes[k] for k in entity.kinds if k in prefixes), "")
    acronyms = [a for a in entity.aliases if re.fullmatch(r"[A-Z][A-Za-z&]{1,9}\d{0,3}", a) and sum(
        c.isupper() for c in a) >= 2]
    base = slug(acronyms[0]) if acronyms and not prefix else slug(entity.name)
    base = (prefix + base)[:80].strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


__all__ = ["Evidence", "ExtractedEntity", "ExtractedRelationship", "Extraction", "Extractor", "proposed_id",
           "compatible"]
