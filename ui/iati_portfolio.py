"""A donor's IATI portfolio in Vietnam, for its profile page: totals by theme, province and year
as charts, and the list of its activities. Shown only for organisations that fund imported IATI
activities (ingest/iati/); reads through :mod:`queries.aid_flows`."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graph.store import GraphStore
from queries.aid_flows import donor_portfolio
from ui.i18n import language, tr
from ui.widgets import format_amount

LABELS = {
    "title": ("Danh mục IATI tại Việt Nam", "IATI portfolio in Vietnam"),
    "summary": ("{n} hoạt động IATI, tổng {amount} (giá trị USD theo bảng tỷ giá data/iati/usd_rates.csv).",
                "{n} IATI activities, {amount} in total (USD values at the rates of data/iati/usd_rates.csv)."),
    "by_theme": ("Theo chủ đề", "By theme"),
    "by_province": ("Theo tỉnh/thành", "By province"),
    "by_year": ("Theo năm bắt đầu", "By start year"),
    "usd": ("Triệu USD", "USD million"),
    "projects": ("Hoạt động", "Activities"),
    "split": ("Giá trị một hoạt động được chia đều cho các chủ đề và tỉnh của nó.",
              "An activity's value is divided equally among its themes and provinces."),
    "activity": ("Hoạt động", "Activity"), "year": ("Năm", "Year"), "status": ("Trạng thái", "Status"),
    "identifier": ("Mã IATI", "IATI identifier"),
}


def bar_chart(items: list[dict[str, Any]], label: str, axis: str, sort: bool = True) -> alt.Chart:
    frame = pd.DataFrame([{"label": str(i.get("name", i["key"])), "millions": (i["amount_usd"] or 0) / 1e6,
                           "projects": i["projects"]} for i in items])
    return alt.Chart(frame).mark_bar(cornerRadiusEnd=3, color="#059669").encode(
        y=alt.Y("label:N", sort="-x" if sort else None, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("millions:Q", title=axis),
        tooltip=[alt.Tooltip("label:N", title=label), alt.Tooltip("millions:Q", format=",.2f", title=axis),
                 alt.Tooltip("projects:Q", title=tr(LABELS, "projects"))],
    ).properties(height=max(120, 24 * len(frame)))


def year_chart(items: list[dict[str, Any]], axis: str) -> alt.Chart:
    frame = pd.DataFrame([{"year": str(i["key"]), "millions": (i["amount_usd"] or 0) / 1e6,
                           "projects": i["projects"]} for i in items])
    return alt.Chart(frame).mark_bar(color="#0f766e").encode(
        x=alt.X("year:O", title=None), y=alt.Y("millions:Q", title=axis),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("millions:Q", format=",.2f", title=axis),
                 alt.Tooltip("projects:Q", title=tr(LABELS, "projects"))],
    ).properties(height=220)


def render_iati_portfolio(graph: GraphStore, entity_id: str) -> None:
    """The section, or nothing when the organisation funds no imported IATI activity in Vietnam."""
    portfolio = donor_portfolio(graph, entity_id, language())
    if not portfolio["projects"]:
        return
    st.subheader(tr(LABELS, "title"))
    st.caption(tr(LABELS, "summary", n=len(portfolio["projects"]),
                  amount=format_amount(portfolio["amount_usd"], "USD")))
    axis = tr(LABELS, "usd")
    left, middle, right = st.columns(3)
    with left:
        st.markdown(f"**{tr(LABELS, 'by_theme')}**")
        st.altair_chart(bar_chart(portfolio["by_theme"], tr(LABELS, "by_theme"), axis), width="stretch")
    with middle:
        st.markdown(f"**{tr(LABELS, 'by_province')}**")
        st.altair_chart(bar_chart(portfolio["by_province"], tr(LABELS, "by_province"), axis), width="stretch")
    with right:
        st.markdown(f"**{tr(LABELS, 'by_year')}**")
        st.altair_chart(year_chart(portfolio["by_year"], axis), width="stretch")
    st.caption(tr(LABELS, "split"))
    st.dataframe(pd.DataFrame([{tr(LABELS, "activity"): p["title"], tr(LABELS, "identifier"): p["identifier"],
                                tr(LABELS, "year"): p["year"], tr(LABELS, "status"): p["status"]}
                               for p in portfolio["projects"]]), hide_index=True, width="stretch")
