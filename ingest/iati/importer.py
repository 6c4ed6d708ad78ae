"""IATI activities → the graph: Projects, the organisations behind them, themes and provinces.

Mapping (one activity):

* the activity → a ``Project`` keyed by its iati-identifier (id ``iati-…``): titles and
  descriptions in every language given (``iati_titles`` / ``iati_descriptions`` as JSON; the
  Vietnamese or English one is the name, the others are aliases, so search finds them), status,
  planned and actual dates, budgets, the sums of commitments and disbursements with their
  currency, and USD values at the rates of ``data/iati/usd_rates.csv``;
* participating organisations → entities, resolved to existing ones by IATI organisation
  reference, then by name, alias or acronym (the product's folding: diacritics, case,
  punctuation), else created; funding and extending → ``FUNDS``, implementing and accountable
  → ``IMPLEMENTS`` (the IATI role is the relationship's ``role``);
* sectors (DAC 5- and 3-digit) → ``FOCUSES_ON`` themes via ``data/iati/sector_themes.csv``;
* location names → ``LOCATED_IN`` provinces where a province's name, alias or English name
  appears in them; recipient countries and regions → properties;
* the file → a ``Document``; every node and relationship written cites the file, the line and
  the activity's iati-identifier (``method: iati``).

Everything is checked before anything is written (pass 1, streaming): a file with any error
writes nothing unless ``valid_only`` is asked, which loads the valid activities and skips the
others. Then (pass 2, streaming again) the activities are loaded in chunks through the product's
diffing loader, so re-importing a file changes nothing, and an activity whose
``last-updated-datetime`` is newer than the graph's replaces its values; an older one is
skipped with a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import ValidationError

from graph.schema import (KINDS, EntityRecord, NodeKind, RelationshipRecord, RelationshipType, SourceRef, document_id,
                          known_kinds)
from graph.store import GraphStore
from graph.text import slug
from ingest.gazetteer import Gazetteer
from ingest.iati.codelists import Codelists
from ingest.iati.mapping import DAC3, DAC5, SectorThemes, UsdRates
from ingest.iati.problems import ERROR, IatiProblem, InvalidIatiFile, problem, warning
from ingest.iati.reader import Activity, Organisation, read_file
from ingest.load import load_records

METHOD = "iati"
CHUNK = 2000                 # activities per load transaction
MAX_WARNINGS = 500
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"
ROLE_NAMES = {ROLE_FUNDING: "funding", ROLE_ACCOUNTABLE: "accountable", ROLE_EXTENDING: "extending",
              ROLE_IMPLEMENTING: "implementing"}
COMMITMENT, DISBURSEMENT = "2", "3"
ODA_FLOW = "10"
ORGANISATION_KINDS = [NodeKind.DONOR]
USD_RATE_TABLE = "data/iati/usd_rates.csv"


# -- files -------------------------------------------------------------------------------------

def iati_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".xml")
        else:
            out.append(path)
    return out


def project_id(identifier: str) -> str:
    """A graph id for an iati-identifier: readable, lower case, and unique even where lowering loses."""
    base = re.sub(r"[^a-z0-9._-]+", "-", identifier.lower()).strip("-._")[:170] or "activity"
    if base != identifier.lower():
        base += "-" + hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:8]
    return "iati-" + base


def _timestamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


# -- one activity, without the graph ---------------------------------------------------------

@dataclass
class Tables:
    codelists: Codelists
    themes: SectorThemes
    rates: UsdRates

    @classmethod
    def load(cls) -> "Tables":
        return cls(Codelists.load(), SectorThemes.load(), UsdRates.load())


def _pick(texts: dict[str, str], *languages: str) -> str | None:
    for language in languages:
        if texts.get(language):
            return texts[language]
    return next(iter(texts.values()), None)


def _sum(items: list[Any], rates: UsdRates) -> tuple[float | None, str | None, float | None]:
    """(total in the items' currency when they share one, that currency, total in USD)."""
    if not items:
        return None, None, None
    currencies = {m.currency for m in items}
    total = round(sum(m.value for m in items), 2) if len(currencies) == 1 and None not in currencies else None
    usd_parts = [rates.to_usd(m.value, m.currency, m.date) for m in items]
    usd = round(sum(u for u in usd_parts if u is not None), 2) if any(u is not None for u in usd_parts) else None
    return total, (next(iter(currencies)) if total is not None else None), usd


def check_codes(activity: Activity, tables: Tables, file: str) -> list[IatiProblem]:
    """Codes not in their IATI codelist: warnings (a newer list, or a publisher's own code)."""
    lists = tables.codelists
    out: list[IatiProblem] = []

    def unknown(codelist: str, code: str | None, where: str, line: int | None = None) -> None:
        if code and not lists.known(codelist, code):
            out.append(warning(file, f"code '{code}' is not in the IATI {codelist} codelist kept in "
                                     "data/iati/codelists/; kept as given", f"mã '{code}' không có trong danh mục "
                               f"IATI {codelist} (data/iati/codelists/); giữ nguyên như trong tệp",
                               line=line or activity.line, activity=activity.identifier or None, field=where))

    unknown("ActivityStatus", activity.status, "activity-status/@code")
    for org in [*activity.organisations, *([activity.reporting_org] if activity.reporting_org else [])]:
        if org.role is not None:
            unknown("OrganisationRole", org.role, "participating-org/@role", org.line)
        unknown("OrganisationType", org.type, "participating-org/@type" if org.role else "reporting-org/@type",
                org.line)
    for country in activity.countries:
        unknown("Country", country, "recipient-country/@code")
    for vocabulary, code in activity.regions:
        if vocabulary == "1":
            unknown("Region", code, "recipient-region/@code")
    for vocabulary, code in activity.sectors:
        if vocabulary == DAC5:
            unknown("Sector", code, "sector/@code")
        elif vocabulary == DAC3:
            unknown("SectorCategory", code, "sector/@code")
    currencies = {activity.default_currency, *(m.currency for m in [*activity.budgets, *activity.transactions])}
    for currency in sorted(c for c in currencies if c):
        unknown("Currency", currency, "currency")
        if lists.known("Currency", currency) and not tables.rates.knows(currency):
            out.append(warning(file, f"no USD rate for {currency} in {USD_RATE_TABLE}; its amounts get no USD value",
                               f"không có tỷ giá USD cho {currency} trong {USD_RATE_TABLE}; các khoản tiền này "
                               "không được quy đổi ra USD", line=activity.line,
                               activity=activity.identifier or None, field="currency"))
    for money in activity.transactions:
        unknown("TransactionType", money.kind, "transaction/transaction-type/@code")
    if any(m.currency is None for m in [*activity.budgets, *activity.transactions]):
        out.append(warning(file, "an amount has no currency and the activity no default-currency; it gets no USD "
                                 "value", "một khoản tiền không có đơn vị tiền tệ và hoạt động không có "
                           "default-currency; không quy đổi được ra USD", line=activity.line,
                           activity=activity.identifier or None, field="value/@currency"))
    return out


def check_activity(activity: Activity, file: str) -> list[IatiProblem]:
    """Errors beyond the schema that make an activity impossible to import."""
    if not activity.identifier:
        return [problem(file, f"activity no. {activity.index} has an empty <iati-identifier>; every activity needs "
                              "its identifier (it is the key of the project)",
                        f"hoạt động thứ {activity.index} có <iati-identifier> rỗng; mỗi hoạt động cần mã định danh "
                        "(là khóa của dự án)", line=activity.line, field="iati-identifier")]
    return []


def project_record(activity: Activity, tables: Tables, source: SourceRef, file: str) -> EntityRecord:
    lists, rates = tables.codelists, tables.rates
    titles = activity.titles
    name = _pick(titles, "vi", "en", activity.language) or activity.identifier
    name_en = titles.get("en") if titles.get("en") and titles.get("en") != name else None
    aliases = [t for lang, t in titles.items() if t not in (name, name_en)] + [activity.identifier]
    descriptions = activity.descriptions
    description = _pick(descriptions, "vi", "en", activity.language)
    description_en = descriptions.get("en") if descriptions.get("en") and descriptions.get("en") != description else None
    dates = activity.dates
    start = dates.get("2") or dates.get("1")
    end = dates.get("4") or dates.get("3")
    budgets = [m for m in activity.budgets if m.kind == "2"] or [m for m in activity.budgets if m.kind != "2"]
    budget, budget_currency, budget_usd = _sum(budgets, rates)
    commitments, c_currency, commitments_usd = _sum([m for m in activity.transactions if m.kind == COMMITMENT], rates)
    disbursements, d_currency, disbursements_usd = _sum(
        [m for m in activity.transactions if m.kind == DISBURSEMENT], rates)
    currencies = {c for c in (c_currency, d_currency) if c}
    amount_usd, basis = next(((v, b) for v, b in ((commitments_usd, "commitments"), (budget_usd, "budget"),
                                                   (disbursements_usd, "disbursements")) if v), (None, None))
    themes = sorted({t for vocabulary, code in activity.sectors for t in tables.themes.themes_for(vocabulary, code)})
    reporting = activity.reporting_org
    properties: dict[str, Any] = {
        "iati_identifier": activity.identifier,
        "iati_titles": json.dumps(titles, ensure_ascii=False, sort_keys=True),
        "iati_descriptions": json.dumps(descriptions, ensure_ascii=False, sort_keys=True) if descriptions else None,
        "iati_last_updated": activity.last_updated,
        "iati_status": activity.status,
        "status": lists.name("ActivityStatus", activity.status) or activity.status,
        "iati_reporting_org": (reporting.ref or _pick(reporting.names, "en")) if reporting else None,
        "planned_start": dates.get("1"), "actual_start": dates.get("2"),
        "planned_end": dates.get("3"), "actual_end": dates.get("4"),
        "start_year": int(start[:4]) if start else None,
        "end_year": int(end[:4]) if end else None,
        "year": int(start[:4]) if start else None,
        "budget": budget, "budget_currency": budget_currency, "budget_usd": budget_usd,
        "commitments": commitments, "disbursements": disbursements,
        "currency": next(iter(currencies)) if len(currencies) == 1 else None,
        "commitments_usd": commitments_usd, "disbursements_usd": disbursements_usd,
        "amount_usd": amount_usd, "amount_basis": basis,
        "usd_rates": USD_RATE_TABLE if amount_usd is not None else None,
        "instrument": "ODA" if activity.flow_type == ODA_FLOW else None,
        "recipient_countries": activity.countries or None,
        "recipient_regions": [lists.name("Region", c) or c if v == "1" else c for v, c in activity.regions] or None,
        "dac_sectors": [c for v, c in activity.sectors if v in (DAC5, DAC3)] or None,
        "themes": themes or None,
        "description": description[:5000] if description else None,
        "description_en": description_en[:5000] if description_en else None,
    }
    return EntityRecord(
        id=project_id(activity.identifier), kinds=[NodeKind.PROJECT], name=name[:500],
        name_en=name_en[:500] if name_en else None, aliases=[a[:500] for a in aliases],
        properties={k: v for k, v in properties.items() if v is not None}, sources=[source])


# -- organisations, themes and provinces: against the graph -----------------------------------

def _kinds_for(role: str | None, org_type: str | None) -> list[NodeKind]:
    if role in (ROLE_FUNDING, ROLE_EXTENDING):
        return [NodeKind.DONOR, NodeKind.INTERNATIONAL_ORGANISATION] if org_type == "40" else [NodeKind.DONOR]
    if org_type in ("10", "11", "15"):
        return [NodeKind.GOVERNMENT_BODY]
    if org_type == "40":
        return [NodeKind.INTERNATIONAL_ORGANISATION]
    if org_type == "60":
        return [NodeKind.DONOR]
    if org_type in ("70", "71", "72", "73"):
        return [NodeKind.COMPANY]
    return [NodeKind.FOREIGN_PARTNER]


def _is_organisation(kinds: Iterable[str]) -> bool:
    return any(KINDS[k].group in ("organisation", "government") for k in known_kinds(kinds))


class Resolver:
    """Participating organisations → entity ids: by IATI reference, then name/alias/acronym, else new."""

    def __init__(self, store: GraphStore) -> None:
        self.by_ref: dict[str, str] = {}
        for row in store.read("iati_organisation_refs"):
            self.by_ref.setdefault(row["ref"].strip().upper(), row["id"])
        self.gazetteer = Gazetteer.from_rows(store.read("name_table"))
        self.created: dict[str, EntityRecord] = {}
        self.taken = set(self.gazetteer.names_of)
        self.pending: set[str] = set()        # created or changed since the last chunk was written
        themes = store.read("theme_table")
        self.theme_ids = {row["id"] for row in themes}
        self._province_cache: dict[str, list[str]] = {}
        self._resolved: dict[tuple[Any, ...], str | None] = {}
        places = store.read("place_table")
        self.provinces = Gazetteer()
        for row in places:
            if NodeKind.PROVINCE in (row["kinds"] or []):
                self.provinces.add_entity(row["id"], [row["name"], row["name_en"], *(row["aliases"] or [])],
                                          [NodeKind.PROVINCE])

    def resolve(self, org: Organisation, source: SourceRef) -> str | None:
        key = (org.ref, org.type, org.role, tuple(sorted(org.names.items())))
        if key in self._resolved:       # the same organisation, same role: same answer
            return self._resolved[key]
        entity_id = self._resolve(org, source)
        self._resolved[key] = entity_id
        return entity_id

    def _resolve(self, org: Organisation, source: SourceRef) -> str | None:
        ref = (org.ref or "").strip()
        kinds = _kinds_for(org.role, org.type)
        if ref and ref.upper() in self.by_ref:
            entity_id = self.by_ref[ref.upper()]
            self._add_kinds(entity_id, kinds)
            return entity_id
        names = list(dict.fromkeys(org.names.values()))
        for name in names:
            ids = [i for i in dict.fromkeys(self.gazetteer.lookup(name))
                   if _is_organisation(self.gazetteer.kinds_of.get(i, ()))]
            if len(ids) == 1:
                self._add_kinds(ids[0], kinds)
                if ref:
                    self.by_ref.setdefault(ref.upper(), ids[0])
                return ids[0]
        if not names and not ref:
            return None
        name = _pick(org.names, "vi", "en") or ref
        base = "iati-org-" + slug(ref or name)[:120]
        entity_id, n = base, 2
        while entity_id in self.taken and entity_id not in self.created:
            entity_id, n = f"{base}-{n}", n + 1
        properties = {"iati_org_ref": ref or None, "iati_org_type": org.type}
        record = EntityRecord(id=entity_id, kinds=kinds, name=name[:500],
                              name_en=org.names.get("en") if org.names.get("en") not in (None, name) else None,
                              aliases=[n_[:500] for n_ in names if n_ != name],
                              properties={k: v for k, v in properties.items() if v}, sources=[source])
        self.created[entity_id] = record
        self.pending.add(entity_id)
        self.taken.add(entity_id)
        self.gazetteer.add_entity(entity_id, [record.name, record.name_en, *record.aliases], [k.value for k in kinds])
        if ref:
            self.by_ref[ref.upper()] = entity_id
        return entity_id

    def _add_kinds(self, entity_id: str, kinds: list[NodeKind]) -> None:
        record = self.created.get(entity_id)
        if record is not None and any(k not in record.kinds for k in kinds):
            self.created[entity_id] = record.model_copy(update={"kinds": list(dict.fromkeys([*record.kinds, *kinds]))})
            self.pending.add(entity_id)

    def take_pending(self) -> list[EntityRecord]:
        out = [self.created[i] for i in sorted(self.pending)]
        self.pending.clear()
        return out

    def provinces_in(self, texts: list[str]) -> list[str]:
        found: list[str] = []
        for text in texts:
            if text not in self._province_cache:   # files repeat the same location names many times
                if len(self._province_cache) > 50_000:
                    self._province_cache.clear()
                self._province_cache[text] = [m.entity_ids[0] for m in self.provinces.find(text)
                                              if len(m.entity_ids) == 1 and m.method != "gazetteer:fuzzy"]
            found += self._province_cache[text]
        return list(dict.fromkeys(found))


def activity_relationships(activity: Activity, project: EntityRecord, resolver: Resolver, source: SourceRef,
                           file: str, warnings: list[IatiProblem]) -> list[RelationshipRecord]:
    rels: dict[str, RelationshipRecord] = {}
    year = project.properties.get("start_year")
    funders = {o.ref or _pick(o.names, "en") for o in activity.organisations if o.role == ROLE_FUNDING}
    for org in activity.organisations:
        role = ROLE_NAMES.get(org.role or "")
        if role is None:
            continue
        org_source = source.model_copy(update={"line": org.line or source.line})
        entity_id = resolver.resolve(org, org_source)
        if entity_id is None:
            warnings.append(warning(file, "a participating-org has neither a ref nor a name; skipped",
                                    "một participating-org không có ref lẫn tên; bỏ qua", line=org.line,
                                    activity=activity.identifier, field="participating-org"))
            continue
        rel_type = RelationshipType.FUNDS if org.role in (ROLE_FUNDING, ROLE_EXTENDING) else RelationshipType.IMPLEMENTS
        props: dict[str, Any] = {"role": role, "year": year}
        if org.role == ROLE_FUNDING and len(funders) == 1 and project.properties.get("amount_usd"):
            props.update(amount=project.properties["amount_usd"], currency="USD")
        rel = RelationshipRecord(type=rel_type, **{"from": entity_id, "to": project.id},
                                 properties={k: v for k, v in props.items() if v is not None}, sources=[org_source])
        rels.setdefault(rel.id, rel)
    for theme in project.properties.get("themes", []):
        if theme in resolver.theme_ids:
            rel = RelationshipRecord(type=RelationshipType.FOCUSES_ON, **{"from": project.id, "to": theme},
                                     sources=[source])
            rels.setdefault(rel.id, rel)
    for province in resolver.provinces_in(activity.location_texts):
        rel = RelationshipRecord(type=RelationshipType.LOCATED_IN, **{"from": project.id, "to": province},
                                 sources=[source])
        rels.setdefault(rel.id, rel)
    return list(rels.values())


# -- the two passes ----------------------------------------------------------------------------

@dataclass
class FileCheck:
    path: Path
    name: str
    activities: int = 0
    errors: list[IatiProblem] = field(default_factory=list)
    warnings: list[IatiProblem] = field(default_factory=list)
    warning_count: int = 0
    bad: set[int] = field(default_factory=set)      # indices of activities with errors
    fatal: bool = False                               # nothing of the file can be read
    sha256: str = ""
    generated: str | None = None
    reporting_orgs: list[str] = field(default_factory=list)


def check_file(path: Path, tables: Tables, name: str | None = None) -> FileCheck:
    """Pass 1: read and check every activity of a file (constant memory); nothing is written."""
    check = FileCheck(path, name or path.name)
    fatal: list[IatiProblem] = []
    seen: dict[str, int] = {}
    reporting: dict[str, None] = {}

    def keep_warning(item: IatiProblem) -> None:
        check.warning_count += 1
        if len(check.warnings) < MAX_WARNINGS:
            check.warnings.append(item)

    for activity in read_file(path, fatal.append, file=check.name):
        check.activities += 1
        errors = list(activity.schema_errors) + check_activity(activity, check.name)
        if activity.identifier in seen:
            errors.append(problem(check.name, f"iati-identifier '{activity.identifier}' is also used by the activity at "
                                              f"line {seen[activity.identifier]}; each activity appears once per file",
                                  f"iati-identifier '{activity.identifier}' trùng với hoạt động ở dòng "
                                  f"{seen[activity.identifier]}; mỗi hoạt động chỉ xuất hiện một lần trong tệp",
                                  line=activity.line, activity=activity.identifier, field="iati-identifier"))
        elif activity.identifier:
            seen[activity.identifier] = activity.line
        if not errors:
            try:
                project_record(activity, Tables.load() if tables is None else tables,
                               SourceRef(document=check.name, line=activity.line or None, method=METHOD,
                                         record=activity.identifier), check.name)
            except ValidationError as error:
                detail = error.errors()[0]
                errors.append(problem(check.name, f"cannot be stored: {detail['msg']}",
                                      f"không lưu được: {detail['msg']}", line=activity.line,
                                      activity=activity.identifier, field=".".join(map(str, detail["loc"]))))
        for item in check_codes(activity, tables, check.name):
            keep_warning(item)
        if errors:
            check.bad.add(activity.index)
            check.errors += errors
        if activity.reporting_org:
            label = _pick(activity.reporting_org.names, "en") or activity.reporting_org.ref
            if label:
                reporting.setdefault(label, None)
    if fatal:
        check.errors += fatal
        check.fatal = any(p.severity == ERROR for p in fatal)
    if not check.fatal and check.activities == 0:
        check.errors.append(problem(check.name, "the file has no <iati-activity>", "tệp không có <iati-activity> nào"))
        check.fatal = True
    if path.is_file():
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        check.sha256 = digest.hexdigest()
    check.reporting_orgs = list(reporting)[:20]
    return check


def document_record(check: FileCheck) -> EntityRecord:
    properties = {"title": f"IATI: {check.name}", "file": check.name, "kind_of_text": "iati",
                  "sha256": check.sha256,
                  "publisher": "; ".join(check.reporting_orgs)[:500] or None}
    return EntityRecord(id=document_id(check.name), kinds=[NodeKind.DOCUMENT], name=f"IATI: {check.name}"[:500],
                        properties={k: v for k, v in properties.items() if v},
                        sources=[SourceRef(document=check.name, method=METHOD)])


@dataclass
class ChunkLoad:
    """What one chunk's load did (the plan itself is not kept: memory stays flat on big files)."""

    run_id: str | None
    summary: dict[str, dict[str, int]]
    created: list[str]


@dataclass
class IatiResult:
    files: list[dict[str, Any]]
    dry_run: bool
    valid_only: bool
    loads: list[ChunkLoad] = field(default_factory=list)
    activities_read: int = 0
    activities_loaded: int = 0
    activities_skipped_invalid: int = 0
    activities_skipped_older: int = 0
    errors: list[IatiProblem] = field(default_factory=list)
    warnings: list[IatiProblem] = field(default_factory=list)
    warning_count: int = 0
    seconds: float = 0.0

    def totals(self) -> dict[str, dict[str, int]]:
        out = {"entities": {"created": 0, "updated": 0, "unchanged": 0},
               "relationships": {"created": 0, "updated": 0, "unchanged": 0}}
        for load in self.loads:
            summary = load.summary
            for part in out:
                for key in out[part]:
                    out[part][key] += summary[part][key]
        return out

    @property
    def run_ids(self) -> list[str]:
        return [load.run_id for load in self.loads if load.run_id]

    def as_json(self, language: str = "en") -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "valid_only": self.valid_only, "files": self.files,
            "activities": {"read": self.activities_read, "loaded": self.activities_loaded,
                           "skipped_invalid": self.activities_skipped_invalid,
                           "skipped_older_version": self.activities_skipped_older},
            **self.totals(), "run_ids": self.run_ids,
            "created": [i for load in self.loads for i in load.created][:200],
            "errors_skipped": [dict(p.as_json(), text=p.text(language)) for p in self.errors[:200]],
            "warnings": [dict(p.as_json(), text=p.text(language)) for p in self.warnings[:200]],
            "warning_count": self.warning_count, "seconds": round(self.seconds, 3),
        }


