"""Finding new entities in Vietnamese text by pattern alone (no gazetteer, no NLP library).

What the patterns know is the language, not the data: how Vietnamese writes the names of
organisations ("Hội …", "Quỹ …", "Tổ chức …", "Viện …", "Trung tâm …", "Bộ …", "Ủy ban …",
"Liên đoàn …", "Hiệp hội …" and the like: the first syllable of each word capitalised, "Hội
Nghề cá", "Quỹ Nhi đồng Liên hợp quốc"), acronyms and short names defined in parentheses
("Tổ chức Hợp tác Phát triển Đức (GIZ)"), people introduced by a title ("bà …", "PGS.TS …",
"đồng chí …", "Phó Chủ tịch …"), numbered and dated events ("Hội nghị CAFEO 38", "lần thứ
17", "năm 2020") and numbered policy documents ("Chỉ thị 04/CT-TW").

The vocabulary is written with diacritics and compared with the words as written (after
:func:`ingest.vietnamese.clean_line`): "Vụ" (a department) is not "Vũ" (a surname), "Lễ" is
not "Lê". Each :class:`Found` carries its span in the sentence, the pattern (``method``) and a
confidence; :mod:`ingest.extract` turns them into candidates.
"""

from __future__ import annotations

from graph.schema import NodeKind

import re
from dataclasses import dataclass, field

from ingest.nlp import nlp_entities
from ingest.patterns_en import ACRONYM_STOP, find_all_en, is_vietnamese
from ingest.vietnamese import Token, fold_name, tokenize


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


def _vocab(*items: str) -> set[tuple[str, ...]]:
    return {_words(item) for item in items}


# Head words of organisation names -> default kind.
ORG_HEADS: dict[tuple[str, ...], str] = {_words(k): v for k, v in {
    "hiệp hội": NodeKind.MEMBER_ASSOCIATION, "hội đồng": NodeKind.GOVERNMENT_BODY, "hội": NodeKind.MEMBER_ASSOCIATION,
    "liên hiệp": NodeKind.UNION, "liên đoàn": NodeKind.NETWORK, "tổng liên đoàn": NodeKind.PARTY_BODY, "liên minh": NodeKind.NETWORK,
    "mạng lưới": NodeKind.NETWORK, "quỹ": NodeKind.AFFILIATED_ORGANISATION, "tổ chức": NodeKind.INTERNATIONAL_ORGANISATION,
    "viện": NodeKind.AFFILIATED_ORGANISATION, "học viện": NodeKind.AFFILIATED_ORGANISATION, "trung tâm": NodeKind.AFFILIATED_ORGANISATION,
    "bộ": NodeKind.GOVERNMENT_BODY, "ủy ban": NodeKind.GOVERNMENT_BODY, "cơ quan": NodeKind.FOREIGN_PARTNER, "ban": NodeKind.PARTY_BODY,
    "vụ": NodeKind.GOVERNMENT_BODY, "cục": NodeKind.GOVERNMENT_BODY, "tổng cục": NodeKind.GOVERNMENT_BODY, "sở": NodeKind.GOVERNMENT_BODY,
    "văn phòng": NodeKind.GOVERNMENT_BODY, "mặt trận": NodeKind.PARTY_BODY, "đảng đoàn": NodeKind.PARTY_BODY, "công ty": NodeKind.COMPANY,
    "tập đoàn": NodeKind.COMPANY, "đài truyền hình": NodeKind.GOVERNMENT_BODY, "trường đại học": NodeKind.AFFILIATED_ORGANISATION,
    "đại học": NodeKind.AFFILIATED_ORGANISATION, "diễn đàn": NodeKind.FORUM, "trung ương đoàn": NodeKind.PARTY_BODY,
    "đoàn thanh niên": NodeKind.PARTY_BODY, "dự án": NodeKind.PROJECT, "chương trình": NodeKind.PROGRAMME, "hợp phần": NodeKind.PROGRAMME,
}.items()}
PROJECT_HEADS = {("dự", "án"), ("chương", "trình"), ("hợp", "phần")}
EVENT_HEADS = _vocab("hội nghị", "hội thảo", "hội thi", "cuộc thi", "đại hội", "tuần lễ", "lễ", "tọa đàm",
                     "đối thoại", "giải thưởng", "diễn đàn", "buổi làm việc", "hội nghị thường niên")
POLICY_HEADS = _vocab("chỉ thị", "nghị quyết", "quyết định", "thông báo", "hướng dẫn", "thông tư", "nghị định",
                      "công văn", "luật", "nghị quyết liên tịch", "văn bản")
