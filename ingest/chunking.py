"""Cut a parsed document into llama-index `TextNode`s that remember where they came from.

Every node keeps `start_char_idx`/`end_char_idx` into the document's canonical text, so a
citation can point at the exact span. Domain sections (a list record, a table entry, a reason
paragraph) become one node each, split further only when longer than the chunk size; documents
without sections are split by llama-index's SentenceSplitter.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from listlens.ingest.lists import identifying_text
from listlens.ingest.types import ParsedDocument, Section


def doc_id_for(source: str) -> str:
    """A document's identity is its source; this is a short stable key for it."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=8)
def _splitter(chunk_size: int, chunk_overlap: int) -> SentenceSplitter:
    return SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)


def _spans(text: str, start: int, end: int, chunk_size: int, overlap: int) -> list[tuple[int, int]]:
    """Split text[start:end] into spans of at most `chunk_size` tokens, as offsets into text."""
    piece = text[start:end]
    # Short pieces (most records and paragraphs) skip the tokenizer entirely.
    if len(piece) <= chunk_size * 3:
        return [(start, end)] if piece.strip() else []
    spans, cursor = [], 0
    for chunk in _splitter(chunk_size, overlap).split_text(piece):
        at = piece.find(chunk, max(0, cursor - len(chunk)))
        if at < 0:  # the splitter normalised whitespace; anchor on the chunk's opening words
            at = piece.find(chunk[:40], max(0, cursor - len(chunk)))
        if at < 0:
            at = cursor
        spans.append((start + at, start + min(len(piece), at + len(chunk))))
        cursor = at + len(chunk)
    return spans


def chunk_document(doc: ParsedDocument, chunk_size: int = 200, chunk_overlap: int = 30) -> list[TextNode]:
    """Nodes for `doc`, with ids that are stable for a given source and content version."""
    doc_id = doc_id_for(doc.source)
    version = str(doc.metadata["content_hash"])
    sections = doc.sections or [Section(0, len(doc.text), "text")]
    doc_meta = {**doc.metadata}
    named = _named_entities(sections)
    if named:
        doc_meta["doc_entities"] = named
    nodes: list[TextNode] = []
    for section in sections:
        if section.kind in ("record", "table_entry"):
            spans = [(section.start, section.end)]  # one entry, one node, however long
        else:
            spans = _spans(doc.text, section.start, section.end, chunk_size, chunk_overlap)
        for start, end in spans:
            metadata = {**doc_meta, **section.metadata, "kind": section.kind,
                        "doc_id": doc_id, "version": version, "start": start, "end": end}
            node = TextNode(
                id_=f"{doc_id}:{version}:{len(nodes):06d}",
                text=doc.text[start:end],
                metadata=metadata,
                start_char_idx=start,
                end_char_idx=end,
            )
            node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc_id)
            nodes.append(node)
    return nodes


def _named_entities(sections: list[Section], limit: int = 60) -> str:
    """The entities a rule or article names, so any of its sentences ("This rule takes effect
    on ...") can be tied to them. Skipped for list files: every record already names its own."""
    names: list[str] = []
    for section in sections:
        if section.kind == "record":
            return ""
        for name in str(section.metadata.get("entity", "")).split(" | "):
            if name and name not in names:
                names.append(name)
    return " | ".join(names[:limit])


RECORD_EMBED_CHARS = 400


def embedding_text(node: TextNode) -> str:
    """What the embedding model sees: prose gets its document title; a record or table entry
    is embedded by what identifies it (name, aliases, country, list, citation, program), not
    its list's licensing terms or its street addresses — encoding is most of the cost of
    ingesting 30,000 records, and keyword search still reads the whole record."""
    if node.metadata.get("kind") in ("record", "table_entry"):
        return identifying_text(node.text)[:RECORD_EMBED_CHARS]
    return f"{node.metadata.get('title', '')}\n{node.text}"
