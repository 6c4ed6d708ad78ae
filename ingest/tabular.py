"""Importing entities and relationships from spreadsheets: CSV, Excel (.xlsx) and JSON.

The column templates are in ``data/templates/`` (README there). In short:

* an **entity table** has the columns ``name`` and ``kinds`` (or ``kind``), optionally ``id``,
  ``name_en``, ``aliases``, ``sources``, ``sample``, any property the kinds declare in
  :mod:`graph.schema` (``country``, ``email``, ``year`` …), and **relationship columns** named
  after a relationship type in lower case (``member_of``, ``partner_of``, ``funds``,
  ``focuses_on`` …) whose cells name the other ends (by id, name, alias or acronym);
* a **relationship table** has the columns ``type``, ``from``, ``to`` and optionally ``role``,
  ``since``, ``until``, ``year``, ``date``, ``amount``, ``currency``, ``status``,
  ``confidence``, ``note``, ``sources``, ``sample``.

Several values in one cell are separated by ``;``. Every row carries provenance: its
``sources`` cell (``FILE:LINE`` or any citation/URL), or else the file itself and the row
number (method ``tabular``). Rows without an ``id`` are resolved to an existing entity by name,
alias or acronym (same kind family) before a new id is made, so importing twice, or importing
a partner the curated data already has, does not duplicate it.

Everything is validated before anything is written: every problem names the file, the row, the
column and what is expected, and a file with any problem writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from graph.schema import (
    COMMON_ENTITY_PROPERTIES,
    DERIVED_RELATIONSHIP_TYPES,
    RELATIONSHIP_PROPERTIES,
    EntityRecord,
    NodeKind,
    PropertyType,
    RelationshipRecord,
    RelationshipType,
    SourceRef,
    allowed_properties,
    document_id,
    KINDS,
)
from graph.limits import MAX_INTEGER, MAX_NESTING, MAX_VALUE_BYTES, MIN_INTEGER, mib, too_deep
from graph.store import GraphStore
from ingest.curated import InvalidInput, Problem
from ingest.extract import ExtractedEntity, compatible, proposed_id
from ingest.gazetteer import Gazetteer
from ingest.load import LoadResult, load_records
from ingest.provenance import align_relationships

TABULAR_SUFFIXES = (".csv", ".tsv", ".xlsx", ".json")
SEPARATOR = ";"
MAX_FILE_BYTES = 100 * 1024 * 1024
# An .xlsx file is a zip archive: its size on disk says little about what it expands to. Checked
# before opening it (the archive's own member sizes, which the zip reader holds it to).
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100          # expansion ratio allowed for a member larger than 1 MiB
PROGRESS_EVERY = 10000
ENTITY_COLUMNS = {"id", "kinds", "kind", "name", "name_en", "aliases", "sources", "sample"}
RELATIONSHIP_COLUMNS = {"type", "from", "to", "sources", "sample", *RELATIONSHIP_PROPERTIES}
RELATIONSHIP_COLUMN_TYPES = {t.value.lower(): t for t in RelationshipType if t not in DERIVED_RELATIONSHIP_TYPES}
ALL_PROPERTIES: dict[str, PropertyType] = {**COMMON_ENTITY_PROPERTIES}
for _spec in KINDS.values():
    ALL_PROPERTIES.update(_spec.properties)
TRUE = {"true", "yes", "y", "1", "x", "có", "co", "đúng", "dung"}
FALSE = {"false", "no", "n", "0", "không", "khong", "sai", ""}


@dataclass
class Row:
    """One data row: its cells by column name, where it is, and which table it belongs to."""

    file: str
    number: int                      # row number as the spreadsheet shows it (header = row 1)
    cells: dict[str, Any]
    columns: dict[str, str]          # column name -> as shown (e.g. "C (country)" for Excel)
    table: str = "entities"


@dataclass
class Table:
    file: str
    name: str
    header: list[str]
    rows: list[Row] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

# Bytes that only Windows-1258 (Vietnamese) gives meaning to in Vietnamese text: its combining tone
# marks and the letters ă â đ ơ ư (Latin-1/Windows-1252 read them as Ì Ò Þ ì ò ã Ð õ ý …).
_CP1258_MARKS = set(b"\xcc\xd2\xde\xec\xf2\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd")


def guess_encoding(raw: bytes) -> str | None:
    """What a file that is not UTF-8 probably is (for the message), or None."""
    sample = raw[:65536]
    if sample.count(0) >= max(2, len(sample) // 8):
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return "UTF-16 without a byte-order mark (" + ("big" if even > odd else "little") + "-endian)"
    high = {b for b in sample if b >= 0x80}
    if not high:
        return None
    if high & _CP1258_MARKS:
        return "Windows-1258 (Vietnamese)"
    try:
        sample.decode("cp1252")
        return "Latin-1 / Windows-1252 (Western European)"
    except UnicodeDecodeError:
        return "Latin-1 (ISO-8859-1)"


def _decode(path: Path, raw: bytes, problems: list[Problem]) -> str | None:
    name = str(path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(name, "is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')"))
        return None
    if b"\x00" in raw[:65536]:
        guess = guess_encoding(raw)
        what = f"it looks like {guess}" if guess and guess.startswith("UTF-16") else "it is not a text file"
        problems.append(Problem(name, f"contains NUL bytes: {what}; save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                                line=1))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        label = guess_encoding(raw)
        guess = f"; it looks like {label}" if label else ""
        problems.append(Problem(name, f"is not valid UTF-8: byte 0x{raw[error.start]:02x} at line {line}, "
                                      f"column {column}{guess}; save the file as UTF-8 (in Excel: 'CSV UTF-8')",
                                line=line))
        return None


def _sniff_delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header(cells: list[Any], file: str, line: int, problems: list[Problem]) -> list[str] | None:
    header = [str(c).strip().lstrip("\ufeff").lower() if c is not None else "" for c in cells]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    ok = True
    for index, name in enumerate(header):
        if not name:
            problems.append(Problem(file, f"column {index + 1} has no name in the header row", line=line,
                                    record="header"))
            ok = False
        elif name in seen:
            problems.append(Problem(file, f"column '{name}' appears twice in the header row", line=line,
                                    record="header", field=name))
            ok = False
        seen.add(name)
    return header if ok else None


def read_csv(path: Path, problems: list[Problem]) -> list[Table]:
    name = str(path)
    raw = path.read_bytes()
    text = _decode(path, raw, problems)
    if text is None:
        return []
    if not text.strip():
        problems.append(Problem(name, "is empty; expected a header row and at least one data row"))
        return []
    # cells up to the file's size are read, then checked against the value limit with their column
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text, path.suffix.lower()),
                        strict=True)
    table: Table | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(str(c).strip() for c in cells):
                continue
            if table is None:
                header = _header(cells, name, start, problems)
                if header is None:
                    return []
                table = Table(name, path.stem, header)
                continue
            if len(cells) != len(table.header) and any(str(c).strip() for c in cells[len(table.header):]) or \
                    len(cells) < len(table.header):
                problems.append(Problem(name, f"has {len(cells)} cells but the header has {len(table.header)} "
                                              "columns; check the quotes and separators on this row",
                                        line=start, record=f"row {start}"))
                continue
            table.rows.append(Row(name, start, dict(zip(table.header, cells)), {h: h for h in table.header}))
    except csv.Error as error:
        problems.append(Problem(name, f"is not valid CSV: {error} (an opening quote without its closing quote?)",
                                line=reader.line_num, record=f"row {reader.line_num}"))
        return []
    if table is None:
        problems.append(Problem(name, "is empty; expected a header row and at least one data row"))
        return []
    if not table.rows:
        problems.append(Problem(name, "has a header but no data rows", line=1))
    return [table]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_xlsx(path: Path, problems: list[Problem]) -> list[Table]:
    from openpyxl import load_workbook  # imported here: only Excel files need it

    name = str(path)
    if not _xlsx_within_limits(path, problems):
        return []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds; all mean "not a readable workbook"
        problems.append(Problem(name, f"is not a readable Excel .xlsx workbook ({type(error).__name__}: {error})"))
        return []
    tables = []
    try:
        for sheet in workbook.worksheets:
            table: Table | None = None
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # never trust the sheet's <dimension>: read every row there is
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not any(c is not None and str(c).strip() for c in cells):
                    continue
                if table is None:
                    header = _header(list(cells), f"{name} [{sheet.title}]", number, problems)
                    if header is None:
                        break
                    table = Table(f"{name} [{sheet.title}]", sheet.title, header)
                    continue
                row_cells = dict(zip(table.header, cells))
                extra = [c for c in cells[len(table.header):] if c is not None and str(c).strip()]
                if extra:
                    problems.append(Problem(table.file, f"has values beyond the {len(table.header)} named columns",
                                            line=number, record=f"row {number}"))
                    continue
                columns = {h: f"{_column_letter(i)} ({h})" for i, h in enumerate(table.header)}
                table.rows.append(Row(table.file, number, row_cells, columns))
            if table is not None and table.rows:
                tables.append(table)
    finally:
        workbook.close()
    if not tables:
        problems.append(Problem(name, "has no sheet with a header row and data rows"))
    return tables


def _xlsx_within_limits(path: Path, problems: list[Problem]) -> bool:
    """Refuse an .xlsx archive that would expand beyond the limits (a "zip bomb") before opening it."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        problems.append(Problem(name, f"is not a readable Excel .xlsx workbook (not a zip archive: {error})"))
        return False
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        problems.append(Problem(name, f"expands to {mib(total)} when opened; the limit is "
                                      f"{mib(MAX_XLSX_UNCOMPRESSED)} (split the workbook or save it as CSV)"))
        return False
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_XLSX_RATIO * max(member.compress_size, 1):
            problems.append(Problem(name, f"part '{member.filename}' expands {member.file_size // max(member.compress_size, 1)}"
                                          f" times ({mib(member.compress_size)} → {mib(member.file_size)}); a workbook "
                                          f"compressed that much is refused (limit {MAX_XLSX_RATIO}×)"))
            return False
    return True


