"""Finding names in English text (and Latin-script names inside Vietnamese text) by pattern alone.

What the patterns know is how English writes names, not which names exist: organisations are
runs of capitalised words holding a head word ("… Foundation", "Center for …", "Institute of …",
"Ministry of …", "Embassy of …", "… Union of … Associations"), an acronym defined in parentheses
("Full Name (ACRONYM)", the acronym's letters found among the initials), or a stand-alone acronym
or CamelCase name ("UNFPA", "GreenViet"); people are introduced by a title or a position
("Ms.", "Assoc. Prof. Dr.", "Director", "Vice President") or written as a Vietnamese name
without diacritics (a surname and two or three given names: "Nguyen Van An"); events have an
event word and a name or an ordinal ("33rd General Assembly"); projects are named in quotes
after the word project/programme ('the project "Clean Water for Schools"'); places by the word
"province", "city" or "district".

The output is :class:`ingest.patterns.Found`, like the Vietnamese patterns, so
:func:`ingest.patterns.find_all` runs both on every sentence.
"""

from __future__ import annotations

import re

from graph.schema import NodeKind
from ingest.vietnamese import Token

K = NodeKind

# Head words of English organisation names -> kinds.
ORG_HEADS_EN: dict[str, list[str]] = {
    "association": [K.MEMBER_ASSOCIATION], "associations": [K.UNION], "union": [K.UNION],
    "federation": [K.NETWORK], "institute": [K.AFFILIATED_ORGANISATION], "center": [K.AFFILIATED_ORGANISATION],
    "centre": [K.AFFILIATED_ORGANISATION], "foundation": [K.FOREIGN_PARTNER, K.DONOR], "fund": [K.DONOR],
    "council": [K.INTERNATIONAL_ORGANISATION], "committee": [K.GOVERNMENT_BODY], "commission": [K.GOVERNMENT_BODY],
    "ministry": [K.GOVERNMENT_BODY], "department": [K.GOVERNMENT_BODY], "agency": [K.GOVERNMENT_BODY],
    "embassy": [K.FOREIGN_PARTNER], "consulate": [K.FOREIGN_PARTNER], "organization": [K.INTERNATIONAL_ORGANISATION],
    "organisation": [K.INTERNATIONAL_ORGANISATION], "organizations": [K.NETWORK], "organisations": [K.NETWORK],
    "society": [K.MEMBER_ASSOCIATION], "alliance": [K.NETWORK], "network": [K.NETWORK], "university": [K.AFFILIATED_ORGANISATION],
    "academy": [K.AFFILIATED_ORGANISATION], "bank": [K.DONOR], "office": [K.GOVERNMENT_BODY], "coalition": [K.NETWORK],
    "secretariat": [K.INTERNATIONAL_ORGANISATION], "partnership": [K.NETWORK], "trust": [K.DONOR],
    "corporation": [K.COMPANY], "company": [K.COMPANY], "consortium": [K.NETWORK], "philanthropies": [K.DONOR],
    "caucus": [K.NETWORK], "administration": [K.GOVERNMENT_BODY], "authority": [K.GOVERNMENT_BODY],
    "group": [K.NETWORK], "party": [K.PARTY_BODY], "league": [K.NETWORK], "board": [K.GOVERNMENT_BODY],
    "chamber": [K.MEMBER_ASSOCIATION], "school": [K.AFFILIATED_ORGANISATION], "college": [K.AFFILIATED_ORGANISATION],
    "hospital": [K.AFFILIATED_ORGANISATION], "laboratory": [K.AFFILIATED_ORGANISATION], "inc": [K.COMPANY],
    "ltd": [K.COMPANY], "aid": [K.DONOR], "welt": [K.DONOR], "stiftung": [K.DONOR], "women": [],
    "assembly": [K.GOVERNMENT_BODY], "government": [K.GOVERNMENT_BODY], "people's committee": [K.GOVERNMENT_BODY],
}
# "Campaign for …", "Programme for …" name an organisation only with a preposition after them.
ORG_HEADS_WITH_OF = {"campaign", "service", "services", "corps", "mission"}
EVENT_HEADS_EN = {"workshop", "conference", "meeting", "seminar", "forum", "summit", "congress", "assembly",
                  "symposium", "festival", "award", "awards", "competition", "contest", "exhibition", "fair", "week",
                  "dialogue", "session", "training", "launch", "ceremony", "roundtable", "expo", "games", "day"}
