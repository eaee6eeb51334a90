"""The measured parts of `listlens bench`, each run in a child process of its own so its peak
memory is its own: `python -m evals.bench_worker TASK JSON-ARGS` prints one JSON line.

Tasks: `ingest` (ListLens end to end, beside the raw sentence-transformers encode of the same
node texts), `naive` (the llama-index baseline's ingest), `scale` (a synthetic library of N
nodes built from the real one's embeddings, then query latency), `llm` (local model TTFT and
tokens/s).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (an ingest's encoder workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    at = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[at]


def _config(data_dir: str, collection: str, chroma_url: str | None = None,
            model_dir: str | None = None, encoder: str | None = None,
            record_tokens: int | None = None):
    from listlens.index.config import IndexConfig

    extra = {"encoder": encoder} if encoder else {}
    if record_tokens:
        extra["record_tokens"] = record_tokens
    return IndexConfig(data_dir=Path(data_dir), collection=collection, chroma_url=chroma_url,
                       model_dir=Path(model_dir) if model_dir else None, **extra)


def _node_texts(paths: list[str], config) -> list[str]:
    from listlens.ingest.chunking import chunk_document, embedding_text
    from listlens.ingest.errors import IngestError
    from listlens.ingest.readers import iter_files, read_path

    texts = []
    for path in iter_files([Path(p) for p in paths]):
        try:
            docs = read_path(path, int(config.max_file_mb * 1024 * 1024))
        except IngestError:
            continue
        for doc in docs:
            texts += [embedding_text(n) for n in
                      chunk_document(doc, config.chunk_size, config.chunk_overlap)]
    return texts


def task_ingest(a: dict) -> dict:
    """ListLens ingest of the corpus into a fresh collection, and the raw encode rate of the
    packaged float model (sentence-transformers, as shipped) on the same node texts, measured
    half before and half after the ingest so a load swing hits both."""
    from listlens.index.embed import encode_threads, load_float_model
    from listlens.index.library import Library

    config = _config(a["data_dir"], a["collection"], model_dir=a.get("model_dir"),
                     encoder=a.get("encoder"))
    library = Library(config)
    started = time.perf_counter()
    embedder = library.embedder
    embedder.encode(["warm up"])
    model_load_s = time.perf_counter() - started
    texts = _node_texts(a["paths"], config)
    all_nodes = len(texts)
    if a.get("raw_sample") and len(texts) > a["raw_sample"]:  # a random sample keeps the rate
        texts = random.Random(1).sample(texts, a["raw_sample"])
    model = load_float_model()  # the bare float model: the reference
    model.encode(["warm up"])
    half = len(texts) // 2

    cpu = {"raw": 0.0}

    def raw(part: list[str]) -> float:
        t, c = time.perf_counter(), time.process_time()
        model.encode(part, batch_size=embedder.embed_batch_size, normalize_embeddings=True,
                     convert_to_numpy=True, show_progress_bar=False)
        cpu["raw"] += time.process_time() - c
        return time.perf_counter() - t

    raw_s = raw(texts[:half])
    rss_before = peak_rss_mb()
    c = cpu_seconds()
    report = library.ingest([Path(p) for p in a["paths"]])
    cpu["ingest"] = cpu_seconds() - c
    ingest_rss = peak_rss_mb()
    raw_s += raw(texts[half:])
    return {"nodes": report.nodes, "documents": report.added + report.replaced,
            "failures": len(report.failures), "seconds": report.seconds,
            "nodes_per_s": report.nodes / report.seconds if report.seconds else 0.0,
            "node_texts": all_nodes, "raw_encode_nodes": len(texts), "raw_encode_seconds": raw_s,
            "raw_encode_nodes_per_s": len(texts) / raw_s if raw_s else 0.0,
            # CPU seconds per node: what a shared machine's load can't skew.
            "cpu_ms_per_node": cpu["ingest"] * 1000 / max(1, report.nodes),
            "raw_cpu_ms_per_node": cpu["raw"] * 1000 / max(1, len(texts)),
            "model_load_seconds": model_load_s, "encode_threads": encode_threads(),
            "encoder": embedder.encoder,
            "batch_size": embedder.embed_batch_size,
            "peak_rss_mb_before_ingest": rss_before, "peak_rss_mb": ingest_rss}


def task_naive(a: dict) -> dict:
    from listlens.evals.baseline import NaivePipeline

    pipeline = NaivePipeline(_config(a["data_dir"], a["collection"], model_dir=a.get("model_dir")))
    pipeline.embedder.encode(["warm up"])
    nodes, seconds = 0, 0.0
    for path in a["paths"]:
        started = time.perf_counter()
        got = pipeline.ingest(Path(path))
        seconds += time.perf_counter() - started
        nodes += got["nodes"]
    return {"nodes": nodes, "seconds": seconds, "nodes_per_s": nodes / seconds if seconds else 0.0,
            "peak_rss_mb": peak_rss_mb()}


# --- synthetic scale ------------------------------------------------------------------------


def _source_rows(config) -> tuple[list[dict], dict]:
    """Every chunk of the ingested library with its embedding, grouped by document in catalog
    order: ([{doc_id, ids, texts, metas, vectors}], catalog)."""
    import numpy as np

    from listlens.index.store import Store

    store = Store(config)
    catalog = {k: v for k, v in store.catalog().items() if v.get("version")}
    by_doc: dict[str, dict] = {}
    offset = 0
    while True:
        got = store.chunks.get(limit=5000, offset=offset,
                               include=["documents", "metadatas", "embeddings"])
        if not got["ids"]:
            break
        for i, text, meta, vec in zip(got["ids"], got["documents"], got["metadatas"],
                                      got["embeddings"]):
            doc = by_doc.setdefault(meta["doc_id"], {"doc_id": meta["doc_id"], "ids": [],
                                                     "texts": [], "metas": [], "vectors": []})
            doc["ids"].append(i)
            doc["texts"].append(text)
            doc["metas"].append(meta)
            doc["vectors"].append(vec)
        offset += len(got["ids"])
    docs = [by_doc[d] for d in catalog if d in by_doc]
    for d in docs:
        d["vectors"] = np.asarray(d["vectors"], dtype=np.float32)
    return docs, catalog


def _vary(text: str, replica: int, rng: random.Random) -> str:
    """A copy of `text` with about one word in eight swapped for a replica-specific token, so
    the synthetic corpus grows its vocabulary as a real one would."""
    if replica == 0:
        return text
    words = text.split(" ")
    for k in range(rng.randrange(8), len(words), 8):
        words[k] = f"{words[k][:4]}x{replica}"
    return " ".join(words)


def build_synthetic(source: list[dict], catalog: dict, store, target: int, budget_s: float,
                    noise: float = 0.02, seed: int = 7, cache_dir: Path | None = None) -> dict:
    """Write `target` nodes into `store`: replicas of the real documents under new ids, texts
    varied, embeddings the real ones plus small Gaussian noise, re-normalised (no encoding).
    Each synthetic document's catalog entry is written, complete, after its chunks (the
    ingest protocol), and its entity-table shard beside it in `cache_dir`, as an ingest writes
    it. Stops early when `budget_s` runs out; returns what it built."""
    import numpy as np

    from listlens.index.entities import save_shard, shard_rows

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    batch = store.max_batch
    buf_ids: list[str] = []
    buf_texts: list[str] = []
    buf_metas: list[dict] = []
    buf_vecs: list = []
    done_docs: list[tuple[str, dict]] = []
    written = 0
    started = time.perf_counter()

    def flush() -> None:
        nonlocal written
        if buf_ids:
            store.upsert_chunks(buf_ids, buf_texts, buf_metas, np.concatenate(buf_vecs))
            written += len(buf_ids)
        if done_docs:
            store.put_documents(dict(done_docs))
        buf_ids.clear(), buf_texts.clear(), buf_metas.clear(), buf_vecs.clear(), done_docs.clear()

    queued, replica = 0, 0
    while queued < target and time.perf_counter() - started < budget_s:
        for doc in source:
            if queued >= target or time.perf_counter() - started >= budget_s:
                break
            take = min(len(doc["ids"]), target - queued)
            new_id = f"syn{replica:05d}{doc['doc_id'][8:]}"
            version = doc["metas"][0]["version"]
            entry = {k: v for k, v in catalog[doc["doc_id"]].items()
                     if isinstance(v, (str, int, float, bool))}
            if replica:
                entry["title"] = f"{entry.get('title', '')} (copy {replica})"
                entry["source"] = f"{entry.get('source', '')}#copy{replica}"
            entry.update(version=version, pending="", nodes=take)
            vecs = doc["vectors"][:take] + nprng.normal(0, noise, (take, doc["vectors"].shape[1])
                                                        ).astype(np.float32) * (replica > 0)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            doc_ids, doc_metas = [], []
            for pos in range(take):
                meta = dict(doc["metas"][pos])
                meta["doc_id"] = new_id
                if replica:
                    meta["title"] = entry["title"]
                    meta["source"] = entry["source"]
                doc_ids.append(f"{new_id}:{version}:{pos:06d}")
                doc_metas.append(meta)
                buf_texts.append(_vary(doc["texts"][pos], replica, rng))
            buf_ids.extend(doc_ids)
            buf_metas.extend(doc_metas)
            if cache_dir is not None:
                save_shard(cache_dir, new_id, version, shard_rows(doc_ids, doc_metas))
            buf_vecs.append(vecs)
            done_docs.append((new_id, entry))
            queued += take
            if len(buf_ids) >= batch:
                flush()
        replica += 1
    flush()
    seconds = time.perf_counter() - started
    return {"nodes": written, "seconds": seconds,
            "nodes_per_s": written / seconds if seconds else 0.0,
            "complete": written >= target}


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def measure_queries(library, questions: list[str], rounds: int) -> dict:
    """Latency (ms) of the first question (loads or builds the caches), then p50/p95 of
    retrieval alone, of extractive answers, and of each retrieval leg."""
    from listlens.index.types import Filters

    first_ms = _timed(lambda: library.ask(questions[0], backend="extractive"))
    legs: dict[str, list[float]] = {"retrieve": [], "ask": [], "dense": [], "keyword": [],
                                    "entities": [], "catalog": []}
    for _ in range(rounds):
        for q in questions:
            # Every timed call starts with cold vector and entity-lookup caches: repeats (across
            # rounds, or of one question across legs) don't count.
            def clear() -> None:
                library.embedder.clear_cache()
                library.retriever().entities.clear_cache()

            legs["catalog"].append(_timed(library.store.ready_versions))
            clear()
            legs["retrieve"].append(_timed(lambda: library.retrieve(q)))
            clear()
            legs["ask"].append(_timed(lambda: library.ask(q, backend="extractive")))
            clear()
            r = library.retriever()
            legs["dense"].append(_timed(lambda: r.dense(library.embedder.get_query_embedding(q),
                                                        Filters())))
            legs["keyword"].append(_timed(lambda: r.lexical(q)))
            clear()
            legs["entities"].append(_timed(lambda: r.named(q)))
    out: dict[str, Any] = {"first_question_ms": first_ms, "queries": len(legs["ask"])}
    for leg, values in legs.items():
        out[f"{leg}_p50_ms"] = statistics.median(values)
        out[f"{leg}_p95_ms"] = percentile(values, 95)
    return out


def task_scale(a: dict) -> dict:
    from listlens.index.library import Library
    from listlens.index.store import Store

    source, catalog = _source_rows(_config(a["source_dir"], a["source_collection"]))
    config = _config(a["data_dir"], a["collection"], a.get("chroma_url"), a.get("model_dir"))
    store = Store(config)
    have = store.count()
    if have >= a["nodes"] or (a.get("reuse") and have):
        build = {"nodes": have, "seconds": 0.0, "nodes_per_s": 0.0, "complete": have >= a["nodes"],
                 "reused": True}
    else:
        if have:
            store.client.delete_collection(config.collection)
            store.client.delete_collection(config.collection + "__docs")
            store = Store(config)
        build = build_synthetic(source, catalog, store, a["nodes"], a["budget_s"],
                                cache_dir=config.cache_dir)
        build["reused"] = False
    library = Library(config)
    # The model is loaded (and its ONNX copy made, once per install) before the clock starts,
    # as in the ingest part: the first question times the library's caches, not the install.
    started = time.perf_counter()
    library.embedder.encode(["warm up"])
    model_load_s = time.perf_counter() - started
    # What an ingest does after its last document: the keyword index and the entity table for
    # the library as it now stands (a no-op when a reused build has them on disk).
    build["caches_s"] = _timed(library.refresh_caches) / 1000
    result = {"target_nodes": a["nodes"], "nodes": library.store.count(),
              "documents": len(library.store.ready_versions()),
              "store": "server" if a.get("chroma_url") else "embedded", "build": build,
              "model_load_seconds": model_load_s}
    result.update(measure_queries(library, a["questions"], a["rounds"]))
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def task_llm(a: dict) -> dict:
    """Time to first token and decode rate of the local model (the first of `models` that is
    installed), one prompt of the size an answer prompt has."""
    from listlens.index.errors import LLMUnavailable
    from listlens.index.llm import make_generator

    # llama.cpp threads wait on each other every token: on busy cores one thread is fastest.
    threads = 1 if os.getloadavg()[0] >= (os.cpu_count() or 1) else None
    skipped = []
    for name in a["models"]:
        generator = make_generator("local", model=name, cache_dir=Path(a["cache_dir"]),
                                   n_threads=threads)
        try:
            started = time.perf_counter()
            generator.check()
            load_s = time.perf_counter() - started
            messages = [{"role": "user", "content": a["prompt"]}]
            started = time.perf_counter()
            first, pieces = None, 0
            for _ in generator.stream(messages, max_tokens=a["max_tokens"]):
                if first is None:
                    first = time.perf_counter()
                pieces += 1
            end = time.perf_counter()
        except LLMUnavailable as exc:
            skipped.append(f"{name}: {exc}")
            continue
        decode_s = end - (first or end)
        return {"model": name, "n_threads": threads or os.cpu_count(), "load_seconds": load_s,
                "ttft_ms": ((first or end) - started) * 1000, "tokens": pieces,
                "tokens_per_s": (pieces - 1) / decode_s if pieces > 1 and decode_s > 0 else 0.0,
                "peak_rss_mb": peak_rss_mb()}
    return {"skipped": "; ".join(skipped)}


def task_screen(args: dict) -> dict:
    from listlens.evals.screen_bench import run

    return run(**args)


def task_quality(a: dict) -> dict:
    """Dev-set retrieval quality and end-to-end eval ingest time per encoder, each in its own
    collection (the float model is the reference the others are held to)."""
    from listlens.evals.gold import load_gold
    from listlens.evals.metrics import score
    from listlens.evals.runner import run_listlens

    corpus = Path(a["corpus"]).resolve()
    gold = load_gold(Path(a["gold"]), corpus)
    out: dict[str, Any] = {"questions": len(gold), "configs": []}
    for spec in a["configs"]:
        config = _config(a["data_dir"], "quality_" + spec["label"], model_dir=a.get("model_dir"),
                         encoder=spec["encoder"], record_tokens=spec.get("record_tokens"))
        c = cpu_seconds()
        preds, report, _ = run_listlens(config, corpus, gold, lambda msg: print(msg, file=sys.stderr))
        overall = score(gold, preds)["overall"]
        got = {k: overall.get(k) for k in (
            "evidence_recall@1", "evidence_recall@5", "evidence_recall@10", "answer_accuracy",
            "refusal_accuracy", "citation_support")}
        got.update(spec, ingest_seconds=report["seconds"], nodes=report["nodes"],
                   cpu_seconds=cpu_seconds() - c)
        out["configs"].append(got)
        print(json.dumps(got), file=sys.stderr, flush=True)
    return out


TASKS = {"screen": task_screen, "ingest": task_ingest, "quality": task_quality, "naive": task_naive, "scale": task_scale, "llm": task_llm}


def main() -> None:
    os.environ.setdefault("TQDM_DISABLE", "1")
    task, args = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[task](args)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