def _nesting_problem(name: str, problems: list[Problem]) -> None:
    problems.append(Problem(name, f"is nested too deeply (lists or objects more than {MAX_NESTING} levels "
                                  "inside each other); a row holds plain values"))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number (JSON allows finite numbers only)")


def read_json(path: Path, problems: list[Problem]) -> list[Table]:
    name = str(path)
    text = _decode(path, path.read_bytes(), problems)
    if text is None:
        return []
    if not text.strip():
        problems.append(Problem(name, "is empty; expected a list of rows or {\"entities\": [...], "
                                      "\"relationships\": [...]}"))
        return []
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        problems.append(Problem(name, f"is not valid JSON: {error.msg}", line=error.lineno))
        return []
    except RecursionError:
        _nesting_problem(name, problems)
        return []
    except ValueError as error:  # NaN, Infinity
        problems.append(Problem(name, f"is not valid JSON: {error}"))
        return []
    if too_deep(data):
        _nesting_problem(name, problems)
        return []
    sections: list[tuple[str, Any]]
    if isinstance(data, list):
        sections = [("rows", data)]
    elif isinstance(data, dict) and set(data) <= {"entities", "relationships"} and data:
        sections = list(data.items())
    else:
        problems.append(Problem(name, "must be a list of rows or an object with 'entities' and/or 'relationships'"))
        return []
    tables = []
    for section, rows in sections:
        if not isinstance(rows, list):
            problems.append(Problem(name, f"'{section}' must be a list of rows", field=section))
            continue
        header: list[str] = []
        for row in rows:
            if isinstance(row, dict):
                header += [str(k).lower() for k in row if str(k).lower() not in header]
        table = Table(name, section, header)
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.append(Problem(name, "a row must be an object of column: value", record=f"{section}[{index}]"))
                continue
            cells = {str(k).lower(): v for k, v in row.items()}
            table.rows.append(Row(name, index + 1, cells, {h: h for h in header},
                                  table="relationships" if section == "relationships" else "entities"))
        if not table.rows:
            problems.append(Problem(name, f"'{section}' has no rows", field=section))
        tables.append(table)
    return tables


