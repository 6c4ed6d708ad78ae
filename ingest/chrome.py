"""Page chrome and cut-off text: lines that must not produce entities.

Web pages saved as text keep their menus ("TIN TỨC", "skip to Main Content"), datelines
("Thứ tư, 04/10/2023 15:59 (GMT+7)"), image placeholders, bylines (an author's name alone on a
line, "by Jane Doe"), counters ("565 lượt đọc") and links to more ("Các tin khác", "Back To
Top"); excerpts stop in the middle of a sentence. :func:`is_chrome` and :func:`is_cut_off` tell
them apart from the text itself.

>>> is_chrome("Thứ Tư, 11/05/2016"), is_chrome("Back To Top"), is_chrome("• Tran Van Binh")
(True, True, True)
>>> is_chrome("Trần Văn Bình", at_edge=True), is_chrome("Trần Văn Bình")
(True, False)
>>> is_chrome("Hội Nghề cá ký thỏa thuận với Viện Kinh tế.")
False
>>> is_cut_off("Trong bối cảnh đ", last=True), is_cut_off("Trong bối cảnh đó, hội đã làm tốt.", last=True)
(True, False)
"""

from __future__ import annotations

import re

_CHROME_PHRASES = re.compile(
    r"^\W*(?:skip to (?:main )?content|back to top|read more|xem thêm|xem tiếp|chi tiết|các tin (?:khác|mới hơn|cũ hơn|"
    r"liên quan)|tin (?:liên quan|khác)|bài viết liên quan|tm-img-alt|share|chia sẻ|in bài|print|đăng ký|đăng nhập|"
    r"login|sign in|subscribe|home|trang chủ|menu|search|tìm kiếm|english|tiếng việt|liên hệ|contact(?: us)?|"
    r"quang cảnh .{0,60}|toàn cảnh .{0,60}|ảnh:.*|photo:?.*|nguồn:.*|source:.*)\W*$", re.I)
_DATELINE = re.compile(r"^\W*(?:(?:thứ\s+\w+|chủ nhật|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                       r"\W+)?(?:ngày\s+)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\W+\d{1,2}:\d{2}(?::\d{2})?)?[\w\s()+:/-]{0,20}$"
                       r"|^\W*\d{1,2}:\d{2}(?::\d{2})?\s+\d{1,2}/\d{1,2}/\d{4}\W*$", re.I)
_COUNTER = re.compile(r"^\W*[\d.,]+\s+(?:lượt (?:xem|đọc)|views?|reads?|comments?|bình luận)\W*$", re.I)
_BULLET_NAME = re.compile(r"^\s*[•·*-]?\s*(?:by\s+|bởi\s+)?(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ’'-]*\s*){2,5}$")


def is_chrome(line: str, at_edge: bool = False) -> bool:
    """Whether a line is page chrome rather than text; ``at_edge``: among a page's first or last lines,
    where a name alone on a line is a byline."""
    text = line.strip()
    if not text:
        return True
    if _CHROME_PHRASES.match(text) or _DATELINE.match(text) or _COUNTER.match(text):
        return True
    words = text.split()
    if len(words) <= 6 and _BULLET_NAME.match(text) and not text.endswith((".", ":", "?", "!")):
        # an author's name alone on a line, a byline ("by …"), a bulleted name
        return text.lstrip()[:1] in "•·*-" or text.lower().startswith(("by ", "bởi ")) or \
            at_edge and all(len(w) <= 7 for w in words) and not any(w.isupper() for w in words)
    return False


_END = re.compile(r"[.!?…:;\"”’)\]»]\s*$|/\.\s*$")


def is_cut_off(sentence: str, last: bool) -> bool:
    """The last sentence of an excerpt that stops before its end ("… Trong bối cảnh đ")."""
    return last and len(sentence.split()) >= 2 and not _END.search(sentence)


__all__ = ["is_chrome", "is_cut_off"]