# Standing bodies named without a head word are not guessed: they are found when the graph
# knows them (linking), never from a built-in list.
STANDALONE_BODIES: dict[tuple[str, ...], str] = {}
# Words that end a name: verbs, prepositions and conjunctions that do not occur inside names.
STOP_WORDS = set("""là đã đang sẽ được với tại để nhằm trong từ theo như cũng có thì mà này đó đến vào ra khi nhưng
hoặc hay bị bởi qua sau trước ngày tháng năm các nhiều một hai ba giữa hiện luôn chỉ rất cần phải thuộc vẫn cùng nên
còn đều nhận những trên dưới gồm giúp do""".split())
# Verb phrases that end a name when written in lower case ("… Trung ương Đảng phát biểu").
STOP_PHRASES = [_words(p) for p in (
    "phát biểu", "ghi nhận", "ủng hộ", "khẳng định", "chủ trì", "tổ chức", "đề nghị", "cho biết", "báo cáo",
    "làm việc", "tham dự", "tham gia", "ký kết", "phối hợp", "hỗ trợ", "thực hiện", "triển khai", "đánh giá",
    "chỉ đạo", "ban hành", "phê duyệt", "phê chuẩn", "công nhận", "tiếp nhận", "tài trợ", "đăng cai", "hợp tác",
    "thành lập", "xây dựng", "vận động", "đóng góp", "nâng cao", "tăng cường", "chia sẻ", "tiếp tục", "đồng thời",
    "bao gồm", "cập nhật", "kết nối", "duy trì", "thiết lập", "đạt được", "giám sát", "tư vấn", "kêu gọi")]
# Joining words allowed inside a name when a capitalised word follows ("Khoa học và Kỹ thuật").
CONNECTORS = {"và", "về", "của", "cho", "&", "-"}
# Lower-case endings that belong to names ("… Liên hợp quốc", "… ở nước ngoài").
NAME_TAILS = [_words(t) for t in ("liên hợp quốc", "liên hiệp quốc", "ở nước ngoài", "quốc tế", "quốc gia",
                                    "toàn cầu", "thế giới", "toàn quốc", "trung ương", "bền vững", "nông thôn",
                                    "nhà nước", "việt nam", "đông nam á", "châu âu", "cộng sản")]
FOREIGN = _vocab("đức", "pháp", "anh", "mỹ", "hoa kỳ", "nhật bản", "hàn quốc", "trung quốc", "ailen", "ireland",
                 "hà lan", "nga", "liên bang nga", "úc", "canada", "thụy điển", "đan mạch", "na uy", "châu âu",
                 "quảng tây", "thái lan", "lào", "campuchia", "singapore", "bỉ", "thụy sĩ", "ý", "tây ban nha",
                 "asean", "đông nam á", "châu á")
INTERNATIONAL = _vocab("liên hợp quốc", "liên hiệp quốc", "thế giới", "toàn cầu", "quốc tế")
AID_WORDS = _vocab("viện trợ", "tài trợ", "hợp tác phát triển", "phát triển quốc tế")
PERSON_TITLES = [_words(t) for t in ("pgs.ts", "gs.ts", "gs.tskh", "pgs. ts", "ts.", "ths.", "gs.", "pgs.", "ts",
                                      "ths", "gs", "pgs", "ks.", "bs.", "bà", "ông", "đồng chí", "đ/c")]
POSITION_TITLES = [_words(t) for t in (
    "phó chủ tịch", "chủ tịch nước", "chủ tịch", "phó tổng thư ký", "tổng thư ký", "phó trưởng ban", "trưởng ban",
    "vụ trưởng", "phó vụ trưởng", "bộ trưởng", "thứ trưởng", "giám đốc", "phó giám đốc", "viện trưởng",
    "tổng bí thư", "bí thư", "thủ tướng", "ủy viên", "chủ nhiệm", "phó chủ nhiệm")]
SURNAMES = set("""nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đoàn trịnh lương mai tô
nghiêm hà lâm trương cao chu kiều quách tạ thái vương đào lưu la triệu tăng khuất giang phùng tống âu văn lại hứa mạc
diệp bạch thạch tôn ứng kim tiêu""".split())
ORDINAL = re.compile(r"\blần thứ\s+(?P<n>\d+|[IVXLC]+\b|nhất)", re.I)
YEAR = re.compile(r"\b(?P<y>(?:19|20)\d\d)\b")


