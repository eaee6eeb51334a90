"""What ingestion produces: a parsed document and the sections it should be cut into.

Readers turn bytes into a `ParsedDocument`: the document's canonical text (what citations point
into, by character offset), its metadata, and optionally `sections`, the domain units (one list
record, one Entity List table entry, one regulation paragraph) that must each become their own
node. Without sections, the generic chunker cuts the text by size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Metadata values must be flat so Chroma can store and filter them. Lists (aliases, entity
# names) are joined with " | ". Keys used across the project:
#   document: source, title, doc_type, published (YYYY-MM-DD), effective (YYYY-MM-DD),
#             content_hash, publisher, author, agency, action, fr_citation ("88 FR 12170"),
#             fr_doc ("2023-03929"), url, list_name
#   section:  entity, aliases, country, address, list_name, fr_citation, start_date,
#             license_requirement, license_policy, programs
# doc_type is one of: fr_rule, fr_abstract, regulation, list, news, press_release, text,
# markdown, html, xml, json, csv, pdf (the last seven for documents no domain reader claimed).
Meta = dict[str, str | int | float | bool]


@dataclass
class Section:
    """A span of the document text that is one unit of meaning (and at least one node)."""

    start: int
    end: int
    kind: str = "text"  # record | table_entry | reason | paragraph | summary | text
    metadata: Meta = field(default_factory=dict)


@dataclass
class ParsedDocument:
    source: str  # identity: the resolved path or URL it came from
    text: str  # canonical text; every offset refers to it
    metadata: Meta  # title, doc_type, published (YYYY-MM-DD), content_hash, ...
    sections: list[Section] | None = None

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))
