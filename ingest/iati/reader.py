"""Reading IATI activity files safely and in constant memory.

* **Hardened parsing** — lxml with ``resolve_entities=False``, ``no_network=True``,
  ``load_dtd=False`` and ``huge_tree=False``; a file whose prolog declares a DOCTYPE or
  entities is refused before parsing (external entities, entity expansion).
* **Streaming** — ``iterparse`` over ``<iati-activity>`` elements, each cleared (with its
  already-read siblings) once read, so a file of hundreds of MB is read with flat memory.
* **Schema validation** — each activity is checked against the official XSD of the version the
  file declares (``data/iati/schemas/<version>/``); an invalid activity is reported with its
  iati-identifier and line, and the rest of the file is still checked.

:func:`read_file` yields :class:`Activity` values (plain data, no XML) and reports problems
to a callback; it never writes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree

from graph.settings import PROJECT_ROOT
from ingest.iati.codelists import XML_LANG, hardened_parser
from ingest.iati.problems import IatiProblem, problem

SCHEMA_DIR = PROJECT_ROOT / "data" / "iati" / "schemas"
SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
PROLOG_BYTES = 65536
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->|\s+", re.S)
MAX_TEXT = 5000


@dataclass
class Organisation:
    role: str | None
    ref: str | None
    type: str | None
    names: dict[str, str]
    line: int | None


@dataclass
class Money:
    value: float
    currency: str | None
    date: str | None          # value-date, else the transaction date or period start
    kind: str | None          # budget type or transaction type code


@dataclass
class Activity:
    """What the importer uses of one ``<iati-activity>``."""

    index: int                                  # 1-based position in the file
    line: int
    identifier: str
    language: str
    default_currency: str | None
    last_updated: str | None
    hierarchy: str | None
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    status: str | None = None
    dates: dict[str, str] = field(default_factory=dict)           # ActivityDateType code -> iso date
    reporting_org: Organisation | None = None
    organisations: list[Organisation] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)   # (vocabulary, code)
    sectors: list[tuple[str, str]] = field(default_factory=list)   # (vocabulary, code)
    location_texts: list[str] = field(default_factory=list)
    budgets: list[Money] = field(default_factory=list)
    transactions: list[Money] = field(default_factory=list)
    flow_type: str | None = None
    schema_errors: list[IatiProblem] = field(default_factory=list)


@lru_cache(maxsize=4)
def schema_for(version: str) -> etree.XMLSchema:
    path = SCHEMA_DIR / version / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path), hardened_parser()))


def _prolog_problem(path: Path, file: str) -> IatiProblem | None:
    """Refuse DOCTYPE/ENTITY declarations (XXE, entity expansion) and things that are not XML at all."""
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.strip():
        return problem(file, "the file is empty; expected an IATI activity file (XML with <iati-activities>)",
                       "tệp rỗng; cần một tệp hoạt động IATI (XML có phần tử <iati-activities>)")
    rest = _PROLOG_NOISE.sub(b"", head[:PROLOG_BYTES])
    rest_full = head
    if rest.upper().startswith(b"<!DOCTYPE") or b"<!ENTITY" in rest_full.upper():
        return problem(file, "the file declares a DOCTYPE or entities; IATI files never need them and they are "
                             "refused (external entities and entity expansion are a security risk)",
                       "tệp có khai báo DOCTYPE hoặc thực thể (entity); tệp IATI không cần chúng và chúng bị từ "
                       "chối (thực thể ngoài và khai triển thực thể là rủi ro bảo mật)", line=1)
    if not rest.startswith(b"<"):
        return problem(file, "this is not an XML file (it does not start with '<'); IATI activity files are XML",
                       "đây không phải tệp XML (không bắt đầu bằng '<'); tệp hoạt động IATI là XML", line=1)
    return None


def _syntax_problem(file: str, error: etree.XMLSyntaxError) -> IatiProblem:
    line = error.lineno or (error.position[0] if error.position else None)
    detail = (error.msg or str(error)).strip()
    return problem(file, f"not well-formed XML: {detail}; nothing can be read after this point",
                   f"XML không hợp lệ về cú pháp: {detail}; không đọc được phần sau vị trí này", line=line)


def _iterparse(path: Path, **kwargs: object) -> etree.iterparse:
    return etree.iterparse(str(path), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True, **kwargs)


def root_of(path: Path, file: str) -> tuple[str | None, dict[str, str], IatiProblem | None]:
    """The root element's tag and attributes, reading only the start of the file."""
    try:
        for _, element in _iterparse(path, events=("start",)):
            return element.tag, dict(element.attrib), None
    except etree.XMLSyntaxError as error:
        return None, {}, _syntax_problem(file, error)
    return None, {}, problem(file, "no XML element found", "không tìm thấy phần tử XML nào")