PROJECT_HEADS_EN = {"project", "programme", "program", "initiative", "initiatives", "scheme"}
AGREEMENT_HEADS_EN = {"agreement", "memorandum", "mou", "treaty", "accord", "protocol", "charter"}
POLICY_HEADS_EN = {"convention", "declaration", "decision", "law", "decree", "resolution", "strategy", "framework",
                   "directive", "circular", "plan", "report", "study", "model", "policy", "act"}
# Small words allowed inside a name between capitalised words.
CONNECTORS_EN = {"of", "for", "and", "the", "on", "&", "de", "du", "des", "für", "die", "der",
                 "et"}
# Capitalised words that never start or make a name by themselves (sentence openers, months, labels).
COMMON_CAPITALISED = set("""the a an this that these those on in at during after before since from by for with as and
or but if when while where our we they their its it he she his her there here of to additionally also both all each
every some many most other another such photo photos vision mission donors donor duration area total budget key main
specific activity activities objective objectives goal goals strategic address telephone fax website description
name e mail email about contact home news events back top skip content menu search english vietnamese tiếng việt
january february march april may june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mr ms mrs dr prof assoc professor
support information representatives representative participants delegation delegations members member meeting project projects
programme program workshop conference however moreover furthermore therefore thus then first second third finally
one two three four five six seven eight nine ten over under within without between among new current""".split())
ACRONYM_STOP = set("""HIV AIDS STI STIS PREP USD VND CAD EUR AUD GBP JPY NGO NGOS INGO INGOS CSO CSOS CBO CBOS TB IDU
IDUS PWID MSM TG LGBT LGBTI LGBTIQ LGBTQ COVID SARS GMT CR IP ICT IT SDG SDGS MOU MOUS PHD TV PM AM ID PR QD LHH ND
CP TW CT NQ TT BTC KH KT CN TP UBND TCXH GBV VAW SRHR MCH ODA GDP FDI CEO CFO NA VN VNM US USA UK EU NYN QR PDF
HTML FAQ NB OK MR MS DR NO TEL FAX WWW HTTP HTTPS COM ORG NET VIE ENG EN VI SMS RSS API GIS GPS""".split())
NATIONALITIES = {"french", "swedish", "german", "american", "australian", "canadian", "british", "japanese", "korean",
                 "chinese", "dutch", "danish", "norwegian", "finnish", "swiss", "belgian", "irish", "italian", "spanish",
                 "thai", "lao", "cambodian", "indian", "us", "u.s", "eu", "european", "new", "vietnamese"}
NOT_ORGANISATION_AFTER = {"model", "models", "study", "studies", "method", "approach", "survey", "tool", "tools",
                          "data", "test", "tests", "score", "index", "virus", "patients", "treatment"}
VIETNAMESE_ABBREVIATIONS = set("""BCH KHCN HDND UBND CNTT NCKH THCS THPT DH CNH HDH TW BTV BCT MTTQ TNCS HCM TPHCM
CLB HTX DN DNNVV KT XH""".split())
ROMAN = re.compile(r"^[IVXLC]+$")
PERSON_TITLES_EN = re.compile(
    r"(?P<t>(?:(?:Assoc\.?|Associate)\s+)?Prof(?:essor|\.)?(?:\s+Dr\.?)?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Madam|Sir|"
    r"H\.?E\.?|His Excellency|Her Excellency)\s+(?=[A-Z])")
POSITIONS_EN = re.compile(
    r"(?P<t>(?:(?:Former|Acting|Deputy|Vice|Executive|General|Managing|Permanent|Country|Regional|Standing|Senior|"
    r"Chief|Founding)[\s-]+)*(?:President|Chairman|Chairwoman|Chairperson|Chair|Director(?:[\s-]General)?|"
    r"Secretary[\s-]General|General Secretary|Secretary|Ambassador|Minister|Representative|Manager|Coordinator|"
    r"Head|Officer|Consul|Counsellor|Counselor|Governor|Leader|Founder|CEO|Rector|Dean|Vice[\s-]Minister))"
    r"(?=[\s,])")
