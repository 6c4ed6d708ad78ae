"""Source documents: reading text, Markdown, HTML, Word and PDF files safely, splitting them into sentences.

A document's lines are its paragraphs; a fact's place is ``FILE:LINE`` plus character offsets
``start``/``end`` in that line (after :func:`graph.text.clean_line`, which keeps the
length of the line's NFC form), as in ``data/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from graph.schema import document_id
from ingest.curated import InvalidInput, Problem
from graph.text import clean_line, sentence_spans, tidy

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + (".docx", ".pdf")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

@dataclass(frozen=True)
class Sentence:
    document: str      # the file name
    line: int          # 1-based line (paragraph)
    start: int         # offsets in the cleaned line
    end: int
    text: str          # the sentence as written (cleaned)


@dataclass
class SourceDocument:
    name: str                       # file name, e.g. 000_f6208c092d653411.txt
    path: Path
    lines: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return document_id(self.name)

    @property
    def characters(self) -> int:
        return sum(len(line) for line in self.lines)

    def title(self) -> str:
        """The first line that reads like a title (a few words, not a date)."""
        lines = [tidy(line).strip("#*“”\" ") for line in self.lines[:10]]
        lines = [line for line in lines if line]
        dateline = re.compile(r"^(thứ|ngày|cập nhật|\d{1,2}/\d{1,2}/\d{4})", re.I)
        for index, text in enumerate(lines):
            if index + 1 < len(lines) and dateline.match(lines[index + 1]):
                continue  # a site's banner above the dateline
            if 3 <= len(text.split()) <= 40 and not dateline.match(text):
                return text[:300]
        return self.name

    def sentences(self) -> Iterator[Sentence]:
        for number, line in enumerate(self.lines, start=1):
            yield from split_sentences(self.name, number, line)


def split_sentences(document: str, line_number: int, line: str) -> Iterator[Sentence]:
    """Sentences of one line (see :func:`graph.text.sentence_spans`)."""
    for start, end in sentence_spans(line):
        yield Sentence(document, line_number, start, end, line[start:end])


def document_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            files.append(path)
    return files


def _decode(name: str, raw: bytes, problems: list[Problem]) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(name, f"không phải văn bản UTF-8 (byte 0x{raw[error.start]:02x} ở vị trí {error.start}); "
                                      f"hãy lưu lại tệp ở dạng UTF-8 / is not valid UTF-8 (byte 0x{raw[error.start]:02x} "
                                      f"at offset {error.start}); save the document as UTF-8", line=line))
        return None


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LEAD = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S)|\d{1,3}[.)]\s+(?=\S))")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


def markdown_lines(text: str) -> list[str]:
    """Markdown as plain lines: headings, quotes, list marks, emphasis and link targets dropped."""
    out = []
    in_code = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            in_code = not in_code
            out.append("")
            continue
        if in_code or re.fullmatch(r"\s*(?:[-*_]\s*){3,}|\s*\|?[\s:|-]+\|[\s:|-]*", line):
            out.append("")
            continue
        line = _MARKDOWN_LINK.sub(r"\1", line)
        line = _MARKDOWN_LEAD.sub("", line)
        line = _MARKDOWN_EMPHASIS.sub(r"\2", line)
        if line.strip().startswith("|"):
            line = re.sub(r"\s*\|\s*", " ; ", line.strip().strip("|"))
        out.append(line)
    return out


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "pre", "section",
           "article", "dd", "dt", "figcaption", "caption", "br", "table", "ul", "ol", "main", "header", "footer"}
_CHROME = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript", "iframe", "svg", "button",
           "select", "template")


def _html_text_lines(element) -> list[str]:  # noqa: ANN001 - an lxml element
    """The text of an element, one line per block element."""
    parts: list[str] = []

    def walk(node) -> None:  # noqa: ANN001
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _CHROME:
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _BLOCKS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    walk(element)
    text = "".join(parts)
    return [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n") if line.strip()]


def html_lines(text: str) -> list[str]:
    """The main text of an HTML page (readability-lxml), without menus, headers, footers and scripts."""
    import lxml.html
    from readability import Document as Readable

    try:
        page = lxml.html.document_fromstring(text)
    except Exception:  # noqa: BLE001 - an empty or broken page: no text
        return []
    for bad in page.xpath("//" + " | //".join(_CHROME)):
        bad.drop_tree()
    title = [t.strip() for t in page.xpath("//title/text()") if t.strip()]
    main = page.xpath("//main | //article | //*[@role='main']")
    if main:
        lines = [line for m in main for line in _html_text_lines(m)]
    else:
        try:
            summary = Readable(lxml.html.tostring(page, encoding="unicode")).summary(html_partial=True)
            lines = _html_text_lines(lxml.html.fragment_fromstring(summary, create_parent="div"))
        except Exception:  # noqa: BLE001 - readability gives up on tiny pages: fall back to the body
            lines = []
        body = page.find("body")
        whole = _html_text_lines(body if body is not None else page)
        if sum(map(len, lines)) < 0.3 * sum(map(len, whole)):
            lines = whole  # readability kept too little (short pages): the body without its chrome
    heading = [h.strip() for h in page.xpath("//h1//text()") if h.strip()]
    if title and not heading and lines and title[0] not in lines[0]:
        lines = [title[0], *lines]
    return lines


def docx_lines(path: Path) -> list[str]:
    """Paragraphs and table cells of a Word document (python-docx), in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
                lines.append(" ; ".join(cells))
    return lines


