"""Tables in articles and press releases, Markdown or HTML, with each cell's span in the text.

A table is read by a real parser (markdown-it-py with its table rule; selectolax for HTML), and
every cell is located in the document's canonical text, so a fact read from a row cites the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Cell:
    text: str  # the cell's plain text (markup removed)
    start: int  # span of the cell in the document text (-1 when it could not be located)
    end: int


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _plain(token) -> str:
    """The words of an inline token: emphasis, links and code reduced to their text."""
    parts = [child.content for child in (token.children or []) if child.type in ("text", "code_inline")]
    return " ".join("".join(parts).split())


def _line_offsets(text: str) -> list[int]:
    offsets, at = [0], 0
    for line in text.split("\n"):
        at += len(line) + 1
        offsets.append(at)
    return offsets


def markdown_tables(text: str) -> list[Table]:
    """Every pipe table of a Markdown text, header and body rows, cells located by line."""
    if "|" not in text:
        return []
    tokens = _markdown().parse(text)
    lines = _line_offsets(text)
    tables: list[Table] = []
    table: Table | None = None
    row: list[Cell] | None = None
    in_head = False
    cursor = 0
    for tok in tokens:
        if tok.type == "table_open":
            table = Table([], start=lines[tok.map[0]], end=lines[tok.map[1]] - 1)
        elif tok.type == "table_close" and table is not None:
            tables.append(table)
            table = None
        elif tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open" and table is not None:
            row = []
            cursor = lines[tok.map[0]] if tok.map else cursor
        elif tok.type == "tr_close" and table is not None and row is not None:
            if in_head:
                table.header = [c.text for c in row]
            elif any(c.text for c in row):
                table.rows.append(row)
            row = None
        elif tok.type == "inline" and row is not None:
            raw = tok.content.strip()
            at = text.find(raw, cursor) if raw else -1
            if at >= 0:
                row.append(Cell(_plain(tok), at, at + len(raw)))
                cursor = at + len(raw)
            else:
                row.append(Cell(_plain(tok), -1, -1))
    return tables


def _locate(words: str, text: str, cursor: int) -> tuple[int, int]:
    """Where `words` (whitespace-normalised) sit in text, at or after cursor; (-1, -1) if absent."""
    if not words:
        return -1, -1
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    m = re.compile(pattern).search(text, cursor)
    return (m.start(), m.end()) if m else (-1, -1)


def _owner(tr) -> int | None:
    """The id of the table a row belongs to (its nearest <table> ancestor)."""
    node = tr.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node.mem_id if node is not None else None


def html_tables(html: str, text: str) -> list[Table]:
    """Every <table> of an HTML page (its first row of <th> cells, or <thead>, is the header),
    with cells located in `text`, the page's canonical text."""
    if "<table" not in html.lower():
        return []
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tables: list[Table] = []
    cursor = 0
    for node in HTMLParser(html).css("table"):
        table = Table([])
        for tr in node.css("tr"):
            if _owner(tr) != node.mem_id:
                continue  # a row of a table nested in this one: read with that table
            cells = tr.css("th, td")
            values = [" ".join(c.text(separator=" ").split()) for c in cells]
            if not table.header and not table.rows and (
                    tr.parent is not None and tr.parent.tag == "thead"
                    or all(c.tag == "th" for c in cells)):
                table.header = values
                continue
            row = []
            for value in values:
                start, end = _locate(value, text, cursor)
                if start >= 0:
                    cursor = end
                row.append(Cell(value, start, end))
            if any(values):
                table.rows.append(row)
        spans = [c for r in table.rows for c in r if c.start >= 0]
        if spans:
            table.start, table.end = spans[0].start, spans[-1].end
        tables.append(table)
    return tables
