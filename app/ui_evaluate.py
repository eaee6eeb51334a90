"""The Evaluate and Summarize tabs' logic.

Evaluate runs a gold set against the library the UI is serving (not a separate eval collection
like `listlens eval`), so an analyst measures exactly what they are using; the scoring, the chart
and the report format are the eval harness's own (`evals/`). A summary gold set
(`evals/summaries.py`; the bundled one is SAMPLE_SUMMARY_GOLD) is recognised by its shape and
scored with the summary metrics instead.
"""

from __future__ import annotations

import tempfile
from listlens.index.errors import InvalidInput
from collections.abc import Callable
from pathlib import Path
from typing import Any


SAMPLE_GOLD = Path(__file__).parent / "sample_gold.jsonl"
SAMPLE_SUMMARY_GOLD = Path(__file__).parent / "sample_summary_gold.jsonl"
SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"
METRIC_COLUMNS = ["scope", "n", "accuracy", "refusal_accuracy", "false_answer_rate",
                  "citation_support", "evidence_recall@5", "latency_p50_s"]
FAILURE_COLUMNS = ["id", "kind", "question", "expected", "got"]


def is_summary_gold(gold_path: Path) -> bool:
    """A summary gold set (evals/summaries.py) names documents or date ranges, not questions."""
    import json

    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                first = json.loads(line)
            except json.JSONDecodeError:
                return False  # load_gold reports the line and why
            return isinstance(first, dict) and "question" not in first and \
                bool(first.get("doc") or first.get("since"))
    return False


def run_gold_on_library(library, gold_path: Path, limit: int | None = None,
                        progress: Callable[[float, str], None] | None = None) -> dict[str, Any]:
    """Ask every gold question (or, for a summary gold set, summarize every item), score with
    evals; returns metrics, rows and chart path."""
    from listlens.evals.gold import load_gold
    from listlens.evals.metrics import score
    from listlens.evals.report import write_chart
    from listlens.evals.runner import prediction

    if is_summary_gold(Path(gold_path)):
        return run_summary_gold_on_library(library, Path(gold_path), limit, progress)
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


def run_summary_gold_on_library(library, gold_path: Path, limit: int | None = None,
                                progress: Callable[[float, str], None] | None = None
                                ) -> dict[str, Any]:
    """Summarize every item of a summary gold set with the served library and score it."""
    from listlens.evals.summaries import (load_summary_gold, run_summary_gold, score_summaries,
                                          write_summary_chart)

    gold = load_summary_gold(gold_path, SAMPLE_CORPUS)[: limit or None]
    if not gold:
        raise ValueError("The summary gold set holds no items.")
    preds = []
    for i, item in enumerate(gold):
        if progress:
            progress(i / len(gold), f"summary {i + 1}/{len(gold)}")
        preds += run_summary_gold(library, [item])
    scored = {**score_summaries(gold, preds), "summaries": True}
    chart = Path(tempfile.mkdtemp(prefix="listlens-eval-")) / "chart.png"
    write_summary_chart(scored, chart)
    if progress:
        progress(1.0, "scored")
    return {"scored": scored, "gold": gold, "predictions": preds, "chart": str(chart)}


SUMMARY_METRIC_COLUMNS = ["scope", "n", "row_precision", "row_recall", "action_accuracy",
                          "reason_support", "count_agreement", "spurious_rows"]


def metric_rows(scored: dict[str, Any]) -> list[list[Any]] | dict[str, Any]:
    """The metrics table: rows under METRIC_COLUMNS, or for summaries a table with its own
    headers (SUMMARY_METRIC_COLUMNS) that replaces the question columns."""
    if scored.get("summaries"):
        scopes = [("overall", scored["overall"]), *scored["by_split"].items()]
        return {"headers": SUMMARY_METRIC_COLUMNS,
                "data": [[scope, *(m.get(c) for c in SUMMARY_METRIC_COLUMNS[1:])]
                         for scope, m in scopes]}

    def row(scope: str, m: dict) -> list[Any]:
        accuracy = m.get("accuracy", m.get("answer_accuracy"))
        return [scope, m["n"], accuracy, m["refusal_accuracy"], m["false_answer_rate"],
                m["citation_support"], m.get("evidence_recall@5"), m["latency_p50_s"]]

    return [row("overall", scored["overall"])] + \
        [row(f"{half} half", m) for half, m in scored.get("by_split", {}).items()] + \
        [row(kind, m) for kind, m in sorted(scored["by_kind"].items())]


def failure_rows(result: dict[str, Any]) -> list[list[Any]]:
    if result["scored"].get("summaries"):
        return summary_failure_rows(result)
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


def summary_failure_rows(result: dict[str, Any]) -> list[list[Any]]:
    """Per summary item with a miss: id, kind, what was summarized, missed rows, what went wrong."""
    by_id = {g.id: g for g in result["gold"]}
    rows = []
    for r in result["scored"]["items"]:
        problems = []
        if r.get("error"):
            problems.append(f"error: {r['error']}")
        if r.get("spurious"):
            problems.append("rows not expected: " + "; ".join(r["spurious"]))
        if r.get("matched") and r.get("actions_ok", 0) < r["matched"]:
            problems.append(f"wrong action on {r['matched'] - r['actions_ok']} rows")
        if r["counts_ok"] < r["counts_expected"]:
            problems.append(f"headline states {r['counts_ok']} of {r['counts_expected']} counts")
        if not (problems or r.get("missed")):
            continue
        g = by_id[r["id"]]
        what = Path(g.doc).name if g.doc else f"{g.since} to {g.until or 'now'}"
        rows.append([g.id, g.kind, what, "missed: " + "; ".join(r.get("missed") or []) if
                     r.get("missed") else "", " · ".join(problems)[:500]])
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
