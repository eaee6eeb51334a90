"""News and press releases: archive markdown, dated plain text, FR-abstract posts and HTML pages,
with headers, tag blocks and page chrome kept out of the text."""

from listlens.ingest.readers import read_bytes
from tests.ingest.helpers import FIXTURES, read_one, spans


def test_archive_markdown_header_becomes_metadata():
    doc = read_one(FIXTURES / "news_archive.md")
    assert {k: doc.metadata[k] for k in ("doc_type", "publisher", "published", "author", "url")} == {
        "doc_type": "news", "publisher": "Example Wire", "published": "2023-03-03",
        "author": "Pat Writer", "url": "https://news.example.com/commerce-adds-two-optics-firms/"}
    assert doc.text.startswith("Commerce adds two optics firms to the Entity List\n\n"
                               "A short standfirst written for this fixture.\n\n")
    for furniture in ("## Information", "+ Source:", "Tags", "[[", "![Header image]"):
        assert furniture not in doc.text
    assert "| **Northwind Optics Ltd.** | Canada |" in doc.text  # tables stay as written
    # A link keeps only its words, unless it points at a Federal Register document: articles
    # often give the rule's document number nowhere else.
    assert "aimed at sensor supply chains." in doc.text
    assert "The final rule (https://www.federalregister.gov/d/2023-99999) takes effect" in doc.text


def test_dateline_text():
    doc = read_one(FIXTURES / "dateline.txt")
    assert doc.metadata["published"] == "2023-03-03"
    assert doc.metadata["title"] == "Two optics firms land on US trade blacklist"


def test_fr_abstract_uses_original_date_not_the_repost_date():
    doc = read_one(FIXTURES / "fr_abstract.md")
    meta = doc.metadata
    assert (meta["doc_type"], meta["published"], meta["fr_doc"]) == ("fr_abstract", "2023-03-03", "2023-99999")
    assert "February 05, 2026" not in doc.text
    assert "Automated score" not in doc.text
    # The header lines become one sentence saying what the document is.
    assert doc.text.startswith("Federal Register document 2023-99999: Addition of Two Entities")
    assert "published March 3, 2023." in doc.text
    [(summary, _)] = spans(doc, "summary")
    assert "adds two entities under three entries" in summary


def test_html_article_without_boilerplate():
    doc = read_one(FIXTURES / "article.html")
    assert doc.metadata["published"] == "2023-03-03"
    assert (doc.metadata["publisher"], doc.metadata["author"]) == ("Example Wire", "Pat Writer")
    assert "added two optics companies to the Entity List" in doc.text
    assert ("officials said in the rule (https://public-inspection.federalregister.gov/2023-99999.pdf)."
            in doc.text)
    for chrome in ("Home", "Share on X", "Related", "Another story", "covers trade policy",
                   "Most popular", "Copyright"):
        assert chrome not in doc.text


def test_gov_page_is_a_press_release():
    html = (b'<html><head><meta property="og:url" content="https://www.commerce.gov/news/x">'
            b'<meta property="article:published_time" content="2021-11-03"></head><body>'
            b"<article><p>The Department added four companies to the Entity List.</p></article>"
            b"</body></html>")
    [doc] = read_bytes(html, "release.html")
    assert (doc.metadata["doc_type"], doc.metadata["published"]) == ("press_release", "2021-11-03")


def test_plain_text_press_release():
    text = (b"U.S. DEPARTMENT OF THE TREASURY \xe2\x80\x94 PRESS RELEASE\nDate: September 21, 2021\n\n"
            b"Treasury Designates an Exchange\n\nWASHINGTON \xe2\x80\x94 A fixture sentence about a designation.\n")
    [doc] = read_bytes(text, "release.txt")
    meta = doc.metadata
    assert (meta["doc_type"], meta["published"], meta["title"]) == (
        "press_release", "2021-09-21", "Treasury Designates an Exchange")
    assert meta["publisher"] == "U.S. Department of the Treasury"


def test_markdown_article_with_front_matter_prefers_the_original_date():
    text = (b'---\ntitle: "A re-post"\npublisher: "Sample Digest"\ndate: 2022-02-01\n'
            b"original_published: 2021-11-04\nauthor: Someone\n---\n\nBody of the re-posted piece.\n")
    [doc] = read_bytes(text, "repost.md")
    assert (doc.metadata["doc_type"], doc.metadata["published"]) == ("news", "2021-11-04")
    assert doc.text == "Body of the re-posted piece."