def check_root(tag: object, attrs: dict[str, str], file: str) -> tuple[str | None, IatiProblem | None]:
    """The IATI version to validate against, or why the file cannot be an activity file."""
    if tag != "iati-activities":
        shown = tag if isinstance(tag, str) else "?"
        if shown == "iati-organisations":
            return None, problem(file, "this is an IATI organisation file (<iati-organisations>), not an activity "
                                       "file; only activity files can be imported",
                                 "đây là tệp tổ chức IATI (<iati-organisations>), không phải tệp hoạt động; chỉ "
                                 "nhập được tệp hoạt động", line=1, field=shown)
        return None, problem(file, f"the root element is <{shown}>; an IATI activity file starts with "
                                   "<iati-activities>", f"phần tử gốc là <{shown}>; tệp hoạt động IATI phải bắt đầu "
                                   "bằng <iati-activities>", line=1, field=shown)
    version = (attrs.get("version") or "").strip()
    if version in SUPPORTED_VERSIONS:
        return version, None
    if not version:
        return None, problem(file, "<iati-activities> has no version attribute; expected 2.01, 2.02 or 2.03",
                             "<iati-activities> không có thuộc tính version; cần 2.01, 2.02 hoặc 2.03",
                             line=1, field="version")
    if version.startswith("1"):
        return None, problem(file, f"IATI version {version} is not supported (only 2.01–2.03); publishers' "
                                   "version-1 files are obsolete: download the version-2 data instead",
                             f"phiên bản IATI {version} không được hỗ trợ (chỉ 2.01–2.03); hãy tải dữ liệu "
                             "phiên bản 2", line=1, field="version")
    return None, problem(file, f"unknown IATI version '{version}'; expected 2.01, 2.02 or 2.03",
                         f"phiên bản IATI không rõ '{version}'; cần 2.01, 2.02 hoặc 2.03", line=1, field="version")


