"""Recognising themes, places and budgets in a project idea — Vietnamese with and without
accents, English — against the real taxonomy and provinces loaded from data/."""

from __future__ import annotations

import pytest

from graph.store import GraphStore
from queries.geography import NATIONWIDE, geography, infer_places
from queries.phrases import PhraseIndex
from queries.project_idea import parse_budget
from queries.themes import build_taxonomy, infer_themes, taxonomy

CLIMATE = "theme-climate-change"


def ids(matches) -> list[str]:
    return [m.id for m in matches]


@pytest.mark.parametrize("text", [
    "thích ứng biến đổi khí hậu ở đồng bằng sông Cửu Long",     # Vietnamese
    "thich ung bien doi khi hau o dong bang song cuu long",     # without accents
    "THÍCH ỨNG BIẾN ĐỔI KHÍ HẬU",                                # capitals
    "Climate change adaptation in the Mekong Delta",            # English
])
def test_climate_adaptation_is_recognised_in_every_spelling(store: GraphStore, text: str):
    found = infer_themes(taxonomy(store), text)
    assert found and found[0].id == CLIMATE
    assert found[0].weight == 1.0 and found[0].evidence


@pytest.mark.parametrize("text,theme", [
    ("Phòng chống HIV/AIDS cho người sử dụng ma túy", "theme-hiv-aids"),
    ("phong chong hiv aids", "theme-hiv-aids"),
    ("support for people living with HIV", "theme-hiv-aids"),
    ("nâng cao năng lực pháp lý, trợ giúp pháp lý", "theme-legal-reform"),
    ("chuyen doi so cho hop tac xa", "theme-digital-transformation"),
    ("sức khỏe sinh sản vị thành niên", "theme-reproductive-health"),
    ("nuoc sach va ve sinh moi truong", "theme-water"),
    ("vaccine production technology transfer", "theme-vaccines"),
])
def test_themes_in_vietnamese_english_and_without_accents(store: GraphStore, text: str, theme: str):
    assert theme in ids(infer_themes(taxonomy(store), text))


def test_a_whole_phrase_is_read_once_and_short_words_do_not_mislead(store: GraphStore):
    tax = taxonomy(store)
    found = infer_themes(tax, "biến đổi khí hậu")
    assert ids(found) == [CLIMATE] and found[0].evidence == ("bien doi khi hau",)
    # "thế giới" (world) is not gender ("giới"); "bảo vệ" (protect) is not a storm ("bão")
    assert "theme-gender" not in ids(infer_themes(tax, "hợp tác với các nước trên thế giới"))
    assert "theme-disaster-response" not in ids(infer_themes(tax, "bảo vệ quyền lợi thành viên"))


def test_nothing_to_recognise_gives_nothing(store: GraphStore):
    tax = taxonomy(store)
    assert infer_themes(tax, "") == []
    assert infer_themes(tax, "xyzzy qwerty 12345") == []


def test_themes_resolve_by_id_name_keyword_and_suggest_when_unknown(store: GraphStore):
    tax = taxonomy(store)
    for value in ("theme-water", "water", "Tài nguyên nước", "tai nguyen nuoc", "nguồn nước"):
        assert tax.resolve(value) == "theme-water", value
    assert tax.resolve("no such theme at all") is None
    assert any("theme-climate-change" in hint for hint in tax.suggestions("climat chang"))


def test_similarity_follows_the_taxonomy(store: GraphStore):
    tax = taxonomy(store)
    assert tax.similarity("theme-hiv-aids", "theme-hiv-aids") == 1.0
    assert tax.similarity("theme-hiv-aids", "theme-health") == 0.6            # PART_OF
    assert tax.similarity("theme-hiv-aids", "theme-reproductive-health") == 0.35  # both part of health
    assert tax.similarity("theme-hiv-aids", "theme-marine-sovereignty") == 0.0
    assert tax.themes[CLIMATE].dac_codes and tax.themes[CLIMATE].keywords


def test_taxonomy_and_phrases_work_without_a_store():
    tax = build_taxonomy(
        [{"id": "t-a", "name": "Nước sạch", "name_en": "Clean water", "keywords": ["cấp nước"], "dac_codes": ["14030"]},
         {"id": "t-b", "name": "Môi trường", "name_en": "Environment", "keywords": [], "dac_codes": ["41010"]}],
        [{"theme": "t-a", "broader": "t-b"}])
    assert ids(infer_themes(tax, "du an cap nuoc va moi truong")) == ["t-a", "t-b"]
    assert tax.similarity("t-a", "t-b") == 0.6
    index = PhraseIndex()
    index.add("Thái Bình", "province")
    index.add("Thái Bình Dương", None)  # a blocker: the Pacific is not the province
    assert [m.phrase for m in index.find("tỉnh Thái Bình")] == ["thai binh"]
    assert index.find("châu Á – Thái Bình Dương") == []


@pytest.mark.parametrize("text,region,province", [
    ("đồng bằng sông Cửu Long", "place-mekong-delta", None),
    ("dong bang song cuu long", "place-mekong-delta", None),
    ("ĐBSCL", "place-mekong-delta", None),
    ("the Mekong Delta", "place-mekong-delta", None),
    ("tại thành phố Cần Thơ", "place-mekong-delta", "place-can-tho"),
    ("o Hai Phong", "place-northern-provinces", "place-hai-phong"),
    ("các tỉnh miền Trung", "place-central-vietnam", None),
    ("Central Highlands", "place-central-highlands", None),
    ("trên phạm vi toàn quốc", NATIONWIDE, None),
])
def test_places_are_recognised(store: GraphStore, text: str, region: str, province: str | None):
    places = infer_places(geography(store), text)
    assert places and (places[0].region, places[0].province) == (region, province)


def test_words_that_contain_a_place_name_are_not_places(store: GraphStore):
    geo = geography(store)
    assert infer_places(geo, "hợp tác khu vực châu Á – Thái Bình Dương") == []
    assert infer_places(geo, "mạng lưới Đông Nam Á") == []
    assert len(geo.provinces) == 63 and len(geo.regions) == 5


@pytest.mark.parametrize("text,usd", [
    ("khoảng 200.000 USD", 200_000),
    ("200,000 USD", 200_000),
    ("about $1.5 million", 1_500_000),
    ("1,5 triệu đô", 1_500_000),
    ("ngân sách 300 nghìn USD", 300_000),
    ("USD 150,000", 150_000),
    ("$200k", 200_000),
    ("4,8 tỷ đồng", 200_000),
])
def test_budgets_are_read_from_text(text: str, usd: float):
    assert parse_budget(text) == pytest.approx(usd)


@pytest.mark.parametrize("text", ["", "10 dự án trong năm 2019", "không có ngân sách"])
def test_no_budget_in_text(text: str):
    assert parse_budget(text) is None