def read_tables(paths: Iterable[Path], problems: list[Problem]) -> list[Table]:
    tables: list[Table] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), "does not exist"))
            continue
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(str(path), f"is {size} bytes; the limit for one file is {MAX_FILE_BYTES}"))
            continue
        if size == 0:
            problems.append(Problem(str(path), "is empty; expected a header row and at least one data row"))
            continue
        suffix = path.suffix.lower()
        reader = {".csv": read_csv, ".tsv": read_csv, ".xlsx": read_xlsx, ".json": read_json}.get(suffix)
        if reader is None:
            problems.append(Problem(str(path), f"has an unknown type '{suffix}'; expected one of "
                                               f"{', '.join(TABULAR_SUFFIXES)} (or .yaml for curated files)"))
            continue
        tables += reader(path, problems)
    return tables


# -- cells -------------------------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def _many(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if not _blank(v)]
    return [part.strip() for part in _text(value).split(SEPARATOR) if part.strip()]


_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def plain(value: Any, expected: str = "text") -> Any:
    """A cell's value if it is plain data; ValueError for what a cell cannot hold: objects, lists
    where one value is expected, true/false where text is expected, NaN/Infinity, whole numbers
    beyond 64 bits, text over the value limit."""
    if isinstance(value, dict):
        raise ValueError(f"expected {'a ' if expected != 'texts' else ''}{expected}, got an object "
                         f"({json.dumps(value, ensure_ascii=False, default=str)[:60]}); a cell holds plain values")
    if isinstance(value, list):
        if expected != "texts":
            raise ValueError("expected one value, not a list")
        for item in value:
            if isinstance(item, (dict, list)):
                raise ValueError("expected a list of texts, got nested lists or objects")
            plain(item, "text")
        return value
    if isinstance(value, bool) and expected in ("text", "texts"):
        raise ValueError(f"expected text, got {str(value).lower()} (a true/false value); put the text in quotes")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    if isinstance(value, int) and not isinstance(value, bool) and not MIN_INTEGER <= value <= MAX_INTEGER:
        raise ValueError(f"the number has {len(str(abs(value)))} digits; whole numbers must be between "
                         f"{MIN_INTEGER} and {MAX_INTEGER}")
    if isinstance(value, str) and len(value) > MAX_VALUE_BYTES // 4 and len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise ValueError(f"the cell holds {mib(len(value.encode('utf-8')))}; the limit for one value is "
                         f"{mib(MAX_VALUE_BYTES)}")
    return value


