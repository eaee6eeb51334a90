"""Run a gold set through one or more configurations and write predictions, metrics and a report.

A configuration is `listlens` (the current pipeline), `naive` (evals/baseline.py), or either
with settings changed: `listlens:top_k=12+min_evidence_score=0.4`. The corpus is indexed into
its own collection (`evals.gold.corpus_collection`), never into the user's library; a second
run over the same corpus re-indexes only documents whose parse changed (`ingest_corpus`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listlens.index.errors import InvalidInput
from listlens.evals.gold import GoldItem, corpus_collection, load_gold
from listlens.evals.metrics import score
from listlens.index.config import IndexConfig
from listlens.index.types import Answer

PIPELINES = ("listlens", "naive")
RETRIEVED_SHOWN = 10


@dataclass
class RunSpec:
    label: str  # as written on the command line, e.g. "listlens:top_k=12"
    pipeline: str
    overrides: dict[str, Any] = field(default_factory=dict)


def parse_specs(text: str, base: IndexConfig) -> list[RunSpec]:
    specs = []
    for label in [s.strip() for s in text.split(",") if s.strip()]:
        pipeline, _, rest = label.partition(":")
        if pipeline not in PIPELINES:
            raise InvalidInput(f"unknown configuration '{pipeline}'; choose from {', '.join(PIPELINES)}")
        overrides = {}
        for pair in filter(None, rest.split("+")):
            key, _, value = pair.partition("=")
            if not hasattr(base, key) or key in ("data_dir", "collection", "chroma_url"):
                raise InvalidInput(f"'{key}' in '{label}' is not a setting an eval run can change")
            current = getattr(base, key)
            overrides[key] = type(current)(value) if current is not None else value
        specs.append(RunSpec(label, pipeline, overrides))
    if len({s.label for s in specs}) != len(specs):
        raise InvalidInput("each configuration may appear only once in --compare")
    return specs


def eval_config(base: IndexConfig, corpus: Path, spec: RunSpec) -> IndexConfig:
    """The library settings for one configuration: the corpus's own collection, and one per
    chunking when a configuration changes it (the chunks themselves differ then)."""
    config = dataclasses.replace(base, **spec.overrides)
    if spec.pipeline == "naive" and "backend" not in spec.overrides:
        # The baseline is the same reference whichever backend ListLens is measured with.
        config = dataclasses.replace(config, backend="extractive")
    collection = corpus_collection(corpus)
    if (config.chunk_size, config.chunk_overlap) != (base.chunk_size, base.chunk_overlap):
        collection += f"_c{config.chunk_size}_{config.chunk_overlap}"
    return dataclasses.replace(config, collection=collection)


def prediction(item: GoldItem, answer: Answer, retrieved: list) -> dict[str, Any]:
    """One line of predictions.jsonl, in the shape other tools read."""
    return {"id": item.id, "question": item.question, "answer": answer.text,
            "refused": bool(answer.refused),
            "citations": [{"file": c.file, "text": c.text, "start": c.start, "end": c.end}
                          for c in answer.citations],
            "retrieved": [{"file": p.source, "text": p.text} for p in retrieved[:RETRIEVED_SHOWN]],
            "latency_s": round(answer.latency_s, 4), "backend": answer.backend}


def run_listlens(config: IndexConfig, corpus: Path, gold: list[GoldItem],
                 log: Callable[[str], None]) -> tuple[list[dict], dict]:
    from listlens.index.library import Library

    library = Library(config)
    started = time.perf_counter()
    report = ingest_corpus(library, corpus, config, log)
    report.seconds = time.perf_counter() - started
    log(f"listlens: {report.added} documents (re)indexed, {report.unchanged} unchanged, "
        f"{report.nodes:,} nodes written in {report.seconds:.0f} s")
    preds = []
    for item in gold:
        answer = library.ask(item.question)
        # Ranked top 10 for recall@10 even when the answer used fewer: the same fused ranking,
        # read further (outside the timed call).
        retrieved = answer.retrieved if len(answer.retrieved) >= RETRIEVED_SHOWN else \
            library.retrieve(item.question, RETRIEVED_SHOWN)
        preds.append(prediction(item, answer, retrieved))
    return preds, report.to_dict()


def run_naive(config: IndexConfig, corpus: Path, gold: list[GoldItem],
              log: Callable[[str], None]) -> tuple[list[dict], dict]:
    from listlens.evals.baseline import NaivePipeline

    pipeline = NaivePipeline(config)
    report = pipeline.ingest(corpus)
    log(f"naive: {report['nodes']:,} nodes written")
    preds = []
    for item in gold:
        answer = pipeline.ask(item.question)
        preds.append(prediction(item, answer, answer.retrieved))
    return preds, report


def run_eval(gold_path: Path, corpus: Path, out: Path, base: IndexConfig, compare: str = "listlens",
             log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run every configuration, write predictions*.jsonl, metrics.json, report.md, chart.png."""
    from listlens.evals.report import write_chart, write_report

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    corpus = Path(corpus).resolve()
    if not corpus.is_dir():
        raise InvalidInput(f"the corpus folder {corpus} does not exist")
    gold = load_gold(gold_path, corpus)
    if not gold:
        raise InvalidInput(f"the gold set {gold_path} holds no items")
    specs = parse_specs(compare, base)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for n, spec in enumerate(specs):
        config = eval_config(base, corpus, spec)
        log(f"[{spec.label}] collection {config.collection} in {config.chroma_url or config.data_dir}")
        runner = run_listlens if spec.pipeline == "listlens" else run_naive
        preds, ingest_report = runner(config, corpus, gold, log)
        # The first configuration is the one predictions.jsonl holds; others get their own file.
        name = "predictions.jsonl" if n == 0 else f"predictions-{_slug(spec.label)}.jsonl"
        (out / name).write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds),
                                encoding="utf-8")
        results[spec.label] = {"predictions_file": name, "backend": config.backend,
                               "settings": {"collection": config.collection, "top_k": config.top_k,
                                            **spec.overrides},
                               "ingest": ingest_report, **score(gold, preds)}
        log(f"[{spec.label}] " + ", ".join(f"{k}={v}" for k, v in results[spec.label]["overall"].items()
                                          if k in ("answer_accuracy", "refusal_accuracy",
                                                   "false_answer_rate", "citation_support")))
    metrics = {"gold": str(gold_path), "corpus": str(corpus), "n": len(gold),
               "configs": [s.label for s in specs], "results": results}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    predictions = {label: _read_jsonl(out / r["predictions_file"]) for label, r in results.items()}
    (out / "report.md").write_text(write_report(metrics, gold, predictions), encoding="utf-8")
    write_chart(metrics, out / "chart.png")
    return metrics


