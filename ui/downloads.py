"""Every tabular download of the app (CSV and Excel) is built here, with one escaping rule.

Names, aliases and descriptions come from documents, spreadsheets and uploads, so a cell can
hold text that a spreadsheet program would run as a formula (``=HYPERLINK(...)``, ``+cmd``,
``-2+3``, ``@SUM(...)``) — "CSV/formula injection". The rule, applied to every text cell of
every download:

* a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'``), so spreadsheet programs show it as text and never evaluate it;
* in Excel files every text cell is also written with the *string* cell type (never a formula),
  and numbers stay numbers (a real number such as ``-5`` is not text and is not changed);
* lists are joined with ``; `` and then escaped like any other text.

Pages never call ``DataFrame.to_csv``/``to_excel`` themselves: they pass rows (or a DataFrame)
to :func:`csv_bytes` / :func:`excel_bytes` and hand the bytes to ``st.download_button``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any, Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Rows = Sequence[Mapping[str, Any]]


def safe_text(value: str) -> str:
    """A text cell that no spreadsheet program evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Any) -> Any:
    """One cell as it goes into a download: numbers, booleans and dates as they are; everything
    else as escaped text (``None`` and NaN become an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return safe_text("; ".join(str(v) for v in value if v is not None))
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        try:
            return safe_cell(value.item())
        except (TypeError, ValueError):
            pass
    return safe_text(str(value))


def _table(rows: Any) -> tuple[list[str], list[list[Any]]]:
    """(header, rows of cells) from a list of dicts or a pandas DataFrame."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a DataFrame
        header = [str(c) for c in rows.columns]
        return header, [list(r) for r in rows.itertuples(index=False, name=None)]
    header: list[str] = []
    for row in rows:
        header += [str(k) for k in row if str(k) not in header]
    return header, [[row.get(h) for h in header] for row in rows]


def csv_bytes(rows: Any) -> bytes:
    """A CSV file (UTF-8 with BOM, so Excel reads Vietnamese correctly), every cell escaped."""
    header, body = _table(rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for cells in body:
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue().encode("utf-8-sig")


def excel_bytes(sheets: Mapping[str, Any]) -> bytes:
    """An .xlsx workbook with one sheet per entry (sheet name → rows or DataFrame). Text cells are
    escaped and typed as strings, so no cell is ever a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=safe_sheet_name(name))
        header, body = _table(rows)
        for cells in [header, *body]:
            sheet.append([None] * len(cells))  # make the row, then fill it typed
            for column, value in enumerate(cells, start=1):
                _set_cell(sheet.cell(row=sheet.max_row, column=column), safe_cell(value))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _set_cell(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        if value == "":
            return
        cell.value = value
        cell.data_type = "s"  # never "f" (formula), whatever the text looks like
    else:
        cell.value = value


def safe_sheet_name(name: str) -> str:
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in str(name)).strip("'") or "sheet"
    return cleaned[:31]


def rows_from(records: Iterable[Mapping[str, Any]], columns: Mapping[str, str]) -> list[dict[str, Any]]:
    """Pick and rename columns (key → header) from records."""
    return [{header: record.get(key) for key, header in columns.items()} for record in records]


__all__ = ["safe_text", "safe_cell", "csv_bytes", "excel_bytes", "rows_from", "CSV_MIME", "EXCEL_MIME",
           "FORMULA_STARTS"]