# Vietnamese surnames as written without diacritics (the language's, not anyone in particular).
SURNAMES_FOLDED = set("""nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh doan trinh luong
mai to nghiem ha lam truong cao chu kieu quach ta thai vuong dao luu la trieu tang khuat giang phung tong au lai hua
mac diep bach thach ton ung tieu nong""".split())
# Vietnamese syllables folded are short and made of these letters.
_VIET_SYLLABLE = re.compile(r"^[bcdghklmnpqrstvx]{0,3}[aeiouy]{1,3}[cghmnpt]{0,2}$")
_ORDINAL_EN = re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\b")
_QUOTED = re.compile(r"[“\"](?P<q>[^”\"]{6,200})[”\"]")
PLACE_WORDS_EN = {"province": K.PROVINCE, "city": K.PLACE, "district": K.PLACE, "districts": K.PLACE,
                  "town": K.PLACE, "commune": K.PLACE, "provinces": K.PROVINCE}


_VIETNAMESE_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)


def is_vietnamese(text: str) -> bool:
    """Whether a text is written in Vietnamese (a tenth of its words or more carry Vietnamese letters)."""
    words = text.split()
    if not words:
        return False
    marked = sum(1 for w in words if _VIETNAMESE_LETTERS.search(w))
    return marked * 10 >= len(words)


def _found(start: int, end: int, name: str, kinds: list, method: str, confidence: float, **extra):
    from ingest.patterns import Found  # late: ingest.patterns imports this module
    return Found(start, end, name, [str(k) for k in kinds], method, confidence, **extra)


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _is_cap(token: Token) -> bool:
    return token.raw[:1].isupper() or token.raw[:1].isdigit() and any(c.isalpha() for c in token.raw)


def is_acronym(token: Token) -> bool:
    letters = [c for c in token.raw if c.isalpha()]
    return 2 <= len(letters) <= 10 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and \
        token.raw[:1].isupper()


def is_camel(token: Token) -> bool:
    raw = token.raw
    return len(raw) >= 6 and raw[:1].isupper() and raw.isascii() and raw.isalpha() and \
        any(c.isupper() for c in raw[2:-1]) and any(c.islower() for c in raw)


def looks_vietnamese_syllable(token: Token) -> bool:
    return bool(_VIET_SYLLABLE.match(token.text)) and token.raw[:1].isupper() and not token.upper


