"""List records are embedded from their first `record_tokens` tokens (their names); what lies
past that is still found, by keyword search, the entity table and screening, and every record
is still a chunk in Chroma with its whole text."""

from __future__ import annotations

import json

import numpy as np

from listlens.index.library import Library
from tests.conftest import make_config

NAMES = [f"Copperleaf Instruments Company {i}" for i in range(40)]


def write_records(path):
    entities = [{"name": name, "aliases": [f"Alias Number {i} of {name}", f"Glimmerwick Holding {i}"],
                 "country": "Utopia", "address": f"{i} Lantern Lane, Port Example",
                 "federal_register": f"99 FR {31000 + i}, 3/4/29",
                 "notes": "For all items subject to the EAR."} for i, name in enumerate(NAMES)]
    path.write_text(json.dumps({"list_id": "bis-entity-list", "count": len(entities),
                                "entities": entities}))


def test_records_past_their_embedded_tokens_are_still_found(tmp_path):
    write_records(tmp_path / "list.json")
    library = Library(make_config(tmp_path / "data", record_tokens=8))
    report = library.ingest([tmp_path / "list.json"])
    assert report.ok and report.nodes == 41  # 40 records and the list's summary
    got = library.store.chunks.get(where={"kind": "record"}, include=["documents", "embeddings"])
    assert len(got["ids"]) == 40  # every record is a chunk, with its whole text
    text = next(t for t in got["documents"] if t.startswith("Copperleaf Instruments Company 17 "))
    assert "Glimmerwick Holding 17" in text and "99 FR 31017" in text

    # Its vector is that of its first 8 tokens (the start of its name), not of the whole record.
    row = got["documents"].index(text)
    head = library.embedder.encode([text], max_tokens=8)[0]
    whole = library.embedder.encode([text])[0]
    stored = np.asarray(got["embeddings"][row], dtype=np.float32)
    assert float(stored @ head) > 0.99 and float(stored @ head) > float(stored @ whole)

    # The second alias and the citation lie past those tokens: keyword search and the entity
    # table still lead to the record.
    passages = library.retrieve("Which entity is Glimmerwick Holding 17?")
    assert any(p.text.startswith("Copperleaf Instruments Company 17 ") for p in passages[:3])
    question = "Which company was listed under 99 FR 31017?"
    top = library.retriever().keyword.search(question)[0]
    assert library.store.get_chunks([top])[1][0].startswith("Copperleaf Instruments Company 17 ")
    # The answer names it. (Fused retrieval alone may not: with 8-token vectors the 40 records'
    # dense ranks are arbitrary, and reciprocal-rank fusion lets records placed well in both
    # rankings pass one that only keyword search puts first.)
    answer = library.ask(question)
    assert "Copperleaf Instruments Company 17" in answer.text and answer.citations
    assert "Copperleaf Instruments Company 17" in answer.citations[0].text
    # Screening reads every name and alias of a record, however far into it they lie.
    match = library.screen("Glimmerwick Holding 17").matches[0]
    assert match.record.entity == "Copperleaf Instruments Company 17"
    assert match.matched_name == "Glimmerwick Holding 17" and match.is_alias and match.score == 1.0
