"""The Chroma store: chunk vectors, their text and metadata, and the document catalog.

Chroma is the one source of truth (embedded `PersistentClient` by default, a server when a URL is
set). Three collections: `<name>` holds one entry per chunk; `<name>__facts` one entry per fact
read from a document (its span text, its fields as JSON; looked up by id, never by vector);
`<name>__docs` is the catalog, one entry per document, recording which content version of it is complete (`version`) and which one
is being written (`pending`). Queries only trust chunks whose version the catalog calls complete,
so a crash mid-ingest never shows half a document, and chunk ids are derived from
(document, version, position) so writing them twice never duplicates anything.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import numpy as np

from listlens.index.config import IndexConfig
from listlens.index.errors import StoreUnavailable

CATALOG_SUFFIX = "__docs"
FACTS_SUFFIX = "__facts"
GENERATION_ID = "__generation__"  # catalog entry re-stamped by every catalog write


def _stamp() -> dict[str, str]:
    return {"stamp": uuid.uuid4().hex}


def _client(config: IndexConfig):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url if "://" in config.chroma_url else f"http://{config.chroma_url}")
        try:
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:  # chromadb raises bare ValueError/ConnectError variants
            raise StoreUnavailable(f"could not reach the Chroma server at {config.chroma_url}: "
                                   f"{exc}. Is `chroma run` up?") from exc
    try:
        config.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(config.chroma_dir), settings=chroma_settings)
    except Exception as exc:  # OSError, or chromadb's InternalError for a read-only/full disk
        raise StoreUnavailable(f"cannot use the data directory {config.chroma_dir}: {exc}") from exc


class Store:
    def __init__(self, config: IndexConfig):
        self.config = config
        self.location = config.chroma_url or str(config.chroma_dir)
        self._ready: tuple[str | None, dict[str, dict]] | None = None  # (stamp, ready_catalog())
        self.client = _client(config)
        try:
            self.chunks = self.client.get_or_create_collection(
                config.collection, embedding_function=None, metadata={"hnsw:space": "cosine"})
            self.catalog_collection = self.client.get_or_create_collection(
                config.collection + CATALOG_SUFFIX, embedding_function=None)
            self.facts_collection = self.client.get_or_create_collection(
                config.collection + FACTS_SUFFIX, embedding_function=None)
            self.max_batch = self.client.get_max_batch_size()
        except Exception as exc:
            raise StoreUnavailable(f"the Chroma store at {self.location} is not usable: {exc}") from exc

    # --- catalog -------------------------------------------------------------------------

    def catalog(self) -> dict[str, dict[str, Any]]:
        """Every document the store knows, complete or not, by document id."""
        got = self._call(self.catalog_collection.get, include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"]) if i != GENERATION_ID}

    def ready_catalog(self) -> dict[str, dict[str, Any]]:
        """The catalog entries of documents with a complete version queries may use.

        Read on every question; reading the whole catalog costs ~40 µs per document (over 100 ms
        at 3,000 documents), so the answer is kept while the catalog's generation stamp, which
        every catalog write changes (here or in any other process), stays the same."""
        stamp = self._generation()
        cached = self._ready
        if stamp is not None and cached is not None and cached[0] == stamp:
            return cached[1]
        ready = {doc_id: m for doc_id, m in self.catalog().items() if m.get("version")}
        self._ready = (stamp, ready)
        return ready

    def ready_versions(self) -> dict[str, str]:
        """doc_id → the version whose chunks queries may use."""
        return {doc_id: m["version"] for doc_id, m in self.ready_catalog().items()}

    def fr_document_chunks(self, number: str) -> tuple[list[str], list[str], list[dict]]:
        """The chunks of the ready documents carrying Federal Register document `number`."""
        got = self.documents_chunks({d: m for d, m in self.ready_catalog().items()
                                     if m.get("fr_doc") == number})
        return got["ids"], got["documents"], got["metadatas"]

    def documents_chunks(self, entries: dict[str, dict[str, Any]], embeddings: bool = False,
                         first: int | None = None) -> dict:
        """The chunks of these catalog entries' versions (only the `first` few of each, if
        given), fetched by id. Chunk ids are `doc:version:position`, so a document's ids follow
        from its catalog entry: a lookup by primary key, where a `where` filter scans every
        chunk (50 ms and more at 100k chunks)."""
        ids = [f"{doc_id}:{m['version']}:{i:06d}" for doc_id, m in entries.items()
               for i in range(min(int(m.get("nodes", 0) or 0), first or 10**9))]
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        if not ids:
            return {"ids": [], "documents": [], "metadatas": [], "embeddings": []}
        return self._call(self.chunks.get, ids=ids, include=include)

    def _generation(self) -> str | None:
        got = self._call(self.catalog_collection.get, ids=[GENERATION_ID], include=["metadatas"])
        return str((got["metadatas"][0] or {}).get("stamp")) if got["ids"] else None

    def put_document(self, doc_id: str, meta: dict[str, Any]) -> None:
        self.put_documents({doc_id: meta})

    def put_documents(self, entries: dict[str, dict[str, Any]]) -> None:
        """Write catalog entries, and a new generation stamp with them in the same call."""
        ids = [*entries, GENERATION_ID]
        flat = [{k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))}
                for meta in entries.values()]
        self._call(self.catalog_collection.upsert, ids=ids, metadatas=[*flat, _stamp()],
                   embeddings=[[0.0]] * len(ids))  # the catalog is looked up by id, never by vector

    def delete_document(self, doc_id: str) -> None:
        self._call(self.chunks.delete, where={"doc_id": doc_id})
        self._call(self.facts_collection.delete, where={"doc_id": doc_id})
        self._call(self.catalog_collection.delete, ids=[doc_id])
        self._call(self.catalog_collection.upsert, ids=[GENERATION_ID], metadatas=[_stamp()],
                   embeddings=[[0.0]])

    @staticmethod
    def fingerprint(versions: dict[str, str]) -> str:
        """Changes whenever any document is added, replaced or removed (keys the caches)."""
        blob = json.dumps(sorted(versions.items())).encode()
        return hashlib.sha1(blob).hexdigest()[:16]

    # --- chunks --------------------------------------------------------------------------

    def upsert_chunks(self, ids: list[str], texts: list[str], metadatas: list[dict],
                      embeddings: np.ndarray) -> None:
        for at in range(0, len(ids), self.max_batch):
            end = at + self.max_batch
            self._call(self.chunks.upsert, ids=ids[at:end], documents=texts[at:end],
                       metadatas=metadatas[at:end], embeddings=embeddings[at:end])

    def delete_other_versions(self, doc_id: str, keep: str) -> None:
        where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": keep}}]}
        self._call(self.chunks.delete, where=where)
        self._call(self.facts_collection.delete, where=where)

    def delete_version(self, doc_id: str, version: str) -> None:
        where = {"$and": [{"doc_id": doc_id}, {"version": version}]}
        self._call(self.chunks.delete, where=where)
        self._call(self.facts_collection.delete, where=where)

    # --- facts ---------------------------------------------------------------------------

    @staticmethod
    def fact_id(doc_id: str, version: str, i: int) -> str:
        return f"{doc_id}:{version}:f{i:06d}"

    def upsert_facts(self, doc_id: str, version: str, texts: list[str], metadatas: list[dict]) -> None:
        """A document version's facts: the span text each was read from, its fields as metadata."""
        ids = [self.fact_id(doc_id, version, i) for i in range(len(texts))]
        for at in range(0, len(ids), self.max_batch):
            end = at + self.max_batch
            self._call(self.facts_collection.upsert, ids=ids[at:end], documents=texts[at:end],
                       metadatas=[{**m, "doc_id": doc_id, "version": version} for m in metadatas[at:end]],
                       embeddings=[[0.0]] * len(ids[at:end]))

    def delete_facts_from(self, doc_id: str, version: str, keep: int, had: int) -> None:
        """Drop a version's facts numbered `keep` and above (up to `had`, what it held)."""
        ids = [self.fact_id(doc_id, version, i) for i in range(keep, had)]
        if ids:
            self._call(self.facts_collection.delete, ids=ids)

    def documents_facts(self, entries: dict[str, dict[str, Any]]) -> dict:
        """The facts of these catalog entries' versions, fetched by id (the catalog's `facts`
        count says how many each has)."""
        ids = [self.fact_id(doc_id, m["version"], i) for doc_id, m in entries.items()
               for i in range(int(m.get("facts", 0) or 0))]
        if not ids:
            return {"ids": [], "documents": [], "metadatas": []}
        got = {"ids": [], "documents": [], "metadatas": []}
        for at in range(0, len(ids), self.max_batch):
            page = self._call(self.facts_collection.get, ids=ids[at:at + self.max_batch],
                              include=["documents", "metadatas"])
            for key in got:
                got[key] += page[key]
        return got

    def count(self) -> int:
        return self._call(self.chunks.count)

    def iter_chunks(self, batch: int = 5000) -> Iterator[tuple[list[str], list[str], list[dict]]]:
        """All chunks, page by page: (ids, texts, metadatas)."""
        offset = 0
        while True:
            got = self._call(self.chunks.get, limit=batch, offset=offset,
                             include=["documents", "metadatas"])
            if not got["ids"]:
                return
            yield got["ids"], got["documents"], got["metadatas"]
            offset += len(got["ids"])

    def get_chunks(self, ids: list[str]) -> tuple[list[str], list[str], list[dict]]:
        got = self._call(self.chunks.get, ids=ids, include=["documents", "metadatas"])
        return got["ids"], got["documents"], got["metadatas"]

    def document_chunks(self, doc_id: str, version: str,
                        batch: int = 500) -> Iterator[tuple[list[str], list[str], list[dict]]]:
        """One version of one document's chunks, page by page (a list file can hold 30k)."""
        where = {"$and": [{"doc_id": doc_id}, {"version": version}]}
        offset = 0
        while True:
            got = self._call(self.chunks.get, where=where, limit=batch, offset=offset,
                             include=["documents", "metadatas"])
            if not got["ids"]:
                return
            yield got["ids"], got["documents"], got["metadatas"]
            offset += len(got["ids"])

    def records_containing(self, text: str) -> tuple[list[str], list[str], list[dict]]:
        """List records whose text contains `text` exactly (a citation, a name)."""
        got = self._call(self.chunks.get, where={"kind": "record"},
                         where_document={"$contains": text}, include=["documents", "metadatas"])
        return got["ids"], got["documents"], got["metadatas"]

    def query(self, embedding: list[float], n: int, where: dict | None = None,
              containing: str | None = None) -> dict:
        """The `n` chunks nearest `embedding`; `containing`: only chunks whose text holds it."""
        return self._call(self.chunks.query, query_embeddings=[embedding], n_results=n,
                          where=where or None,
                          where_document={"$contains": containing} if containing else None,
                          include=["documents", "metadatas", "distances"])

    def _call(self, fn, *args, **kwargs):
        """Run a Chroma call, turning connection and disk failures into one clear error."""
        try:
            return fn(*args, **kwargs)
        except StoreUnavailable:
            raise
        except Exception as exc:
            name = type(exc).__name__
            text = str(exc)
            # "compaction": a full disk can surface as Chroma failing to apply its write log
            if any(s in (name + text).lower() for s in (
                    "connect", "timeout", "readonly", "read-only", "disk", "no space", "permission",
                    "database is locked", "unavailable", "refused", "compaction")):
                raise StoreUnavailable(f"the Chroma store at {self.location} failed: {text or name}") from exc
            raise