def convert(value: Any, expected: PropertyType) -> Any:
    """A cell as the schema's type, or ValueError saying what was expected."""
    plain(value, expected)
    if expected == "texts":
        return _many(value)
    if isinstance(value, list):
        raise ValueError("expected one value, not a list")
    if expected == "text":
        return _text(value)
    if expected in ("integer", "number"):
        if isinstance(value, bool):
            raise ValueError(f"expected a {'whole ' if expected == 'integer' else ''}number, got {value!r}")
        if isinstance(value, int) and expected == "integer":
            return value
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            text = _text(value).replace(" ", "").replace("_", "")
            if not _NUMBER.match(text):
                raise ValueError(f"expected a {'whole number' if expected == 'integer' else 'number'} "
                                 f"(digits, '.' for decimals), got {_text(value)!r}")
            digits = text.replace(",", "")
            if re.fullmatch(r"[+-]?\d+", digits):  # whole numbers exactly, not through a float
                return plain(int(digits)) if expected == "integer" else plain(float(digits))
            number = float(digits)
        if not math.isfinite(number):
            raise ValueError(f"expected a finite number, got {_text(value)!r}")
        if expected == "integer":
            if not number.is_integer():
                raise ValueError(f"expected a whole number, got {_text(value)!r}")
            return int(number)
        return number
    if expected == "boolean":
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(f"expected true/false (yes/no, 1/0, có/không), got {_text(value)!r}")
    if expected == "date":
        if isinstance(value, (dt.datetime, dt.date)):
            return _text(value)
        text = _text(value)
        match = _DMY.match(text)
        if match:
            text = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
        if re.fullmatch(r"\d{4}", text):
            return text
        for pattern in ("%Y-%m-%d", "%Y-%m"):
            try:
                dt.datetime.strptime(text, pattern)
                return text
            except ValueError:
                continue
        raise ValueError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD (or DD/MM/YYYY), got {_text(value)!r}")
    raise AssertionError(expected)


