"""Summary gold sets: the format, running `Library.summarize` on each item, and the metrics.

A summary gold item is one JSON line:

    {"id": "sum-…", "kind": "news_table", "split": "tune",
     "doc": "shared/corpus/raw/news/….md"            (or "since"/"until": ISO dates),
     "rows": [{"subject": "NSO Group", "aliases": ["…"], "action": "added" (or a list of
               acceptable actions), "list": "Entity List", "country": "Israel",
               "reason_quote": "spyware"}, …]      (omitted: rows are not judged),
     "counts": [{"n": 28, "what": "entities", "action": "added", "list": "Entity List"}, …],
     "notes": "…"}

Metrics, pooled over the items that judge them (no LLM judge; every rule is written here):
- **Row precision**: share of produced rows that match an expected row. **Row recall**: share
  of expected rows matched. Rows match one to one, best first, when their subjects are the same
  name: equal after `index.entities.normalize` (case, accents, punctuation, legal forms), or
  `rapidfuzz.fuzz.ratio` ≥ NAME_SIMILARITY on the normalised names; every alias on either side
  counts as a name.
- **Action accuracy** (matched rows): the produced action is one the gold row accepts.
- **List accuracy** and **country accuracy** (matched rows whose gold names one): the produced
  list name holds the gold list, in full or abbreviated (`LIST_VARIANTS`: "SDN" for "SDN
  List"); the gold country is one of the produced countries.
- **Reason support** (matched rows with a reason quote): the normalised quote is contained in
  the produced reason or in one of the row's cited passages.
- **Count agreement**: share of expected counts whose number is stated in the headline (in
  digits or words: "twenty-eight" = 28).
- **Spurious rows**: produced rows on items whose gold rows are empty lists (expected none).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listlens.evals.gold import candidate_roots, read_jsonl, resolve_evidence
from listlens.evals.metrics import normalize as normalize_text
from listlens.evals.split import CHECK, SPLITS, TUNE, assign_splits
from listlens.index.entities import normalize as normalize_name
from listlens.ingest.vocab import find_numbers
from listlens.index.errors import InvalidInput

NAME_SIMILARITY = 90
SUMMARY_METRICS = ("row_precision", "row_recall", "action_accuracy", "list_accuracy",
                   "country_accuracy", "reason_support", "count_agreement")


@dataclass
class ExpectedRow:
    subject: str
    actions: list[str]
    list_name: str = ""
    country: str = ""
    reason_quote: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class SummaryGoldItem:
    id: str
    kind: str
    doc: str = ""  # a document path (resolved where it can be), or
    since: str = ""  # a date range
    until: str = ""
    rows: list[ExpectedRow] | None = None  # None: rows not judged
    counts: list[dict[str, Any]] = field(default_factory=list)
    split: str = ""
    notes: str = ""


def load_summary_gold(path: Path, corpus: Path | None = None) -> list[SummaryGoldItem]:
    items = []
    roots = candidate_roots(path, corpus)
    for n, row in read_jsonl(path):
        if "id" not in row or not (row.get("doc") or row.get("since")):
            raise InvalidInput(f"{path}:{n}: a summary gold item needs an id and a doc or a since date")
        rows = None
        if row.get("rows") is not None:
            rows = []
            for r in row["rows"]:
                if not r.get("subject"):
                    raise InvalidInput(f"{path}:{n}: every expected row needs a subject")
                actions = r.get("action") or "added"
                rows.append(ExpectedRow(r["subject"], [actions] if isinstance(actions, str)
                                        else list(actions), r.get("list") or "",
                                        r.get("country") or "", r.get("reason_quote") or "",
                                        list(r.get("aliases") or [])))
        for c in row.get("counts") or []:
            if not isinstance(c.get("n"), int):
                raise InvalidInput(f"{path}:{n}: every expected count needs an integer n")
        items.append(SummaryGoldItem(
            str(row["id"]), row.get("kind") or "", resolve_evidence(row["doc"], roots)
            if row.get("doc") else "", row.get("since") or "", row.get("until") or "", rows,
            list(row.get("counts") or []), row.get("split") or "", row.get("notes") or ""))
    return items


# --- matching ----------------------------------------------------------------------------------

def _names(*names: str) -> set[str]:
    return {k for n in names if n and (k := normalize_name(n))}


def name_score(expected: ExpectedRow, produced: dict[str, Any]) -> float:
    """0–100: how closely the produced row's entity (or an alias) names the expected subject."""
    from rapidfuzz import fuzz

    gold = _names(expected.subject, *expected.aliases)
    got = _names(str(produced.get("entity", "")), *(produced.get("aliases") or []))
    if gold & got:
        return 100.0
    return max((fuzz.ratio(g, p) for g in gold for p in got), default=0.0)


