"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings, plus chunks that name an
entity the question names, fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds exact names, acronyms and citations ("COSEINC",
"86 FR 67319") that a small embedding model blurs; the entity table catches spelling variants.
Only chunks of a document's complete version (per the catalog) are ever returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from listlens.index.keyword import KeywordIndex
from listlens.index.store import Store
from listlens.index.text import FR_DOC_NUMBER
from listlens.index.types import Filters, Passage
from listlens.ingest.vocab import MONTH_NAMES, number_words

RRF_K = 60  # the constant of Cormack et al.; damps the weight of any single top rank
# Dense, keyword, named entity, named document. A chunk about the very entity or rule the
# question names outranks chunks that merely share its wording ("Entity List" is in every
# rule's title).
# ... plus, weighted 1: chunks holding given text, and documents from the month the question names.
WEIGHTS = (1.0, 1.0, 2.0, 2.0, 1.0, 1.0)
_MONTH_YEAR = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})\b", re.I)
def with_number_words(question: str) -> str:
    """The question with each count below 100 also written in words, for keyword search."""
    extra = [number_words(int(m)).replace("-", " ")
             for m in re.findall(r"(?<![\d,.-])\b\d{1,2}\b(?![\d,.-])", question)]
    return " ".join([question, *filter(None, extra)])


@dataclass
class Retriever:
    store: Store
    embedder: object
    keyword: KeywordIndex | None  # None when the library is empty
    versions: dict[str, str]  # doc_id → complete version
    entities: object | None = None  # EntityTable
    candidates: int = 40
    catalog: dict[str, dict] = field(default_factory=dict)  # doc_id → ready catalog entry

    def dense(self, embedding: list[float], filters: Filters) -> list[str]:
        got = self.store.query(embedding, self.candidates, filters.where())
        return got["ids"][0]

    def in_named_documents(self, question: str, embedding: list[float]) -> list[str]:
        """The chunks of the Federal Register documents the question names by number ("FR Doc.
        2024-03969"), best match first: the question is about that rule, however its words
        compare with the thousands of list records around it."""
        numbers = set(FR_DOC_NUMBER.findall(question))
        return self._nearest_in({d: m for d, m in self.catalog.items() if m.get("fr_doc") in numbers},
                                embedding)

    def _nearest_in(self, entries: dict[str, dict], embedding: list[float], per_doc: int = 8,
                    max_nodes: int = 2000) -> list[str]:
        """The `per_doc` chunks of each document nearest the question. Fetched by id and ranked
        here: a Chroma query filtered by metadata scans every chunk. Of a list file (thousands
        of look-alike records) only the opening chunks, which describe the list, are ranked."""
        small = {d: m for d, m in entries.items() if int(m.get("nodes", 0) or 0) <= max_nodes}
        got = self.store.documents_chunks(small, embeddings=True)
        heads = self.store.documents_chunks({d: m for d, m in entries.items() if d not in small},
                                            embeddings=True, first=per_doc)
        got = {k: list(got[k]) + list(heads[k]) for k in ("ids", "metadatas", "embeddings")}
        if not len(got["ids"]):
            return []
        sims = np.asarray(got["embeddings"], dtype=np.float32) @ np.asarray(embedding, dtype=np.float32)
        by_doc: dict[str, list[tuple[float, str]]] = {}
        for node_id, meta, sim in zip(got["ids"], got["metadatas"], sims):
            by_doc.setdefault(meta.get("doc_id"), []).append((float(sim), node_id))
        ranked = [pair for pairs in by_doc.values() for pair in sorted(pairs, reverse=True)[:per_doc]]
        return [node_id for _, node_id in sorted(ranked, reverse=True)]

    def lexical(self, question: str) -> list[str]:
        if self.keyword is None:
            return []
        return self.keyword.search(with_number_words(question))

    def in_named_months(self, question: str, embedding: list[float]) -> list[str]:
        """The chunks nearest the question among documents published in the month (or on the
        day) the question names: "the rule of <month> <day>, <year>", "in <month> <year>"."""
        entries: dict[str, dict] = {}
        for month, day, year in _MONTH_YEAR.findall(question)[:2]:
            prefix = f"{int(year):04d}-{MONTH_NAMES.index(month.lower()) + 1:02d}"
            prefix += f"-{int(day):02d}" if day else ""
            entries.update({d: m for d, m in self.catalog.items()
                            if str(m.get("published", "")).startswith(prefix)})
        return self._nearest_in(entries, embedding)  # `retrieve` applies the filters

    def named(self, question: str, per_entity: int = 6) -> list[str]:
        """Chunks about the entities the question names: their records, table entries and
        reason paragraphs, interleaved so each named entity gets a top rank."""
        if self.entities is None:
            return []
        lists = [e.node_ids[:per_entity] for e in self.entities.find_in(question)]
        return [ids[i] for i in range(per_entity) for ids in lists if i < len(ids)]

    def retrieve(self, question: str, top_k: int, filters: Filters | None = None,
                 boost_ids: list[str] | None = None, skip_kinds: tuple[str, ...] = (),
                 containing: str | None = None) -> list[Passage]:
        """The `top_k` best complete chunks; `skip_kinds` leaves out chunk kinds that cannot
        answer this question (list records never say why an entity was listed); `containing`
        adds the chunks nearest the question among those holding that text (a link to a
        Federal Register document, for a question asking for a document number)."""
        filters = filters or Filters()
        embedding = self.embedder.get_query_embedding(question)
        rankings = [self.dense(embedding, filters), self.lexical(question),
                    boost_ids if boost_ids is not None else self.named(question),
                    self.in_named_documents(question, embedding),
                    self.store.query(embedding, 8, filters.where(), containing)["ids"][0] if containing else [],
                    self.in_named_months(question, embedding)]
        fused: dict[str, float] = {}
        for ranking, weight in zip(rankings, WEIGHTS):
            for rank, node_id in enumerate(ranking):
                fused[node_id] = fused.get(node_id, 0.0) + weight / (RRF_K + rank + 1)
        ranked = sorted(fused, key=fused.get, reverse=True)
        passages: list[Passage] = []
        per_doc: dict[str, int] = {}
        cap = max(2, top_k // 2)  # one list file of 25,000 look-alike records must leave room
        # Fetch in pages: some candidates drop out (stale version, filtered out).
        for at in range(0, len(ranked), top_k * 2):
            ids, texts, metas = self.store.get_chunks(ranked[at:at + top_k * 2])
            by_id = {i: (t, m) for i, t, m in zip(ids, texts, metas)}
            for node_id in ranked[at:at + top_k * 2]:
                if node_id not in by_id:
                    continue
                text, meta = by_id[node_id]
                if self.versions.get(meta.get("doc_id")) != meta.get("version"):
                    continue
                if (filters and not filters.accepts(meta)) or meta.get("kind") in skip_kinds:
                    continue
                if per_doc.get(meta.get("doc_id"), 0) >= cap:
                    continue
                per_doc[meta.get("doc_id")] = per_doc.get(meta.get("doc_id"), 0) + 1
                passages.append(Passage(node_id, text, fused[node_id], meta))
            if len(passages) >= top_k:
                break
        return passages[:top_k]
