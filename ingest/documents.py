"""Source documents: reading UTF-8 text files safely and splitting them into sentences.

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

TEXT_SUFFIXES = (".txt", ".md", ".text")
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
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
        else:
            files.append(path)
    return files


def read_document(path: Path, problems: list[Problem]) -> SourceDocument | None:
    """A document's cleaned lines; a problem (not UTF-8, empty, unreadable) is reported, not raised."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, f"cannot be read: {error.strerror or error}"))
        return None
    if len(raw) > MAX_DOCUMENT_BYTES:
        problems.append(Problem(name, f"is {len(raw)} bytes; the limit for one document is {MAX_DOCUMENT_BYTES}"))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(name, f"is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); "
                                      "save the document as UTF-8", line=line))
        return None
    if not text.strip():
        problems.append(Problem(name, "is empty"))
        return None
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return SourceDocument(path.name, path, lines)


def read_documents(paths: Iterable[Path]) -> list[SourceDocument]:
    problems: list[Problem] = []
    files = document_files(paths)
    if not files:
        problems.append(Problem(", ".join(str(p) for p in paths) or "(no path)",
                                f"no text documents found (looked for {', '.join(TEXT_SUFFIXES)})"))
    documents = []
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), "does not exist"))
            continue
        document = read_document(path, problems)
        if document:
            documents.append(document)
    if problems:
        raise InvalidInput(problems)
    return documents