def _roman(text: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    text = text.upper()
    if not text or any(c not in values for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


def ordinal_number(text: str) -> int | None:
    match = ORDINAL.search(text)
    if not match:
        return None
    n = match["n"]
    if n.isdigit():
        return int(n)
    if n.lower() == "nhất":
        return 1
    return _roman(n)


@dataclass
class Found:
    """A name found by a pattern in one sentence."""

    start: int
    end: int
    name: str
    kinds: list[str]
    method: str
    confidence: float
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, object] = field(default_factory=dict)
    alias_span: tuple[int, int] | None = None


def _starts_with(tokens: list[Token], i: int, words: tuple[str, ...]) -> bool:
    return tuple(t.low for t in tokens[i:i + len(words)]) == words


def _head_at(tokens: list[Token], i: int, heads) -> tuple[str, ...] | None:
    best = None
    for head in heads:
        if _starts_with(tokens, i, head) and (best is None or len(head) > len(best)):
            best = head
    return best


def _contains(words: tuple[str, ...], vocab: set[tuple[str, ...]]) -> bool:
    return any(words[i:i + len(w)] == w for w in vocab for i in range(len(words) - len(w) + 1))


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _is_name_word(token: Token) -> bool:
    return token.capitalised or token.upper or token.raw[:1].isdigit()


def _tail_at(tokens: list[Token], j: int) -> int:
    for tail in NAME_TAILS:
        if _starts_with(tokens, j, tail) and not tokens[j].capitalised:
            return len(tail)
    return 0


def _stop_phrase_at(tokens: list[Token], j: int) -> bool:
    return not tokens[j].capitalised and any(_starts_with(tokens, j, p) for p in STOP_PHRASES)


def _person_starts(tokens: list[Token], text: str, j: int) -> bool:
    """A surname followed by given names ("Nguyễn Quyết Chiến"), not "Hồ Chí Minh" inside a name."""
    if tokens[j].low not in SURNAMES or _starts_with(tokens, j, ("hồ", "chí", "minh")):
        return False
    return _person_name(tokens, text, j, need_surname=True) - j >= 3


def extend_name(tokens: list[Token], text: str, i: int, head_len: int, max_words: int = 16) -> int:
    """Index after the last word of a name starting at ``i`` whose head has ``head_len`` words.

    Capitalised words continue a name; one lower-case syllable may complete the compound a
    capitalised syllable starts ("Nghề cá", "Khoa học"); joining words ("và", "về", "của")
    continue it when a capitalised word follows; a stop word, a verb or punctuation ends it.
    """
    j = end = i + head_len
    run = 0  # capitalised syllables in a row
    while j < len(tokens) and j - i < max_words:
        token = tokens[j]
        gap = _gap(text, tokens[j - 1], token)
        if gap.strip() not in ("", "-", "–", "&"):
            if gap.strip() == "," and _enumeration_inside_name(tokens, text, j):
                j += 1
                end = j
                run = 1
                continue
            break
        if token.low in ("tỉnh", "thành") and not token.capitalised:
            # "Hội Nông dân tỉnh Lai Châu", "Liên hiệp các Hội KH&KT thành phố Cần Thơ": the province ends the name
            k = j + (2 if token.low == "thành" and j + 1 < len(tokens) and tokens[j + 1].low == "phố" else 1)
            if (token.low == "tỉnh" or k == j + 2) and k < len(tokens) and tokens[k].capitalised and \
                    _gap(text, tokens[k - 1], tokens[k]) == " ":
                j = k
                while j < len(tokens) and tokens[j].capitalised and not tokens[j].upper and j - k < 4 and \
                        _gap(text, tokens[j - 1], tokens[j]) == " " and tokens[j].low not in STOP_WORDS:
                    j += 1
                end = j
                break
        tail = _tail_at(tokens, j)
        if tail:
            j += tail
            end = j
            run = 0
            continue
        if _is_name_word(token):
            if tokens[j - 1].low == "và" and (_head_at(tokens, j, ORG_HEADS) or _head_at(tokens, j, EVENT_HEADS)
                                              or token.upper):
                break  # "Bộ A và Bộ B", "Liên hiệp Hội và UBKHCN&MT": two names
            if j > i + head_len and (_head_at(tokens, j, POSITION_TITLES) or _person_starts(tokens, text, j)):
                break  # a title or a person's name starts the next phrase
            inner_head = _head_at(tokens, j, ORG_HEADS)
            j += len(inner_head) if inner_head else 1
            end = j
            run = 0 if inner_head else run + 1
            continue
        if not token.capitalised and token.low not in STOP_WORDS and end == j:
            reach = _province_ending(tokens, text, j)
            if reach:
                j = end = reach
                break
        if token.low in STOP_WORDS or _stop_phrase_at(tokens, j):
            if token.low == "các" and j == i + head_len and j + 1 < len(tokens) and tokens[j + 1].capitalised:
                j += 1  # "Liên hiệp các Hội …"
                continue
            break
        if token.low in CONNECTORS:
            if j + 1 < len(tokens) and _is_name_word(tokens[j + 1]) and _gap(text, token, tokens[j + 1]).strip() == "":
                j += 1
                run = 0
                continue
            if j + 1 < len(tokens) and _tail_at(tokens, j + 1):
                j += 1
                run = 0
                continue
            break
        previous = tokens[j - 1]
        if run >= 1 and end == j and previous.capitalised and not previous.upper and \
                (run == 1 or j - 2 < i + head_len or j + 1 < len(tokens) and tokens[j + 1].capitalised and
                 not tokens[j + 1].upper and _gap(text, token, tokens[j + 1]) == " " and
                 not _head_at(tokens, j + 1, ORG_HEADS) and not _person_starts(tokens, text, j + 1)):
            j += 1
            end = j
            run = 0
            continue
        break
    return end


def _province_ending(tokens: list[Token], text: str, j: int, reach: int = 8) -> int:
    """"… Sức khỏe bà mẹ và trẻ em tỉnh Sơn La": lower-case words running on to a province that ends the
    name; the index after the province's name (0 when there is none within ``reach`` words)."""
    for k in range(j, min(len(tokens), j + reach)):
        if _gap(text, tokens[k - 1], tokens[k]).strip() not in ("", "-", "–", "&"):
            return 0
        token = tokens[k]
        if token.low in ("tỉnh",) or token.low == "thành" and k + 1 < len(tokens) and tokens[k + 1].low == "phố":
            start = k + (2 if token.low == "thành" else 1)
            n = start
            while n < len(tokens) and tokens[n].capitalised and not tokens[n].upper and n - start < 4 and \
                    _gap(text, tokens[n - 1], tokens[n]) == " ":
                n += 1
            return n if n > start else 0
        if token.low in STOP_WORDS - {"và"} or _stop_phrase_at(tokens, k) or token.capitalised and \
                (_head_at(tokens, k, ORG_HEADS) or _person_starts(tokens, text, k)):
            return 0
    return 0


def _enumeration_inside_name(tokens: list[Token], text: str, j: int) -> bool:
    """', Công nghệ và Môi trường' continues 'Ủy ban Khoa học'; ', Bộ Ngoại giao' does not."""
    token = tokens[j]
    if not token.capitalised or _head_at(tokens, j, ORG_HEADS) or _head_at(tokens, j, STANDALONE_BODIES):
        return False
    for k in range(j + 1, min(j + 4, len(tokens))):
        if _gap(text, tokens[k - 1], tokens[k]).strip():
            return False
        if tokens[k].low == "và":
            return k + 1 < len(tokens) and tokens[k + 1].capitalised
    return False


def org_kind(words: tuple[str, ...], head: tuple[str, ...]) -> list[str]:
    """The kinds an organisation name suggests, from its head word and the words in it."""
    kind = ORG_HEADS.get(head, NodeKind.AFFILIATED_ORGANISATION)
    if head in PROJECT_HEADS:
        return [kind]
    rest = words[len(head):]
    foreign = _contains(rest, FOREIGN)
    international = _contains(words, INTERNATIONAL)
    if head == ("liên", "hiệp"):
        return [NodeKind.PROVINCIAL_UNION] if _contains(words, _vocab("tỉnh", "thành phố")) else [NodeKind.UNION]
    if head in {("hội",), ("hiệp", "hội")} and foreign:
        return [NodeKind.FOREIGN_PARTNER]
    if head == ("hội", "đồng") and (international or foreign):
        return [NodeKind.INTERNATIONAL_ORGANISATION]
    if head == ("ủy", "ban") and _contains(words, _vocab("liên hợp quốc", "liên hiệp quốc")):
        return [NodeKind.INTERNATIONAL_ORGANISATION]
    if head == ("ban",):
        party = _contains(words, _vocab("trung ương", "đảng", "tw")) or any(w.endswith("tw") for w in rest)
        return [NodeKind.PARTY_BODY] if party else [NodeKind.DEPARTMENT]
    if head in {("tổ", "chức"), ("cơ", "quan"), ("quỹ",)}:
        if international and not foreign:
            kinds = [NodeKind.INTERNATIONAL_ORGANISATION]
        elif foreign:
            kinds = [NodeKind.FOREIGN_PARTNER]
        else:
            kinds = [kind if head != ("cơ", "quan") else NodeKind.GOVERNMENT_BODY]
        if head == ("quỹ",) and (foreign or international) or _contains(words, AID_WORDS):
            kinds.append(NodeKind.DONOR)
        return list(dict.fromkeys(kinds))
    if head in {("viện",), ("trung", "tâm")} and foreign:
        return [NodeKind.FOREIGN_PARTNER]
    return [kind]


def _clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:–-\"“”'’()*")


