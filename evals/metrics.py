"""Scoring predictions against a gold set, with no LLM judge. Every rule is written here.

Normalisation (`normalize`): Unicode NFKC, lower case, curly quotes straightened, "%" read as
"percent", "3,409" read as 3409, number words ("ten", "ninety-one") read as digits, other
punctuation dropped. Citation markers such as "[1]" are removed from answers first.

**Answer accuracy** (answerable items; a refusal is wrong). The answer is right when it matches
the canonical answer or any alias. A candidate matches when
  1. its *facts* all appear in the answer: every date it holds (compared as ISO dates, so
     "November 26, 2021", "26 Nov 2021", "11/26/21" and "2021-11-26" are one date; found by
     `ingest.dates.find_dates`), and, for `count` items, every number it holds outside those
     dates (counts are exact: "10 entities under 13 entries" needs both 10 and 13, and
     "eleven" equals 11). Elsewhere numbers are words like any other ("86 FR 71559"), since
     they are often a side detail ("designated under E.O. 13694"); and
  2. its words are there: the normalised candidate is contained in the normalised answer, or at
     least COVERAGE (0.6) of its content words (stemmed, stopwords and the facts left out) are.
     A candidate of facts only ("2021-11-04", "11") needs only its facts.
A candidate with neither facts nor content words ("No") cannot be checked and is skipped.
Extra text around the answer is not penalised (the extractive composer answers in sentences).

**Refusal accuracy** (unanswerable items): share with `refused == True`; the system must say
the documents don't hold the answer (a false premise included).

**False-answer rate** (all items): share where the system answered (did not refuse) and was
wrong: a wrong answer to an answerable item, or any answer to an unanswerable one.

**Citation support** (answered answerable items): share where at least one citation's text
overlaps a gold evidence quote, in any file (a second document repeating the fact supports it
too). Two texts *overlap* when one contains the other (as whole words) after normalisation, or
they share at least OVERLAP (0.5) of the content words of the shorter one and at least 3 of them.
Gold quotes are cut from the raw files while passages are parsed text, so markup is dropped
first: XML tags, JSON keys (`"name":`) and the literals null/true/false.

**Citation file precision** (citations of answered answerable items, pooled): share of
citations whose file is one of the item's gold evidence files. Refusals' citations are "the
closest passages", not claims, and are not counted.

**Evidence recall@k** (answerable items with evidence): share of items for which some gold quote
is found among the top k `retrieved` passages: same file *and* overlapping text (as above).
`evidence_file_recall@k` is the looser variant: same file only.

**Latency**: p50 and p95 of `latency_s` over all items (nearest-rank percentiles).

Every figure is also given per question kind, per half of the tune/check split
(`evals/split.py`; `split_gap` is tune minus check) and, for generated sets, per template.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from typing import Any

from listlens.evals.gold import GoldItem, same_file
from listlens.evals.split import CHECK, SPLITS, TUNE, assign_splits
from listlens.ingest.dates import _PATTERNS as DATE_PATTERNS  # to cut the dates found out of the text
from listlens.ingest.dates import find_dates

COVERAGE = 0.6  # share of a candidate's content words an answer must contain
OVERLAP = 0.5  # share of the shorter text's content words two texts must share
MIN_SHARED = 3  # and never fewer than this many words, so "NSO Group" alone is no overlap
RECALL_KS = (1, 5, 10)
GAP_METRICS = ("answer_accuracy", "refusal_accuracy", "false_answer_rate", "citation_support")

_STOPWORDS = frozenset("""
a an the and or but if of to in on at by for with from as into over under about than then that
this these those there their them they it its is are was were be been being do does did has have
had not nor so such what which who whom whose when where why how all any both each other some
can will would could may might must shall also we our you he his she her after before during
while until further once here out up down off above below between through per via s no yes
""".split())
_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_NUMBER_WORD = re.compile(
    r"\b(?:(%s)(?:[\s-](%s))?|(%s))\b" % ("|".join(_TENS), "|".join(list(_UNITS)[1:10]),
                                          "|".join(_UNITS)))
_MARKER = re.compile(r"\[\d+\]")
_MARKUP = re.compile(r"<[^<>]{1,80}>|\"[^\"\n]{1,80}\"\s*:|\b(?:null|true|false)\b")
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")  # hyphens split words; "744.11" stays whole


# --- text ------------------------------------------------------------------------------------

def _number_words(text: str) -> str:
    def value(m: re.Match) -> str:
        if m[3]:
            return str(_UNITS[m[3]])
        return str(_TENS[m[1]] + (_UNITS[m[2]] if m[2] else 0))
    return _NUMBER_WORD.sub(value, text)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", _MARKER.sub(" ", text)).lower()
    text = text.translate(str.maketrans("‘’“”–—", "''\"\"--")).replace("%", " percent ")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 3,409 → 3409
    text = _number_words(text)
    return " ".join(_WORD.findall(text.replace("u.s.", "us").replace("'s", "")))


def _stem(word: str) -> str:
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> set[str]:
    """Stemmed words that carry meaning, from already normalised text."""
    return {_stem(w) for w in text.split() if w not in _STOPWORDS and len(w) > 1}


def facts(text: str) -> tuple[set[str], set[str], str]:
    """(ISO dates, numbers outside those dates, the text with the dates cut out) of raw text."""
    text = _MARKER.sub(" ", text)
    dates = find_dates(text)
    isos = {iso for _, iso in dates}
    # Cut each date out so its day and year are not also read as numbers ("13 entries" must
    # not be satisfied by "December 13").
    rest = text
    for pos, _ in sorted(dates, reverse=True):
        ends = [m.end() for pattern, _ in DATE_PATTERNS if (m := pattern.match(rest, pos))]
        rest = rest[:pos] + " " + rest[max(ends, default=pos):]
    numbers = {n for n in re.findall(r"\b\d+(?:\.\d+)?\b", normalize(rest))}
    return isos, numbers, rest


def strip_markup(text: str) -> str:
    return _MARKUP.sub(" ", text)


def overlaps(a: str, b: str) -> bool:
    """Whether two passages say substantially the same thing (see the module docstring)."""
    na, nb = normalize(strip_markup(a)), normalize(strip_markup(b))
    if not na or not nb:
        return False
    if f" {na} " in f" {nb} " or f" {nb} " in f" {na} ":
        return True
    wa, wb = content_words(na), content_words(nb)
    shared = len(wa & wb)
    return shared >= MIN_SHARED and shared >= OVERLAP * min(len(wa), len(wb))


# --- answers ---------------------------------------------------------------------------------

def candidate_matches(candidate: str, answer: str, count: bool = False) -> bool | None:
    """Whether `answer` matches one expected answer; None when the candidate is uncheckable.
    `count`: the item asks for a number, so the candidate's numbers must all be there."""
    c_dates, c_numbers, c_rest = facts(candidate)
    a_dates, a_numbers, _ = facts(answer)
    words = content_words(normalize(c_rest))
    if count:
        words -= c_numbers
    else:
        c_numbers = set()
    if not (c_dates or c_numbers or words):
        return None
    if not (c_dates <= a_dates and c_numbers <= a_numbers):
        return False
    if not words:
        return True
    norm_c, norm_a = normalize(candidate), normalize(answer)
    if norm_c and f" {norm_c} " in f" {norm_a} ":
        return True
    covered = words & content_words(norm_a)
    return len(covered) >= COVERAGE * len(words)


