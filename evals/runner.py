"""Run a gold set through one or more configurations and write predictions, metrics and a report.

A configuration is `listlens` (the current pipeline), `naive` (evals/baseline.py), or either
with settings changed: `listlens:top_k=12+min_evidence_score=0.4`. The corpus is indexed into
its own collection (`evals.gold.corpus_collection`), never into the user's library; a second
run over the same corpus re-indexes only documents whose parse changed (`ingest_corpus`).
When the user's library already holds exactly the corpus, with the same parse, the run reads
that library instead (`library_matches`) and indexes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listlens.evals.gold import GoldItem, corpus_collection, load_gold
from listlens.evals.metrics import score
from listlens.index.config import IndexConfig
from listlens.index.errors import InvalidInput
from listlens.index.types import Answer

PIPELINES = ("listlens", "naive")
Log = Callable[[str], None]
Progress = Callable[[str, int, int], None]  # (stage, done, total)
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


def run_listlens(config: IndexConfig, corpus: Path, gold: list[GoldItem], log: Log,
                 progress: Progress | None = None, users: IndexConfig | None = None,
                 summary_gold: list | None = None) -> tuple[list[dict], dict, list[dict] | None]:
    """`users`: the user's library settings; read instead of indexing when it holds the corpus."""
    from listlens.index.library import IngestReport, Library

    started = time.perf_counter()
    reused = users is not None and library_matches(Library(users), corpus, config)
    if reused:
        library = Library(dataclasses.replace(config, collection=users.collection))
        report = IngestReport(unchanged=reused)
        log(f"listlens: the library '{users.collection}' holds exactly these {reused} documents "
            f"with the same parse: evaluating against it, indexing nothing")
    else:
        library = Library(config)
        report = ingest_corpus(library, corpus, config, log, progress)
    report.seconds = time.perf_counter() - started
    log(f"listlens: {report.added + report.replaced} documents (re)indexed, {report.unchanged} unchanged, "
        f"{report.nodes:,} nodes written in {report.seconds:.0f} s")
    preds = []
    for n, item in enumerate(gold):
        if progress:
            progress("answering", n, len(gold))
        answer = library.ask(item.question)
        # Ranked top 10 for recall@10 even when the answer used fewer: the same fused ranking,
        # read further (outside the timed call).
        retrieved = answer.retrieved if len(answer.retrieved) >= RETRIEVED_SHOWN else \
            library.retrieve(item.question, RETRIEVED_SHOWN)
        preds.append(prediction(item, answer, retrieved))
    if progress:
        progress("answering", len(gold), len(gold))
    summaries = None
    if summary_gold:
        from listlens.evals.summaries import run_summary_gold

        summaries = run_summary_gold(library, summary_gold)
    return preds, {**report.to_dict(), "read_library": users.collection if reused else None}, summaries


def run_naive(config: IndexConfig, corpus: Path, gold: list[GoldItem], log: Log,
              progress: Progress | None = None, users: IndexConfig | None = None
              ) -> tuple[list[dict], dict]:
    from listlens.evals.baseline import NaivePipeline

    pipeline = NaivePipeline(config)
    report = pipeline.ingest(corpus)
    log(f"naive: {report['nodes']:,} nodes written")
    preds = []
    for n, item in enumerate(gold):
        if progress:
            progress("answering (naive)", n, len(gold))
        answer = pipeline.ask(item.question)
        preds.append(prediction(item, answer, answer.retrieved))
    return preds, report, None  # the baseline has no summarizer