def _words_of(tokens: list[Token]) -> tuple[str, ...]:
    return tuple(t.low for t in tokens)


# ---------------------------------------------------------------------------------------------

def find_organisations(text: str, tokens: list[Token]) -> list[Found]:
    out = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        standalone = _head_at(tokens, i, STANDALONE_BODIES)
        if standalone and token.capitalised:
            n = len(standalone)
            out.append(Found(token.start, tokens[i + n - 1].end, text[token.start:tokens[i + n - 1].end],
                             [STANDALONE_BODIES[standalone]], "pattern:body", 0.8))
            i += n
            continue
        head = _head_at(tokens, i, ORG_HEADS)
        event_head = _head_at(tokens, i, EVENT_HEADS | POLICY_HEADS)
        if head is None or not token.capitalised or (event_head and len(event_head) >= len(head)):
            i += 1
            continue
        nxt = i + len(head)
        if nxt < len(tokens) and tokens[nxt].low == "các" and nxt + 1 < len(tokens) and tokens[nxt + 1].capitalised:
            nxt += 1
        if nxt >= len(tokens) or not _is_name_word(tokens[nxt]) or \
                _gap(text, tokens[nxt - 1], tokens[nxt]).strip() not in ("", "&"):
            i += 1
            continue
        if _person_starts(tokens, text, nxt):
            i += 1
            continue
        end = extend_name(tokens, text, i, len(head))
        body = tokens[nxt:end]
        if end <= nxt or not any(_is_name_word(t) and t.low not in {w for h in ORG_HEADS for w in h}
                                 for t in body):
            i += 1
            continue
        name = _clean_name(text[token.start:tokens[end - 1].end])
        confidence = 0.75 if end - i >= 3 else 0.65
        out.append(Found(token.start, tokens[end - 1].end, name, org_kind(_words_of(tokens[i:end]), head),
                         "pattern:org-prefix", confidence))
        i = end
    return out


