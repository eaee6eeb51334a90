"""The Evaluate tab's logic with a summary gold set, on the real sample library (the browser
test of the tab is in test_ui.py)."""

from __future__ import annotations

from listlens.app.ui_evaluate import (SAMPLE_GOLD, SAMPLE_SUMMARY_GOLD, SUMMARY_METRIC_COLUMNS,
                                      failure_rows, is_summary_gold, metric_rows,
                                      run_gold_on_library)


def test_a_summary_gold_set_is_told_apart_from_a_question_set(tmp_path):
    assert is_summary_gold(SAMPLE_SUMMARY_GOLD) and not is_summary_gold(SAMPLE_GOLD)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    assert not is_summary_gold(broken)  # load_gold then names the line


def test_the_evaluate_tab_scores_a_summary_gold_set(sample_library):
    result = run_gold_on_library(sample_library, SAMPLE_SUMMARY_GOLD)
    table = metric_rows(result["scored"])
    assert table["headers"] == SUMMARY_METRIC_COLUMNS
    assert [row[0] for row in table["data"]] == ["overall", "tune", "check"]
    overall = dict(zip(SUMMARY_METRIC_COLUMNS, table["data"][0]))
    assert overall["n"] == 4 and 0.0 <= overall["row_recall"] <= 1.0
    for row in failure_rows(result):
        assert len(row) == 5 and row[0].startswith("ss-")
    with open(result["chart"], "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