def capitalised_runs(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, after last) token indexes of runs of capitalised words, small connectors inside."""
    runs = []
    i = 0
    while i < len(tokens):
        if not _is_cap(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            gap = _gap(text, tokens[j - 1], tokens[j])
            if gap == "/" and tokens[j - 1].upper and tokens[j].upper:
                j += 1
                continue
            if gap not in (" ", "-", " - ", " & ", "&", "’", "'", "’s ", "'s ", " – "):
                if not (gap in ("’", "'") or gap.strip() == ""):
                    break
            token = tokens[j]
            if token.raw in ("s",) and gap in ("’", "'"):
                j += 1
                continue
            if _is_cap(token):
                j += 1
                continue
            if token.low in CONNECTORS_EN and j + 1 < len(tokens) and _is_cap(tokens[j + 1]) and \
                    _gap(text, token, tokens[j + 1]) in (" ", " the ") and gap.strip() in ("", "&"):
                j += 1
                continue
            if token.low == "the" and j + 1 < len(tokens) and _is_cap(tokens[j + 1]):
                j += 1
                continue
            if token.low == "in" and j + 1 < len(tokens) and _is_cap(tokens[j + 1]) and \
                    any(t.low in {"embassy", "consulate", "office", "representative"} for t in tokens[i:j]) and \
                    gap == " ":
                j += 1  # "Embassy of Canada in Vietnam"
                continue
            if token.low in {"province", "city"} and gap == " " and any(t.low in ORG_HEADS_EN for t in tokens[i:j]) \
                    and tokens[j - 1].low not in ORG_HEADS_EN:
                j += 1  # "People's Committee of Ha Nam province"
                break
            break
        # a run does not end on a connector
        while j - 1 > i and tokens[j - 1].low in CONNECTORS_EN:
            j -= 1
        runs.append((i, j))
        i = j
    return runs


def _head_kinds(tokens: list[Token]) -> list | None:
    """Kinds from the organisation head words of a run (None when it has none)."""
    kinds = None
    for k, token in enumerate(tokens):
        low = token.low
        if low in ORG_HEADS_EN and (token.raw[:1].isupper()):
            kinds = ORG_HEADS_EN[low] or [K.AFFILIATED_ORGANISATION]
        elif low in ORG_HEADS_WITH_OF and k + 1 < len(tokens) and tokens[k + 1].low in {"for", "of"}:
            kinds = [K.AFFILIATED_ORGANISATION]
    return kinds


def _kind_from(tokens: list[Token]) -> tuple[str, list] | None:
    """What a capitalised run names: ('org'|'event'|'project'|'agreement'|'policy', kinds)."""
    words = [t.low for t in tokens]
    last = words[-1]
    for k, word in enumerate(words[:-1]):
        if word in ORG_HEADS_EN and words[k + 1] in {"for", "of", "on"} and ORG_HEADS_EN[word]:
            return "org", ORG_HEADS_EN[word] if word != "embassy" else [K.FOREIGN_PARTNER]
    if last in AGREEMENT_HEADS_EN or "memorandum" in words:
        return "agreement", [K.AGREEMENT]
    if last in POLICY_HEADS_EN or (words[0] in POLICY_HEADS_EN and len(words) > 1 and words[1] == "on"):
        return "policy", [K.POLICY_DOCUMENT]
    if last in PROJECT_HEADS_EN:
        return "project", [K.PROJECT] if last == "project" else [K.PROGRAMME]
    if last in EVENT_HEADS_EN or (last in {"meeting", "assembly"} and len(words) > 1):
        return "event", [K.EVENT]
    kinds = _head_kinds(tokens)
    if kinds:
        if any(w in {"ministry", "embassy"} for w in words) and "embassy" in words:
            kinds = [K.FOREIGN_PARTNER]
        return "org", kinds
    if words[0] in EVENT_HEADS_EN and len(words) > 2 and words[1] in {"on", "of", "for"}:
        return "event", [K.EVENT]
    return None


def _trim(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
    while i < j and (tokens[i].low in COMMON_CAPITALISED and not (j - i >= 2 and tokens[i].low == "the" and
                                                                   tokens[i + 1].low not in COMMON_CAPITALISED and
                                                                   tokens[i + 1].low not in NATIONALITIES)
                     or tokens[i].low in CONNECTORS_EN):
        if tokens[i].low == "the" and i + 1 < j and _head_kinds(tokens[i + 1:j]) and \
                tokens[i + 1].low not in COMMON_CAPITALISED and tokens[i].raw == "The" and \
                tokens[i + 1].low not in ORG_HEADS_EN:
            break  # "The Asia Foundation": the article belongs to the name
        i += 1
    return i, j


def _split_possessive(text: str, tokens: list[Token], i: int, j: int) -> list[tuple[int, int]]:
    """"X Associations’ Research Centre" is two names; "People's Committee" is one."""
    for k in range(i + 1, j):
        gap = _gap(text, tokens[k - 1], tokens[k])
        if gap in ("’ ", "' ") or (tokens[k].raw == "s" and gap in ("’", "'")):
            left_end = k
            right_start = k + 1 if tokens[k].raw == "s" else k
            if _head_kinds(tokens[i:left_end]):
                return [(i, left_end)] + _split_possessive(text, tokens, right_start, j)
    return [(i, j)]


def _split_enumeration(tokens: list[Token], i: int, j: int) -> list[tuple[int, int]]:
    """"Ministry of Finance and Ministry of Education": two names, split at 'and' before a head."""
    for k in range(i + 1, j - 1):
        if tokens[k].low == "and" and _head_kinds(tokens[k + 1:j]) and _head_kinds(tokens[i:k]):
            return [(i, k)] + _split_enumeration(tokens, k + 1, j)
    return [(i, j)]


def find_organisations_en(text: str, tokens: list[Token]) -> list:
    out = []
    for run_start, run_end in capitalised_runs(text, tokens):
        for i, j in (part for piece in _split_possessive(text, tokens, run_start, run_end)
                     for part in _split_enumeration(tokens, *piece)):
            i, j = _trim(tokens, i, j)
            if j - i < 1:
                continue
            span = tokens[i:j]
            kind = _kind_from(span)
            if kind is None or kind[0] in ("policy",):
                continue
            if j - i == 1 and kind[0] != "org":
                continue
            if kind[0] == "org" and j - i == 1 and not span[0].upper:
                continue  # a lone head word ("Foundation") names nothing
            start, end = span[0].start, span[-1].end
            name = text[start:end].strip(" -–&")
            method = {"org": "pattern:en-org", "event": "pattern:en-event", "project": "pattern:en-project",
                      "agreement": "pattern:en-agreement"}[kind[0]]
            confidence = 0.8 if j - i >= 3 else 0.7
            props: dict[str, object] = {}
            if kind[0] == "event":
                ordinal = _ORDINAL_EN.search(text[max(0, start - 8):end])
                if ordinal:
                    props["number"] = int(ordinal["n"])
                year = re.search(r"\b(?:19|20)\d\d\b", name)
                if year:
                    props["year"] = int(year.group(0))
                if not props and j - i < 2:
                    continue
            out.append(_found(start, end, name, kind[1], method, confidence, properties=props))
            if kind[0] == "project":  # "Global Fund HIV Project": the donor named in the project's name
                for k in range(j - 2, i, -1):
                    if _head_kinds(span[:k - i + 1]) and span[k - i].low in ORG_HEADS_EN:
                        out.append(_found(start, span[k - i].end, text[start:span[k - i].end], _head_kinds(
                            span[:k - i + 1]), "pattern:en-org", 0.75))
                        break
    return out


def find_acronyms(text: str, tokens: list[Token]) -> list:
    """Stand-alone acronyms and CamelCase names ("UNFPA", "PanNature"): organisations, less sure."""
    out = []
    vietnamese = is_vietnamese(text)
    for index, token in enumerate(tokens):
        raw = token.raw
        if is_acronym(token):
            letters = "".join(c for c in raw if c.isalpha())
            if len(letters) < 3 or letters.upper() in ACRONYM_STOP or ROMAN.match(raw) or any(c.isdigit() for c in raw):
                continue
            before = text[max(0, token.start - 1):token.start]
            after = text[token.end:token.end + 1]
            if before in ("/", "-") or after in ("/",) or before == "(" and after == ")":
                continue
            following = text[token.end:token.end + 12].strip().split(" ")[0].lower()
            if following in NOT_ORGANISATION_AFTER:
                continue  # "the DRIVE study", "the CHEER model": not an organisation  # part of a reference ("1202/QD-LHH") or an alias defined just before
            if vietnamese and ("&" in raw or "Đ" in raw or letters.upper() in VIETNAMESE_ABBREVIATIONS or
                               len(letters) >= 4 and not re.search(r"[AEIOUY]", letters.upper())):
                continue  # Vietnamese abbreviations of common words ("BVMT", "KH&CN"), not names
            out.append(_found(token.start, token.end, raw, [K.AFFILIATED_ORGANISATION], "pattern:acronym", 0.7))
        elif is_camel(token) and (index == 0 or _gap(text, tokens[index - 1], token) != "-"):
            out.append(_found(token.start, token.end, raw, [K.AFFILIATED_ORGANISATION], "pattern:camel-name", 0.7))
    return out


def _initials(tokens: list[Token]) -> str:
    return "".join(t.text[0] for t in tokens)


def _subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


_PAREN = re.compile(r"\(\s*(?P<inner>[A-Z][A-Za-z&\-/.]{1,14}|[A-Z][\w&\-]*(?:\s[A-Z][\w&\-]*){0,2})\s*\)")


def find_defined_aliases_en(text: str, tokens: list[Token]) -> list:
    """``Full Name (ACR)``: the acronym's letters, in order, among the initials of the words before it."""
    out = []
    for match in _PAREN.finditer(text):
        inner = match["inner"].strip(" .")
        letters = "".join(c for c in inner if c.isalpha()).lower()
        if len(letters) < 2 or inner.upper() in ACRONYM_STOP or not any(c.isupper() for c in inner[1:] + inner[:1]):
            continue
        before = [t for t in tokens if t.end <= match.start()]
        if not before:
            continue
        k = len(before) - 1
        valid: list[int] = []
        while k >= 0 and len(before) - k <= 16:
            gap = text[before[k].end:(before[k + 1].start if k + 1 < len(before) else match.start())]
            if any(c in gap for c in ".;:()[]“”\"") or "\n" in gap:
                break
            token = before[k]
            if not (_is_cap(token) or token.low in CONNECTORS_EN or token.raw == "s" or "," in gap and False):
                break
            if _is_cap(token) and token.low not in COMMON_CAPITALISED and \
                    _subsequence(letters, _initials(before[k:]).lower() + "".join(
                        t.text for t in before[k:] if t.upper)):
                valid.append(k)
            k -= 1
        if not valid:
            continue
        headed = [v for v in valid if before[v].low in ORG_HEADS_EN or before[v].low in ORG_HEADS_WITH_OF]
        initial = [v for v in valid if before[v].text[0] == letters[0]]
        best = min(headed) if headed else min(initial) if initial else min(valid)
        span = before[best:]
        if len(span) < 2:
            continue
        long_name = text[span[0].start:span[-1].end]
        kind = _kind_from(span)
        kinds = kind[1] if kind and kind[0] != "policy" else ([K.POLICY_DOCUMENT] if kind else
                                                             [K.AFFILIATED_ORGANISATION])
        if kind and kind[0] == "policy":
            continue
        confidence = 0.9 if kind else 0.75
        out.append(_found(span[0].start, span[-1].end, long_name, kinds, "pattern:defined-alias", confidence,
                          aliases=[inner], alias_span=(match.start(), match.end())))
    return out


