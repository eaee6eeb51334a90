"""Summaries: one cited row per entity acted on, merged across documents, disagreements shown,
a narrative whose every sentence is cited (and, for LLM text, checked)."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from listlens.index.summarize import summarize
from tests.conftest import SAMPLE_CORPUS, SHARED_CORPUS, make_config, run_cli
from tests.index.llm_fixtures import local_generator, model_cache, small_model_path  # noqa: F401

FR_RULE = SHARED_CORPUS / "raw" / "federal_register"
NEWS = SHARED_CORPUS / "raw" / "news"
NOV_2021_NEWS = [  # the coverage of the 3 November 2021 Entity List additions
    "therecord/US-sanctions-four-companies-selling-hacking-tools-including-NSO-Group--Candiru.md",
    "bleepingcomputer/US-sanctions-NSO-Group-and-three-others-for-spyware-and-exploit-sales.md",
    "zdnet/Commerce-Dept-sanctions-NSO-Group-Positive-Technologies-and-more-for-selling-spyware-and-hacking-tools.md",
    "threatpost/US-Blacklists-Pegasus-Spyware-Maker.md",
]
SPYWARE_DOCS = [next((SAMPLE_CORPUS / "rules").glob("FR-2021-24123*.xml")),
                SAMPLE_CORPUS / "press" / "2021-11-03_commerce-adds-spyware-companies-to-entity-list.html",
                SAMPLE_CORPUS / "news" / "2022-02-01_repost-spyware-vendors-entity-list.md"]
needs_shared = pytest.mark.skipif(not SHARED_CORPUS.exists(), reason="../shared/corpus is absent")


def _text_of(file: str) -> str:
    from listlens.ingest.readers import read_path

    return read_path(Path(file))[0].text


def _assert_cited(summary) -> None:
    """Every row and narrative sentence carries citations that quote their document exactly."""
    by_n = {c.n: c for c in summary.citations}
    texts: dict[str, str] = {}
    for c in summary.citations:
        text = texts.setdefault(c.file, _text_of(c.file))
        assert text[c.start:c.end] == c.text
    for row in summary.rows:
        assert row.citations and all(n in by_n for n in row.citations), row
    assert 1 <= len(summary.sentences) <= 8
    for s in summary.sentences:
        assert s.citations and all(n in by_n for n in s.citations), s


def _row(summary, name: str):
    return next(r for r in summary.rows if r.entity.lower().startswith(name.lower()))


def test_rule_press_and_news_merge_into_one_row_per_entity(sample_library):
    summary = sample_library.summarize(doc_ids=[str(p) for p in SPYWARE_DOCS])
    names = sorted(r.entity for r in summary.rows)
    assert len(names) == 4, names
    assert {"Candiru", "NSO Group", "Positive Technologies"} <= set(names)
    assert _row(summary, "Computer Security").countries == ["Singapore"]
    nso = _row(summary, "NSO Group")
    assert nso.countries == ["Israel"] and nso.action == "added" and nso.list_name == "Entity List"
    assert "spyware" in nso.reason and nso.fr_citation.startswith("86 FR 607")
    assert nso.published == "2021-11-04"  # the rule's date, not the press release's
    assert len(nso.sources) == 3, "the rule, the press release and the news report all name it"
    assert "4 entities added to the Entity List" in summary.headline
    _assert_cited(summary)


def test_formats(sample_library):
    summary = sample_library.summarize(doc_ids=[str(SPYWARE_DOCS[0])])
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["headline"] and len(data["rows"]) == 4 and data["citations"]
    rows = list(csv.DictReader(io.StringIO(summary.to_csv())))
    assert {r["entity"] for r in rows} == {r.entity for r in summary.rows}
    assert all("@" in r["citations"] for r in rows)
    md = summary.to_markdown()
    assert md.startswith("## ") and "| NSO Group |" in md and "[^1]:" in md


def test_documents_that_disagree_on_a_count_are_shown_with_sources(library, tmp_path):
    one = tmp_path / "one.md"
    two = tmp_path / "two.md"
    one.write_text("# Commerce lists brokers\n\nCommerce added three companies to the Entity List on "
                   "May 2, 2024. Halcyon Avionics and Borealis Optics were added for supplying "
                   "drone parts to Iran. Halcyon Avionics denied wrongdoing.\n")
    two.write_text("# Brokers blacklisted\n\nCommerce added four companies to the Entity List, "
                   "among them Halcyon Avionics and Borealis Optics. Borealis Optics was added "
                   "because it shipped sensors to Iran.\n")
    assert library.ingest([one, two]).ok
    summary = library.summarize(doc_ids=[str(one), str(two)])
    assert {r.entity for r in summary.rows} == {"Halcyon Avionics", "Borealis Optics"}
    counts = [c for c in summary.conflicts if c.subject == "number of entities acted on"]
    assert counts, summary.conflicts
    values = {v["value"]: v["sources"] for v in counts[0].values}
    assert values == {3: [str(one.resolve())], 4: [str(two.resolve())]}
    assert "Sources disagree on number of entities" in summary.to_markdown()


def test_since_until_and_new(sample_library):
    summary = sample_library.summarize(since="2021-11-01", until="2021-11-05")
    assert {"NSO Group", "Candiru"} <= {r.entity for r in summary.rows}
    assert all("2021-11-01" <= d["published"] <= "2021-11-05" for d in summary.documents)
    assert sample_library.new_since("2999-01-01") == []
    assert len(sample_library.new_since("2000-01-01")) == len(sample_library.documents())


def test_an_llm_narrative_is_checked_and_invented_sentences_dropped(sample_library):
    class Scripted:  # a model that gets one sentence right and invents another
        name = "scripted"

        def generate(self, messages, max_tokens=256, temperature=0.0):
            assert "NSO Group" in messages[-1]["content"]
            return ("NSO Group and Candiru were listed for supplying spyware to foreign governments. [1] "
                    "The companies paid a fine of 45 million dollars in 2019. [2]")

    lib = sample_library
    docs = lib._select([str(SPYWARE_DOCS[0])], None, None, None)
    summary = summarize(lib.store, docs, lib.embedder, Scripted())
    assert summary.backend == "scripted"
    said = [s.text for s in summary.sentences]
    assert said[0] == "NSO Group and Candiru were listed for supplying spyware to foreign governments."
    assert not any("million" in s for s in said) and "unsupported" in summary.notice
    assert len(said) >= 3, "key sentences of the documents fill in what the check removed"
    _assert_cited(summary)


def test_local_model_narrative(sample_library, local_generator):  # noqa: F811
    lib = sample_library
    docs = lib._select([str(p) for p in SPYWARE_DOCS], None, None, None)
    started = time.perf_counter()
    summary = summarize(lib.store, docs, lib.embedder, local_generator)
    print(f"local summary in {time.perf_counter() - started:.1f} s via {summary.backend}")
    assert len(summary.rows) == 4
    _assert_cited(summary)


def test_cli_summarize_json(tmp_path):
    data = tmp_path / "data"
    assert run_cli("ingest", str(SPYWARE_DOCS[1]), "--data-dir", str(data)).returncode == 0
    done = run_cli("summarize", "--doc", str(SPYWARE_DOCS[1]), "--format", "json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert {"NSO Group", "Candiru"} <= {r["entity"] for r in json.loads(done.stdout)["rows"]}
    missing = run_cli("summarize", "--doc", "nope.txt", "--data-dir", str(data))
    assert missing.returncode == 1 and "no document" in missing.stderr


@pytest.fixture(scope="module")
def shared_library(tmp_path_factory):
    """Only the files the done-when checks need (the whole corpus holds 30k list records)."""
    from listlens.index.library import Library

    lib = Library(make_config(tmp_path_factory.mktemp("shared") / "data"))
    report = lib.ingest([*FR_RULE.glob("*.xml"), *(NEWS / f for f in NOV_2021_NEWS)])
    assert report.ok, report.failures
    return lib


@needs_shared
def test_full_rule_lists_every_entity_with_country_and_reason(shared_library):
    from listlens.ingest.readers import read_path

    rule = next(FR_RULE.glob("*.xml"))
    entries = [s.metadata for s in read_path(rule)[0].sections if s.kind == "table_entry"]
    expected: dict[str, set[str]] = {}
    for e in entries:
        expected.setdefault(e["entity"], set()).add(e["country"])
    summary = shared_library.summarize(doc_ids=[str(rule)])
    got = {r.entity: set(r.countries) for r in summary.rows}
    assert got == expected  # 10 entities over 13 entries: China HEAD in 3 countries, Spacety in 2
    for row in summary.rows:
        assert "significantly contribute to Russia's military" in row.reason, row.entity
        assert row.fr_citation == "88 FR 12170" and row.effective == "2023-02-24"
        assert row.published == "2023-02-27" and row.action == "added"
    assert "10 entities added to the Entity List" in summary.headline
    _assert_cited(summary)


@needs_shared
def test_november_2021_news_names_the_four_companies_with_reasons(shared_library):
    summary = shared_library.summarize(doc_ids=[str(NEWS / f) for f in NOV_2021_NEWS])
    expected = {"NSO Group": ("Israel", "spyware"), "Candiru": ("Israel", "spyware"),
                "Positive Technologies": ("Russia", "traffic"),
                "Computer Security Initiative Consultancy": ("Singapore", "traffic")}
    for name, (country, reason) in expected.items():
        row = _row(summary, name)
        assert country in row.countries, row
        assert reason in row.reason.lower(), row
    assert len(summary.rows) <= 6, [r.entity for r in summary.rows]  # little noise besides
    _assert_cited(summary)


def test_table_article_gives_one_row_per_table_entity_and_states_the_count(library, tmp_path):
    from tests.ingest.test_facts import TABLE_ARTICLE

    path = tmp_path / "brokers.md"
    path.write_bytes(TABLE_ARTICLE)
    assert library.ingest([path]).ok
    summary = library.summarize(doc_ids=[str(path)])
    rows = {r.entity: r for r in summary.rows}
    assert set(rows) == {"Halcyon Avionics Ltd.", "Borealis Optics LLC", "Kestrel Parts (HK) Co., Ltd.",
                         "Vostok Trade House"}
    vostok = rows["Vostok Trade House"]
    assert vostok.countries == ["Russia"] and vostok.action == "added" and vostok.list_name == "Entity List"
    assert vostok.reason == "Procuring navigation modules for the Russian army."
    # The article says five; its table names four: the headline says both.
    assert summary.headline.startswith("5 entities added to the Entity List (4 of them named)")
    _assert_cited(summary)
    by_n = {c.n: c for c in summary.citations}
    assert any(vostok.reason in by_n[n].text for n in vostok.citations)  # the row quotes its reason


def test_designation_is_designated_and_an_injected_line_is_never_a_row_or_footnote(library, tmp_path):
    from tests.ingest.test_facts import DESIGNATION

    path = tmp_path / "pelican.txt"
    path.write_bytes(DESIGNATION)
    assert library.ingest([path]).ok
    summary = library.summarize(doc_ids=[str(path)])
    rows = {r.entity: r for r in summary.rows}
    assert set(rows) == {"Pelican Exchange OU", "Ivo Tamm", "Liisa Kask"}
    assert all(r.action == "designated" and r.list_name == "SDN List" for r in rows.values())
    assert rows["Pelican Exchange OU"].aliases == ["Pelican"]
    assert not any("ignore previous" in c.text.lower() for c in summary.citations)
    assert "removed" not in summary.headline
    _assert_cited(summary)


def test_sample_november_2021_reads_tables_designations_and_skips_injected_text(sample_library):
    summary = sample_library.summarize(since="2021-11-01", until="2021-11-30")
    rows = {r.entity: r for r in summary.rows}
    assert rows["Chatex"].action == "designated" and rows["Chatex"].list_name == "SDN List"
    assert rows["Moscow Institute of Physics and Technology"].list_name == "MEU List"
    assert rows["Muhammad Farrukh"].countries == ["Pakistan"]
    assert "Hefei National Laboratory for Physical Sciences at Microscale" in rows
    names = " ".join(rows)
    for not_a_party in ("SDN", "Technology", "Raimondo", "Treasury", "Commerce"):
        assert not_a_party not in rows and "Raimondo" not in names
    assert not any(r.action == "removed" for r in summary.rows)
    assert not any("ignore previous" in c.text.lower() for c in summary.citations)
    _assert_cited(summary)
