"""Finding known entities in text by every name, alias and acronym they have.

A gazetteer maps folded names (no diacritics, lower case: see :mod:`ingest.vietnamese`) to
entity ids. Matching works on words: the longest name wins where names overlap ("Liên hiệp Hội
Việt Nam" rather than "Việt Nam"). Short all-capital acronyms ("UN", "ISC", "FIG") match
only as written, so ordinary words are not mistaken for them. Names of three words or more also
match with small spelling variants (a missing or extra word, a typo), at a lower confidence.

>>> g = Gazetteer()
>>> g.add("giz", "Tổ chức Hợp tác Phát triển Đức", ["ForeignPartner"])
>>> g.add("giz", "GIZ", ["ForeignPartner"])
>>> [(m.entity_ids, m.method) for m in g.find("Với sự hỗ trợ của GIZ và to chuc hop tac phat trien duc")]
[(('giz',), 'gazetteer:acronym'), (('giz',), 'gazetteer')]
"""

from __future__ import annotations

from graph.schema import NodeKind

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from rapidfuzz import fuzz

from ingest.vietnamese import Token, clean_line
from ingest.vietnamese import tokenize as _word_tokens

# Standard Vietnamese abbreviations of the words in official names ("Bộ NN&PTNT", "Bộ TN-MT",
# "Liên hiệp các Hội KH&KT tỉnh …", "UBND tỉnh …"): the full words, folded -> the abbreviation's
# parts, folded. A name in the gazetteer is also found written with them, whatever the separator
# ("NN&PTNT", "NN-PTNT", "NN- PTNT", "NN và PTNT").
ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {tuple(k.split()): tuple(v.split()) for k, v in {
    "khoa hoc va ky thuat": "kh kt", "khoa hoc ky thuat": "khkt", "khoa hoc va cong nghe": "kh cn",
    "khoa hoc cong nghe": "khcn", "nong nghiep va phat trien nong thon": "nn ptnt",
    "tai nguyen va moi truong": "tn mt", "uy ban nhan dan": "ubnd", "hoi dong nhan dan": "hdnd",
    "lao dong thuong binh va xa hoi": "ld tb xh", "giao duc va dao tao": "gd dt", "ke hoach va dau tu": "kh dt",
    "van hoa the thao va du lich": "vh tt dl", "thong tin va truyen thong": "tt tt", "thanh pho": "tp",
    "mat tran to quoc": "mttq", "giao thong van tai": "gtvt", "cong thuong": "ct",
}.items()}


def tokenize(text: str) -> list[Token]:
    """Words as :func:`ingest.vietnamese.tokenize`, with "KH&KT" split into "KH", "KT" (spans kept)."""
    out: list[Token] = []
    for token in _word_tokens(text):
        if "&" not in token.raw:
            out.append(token)
            continue
        offset = token.start
        for part in token.raw.split("&"):
            if part:
                sub = _word_tokens(part)
                if sub:
                    out.append(Token(sub[0].text, offset, offset + len(part), part))
            offset += len(part) + 1
    return out


