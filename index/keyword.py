"""The keyword (BM25) index: Lucene's BM25 (k1 1.5, b 0.75, as bm25s scores it) over the term
counts of every complete chunk, kept beside the store.

Each ingested document leaves a shard of its chunks' term counts (`save_keyword_shard`), so the
index of the library as it stands is a merge of shards: adding one document to a large library
tokenises that document only, then merges sparse counts, where a rebuild would re-read and
re-tokenise every chunk. A document without a shard (written by another process, or before
shards existed, or a deleted cache) is read from Chroma once and its shard saved. The merged
index is saved per store fingerprint; the ingest builds it (`ensure_keyword_index`) and
questions load it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from listlens.index.store import Store

K1, B = 1.5, 0.75  # bm25s's (and Lucene's) defaults
TOP_K = 50
SHARDS = "keyword-shards"


def keyword_text(title: str, text: str) -> str:
    """A chunk as keyword search reads it: with its document's title, since a news headline
    names the entity its body may only call "the company"."""
    return f"{title}\n{text}"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed words of two letters or more, English stop words dropped."""
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False,
                          show_progress=False)


# --- per-document shards of term counts -----------------------------------------------------

def _shard_path(cache_dir: Path, doc_id: str, version: str) -> Path:
    return cache_dir / SHARDS / f"{doc_id}.{version}.npz"


def save_keyword_shard(cache_dir: Path, doc_id: str, version: str, node_ids: list[str],
                       texts: list[str]) -> None:
    """The term counts of one document version's chunks (`texts` as `keyword_text` gives them)."""
    vocab: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for tokens in tokenize(texts):
        for term, n in Counter(tokens).items():
            indices.append(vocab.setdefault(term, len(vocab)))
            counts.append(n)
        indptr.append(len(indices))
    path = _shard_path(cache_dir, doc_id, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
    np.savez(tmp, node_ids=np.array(node_ids, dtype=str), terms=np.array(list(vocab), dtype=str),
             indptr=np.array(indptr, dtype=np.int64), indices=np.array(indices, dtype=np.int32),
             counts=np.array(counts, dtype=np.float32))
    tmp.replace(path)


def _shard(store: Store, cache_dir: Path, doc_id: str, entry: dict):
    """A document's shard from its file, or made from its chunks in Chroma when the file is
    missing or unreadable."""
    path = _shard_path(cache_dir, doc_id, entry["version"])
    try:
        with np.load(path) as shard:
            return {k: shard[k] for k in shard.files}
    except (OSError, ValueError, KeyError):
        pass
    got = store.documents_chunks({doc_id: entry})
    texts = [keyword_text(str((m or {}).get("title", "")), t)
             for t, m in zip(got["documents"], got["metadatas"])]
    save_keyword_shard(cache_dir, doc_id, entry["version"], list(got["ids"]), texts)
    with np.load(path) as shard:
        return {k: shard[k] for k in shard.files}


# --- the merged index ------------------------------------------------------------------------

@dataclass
class KeywordIndex:
    node_ids: list[str]
    vocab: dict[str, int]
    weights: object  # scipy CSC, chunks × terms: each term's BM25 contribution to each chunk

    def __len__(self) -> int:
        return len(self.node_ids)

    @classmethod
    def from_counts(cls, node_ids: list[str], vocab: dict[str, int], indptr: np.ndarray,
                    indices: np.ndarray, counts: np.ndarray) -> "KeywordIndex":
        from scipy.sparse import csr_matrix

        n = len(node_ids)
        row_of = np.repeat(np.arange(n), np.diff(indptr))
        lengths = np.bincount(row_of, weights=counts, minlength=n)  # words per chunk
        average = float(lengths.mean()) if n else 1.0
        df = np.bincount(indices, minlength=len(vocab))  # a term appears once per chunk row
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        tf = counts
        w = idf[indices] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[row_of] / (average or 1.0)))
        weights = csr_matrix((w.astype(np.float32), indices, indptr), shape=(n, len(vocab))).tocsc()
        return cls(node_ids, vocab, weights)

    def search(self, text: str, k: int = TOP_K) -> list[str]:
        """The ids of the `k` chunks that score highest for `text` (only chunks sharing a term)."""
        cols = [self.vocab[t] for t in tokenize([text])[0] if t in self.vocab]
        if not cols:
            return []
        w = self.weights
        scores = np.zeros(len(self.node_ids), dtype=np.float32)
        for c in cols:  # a column's rows are distinct, so one fancy-index add per term is exact
            a, b = w.indptr[c], w.indptr[c + 1]
            scores[w.indices[a:b]] += w.data[a:b]
        hit = np.flatnonzero(scores)
        if len(hit) > k:  # the k best, ties at the boundary taken in chunk order
            kth = -np.partition(-scores[hit], k - 1)[k - 1]
            hit = hit[scores[hit] >= kth]
        hit = hit[np.lexsort((hit, -scores[hit]))][:k]  # best first, ties in chunk order
        return [self.node_ids[i] for i in hit]

    def save(self, path: Path) -> None:
        """`<path>.npz` (the weights) and `<path>.json` (ids and terms), the JSON written last:
        its presence says both are complete."""
        from scipy.sparse import save_npz

        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        save_npz(tmp.with_suffix(".npz"), self.weights)
        tmp.with_suffix(".json").write_text(json.dumps({"node_ids": self.node_ids,
                                                        "terms": list(self.vocab)}))
        tmp.with_suffix(".npz").replace(path.with_suffix(".npz"))
        tmp.with_suffix(".json").replace(path.with_suffix(".json"))

    @classmethod
    def load(cls, path: Path) -> "KeywordIndex":
        from scipy.sparse import load_npz

        raw = json.loads(path.with_suffix(".json").read_text())
        return cls(raw["node_ids"], {t: i for i, t in enumerate(raw["terms"])},
                   load_npz(path.with_suffix(".npz")).tocsc())


