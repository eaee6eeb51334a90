"""Load: concurrent questions against a real `listlens serve` through its gradio API (`/ask`)
while an ingest runs through the same server's `/ingest` endpoint. No errors, the same question
always gets the same answer text, and the p95 latency is printed (recorded, not asserted).
CI: 20 questions; LISTLENS_RELIABILITY_FULL=1: 50, and the ingest adds ../shared/corpus/raw."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import SHARED_CORPUS
from tests.index.test_crash import write_list_file
from tests.reliability.helpers import FULL, ServeProcess, p95

N_QUESTIONS = 50 if FULL else 20
QUESTIONS = [
    "Why were NSO Group and Candiru added to the Entity List?",
    "What did Treasury do to SUEX?",
    "When was the AMMS biotechnology notice published?",
    "What are the criteria for adding an entity to the Entity List?",
    "Who is Chatex?",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    serve = ServeProcess(tmp_path_factory.mktemp("load") / "data")
    yield serve
    serve.close()


def test_concurrent_questions_with_an_ingest(server, tmp_path):
    from gradio_client import Client, handle_file

    client = Client(server.url, verbose=False)
    baseline = {q: client.predict(q, api_name="/ask")["answer"] for q in QUESTIONS}

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    write_list_file(uploads / "load_list.json", 200)
    (uploads / "load_note.txt").write_text("Load test note: Crashtest Trading Company 00001 of "
                                           "Utopia opened a warehouse in Port Example in 2031.")
    files = sorted(uploads.iterdir())
    if FULL and (SHARED_CORPUS / "raw").is_dir():
        files += sorted(p for p in (SHARED_CORPUS / "raw").rglob("*") if p.is_file())[:20]
    ingest_result: dict = {}

    def ingest() -> None:
        started = time.monotonic()
        try:
            ingest_client = Client(server.url, verbose=False)
            ingest_result["report"] = ingest_client.predict([handle_file(str(f)) for f in files],
                                                            api_name="/ingest")
        except Exception as exc:  # noqa: BLE001 - judged below
            ingest_result["error"] = exc
        ingest_result["seconds"] = time.monotonic() - started

    ingest_thread = threading.Thread(target=ingest)
    ingest_thread.start()
    jobs = []
    for i in range(N_QUESTIONS):
        q = QUESTIONS[i % len(QUESTIONS)]
        jobs.append((q, time.monotonic(), client.submit(q, api_name="/ask")))
    latencies, answers, errors = [], {}, []
    for q, started, job in jobs:
        try:
            result = job.result(timeout=600)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            errors.append(f"{q}: {exc!r}")
            continue
        latencies.append(time.monotonic() - started)
        answers.setdefault(q, set()).add(result["answer"])
        assert result["citations"] or result["refused"]
    ingest_thread.join(timeout=900)

    print(f"\n{N_QUESTIONS} concurrent questions + ingest of {len(files)} files: "
          f"p95 {p95(latencies):.2f} s, max {max(latencies or [0]):.2f} s, "
          f"ingest {ingest_result.get('seconds', 0):.1f} s")
    assert not errors, errors
    assert "error" not in ingest_result, ingest_result
    assert ingest_result["report"]["ok"], ingest_result["report"]
    for q, texts in answers.items():
        assert texts == {baseline[q]}, (q, texts)
    # The server is still healthy and the new documents are there.
    again = client.predict("Where did Crashtest Trading Company 00001 open a warehouse?", api_name="/ask")
    assert any("load_note" in c["file"] for c in again["citations"]), again
    assert "Traceback" not in server.output()
