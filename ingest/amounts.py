"""Amounts of money and periods of years as Vietnamese and English texts write them.

>>> [(a.value, a.currency) for a in find_amounts("kinh phí là 2,25 triệu USD, đối ứng 28 tỷ đồng")]
[(2250000.0, 'USD'), (28000000000.0, 'VND')]
>>> [(a.value, a.currency) for a in find_amounts("a grant of USD 284,500 (VND 6.4 billion) and CAD 34,888.44")]
[(284500.0, 'USD'), (6400000000.0, 'VND'), (34888.44, 'CAD')]
>>> [(a.value, a.currency) for a in find_amounts("tổng vốn 64.000 triệu đồng")]
[(64000000000.0, 'VND')]
>>> find_period("chương trình kéo dài từ năm 2018 đến năm 2021")
(2018, 2021)
>>> find_period("from September 2021 to February 2022")
(2021, 2022)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CURRENCIES = [
    (r"US\$|USD|đô la Mỹ|đô-la Mỹ|US dollars?|dollars?|\$", "USD"),
    (r"VNĐ|VND|Việt Nam đồng|Việt nam đồng|đồng|dong", "VND"),
    (r"CAD|C\$|Canadian dollars?", "CAD"), (r"AUD|A\$|Australian dollars?", "AUD"), (r"EUR|€|euros?", "EUR"),
    (r"GBP|£|pounds?", "GBP"), (r"JPY|yên|yen", "JPY"), (r"CHF|Swiss francs?", "CHF"), (r"SEK|NOK|DKK", None),
]
_CURRENCY = "|".join(f"(?:{pattern})" for pattern, _ in _CURRENCIES)
_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "thousand": 1e3, "k": 1e3, "triệu": 1e6, "million": 1e6, "millions": 1e6,
           "mn": 1e6, "m": 1e6, "tỷ": 1e9, "tỉ": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9}
_SCALE = r"nghìn|ngàn|thousand|triệu|millions?|mn|tỷ|tỉ|billions?|bn|m|k"
_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AFTER = re.compile(rf"(?<![\w.,])(?P<n>{_NUMBER})\s*(?P<s>{_SCALE})?\.?\s*(?P<c>{_CURRENCY})(?![\w])", re.I)
_BEFORE = re.compile(rf"(?<![\w])(?P<c>{_CURRENCY})\s?(?P<n>{_NUMBER})(?:\s*(?P<s>{_SCALE})\b)?", re.I)


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: float
    currency: str
    text: str


def parse_number(text: str) -> float:
    """'2,25' -> 2.25, '64.000' -> 64000, '284,500' -> 284500, '34,888.44' -> 34888.44, '2.1' -> 2.1.

    A separator followed by exactly three digits (and then a separator or the end) groups
    thousands; the last separator followed by one or two digits is the decimal point.
    """
    groups = re.split(r"[.,]", text)
    separators = re.findall(r"[.,]", text)
    if not separators:
        return float(text)
    if len(groups[-1]) != 3 or len(groups) == 2 and groups[0] == "0":
        whole = "".join(groups[:-1])
        return float(f"{whole}.{groups[-1]}")
    return float("".join(groups))


def _currency(written: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if re.fullmatch(pattern, written, re.I):
            return code or written.upper()
    return None


def find_amounts(text: str) -> list[Amount]:
    found: list[Amount] = []
    for regex in (_AFTER, _BEFORE):
        for match in regex.finditer(text):
            if any(a.start <= match.start() < a.end or match.start() <= a.start < match.end() for a in found):
                continue
            currency = _currency(match["c"])
            if currency is None:
                continue
            if currency == "VND" and match["c"].lower() in ("đồng", "dong") and not match["s"] and \
                    len(re.sub(r"\D", "", match["n"])) < 4:
                continue  # "3 đồng" alone is rarely money in these texts
            value = parse_number(match["n"])
            scale = (match["s"] or "").lower()
            if scale in ("m", "k") and regex is _AFTER:
                continue  # "5 m USD" is not written; "5 m" is metres
            value *= _SCALES.get(scale, 1)
            found.append(Amount(match.start(), match.end(), value, currency, match.group(0)))
    return sorted(found, key=lambda a: a.start)


_PERIOD = re.compile(
    r"(?:từ|from|between|giai đoạn|period|in)?\s*(?:(?:tháng|năm|ngày)\s+)?(?:[\w/]+\s+){0,2}?(?P<a>(?:19|20)\d\d)"
    r"\s*(?:[-–—]|đến|to|until|till|and|tới)\s*(?:(?:hết\s+)?(?:tháng|năm|ngày)\s+)?(?:[\w/]+\s+){0,2}?"
    r"(?P<b>(?:19|20)\d\d)", re.I)


def find_period(text: str) -> tuple[int, int] | None:
    """The first span of years a text gives ("2018–2021", "từ năm 2018 đến năm 2021")."""
    for match in _PERIOD.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        if a <= b <= a + 30:
            return a, b
    return None


__all__ = ["Amount", "find_amounts", "find_period", "parse_number"]