def parse_sources(value: Any, row: Row) -> list[SourceRef]:
    sources = []
    for item in _many(value) if not _blank(value) else []:
        match = re.match(r"^(?P<document>[^:]+\.[A-Za-z0-9]{1,5}):(?P<line>\d+)$", item)
        if match:
            sources.append(SourceRef(document=match["document"], line=int(match["line"]), method="tabular"))
        else:
            sources.append(SourceRef(document=item[:300], method="tabular"))
    if not sources:
        sources.append(SourceRef(document=Path(row.file.split(" [")[0]).name, line=row.number, method="tabular"))
    return sources


# -- validating and resolving ----------------------------------------------------------------------------

@dataclass
class Import:
    """Validated records from tables, ready to load."""

    entities: dict[str, tuple[EntityRecord, Row]] = field(default_factory=dict)
    relationships: list[tuple[RelationshipRecord, Row]] = field(default_factory=list)
    documents: dict[str, EntityRecord] = field(default_factory=dict)
    rows: int = 0


def _problem(problems: list[Problem], row: Row, column: str | None, message: str) -> None:
    problems.append(Problem(row.file, message, line=row.number, record=f"row {row.number}",
                            field=row.columns.get(column, column) if column else None))


def _table_kind(table: Table, problems: list[Problem]) -> str | None:
    header = set(table.header)
    if table.rows and table.rows[0].table == "relationships" or {"type", "from", "to"} <= header:
        missing = {"type", "from", "to"} - header
        if missing:
            problems.append(Problem(table.file, f"missing required column(s) {', '.join(sorted(missing))} for a "
                                                "relationship table", line=1, record="header"))
            return None
        unknown = sorted(header - RELATIONSHIP_COLUMNS)
        if unknown:
            problems.append(Problem(table.file, f"unknown column(s) {', '.join(unknown)}; a relationship table has "
                                                f"{', '.join(sorted(RELATIONSHIP_COLUMNS))}", line=1, record="header"))
            return None
        return "relationships"
    missing = []
    if "name" not in header:
        missing.append("name")
    if not header & {"kinds", "kind"}:
        missing.append("kinds")
    if missing:
        problems.append(Problem(table.file, f"missing required column(s) {', '.join(missing)}; an entity table needs "
                                            "'name' and 'kinds' (a relationship table needs 'type', 'from', 'to'); "
                                            "see data/templates/README.md", line=1, record="header"))
        return None
    known = ENTITY_COLUMNS | set(ALL_PROPERTIES) | set(RELATIONSHIP_COLUMN_TYPES)
    unknown = sorted(header - known)
    if unknown:
        problems.append(Problem(table.file, f"unknown column(s) {', '.join(unknown)}; expected entity columns "
                                            f"({', '.join(sorted(ENTITY_COLUMNS))}), properties of the kinds "
                                            "(see graph/schema.py) or relationship columns "
                                            f"({', '.join(sorted(RELATIONSHIP_COLUMN_TYPES))})",
                                line=1, record="header"))
        return None
    return "entities"


