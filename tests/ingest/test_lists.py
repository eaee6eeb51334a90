"""Sanctions and export-control lists: every entry becomes exactly one `record` section whose text
is a readable sentence and whose metadata carries the entry's fields."""

import json

import pytest

from listlens.ingest.errors import IngestError
from listlens.ingest.readers import read_bytes
from tests.ingest.helpers import CORPUS, FIXTURES, needs_corpus, read_one, spans


def test_nsfreg_entity_list_record_sentence_and_fields():
    doc = read_one(FIXTURES / "nsfreg_sample.json")
    assert doc.metadata["doc_type"] == "list"
    assert doc.metadata["list_name"] == "Entity List (EL) - Bureau of Industry and Security"
    assert doc.metadata["published"] == "2026-01-15"  # the extraction date
    records = spans(doc, "record")
    text, meta = records[0]
    assert text == ("Northwind Optics Ltd. (a.k.a. Northwind; NW Optics S.A.) of Canada is on the "
                    "Entity List (EL) under 88 FR 50001, 3/3/23; license requirement: For all items "
                    "subject to the EAR. (See § 744.11 of the EAR); address: 12 Harbour Road, "
                    "Halifax, Nova Scotia, Canada.")
    assert meta["aliases"] == "Northwind | NW Optics S.A."
    assert meta["start_date"] == "2023-03-03"  # from the citation's date
    assert meta["fr_citation"] == "88 FR 50001, 3/3/23"


def test_a_record_is_embedded_by_what_identifies_it():
    from listlens.ingest.chunking import chunk_document, embedding_text

    doc = read_one(FIXTURES / "nsfreg_sample.json")
    record = next(n for n in chunk_document(doc) if n.metadata.get("kind") == "record")
    # the licensing terms every entry of the list repeats, and the street address, are left to
    # keyword search; name, aliases, country, list and citation are what the vector is made of
    assert embedding_text(record) == ("Northwind Optics Ltd. (a.k.a. Northwind; NW Optics S.A.) of "
                                      "Canada is on the Entity List (EL) under 88 FR 50001, 3/3/23")
    [cmic] = [n for n in chunk_document(read_one(FIXTURES / "nscmic_sample.json"))
              if n.metadata.get("kind") == "record"]
    assert "effective: 2022-02-08" in embedding_text(cmic) and "CMIC-EO13959" in embedding_text(cmic)


def test_a_malformed_entry_is_kept_not_dropped():
    records = spans(read_one(FIXTURES / "nsfreg_sample.json"), "record")
    assert len(records) == 3
    assert records[2][0] == "(unnamed entry) is on the Entity List (EL)."


def test_nscmic_listing_date_and_program():
    [(text, meta)] = spans(read_one(FIXTURES / "nscmic_sample.json"), "record")
    assert meta["start_date"] == "2021-12-10"
    assert meta["programs"] == "CMIC-EO13959"
    assert "effective: 2022-02-08" in text


def test_compact_csl_resolves_index_tables_and_country_codes():
    doc = read_one(FIXTURES / "csl_compact.json")
    records = spans(doc, "record")
    assert len(records) == 3
    first = records[0][1]
    assert first["country"] == "Canada | Russia"
    assert first["list_name"] == "Entity List (EL) - Bureau of Industry and Security"
    assert first["license_policy"] == "Presumption of denial."
    # An index outside its table is reported in the record, not raised or dropped.
    assert records[1][1]["license_policy"] == "(unknown licencePolicies #7)"
    assert records[2][1]["programs"] == "RUSSIA-EO14024"
    [(counts, _)] = spans(doc, "summary")
    assert "Entity List (EL) - Bureau of Industry and Security: 2" in counts


@pytest.mark.parametrize("name, expected", [("csl_tradegov.csv", 2), ("csl_tradegov.json", 1)])
def test_tradegov_csv_and_json(name, expected):
    records = spans(read_one(FIXTURES / name), "record")
    assert len(records) == expected
    meta = records[0][1]
    assert (meta["entity"], meta["country"], meta["start_date"]) == (
        "Northwind Optics Ltd.", "Canada", "2023-03-03")
    assert meta["fr_citation"] == "88 FR 50001"


def test_csv_programs_split_on_semicolons():
    meta = spans(read_one(FIXTURES / "csl_tradegov.csv"), "record")[1][1]
    assert meta["programs"] == "RUSSIA-EO14024 | IRAN"


def test_a_list_with_no_entries_is_an_error():
    with pytest.raises(IngestError, match="no entries"):
        read_bytes(b'{"list_id": "bis-meu", "entities": []}', "empty.json")
    with pytest.raises(IngestError, match="header but no rows"):
        read_bytes(b"name,source,alt_names\n", "empty.csv")


@needs_corpus
@pytest.mark.parametrize("name", ["nsfreg_bis_entity_list.json", "nsfreg_bis_meu.json",
                                  "nsfreg_ofac_nscmic.json", "csl_screening-list_2026-07-31.json"])
def test_real_lists_have_one_record_per_entry(name):
    path = CORPUS / "list_data" / name
    raw = json.loads(path.read_text(encoding="utf-8"))
    expected = len(raw.get("entities") or raw.get("entries"))
    assert expected == raw.get("count", raw.get("entryCount"))
    doc = read_one(path)
    assert len(spans(doc, "record")) == expected


@needs_corpus
def test_real_entity_list_record():
    doc = read_one(CORPUS / "list_data" / "nsfreg_bis_entity_list.json")
    nso = next(m for _, m in spans(doc, "record") if m.get("entity") == "NSO Group")
    assert (nso["country"], nso["fr_citation"], nso["start_date"]) == (
        "Israel", "86 FR 60760, 11/4/21", "2021-11-04")
