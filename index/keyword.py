"""The keyword (BM25) index: a cache of the chunks in Chroma, persisted beside the store.

It is built at the end of each ingest for the library as it then stands (`ensure_keyword_index`)
and loaded from disk by questions; a question rebuilds it only when the library changed without
an ingest through this code (another machine writing to a shared Chroma server).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from llama_index.core.schema import TextNode

from listlens.index.store import Store

PAGE = 5000  # chunks read from Chroma per call


def _nodes_from_store(store: Store, catalog: dict[str, dict]) -> list[TextNode]:
    """The ready chunks, read by id (a document's ids follow from its catalog entry), with
    their titles in the keyword text: a news headline names the entity its body may only call
    "the company"."""
    nodes = []
    entries = list(catalog.items())
    at, batch = 0, {}
    while at < len(entries) or batch:
        while at < len(entries) and sum(int(m.get("nodes", 0) or 0) for m in batch.values()) < PAGE:
            batch[entries[at][0]] = entries[at][1]
            at += 1
        got = store.documents_chunks(batch)
        for node_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            nodes.append(TextNode(id_=node_id, text=f"{meta.get('title', '')}\n{text}"))
        batch = {}
    return nodes


def _slim(retriever) -> None:
    """Keep only node ids in the retriever's corpus: answers read chunk texts from Chroma, and
    a corpus of whole nodes made the cache on disk, and loading it, ten times larger."""
    retriever.corpus = [{"node_id": c["node_id"], "_node_content": json.dumps({"id_": c["node_id"]})}
                        for c in retriever.corpus]
    retriever.bm25.corpus = retriever.corpus


def load_keyword_index(store: Store, cache_dir: Path, fingerprint: str, catalog: dict[str, dict],
                       top_k: int = 50):
    """A BM25Retriever over every complete chunk, from the cache when it is current."""
    from llama_index.retrievers.bm25 import BM25Retriever

    path = cache_dir / f"bm25-{fingerprint}"
    if (path / "retriever.json").exists():
        retriever = BM25Retriever.from_persist_dir(str(path), show_progress=False)
        retriever.similarity_top_k = min(top_k, int(retriever.bm25.scores["num_docs"]))
        return retriever
    nodes = _nodes_from_store(store, catalog)
    if not nodes:
        return None
    retriever = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(top_k, len(nodes)),
                                            language="english")
    _slim(retriever)
    tmp = cache_dir / f".bm25-{fingerprint}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    retriever.persist(str(tmp), show_progress=False)  # the ingest shows its own progress
    for old in cache_dir.glob("bm25-*"):
        shutil.rmtree(old, ignore_errors=True)
    try:
        tmp.rename(path)
    except OSError:  # another process made it first
        shutil.rmtree(tmp, ignore_errors=True)
    return retriever


def ensure_keyword_index(store: Store, cache_dir: Path, fingerprint: str,
                         catalog: dict[str, dict]) -> None:
    """Build and persist the index for `fingerprint` if it is not on disk yet."""
    if not (cache_dir / f"bm25-{fingerprint}" / "retriever.json").exists():
        load_keyword_index(store, cache_dir, fingerprint, catalog)