def ingest_corpus(library, corpus: Path, config: IndexConfig, log: Callable[[str], None]):
    """Index the corpus, re-indexing a document only when what the library would make of it
    changed. The library keys a document's version on its file's bytes; here the version is a
    fingerprint of the parse (text, sections, metadata) and of the chunker, so a parser or
    chunker change is measured instead of the stale chunks of the old code."""
    from listlens.index.library import IngestReport
    from listlens.ingest.errors import IngestError
    from listlens.ingest.readers import iter_files, read_path

    library.ingest([])  # indexes nothing, but first clears what an interrupted run left
    report = IngestReport()
    progress = _progress(log)
    for path in iter_files([corpus]):
        report.files += 1
        try:
            docs = read_path(path, int(config.max_file_mb * 1024 * 1024))
        except IngestError as exc:
            report.failures.append((str(path), exc.reason))
            continue
        for doc in docs:
            doc.metadata["content_hash"] = parse_fingerprint(doc, config)
            one = library.add_document(doc, progress)
            report.added += one.added + one.replaced
            report.unchanged += one.unchanged
            report.nodes += one.nodes
            report.failures += one.failures
    return report


def parse_fingerprint(doc, config: IndexConfig) -> str:
    import listlens.ingest.chunking

    h = hashlib.sha1(str(doc.metadata.get("content_hash", "")).encode())
    h.update(doc.text.encode())
    h.update(json.dumps(doc.metadata, sort_keys=True, default=str).encode())
    for sec in doc.sections or []:
        h.update(json.dumps([sec.start, sec.end, sec.kind, sec.metadata], sort_keys=True,
                            default=str).encode())
    h.update(Path(listlens.ingest.chunking.__file__).read_bytes())
    h.update(f"{config.chunk_size}/{config.chunk_overlap}".encode())
    return h.hexdigest()[:16]


def _progress(log: Callable[[str], None]):
    def progress(source: str, done: int, total: int) -> None:
        if done == total or done % 8192 == 0:
            log(f"  indexing {Path(source).name}: {done:,}/{total:,} nodes")
    return progress


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