def _name_after(text: str, tokens: list[Token], k: int, max_words: int = 4) -> int:
    """Index after a personal name of 2–4 capitalised words starting at token ``k`` (``k`` if none)."""
    j = k
    while j < len(tokens) and j - k < max_words and tokens[j].raw[:1].isupper() and not tokens[j].upper and \
            tokens[j].raw.isalpha() and (j == k or _gap(text, tokens[j - 1], tokens[j]) in (" ", "-")) and \
            tokens[j].low not in ORG_HEADS_EN and tokens[j].low not in COMMON_CAPITALISED and \
            tokens[j].low not in CONNECTORS_EN:
        j += 1
    return j if j - k >= 2 else k


def find_people_en(text: str, tokens: list[Token]) -> list:
    out = []
    starts = {t.start: n for n, t in enumerate(tokens)}
    for match in PERSON_TITLES_EN.finditer(text):
        k = starts.get(match.end())
        if k is None:
            continue
        end = _name_after(text, tokens, k)
        if end > k:
            name = text[tokens[k].start:tokens[end - 1].end]
            out.append(_found(tokens[k].start, tokens[end - 1].end, name, [K.PERSON], "pattern:person-title", 0.85,
                              aliases=[text[match.start():tokens[end - 1].end]],
                              properties={"title": match["t"].strip()}))
    for match in POSITIONS_EN.finditer(text):
        k = starts.get(match.end() + 1)
        if k is None or any(f.start <= match.start() < f.end for f in out):
            continue
        end = _name_after(text, tokens, k)
        if end > k and _vietnamese_name(tokens[k:end]):
            out.append(_found(tokens[k].start, tokens[end - 1].end, text[tokens[k].start:tokens[end - 1].end],
                              [K.PERSON], "pattern:person-position", 0.8))
    taken = [(f.start, f.end) for f in out]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.text in SURNAMES_FOLDED and token.raw[:1].isupper() and not token.upper and token.raw.isascii() and \
                [t.text for t in tokens[i:i + 3]] != ["ho", "chi", "minh"] and \
                not any(a <= token.start < b for a, b in taken):
            end = _name_after(text, tokens, i)
            names = tokens[i:end]
            if end - i >= 3 and _vietnamese_name(names) or end - i == 2 and _vietnamese_name(names) and \
                    names[1].text in _MIDDLE_NAMES:
                # not a name when it continues into an organisation's or a place's name
                follow = tokens[end] if end < len(tokens) else None
                if follow is None or not (_is_cap(follow) and _gap(text, names[-1], follow) == " "):
                    out.append(_found(names[0].start, names[-1].end, text[names[0].start:names[-1].end], [K.PERSON],
                                      "pattern:person-name", 0.75))
                    i = end
                    continue
        i += 1
    return out