_PAREN = re.compile(r"\(\s*(?P<inner>[^()]{1,60}?)\s*\)")
_NOT_ALIAS = re.compile(r"^(năm|ngày|tháng|gmt|số|giai đoạn|từ|khoảng|chiếm|gọi tắt|\d)", re.I)


def _initials(tokens: list[Token]) -> str:
    return "".join(t.text[0] for t in tokens)


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


def find_defined_aliases(text: str, tokens: list[Token]) -> list[Found]:
    """``LONG NAME (ALIAS)``: the alias (acronym or short name) of the name just before it."""
    out = []
    for match in _PAREN.finditer(text):
        inner = _clean_name(match["inner"])
        inner_tokens = tokenize(inner)
        if not inner_tokens or len(inner_tokens) > 5 or _NOT_ALIAS.match(inner):
            continue
        acronymish = any(t.upper for t in inner_tokens) or (len(inner_tokens) == 1 and any(
            c.isupper() for c in inner[1:]))
        titled = len(inner_tokens) >= 2 and inner_tokens[0].capitalised and \
            sum(1 for t in inner_tokens if _is_name_word(t)) >= len(inner_tokens) - 1
        single = len(inner_tokens) == 1 and inner_tokens[0].capitalised and len(inner) >= 3
        if not (acronymish or titled or single):
            continue
        before = [t for t in tokens if t.end <= match.start()]
        if not before:
            continue
        # candidate starts: head words going back, not crossing strong punctuation or a stop word
        k = len(before) - 1
        limit = max(0, len(before) - 16)
        starts: list[int] = []
        comma_starts: list[int] = []
        crossed_comma = False
        while k >= limit:
            gap = text[before[k].end:(before[k + 1].start if k + 1 < len(before) else match.start())]
            if any(c in gap for c in ".;:()[]\"“”") or "\n" in gap:
                break
            if "," in gap:
                crossed_comma = True
            token = before[k]
            if token.low in STOP_WORDS - {"các", "tổ", "chức"} and not token.capitalised:
                break
            head = _head_at(before, k, set(ORG_HEADS) | EVENT_HEADS | set(STANDALONE_BODIES))
            if head and token.capitalised:
                (comma_starts if crossed_comma else starts).append(k)
            k -= 1
        floor = k + 1
        letters = "".join(c for c in fold_name(inner) if c.isalpha())
        chosen: int | None = None
        if acronymish and len(letters) >= 3:
            for start in sorted(starts + comma_starts):
                initials = _initials(before[start:])
                if initials[:1] == letters[:1] and _is_subsequence(letters, initials):
                    chosen = start
                    break
        if chosen is None and starts:
            chosen = min(starts)
        if chosen is None and comma_starts and acronymish:
            chosen = max(comma_starts)  # "Liên minh các tổ chức Phòng, chống AIDS … (AFAO)"
        if acronymish and len(letters) >= 2 and len(before) >= len(letters) and \
                _initials(before[-len(letters):]) == letters and not any(t.capitalised for t in before[-len(letters):]):
            continue  # "các tổ chức xã hội (TCXH)": the abbreviation of common words, not a name
        if chosen is None and not is_vietnamese(text):
            continue  # English: ingest.patterns_en reads its defined names
        if chosen is None:
            # no head word: the stretch after the last comma, from its first capitalised word
            cut = floor
            for idx in range(floor + 1, len(before)):
                if "," in text[before[idx - 1].end:before[idx].start]:
                    cut = idx
            segment = before[cut:]
            while segment and not _is_name_word(segment[0]):
                segment = segment[1:]
            if not segment:
                continue
            chosen = before.index(segment[0])
        start_token = before[chosen]
        long_name = _clean_name(text[start_token.start:before[-1].end])
        if not long_name or fold_name(long_name) == fold_name(inner) or len(tokenize(long_name)) < 2 and \
                not before[chosen].upper:
            continue
        words = _words_of(before[chosen:])
        head = _head_at(before, chosen, set(ORG_HEADS))
        event_head = _head_at(before, chosen, EVENT_HEADS)
        standalone = _head_at(before, chosen, set(STANDALONE_BODIES))
        properties: dict[str, object] = {}
        if event_head and (head is None or len(event_head) >= len(head)):
            kinds = [NodeKind.EVENT] if event_head != ("diễn", "đàn") else [NodeKind.FORUM]
            properties = event_properties(long_name + " " + inner)
        elif head:
            kinds = org_kind(words, head)
        elif standalone:
            kinds = [STANDALONE_BODIES[standalone]]
        else:
            kinds = [NodeKind.FOREIGN_PARTNER] if _contains(words, FOREIGN) else [NodeKind.INTERNATIONAL_ORGANISATION] \
                if _contains(words, INTERNATIONAL) else [NodeKind.AFFILIATED_ORGANISATION]
        out.append(Found(start_token.start, before[-1].end, long_name, kinds, "pattern:defined-alias", 0.9,
                         aliases=[inner], properties=properties, alias_span=(match.start(), match.end())))
    return out


