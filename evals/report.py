"""The human side of an eval run: report.md (configurations side by side, then every failure)
and chart.png (accuracy per kind, latency histogram)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from listlens.evals.gold import KINDS, GoldItem
from listlens.evals.split import CHECK, GAP_FINDING, TUNE

HEADLINE = ["answer_accuracy", "refusal_accuracy", "false_answer_rate", "citation_support",
            "citation_file_precision", "evidence_recall@1", "evidence_recall@5",
            "evidence_recall@10", "evidence_file_recall@10", "latency_p50_s", "latency_p95_s"]
PER_KIND = ["n", "accuracy", "false_answer_rate", "citation_support", "citation_file_precision",
            "evidence_recall@5", "latency_p50_s"]


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _cell(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


def write_report(metrics: dict, gold: list[GoldItem], predictions: dict[str, list[dict]]) -> str:
    from listlens.evals.summaries import summary_report

    summaries = []
    for label, result in metrics.get("summaries", {}).items():
        summaries += summary_report(result, metrics["summary_gold"], label)
    if not metrics["configs"]:
        return "\n".join(summaries)
    return "\n".join([qa_report(metrics, gold, predictions), "", *summaries])


def qa_report(metrics: dict, gold: list[GoldItem], predictions: dict[str, list[dict]]) -> str:
    results, labels = metrics["results"], metrics["configs"]
    lines = [f"# Evaluation: {Path(metrics['gold']).name}", "",
             f"{metrics['n']} questions over `{metrics['corpus']}`; configurations: "
             + ", ".join(f"`{label}` ({results[label]['backend']})" for label in labels) + ".",
             "Metrics are defined in `evals/metrics.py`. Latencies are in seconds.", "",
             "## Overall", ""]
    lines += _table(["metric", *labels],
                    [[m, *(results[label]["overall"].get(m) for label in labels)] for m in HEADLINE])
    lines += split_section(results, labels)
    lines += ["## Per question kind", ""]
    kinds = [k for k in KINDS if any(k in results[label]["by_kind"] for label in labels)]
    kinds += sorted({k for label in labels for k in results[label]["by_kind"]} - set(kinds))
    for kind in kinds:
        lines += [f"### {kind}", ""]
        rows = [[m, *(results[label]["by_kind"].get(kind, {}).get(m) for label in labels)]
                for m in PER_KIND]
        lines += _table(["metric", *labels], rows)
    if any("by_template" in results[label] for label in labels):
        lines += ["## Per template (generated questions)", ""]
        templates = sorted({t for label in labels for t in results[label].get("by_template", {})})
        lines += _table(["template", "n", *(f"{label} accuracy" for label in labels),
                         *(f"{label} false answers" for label in labels)],
                        [[t, _first_n(results, labels, t),
                          *(results[label].get("by_template", {}).get(t, {}).get("accuracy")
                            for label in labels),
                          *(results[label].get("by_template", {}).get(t, {}).get("false_answer_rate")
                            for label in labels)] for t in templates])
    by_id = {item.id: item for item in gold}
    for label in labels:
        preds = {p["id"]: p for p in predictions[label]}
        failed = [r for r in results[label]["items"] if not r["correct"]]
        lines += [f"## Failures of `{label}` ({len(failed)} of {len(results[label]['items'])})", ""]
        for r in failed:
            item, pred = by_id[r["id"]], preds[r["id"]]
            got = ("REFUSED: " if pred["refused"] else "") + pred["answer"]
            lines += [f"### {item.id} ({item.kind})", "",
                      f"- **Question:** {_cell(item.question)}",
                      f"- **Expected:** {_cell(item.answer)}"
                      + (f" (aliases: {_cell('; '.join(item.aliases), 200)})" if item.aliases else ""),
                      f"- **Got:** {_cell(got, 600)}"]
            for c in pred["citations"]:
                lines.append(f"  - cited `{Path(c['file']).name}` [{c['start']}–{c['end']}]: "
                             f"“{_cell(c['text'], 240)}”")
            if item.evidence:
                lines.append(f"- **Gold evidence:** `{Path(item.evidence[0].file).name}`: "
                             f"“{_cell(item.evidence[0].quote, 240)}”")
            lines.append("")
    return "\n".join(lines)


def _first_n(results: dict, labels: list[str], template: str) -> Any:
    return next((results[lb]["by_template"][template]["n"] for lb in labels
                 if template in results[lb].get("by_template", {})), None)


def split_findings(result: dict) -> list[str]:
    """One line per metric whose tune and check halves differ by more than GAP_FINDING."""
    return [f"{metric}: tune {result['by_split'][TUNE][metric]:.2f} vs check "
            f"{result['by_split'][CHECK][metric]:.2f} (gap {gap:+.2f})"
            for metric, gap in result.get("split_gap", {}).items() if abs(gap) > GAP_FINDING]


def split_section(results: dict, labels: list[str]) -> list[str]:
    """The tune and check halves side by side, and the gaps worth explaining."""
    if not any(results[label].get("by_split") for label in labels):
        return []
    lines = ["## Tune and check halves", "",
             f"The gold set split with a fixed seed (`evals/split.py`): tune on `{TUNE}`, judge "
             f"on `{CHECK}`. A gap larger than {GAP_FINDING} is a finding to explain.", ""]
    header = ["metric"]
    for label in labels:
        header += [f"{label} {TUNE}", f"{label} {CHECK}", f"{label} gap"]
    rows = []
    for metric in ("n", *HEADLINE):
        row: list[Any] = [metric]
        for label in labels:
            halves = results[label].get("by_split", {})
            row += [halves.get(TUNE, {}).get(metric), halves.get(CHECK, {}).get(metric),
                    results[label].get("split_gap", {}).get(metric)]
        rows.append(row)
    lines += _table(header, rows)
    for label in labels:
        for finding in split_findings(results[label]):
            lines.append(f"- **Finding (`{label}`):** {finding}")
    return lines + [""]


def write_chart(metrics: dict, path: Path) -> None:
    """Accuracy per kind (one bar per configuration) and the latency histogram."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed
    import matplotlib.pyplot as plt

    results, labels = metrics["results"], metrics["configs"]
    kinds = [k for k in KINDS if any(k in results[lb]["by_kind"] for lb in labels)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    width = 0.8 / max(1, len(labels))
    every = [r["latency_s"] for lb in labels for r in results[lb]["items"]] or [0.0]
    bins = [min(every) + (max(every) - min(every)) * i / 20 for i in range(21)]  # shared bins
    for i, label in enumerate(labels):
        values = [results[label]["by_kind"].get(k, {}).get("accuracy") or 0.0 for k in kinds]
        left.bar([x + i * width for x in range(len(kinds))], values, width, label=label)
        latencies = [r["latency_s"] for r in results[label]["items"]]
        right.hist(latencies, bins=bins if max(every) > min(every) else 1, alpha=0.6,
                  label=label)
    left.set_xticks([x + width * (len(labels) - 1) / 2 for x in range(len(kinds))], kinds,
                    rotation=30, ha="right")
    left.set_ylim(0, 1)
    left.set_ylabel("accuracy (refusal accuracy for unanswerable)")
    left.set_title("Accuracy per question kind")
    left.legend()
    right.set_xlabel("seconds per question")
    right.set_ylabel("questions")
    right.set_title("Latency")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
