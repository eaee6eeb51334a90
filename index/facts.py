"""Reading back the facts stored with each document, and citing them like sentences.

Facts are read once, at ingest (ingest/facts.py), and stored in Chroma beside the document's
chunks (Store.upsert_facts): the span text each was read from is the entry's text, its fields are
JSON in the metadata. Summaries and answers load them here instead of re-reading the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from listlens.index.store import Store
from listlens.index.types import Citation
from listlens.ingest.types import Fact


@dataclass
class StoredFact:
    """A fact with the document it was read from and the text of its span."""

    fact: Fact
    doc_id: str
    source: str
    title: str
    text: str  # the document text of fact.start..fact.end
    metadata: dict[str, Any] = field(default_factory=dict)  # the document's catalog fields

    @property
    def published(self) -> str:
        return self.fact.published or str(self.metadata.get("published", ""))

    def _citation(self, n: int, start: int, end: int, text: str) -> Citation:
        meta = self.metadata
        return Citation(n=n, file=self.source, title=self.title, published=self.published or None,
                        start=start, end=end, text=text, doc_type=str(meta.get("doc_type", "")),
                        publisher=str(meta.get("publisher", "")),
                        fr_citation=self.fact.fr_citation or str(meta.get("fr_citation", "")))

    def citation(self, n: int = 1) -> Citation:
        """The span the fact was read from (a table row, an FR entry, a sentence)."""
        return self._citation(n, self.fact.start, self.fact.end, self.text)

    def reason_citation(self, n: int = 1) -> Citation | None:
        """The span of the reason, in the document's own words; None when the fact has none."""
        f = self.fact
        if f.reason_start < 0 or not f.reason:
            return None
        return self._citation(n, f.reason_start, f.reason_end, f.reason)


def fact_records(facts: Iterable[Fact], text: str) -> tuple[list[str], list[dict]]:
    """What Store.upsert_facts writes for a document's facts: span texts and flat metadata."""
    texts, metas = [], []
    for f in facts:
        texts.append(text[f.start:f.end])
        metas.append({"action": f.action, "list_name": f.list_name, "start": f.start, "end": f.end,
                      "subjects": " | ".join(s.name for s in f.subjects),
                      "fact": json.dumps(f.to_dict(), ensure_ascii=False)})
    return texts, metas


def load_facts(store: Store, versions: dict[str, str],
               doc_ids: Iterable[str] | None = None) -> list[StoredFact]:
    """The facts of the ready document versions in `versions` (doc_id → version; usually
    `store.ready_versions()`), only of `doc_ids` if given, in document then reading order."""
    wanted = set(doc_ids) if doc_ids is not None else None
    entries = {d: m for d, m in store.ready_catalog().items()
               if versions.get(d) == m.get("version") and (wanted is None or d in wanted)
               and int(m.get("facts", 0) or 0)}
    got = store.documents_facts(entries)
    out = []
    for text, meta in zip(got["documents"], got["metadatas"]):
        doc_id = str(meta.get("doc_id", ""))
        doc = entries.get(doc_id, {})
        out.append(StoredFact(Fact.from_dict(json.loads(meta["fact"])), doc_id,
                              str(doc.get("source", "")), str(doc.get("title", "")), text or "",
                              {"doc_id": doc_id, **doc}))
    order = {d: i for i, d in enumerate(entries)}
    return sorted(out, key=lambda s: (order.get(s.doc_id, 0), s.fact.start, s.fact.end))