def _texts(element: etree._Element | None, language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if element is None:
        return out
    for narrative in element.iterchildren("narrative"):
        text = " ".join("".join(narrative.itertext()).split())[:MAX_TEXT]
        if text:
            lang = (narrative.get(XML_LANG) or language).strip().lower() or language
            out.setdefault(lang, text)
    return out


def _number(text: str | None) -> float | None:
    try:
        return float((text or "").strip())
    except ValueError:
        return None


def _organisation(element: etree._Element, language: str, role: str | None) -> Organisation:
    return Organisation(role=role, ref=(element.get("ref") or "").strip() or None,
                        type=(element.get("type") or "").strip() or None,
                        names=_texts(element, language), line=element.sourceline)


def parse_activity(element: etree._Element, index: int, root_language: str) -> Activity:
    """Pick what the importer needs from one activity element (no validation here)."""
    language = (element.get(XML_LANG) or root_language or "en").strip().lower()
    default_currency = (element.get("default-currency") or "").strip().upper() or None
    activity = Activity(
        index=index, line=element.sourceline or 0,
        identifier=" ".join((element.findtext("iati-identifier") or "").split()),
        language=language, default_currency=default_currency,
        last_updated=(element.get("last-updated-datetime") or "").strip() or None,
        hierarchy=element.get("hierarchy"))
    activity.titles = _texts(element.find("title"), language)
    descriptions = element.findall("description")
    general = [d for d in descriptions if d.get("type") in (None, "", "1")] or descriptions
    for description in general:
        for lang, text in _texts(description, language).items():
            activity.descriptions.setdefault(lang, text)
    status = element.find("activity-status")
    activity.status = (status.get("code") or "").strip() if status is not None else None
    for date in element.iterchildren("activity-date"):
        if date.get("type") and date.get("iso-date"):
            activity.dates.setdefault(date.get("type").strip(), date.get("iso-date").strip()[:10])
    reporting = element.find("reporting-org")
    if reporting is not None:
        activity.reporting_org = _organisation(reporting, language, None)
    for org in element.iterchildren("participating-org"):
        activity.organisations.append(_organisation(org, language, (org.get("role") or "").strip() or None))
    activity.countries = [c.get("code").strip().upper() for c in element.iterchildren("recipient-country")
                          if c.get("code")]
    activity.regions = [((r.get("vocabulary") or "1").strip(), r.get("code").strip())
                        for r in element.iterchildren("recipient-region") if r.get("code")]
    sectors = list(element.iterchildren("sector"))
    if not sectors:  # 2.03 allows sectors on transactions instead
        sectors = [s for t in element.iterchildren("transaction") for s in t.iterchildren("sector")]
    activity.sectors = list(dict.fromkeys(((s.get("vocabulary") or "1").strip(), s.get("code").strip())
                                          for s in sectors if s.get("code")))
    for location in element.iterchildren("location"):
        for part in ("name", "description", "activity-description"):
            activity.location_texts += list(_texts(location.find(part), language).values())
        for admin in location.iterchildren("administrative"):
            if admin.text and admin.text.strip():
                activity.location_texts.append(admin.text.strip())
    for budget in element.iterchildren("budget"):
        value = budget.find("value")
        amount = _number(value.text if value is not None else None)
        if amount is None:
            continue
        start = budget.find("period-start")
        activity.budgets.append(Money(
            amount, ((value.get("currency") or "").strip().upper() or default_currency),
            (value.get("value-date") or (start.get("iso-date") if start is not None else None) or "")[:10] or None,
            (budget.get("type") or "1").strip()))
    for transaction in element.iterchildren("transaction"):
        kind = transaction.find("transaction-type")
        value = transaction.find("value")
        amount = _number(value.text if value is not None else None)
        if amount is None or kind is None:
            continue
        when = transaction.find("transaction-date")
        activity.transactions.append(Money(
            amount, ((value.get("currency") or "").strip().upper() or default_currency),
            (value.get("value-date") or (when.get("iso-date") if when is not None else None) or "")[:10] or None,
            (kind.get("code") or "").strip()))
    flow = element.find("default-flow-type")
    activity.flow_type = (flow.get("code") or "").strip() if flow is not None else None
    return activity


def _schema_problems(schema: etree.XMLSchema, element: etree._Element, file: str, identifier: str,
                     version: str) -> list[IatiProblem]:
    if schema.validate(element):
        return []
    out = []
    for entry in schema.error_log:
        message = " ".join(entry.message.split())
        field_name = None
        match = re.search(r"Element '([^']+)'", message)
        if match:
            field_name = match.group(1)
        out.append(problem(file, f"not valid against the IATI {version} schema: {message}",
                           f"không hợp lệ theo lược đồ (schema) IATI {version}: {message}",
                           line=entry.line or element.sourceline, activity=identifier or None, field=field_name))
    return out


def _root_problems(schema: etree.XMLSchema, tag: str, attrs: dict[str, str], file: str,
                   version: str) -> list[IatiProblem]:
    """The root element's own attributes against the schema (its activities are checked one by one)."""
    shell = etree.Element(tag, {k: v for k, v in attrs.items()})
    if schema.validate(shell):
        return []
    out = []
    for entry in schema.error_log:
        message = " ".join(entry.message.split())
        if "Missing child element" in message:
            continue
        out.append(problem(file, f"<iati-activities> is not valid against the IATI {version} schema: {message}",
                           f"<iati-activities> không hợp lệ theo lược đồ IATI {version}: {message}", line=1,
                           field="iati-activities"))
    return out


def read_file(path: Path, report: Callable[[IatiProblem], None], *, file: str | None = None,
              validate: bool = True, schema_version: str | None = None) -> Iterator[Activity]:
    """Every activity of a file, validated, in order; problems go to ``report``.

    A problem that makes the rest of the file unreadable (not XML, wrong root, unsupported
    version, broken XML) ends the iteration after reporting it.
    """
    name = file or path.name
    if not path.is_file():
        report(problem(name, "no such file", "không có tệp này"))
        return
    early = _prolog_problem(path, name)
    if early:
        report(early)
        return
    tag, attrs, error = root_of(path, name)
    if error:
        report(error)
        return
    version, error = check_root(tag, attrs, name)
    if schema_version and tag == "iati-activities":  # validate as this version whatever the file says
        version, error = schema_version, None
    if error:
        report(error)
        return
    schema = schema_for(version) if validate else None
    if schema is not None:
        for issue in _root_problems(schema, tag, attrs, name, version):
            report(issue)
    root_language = (attrs.get(XML_LANG) or "en").strip().lower()
    index = 0
    try:
        for _, element in _iterparse(path, events=("end",), tag="iati-activity"):
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # only activities directly under <iati-activities>
            index += 1
            activity = parse_activity(element, index, root_language)
            if schema is not None:
                activity.schema_errors = _schema_problems(schema, element, name, activity.identifier, version)
            yield activity
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        report(_syntax_problem(name, error))