class Resolver:
    """Names to ids: the file's own entities first, then the graph's names, aliases and acronyms."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.graph = gazetteer
        self.file = Gazetteer()
        self.ids: set[str] = set()
        self.taken = set(gazetteer.names_of)

    def entity_id(self, name: str, aliases: list[str], kinds: list[str]) -> str | None:
        for source in (self.file, self.graph):
            for text in [name, *aliases]:
                ids = [i for i in source.lookup(text) if compatible(source.kinds_of.get(i, ()), kinds)]
                if len(set(ids)) == 1:
                    return ids[0]
        return None

    def add(self, entity: EntityRecord) -> None:
        self.ids.add(entity.id)
        self.taken.add(entity.id)
        self.file.add_entity(entity.id, [entity.name, entity.name_en, *entity.aliases], [str(k) for k in entity.kinds])

    def reference(self, text: str) -> tuple[str | None, str | None]:
        """(id, problem) for a cell naming an entity."""
        text = text.strip()
        if text in self.ids or text in self.graph.names_of:
            return text, None
        for source in (self.file, self.graph):
            ids = list(dict.fromkeys(source.lookup(text)))
            if len(ids) == 1:
                return ids[0], None
            if len(ids) > 1:
                return None, f"'{text}' names several entities ({', '.join(ids[:5])}); write the id instead"
        return None, f"refers to '{text}', which is neither in this import nor in the graph"


def build_import(tables: list[Table], gazetteer: Gazetteer, problems: list[Problem], quiet: bool = True) -> Import:
    result = Import()
    resolver = Resolver(gazetteer)
    pending_links: list[tuple[Row, str, RelationshipType, str, list[SourceRef]]] = []
    kinds_of_table = {id(t): _table_kind(t, problems) for t in tables}
    total = sum(len(t.rows) for t in tables)
    for table in tables:
        kind = kinds_of_table[id(table)]
        if kind is None:
            continue
        for row in table.rows:
            result.rows += 1
            if not quiet and total >= PROGRESS_EVERY and result.rows % PROGRESS_EVERY == 0:
                print(f"\rchecking: {result.rows}/{total} rows", end="", file=sys.stderr, flush=True)
            if kind == "entities":
                _entity_row(row, resolver, result, pending_links, problems)
            else:
                _relationship_row(row, resolver, result, problems, deferred=True)
    if not quiet and total >= PROGRESS_EVERY:
        print(file=sys.stderr)
    # references are resolved once every row's entity is known (rows may refer to later rows)
    for row, column, rel_type, target, sources in pending_links:
        owner = row.cells.get("__id__")
        target_id, problem = resolver.reference(target)
        if problem:
            _problem(problems, row, column, problem)
            continue
        try:
            record = RelationshipRecord(type=rel_type, **{"from": owner, "to": target_id}, sources=sources)
        except ValidationError as error:
            _problem(problems, row, column, error.errors()[0]["msg"])
            continue
        result.relationships.append((record, row))
    for table in tables:
        if kinds_of_table[id(table)] == "relationships":
            for row in table.rows:
                _relationship_row(row, resolver, result, problems, deferred=False)
    _check_duplicate_relationships(result, problems)
    return result


_MANY_VALUED = {"aliases", "sources", "kinds", "kind", *RELATIONSHIP_COLUMN_TYPES}


def _plain_cells(row: Row, columns: set[str], problems: list[Problem]) -> bool:
    """Check the row's non-property cells hold plain values (see :func:`plain`)."""
    ok = True
    for column in columns:
        value = row.cells.get(column)
        if value is None:
            continue
        try:
            plain(value, "texts" if column in _MANY_VALUED else "boolean" if column == "sample" else "text")
        except ValueError as error:
            _problem(problems, row, column, str(error))
            ok = False
    return ok