def run_eval(gold_path: Path | None, corpus: Path, out: Path, base: IndexConfig,
             compare: str = "listlens", log: Log | None = None, progress: Progress | None = None,
             summary_gold_path: Path | None = None) -> dict[str, Any]:
    """Run every configuration on the QA gold set and, for ListLens configurations, the summary
    gold set; write predictions*.jsonl, summaries*.jsonl, metrics.json, report.md, chart.png.
    `progress` hears of nodes indexed and questions answered, stage by stage."""
    from listlens.evals.report import write_chart, write_report
    from listlens.evals.summaries import load_summary_gold, score_summaries

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    corpus = Path(corpus).resolve()
    if not corpus.is_dir():
        raise InvalidInput(f"the corpus folder {corpus} does not exist")
    if gold_path is None and summary_gold_path is None:
        raise InvalidInput("give a QA gold set, a summary gold set, or both")
    gold = load_gold(gold_path, corpus) if gold_path else []
    if gold_path and not gold:
        raise InvalidInput(f"the gold set {gold_path} holds no items")
    summary_gold = load_summary_gold(summary_gold_path, corpus) if summary_gold_path else []
    if summary_gold_path and not summary_gold:
        raise InvalidInput(f"the summary gold set {summary_gold_path} holds no items")
    specs = parse_specs(compare, base)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    summary_results: dict[str, Any] = {}
    for n, spec in enumerate(specs):
        config = eval_config(base, corpus, spec)
        log(f"[{spec.label}] collection {config.collection} in {config.chroma_url or config.data_dir}")
        if spec.pipeline == "listlens":
            preds, ingest_report, summaries = run_listlens(config, corpus, gold, log, progress,
                                                           users=base, summary_gold=summary_gold)
        else:
            preds, ingest_report, summaries = run_naive(config, corpus, gold, log, progress,
                                                        users=base)
        suffix = "" if n == 0 else f"-{_slug(spec.label)}"
        if summaries is not None:
            name = f"summaries{suffix}.jsonl"
            _write_jsonl(out / name, summaries)
            summary_results[spec.label] = {"predictions_file": name,
                                           **score_summaries(summary_gold, summaries)}
            log(f"[{spec.label}] summaries: " + ", ".join(
                f"{k}={v}" for k, v in summary_results[spec.label]["overall"].items()))
        if not gold:
            continue
        # The first configuration is the one predictions.jsonl holds; others get their own file.
        name = f"predictions{suffix}.jsonl"
        _write_jsonl(out / name, preds)
        results[spec.label] = {"predictions_file": name, "backend": config.backend,
                               "settings": {"collection": config.collection, "top_k": config.top_k,
                                            **spec.overrides},
                               "ingest": ingest_report, **score(gold, preds)}
        log(f"[{spec.label}] " + ", ".join(f"{k}={v}" for k, v in results[spec.label]["overall"].items()
                                          if k in ("answer_accuracy", "refusal_accuracy",
                                                   "false_answer_rate", "citation_support")))
    metrics = {"gold": str(gold_path or ""), "corpus": str(corpus), "n": len(gold),
               "configs": [s.label for s in specs] if gold else [], "results": results}
    if summary_gold:
        metrics["summary_gold"] = str(summary_gold_path)
        metrics["summaries"] = summary_results
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    predictions = {label: _read_jsonl(out / r["predictions_file"]) for label, r in results.items()}
    (out / "report.md").write_text(write_report(metrics, gold, predictions), encoding="utf-8")
    if gold:
        write_chart(metrics, out / "chart.png")
    return metrics


def generate_gold(out: Path, base: IndexConfig, corpus: Path | None = None,
                  per_template: int = 20, seed: int | None = None,
                  log: Callable[[str], None] | None = None) -> list[dict]:
    """Write a generated gold set (evals/generate.py) to `out`: from `corpus` indexed in its
    eval collection (as `run_eval` would index it), or from the library `base` points at."""
    from listlens.evals.generate import SEED, generate, write_gold
    from listlens.index.library import Library

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    config = base
    if corpus is not None:
        corpus = Path(corpus).resolve()
        if not corpus.is_dir():
            raise InvalidInput(f"the corpus folder {corpus} does not exist")
        config = eval_config(base, corpus, RunSpec("listlens", "listlens"))
    library = Library(config)
    if corpus is not None:
        ingest_corpus(library, corpus, config, log)
    items = generate(library.store, per_template, SEED if seed is None else seed)
    if not items:
        raise InvalidInput("the library holds no list records or Federal Register documents "
                         "to generate questions from")
    write_gold(items, out)
    return items


def ingest_corpus(library, corpus: Path, config: IndexConfig, log: Log,
                  progress: Progress | None = None):
    """Index the corpus, re-indexing a document only when what the library would make of it
    changed. The library keys a document's version on its file's bytes; here the version is a
    fingerprint of the parse (text, sections, metadata) and of the chunker, so a parser or
    chunker change is measured instead of the stale chunks of the old code."""
    return library.ingest([corpus], progress or _progress(log),
                          version=lambda doc: parse_fingerprint(doc, config))


def library_matches(library, corpus: Path, config: IndexConfig) -> int:
    """The number of documents, when `library` holds exactly the corpus' documents, each with
    the parse this code makes of it now and the same encoder (else 0)."""
    from listlens.ingest.chunking import doc_id_for
    from listlens.ingest.errors import IngestError
    from listlens.ingest.readers import iter_files, read_path

    ready = library.store.ready_catalog()
    if not ready:
        return 0
    seen = set()
    for path in iter_files([corpus]):
        try:
            docs = read_path(path, int(config.max_file_mb * 1024 * 1024))
        except IngestError:
            return 0
        for doc in docs:
            entry = ready.get(doc_id_for(doc.source), {})
            # A library records the parse beside the file's version; an eval collection uses
            # the parse as the version.
            if parse_fingerprint(doc, config) not in (entry.get("parse"), entry.get("version")):
                return 0
            seen.add(doc_id_for(doc.source))
    return len(seen) if seen == set(ready) else 0


def parse_fingerprint(doc, config: IndexConfig) -> str:
    from listlens.index.library import parse_fingerprint as fingerprint

    return fingerprint(doc, config)


def _progress(log: Callable[[str], None]):
    def progress(source: str, done: int, total: int) -> None:
        if done == total or done % 8192 == 0:
            log(f"  indexing {Path(source).name}: {done:,}/{total:,} nodes")
    return progress


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in label)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