def event_properties(text: str) -> dict[str, object]:
    props: dict[str, object] = {}
    number = ordinal_number(text)
    trailing = re.search(r"[A-Za-z]\s?(\d{1,3})(?:\s+(?:khóa|năm)\b.*)?\s*$", text)
    if number is None and trailing and not YEAR.fullmatch(trailing.group(1)):
        number = int(trailing.group(1))
    if number is not None:
        props["number"] = number
    year = YEAR.search(text)
    if year:
        props["year"] = int(year["y"])
    return props


_EVENT_TAIL = re.compile(r"^(?:\s+[^\W\d_]+){0,6}?\s+(?:lần thứ\s+(?:\d+|[IVXLC]+\b|nhất)|(?:19|20)\d\d\b)"
                         r"(?:\s+năm\s+(?:19|20)\d\d)?", re.U)
_ACRONYM_NUMBER = re.compile(r"\b(?P<acr>[A-Z][A-Z]{2,})\s?(?P<n>\d{1,3})\b(?![/.-]\d)")


def find_events(text: str, tokens: list[Token]) -> list[Found]:
    """Named events: an event head word with a name, a number ("lần thứ 38", "CAFEO 38") or a year."""
    out = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        head = _head_at(tokens, i, EVENT_HEADS)
        if head is None or not token.capitalised:
            i += 1
            continue
        end = extend_name(tokens, text, i, len(head))
        if any(_is_name_word(t) for t in tokens[i + len(head):end]):
            # "Hội thảo Lập kế hoạch và khởi động dự án đã …": an event's title runs on in lower case
            k = end
            while k < len(tokens) and k - end < 8 and not tokens[k].capitalised and \
                    tokens[k].low not in STOP_WORDS - {"và", "về", "cho", "của"} and \
                    not _stop_phrase_at(tokens, k) and _gap(text, tokens[k - 1], tokens[k]) == " ":
                k += 1
            if k > end and (k == len(tokens) or tokens[k].low in STOP_WORDS or
                            _gap(text, tokens[k - 1], tokens[k]).strip()):
                while k > end and tokens[k - 1].low in {"và", "về", "cho", "của"}:
                    k -= 1
                end = k
        stop = tokens[end - 1].end
        tail = _EVENT_TAIL.match(text[stop:])
        if tail and not any(w in STOP_WORDS for w in tail.group(0).lower().split()[:-2]):
            stop += tail.end()
        name = _clean_name(text[token.start:stop])
        props = event_properties(name)
        named = any(_is_name_word(t) for t in tokens[i + len(head):end])
        if not named and "number" not in props:
            i += 1
            continue
        kinds = [NodeKind.FORUM] if head == ("diễn", "đàn") and not props else [NodeKind.EVENT]
        out.append(Found(token.start, stop, name, kinds, "pattern:event", 0.8 if props else 0.7, properties=props))
        i = max(end, i + 1)
        while i < len(tokens) and tokens[i].start < stop:
            i += 1
    for match in _ACRONYM_NUMBER.finditer(text):
        if any(f.start <= match.start() < f.end for f in out) or match["acr"] in ACRONYM_STOP:
            continue  # "USD 120" is money, not an event
        name = f"{match['acr']} {match['n']}"
        props = {"number": int(match["n"])}
        year = re.match(r"\s*(?:\(\s*)?(?:năm\s+)?((?:19|20)\d\d)\b", text[match.end():])
        if year:
            props["year"] = int(year.group(1))
        out.append(Found(match.start(), match.end(), name, [NodeKind.EVENT], "pattern:event-number", 0.75,
                         aliases=[match.group(0)] if match.group(0) != name else [], properties=props))
    return out