def answer_correct(item: GoldItem, answer: str, refused: bool) -> bool:
    if refused or not item.answerable:
        return False
    return any(candidate_matches(c, answer, item.kind == "count")
               for c in [item.answer, *item.aliases])


# --- one item, then the whole set ------------------------------------------------------------

def score_item(item: GoldItem, pred: dict[str, Any]) -> dict[str, Any]:
    """The judgements for one prediction (a line of predictions.jsonl)."""
    refused = bool(pred["refused"])
    correct = answer_correct(item, pred["answer"], refused)
    row: dict[str, Any] = {"id": item.id, "kind": item.kind, "refused": refused,
                           "correct": correct if item.answerable else refused,
                           "false_answer": not refused and not correct,
                           "latency_s": pred["latency_s"]}
    gold_files = [e.file for e in item.evidence]
    if item.answerable and not refused:
        cites = pred["citations"]
        row["cited_supported"] = any(overlaps(c["text"], e.quote)
                                     for c in cites for e in item.evidence)
        row["cited_in_gold_file"] = [any(same_file(g, c["file"]) for g in gold_files)
                                     for c in cites]
    if item.answerable and item.evidence:
        retrieved = pred["retrieved"]
        for k in RECALL_KS:
            top = retrieved[:k]
            row[f"hit@{k}"] = any(same_file(e.file, p["file"]) and overlaps(p["text"], e.quote)
                                  for e in item.evidence for p in top)
            row[f"file_hit@{k}"] = any(same_file(e.file, p["file"])
                                       for e in item.evidence for p in top)
    return row


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least q% of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)], 4)


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of a set of scored items (the whole set or one kind)."""
    answerable = [r for r in rows if r["kind"] != "unanswerable"]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    with_ev = [r for r in answerable if "hit@1" in r]
    cited = [r for r in answerable if "cited_supported" in r]
    out: dict[str, Any] = {
        "n": len(rows),
        "answer_accuracy": _share([r["correct"] for r in answerable]),
        "refusal_accuracy": _share([r["refused"] for r in unanswerable]),
        "false_answer_rate": _share([r["false_answer"] for r in rows]),
        "citation_support": _share([r["cited_supported"] for r in cited]),
        "citation_file_precision": _share([ok for r in cited for ok in r["cited_in_gold_file"]]),
    }
    for k in RECALL_KS:
        out[f"evidence_recall@{k}"] = _share([r[f"hit@{k}"] for r in with_ev])
    for k in RECALL_KS:
        out[f"evidence_file_recall@{k}"] = _share([r[f"file_hit@{k}"] for r in with_ev])
    latencies = [r["latency_s"] for r in rows]
    out["latency_p50_s"] = percentile(latencies, 50)
    out["latency_p95_s"] = percentile(latencies, 95)
    return out


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list] = defaultdict(list)
    for r in rows:
        if r.get(key):
            groups[r[key]].append(r)
    out = {}
    for name, group in groups.items():
        m = aggregate(group)
        # One headline figure per group: refusal accuracy where every item is unanswerable.
        only_unanswerable = all(r["kind"] == "unanswerable" for r in group)
        m["accuracy"] = m["refusal_accuracy"] if only_unanswerable else m["answer_accuracy"]
        out[name] = m
    return out


def split_gap(by_split: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Tune minus check, for each headline metric both halves have."""
    tune, check = by_split.get(TUNE, {}), by_split.get(CHECK, {})
    return {m: round(tune[m] - check[m], 4) for m in GAP_METRICS
            if tune.get(m) is not None and check.get(m) is not None}


def score(gold: list[GoldItem], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Overall metrics; per kind, per split half (tune/check, and their gap) and, for
    generated sets, per template; plus the per-item judgements."""
    by_id = {p["id"]: p for p in predictions}
    halves = assign_splits(gold)
    rows = []
    for item in gold:
        if item.id in by_id:
            row = score_item(item, by_id[item.id])
            row["split"] = halves[item.id]
            if item.template:
                row["template"] = item.template
            rows.append(row)
    by_split = {s: m for s in SPLITS if (m := _grouped(rows, "split").get(s))}
    out = {"overall": aggregate(rows), "by_kind": _grouped(rows, "kind"), "by_split": by_split,
           "split_gap": split_gap(by_split), "items": rows}
    if any("template" in r for r in rows):
        out["by_template"] = _grouped(rows, "template")
    return out
