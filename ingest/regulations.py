"""eCFR sections as markdown ("##### § 744.11 Title. #####", then "(a) ...", "(1) ...").

The canonical text is the file's own text (regulation quotes are checked against it verbatim);
each top-level paragraph — (a), (b), ... with its nested (1), (i) ... — is one section, as are the
introductory text and the closing source note.
"""

from __future__ import annotations

import re

from listlens.ingest.dates import find_dates
from listlens.ingest.textbuild import flat_meta
from listlens.ingest.types import ParsedDocument, Section

_HEADING = re.compile(r"\A\s*#*\s*§\s*(\d+\.\d+[a-z]?)\s+(.+?)\s*#*\s*$", re.M)
_TOP = re.compile(r"^\(([a-z])\)\s*(?:\*([^*]+)\*)?", re.M)
_SOURCE_NOTE = re.compile(r"^\[\d+ FR .*\]\s*$", re.M)


def looks_like_ecfr(text: str) -> bool:
    return bool(_HEADING.match(text))


def _top_level(text: str) -> list[re.Match]:
    """Paragraph markers (a), (b), ... in sequence; an "(i)" that does not follow "(h)" is a
    roman numeral nested in the current paragraph, not a new top-level one."""
    found, expected = [], "a"
    for m in _TOP.finditer(text):
        if m[1] == expected:
            found.append(m)
            expected = chr(ord(expected) + 1)
    return found


def parse_ecfr(text: str, source: str) -> ParsedDocument:
    text = text.strip()
    head = _HEADING.match(text)
    number, caption = head[1], head[2].rstrip(".")
    title_no = re.search(r"(?:^|/)(\d+)\s*CFR", source, re.I) or re.search(r"\b(\d+)\s+CFR\b", text)
    cite = f"{title_no[1]} CFR {number}" if title_no else f"§ {number}"
    note = _SOURCE_NOTE.search(text)
    body_end = note.start() if note else len(text)
    marks = _top_level(text[:body_end])
    bounds = [head.end()] + [m.start() for m in marks] + [body_end]
    sections = []
    for i, (start, end) in enumerate(zip(bounds, bounds[1:])):
        label = f"{number}({marks[i - 1][1]})" if i else number
        heading = (marks[i - 1][2] or "").strip().rstrip(".") if i else caption
        while start < end and text[start].isspace():
            start += 1
        span_end = len(text[:end].rstrip())
        if span_end > start:
            sections.append(Section(0 if not i else start, span_end, "paragraph", flat_meta({
                "paragraph": label, "heading": heading,
                "title": f"{cite.split(' ')[0]} CFR {label} — {heading}" if title_no else label})))
    if note:
        sections.append(Section(note.start(), note.end(), "paragraph",
                                {"paragraph": f"{number} source", "heading": "Source note"}))
    # The source note lists every amendment; the last one dates this text of the section.
    dates = find_dates(note[0]) if note else []
    meta = flat_meta({"doc_type": "regulation", "title": f"{cite} — {caption}",
                      "publisher": "eCFR (Office of the Federal Register)", "cfr_section": cite,
                      "published": dates[-1][1] if dates else None})
    return ParsedDocument(source, text, meta, sections)