_POLICY = re.compile(
    r"\b(?P<head>Nghị quyết Liên tịch|Nghị quyết|Chỉ thị|Quyết định|Thông báo|Hướng dẫn|Thông tư|Nghị định|"
    r"[Cc]ông văn(?: cho phép)?|[Vv]ăn bản)\s+(?:số\s+)?"
    r"(?P<ref>\d+(?:\s?[-/]\s?[\dA-ZĐa-z&]+)*)"
    r"|(?<![\w] )(?P<lawhead>Luật)\s+(?P<lawname>[A-ZĐ][\wÀ-ỹ]*(?:\s+[a-zà-ỹđ]+)?(?:\s+(?:19|20)\d\d)?)", re.U)


def policy_reference_key(reference: str) -> str:
    """'04/CT-TW', '04-CT/TW' and 'số 04' compare alike: the folded parts in order."""
    return " ".join(p for p in re.split(r"[\s/.-]+", fold_name(reference)) if p and p != "so")


def find_policy_documents(text: str, tokens: list[Token]) -> list[Found]:
    out = []
    for match in _POLICY.finditer(text):
        if match["lawhead"]:
            before = text[:match.start()].rstrip()
            if before and before.split()[-1][:1].isupper() and not before.endswith((",", ";", ".")):
                continue  # "Hội Luật gia": inside another name
            name = _clean_name(match.group(0))
            year = YEAR.search(name)
            out.append(Found(match.start(), match.end(), name, [NodeKind.POLICY_DOCUMENT], "pattern:policy", 0.7,
                             properties={"year": int(year["y"])} if year else {}))
            continue
        reference = re.sub(r"\s+", "", match["ref"]).strip("-/")
        if not reference or not ("/" in reference or "-" in reference) and match["head"].lower().startswith("văn bản"):
            continue
        head = match["head"][0].upper() + match["head"][1:]
        name = f"{head} {reference}"
        props: dict[str, object] = {"reference": reference}
        year = re.search(r"(?:19|20)\d\d", reference)
        if year:
            props["year"] = int(year.group(0))
        written = _clean_name(match.group(0))
        confidence = 0.9 if ("/" in reference or "-" in reference) else 0.7
        out.append(Found(match.start(), match.end(), name, [NodeKind.POLICY_DOCUMENT], "pattern:policy", confidence,
                         aliases=[written] if written != name else [], properties=props))
    return out


def _person_name(tokens: list[Token], text: str, i: int, need_surname: bool) -> int:
    """Index after a personal name of 2–4 capitalised syllables starting at ``i`` (``i`` if none)."""
    j = i
    while j < len(tokens) and j - i < 4 and tokens[j].capitalised and not tokens[j].upper and \
            tokens[j].raw.isalpha() and (j == i or _gap(text, tokens[j - 1], tokens[j]) == " "):
        if _head_at(tokens, j, ORG_HEADS) or _head_at(tokens, j, POSITION_TITLES) or \
                _head_at(tokens, j, EVENT_HEADS) or _head_at(tokens, j, STANDALONE_BODIES):
            break
        j += 1
    if j - i >= 2 and (not need_surname or tokens[i].low in SURNAMES):
        return j
    return i


