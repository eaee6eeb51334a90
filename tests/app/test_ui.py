"""The web UI in a real browser (headless Debian chromium via playwright) and its API via
gradio_client, against a real library of the sample corpus on 127.0.0.1."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from listlens.index.errors import InvalidInput

from tests.app.ui_helpers import open_tab, screenshot, served
from tests.conftest import SAMPLE_CORPUS, make_config

pytest.importorskip("playwright")

XSS_DOC = """---
title: Zorblax Dynamics <img src=x onerror="window.__xss=3"> listing
publisher: Test Bureau
published: 2022-03-01
---

Zorblax Dynamics was added to the Entity List because it supplied guidance kits to a military
end user <script>window.__xss=1</script> and <img src=x onerror="window.__xss=2"> in Freedonia.
"""


@pytest.fixture(scope="module")
def ui_library(tmp_path_factory):
    """A library of its own (the tests upload and delete; the shared sample library is
    read-only), holding the sample corpus and one hostile document."""
    from listlens.index.library import Library

    root = tmp_path_factory.mktemp("ui")
    lib = Library(make_config(root / "data"))
    hostile = root / "docs" / "zorblax.md"
    hostile.parent.mkdir()
    hostile.write_text(XSS_DOC, encoding="utf-8")
    report = lib.ingest([SAMPLE_CORPUS, hostile])
    assert report.ok, report.failures
    return lib


@pytest.fixture(scope="module")
def ui_url(ui_library):
    with served(ui_library) as url:
        yield url


@pytest.fixture
def page(browser, ui_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(ui_url)
    page.get_by_role("tab", name="Ask").wait_for()
    yield page
    context.close()


def ask(page, question: str) -> None:
    box = page.locator("#ll-question textarea")
    box.fill(question)
    page.locator("#ll-ask").click()


def test_ask_shows_citations_followups_and_refusals(page):
    ask(page, "Why was NSO Group added to the Entity List?")
    source = page.locator("#ll-answer-panel .ll-source").first
    source.wait_for(timeout=60_000)
    panel = page.locator("#ll-answer-panel")
    assert panel.locator(".ll-marker").count() >= 1
    assert panel.locator("mark").count() >= 1
    assert "spyware" in panel.inner_text().lower()
    markdown = page.locator("#ll-markdown textarea").input_value()
    assert "[^1]:" in markdown
    # A marker leads to its source.
    panel.locator(".ll-marker").first.click()
    assert page.evaluate("location.hash").startswith("#ll-source-")
    screenshot(page, "ui-ask")

    # A follow-up with no name of its own is read against the previous turn.
    ask(page, "and when was it added?")
    page.get_by_text("Read as:").first.wait_for(timeout=60_000)
    assert "NSO Group" in page.locator("#ll-chat").inner_text()

    ask(page, "What is the population of the Moon's largest crater city?")
    page.locator("#ll-answer-panel .ll-refusal").wait_for(timeout=60_000)
    assert "Not answered" in page.locator("#ll-answer-panel").inner_text()


def test_xss_in_a_document_stays_text(page):
    ask(page, "Why was Zorblax Dynamics added to the Entity List?")
    page.locator("#ll-answer-panel .ll-source").first.wait_for(timeout=60_000)
    text = page.locator("#ll-answer-panel").inner_text()
    assert "<script>window.__xss=1</script>" in text
    assert "onerror" in text
    assert page.locator("#ll-answer-panel script, #ll-answer-panel img").count() == 0
    open_tab(page, "Library")
    page.locator("#ll-docs").get_by_text("Zorblax", exact=False).first.wait_for()
    page.wait_for_timeout(500)  # give an injected onerror the chance it must not get
    assert page.evaluate("window.__xss") is None
    screenshot(page, "ui-xss")


def test_upload_lists_the_file_and_reports_bad_ones(page, tmp_path):
    good = tmp_path / "acme-notice.md"
    good.write_text("---\ntitle: Acme Uploaded Notice\npublished: 2022-04-01\n---\n\n"
                    "Acme Quantum Widgets was added to the Entity List for supporting military "
                    "quantum programs.\n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    open_tab(page, "Library")
    page.locator("#ll-upload input[type=file]").set_input_files([str(good), str(broken)])
    page.wait_for_timeout(1000)  # the upload lands before the button reads it
    page.locator("#ll-add").click()
    results = page.locator("#ll-upload-results")
    results.get_by_text("broken.json").wait_for(timeout=90_000)
    assert "added" in results.inner_text()
    assert "failed" in results.inner_text()
    page.locator("#ll-docs").get_by_text("Acme Uploaded Notice").wait_for(timeout=30_000)
    assert "documents" in page.locator("#ll-stats").inner_text()
    screenshot(page, "ui-library")


def test_summarize_shows_the_entity_table(page):
    open_tab(page, "Summarize")
    page.locator("#ll-sum-since textarea").fill("2021-11-01")
    page.locator("#ll-summarize").click()
    page.locator("#ll-summary .ll-headline").wait_for(timeout=120_000)
    table = page.locator("#ll-summary-table")
    table.get_by_text("NSO Group").first.wait_for(state="attached", timeout=30_000)
    assert "86 FR 60760" in table.inner_text()
    assert page.locator("#ll-summary .ll-marker").count() >= 1
    screenshot(page, "ui-summarize")


def test_evaluate_runs_a_gold_set_and_shows_metrics(page, tmp_path):
    lines = [line for line in (SAMPLE_CORPUS.parent / "sample_gold.jsonl").read_text().splitlines()
             if line.strip()]
    gold = [json.loads(x) for x in lines]
    picked = [g for g in gold if g["kind"] == "why_listed"][:2] + \
             [g for g in gold if g["kind"] == "unanswerable"][:1]
    path = tmp_path / "tiny_gold.jsonl"
    path.write_text("".join(json.dumps(g) + "\n" for g in picked), encoding="utf-8")
    open_tab(page, "Evaluate")
    page.locator("#ll-gold input[type=file]").set_input_files(str(path))
    page.wait_for_timeout(1000)
    page.locator("#ll-eval").click()
    page.get_by_text("Scored 3 questions").wait_for(timeout=120_000)
    metrics = page.locator("#ll-metrics").inner_text()
    assert "overall" in metrics and "unanswerable" in metrics
    assert page.locator("img[src*='chart']").count() >= 1
    screenshot(page, "ui-evaluate")


def test_evaluate_scores_an_uploaded_summary_gold_set(page):
    open_tab(page, "Evaluate")
    summary_gold = SAMPLE_CORPUS.parent / "sample_summary_gold.jsonl"
    page.locator("#ll-gold input[type=file]").set_input_files(str(summary_gold))
    page.wait_for_timeout(1000)
    page.locator("#ll-eval").click()
    page.get_by_text("Scored 4 ").wait_for(timeout=120_000)
    metrics = page.locator("#ll-metrics").inner_text()
    assert "row_precision" in metrics and "count_agreement" in metrics and "check" in metrics
    screenshot(page, "ui-evaluate-summaries")


def test_status_tab(page):
    open_tab(page, "Status")
    status = page.locator("#ll-status")
    status.get_by_text("embedded").wait_for(timeout=30_000)
    assert "all-MiniLM-L6-v2" in status.inner_text()
    page.get_by_role("button", name="Check the answer backend").click()
    page.locator("#ll-backend-status").get_by_text("extractive").wait_for(timeout=30_000)
    screenshot(page, "ui-status")


def test_twenty_concurrent_api_questions_all_succeed(ui_url):
    from gradio_client import Client

    questions = ["Why was NSO Group added to the Entity List?",
                 "When was SUEX designated by Treasury?",
                 "Why was Hefei National Laboratory added to the Entity List?",
                 "What did BIS say about Candiru?"] * 5

    def one(q: str) -> dict:
        return Client(ui_url, verbose=False).predict(question=q, api_name="/ask")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(one, questions))
    assert len(answers) == 20
    assert all(isinstance(a, dict) and a["answer"] for a in answers)
    # Concurrency changes nothing: each question gets the same answer all five times.
    for q in set(questions):
        assert len({a["answer"] for a, asked in zip(answers, questions) if asked == q}) == 1
    assert not answers[0]["refused"] and answers[0]["citations"]


def test_api_ingest_keeps_uploads_in_their_folder(ui_url, ui_library, tmp_path):
    from gradio_client import Client, handle_file

    evil = tmp_path / "..%2F..%2Fescape.txt"
    evil.write_text("Escape Test Corp was added to the Entity List.", encoding="utf-8")
    report = Client(ui_url, verbose=False).predict(paths=[handle_file(str(evil))],
                                                   api_name="/ingest")
    assert report["ok"], report
    name = report["files"][0]["file"]
    assert "/" not in name and not name.startswith(".")
    from listlens.app.ui_library import upload_dir_for

    assert (upload_dir_for(ui_library.config.data_dir) / name).is_file()


# --- the logic behind the tabs, without a browser ---------------------------------------------

def test_upload_names_cannot_escape_the_upload_folder(tmp_path):
    from listlens.app.ui_library import safe_name, stage_upload

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\windows\\evil.md") == "evil.md"
    assert safe_name(".bashrc.txt") == "bashrc.txt"
    assert safe_name("..") == "upload"
    assert safe_name("a<b>|c.md") == "a_b__c.md"
    folder = tmp_path / "uploads"
    src = tmp_path / "x.exe"
    src.write_bytes(b"MZ")
    with pytest.raises(InvalidInput, match="unsupported file type"):
        stage_upload(src, folder, 1000)
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    with pytest.raises(InvalidInput, match="upload limit"):
        stage_upload(big, folder, 1000)
    odd = tmp_path / "..%2Fodd.txt"
    odd.write_text("ok")
    assert stage_upload(odd, folder, 1000).parent == folder.resolve()


def test_followups_name_the_previous_turns_entity():
    from listlens.app.ui_ask import Conversation, resolve_followup

    def named_in(text):
        return ["NSO Group"] if "NSO" in text else []

    conv = Conversation(["NSO Group"])
    assert resolve_followup("and when was it added?", conv, named_in)[0] == \
        "When was NSO Group added?"
    assert resolve_followup("What was its reason?", conv, named_in)[0] == \
        "What was NSO Group's reason?"
    assert resolve_followup("Why was NSO Group listed?", conv, named_in) == \
        ("Why was NSO Group listed?", "")
    assert resolve_followup("and when?", None, named_in) == ("and when?", "")
    assert "(NSO Group)" in resolve_followup("what date?", conv, named_in)[0]


def test_rendering_escapes_document_text():
    from listlens.app.ui_render import answer_html, chat_text, summary_html
    from listlens.index.types import Answer, AnswerSentence, Citation

    hostile = '<script>alert(1)</script><img src=x onerror="x()">'
    c = Citation(1, "/d/<b>.md", hostile, "2022-01-01", 0, 10, hostile, publisher=hostile)
    answer = Answer("q", hostile, False, [c], [AnswerSentence(hostile, [1])])
    for out in (answer_html(answer), summary_html({"headline": hostile, "citations": [c.to_dict()],
                                                   "sentences": [{"text": hostile, "citations": [1]}]})):
        assert "<script" not in out and "<img" not in out and "&lt;script&gt;" in out
    assert "<script" not in chat_text(answer)
