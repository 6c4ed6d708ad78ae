"""The smallest Streamlit page (a title and a line): the benchmark's baseline for page times,
served and visited in the same run as the app's pages (``bench/browser.py``), so that each
page's time can be read against what Streamlit itself needs on this machine and browser."""

import streamlit as st

st.title("VUSTA")
st.write("Trang trống · empty page")
