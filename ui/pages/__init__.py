"""The app's pages, in menu order. Each module ``ui/pages/<module>.py`` exposes ``page() -> None``.

Adding a page is one line here: ``Page(module, Vietnamese title, English title, icon, url path)``.
A listed module that does not exist yet is left out of the menu (see ui/navigation.py).
Icons are Material Symbols (``:material/name:``), bundled with Streamlit, so no download is needed.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    module: str
    title_vi: str
    title_en: str
    icon: str
    url_path: str


PAGES: list[Page] = [
    Page("overview", "Tổng quan", "Overview", ":material/dashboard:", "overview"),
    Page("search", "Tìm kiếm", "Search", ":material/search:", "search"),
    Page("profile", "Hồ sơ", "Profile", ":material/badge:", "profile"),
    Page("network", "Bản đồ quan hệ", "Relationship map", ":material/hub:", "map"),
    Page("paths", "Đường kết nối", "Paths", ":material/route:", "paths"),
    Page("partners", "Tìm đối tác", "Partner finder", ":material/handshake:", "partners"),
    Page("aid_flows", "Dòng viện trợ (IATI)", "Aid flows (IATI)", ":material/payments:", "aid-flows"),
    Page("sources", "Dữ liệu & nguồn", "Data & sources", ":material/description:", "sources"),
    Page("diaspora", "Trí thức ở nước ngoài", "Diaspora", ":material/public:", "diaspora"),
    Page("review", "Duyệt tài liệu", "Review documents", ":material/fact_check:", "review"),
    Page("curate", "Biên tập", "Edit", ":material/edit_note:", "edit"),
    Page("duplicates", "Trùng lặp", "Duplicates", ":material/join:", "duplicates"),
    Page("history", "Lịch sử", "History", ":material/history:", "history"),
    Page("admin", "Quản trị", "Administration", ":material/admin_panel_settings:", "admin"),
]
