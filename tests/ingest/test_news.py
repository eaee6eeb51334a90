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


TABLE_PAGE = b"""<html><head><title>Three suppliers listed | Example Wire</title></head><body>
<nav><a href="/">Home</a> <a href="/trade">Trade</a></nav>
<article><h1>Three suppliers listed</h1>
<p>The Bureau of Industry and Security added three suppliers of drone parts to the Entity List,
the rule (<a href="https://www.federalregister.gov/documents/2031/05/06/2031-11111/additions">2031-11111</a>) says.</p>
<table><thead><tr><th>Entity</th><th>Country</th><th>Reason</th></tr></thead><tbody>
<tr><td>Kestrel Avionics Ltd.</td><td>China</td><td>Supplied flight controllers to a military end user</td></tr>
<tr><td>Vantor Components</td><td>Turkey</td><td>Diverted engines to Iran</td></tr>
<tr><td>Ostrava Motion s.r.o.</td><td>Czechia</td><td>Re-exported servo motors without a license</td></tr>
</tbody></table>
<p>Exports to the three firms now need a license, <a href="https://news.example.com/policy">officials said</a>.</p>
</article><footer>Copyright Example Wire</footer></body></html>"""


def test_html_tables_keep_one_row_per_line_and_fr_links_stay():
    [doc] = read_bytes(TABLE_PAGE, "suppliers.html")
    lines = doc.text.split("\n")
    for entity, country in (("Kestrel Avionics Ltd.", "China"), ("Vantor Components", "Turkey"),
                            ("Ostrava Motion s.r.o.", "Czechia")):
        assert any(entity in line and country in line for line in lines), entity
    assert "(https://www.federalregister.gov/documents/2031/05/06/2031-11111/additions)" in doc.text
    assert "officials said." in doc.text and "news.example.com" not in doc.text  # other links: words only
    assert "Home" not in doc.text and "Copyright" not in doc.text


def test_a_short_page_without_semantic_markup_is_still_read():
    [doc] = read_bytes(b"<html><body><div class='copy'>Quill Maritime was added to the Entity List "
                       b"on 2 May 2031.</div></body></html>", "short.html")
    assert doc.text == "Quill Maritime was added to the Entity List on 2 May 2031."
