"""The keyword index and the entity table are made by the ingest, not by the first question, and
a new ingest merges both from per-document shards instead of reading every chunk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from listlens.index.entities import NORMALIZE_VERSION
from listlens.index.library import Library
from listlens.index.screen import lists_fingerprint
from listlens.index.store import Store
from tests.conftest import make_config


def write_list(path: Path, names: list[str], country: str) -> Path:
    """A list file in the nsfreg format with made-up entities."""
    entities = [{"name": name, "aliases": [f"{name.split()[0]} Alias {i}"], "country": country,
                 "address": f"{i} Quay Street, Port Example",
                 "federal_register": "99 FR 12345, 1/2/25",
                 "notes": "For all items subject to the EAR."} for i, name in enumerate(names)]
    path.write_text(json.dumps({"list_id": "bis-entity-list", "count": len(entities),
                                "entities": entities}))
    return path


def current_files(library: Library) -> tuple[Path, Path]:
    fingerprint = Store.fingerprint(library.store.ready_versions())
    cache = library.config.cache_dir
    return cache / f"bm25-{fingerprint}.json", cache / f"entities-{NORMALIZE_VERSION}-{fingerprint}.json"


def screen_cache(library: Library) -> Path:
    cached = list(library.config.cache_dir.glob(
        f"screen-*-{lists_fingerprint(library.store.ready_catalog())}.json"))
    assert len(cached) == 1
    return cached[0]


def test_an_ingest_leaves_the_caches_of_the_library_it_made(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_list(corpus / "first.json", ["Quillfeather Optics Company", "Marrowdale Systems Ltd"],
               "Utopia")
    library = Library(make_config(tmp_path / "data"))
    library.ingest([corpus])
    bm25, table = current_files(library)
    assert bm25.exists() and table.exists()
    shards = sorted((library.config.cache_dir / "entity-shards").glob("*.json"))
    words = sorted((library.config.cache_dir / "keyword-shards").glob("*.npz"))
    assert len(shards) == 1 and len(words) == 1
    first_shard, first_words = shards[0].stat().st_mtime_ns, words[0].stat().st_mtime_ns

    write_list(corpus / "second.json", ["Tanglewood Avionics JSC"], "Erewhon")
    library.ingest([corpus])  # the first file is unchanged: its shard is reused, not rewritten
    bm25_2, table_2 = current_files(library)
    assert table_2 != table and table_2.exists() and not table.exists()
    assert bm25_2.exists() and not bm25.exists()
    shards = sorted((library.config.cache_dir / "entity-shards").glob("*.json"))
    assert len(shards) == 2 and min(s.stat().st_mtime_ns for s in shards) == first_shard
    words = sorted((library.config.cache_dir / "keyword-shards").glob("*.npz"))
    assert len(words) == 2 and min(s.stat().st_mtime_ns for s in words) == first_words
    # the screening index too: made by the ingest from one normalised shard per list document
    assert screen_cache(library).exists()
    assert len(list((library.config.cache_dir / "screen-shards").glob("*.json"))) == 2

    # A fresh process finds both entities (and an alias) through the caches the ingest left.
    fresh = Library(make_config(tmp_path / "data"))
    table = fresh.retriever().entities
    assert [e.name for e in table.find_in("Is Tanglewood Avionics listed?")] == ["Tanglewood Avionics JSC"]
    assert [e.name for e in table.lookup("Quillfeather Alias 0")] == ["Quillfeather Optics Company"]
    assert "Erewhon" in table.lookup("Tanglewood Avionics")[0].countries
    before = screen_cache(fresh).stat().st_mtime_ns
    assert fresh.screen("Tanglewood Avionic").matches[0].record.entity == "Tanglewood Avionics JSC"
    assert screen_cache(fresh).stat().st_mtime_ns == before  # read, not rebuilt
    ids = fresh.retriever().keyword.search("Marrowdale")
    assert fresh.store.get_chunks(ids[:1])[1][0].startswith("Marrowdale")


def test_an_article_leaves_the_screening_index_as_it_is(tmp_path):
    """Only list documents change what screening reads, so adding a rule or an article costs no
    rebuild of the screening index (linear in the library's records)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_list(corpus / "list.json", ["Brackenridge Marine Ltd"], "Utopia")
    library = Library(make_config(tmp_path / "data"))
    library.ingest([corpus])
    screening, (bm25, _) = screen_cache(library), current_files(library)
    made_at = screening.stat().st_mtime_ns
    (corpus / "article.md").write_text(
        "# Harbour firm named in export case\n\nPublished: 2025-03-04\n\n"
        "Brackenridge Marine Ltd was added to a trade list after regulators said it shipped "
        "navigation parts without a licence.\n")
    report = library.ingest([corpus])
    assert report.added == 1 and report.unchanged == 1
    assert current_files(library)[0] != bm25  # the keyword index holds the article now
    assert screen_cache(library) == screening and screening.stat().st_mtime_ns == made_at
    assert library.screen("Brackenridge Marine").matches[0].record.entity == "Brackenridge Marine Ltd"


def test_a_lost_shard_is_read_back_from_chroma(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_list(corpus / "list.json", ["Saltmarsh Robotics Company"], "Utopia")
    library = Library(make_config(tmp_path / "data"))
    library.ingest([corpus])
    shutil.rmtree(library.config.cache_dir)  # caches are caches: Chroma holds the truth
    fresh = Library(make_config(tmp_path / "data"))
    assert [e.name for e in fresh.retriever().entities.find_in("Saltmarsh Robotics")] == [
        "Saltmarsh Robotics Company"]
    assert len(list((fresh.config.cache_dir / "entity-shards").glob("*.json"))) == 1
    assert fresh.store.get_chunks(fresh.retriever().keyword.search("Saltmarsh")[:1])[1][0].startswith(
        "Saltmarsh")
    assert len(list((fresh.config.cache_dir / "keyword-shards").glob("*.npz"))) == 1


def test_removing_a_document_drops_it_from_the_next_table(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_list(corpus / "keep.json", ["Brightwater Marine Company"], "Utopia")
    gone = write_list(corpus / "gone.json", ["Cinderfall Metals Company"], "Utopia")
    library = Library(make_config(tmp_path / "data"))
    library.ingest([corpus])
    library.remove(str(gone))
    table = library.retriever().entities
    assert not table.find_in("Cinderfall Metals") and table.find_in("Brightwater Marine")
    assert len(list((library.config.cache_dir / "entity-shards").glob("*.json"))) == 1
    assert len(list((library.config.cache_dir / "keyword-shards").glob("*.npz"))) == 1
    assert not any(library.store.get_chunks([i])[1][0].startswith("Cinderfall")
                   for i in library.retriever().keyword.search("Cinderfall Metals"))