# English words that read like Vietnamese syllables without diacritics but end place names ("… Bay").
NOT_PERSONAL_NAME = {"bay", "city", "town", "lake", "hall", "road", "park", "hotel", "tower", "plaza", "bank", "river",
                     "bridge", "center", "centre", "gate", "port", "cape", "pass", "peak", "hill", "hills", "sea",
                     "pagoda", "temple", "market", "school", "the", "and", "to", "in", "on", "at", "by", "so", "no",
                     "can", "may", "long an"}
_MIDDLE_NAMES = {"thi", "van", "duc", "huu", "dinh", "quang", "minh", "xuan", "ngoc", "thanh", "hoang", "kim"}


def _vietnamese_name(tokens: list[Token]) -> bool:
    """Capitalised syllables that read as a Vietnamese name without diacritics, surname first or last."""
    if not 2 <= len(tokens) <= 5 or not all(looks_vietnamese_syllable(t) for t in tokens) or \
            any(t.low in NOT_PERSONAL_NAME for t in tokens):
        return False
    return tokens[0].text in SURNAMES_FOLDED or tokens[-1].text in SURNAMES_FOLDED


def find_quoted_projects(text: str, tokens: list[Token]) -> list:
    """'the project "Better Schools for All"', 'dự án "Nước sạch cho trường học"': a project named in quotes."""
    out = []
    for match in _QUOTED.finditer(text):
        before = text[max(0, match.start() - 25):match.start()].lower()
        word = re.search(r"(project|programme|program|initiative|dự án|chương trình|sáng kiến|mô hình|"
                         r"chiến dịch|campaign)\s*(?:(?:on|called|named|titled|mang tên|có tên|về)\s*)?[:,]?\s*$", before)
        if not word:
            continue
        name = match["q"].strip()
        if len(name.split()) < 2 or not name[:1].isupper():
            continue
        kinds = [K.PROJECT] if word.group(1) in {"project", "dự án"} else [K.PROGRAMME]
        out.append(_found(match.start("q"), match.end("q"), name, kinds, "pattern:quoted-project", 0.8))
    return out