def _entity_row(row: Row, resolver: Resolver, result: Import,
                pending_links: list[tuple[Row, str, RelationshipType, str, list[SourceRef]]],
                problems: list[Problem]) -> None:
    cells = row.cells
    count = len(problems)
    if not _plain_cells(row, ENTITY_COLUMNS | set(RELATIONSHIP_COLUMN_TYPES), problems):
        return
    name = _text(cells.get("name")) if not _blank(cells.get("name")) else ""
    if not name:
        _problem(problems, row, "name", "is required: the entity's name as written in Vietnamese")
    kinds_column = "kinds" if "kinds" in cells else "kind"
    kinds: list[NodeKind] = []
    raw_kinds = _many(cells.get(kinds_column)) if not _blank(cells.get(kinds_column)) else []
    if not raw_kinds:
        _problem(problems, row, kinds_column, "is required: one or more kinds, e.g. Donor; ForeignPartner")
    for value in raw_kinds:
        match = next((k for k in NodeKind if k.value.lower() == value.lower()), None)
        if match is None or match in (NodeKind.DOCUMENT, NodeKind.FIGURE):
            _problem(problems, row, kinds_column, f"unknown kind '{value}'; expected one of "
                     + ", ".join(k.value for k in NodeKind if k not in (NodeKind.DOCUMENT, NodeKind.FIGURE)))
        else:
            kinds.append(match)
    aliases = _many(cells.get("aliases")) if not _blank(cells.get("aliases")) else []
    allowed = allowed_properties(kinds) if kinds else {}
    properties: dict[str, Any] = {}
    for column, value in cells.items():
        if column in ENTITY_COLUMNS or column in RELATIONSHIP_COLUMN_TYPES or column.startswith("__") or _blank(value):
            continue
        if kinds and column not in allowed:
            _problem(problems, row, column, f"is not a property of {', '.join(k.value for k in kinds)}; leave it "
                     f"empty for this row or change the kinds")
            continue
        try:
            properties[column] = convert(value, ALL_PROPERTIES.get(column, "text") if not kinds else allowed[column])
        except ValueError as error:
            _problem(problems, row, column, str(error))
    sample = False
    if not _blank(cells.get("sample")):
        try:
            sample = convert(cells.get("sample"), "boolean")
        except ValueError as error:
            _problem(problems, row, "sample", str(error))
    sources = parse_sources(cells.get("sources"), row)
    if len(problems) > count:
        return
    entity_id = _text(cells.get("id")) if not _blank(cells.get("id")) else None
    if entity_id is None:
        entity_id = resolver.entity_id(name, aliases, [k.value for k in kinds]) or \
            proposed_id(ExtractedEntity("", name, [k.value for k in kinds], False, aliases=aliases), resolver.taken)
    try:
        record = EntityRecord(id=entity_id, kinds=kinds, name=name,
                              name_en=_text(cells["name_en"]) if not _blank(cells.get("name_en")) else None,
                              aliases=aliases, properties=properties, sources=sources, sample=sample)
    except ValidationError as error:
        for detail in error.errors():
            loc = [str(p) for p in detail["loc"]]
            column = loc[1] if loc[:1] == ["properties"] and len(loc) > 1 else loc[0] if loc else None
            _problem(problems, row, column, detail["msg"])
        return
    first = result.entities.get(record.id)
    if first is not None:
        a, b = first[0].model_dump(exclude={"sources"}), record.model_dump(exclude={"sources"})
        if a != b:
            changed = sorted(k for k in a if a[k] != b[k])
            _problem(problems, row, "id" if "id" in cells else "name",
                     f"entity '{record.id}' is also defined at row {first[1].number} of {Path(first[1].file).name} "
                     f"with different values ({', '.join(changed)}); keep one row per entity")
            return
        record = first[0].model_copy(update={"sources": list(dict.fromkeys([*first[0].sources, *record.sources]))})
    result.entities[record.id] = (record, row)
    resolver.add(record)
    cells["__id__"] = record.id
    for source in sources:
        _document_for(source, result)
    for column, rel_type in RELATIONSHIP_COLUMN_TYPES.items():
        if column in cells and not _blank(cells[column]):
            for target in _many(cells[column]):
                pending_links.append((row, column, rel_type, target, sources))


