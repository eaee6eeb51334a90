"""Crash safety: an ingest killed with SIGKILL mid-way, then run again, leaves exactly what a
clean run leaves — no duplicate chunks, and no half document visible to queries meanwhile."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE_CORPUS, make_config

INGEST_SCRIPT = textwrap.dedent("""
    import os
    import sys
    from pathlib import Path
    from listlens.index.config import IndexConfig
    from listlens.index import library as lib_module
    lib_module.EMBED_BATCH = 64  # many small write steps, so a kill lands between them
    lib = lib_module.Library(IndexConfig(data_dir=Path(sys.argv[1]),
                                           model_dir=Path(os.environ["LISTLENS_MODEL_DIR"])))
    def progress(source, done, total):
        print(f"{Path(source).name} {done} {total}", flush=True)
    lib.ingest([Path(p) for p in sys.argv[2:]], progress=progress)
    print("DONE", flush=True)
""")


def write_list_file(path: Path, n: int) -> None:
    """A list file in the nsfreg format with `n` made-up entities."""
    entities = [{"name": f"Crashtest Trading Company {i:05d}", "aliases": [], "country": "Utopia",
                 "address": f"{i} Harbour Road, Port Example", "federal_register": "99 FR 12345, 1/2/25",
                 "notes": "For all items subject to the EAR."} for i in range(n)]
    path.write_text(json.dumps({"list_id": "bis-entity-list", "count": n, "entities": entities}))


def chunk_ids(library) -> list[str]:
    return [i for ids, _, _ in library.store.iter_chunks() for i in ids]


@pytest.fixture(scope="module")
def corpus_and_clean_run(tmp_path_factory):
    """A corpus with one list file big enough to take several write steps, ingested cleanly."""
    from listlens.index.library import Library

    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    corpus.mkdir()
    write_list_file(corpus / "big_list.json", 400)
    for f in (SAMPLE_CORPUS / "press").iterdir():
        (corpus / f.name).write_bytes(f.read_bytes())
    clean = Library(make_config(root / "clean"))
    clean.ingest([corpus])
    return corpus, clean


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(tmp_path, corpus_and_clean_run, seed):
    from listlens.index.library import Library

    corpus, clean = corpus_and_clean_run
    clean_count = clean.store.count()

    data = tmp_path / "crashed"
    proc = subprocess.Popen([sys.executable, "-c", INGEST_SCRIPT, str(data), str(corpus)],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    kill_after = random.Random(seed).randint(1, 5)  # progress steps written before the kill
    for _ in range(kill_after):
        line = proc.stdout.readline()
        if not line or line.startswith("DONE"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    crashed = Library(make_config(data))
    # Whatever was half-written is invisible: only complete documents are listed or retrieved.
    complete = {d["doc_id"] for d in crashed.documents()}
    for passage in crashed.retrieve("Crashtest Trading Company 00042", top_k=20):
        assert passage.metadata["doc_id"] in complete

    report = crashed.ingest([corpus])
    assert report.ok
    ids = chunk_ids(crashed)
    assert len(ids) == len(set(ids)) == clean_count
    assert sorted(d["doc_id"] for d in crashed.documents()) == sorted(
        d["doc_id"] for d in clean.documents())
