"""Web intake against pages and feeds served on 127.0.0.1: RSS and Atom parsing, feed items
ingested once (identity = URL), unreachable and malformed URLs reported by name."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from listlens.ingest.errors import IngestError
from listlens.ingest.feeds import fetch, is_feed, parse_feed, read_fetched
from tests.conftest import free_port

PAGE_A = """<html><head><title>Commerce lists two drone parts brokers</title>
<meta property="article:published_time" content="2024-03-05"></head><body><article>
<h1>Commerce lists two drone parts brokers</h1>
<p>The Bureau of Industry and Security added Skyline Parts Trading of Turkey and Aral Components
of Kazakhstan to the Entity List on March 5, 2024.</p>
<p>Both brokers were listed for supplying drone engines to Iranian manufacturers.</p>
</article></body></html>"""
PAGE_B = """<html><head><title>Treasury designates a payments network</title></head><body><article>
<h1>Treasury designates a payments network</h1>
<p>The Treasury Department designated Northgate Settlement Ltd. for moving funds on behalf of a
sanctioned bank.</p></article></body></html>"""
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Agency releases</title>
<item><title>Two drone parts brokers listed</title><link>/press/a</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 -0500</pubDate></item>
<item><title>Payments network designated</title><link>/press/b</link>
<pubDate>Wed, 06 Mar 2024 09:00:00 -0500</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Rules</title><entry><title>Drone brokers</title><link rel="alternate" href="/press/a"/>
<updated>2024-03-05T12:00:00Z</updated></entry></feed>"""
RDF = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.org/"><title>Notices</title></channel>
<item rdf:about="http://example.org/n/1"><title>Broker listed</title><link>/press/a</link>
<dc:date>2024-03-05T08:00:00Z</dc:date></item></rdf:RDF>"""
GUID_ONLY = """<?xml version="1.0"?><rss version="2.0"><channel><title>Releases</title>
<item><title>Network designated</title><guid isPermaLink="true">/press/b</guid></item>
</channel></rss>"""
BOMB = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title></channel></rss>"""
ROUTES = {
    "/feed.rdf": ("application/rdf+xml", RDF), "/guid.rss": ("application/rss+xml", GUID_ONLY),
    "/bomb.rss": ("application/rss+xml", BOMB), "/feed.xml": ("text/xml", RSS),
    "/press/a": ("text/html", PAGE_A), "/press/b": ("text/html", PAGE_B),
    "/feed.rss": ("application/rss+xml", RSS), "/feed.atom": ("application/atom+xml", ATOM),
    "/broken.rss": ("application/rss+xml", "<rss><channel><item><title>cut off"),
    "/dead-link.rss": ("application/rss+xml", RSS.replace("/press/b", "/missing")),
}


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.hits.append(self.path)
        if self.path not in ROUTES:
            self.send_error(404, "Not Found")
            return
        kind, body = ROUTES[self.path]
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_rss_items_are_parsed_with_absolute_links_and_dates(site):
    page = fetch(f"{site}/feed.rss")
    assert is_feed(page)
    items = parse_feed(page)
    assert [i.link for i in items] == [f"{site}/press/a", f"{site}/press/b"]
    assert items[0].title == "Two drone parts brokers listed" and items[0].published == "2024-03-05"


def test_atom_entries_are_parsed(site):
    items = parse_feed(fetch(f"{site}/feed.atom"))
    assert [(i.link, i.published) for i in items] == [(f"{site}/press/a", "2024-03-05")]


def test_rss_1_and_guid_only_items_are_parsed(site):
    page = fetch(f"{site}/feed.rdf")
    assert is_feed(page)
    assert [(i.title, i.link, i.published) for i in parse_feed(page)] == [
        ("Broker listed", f"{site}/press/a", "2024-03-05")]
    assert [i.link for i in parse_feed(fetch(f"{site}/guid.rss"))] == [f"{site}/press/b"]


def test_a_feed_served_as_plain_xml_is_recognised(site):
    page = fetch(f"{site}/feed.xml")
    assert is_feed(page) and len(parse_feed(page)) == 2


def test_a_feed_declaring_entities_is_refused(site):
    with pytest.raises(IngestError, match="entity declarations is refused") as err:
        parse_feed(fetch(f"{site}/bomb.rss"))
    assert f"{site}/bomb.rss" in str(err.value)


def test_a_page_is_read_as_html_with_its_url_as_identity(site):
    page = fetch(f"{site}/press/a")
    assert not is_feed(page)
    doc = read_fetched(page)[0]
    assert doc.source == f"{site}/press/a" and doc.metadata["url"] == doc.source
    assert "Skyline Parts Trading" in doc.text and doc.metadata["published"] == "2024-03-05"


def test_malformed_feed_is_a_clear_error_naming_the_url(site):
    with pytest.raises(IngestError, match="malformed feed") as err:
        parse_feed(fetch(f"{site}/broken.rss"))
    assert f"{site}/broken.rss" in str(err.value)


def test_unreachable_and_missing_urls_are_clear_errors(site):
    with pytest.raises(IngestError, match="HTTP 404"):
        fetch(f"{site}/nowhere")
    dead = f"http://127.0.0.1:{free_port()}/feed.rss"  # nothing listens there
    with pytest.raises(IngestError, match="unreachable") as err:
        fetch(dead, timeout=5)
    assert dead in str(err.value)
    with pytest.raises(IngestError, match="http"):
        fetch("file:///etc/passwd")


def test_feed_items_are_ingested_once_with_feed_metadata(library, site):
    first = library.ingest_url(f"{site}/feed.rss")
    assert first.ok and first.added == 2 and first.files == 2
    docs = {d["source"]: d for d in library.documents()}
    assert set(docs) == {f"{site}/press/a", f"{site}/press/b"}
    assert docs[f"{site}/press/b"]["published"] == "2024-03-06"  # from the feed: the page has none
    _Handler.hits.clear()
    again = library.ingest_url(f"{site}/feed.rss")
    assert again.ok and again.added == 0 and again.unchanged == 2
    assert _Handler.hits == ["/feed.rss"], "items already ingested are not fetched again"
    answer = library.ask("Why were the drone parts brokers listed?")
    assert not answer.refused and answer.citations[0].file == f"{site}/press/a"


def test_one_dead_item_link_loses_nothing_else(library, site):
    report = library.ingest_url(f"{site}/dead-link.rss")
    assert report.added == 1
    assert report.failures == [(f"{site}/missing", "the server answered HTTP 404 Not Found")]
    broken = library.ingest_url(f"{site}/broken.rss")
    assert broken.failures and broken.failures[0][0] == f"{site}/broken.rss"
    assert len(library.documents()) == 1
