"""`listlens eval` end to end on the real model and real Chroma: the project's sample gold set
always, the shared dev set when `../shared/corpus` exists; both must meet their floors."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from listlens.evals.floors import check_floors, load_floors
from tests.conftest import REPO, SHARED_CORPUS, run_cli

PREDICTION_KEYS = {"id", "question", "answer", "refused", "citations", "retrieved", "latency_s",
                   "backend"}


def run_eval_cli(gold: Path, corpus: Path, out: Path, data_dir: Path, compare: str,
                 *extra: str):
    done = run_cli("eval", "--gold", str(gold), "--corpus", str(corpus), "--out", str(out),
                   "--data-dir", str(data_dir), "--compare", compare, *extra, timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "(check, n=" in done.stdout and "(tune, n=" in done.stdout
    return json.loads((out / "metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("eval-data")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, sample_data_dir):
    floors = load_floors()["sample"]
    out = tmp_path_factory.mktemp("eval-out")
    metrics = run_eval_cli(REPO / floors["gold"], REPO / floors["corpus"], out, sample_data_dir,
                           floors["compare"], "--summary-gold",
                           str(REPO / "app" / "sample_summary_gold.jsonl"))
    return out, metrics, floors


def test_the_run_writes_predictions_metrics_report_and_chart(sample_run):
    out, metrics, _ = sample_run
    gold_ids = [json.loads(line)["id"] for line in
                (REPO / "app" / "sample_gold.jsonl").read_text().splitlines() if line.strip()]
    preds = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert [p["id"] for p in preds] == gold_ids
    for p in preds:
        assert set(p) == PREDICTION_KEYS
        assert isinstance(p["refused"], bool) and isinstance(p["latency_s"], float)
        assert all(set(c) == {"file", "text", "start", "end"} for c in p["citations"])
        assert all(set(r) == {"file", "text"} for r in p["retrieved"]) and len(p["retrieved"]) <= 10
        # Sources are the paths as ingested: absolute, inside the corpus.
        assert all(c["file"].startswith(str(REPO / "app" / "sample_corpus")) for c in p["citations"])
    assert (out / "predictions-naive.jsonl").exists()
    assert metrics["configs"] == ["listlens", "naive"]
    for label in metrics["configs"]:
        result = metrics["results"][label]
        assert set(result["by_kind"]) == {"why_listed", "when_listed", "who_listed", "what_rule",
                                          "summary_fact", "count", "unanswerable"}
        assert len(result["items"]) == len(gold_ids)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | listlens | naive |" in report
    assert "### unanswerable" in report and "## Failures of `listlens`" in report
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_run_reports_tune_and_check_halves(sample_run):
    out, metrics, _ = sample_run
    for label in metrics["configs"]:
        halves = metrics["results"][label]["by_split"]
        assert set(halves) == {"tune", "check"}
        assert halves["tune"]["n"] + halves["check"]["n"] == metrics["n"]
        assert set(metrics["results"][label]["split_gap"]) >= {"answer_accuracy", "false_answer_rate"}
    assert "## Tune and check halves" in (out / "report.md").read_text(encoding="utf-8")


def test_the_summary_gold_runs_next_to_the_questions(sample_run):
    out, metrics, _ = sample_run
    assert set(metrics["summaries"]) == {"listlens"}  # the baseline has no summarizer
    result = metrics["summaries"]["listlens"]
    lines = [json.loads(line) for line in (out / "summaries.jsonl").read_text().splitlines()]
    assert [p["id"] for p in lines] == [r["id"] for r in result["items"]]
    assert all(p["summary"]["rows"] for p in lines)
    for name in ("row_precision", "row_recall", "action_accuracy", "reason_support",
                 "count_agreement"):
        assert 0.0 <= result["overall"][name] <= 1.0
    assert set(result["by_split"]) == {"tune", "check"}
    assert "## Summaries by `listlens`" in (out / "report.md").read_text(encoding="utf-8")


def test_generate_writes_a_gold_set_from_the_indexed_corpus(sample_run, sample_data_dir, tmp_path):
    # After sample_run the corpus is indexed in sample_data_dir: nothing is embedded again.
    path = tmp_path / "generated.jsonl"
    done = run_cli("eval", "--generate", str(path), "--corpus", str(REPO / "app" / "sample_corpus"),
                   "--data-dir", str(sample_data_dir), "--per-template", "3", "--seed", "5")
    assert done.returncode == 0, done.stderr[-3000:]
    items = [json.loads(line) for line in path.read_text().splitlines()]
    assert f"wrote {len(items)} questions" in done.stdout
    assert {"negative", "record_citation", "fr_table_count"} <= {i["template"] for i in items}
    assert all({"id", "question", "answer", "kind", "evidence", "template"} <= set(i) for i in items)


@pytest.mark.parametrize("args, message", [
    (["eval", "--corpus", "app/sample_corpus"], "needs --corpus and --gold"),
    (["eval", "--generate", "x.jsonl", "--gold", "app/sample_gold.jsonl"], "second call"),
    (["eval", "--gold", "app/sample_gold.jsonl", "--corpus", "no/such/folder"], "no such file"),
    (["eval", "--summary-gold", "missing.jsonl", "--corpus", "app/sample_corpus"], "no such file"),
])
def test_eval_flags_that_cannot_work_are_usage_errors(args, message):
    done = run_cli(*args)
    assert done.returncode == 2 and message in done.stderr


def test_the_sample_set_meets_its_floors(sample_run):
    _, metrics, floors = sample_run
    assert check_floors(metrics, floors) == []


@pytest.mark.skipif(not (SHARED_CORPUS / "gold_dev.jsonl").exists(),
                    reason="the shared corpus is not next to the repo")
@pytest.mark.skipif("dev" not in load_floors(), reason="no floors recorded for the dev set yet")
def test_the_dev_set_meets_its_floors():
    # Indexing the dev corpus takes many minutes: keep the store between runs (documents whose
    # parse is unchanged are not indexed again). LISTLENS_EVAL_DATA_DIR picks where.
    floors = load_floors()["dev"]
    data_dir = Path(os.environ.get("LISTLENS_EVAL_DATA_DIR")
                    or Path(tempfile.gettempdir()) / "listlens-eval-cache")
    out = Path(tempfile.mkdtemp(prefix="listlens-eval-dev-"))
    metrics = run_eval_cli(REPO / floors["gold"], REPO / floors["corpus"], out, data_dir,
                           floors["compare"])
    assert check_floors(metrics, floors) == [], (out / "report.md")
