"""Store faults: a `chroma run` server killed during questions and during an ingest, then brought
back on the same port and path; a read-only data directory; a full disk. Every failure is one
clear StoreUnavailable (one `error:` line and exit 1 from the CLI, never a traceback), nothing is
corrupted or duplicated, and the same Library works again once the store is back."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from listlens.index import library as library_module
from listlens.index.errors import StoreUnavailable
from listlens.index.library import Library
from tests.conftest import REPO, SAMPLE_CORPUS, make_config, run_cli
from tests.index.test_crash import chunk_ids, write_list_file
from tests.reliability.helpers import FULL, ChromaProcess

QUESTION = "Why were NSO Group and Candiru added to the Entity List?"


def assert_consistent(library: Library) -> None:
    """No duplicate chunks, no pending document, chunk count = what the catalog promises."""
    ids = chunk_ids(library)
    assert len(ids) == len(set(ids))
    catalog = library.store.catalog()
    assert not [d for d, m in catalog.items() if m.get("pending")]
    assert len(ids) == sum(int(m.get("nodes", 0)) for m in catalog.values())


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chroma = ChromaProcess(tmp_path_factory.mktemp("chroma-faults"))
    chroma.start()
    yield chroma
    chroma.stop()


@pytest.fixture(scope="module")
def served_library(server, tmp_path_factory):
    library = Library(make_config(tmp_path_factory.mktemp("faults") / "data", chroma_url=server.url))
    report = library.ingest([SAMPLE_CORPUS / "press", SAMPLE_CORPUS / "rules"])
    assert report.ok, report.failures
    return library


def test_server_killed_during_questions_then_back(server, served_library):
    library = served_library
    before = library.ask(QUESTION)
    assert not before.refused
    count, docs = library.store.count(), library.documents()
    errors: list[BaseException] = []
    answers: list[str] = []
    stop = threading.Event()

    def asker() -> None:
        while not stop.is_set():
            try:
                answers.append(library.ask(QUESTION).text)
            except BaseException as exc:  # noqa: BLE001 - every kind is recorded and judged
                errors.append(exc)

    threads = [threading.Thread(target=asker) for _ in range(2)]
    for t in threads:
        t.start()
    server.stop()
    stop.wait(3)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a question hung while the store was down"
    assert errors, "no question met the outage"
    for exc in errors:
        assert isinstance(exc, StoreUnavailable), repr(exc)
        assert server.url in str(exc)
    assert all(text == before.text for text in answers)

    with pytest.raises(StoreUnavailable):
        library.documents()
    result = run_cli("ask", QUESTION, "--chroma-url", server.url,
                     "--data-dir", str(library.config.data_dir))
    assert_one_line_error(result, "Chroma", server.url)

    server.start()  # same port, same path
    again = library.ask(QUESTION)  # the same Library, no restart
    assert again.text == before.text
    assert library.store.count() == count and library.documents() == docs
    assert_consistent(library)


def test_server_killed_during_ingest_then_rerun(server, served_library, tmp_path, monkeypatch):
    library = served_library
    monkeypatch.setattr(library_module, "EMBED_BATCH", 32)  # many write steps, kill after one
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_list_file(corpus / "outage_list.json", 150)
    shutil.copytree(SAMPLE_CORPUS / "news", corpus / "news")
    steps = []

    def kill_after_first_step(source: str, done: int, total: int) -> None:
        steps.append(done)
        if len(steps) == 1:
            server.stop()

    with pytest.raises(StoreUnavailable) as caught:
        library.ingest([corpus], progress=kill_after_first_step)
    assert server.url in str(caught.value)
    result = run_cli("ingest", str(corpus), "--chroma-url", server.url,
                     "--data-dir", str(library.config.data_dir))
    assert_one_line_error(result, "Chroma")

    server.start()
    # The half-written list is invisible meanwhile: not listed, never retrieved or cited.
    complete = {d["doc_id"] for d in library.documents()}
    assert not any("outage_list" in str(d.get("source")) for d in library.documents())
    answer = library.ask("Which companies in Utopia were added? Crashtest Trading Company 00007")
    assert all(c.file != str((corpus / "outage_list.json").resolve()) for c in answer.citations)
    for passage in library.retrieve("Crashtest Trading Company 00007", top_k=20):
        assert passage.metadata["doc_id"] in complete

    report = library.ingest([corpus])
    assert report.ok, report.failures
    assert_consistent(library)
    titles = [d["source"] for d in library.documents()]
    assert str((corpus / "outage_list.json").resolve()) in titles
    assert library.ingest([corpus]).unchanged == report.added + report.unchanged


def test_library_created_while_server_down(server, served_library):
    server.stop()
    try:
        with pytest.raises(StoreUnavailable, match="Chroma"):
            Library(served_library.config)
    finally:
        server.start()
    assert Library(served_library.config).documents() == served_library.documents()


# --- the embedded store's data directory ------------------------------------------------------


def test_data_dir_under_a_regular_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data directory's parent should be")
    with pytest.raises(StoreUnavailable, match="cannot use the data directory"):
        Library(make_config(blocker / "data"))
    assert_one_line_error(run_cli("docs", "--data-dir", str(blocker / "data")),
                          "cannot use the data directory")


def _read_only_view(source: Path, target: Path) -> bool:
    """A read-only view of `source` at `target`: a read-only bind mount when we are root (root
    ignores permissions), chmod otherwise. False if neither can be had here."""
    if os.geteuid() != 0:
        shutil.copytree(source, target)
        for path in [target, *target.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return True
    target.mkdir()
    bind = subprocess.run(["mount", "--bind", str(source), str(target)], capture_output=True)
    if bind.returncode != 0:
        return False
    if subprocess.run(["mount", "-o", "remount,bind,ro", str(target)],
                      capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(target)])
        return False
    return True


def _release(target: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
    else:
        for path in [target, *target.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_data_dir(sample_library, tmp_path):
    view = tmp_path / "ro"
    if not _read_only_view(sample_library.config.data_dir, view):
        pytest.skip("root without mount rights: the regular-file test above covers this case")
    try:
        with pytest.raises(StoreUnavailable, match="data directory|Chroma store"):
            lib = Library(make_config(view))
            lib.ingest([SAMPLE_CORPUS / "news"])  # reached only if opening read-only works
        result = run_cli("ingest", str(SAMPLE_CORPUS / "news"), "--data-dir", str(view))
        assert_one_line_error(result)
    finally:
        _release(view)
    assert len(sample_library.documents()) > 0  # the original is untouched and still usable


def _fsize_limit(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past it fail (EFBIG)
    return apply


def test_full_disk_file_size_limit_then_space_again(tmp_path):
    """A full disk as any user can have it: RLIMIT_FSIZE caps the store's files."""
    data = tmp_path / "data"
    first = run_cli("ingest", str(SAMPLE_CORPUS / "press"), "--data-dir", str(data))
    assert first.returncode == 0, first.stderr
    write_list_file(tmp_path / "list.json", 300)
    largest = max(f.stat().st_size for f in data.rglob("*") if f.is_file())
    full = subprocess.run([sys.executable, "-m", "listlens.app.cli", "ingest", str(tmp_path / "list.json"),
                           "--data-dir", str(data)], cwd=REPO, text=True, capture_output=True,
                          timeout=600, preexec_fn=_fsize_limit(largest + 4096))
    assert_one_line_error(full, "Chroma store")
    library = Library(make_config(data))
    assert [d for d in library.documents() if "list.json" in d["source"]] == []
    report = library.ingest([tmp_path / "list.json"])
    assert report.ok and report.added == 1
    assert_consistent(library)


def test_full_disk_tmpfs_then_space_again(tmp_path):
    """A real ENOSPC: the store on a 2 MB tmpfs filled up with ballast (root only: mount)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers a full disk")
    if not FULL:
        # Once (of five runs) this stalled inside Chroma's sqlite threads; keep it out of CI
        # until that is understood. scripts/reliability runs it.
        pytest.skip("full-count run only (LISTLENS_RELIABILITY_FULL=1); RLIMIT_FSIZE covers CI")
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("no mount rights in this container; the RLIMIT_FSIZE test covers a full disk")
    try:
        library = Library(make_config(mnt / "data"))
        assert library.ingest([SAMPLE_CORPUS / "press"]).ok
        ballast = mnt / "ballast"
        with open(ballast, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
                    out.flush()
            except OSError:
                pass  # the disk is full
        with pytest.raises(StoreUnavailable, match="disk|full|space"):
            library.ingest([SAMPLE_CORPUS / "news", SAMPLE_CORPUS / "rules"])
        ballast.unlink()
        report = library.ingest([SAMPLE_CORPUS / "news", SAMPLE_CORPUS / "rules"])
        assert report.ok, report.failures
        assert_consistent(library)
        assert not library.ask(QUESTION).refused
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
