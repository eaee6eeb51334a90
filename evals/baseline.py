"""The naive baseline: what a typical llama-index user would assemble, to measure our gain over.

A `VectorStoreIndex` over a `ChromaVectorStore` in its own collection, llama-index's default
`SentenceSplitter` (1024 tokens, 200 overlap), plain top-2 vector retrieval. Everything else is
held equal so only chunking and retrieval differ from ListLens:
- the same document text (our readers, so citations point at the same sources and offsets);
- the same embedding model (`index.embed.load_embedder()`, a llama-index BaseEmbedding; note it
  reads only the first 256 tokens of a 1024-token chunk, as it would for that user);
- the same answer backend: for `extractive`, the top-2 chunks go as Passages into
  `index.answer.compose_extractive` with the same evidence threshold. No other backend is
  supported yet (the library exposes no "answer from these passages" call for LLMs).

The collection is reused across runs: each document's content hash is recorded in the store's
catalog once its nodes are written, and a document is re-split only when that hash changes.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from listlens.index.config import IndexConfig
from listlens.index.errors import ListLensError
from listlens.index.types import Answer, Passage

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1024, 200, 2  # llama-index's defaults, and a common top-k


class NaivePipeline:
    def __init__(self, config: IndexConfig):
        from llama_index.core import VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from listlens.index.embed import load_embedder
        from listlens.index.store import Store

        if config.backend != "extractive":
            raise ListLensError(f"the naive baseline supports only the extractive backend, "
                                f"not '{config.backend}'")
        self.config = dataclasses.replace(config, collection=config.collection + "_naive")
        self.store = Store(self.config)  # for its Chroma client and the version catalog
        self.embedder = load_embedder(config.embed_batch_size, config.encoder, config.model_cache)
        self.vector_store = ChromaVectorStore(chroma_collection=self.store.chunks)
        self.index = VectorStoreIndex.from_vector_store(self.vector_store,
                                                        embed_model=self.embedder)

    def ingest(self, corpus: Path) -> dict:
        """Split and index every document whose content changed since the last run."""
        from llama_index.core import Document
        from llama_index.core.node_parser import SentenceSplitter

        from listlens.ingest.chunking import doc_id_for
        from listlens.ingest.errors import IngestError
        from listlens.ingest.readers import iter_files, read_path

        splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        catalog = self.store.catalog()
        seen, written, failures = set(), 0, []
        for path in iter_files([corpus]):
            try:
                docs = read_path(path, int(self.config.max_file_mb * 1024 * 1024))
            except IngestError as exc:
                failures.append((str(path), exc.reason))
                continue
            for doc in docs:
                doc_id = doc_id_for(doc.source)
                seen.add(doc_id)
                version = str(doc.metadata.get("content_hash", ""))
                if catalog.get(doc_id, {}).get("version") == version:
                    continue
                self.vector_store.delete(doc_id)  # an older version, or a half-written one
                document = Document(id_=doc_id, text=doc.text,
                                    metadata={"source": doc.source, "title": doc.title})
                nodes = splitter.get_nodes_from_documents([document])
                print(f"  naive: {Path(doc.source).name}: {len(nodes)} chunks", file=sys.stderr)
                self.index.insert_nodes(nodes)
                self.store.put_document(doc_id, {"source": doc.source, "version": version})
                written += len(nodes)
        for doc_id in set(catalog) - seen:  # files gone from the corpus
            self.vector_store.delete(doc_id)
            self.store.catalog_collection.delete(ids=[doc_id])
        return {"nodes": written, "failures": [{"file": f, "reason": r} for f, r in failures]}

    def retrieve(self, question: str) -> list[Passage]:
        hits = self.index.as_retriever(similarity_top_k=TOP_K).retrieve(question)
        passages = []
        for h in hits:
            text, start = h.node.get_content(), h.node.start_char_idx or 0
            end = h.node.end_char_idx if h.node.end_char_idx is not None else start + len(text)
            passages.append(Passage(h.node.node_id, text, float(h.score or 0.0),
                                    {**h.node.metadata, "start": start, "end": end}))
        return passages

    def ask(self, question: str) -> Answer:
        from listlens.index.answer import compose_extractive

        started = time.perf_counter()
        passages = self.retrieve(question)
        answer = compose_extractive(question, passages, self.embedder,
                                    self.config.min_evidence_score)
        answer.retrieved = passages
        answer.latency_s = time.perf_counter() - started
        return answer
