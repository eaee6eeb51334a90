"""The library end to end: ingest into Chroma, ask, get an answer whose citations hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listlens.index.errors import DocumentNotFound, EmptyQuestion, ListLensError
from tests.conftest import SAMPLE_CORPUS, make_config

RULE = next((SAMPLE_CORPUS / "rules").glob("*.xml"))


def _document_text(citation) -> str:
    """The canonical text of the cited document, re-read from its file."""
    from listlens.ingest.readers import read_path

    docs = read_path(Path(citation.file))
    return next(d.text for d in docs if d.source == citation.file)


def test_answer_cites_the_sentence_that_gives_the_reason(sample_library):
    answer = sample_library.ask("Why were NSO Group and Candiru added to the Entity List?")
    assert not answer.refused
    assert answer.citations, "an answer must carry citations"
    quoted = " ".join(c.text for c in answer.citations).lower()
    assert "spyware" in quoted and "foreign governments" in quoted
    for c in answer.citations:
        # Each citation points at the exact span of its document that it quotes.
        assert _document_text(c)[c.start:c.end] == c.text
        assert c.title and c.file


def test_question_about_something_absent_is_refused(sample_library):
    answer = sample_library.ask("What was the quarterly revenue of the Acme Widget Corporation in 1987?")
    assert answer.refused
    assert answer.text.startswith("The documents don't say")


def test_empty_question_is_a_clear_error(sample_library):
    with pytest.raises(EmptyQuestion):
        sample_library.ask("   \n\t ")


def test_overlong_question_is_a_clear_error(sample_library):
    with pytest.raises(ListLensError, match="limit"):
        sample_library.ask("why " * 3000)


def test_control_characters_in_a_question_are_ignored(sample_library):
    answer = sample_library.ask("Why was\x00 Candiru\x07 added to the Entity List?")
    assert not answer.refused


def test_reingesting_unchanged_files_adds_nothing(library):
    first = library.ingest([SAMPLE_CORPUS / "press"])
    assert first.added == 3 and first.nodes > 0
    count = library.store.count()
    second = library.ingest([SAMPLE_CORPUS / "press"])
    assert (second.added, second.replaced, second.unchanged, second.nodes) == (0, 0, 3, 0)
    assert library.store.count() == count


def test_a_changed_file_replaces_its_chunks(library, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nThe first version mentions Zephyrine Holdings only.\n")
    library.ingest([note])
    note.write_text("# Note\n\nThe second version names Borealis Trading instead.\n")
    report = library.ingest([note])
    assert report.replaced == 1
    ids, texts, _ = zip(*library.store.iter_chunks())
    all_text = " ".join(t for batch in texts for t in batch)
    assert "Borealis" in all_text and "Zephyrine" not in all_text
    assert len(library.documents()) == 1


def test_remove_by_path_and_unknown_document(library):
    library.ingest([RULE])
    removed = library.remove(str(RULE))
    assert removed["title"]
    assert library.documents() == [] and library.store.count() == 0
    with pytest.raises(DocumentNotFound):
        library.remove(str(RULE))


BAD_FILES = {
    "corrupt.pdf": b"%PDF-1.4\n this is not really a pdf \x00\x01\x02",
    "binary.txt": bytes(range(256)) * 4,
    "latin1.txt": "Caf\u00e9 na\u00efve".encode("latin-1"),
    "empty.md": b"",
    "broken.json": b'{"entities": [{"name": "A"',
    "broken.xml": b"<RULE><P>unclosed",
    "slides.pptx": b"PK\x03\x04 zip",
}


def test_bad_files_are_reported_and_the_rest_is_ingested(library, tmp_path):
    for name, data in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Treasury designated the Example Exchange on 3 May 2024.\n")
    report = library.ingest([tmp_path])
    failed = {Path(f).name: reason for f, reason in report.failures}
    assert set(failed) == set(BAD_FILES)
    assert "UTF-8" in failed["latin1.txt"] and "empty" in failed["empty.md"]
    assert "unsupported" in failed["slides.pptx"]
    assert report.added == 1 and not report.ok


def test_oversized_file_is_refused_with_the_limit(tmp_path):
    from listlens.index.library import Library

    big = tmp_path / "big.txt"
    big.write_text("Entity List news. " * 70_000)  # about 1.2 MB
    lib = Library(make_config(tmp_path / "data", max_file_mb=1.0))
    report = lib.ingest([big])
    assert report.failures and "limit" in report.failures[0][1]


def test_a_chroma_server_store_is_shared_by_two_libraries(chroma_server, tmp_path):
    from listlens.index.library import Library

    writer = Library(make_config(tmp_path / "a", chroma_url=chroma_server, collection="shared"))
    report = writer.ingest([SAMPLE_CORPUS / "press"])
    assert report.added == 3
    reader = Library(make_config(tmp_path / "b", chroma_url=chroma_server, collection="shared"))
    assert [d["doc_id"] for d in reader.documents()] == [d["doc_id"] for d in writer.documents()]
    answer = reader.ask("Under which executive order was SUEX designated?")
    assert not answer.refused and "13694" in answer.text


def test_an_unreachable_chroma_server_is_a_clear_error(tmp_path):
    from listlens.index.errors import StoreUnavailable
    from listlens.index.library import Library
    from tests.conftest import free_port

    with pytest.raises(StoreUnavailable, match="127.0.0.1"):
        Library(make_config(tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}"))


def _write_list(path: Path, count: int, word: str) -> Path:
    entities = [{"name": f"{word} Instruments Company {i}", "country": "Utopia",
                 "federal_register": f"99 FR {20000 + i}"} for i in range(count)]
    path.write_text(json.dumps({"list_id": "bis-entity-list", "count": count, "entities": entities}))
    return path


def test_two_ingests_at_once_share_the_encoder_workers(tmp_path):
    """Ingests in two threads (two uploads in the UI) share one encoder and its worker
    processes; the one that ends first does not stop the workers under the other."""
    from concurrent.futures import ThreadPoolExecutor

    from listlens.index.library import Library

    jobs = [(Library(make_config(tmp_path / "small")), _write_list(tmp_path / "small.json", 600, "Alder")),
            (Library(make_config(tmp_path / "large")), _write_list(tmp_path / "large.json", 3000, "Birch"))]
    assert jobs[0][0].embedder is jobs[1][0].embedder
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda job: job[0].ingest([job[1]]), jobs))
    assert [r.ok for r in reports] == [True, True], [r.failures for r in reports]
    assert [r.nodes for r in reports] == [601, 3001]  # each list's records and its summary
    assert jobs[0][0].embedder._backend._pool is None  # stopped once both had ended
    hit = jobs[1][0].screen("Birch Instruments Company 2999").matches[0]
    assert hit.record.entity == "Birch Instruments Company 2999"
