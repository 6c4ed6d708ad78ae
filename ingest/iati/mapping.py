"""The project's own tables for IATI data, kept as data in ``data/iati/``:

* ``sector_themes.csv`` — OECD DAC sector codes (5-digit, and their 3-digit categories) to the
  themes of ``data/reference/themes.yaml``;
* ``usd_rates.csv`` — units of each currency per US dollar by year, for the USD values.

>>> themes = SectorThemes.load()
>>> themes.themes_for("1", "12220")          # a 5-digit code with its own row
['theme-health']
>>> themes.themes_for("1", "11240")          # no row of its own: its category 112 (basic education)
['theme-education']
>>> themes.themes_for("2", "140")            # a 3-digit category
['theme-water']
>>> rates = UsdRates.load()
>>> rates.to_usd(924.0, "EUR", "2023-05-01")
1000.0
>>> rates.to_usd(100.0, "EUR", "2031-01-01") == rates.to_usd(100.0, "EUR", "2023-01-01")  # nearest year
True
>>> rates.to_usd(5.0, "XYZ", None) is None
True
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.settings import PROJECT_ROOT

IATI_DATA = PROJECT_ROOT / "data" / "iati"
SECTOR_THEMES = IATI_DATA / "sector_themes.csv"
USD_RATES = IATI_DATA / "usd_rates.csv"
DAC5 = "1"   # SectorVocabulary: OECD DAC CRS purpose codes (5 digit)
DAC3 = "2"   # SectorVocabulary: OECD DAC CRS purpose codes (3 digit)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class SectorThemes:
    five: dict[str, tuple[str, ...]]
    three: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, path: Path = SECTOR_THEMES) -> "SectorThemes":
        return _sector_themes(str(path))

    def themes_for(self, vocabulary: str, code: str) -> list[str]:
        code = code.strip()
        if vocabulary in ("", DAC5) and len(code) == 5:
            return list(self.five.get(code) or self.three.get(code[:3], ()))
        if vocabulary == DAC3 or (vocabulary == DAC5 and len(code) == 3):
            return list(self.three.get(code, ()))
        return []


@lru_cache(maxsize=2)
def _sector_themes(path: str) -> SectorThemes:
    five: dict[str, tuple[str, ...]] = {}
    three: dict[str, tuple[str, ...]] = {}
    for row in _rows(Path(path)):
        themes = tuple(t.strip() for t in row["themes"].split(";") if t.strip())
        (five if row["vocabulary"] == "DAC5" else three)[row["code"].strip()] = themes
    return SectorThemes(five, three)


@dataclass(frozen=True)
class UsdRates:
    by_currency: dict[str, tuple[tuple[int, ...], tuple[float, ...]]]

    @classmethod
    def load(cls, path: Path = USD_RATES) -> "UsdRates":
        return _rates(str(path))

    def knows(self, currency: str | None) -> bool:
        return bool(currency) and currency in self.by_currency

    def rate(self, currency: str, year: int | None) -> float | None:
        table = self.by_currency.get(currency)
        if table is None:
            return None
        years, values = table
        if year is None:
            return values[-1]
        i = bisect_left(years, year)
        if i < len(years) and years[i] == year:
            return values[i]
        candidates = [j for j in (i - 1, i) if 0 <= j < len(years)]
        best = min(candidates, key=lambda j: abs(years[j] - year))
        return values[best]

    def to_usd(self, value: float, currency: str | None, date: str | None) -> float | None:
        if not currency:
            return None
        year = int(date[:4]) if date and date[:4].isdigit() else None
        rate = self.rate(currency, year)
        return None if rate is None else round(value / rate, 2)


@lru_cache(maxsize=2)
def _rates(path: str) -> UsdRates:
    table: dict[str, list[tuple[int, float]]] = {}
    for row in _rows(Path(path)):
        table.setdefault(row["currency"].strip().upper(), []).append((int(row["year"]), float(row["units_per_usd"])))
    return UsdRates({c: (tuple(y for y, _ in sorted(v)), tuple(r for _, r in sorted(v))) for c, v in table.items()})
