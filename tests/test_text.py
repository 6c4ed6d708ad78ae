import unicodedata

from graph.text import acronym, fold, normalise, slug


def test_fold_removes_diacritics_and_case():
    assert fold("Dương Thị Nga") == "duong thi nga"
    assert fold("Liên hiệp Hội Việt Nam") == "lien hiep hoi viet nam"
    assert fold("ĐÀ NẴNG") == "da nang"


def test_fold_treats_nfc_and_nfd_alike():
    text = "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert fold(nfd) == fold(text)
    assert normalise(nfd) == text


def test_normalise_collapses_whitespace_and_controls():
    assert normalise("  Hội\u0000  Luật\tgia \n") == "Hội Luật gia"


def test_acronym_and_slug():
    assert acronym("Liên hiệp Hội Việt Nam") == "lhhvn"
    assert slug("Hội Luật gia – Việt Nam") == "hoi-luat-gia-viet-nam"
