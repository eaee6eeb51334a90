"""What ingestion produces: a parsed document and the sections it should be cut into.

Readers turn bytes into a `ParsedDocument`: the document's canonical text (what citations point
into, by character offset), its metadata, and optionally `sections`, the domain units (one list
record, one Entity List table entry, one regulation paragraph) that must each become their own
node. Without sections, the generic chunker cuts the text by size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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


ACTIONS = ("added", "removed", "revised", "designated", "identified", "delisted", "corrected",
           "proposed")


@dataclass
class Subject:
    """Who an action is about: a company, institute, person or vessel, as the document names it."""

    name: str
    country: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class Fact:
    """One thing a document says was done, read from its structure (a table row, an FR entry, a
    summary sentence) with the span of the document text it was read from.

    A fact with subjects says who was acted on; a fact with only a `count` says how many ("adding
    36 entities under 41 entries" → count 36, count_unit "entities")."""

    action: str  # one of ACTIONS
    list_name: str = ""  # "Entity List", "MEU List", "UVL", "SDN List", "NS-CMIC List", ...
    actor: str = ""  # "BIS", "ERC", "OFAC", "State", ...
    subjects: list[Subject] = field(default_factory=list)
    reason: str = ""  # the document's own words
    reason_start: int = -1  # span of the reason in the document text (-1: none)
    reason_end: int = -1
    basis: str = ""  # E.O. 14024, § 744.11, foreign direct product rule...
    fr_citation: str = ""
    fr_doc: str = ""
    published: str = ""
    effective: str = ""
    count: int | None = None  # as stated by the document
    count_unit: str = ""
    start: int = 0  # span in the document text this fact was read from
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Fact:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["subjects"] = [Subject(**s) for s in data.get("subjects") or []]
        return cls(**values)


@dataclass
class ParsedDocument:
    source: str  # identity: the resolved path or URL it came from
    text: str  # canonical text; every offset refers to it
    metadata: Meta  # title, doc_type, published (YYYY-MM-DD), content_hash, ...
    sections: list[Section] | None = None
    facts: list[Fact] = field(default_factory=list)  # what the document says was done (ingest/facts.py)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))