def find_people(text: str, tokens: list[Token]) -> list[Found]:
    out = []
    i = 0
    while i < len(tokens):
        title = _person_title_at(tokens, text, i)
        position = _head_at(tokens, i, POSITION_TITLES)
        found = None
        if title:
            k = i + title[0]
            end = _person_name(tokens, text, k, need_surname=title[1] in {"bà", "ông"})
            if end == k and title[1] in {"bà", "ông"} and k < len(tokens) and tokens[k].capitalised and \
                    not tokens[k].upper and (k + 1 >= len(tokens) or not tokens[k + 1].capitalised):
                end = k + 1  # "bà Nga": a person by given name
            if end > k:
                props = {} if title[1] in {"bà", "ông", "đồng chí", "đ/c"} else {"title": title[2]}
                written = text[tokens[i].start:tokens[end - 1].end]
                name = text[tokens[k].start:tokens[end - 1].end]
                found = Found(tokens[k].start, tokens[end - 1].end, name, [NodeKind.PERSON], "pattern:person-title",
                              0.85 if end - k >= 2 else 0.6, aliases=[written], properties=props)
        if found is None and position and tokens[i].capitalised:
            k = i + len(position)
            end = _person_name(tokens, text, k, need_surname=True) if k < len(tokens) else k
            if end > k and _gap(text, tokens[k - 1], tokens[k]) == " ":
                found = Found(tokens[k].start, tokens[end - 1].end, text[tokens[k].start:tokens[end - 1].end],
                              [NodeKind.PERSON], "pattern:person-position", 0.8)
        if found is None and tokens[i].low in SURNAMES and tokens[i].capitalised and \
                (i == 0 or not tokens[i - 1].capitalised or tokens[i - 1].low in {"và"}):
            end = _person_name(tokens, text, i, need_surname=True)
            if end - i >= 3:
                found = Found(tokens[i].start, tokens[end - 1].end, text[tokens[i].start:tokens[end - 1].end],
                              [NodeKind.PERSON], "pattern:person-name", 0.7)
        if found:
            out.append(found)
            while i < len(tokens) and tokens[i].start < found.end:
                i += 1
            continue
        i += 1
    return out


_TITLE = re.compile(r"(?P<t>(?:P?GS\.?\s?TS(?:KH)?|P?GS|TS|ThS|KS|BS)\.?|[Bb]à|[Ôô]ng|[Đđ]ồng chí|[Đđ]/c)\s+(?=\S)")


def _person_title_at(tokens: list[Token], text: str, i: int) -> tuple[int, str, str] | None:
    """(title words, title kind, title as written) when a person's title starts at token ``i``."""
    match = _TITLE.match(text, tokens[i].start)
    if not match:
        return None
    n = 0
    while i + n < len(tokens) and tokens[i + n].end <= match.end("t"):
        n += 1
    kind = match["t"].lower().rstrip(".")
    return (n, kind, match["t"].rstrip(".")) if n else None


def find_all(text: str) -> list[Found]:
    """Every pattern on one sentence; overlapping finds keep the most specific."""
    tokens = tokenize(text)
    letters = [c for c in text if c.isalpha()]
    if letters and sum(1 for c in letters if c.isupper()) > 0.6 * len(letters):
        return []  # a headline in capitals: capitalisation tells nothing about names
    found = (find_defined_aliases(text, tokens) + find_policy_documents(text, tokens) + find_events(text, tokens)
             + find_people(text, tokens) + find_organisations(text, tokens) + find_all_en(text, tokens)
             + nlp_entities(text, is_vietnamese(text)))
    alias_spans = [f.alias_span for f in found if f.alias_span]
    found = [f for f in found if not any(a[0] <= f.start and f.end <= a[1] for a in alias_spans)]
    priority = {"pattern:defined-alias": 0, "pattern:policy": 1, "pattern:person-title": 2,
                "pattern:person-position": 2, "pattern:quoted-project": 2, "pattern:event": 3,
                "pattern:event-number": 3, "pattern:person-name": 4, "pattern:org-prefix": 5, "pattern:body": 5,
                "pattern:en-org": 5, "pattern:en-event": 5, "pattern:en-project": 5, "pattern:en-agreement": 5,
                "pattern:place": 6, "pattern:acronym": 7, "pattern:camel-name": 7, "nlp:spacy": 8,
                "nlp:underthesea": 8}
    out: list[Found] = []
    for item in sorted(found, key=lambda f: (priority.get(f.method, 9), -(f.end - f.start))):
        clash = [o for o in out if not (item.end <= o.start or item.start >= o.end)]
        if not clash:
            out.append(item)
        elif all(o.start < item.start and item.end <= o.end for o in clash) and \
                item.method not in {"pattern:defined-alias"} and \
                all({NodeKind.EVENT, NodeKind.FORUM, NodeKind.POLICY_DOCUMENT, NodeKind.AGREEMENT, NodeKind.PROJECT, NodeKind.PROGRAMME} & set(o.kinds) for o in clash):
            out.append(item)  # a name inside a longer one: "Liên đoàn … ASEAN" in "Hội nghị … của Liên đoàn …"
    return sorted(out, key=lambda f: (f.start, -(f.end - f.start)))