def pdf_lines(path: Path) -> list[str]:
    """The text of a PDF (pypdf), its wrapped lines joined back into paragraphs."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as error:  # noqa: BLE001
            raise ValueError("is encrypted") from error
    paragraphs: list[str] = []
    for page in reader.pages:
        current = ""
        for raw in (page.extract_text() or "").split("\n"):
            line = raw.strip()
            if not line:
                if current:
                    paragraphs.append(current)
                current = ""
                continue
            if current and (current.endswith((".", "!", "?", ":", "…")) and line[:1].isupper()):
                paragraphs.append(current)
                current = line
            elif current.endswith("-") and not current.endswith(" -"):
                current = current[:-1] + line
            else:
                current = f"{current} {line}".strip()
        if current:
            paragraphs.append(current)
    return paragraphs


def _unreadable(name: str, kind: str, error: Exception) -> Problem:
    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
    return Problem(name, f"không đọc được tệp {kind} (tệp hỏng hoặc không đúng định dạng) / cannot be read as {kind} "
                         f"(damaged or not really {kind}): {detail}")


def read_document(path: Path, problems: list[Problem]) -> SourceDocument | None:
    """A document's cleaned lines; a problem (not UTF-8, empty, unreadable) is reported, not raised.

    Plain text and Markdown must be UTF-8; HTML pages give their main text (menus, headers and
    footers left out); Word (.docx) gives paragraphs and table rows; PDF gives its paragraphs.
    """
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        problems.append(Problem(name, f"định dạng {suffix or '(không có phần mở rộng)'} không được hỗ trợ / is not a "
                                      f"supported document format (use {', '.join(DOCUMENT_SUFFIXES)})"))
        return None
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, f"không mở được tệp / cannot be read: {error.strerror or error}"))
        return None
    if len(raw) > MAX_DOCUMENT_BYTES:
        problems.append(Problem(name, f"tệp quá lớn / is {len(raw)} bytes; the limit for one document is "
                                      f"{MAX_DOCUMENT_BYTES}"))
        return None
    lines: list[str]
    if suffix in (".docx", ".pdf"):
        reader, kind, magic = (docx_lines, "Word (.docx)", b"PK\x03\x04") if suffix == ".docx" else \
            (pdf_lines, "PDF", b"%PDF")
        if not raw.lstrip()[:5].startswith(magic):
            problems.append(_unreadable(name, kind, ValueError("the file does not start like one")))
            return None
        try:
            lines = reader(path)
        except Exception as error:  # noqa: BLE001 - every library error becomes a problem naming the file
            problems.append(_unreadable(name, kind, error))
            return None
    else:
        text = _decode(name, raw, problems)
        if text is None:
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if suffix in HTML_SUFFIXES:
            lines = html_lines(text)
        elif suffix in MARKDOWN_SUFFIXES:
            lines = markdown_lines(text)
        else:
            lines = text.split("\n")
    if not any(line.strip() for line in lines):
        problems.append(Problem(name, "không có nội dung văn bản / is empty (no text in it)"))
        return None
    return SourceDocument(path.name, path, [clean_line(line) for line in lines])


def read_documents(paths: Iterable[Path]) -> list[SourceDocument]:
    problems: list[Problem] = []
    paths = list(paths)
    files = document_files(paths)
    if not files:
        problems.append(Problem(", ".join(str(p) for p in paths) or "(no path)",
                                f"không tìm thấy tài liệu / no documents found (looked for "
                                f"{', '.join(DOCUMENT_SUFFIXES)})"))
    documents = []
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), "không tồn tại / does not exist"))
            continue
        document = read_document(path, problems)
        if document:
            documents.append(document)
    if problems:
        raise InvalidInput(problems)
    return documents
