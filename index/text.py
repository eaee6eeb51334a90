"""Small text tools shared by answering, citation checking and entity matching."""

from __future__ import annotations

import re

# Abbreviations that end with a period but do not end a sentence in this field's documents.
_ABBREV = re.compile(
    r"(?:\b(?:Co|Corp|Inc|Ltd|Ltda|LLC|Ltd|No|Nos|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Capt|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|al|Fed|Reg|Dept|Sec|Art|Pt|Vol|Ave|Blvd|Rd|"
    r"approx|e\.g|i\.e|a\.k\.a|U\.S|U\.K|U\.N|P\.R|S\.A|Pte|PTE|JSC|OOO|AO|OAO|GmbH|B\.V|N\.V|Bldg|"
    r"Fl|Rm|Tel|Ph|Prof|Gov|Rep|Sen|Pres|Adm|Maj|Sgt|Ft|Mt|Exec|Ord|Inst|Acad|Univ|Tech|Ind|Intl|"
    r"Mfg|Assn|Bros|Cos)\.|\b[A-Z]\.)$")
_END = re.compile(r"[.!?][\"”’')\]]*\s+")
FR_DOC_NUMBER = re.compile(r"(?<![\d-])(?:19|20)\d{2}-\d{5}(?![\d-])")  # "2023-03929"
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into onto over under about than then
that this these those there their them they it its is are was were be been being do does did
has have had having not no nor so such what which who whom whose when where why how all any both
each few more most other some own same too very can will just should would could may might must
shall also i me my we our you your he him his she her after before during while until again
further once here out up down off above below between through per via s according did
""".split())


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Lines of text[start:end], with a line that runs on without punctuation joined to the
    next (a signer's name, then their title on the next line); headings, list items, table rows
    and blank lines always break."""
    out: list[list[int]] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + m.start(), start + m.end()
        line = text[ls:le].strip()
        if not line:
            continue
        if out:
            prev = text[out[-1][0]:out[-1][1]].rstrip()
            gap = text[out[-1][1]:ls]
            if (gap.count("\n") == 1 and not _BREAKS_AFTER.search(prev)
                    and not _BREAKS_BEFORE.match(line) and not _BREAKS_BEFORE.match(prev.lstrip())):
                out[-1][1] = le
                continue
        out.append([ls, le])
    return [(a, b) for a, b in out]


_BREAKS_AFTER = re.compile(r"[.!?:;|)\]”\"]$")
_BREAKS_BEFORE = re.compile(r"[#|*>•\-–—]|\d+[.)]\s|\([a-z0-9]+\)\s|[A-Z][A-Z .]+:")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as absolute (start, end) offsets, whitespace trimmed.

    Lines are split first (headings, list items and records sit on their own lines), then
    sentences within a line, without breaking after "Co.", "Ltd.", "U.S." and the like.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for ls, le in _lines(text, start, end):
        cursor = ls
        for m in _END.finditer(text, ls, le):
            before = text[cursor:m.start() + 1]
            nxt = text[m.end():m.end() + 1]
            if _ABBREV.search(before) or (nxt and not (nxt.isupper() or nxt in "\"“(‘'[")):
                continue
            spans.append((cursor, m.start() + len(m.group().rstrip())))
            cursor = m.end()
        if cursor < le:
            spans.append((cursor, le))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip())))
            for s, e in spans if text[s:e].strip()]


def content_words(text: str) -> list[str]:
    """Lower-cased words that carry meaning (no stopwords, no single letters)."""
    return [w for w in (m.group().lower().strip("'’-") for m in WORD.finditer(text))
            if len(w) > 1 and w not in STOPWORDS]


def stem(word: str) -> str:
    """A crude stem, enough to match 'listed'/'listing'/'lists', 'entities'/'entity' and
    'takes'/'take'."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") or word.endswith("ied"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "added" → "add" keeps, "planned" → "plan"
            break
    return word.rstrip("e") if len(word) > 4 else word
