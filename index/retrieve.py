"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings, plus chunks that name an
entity the question names, fused by reciprocal rank.

Dense search finds paraphrases; BM25 finds exact names, acronyms and citations ("COSEINC",
"86 FR 67319") that a small embedding model blurs; the entity table catches spelling variants.
Only chunks of a document's complete version (per the catalog) are ever returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.schema import QueryBundle

from index.store import Store
from index.types import Filters, Passage

RRF_K = 60  # the constant of Cormack et al.; damps the weight of any single top rank
# Dense, keyword, named entity. A chunk about the very entity the question names outranks
# chunks that merely share its wording ("Entity List" is in every rule's title).
WEIGHTS = (1.0, 1.0, 2.0)


@dataclass
class Retriever:
    store: Store
    embedder: object
    keyword: object | None  # BM25Retriever or None when the library is empty
    versions: dict[str, str]  # doc_id → complete version
    entities: object | None = None  # EntityTable
    candidates: int = 40

    def dense(self, question: str, filters: Filters) -> list[str]:
        got = self.store.query(self.embedder.get_query_embedding(question), self.candidates,
                               filters.where())
        return got["ids"][0]

    def lexical(self, question: str) -> list[str]:
        if self.keyword is None:
            return []
        return [n.node.node_id for n in self.keyword.retrieve(QueryBundle(question))]

    def named(self, question: str, per_entity: int = 6) -> list[str]:
        """Chunks about the entities the question names: their records, table entries and
        reason paragraphs, interleaved so each named entity gets a top rank."""
        if self.entities is None:
            return []
        lists = [e.node_ids[:per_entity] for e in self.entities.find_in(question)]
        return [ids[i] for i in range(per_entity) for ids in lists if i < len(ids)]

    def retrieve(self, question: str, top_k: int, filters: Filters | None = None,
                 boost_ids: list[str] | None = None,
                 skip_kinds: tuple[str, ...] = ()) -> list[Passage]:
        """The `top_k` best complete chunks; `skip_kinds` leaves out chunk kinds that cannot
        answer this question (list records never say why an entity was listed)."""
        filters = filters or Filters()
        rankings = [self.dense(question, filters), self.lexical(question),
                    boost_ids if boost_ids is not None else self.named(question)]
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
