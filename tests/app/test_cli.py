"""The `listlens` command as a user runs it, in a subprocess."""

from __future__ import annotations

import json

from tests.conftest import SAMPLE_CORPUS, run_cli


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("ingest", "ask", "docs", "remove", "serve"):
        assert command in result.stdout


def test_ingest_ask_docs_remove(tmp_path):
    data = str(tmp_path / "data")
    result = run_cli("ingest", str(SAMPLE_CORPUS / "press"), "--json", "--data-dir", data)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["documents_added"] == 3 and report["failures"] == []

    result = run_cli("ask", "--json", "--data-dir", data, "Why was SUEX designated?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["refused"] is False
    assert set(answer["citations"][0]) == {"file", "title", "published", "start", "end", "text"}

    docs = json.loads(run_cli("docs", "--json", "--data-dir", data).stdout)
    assert len(docs) == 3
    result = run_cli("remove", docs[0]["doc_id"], "--data-dir", data)
    assert result.returncode == 0
    assert len(json.loads(run_cli("docs", "--json", "--data-dir", data).stdout)) == 2


def test_failures_give_a_nonzero_exit_and_name_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    good = tmp_path / "good.md"
    good.write_text("# Good\n\nA note about the Entity List written for this test.\n")
    result = run_cli("ingest", str(tmp_path), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "bad.json" in result.stderr and "1 documents added" in result.stdout


def test_empty_question_exits_with_a_message(tmp_path):
    result = run_cli("ask", "  ", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    assert "question is empty" in result.stderr


def test_serve_refuses_a_public_address_without_auth(tmp_path):
    result = run_cli("serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2 and "--auth" in result.stderr