def match_rows(expected: list[ExpectedRow], produced: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (expected index, produced index) pairs, best-scoring first."""
    scored = sorted(((name_score(e, p), i, j) for i, e in enumerate(expected)
                     for j, p in enumerate(produced)), key=lambda t: (-t[0], t[1], t[2]))
    used_e, used_p, pairs = set(), set(), []
    for s, i, j in scored:
        if s < NAME_SIMILARITY:
            break
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)


# How a list is named, in full or abbreviated; a gold list not here must appear as written.
LIST_VARIANTS = {"entity list": ("entity list", "el"), "sdn list": ("sdn", "specially designated nationals"),
                 "military end user list": ("military end user", "meu"),
                 "ns cmic list": ("cmic", "chinese military industrial complex"),
                 "unverified list": ("unverified list", "uvl")}


def _list_ok(gold: str, produced: str) -> bool:
    g, p = normalize_text(gold), f" {normalize_text(produced)} "
    return not g or any(f" {v} " in p for v in LIST_VARIANTS.get(g, (g,)))


def _country_ok(gold: str, produced: list[str]) -> bool:
    g = normalize_text(gold)
    return any(g == normalize_text(c) or g in normalize_text(c).split() for c in produced)


def _reason_ok(quote: str, produced: dict[str, Any], cited: list[str]) -> bool:
    q = normalize_text(quote)
    return bool(q) and any(f" {q} " in f" {normalize_text(t)} "
                           for t in [str(produced.get("reason", "")), *cited])


def headline_numbers(headline: str) -> set[int]:
    return {n.value for n in find_numbers(headline)}


def score_summary_item(item: SummaryGoldItem, summary: dict[str, Any]) -> dict[str, Any]:
    """The judgements for one produced summary (a `Summary.to_dict()`)."""
    produced = summary.get("rows") or []
    by_n = {c["n"]: c for c in summary.get("citations") or []}
    out: dict[str, Any] = {"id": item.id, "kind": item.kind, "produced_rows": len(produced)}
    if item.rows is not None:
        pairs = match_rows(item.rows, produced)
        out.update(expected_rows=len(item.rows), matched=len(pairs), actions_ok=0, lists_judged=0,
                   lists_ok=0, countries_judged=0, countries_ok=0, reasons_judged=0, reasons_ok=0)
        for i, j in pairs:
            gold, got = item.rows[i], produced[j]
            out["actions_ok"] += got.get("action") in gold.actions
            if gold.list_name:
                out["lists_judged"] += 1
                out["lists_ok"] += _list_ok(gold.list_name, str(got.get("list_name", "")))
            if gold.country:
                out["countries_judged"] += 1
                out["countries_ok"] += _country_ok(gold.country, list(got.get("countries") or []))
            if gold.reason_quote:
                cited = [by_n[n]["text"] for n in got.get("citations") or [] if n in by_n]
                out["reasons_judged"] += 1
                out["reasons_ok"] += _reason_ok(gold.reason_quote, got, cited)
        out["missed"] = [item.rows[i].subject for i in range(len(item.rows))
                         if i not in {p[0] for p in pairs}]
        out["spurious"] = [str(produced[j].get("entity", "")) for j in range(len(produced))
                           if j not in {p[1] for p in pairs}]
    stated = headline_numbers(str(summary.get("headline", "")))
    out["counts_expected"] = len(item.counts)
    out["counts_ok"] = sum(c["n"] in stated for c in item.counts)
    return out


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def aggregate_summaries(rows: list[dict[str, Any]]) -> dict[str, Any]:
    judged = [r for r in rows if "expected_rows" in r]

    def total(key: str, among=judged) -> int:
        return sum(r.get(key, 0) for r in among)

    latencies = sorted(r["latency_s"] for r in rows if "latency_s" in r)
    return {
        "n": len(rows),
        "row_precision": _ratio(total("matched"), total("produced_rows")),
        "row_recall": _ratio(total("matched"), total("expected_rows")),
        "action_accuracy": _ratio(total("actions_ok"), total("matched")),
        "list_accuracy": _ratio(total("lists_ok"), total("lists_judged")),
        "country_accuracy": _ratio(total("countries_ok"), total("countries_judged")),
        "reason_support": _ratio(total("reasons_ok"), total("reasons_judged")),
        "count_agreement": _ratio(total("counts_ok", rows), total("counts_expected", rows)),
        "spurious_rows": sum(len(r.get("spurious", [])) for r in judged),
        "latency_p50_s": latencies[len(latencies) // 2] if latencies else None,
    }


def score_summaries(gold: list[SummaryGoldItem], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-half metrics, plus per-item judgements; `predictions` are
    `{"id", "summary": Summary.to_dict() | None, "error": str}` lines."""
    by_id = {p["id"]: p for p in predictions}
    halves = assign_splits(gold)
    rows = []
    for item in gold:
        pred = by_id.get(item.id)
        if pred is None:
            continue
        row = score_summary_item(item, pred.get("summary") or {"rows": [], "headline": ""})
        row["split"] = halves[item.id]
        row["latency_s"] = pred.get("latency_s", 0.0)
        if pred.get("error"):
            row["error"] = pred["error"]
        rows.append(row)
    by_split = {s: aggregate_summaries([r for r in rows if r["split"] == s]) for s in SPLITS
                if any(r["split"] == s for r in rows)}
    gap = {m: round(by_split[TUNE][m] - by_split[CHECK][m], 4) for m in SUMMARY_METRICS
           if len(by_split) == 2 and by_split[TUNE][m] is not None and by_split[CHECK][m] is not None}
    return {"overall": aggregate_summaries(rows), "by_split": by_split, "split_gap": gap,
            "items": rows}


def run_summary_gold(library, gold: list[SummaryGoldItem]) -> list[dict[str, Any]]:
    """Summarize each item's document or date range with `library`; a failure is recorded
    on its line (and scores as an empty summary), never dropped."""
    from listlens.index.errors import ListLensError

    preds = []
    for item in gold:
        started = time.perf_counter()
        try:
            summary = library.summarize(doc_ids=[item.doc] if item.doc else None,
                                        since=item.since or None, until=item.until or None)
            pred = {"id": item.id, "summary": summary.to_dict(), "error": ""}
        except ListLensError as exc:
            pred = {"id": item.id, "summary": None, "error": str(exc)}
        pred["latency_s"] = round(time.perf_counter() - started, 4)
        preds.append(pred)
    return preds


def write_summary_chart(result: dict[str, Any], path: Path) -> None:
    """The summary metrics as bars, one group per metric, one bar per half (and overall)."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed
    import matplotlib.pyplot as plt

    scopes = [("all", result["overall"]), *result["by_split"].items()]
    fig, ax = plt.subplots(figsize=(11, 4.2))
    width = 0.8 / len(scopes)
    for i, (scope, m) in enumerate(scopes):
        ax.bar([x + i * width for x in range(len(SUMMARY_METRICS))],
               [m.get(name) or 0.0 for name in SUMMARY_METRICS], width, label=scope)
    ax.set_xticks([x + width * (len(scopes) - 1) / 2 for x in range(len(SUMMARY_METRICS))],
                  SUMMARY_METRICS, rotation=20, ha="right")
    ax.set_ylim(0, 1)
    ax.set_title("Summary metrics")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def summary_report(result: dict[str, Any], gold_path: str, label: str = "listlens") -> list[str]:
    """The summary section of report.md: overall and per half, then each item's misses."""
    from listlens.evals.report import _table

    lines = [f"## Summaries by `{label}`: {Path(gold_path).name}", "",
             "Metrics are defined in `evals/summaries.py`.", ""]
    halves = result["by_split"]
    header = ["metric", "all", *halves, *(["gap"] if result["split_gap"] else [])]
    lines += _table(header, [[m, result["overall"].get(m), *(h.get(m) for h in halves.values()),
                              *([result["split_gap"].get(m)] if result["split_gap"] else [])]
                             for m in ("n", *SUMMARY_METRICS, "spurious_rows", "latency_p50_s")])
    for m, g in result["split_gap"].items():
        if abs(g) > 0.05:
            lines.append(f"- **Finding:** {m}: tune/check gap {g:+.2f}")
    for r in result["items"]:
        bits = []
        if r.get("error"):
            bits.append(f"error: {r['error']}")
        if r.get("missed"):
            bits.append("missed: " + "; ".join(r["missed"][:12]))
        if r.get("spurious"):
            bits.append("spurious: " + "; ".join(r["spurious"][:12]))
        if r["counts_expected"] and r["counts_ok"] < r["counts_expected"]:
            bits.append(f"headline states {r['counts_ok']} of {r['counts_expected']} expected counts")
        if bits:
            lines.append(f"- `{r['id']}` ({r['split']}): " + " · ".join(bits))
    return lines + [""]