def abbreviated_keys(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The same folded name with the standard abbreviations in it ("bo nn ptnt", "ubnd tinh ...")."""
    variants = [key]
    for full, short in ABBREVIATIONS.items():
        n = len(full)
        for variant in list(variants):
            for i in range(len(variant) - n + 1):
                if variant[i:i + n] == full:
                    variants.append(variant[:i] + short + variant[i + n:])
                    break
    return [v for v in dict.fromkeys(variants) if v != key]

SKIPPED_KINDS = {NodeKind.DOCUMENT, NodeKind.FIGURE}
FUZZY_MIN_TOKENS = 3
FUZZY_THRESHOLD = 90.0


@dataclass(frozen=True)
class GazetteerEntry:
    entity_id: str
    name: str                 # the name or alias as the graph writes it
    kinds: tuple[str, ...]
    case_sensitive: bool      # short acronyms: match as written only


@dataclass(frozen=True)
class Mention:
    """A place in a text where a known entity is named."""

    start: int
    end: int
    text: str
    entity_ids: tuple[str, ...]        # more than one when the name is ambiguous
    matched: str                       # the gazetteer name that matched
    method: str                        # gazetteer | gazetteer:acronym | gazetteer:fuzzy
    confidence: float
    kinds: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.entity_ids) > 1


def _is_acronym(name: str) -> bool:
    tokens = tokenize(name)
    return len(tokens) == 1 and tokens[0].upper and len(name) <= 8


@dataclass
class Gazetteer:
    """Folded name -> entries, indexed by first word."""

    entries: dict[tuple[str, ...], list[GazetteerEntry]] = field(default_factory=lambda: defaultdict(list))
    by_first: dict[str, set[tuple[str, ...]]] = field(default_factory=lambda: defaultdict(set))
    kinds_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names_of: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entity_id: str, name: str, kinds: Iterable[str]) -> None:
        name = clean_line(name).strip()
        tokens = tokenize(name)
        if not tokens:
            return
        key = tuple(t.text for t in tokens)
        acronym = _is_acronym(name)
        # a lone short common word ("giới", "bão") names too many things to be a safe key
        if len(key) == 1 and not acronym and (len(key[0]) <= 4 or key[0].isdigit()):
            return
        kinds = tuple(kinds)
        entry = GazetteerEntry(entity_id, name, kinds, case_sensitive=acronym and len(name) <= 6)
        for variant in [key, *(abbreviated_keys(key) if len(key) >= 3 else [])]:
            if entry not in self.entries[variant]:
                self.entries[variant].append(entry)
            self.by_first[variant[0]].add(variant)
        self.kinds_of.setdefault(entity_id, kinds)
        self.names_of.setdefault(entity_id, name)

    def add_entity(self, entity_id: str, names: Iterable[str | None], kinds: Iterable[str]) -> None:
        kinds = tuple(kinds)
        if SKIPPED_KINDS.intersection(kinds):
            return
        for name in names:
            if name:
                self.add(entity_id, name, kinds)

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> "Gazetteer":
        """From the graph's name table (``id``, ``name``, ``name_en``, ``aliases``, ``kinds``)."""
        gazetteer = cls()
        for row in rows:
            gazetteer.names_of[row["id"]] = row["name"]
            gazetteer.add_entity(row["id"], [row["name"], row.get("name_en"), *(row.get("aliases") or [])],
                                 row.get("kinds") or [])
        return gazetteer

    @classmethod
    def from_records(cls, entities: Iterable[Any]) -> "Gazetteer":
        """From validated :class:`graph.schema.EntityRecord` objects (e.g. the curated files)."""
        return cls.from_rows({"id": e.id, "name": e.name, "name_en": e.name_en, "aliases": e.aliases,
                              "kinds": [str(k) for k in e.kinds]} for e in entities)

    def lookup(self, name: str) -> tuple[str, ...]:
        """Ids of the entities with exactly this (folded) name, alias or acronym."""
        key = tuple(t.text for t in tokenize(clean_line(name)))
        entries = self.entries.get(key, [])
        if entries and all(e.case_sensitive for e in entries) and name.strip() not in {e.name for e in entries}:
            return ()
        return tuple(dict.fromkeys(e.entity_id for e in entries))

    def lookup_fuzzy(self, name: str, threshold: float = 92.0) -> tuple[str, float] | None:
        """The entity whose name is nearest to ``name`` (three words or more), with the similarity."""
        tokens = tokenize(clean_line(name))
        if len(tokens) < FUZZY_MIN_TOKENS:
            return None
        target = " ".join(t.text for t in tokens)
        best: tuple[str, float] | None = None
        for key in self.by_first.get(tokens[0].text, ()):
            if len(key) < FUZZY_MIN_TOKENS:
                continue
            score = fuzz.ratio(target, " ".join(key))
            ids = {e.entity_id for e in self.entries[key]}
            if score >= threshold and len(ids) == 1 and (best is None or score > best[1]):
                best = (next(iter(ids)), score)
        return best

    # -- matching ----------------------------------------------------------------------------
    def _exact(self, tokens: list[Token], text: str) -> list[Mention]:
        found = []
        for i, token in enumerate(tokens):
            for key in self.by_first.get(token.text, ()):
                n = len(key)
                if tuple(t.text for t in tokens[i:i + n]) != key:
                    continue
                entries = self.entries[key]
                if all(e.case_sensitive for e in entries):
                    written = {e.name for e in entries}
                    if tokens[i].raw not in written:
                        continue
                start, end = tokens[i].start, tokens[i + n - 1].end
                acronym = all(e.case_sensitive or _is_acronym(e.name) for e in entries)
                ids = tuple(dict.fromkeys(e.entity_id for e in entries))
                kinds = tuple(dict.fromkeys(k for e in entries for k in e.kinds))
                found.append(Mention(start, end, text[start:end], ids, entries[0].name,
                                     "gazetteer:acronym" if acronym else "gazetteer",
                                     0.9 if acronym else 0.95, kinds))
        return found

    def _fuzzy(self, tokens: list[Token], text: str, covered: list[bool]) -> list[Mention]:
        found = []
        for i, token in enumerate(tokens):
            if covered[i]:
                continue
            for key in self.by_first.get(token.text, ()):
                n = len(key)
                if n < FUZZY_MIN_TOKENS:
                    continue
                target = " ".join(key)
                best: tuple[float, int] | None = None
                for length in (n - 1, n, n + 1):
                    if i + length > len(tokens) or length < 2 or any(covered[i:i + length]):
                        continue
                    last = tokens[i + length - 1]
                    if not (last.capitalised or last.upper or last.text[:1].isdigit()):
                        continue
                    window = " ".join(t.text for t in tokens[i:i + length])
                    score = fuzz.ratio(window, target)
                    if score >= FUZZY_THRESHOLD and window != target and (best is None or score > best[0]):
                        best = (score, length)
                if best:
                    score, length = best
                    start, end = tokens[i].start, tokens[i + length - 1].end
                    entries = self.entries[key]
                    ids = tuple(dict.fromkeys(e.entity_id for e in entries))
                    kinds = tuple(dict.fromkeys(k for e in entries for k in e.kinds))
                    found.append(Mention(start, end, text[start:end], ids, entries[0].name, "gazetteer:fuzzy",
                                         round(0.6 + 0.3 * (score - FUZZY_THRESHOLD) / (100 - FUZZY_THRESHOLD), 3),
                                         kinds))
        return found

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in ``text`` (cleaned), in order; longest names first."""
        tokens = tokenize(text)
        chosen = _non_overlapping(self._exact(tokens, text))
        covered = [any(m.start <= t.start and t.end <= m.end for m in chosen) for t in tokens]
        chosen = _non_overlapping(chosen + self._fuzzy(tokens, text, covered))
        return sorted(chosen, key=lambda m: m.start)


def _non_overlapping(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), -m.confidence, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in out):
            out.append(mention)
    return sorted(out, key=lambda m: m.start)