def build_keyword_index(store: Store, cache_dir: Path, catalog: dict[str, dict]) -> KeywordIndex:
    """The index of the ready documents in `catalog`, merged from their shards."""
    vocab: dict[str, int] = {}
    node_ids: list[str] = []
    rows, indices, counts = [], [], []
    for doc_id, entry in catalog.items():
        shard = _shard(store, cache_dir, doc_id, entry)
        to_global = np.array([vocab.setdefault(str(t), len(vocab)) for t in shard["terms"]],
                             dtype=np.int32)
        node_ids += [str(i) for i in shard["node_ids"]]
        rows.append(np.diff(shard["indptr"]))
        indices.append(to_global[shard["indices"]] if len(shard["indices"]) else shard["indices"])
        counts.append(shard["counts"])
    keep = {_shard_path(cache_dir, d, e["version"]).name for d, e in catalog.items()}
    for old in (cache_dir / SHARDS).glob("*.npz"):
        if old.name not in keep:  # versions replaced or removed since
            old.unlink(missing_ok=True)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(rows))]) if rows else np.zeros(1, np.int64)
    return KeywordIndex.from_counts(
        node_ids, vocab, indptr.astype(np.int64),
        np.concatenate(indices).astype(np.int32) if indices else np.zeros(0, np.int32),
        np.concatenate(counts).astype(np.float32) if counts else np.zeros(0, np.float32))


def _index_path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"bm25-{fingerprint}"


def load_keyword_index(store: Store, cache_dir: Path, fingerprint: str,
                       catalog: dict[str, dict]) -> KeywordIndex | None:
    """The index for `fingerprint` from disk when saved, else merged from shards and saved.
    None when the library holds no chunks."""
    path = _index_path(cache_dir, fingerprint)
    if path.with_suffix(".json").exists():
        index = KeywordIndex.load(path)
    else:
        index = build_keyword_index(store, cache_dir, catalog)
        for old in cache_dir.glob("bm25-*"):
            if old.is_dir():  # the index as llama-index's BM25Retriever saved it, before shards
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)
        index.save(path)
    return index if len(index) else None


def ensure_keyword_index(store: Store, cache_dir: Path, fingerprint: str,
                         catalog: dict[str, dict]) -> None:
    """Merge and save the index for `fingerprint` if it is not on disk yet."""
    if not _index_path(cache_dir, fingerprint).with_suffix(".json").exists():
        load_keyword_index(store, cache_dir, fingerprint, catalog)
