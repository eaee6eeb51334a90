"""The Evaluate and Summarize tabs' logic.

Evaluate runs a gold set against the library the UI is serving (not a separate eval collection
like `listlens eval`), so an analyst measures exactly what they are using; the scoring, the chart
and the report format are the eval harness's own (`evals/`).
"""

from __future__ import annotations

import tempfile
from listlens.index.errors import InvalidInput
from collections.abc import Callable
from pathlib import Path
from typing import Any


SAMPLE_GOLD = Path(__file__).parent / "sample_gold.jsonl"
SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"
METRIC_COLUMNS = ["scope", "n", "accuracy", "refusal_accuracy", "false_answer_rate",
                  "citation_support", "evidence_recall@5", "latency_p50_s"]
FAILURE_COLUMNS = ["id", "kind", "question", "expected", "got"]


def run_gold_on_library(library, gold_path: Path, limit: int | None = None,
                        progress: Callable[[float, str], None] | None = None) -> dict[str, Any]:
    """Ask every gold question, score with evals.metrics; returns metrics, rows and chart path."""
    from listlens.evals.gold import load_gold
    from listlens.evals.metrics import score
    from listlens.evals.report import write_chart
    from listlens.evals.runner import prediction

    gold = load_gold(Path(gold_path), SAMPLE_CORPUS)
    if limit:
        gold = gold[:limit]
    if not gold:
        raise InvalidInput("The gold set holds no questions.")
    preds = []
    for i, item in enumerate(gold):
        if progress:
            progress(i / len(gold), f"question {i + 1}/{len(gold)}")
        answer = library.ask(item.question)
        preds.append(prediction(item, answer, answer.retrieved))
    scored = score(gold, preds)
    metrics = {"configs": ["listlens"], "results": {"listlens": scored}}
    chart = Path(tempfile.mkdtemp(prefix="listlens-eval-")) / "chart.png"
    write_chart(metrics, chart)
    if progress:
        progress(1.0, "scored")
    return {"scored": scored, "gold": gold, "predictions": preds, "chart": str(chart)}


def metric_rows(scored: dict[str, Any]) -> list[list[Any]]:
    def row(scope: str, m: dict) -> list[Any]:
        accuracy = m.get("accuracy", m.get("answer_accuracy"))
        return [scope, m["n"], accuracy, m["refusal_accuracy"], m["false_answer_rate"],
                m["citation_support"], m.get("evidence_recall@5"), m["latency_p50_s"]]

    return [row("overall", scored["overall"])] + [row(kind, m) for kind, m in
                                                  sorted(scored["by_kind"].items())]


def failure_rows(result: dict[str, Any]) -> list[list[Any]]:
    by_id = {g.id: g for g in result["gold"]}
    preds = {p["id"]: p for p in result["predictions"]}
    rows = []
    for r in result["scored"]["items"]:
        if r["correct"]:
            continue
        item, pred = by_id[r["id"]], preds[r["id"]]
        got = ("REFUSED: " if pred["refused"] else "") + pred["answer"]
        rows.append([item.id, item.kind, item.question, item.answer, got[:500]])
    return rows


# --- Summarize ------------------------------------------------------------------------------

def run_summary(library, doc_ids: list[str] | None, since: str, until: str, source: str,
                backend: str | None) -> tuple[dict[str, Any], str, str | None]:
    """(summary dict, markdown, path of the entity table as CSV)."""
    summary = library.summarize(doc_ids=doc_ids or None, since=(since or "").strip() or None,
                                until=(until or "").strip() or None,
                                source=(source or "").strip() or None,
                                backend=None if backend in (None, "", "extractive") else backend)
    data = summary.to_dict()
    csv_path = None
    if hasattr(summary, "to_csv"):
        csv_path = Path(tempfile.mkdtemp(prefix="listlens-summary-")) / "entities.csv"
        csv_path.write_text(summary.to_csv(), encoding="utf-8")
    markdown = summary.to_markdown() if hasattr(summary, "to_markdown") else ""
    return data, markdown, str(csv_path) if csv_path else None


SUMMARY_COLUMNS = ["entity", "countries", "list_name", "action", "reason", "fr_citation",
                   "published", "effective", "citations"]


def entity_rows(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The summary's entity table as (headers, rows); citations as [n] markers."""
    rows = data.get("rows") or []
    return SUMMARY_COLUMNS, [[("".join(f"[{n}]" for n in r.get("citations", [])) if h == "citations"
                               else _cell(r.get(h))) for h in SUMMARY_COLUMNS] for r in rows]


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value