_VI_PLACE = re.compile(r"(?<!\w)(?P<w>tỉnh|thành phố|TP\.?|huyện|thị xã)\s+(?P<n>\w+(?:\s+\w+){0,3})")


def find_places(text: str, tokens: list[Token]) -> list:
    """"Quang Ninh province", "tỉnh Sơn La", "huyện Châu Thành": places named by their administrative word."""
    out = []
    for match in _VI_PLACE.finditer(text):
        words = []
        for word in match["n"].split():
            if not word[:1].isupper() or word.isupper():
                break
            words.append(word)
        if not words or words[0].lower() in {"ủy", "uỷ", "hội", "ban", "sở", "trung", "liên"}:
            continue
        name = " ".join(words)
        end = match.start("n") + len(name)
        kind = match["w"].lower().rstrip(".")
        kinds = [K.PROVINCE] if kind in {"tỉnh", "thành phố", "tp"} else [K.PLACE]
        out.append(_found(match.start("n"), end, name, kinds, "pattern:place", 0.75,
                          aliases=[text[match.start():end]]))
    for index, token in enumerate(tokens):
        kind = PLACE_WORDS_EN.get(token.low)
        if not kind or index == 0 or token.raw[:1].isupper() and index + 1 < len(tokens) and \
                tokens[index + 1].raw[:1].isupper():
            continue
        j = index
        while j > 0 and looks_vietnamese_syllable(tokens[j - 1]) and index - j < 4 and \
                _gap(text, tokens[j - 1], tokens[j]) == " " and tokens[j - 1].low not in COMMON_CAPITALISED:
            j -= 1
        if index - j >= 1 and not (j > 0 and _gap(text, tokens[j - 1], tokens[j]) in ("&", " & ") ):
            name = text[tokens[j].start:tokens[index - 1].end]
            out.append(_found(tokens[j].start, tokens[index - 1].end, name, [kind], "pattern:place", 0.75,
                              aliases=[text[tokens[j].start:token.end]]))
    return out


def find_all_en(text: str, tokens: list[Token]) -> list:
    return (find_defined_aliases_en(text, tokens) + find_people_en(text, tokens) + find_quoted_projects(text, tokens)
            + find_organisations_en(text, tokens) + find_acronyms(text, tokens) + find_places(text, tokens))


__all__ = ["is_vietnamese", "find_all_en", "find_organisations_en", "find_people_en", "find_defined_aliases_en", "find_acronyms",
           "find_quoted_projects", "find_places", "is_acronym"]
