"""The keyword (BM25) index: a cache of the chunks in Chroma, persisted beside the store.

It is rebuilt from Chroma whenever the catalog fingerprint changes (a document added, replaced
or removed), and otherwise loaded from disk, so no query ever pays for a rebuild twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from llama_index.core.schema import TextNode

from listlens.index.store import Store


def _nodes_from_store(store: Store, versions: dict[str, str]) -> list[TextNode]:
    nodes = []
    for ids, texts, metas in store.iter_chunks():
        for node_id, text, meta in zip(ids, texts, metas):
            if versions.get(meta.get("doc_id")) == meta.get("version"):
                # Titles go into the keyword text: a news headline names the entity its body
                # may only call "the company".
                nodes.append(TextNode(id_=node_id, text=f"{meta.get('title', '')}\n{text}"))
    return nodes


def load_keyword_index(store: Store, cache_dir: Path, fingerprint: str, versions: dict[str, str],
                       top_k: int = 50):
    """A BM25Retriever over every complete chunk, from the cache when it is current."""
    from llama_index.retrievers.bm25 import BM25Retriever

    path = cache_dir / f"bm25-{fingerprint}"
    if (path / "retriever.json").exists():
        retriever = BM25Retriever.from_persist_dir(str(path))
        retriever.similarity_top_k = min(top_k, len(retriever.corpus or [])) or top_k
        return retriever
    nodes = _nodes_from_store(store, versions)
    if not nodes:
        return None
    retriever = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=min(top_k, len(nodes)),
                                            language="english")
    tmp = cache_dir / f".bm25-{fingerprint}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    retriever.persist(str(tmp))
    for old in cache_dir.glob("bm25-*"):
        shutil.rmtree(old, ignore_errors=True)
    tmp.rename(path)
    return retriever
