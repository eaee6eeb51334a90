"""Dispatch: each extension's reader sniffs the content for a domain format first; unusable files
raise IngestError with a reason; every document in the shared corpus gets its publication date."""

import pytest

from listlens.ingest.errors import IngestError
from listlens.ingest.readers import iter_files, read_bytes, read_path
from tests.ingest.helpers import CORPUS, FIXTURES, needs_corpus, read_one


@pytest.mark.parametrize("name, doc_type", [
    ("fr_rule.xml", "fr_rule"), ("fr_rule.txt", "fr_rule"), ("fr_api.json", "fr_rule"),
    ("nsfreg_sample.json", "list"), ("csl_compact.json", "list"), ("csl_tradegov.csv", "list"),
    ("ecfr_section.md", "regulation"), ("news_archive.md", "news"), ("dateline.txt", "news"),
    ("fr_abstract.md", "fr_abstract"), ("article.html", "news")])
def test_domain_formats_are_recognised_by_content(name, doc_type):
    doc = read_one(FIXTURES / name)
    assert doc.metadata["doc_type"] == doc_type
    assert doc.metadata["content_hash"] and doc.metadata["source"] == doc.source
    for section in doc.sections or []:
        assert 0 <= section.start < section.end <= len(doc.text)
        assert all(isinstance(v, (str, int, float, bool)) for v in section.metadata.values())


def test_other_content_falls_back_to_the_generic_readers():
    assert read_bytes(b"<note><p>Hello there</p></note>", "n.xml")[0].metadata["doc_type"] == "xml"
    assert read_bytes(b'{"a": [{"b": 1}]}', "d.json")[0].metadata["doc_type"] == "json"
    assert read_bytes(b"x,y\n1,2\n", "t.csv")[0].metadata["doc_type"] == "csv"
    assert read_bytes(b"Just some notes.", "t.txt")[0].metadata["doc_type"] == "text"


@pytest.mark.parametrize("data, suffix, reason", [
    (b"   \n", ".txt", "empty"),
    (b"{}", ".json", "no text found"),
    (b"<a>   </a>", ".xml", "no text found"),
    (b"<html><body><nav>Only a menu</nav></body></html>", ".html", "no text found"),
    (b"<html><body><article><nav>menu</nav></article></body></html>", ".html", "no article text"),
    (b'{"fieldKey": {"n": "name"}, "entries": []}', ".json", "no entries"),
])
def test_files_that_parse_to_nothing_say_why(data, suffix, reason):
    with pytest.raises(IngestError, match=reason):
        read_bytes(data, f"file{suffix}")


def test_size_limit_still_applies(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(IngestError, match="over the 1,000-byte limit"):
        read_path(path, max_bytes=1000)


# Publication dates as each file states them (the fr_abstracts use their original FR date, not
# the re-post date; the KrASIA text uses its own date line; eCFR sections the last amendment).
EXPECTED_DATES = {
    "federal_register/FR-2023-03929_additions-of-entities-to-the-entity-list_2023-02-27.xml": "2023-02-27",
    "ecfr/15CFR_744.11_entity-list-criteria.md": "2024-07-18",
    "ecfr/15CFR_744.16_entity-list.md": "2024-07-18",
    "fr_abstracts/2020-02-18-19-08-36-temporary-general-license-extension-of-validity-c43b94.md": "2020-02-18",
    "fr_abstracts/2022-12-19-19-01-55-additions-and-revisions-to-the-entity-list-and-conforming-re-3d346c.md": "2022-12-19",
    "fr_abstracts/2025-01-06-21-49-31-revisions-to-the-entity-list-cfd34e.md": "2025-01-06",
    "fr_abstracts/2025-11-12-21-46-39-revisions-to-the-entity-list-434fd5.md": "2025-11-12",
    "list_data/nsfreg_bis_entity_list.json": "2026-07-09",
    "list_data/csl_screening-list_2026-07-31.json": "2026-07-31",
    "news/krasia/US-adds-12-more-Chinese-tech-firms-to-trade-blacklist.txt": "2025-01-22",
    "news/therecord/Biden-Puts-Top-Chinese-Military-Medical-Institute-on-Export-Control-Blacklist.md": "2021-12-17",
    "news/therecord/US-sanctions-28-quantum-computing-entities-in-China-Russia-Pakistan-Japan.md": "2021-11-26",
    "news/threatpost/Feds-Sanctions-SUEX-Cryptocurrency-Exchange-for-Laundering-Ransomware-Payouts.md": "2021-09-22",
    "news/zdnet/Treasury-Department-sanctions-four-Ukrainians-allegedly-involved-in-Russian-influence-attempts--ZDNet.md": "2022-01-20",
    "news/zdnet/US-gives-Huawei-licence-approval-to-buy-automotive-chips-Report.md": "2021-08-26",
    "news/bleepingcomputer/US-sanctions-former-Ukrainian-official-for-helping-Russian-cyberspies.md": "2022-01-20",
}


@needs_corpus
@pytest.mark.parametrize("relative, expected", sorted(EXPECTED_DATES.items()))
def test_publication_dates_of_real_documents(relative, expected):
    assert read_one(CORPUS / relative).metadata["published"] == expected


@needs_corpus
def test_every_corpus_document_has_a_date_and_sections_or_text():
    files = list(iter_files([CORPUS]))
    assert len(files) == 95
    for path in files:
        for doc in read_path(path):
            assert len(doc.metadata.get("published", "")) == 10, path
            assert doc.text.strip(), path


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<notice><p>&lol3;</p></notice>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE notice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<notice><p>Read this: &secret;</p></notice>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL, BOMB.replace(b"<!DOCTYPE", b"\n" * 3000 + b"<!DOCTYPE")])
def test_xml_declaring_entities_is_refused_with_a_clear_error(data):
    with pytest.raises(IngestError, match="entity declarations is refused") as err:
        read_bytes(data, "notice.xml")
    assert "notice.xml" in str(err.value)


def test_xml_with_a_plain_doctype_is_read():
    doc = read_bytes(b'<?xml version="1.0"?><!DOCTYPE notice SYSTEM "notice.dtd">'
                     b"<notice><p>Acme Optics was added to the Entity List.</p></notice>", "n.xml")[0]
    assert "Acme Optics" in doc.text
