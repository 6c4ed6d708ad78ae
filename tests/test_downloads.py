"""Every tabular download (CSV and Excel) goes through ui/downloads.py: a text cell a spreadsheet
program could run as a formula is written as text, never evaluated (tests/bad_inputs/downloads/)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from graph.store import GraphStore
from ui.downloads import EXCEL_MIME, FORMULA_STARTS, csv_bytes, excel_bytes, safe_cell

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = (Path(__file__).parent / "bad_inputs" / "downloads" / "formula_names.txt").read_text(
    encoding="utf-8").split("\n")
HOSTILE = [line for line in HOSTILE if line]


def _cells_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _check_workbook(data: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(data))  # not read-only: we want every cell's type
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_hostile_text_is_neutralised_and_numbers_stay_numbers():
    rows = [{"name": text, "score": -0.5, "count": 3, "aliases": [text, "ok"]} for text in HOSTILE]
    rows.append({"name": "Liên hiệp Hội – bình thường", "score": 1.0, "count": 0, "aliases": []})
    for cells in _cells_of_csv(csv_bytes(rows))[1:]:
        assert not cells[0].startswith(FORMULA_STARTS), cells
        assert not cells[3].startswith(FORMULA_STARTS), cells
    texts = _check_workbook(excel_bytes({"partners": rows}))
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert "'" + HOSTILE[0] in texts and "Liên hiệp Hội – bình thường" in texts
    workbook = load_workbook(io.BytesIO(excel_bytes({"partners": rows})))
    assert workbook["partners"]["B2"].value == -0.5 and workbook["partners"]["B2"].data_type == "n"
    assert safe_cell(None) == "" and safe_cell(float("nan")) == "" and safe_cell(True) is True


def test_no_page_builds_a_spreadsheet_itself():
    """The one rule holds for every download: no page writes CSV/Excel on its own."""
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "downloads.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.to_csv\(|\.to_excel\(|ExcelWriter|csv\.writer|openpyxl", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"build downloads with ui/downloads.py instead: {offenders}"


PAGE = """
import streamlit as st
from graph.store import GraphStore
from queries.partners import recommend_partners
from ui.pages.partners import _downloads

result = recommend_partners(GraphStore(), {"text": "phòng chống HIV/AIDS ở Hà Nội"}, limit=5)
hostile = st.session_state["hostile"]
for item, name in zip(result["results"], hostile):
    item["name"] = name
_downloads(result, "vi")
from streamlit.runtime import Runtime  # the bytes the browser would receive
files = Runtime.instance().media_file_mgr._storage._files_by_id.values()
st.session_state["files"] = {f.mimetype: f.content for f in files}
"""


def test_partner_finder_downloads_never_carry_a_formula(store: GraphStore):
    """The partner finder's CSV and Excel files with entity names that look like formulas."""
    app = AppTest.from_string(PAGE, default_timeout=120)
    app.session_state["hostile"] = HOSTILE
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    downloads = {d.proto.label: d for d in app.get("download_button")}
    assert {"Tải CSV", "Tải Excel"} <= set(downloads)
    files = app.session_state["files"]
    csv_rows = _cells_of_csv(files["text/csv"])
    names = [row[csv_rows[0].index("Tên")] for row in csv_rows[1:]]
    assert names and all(not n.startswith(FORMULA_STARTS) for n in names), names
    assert "'" + HOSTILE[0] in names
    texts = _check_workbook(files[EXCEL_MIME])
    assert "'" + HOSTILE[0] in texts