def _relationship_row(row: Row, resolver: Resolver, result: Import, problems: list[Problem], deferred: bool) -> None:
    if deferred:
        return  # relationship tables are read after every entity is known
    cells = row.cells
    count = len(problems)
    if not _plain_cells(row, {"type", "from", "to", "sources", "sample"}, problems):
        return
    raw_type = _text(cells.get("type")) if not _blank(cells.get("type")) else ""
    rel_type = next((t for t in RelationshipType if t.value == raw_type.upper().replace(" ", "_")), None)
    if not raw_type:
        _problem(problems, row, "type", "is required: a relationship type such as MEMBER_OF")
    elif rel_type is None or rel_type in DERIVED_RELATIONSHIP_TYPES:
        _problem(problems, row, "type", f"unknown relationship type '{raw_type}'; expected one of "
                 + ", ".join(t.value for t in RelationshipType if t not in DERIVED_RELATIONSHIP_TYPES))
    ends = {}
    for end in ("from", "to"):
        if _blank(cells.get(end)):
            _problem(problems, row, end, "is required: the id, name or acronym of an entity")
            continue
        entity_id, problem = resolver.reference(_text(cells[end]))
        if problem:
            _problem(problems, row, end, problem)
        ends[end] = entity_id
    properties: dict[str, Any] = {}
    for column, expected in RELATIONSHIP_PROPERTIES.items():
        if not _blank(cells.get(column)):
            try:
                properties[column] = convert(cells[column], expected)
            except ValueError as error:
                _problem(problems, row, column, str(error))
    sample = False
    if not _blank(cells.get("sample")):
        try:
            sample = convert(cells["sample"], "boolean")
        except ValueError as error:
            _problem(problems, row, "sample", str(error))
    if len(problems) > count:
        return
    sources = parse_sources(cells.get("sources"), row)
    try:
        record = RelationshipRecord(type=rel_type, **{"from": ends["from"], "to": ends["to"]}, properties=properties,
                                    sources=sources, sample=sample)
    except ValidationError as error:
        for detail in error.errors():
            loc = [str(p) for p in detail["loc"]]
            _problem(problems, row, loc[-1] if loc else None, detail["msg"])
        return
    for source in sources:
        _document_for(source, result)
    result.relationships.append((record, row))


def _check_duplicate_relationships(result: Import, problems: list[Problem]) -> None:
    seen: dict[str, tuple[RelationshipRecord, Row]] = {}
    merged: list[tuple[RelationshipRecord, Row]] = []
    for record, row in result.relationships:
        first = seen.get(record.id)
        if first is None:
            seen[record.id] = (record, row)
            merged.append((record, row))
            continue
        if first[0].properties != record.properties or first[0].sample != record.sample:
            _problem(problems, row, "type", f"relationship {record.id} is also given at row {first[1].number} of "
                     f"{Path(first[1].file).name} with different values; keep one row per relationship")
    result.relationships = merged


def _document_for(source: SourceRef, result: Import) -> None:
    doc_id = document_id(source.document)
    if doc_id not in result.documents:
        result.documents[doc_id] = EntityRecord(
            id=doc_id, kinds=[NodeKind.DOCUMENT], name=source.document,
            properties={"title": source.document, "file": source.document, "kind_of_text": "spreadsheet"
                        if Path(source.document).suffix.lower() in TABULAR_SUFFIXES else "reference"},
            sources=[SourceRef(document=source.document, method="tabular")])


# -- loading ----------------------------------------------------------------------------------------

def import_tables(store: GraphStore, paths: list[Path], *, dry_run: bool = False, quiet: bool = False,
                  command: str = "python -m ingest") -> LoadResult:
    problems: list[Problem] = []
    tables = read_tables(paths, problems)
    if problems:
        raise InvalidInput(problems)
    gazetteer = Gazetteer.from_rows(store.read("name_table"))
    imported = build_import(tables, gazetteer, problems, quiet=quiet)
    if problems:
        raise InvalidInput(problems)
    known_documents = set(gazetteer.names_of)
    documents = [d for d in imported.documents.values() if d.id not in known_documents and d.id not in imported.entities]
    entities = documents + [record for record, _ in imported.entities.values()]
    relationships = align_relationships(store, [record for record, _ in imported.relationships])
    return load_records(store, entities, relationships, command=command, inputs=[str(p) for p in paths],
                        dry_run=dry_run, quiet=quiet)


def is_tabular(path: Path) -> bool:
    return path.suffix.lower() in TABULAR_SUFFIXES


__all__ = ["import_tables", "is_tabular", "read_tables", "build_import", "convert", "TABULAR_SUFFIXES"]
