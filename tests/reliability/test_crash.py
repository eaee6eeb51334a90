"""Crash mid-ingest, more seeds than tests/index/test_crash.py (whose script and checks this
reuses): kill -9 at a random write step, ask a question while the half-written store is there,
rerun, compare with a clean run. CI: the sample corpus plus a generated list file, seeds 3, 5;
LISTLENS_RELIABILITY_FULL=1: seeds 3-10 and ../shared/corpus/raw when present."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys

import pytest

from listlens.index.library import Library
from tests.conftest import REPO, SAMPLE_CORPUS, SHARED_CORPUS, make_config
from tests.index.test_crash import INGEST_SCRIPT, chunk_ids, write_list_file
from tests.reliability.helpers import FULL

SEEDS = list(range(3, 11)) if FULL else [3, 5]  # kill after 4 and 10 write steps
CORPORA = ["sample+generated"] + (["shared"] if FULL and (SHARED_CORPUS / "raw").is_dir() else [])


@pytest.fixture(scope="module", params=CORPORA)
def corpus_and_clean_run(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    if request.param == "shared":
        corpus = SHARED_CORPUS / "raw"
    else:
        corpus = root / "corpus"
        shutil.copytree(SAMPLE_CORPUS, corpus)
        write_list_file(corpus / "generated_list.json", 300)
    clean = Library(make_config(root / "clean"))
    report = clean.ingest([corpus])
    return corpus, clean, report


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_9_at_a_random_step_then_rerun(tmp_path, corpus_and_clean_run, seed):
    corpus, clean, clean_report = corpus_and_clean_run
    rng = random.Random(seed)
    data = tmp_path / "crashed"
    proc = subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(data), str(corpus)],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    kill_after = rng.randint(1, 12)  # progress steps written before the kill
    seen = 0
    for _ in range(kill_after):
        line = proc.stdout.readline()
        if not line or line.startswith("DONE"):
            break
        seen += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    print(f"seed {seed}: killed after {seen} write steps")
    assert seen == kill_after, "the ingest finished before the kill: not a crash test"

    crashed = Library(make_config(data))
    complete = {d["doc_id"]: d for d in crashed.documents()}
    pending = {d for d, m in crashed.store.catalog().items() if not m.get("version")}
    # No half document in answers: every citation and passage is from a complete document.
    for question in ("Which companies were added to the Entity List?",
                     "Crashtest Trading Company 00150 Utopia"):
        answer = crashed.ask(question)
        sources = {d["source"] for d in complete.values()}
        assert all(c.file in sources for c in answer.citations)
        for passage in answer.retrieved:
            assert passage.metadata["doc_id"] in complete
            assert passage.metadata["doc_id"] not in pending

    report = crashed.ingest([corpus])
    assert [f for f, _ in report.failures] == [f for f, _ in clean_report.failures]
    ids = chunk_ids(crashed)
    assert len(ids) == len(set(ids)) == clean.store.count()
    assert sorted(d["doc_id"] for d in crashed.documents()) == sorted(
        d["doc_id"] for d in clean.documents())
    assert not [d for d, m in crashed.store.catalog().items() if m.get("pending")]
