"""Facts live in Chroma with their document: stored at ingest, read back with load_facts, cited
by their spans, replaced with a new version and removed with the document."""

from __future__ import annotations

from listlens.index.facts import load_facts
from listlens.ingest.readers import read_path
from tests.ingest.test_facts import TABLE_ARTICLE


def test_facts_round_trip_cite_their_spans_and_follow_the_document(library, tmp_path):
    path = tmp_path / "brokers.md"
    path.write_bytes(TABLE_ARTICLE)
    assert library.ingest([path]).ok
    text = read_path(path)[0].text
    stored = load_facts(library.store, library.store.ready_versions())
    assert {s.name for sf in stored for s in sf.fact.subjects} == {
        "Halcyon Avionics Ltd.", "Borealis Optics LLC", "Kestrel Parts (HK) Co., Ltd.", "Vostok Trade House"}
    for sf in stored:
        c = sf.citation(3)
        assert c.n == 3 and c.file == str(path.resolve()) and text[c.start:c.end] == c.text == sf.text
        if sf.fact.reason:
            r = sf.reason_citation()
            assert text[r.start:r.end] == r.text == sf.fact.reason
    # A new version replaces the facts; removing the document removes them.
    path.write_bytes(TABLE_ARTICLE.replace(b"| **Vostok Trade House** | Russia | Procuring navigation modules "
                                           b"for the Russian army. |\n", b""))
    assert library.ingest([path]).replaced == 1
    names = {s.name for sf in load_facts(library.store, library.store.ready_versions()) for s in sf.fact.subjects}
    assert "Vostok Trade House" not in names and len(names) == 3
    assert library.store.facts_collection.count() == len(load_facts(library.store, library.store.ready_versions()))
    library.remove(str(path))
    assert load_facts(library.store, library.store.ready_versions()) == []
    assert library.store.facts_collection.count() == 0


def test_unchanged_document_read_by_an_older_reader_gets_its_facts_reread(library, tmp_path):
    path = tmp_path / "brokers.md"
    path.write_bytes(TABLE_ARTICLE)
    assert library.ingest([path]).ok
    store = library.store
    (doc_id, entry), = store.catalog().items()
    # What a store ingested by an older reader looks like: its facts, its reader's stamp.
    store.facts_collection.delete(where={"doc_id": doc_id})
    store.put_document(doc_id, {**entry, "facts": 0, "facts_reader": "0"})
    assert load_facts(store, store.ready_versions()) == []
    report = library.ingest([path])
    assert report.unchanged == 1 and report.nodes == 0  # no chunk was re-embedded
    assert len({s.name for sf in load_facts(store, store.ready_versions()) for s in sf.fact.subjects}) == 4