def _chunks(items: Iterator[Activity], size: int) -> Iterator[list[Activity]]:
    chunk: list[Activity] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_iati(store: GraphStore, paths: list[Path], *, dry_run: bool = False, valid_only: bool = False,
                quiet: bool = False, command: str = "python -m ingest iati", chunk_size: int = CHUNK,
                names: dict[Path, str] | None = None) -> IatiResult:
    """Check every file, then load it (see the module's docstring). Raises :class:`InvalidIatiFile`
    with every error, having written nothing, when a file has errors and ``valid_only`` is not set."""
    started = time.time()
    tables = Tables.load()
    files = iati_files(paths)
    if not files:
        raise InvalidIatiFile([problem(", ".join(map(str, paths)) or "-", "no .xml file found",
                                       "không tìm thấy tệp .xml nào")])
    checks = []
    for path in files:
        if not quiet:
            print(f"checking {path} …", file=sys.stderr, flush=True)
        checks.append(check_file(path, tables, (names or {}).get(path)))
    errors = [p for c in checks for p in c.errors]
    warnings = [p for c in checks for p in c.warnings]
    if errors and not valid_only:
        raise InvalidIatiFile(errors, warnings)
    result = IatiResult(files=[], dry_run=dry_run, valid_only=valid_only, errors=errors, warnings=warnings,
                        warning_count=sum(c.warning_count for c in checks))
    resolver = Resolver(store)
    for check in checks:
        info = {"file": check.name, "activities": check.activities, "invalid": len(check.bad),
                "errors": len(check.errors), "warnings": check.warning_count, "loaded": 0}
        result.files.append(info)
        result.activities_read += check.activities
        if check.fatal:
            continue
        document = document_record(check)
        ignored: list[IatiProblem] = []
        activities = (a for a in read_file(check.path, ignored.append, file=check.name, validate=False))
        done = 0
        for chunk in _chunks(activities, chunk_size):
            entities: dict[str, EntityRecord] = {document.id: document}
            relationships: list[RelationshipRecord] = []
            chunk = [a for a in chunk if a.index not in check.bad]
            stored = {row["id"]: row["last_updated"] for row in
                      store.read("iati_activity_versions", ids=[project_id(a.identifier) for a in chunk])}
            for activity in chunk:
                source = SourceRef(document=check.name, line=activity.line or None, method=METHOD,
                                   record=activity.identifier)
                project = project_record(activity, tables, source, check.name)
                newer, older = _timestamp(stored.get(project.id)), _timestamp(activity.last_updated)
                if newer and older and older < newer:
                    result.activities_skipped_older += 1
                    result.warning_count += 1
                    keep = result.warnings if len(result.warnings) < MAX_WARNINGS else []
                    keep.append(warning(
                        check.name, f"the graph already holds a newer version of this activity ({stored[project.id]} "
                                    f"> {activity.last_updated}); skipped",
                        f"cơ sở dữ liệu đã có phiên bản mới hơn của hoạt động này ({stored[project.id]} > "
                        f"{activity.last_updated}); bỏ qua", line=activity.line, activity=activity.identifier,
                        field="last-updated-datetime"))
                    continue
                entities[project.id] = project
                relationships += activity_relationships(
                    activity, project, resolver, source, check.name,
                    result.warnings if len(result.warnings) < MAX_WARNINGS else [])
                done += 1
            for record in resolver.take_pending():
                entities[record.id] = record
            load = load_records(store, list(entities.values()), relationships, command=command,
                                inputs=[check.name], dry_run=dry_run, quiet=True)
            result.loads.append(ChunkLoad(load.run_id, load.plan.summary(),
                                          [e.id for e in load.plan.entities_created[:200]]))
            del load, entities, relationships
            if not quiet and check.activities > chunk_size:
                print(f"\r{check.name}: {done}/{check.activities} activities", end="", file=sys.stderr, flush=True)
        if not quiet and check.activities > chunk_size:
            print(file=sys.stderr)
        info["loaded"] = done
        result.activities_loaded += done
        result.activities_skipped_invalid += len(check.bad)
    result.seconds = time.time() - started
    return result
