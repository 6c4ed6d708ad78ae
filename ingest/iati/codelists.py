"""The IATI codelists the importer needs, read from ``data/iati/codelists/`` (never from the network).

Each file is an official IATI codelist in the standard's own XML format (origin, version and
licence in ``data/iati/README.md``). A code that is not in its list is a *warning*, not an
error: publishers use newer codes than the lists kept here, or their own vocabularies.

>>> lists = Codelists.load()
>>> lists.name("OrganisationRole", "1")
'Funding'
>>> lists.known("Country", "VN"), lists.known("Country", "XX")
(True, False)
>>> lists.name("Sector", "12220")
'Basic health care'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from graph.settings import PROJECT_ROOT

CODELIST_DIR = PROJECT_ROOT / "data" / "iati" / "codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NEEDED = ("Sector", "SectorCategory", "OrganisationRole", "OrganisationType", "Currency", "ActivityStatus",
          "Country", "Region", "TransactionType", "ActivityDateType", "BudgetType", "SectorVocabulary")


def hardened_parser(**options: object) -> etree.XMLParser:
    """An lxml parser that never resolves entities, never reads a DTD and never goes to the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, **options)


@dataclass
class Codelist:
    name: str
    names: dict[str, dict[str, str]] = field(default_factory=dict)   # code -> {lang: name}
    category: dict[str, str] = field(default_factory=dict)            # code -> category code
    withdrawn: set[str] = field(default_factory=set)


@dataclass
class Codelists:
    lists: dict[str, Codelist]

    @classmethod
    def load(cls, folder: Path = CODELIST_DIR) -> "Codelists":
        return _load(str(folder))

    def known(self, codelist: str, code: str | None) -> bool:
        return code is not None and code.strip() in self.lists[codelist].names

    def name(self, codelist: str, code: str | None, language: str = "en") -> str | None:
        if code is None:
            return None
        names = self.lists[codelist].names.get(code.strip())
        if not names:
            return None
        return names.get(language) or names.get("en") or next(iter(names.values()))

    def category(self, codelist: str, code: str) -> str | None:
        return self.lists[codelist].category.get(code)


@lru_cache(maxsize=4)
def _load(folder: str) -> Codelists:
    lists: dict[str, Codelist] = {}
    for name in NEEDED:
        path = Path(folder) / f"{name}.xml"
        tree = etree.parse(str(path), hardened_parser())
        codelist = Codelist(name)
        for item in tree.getroot().iter("codelist-item"):
            code = (item.findtext("code") or "").strip()
            if not code:
                continue
            names: dict[str, str] = {}
            for narrative in item.findall("name/narrative"):
                text = " ".join((narrative.text or "").split())
                if text:
                    names.setdefault(narrative.get(XML_LANG, "en"), text)
            codelist.names[code] = names or {"en": code}
            category = item.findtext("category")
            if category:
                codelist.category[code] = category.strip()
            if item.get("status") == "withdrawn":
                codelist.withdrawn.add(code)
        lists[name] = codelist
    return Codelists(lists)
