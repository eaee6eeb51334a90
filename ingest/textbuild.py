"""Helpers the domain parsers share: building canonical text with sections, flat metadata.

Only text inside a section becomes a node when a document has sections, so the builder makes it
easy to give every block a section and hard to leave text behind.
"""

from __future__ import annotations

import re

from listlens.ingest.types import Meta, Section

# ASCII whitespace only: thin and no-break spaces (e.g. "§§\u2009744.11") are part of the text
# that citations quote, so they must survive normalisation.
_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")


def squash(text: str) -> str:
    """Collapse runs of ASCII whitespace (pretty-printing, line wraps) to single spaces."""
    return _ASCII_WS.sub(" ", text).strip()


def flat_meta(values: dict) -> Meta:
    """Drop empty values, join lists with " | ", keep only str/int/float/bool."""
    meta: Meta = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            value = " | ".join(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        if value is None or value == "":
            continue
        meta[key] = value if isinstance(value, (str, int, float, bool)) else str(value)
    return meta


class TextBuilder:
    """Appends blocks separated by `sep` and records the span of each as a Section."""

    def __init__(self, sep: str = "\n\n") -> None:
        self.sep = sep
        self.parts: list[str] = []
        self.pos = 0
        self.sections: list[Section] = []

    def add(self, block: str, kind: str | None = "paragraph", start: int | None = None,
            **meta) -> Section | None:
        """Append `block`; with `kind`, record a section from `start` (default: the block's
        own start, or an earlier offset such as a heading's) to the block's end."""
        block = block.strip()
        if not block:
            return None
        if self.parts:
            self.parts.append(self.sep)
            self.pos += len(self.sep)
        begin = self.pos
        self.parts.append(block)
        self.pos += len(block)
        if kind is None:
            return None
        section = Section(begin if start is None else start, self.pos, kind, flat_meta(meta))
        self.sections.append(section)
        return section

    def text(self) -> str:
        return "".join(self.parts)
