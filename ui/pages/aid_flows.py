"""Aid flows (IATI): what imported IATI activities fund in Vietnam, by donor, theme, province and
year, with filters, charts, the table and a CSV download. Reads through :mod:`queries.aid_flows`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from queries.aid_flows import filter_flows, flows, names, totals
from ui.context import store
from ui.downloads import csv_bytes
from ui.i18n import language, tr
from ui.iati_portfolio import bar_chart, year_chart
from ui.widgets import format_amount

LABELS = {
    "title": ("Dòng viện trợ (dữ liệu IATI)", "Aid flows (IATI data)"),
    "intro": ("Các hoạt động viện trợ tại Việt Nam nạp từ tệp IATI (`python -m ingest iati TỆP.xml`). Giá trị USD "
              "theo bảng tỷ giá data/iati/usd_rates.csv; giá trị một hoạt động được chia đều cho các nhà tài trợ, "
              "chủ đề và tỉnh của nó để các tổng cộng lại đúng.",
              "Aid activities in Vietnam imported from IATI files (`python -m ingest iati FILE.xml`). USD values at "
              "the rates of data/iati/usd_rates.csv; an activity's value is divided equally among its donors, themes "
              "and provinces so that totals add up."),
    "empty": ("Chưa có hoạt động IATI nào. Tải tệp IATI của Việt Nam (IATI Datastore, d-portal hoặc IATI Registry) "
              "rồi nạp bằng `python -m ingest iati TỆP.xml` — xem README.",
              "No IATI activity yet. Download Vietnam's IATI files (IATI Datastore, d-portal or the IATI Registry) "
              "and load them with `python -m ingest iati FILE.xml` — see the README."),
    "donors": ("Nhà tài trợ", "Donors"), "themes": ("Chủ đề", "Themes"), "provinces": ("Tỉnh/thành", "Provinces"),
    "years": ("Năm bắt đầu", "Start year"),
    "total": ("{n} hoạt động, tổng {amount}", "{n} activities, {amount} in total"),
    "by_donor": ("Theo nhà tài trợ", "By donor"), "by_theme": ("Theo chủ đề", "By theme"),
    "by_province": ("Theo tỉnh/thành", "By province"), "by_year": ("Theo năm", "By year"),
    "usd": ("Triệu USD", "USD million"),
    "nothing": ("Không có dòng viện trợ nào khớp bộ lọc.", "No aid flow matches the filters."),
    "download": ("Tải CSV", "Download CSV"),
    "col_identifier": ("Mã IATI", "IATI identifier"), "col_title": ("Hoạt động", "Activity"),
    "col_donor": ("Nhà tài trợ", "Donor"), "col_theme": ("Chủ đề", "Theme"), "col_province": ("Tỉnh/thành", "Province"),
    "col_year": ("Năm", "Year"), "col_status": ("Trạng thái", "Status"), "col_usd": ("USD (phần chia)", "USD (share)"),
}


def _options(rows: list[dict], by: str) -> dict[str, str]:
    shown = names(rows, by)
    return dict(sorted(shown.items(), key=lambda item: str(item[1]).casefold()))


def page() -> None:
    graph = store()
    lang = language()
    st.title(tr(LABELS, "title"))
    st.caption(tr(LABELS, "intro"))
    rows = flows(graph, lang)
    if not rows:
        st.info(tr(LABELS, "empty"))
        return
    donors, themes, provinces = _options(rows, "donor"), _options(rows, "theme"), _options(rows, "province")
    years = sorted({r["year"] for r in rows if r["year"] is not None})
    left, middle, right = st.columns(3)
    chosen_donors = left.multiselect(tr(LABELS, "donors"), list(donors), format_func=donors.get, key="flows-donors")
    chosen_themes = middle.multiselect(tr(LABELS, "themes"), list(themes), format_func=themes.get, key="flows-themes")
    chosen_provinces = right.multiselect(tr(LABELS, "provinces"), list(provinces), format_func=provinces.get,
                                         key="flows-provinces")
    span = None
    if len(years) > 1:
        span = st.slider(tr(LABELS, "years"), min_value=years[0], max_value=years[-1], value=(years[0], years[-1]),
                         key="flows-years")
    chosen = filter_flows(rows, set(chosen_donors), set(chosen_themes), set(chosen_provinces), span)
    if not chosen:
        st.warning(tr(LABELS, "nothing"))
        return
    amount = sum(r["amount_usd"] or 0.0 for r in chosen)
    st.markdown(f"**{tr(LABELS, 'total', n=len({r['project'] for r in chosen}), amount=format_amount(amount, 'USD'))}**")
    axis = tr(LABELS, "usd")
    first, second = st.columns(2)
    with first:
        st.markdown(f"**{tr(LABELS, 'by_donor')}**")
        st.altair_chart(bar_chart([dict(t, name=donors.get(t["key"], t["key"])) for t in totals(chosen, "donor")][:15],
                                  tr(LABELS, "by_donor"), axis), width="stretch")
        st.markdown(f"**{tr(LABELS, 'by_province')}**")
        st.altair_chart(bar_chart([dict(t, name=provinces.get(t["key"], t["key"]))
                                   for t in totals(chosen, "province")][:20], tr(LABELS, "by_province"), axis),
                        width="stretch")
    with second:
        st.markdown(f"**{tr(LABELS, 'by_theme')}**")
        st.altair_chart(bar_chart([dict(t, name=themes.get(t["key"], t["key"])) for t in totals(chosen, "theme")][:15],
                                  tr(LABELS, "by_theme"), axis), width="stretch")
        st.markdown(f"**{tr(LABELS, 'by_year')}**")
        st.altair_chart(year_chart(sorted(totals(chosen, "year"), key=lambda t: str(t["key"])), axis),
                        width="stretch")
    frame = pd.DataFrame([{
        tr(LABELS, "col_identifier"): r["identifier"], tr(LABELS, "col_title"): r["title"],
        tr(LABELS, "col_donor"): r["donor_name"], tr(LABELS, "col_theme"): r["theme_name"],
        tr(LABELS, "col_province"): r["province_name"], tr(LABELS, "col_year"): r["year"],
        tr(LABELS, "col_status"): r["status"], tr(LABELS, "col_usd"): r["amount_usd"],
    } for r in chosen])
    st.dataframe(frame, hide_index=True, width="stretch")
    csv = csv_bytes(frame)  # one escaping rule for every download (ui/downloads.py)
    st.download_button(tr(LABELS, "download"), csv, file_name="aid-flows-iati.csv", mime="text/csv",
                       key="flows-csv", icon=":material/download:")
