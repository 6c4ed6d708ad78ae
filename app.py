"""VUSTA partner graph — the explorer app (``streamlit run app.py``).

Only lays out widgets and calls :mod:`queries`; no Cypher here.
"""

from __future__ import annotations

import streamlit as st

from graph.store import GraphStore, StoreUnavailable
from queries.profile import NotFound, show
from queries.search import SearchError, search
from queries.stats import stats

st.set_page_config(page_title="VUSTA — Đồ thị đối tác", page_icon="🕸️", layout="wide")


@st.cache_resource
def get_store() -> GraphStore:
    return GraphStore()


store = get_store()
st.title("Đồ thị đối tác Liên hiệp Hội Việt Nam (VUSTA)")
try:
    counts = stats(store)
except StoreUnavailable as error:
    st.error(f"Không kết nối được kho dữ liệu đồ thị. / The graph store cannot be reached.\n\n{error}")
    st.stop()
st.caption(f"{store.describe()['backend']} · {sum(counts['nodes'].values())} thực thể / entities")

text = st.text_input("Tìm kiếm / Search", placeholder="lien hiep hoi, GIZ, AFEO…", key="q")
if text:
    try:
        hits = search(store, text, limit=20)
    except SearchError as error:
        st.warning(str(error))
        hits = []
    for hit in hits:
        st.markdown(f"**{hit['name']}** · `{hit['id']}` · {', '.join(hit['kinds'])}")
    if hits:
        profile = show(store, hits[0]["id"])
        st.subheader(profile["name"])
        st.write(profile["aliases"])
