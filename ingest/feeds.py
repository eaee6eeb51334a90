"""Web intake: fetch a page or an RSS/Atom feed over HTTP(S) and turn it into documents.

A page goes through the same readers as a file (`read_bytes`), with its URL as its source, so its
identity is the URL and re-fetching unchanged content adds nothing. A feed is parsed by feedparser
(RSS 0.9x/1.0/2.0 and Atom) once defusedxml has checked it declares no entities; each item's link
is fetched as a page and the item's title, date and link become metadata. Every failure is an
`IngestError` naming the URL.
"""

from __future__ import annotations

import io
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import feedparser

from listlens.ingest.errors import IngestError
from listlens.ingest.readers import DEFAULT_MAX_BYTES, parse_xml, read_bytes
from listlens.ingest.types import ParsedDocument

TIMEOUT_S = 20.0
USER_AGENT = "ListLens/0.1 (+sanctions document intake)"
# Content types that name the reader better than the URL does (most pages have no suffix).
_SUFFIX_BY_TYPE = {"text/html": ".html", "application/xhtml+xml": ".html", "application/json": ".json",
                   "application/pdf": ".pdf", "text/plain": ".txt", "text/markdown": ".md",
                   "text/csv": ".csv", "application/xml": ".xml", "text/xml": ".xml"}


@dataclass
class Fetched:
    url: str  # as asked for: the document's identity
    data: bytes
    content_type: str  # lower case, no parameters


@dataclass
class FeedItem:
    title: str
    link: str
    published: str  # YYYY-MM-DD or ""


def is_url(text: str) -> bool:
    return urlparse(str(text)).scheme in ("http", "https")


def fetch(url: str, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = TIMEOUT_S) -> Fetched:
    """GET `url`. Raises IngestError (naming the URL) when it cannot be had."""
    if not is_url(url):
        raise IngestError(url, "only http:// and https:// URLs can be fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
            data = response.read(max_bytes + 1)
            content_type = response.headers.get_content_type().lower()
    except urllib.error.HTTPError as exc:
        raise IngestError(url, f"the server answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise IngestError(url, f"unreachable: {exc.reason}") from exc
    except (TimeoutError, socket.timeout) as exc:
        raise IngestError(url, f"no answer within {timeout:g} s") from exc
    except (OSError, ValueError) as exc:  # reset connections, malformed URLs
        raise IngestError(url, f"could not be fetched: {exc}") from exc
    if len(data) > max_bytes:
        raise IngestError(url, f"the response is over the {max_bytes:,}-byte limit")
    return Fetched(url, data, content_type)


def _looks_like_xml(data: bytes) -> bool:
    head = data[:2048].lstrip()
    return head.startswith(b"<") and b"<html" not in head.lower()


def _refuse_unsafe_xml(fetched: Fetched) -> None:
    """Raise IngestError for a feed declaring entities (defusedxml's rules, as for XML files).
    Malformed XML is left to feedparser, whose lenient parser reads many broken feeds."""
    try:
        parse_xml(fetched.data, fetched.url)
    except ElementTree.ParseError:
        pass


def _parsed(fetched: Fetched) -> feedparser.FeedParserDict:
    _refuse_unsafe_xml(fetched)
    # A stream, so feedparser never takes the data for a URL or a file name to open.
    return feedparser.parse(io.BytesIO(fetched.data))


def is_feed(fetched: Fetched) -> bool:
    if any(t in fetched.content_type for t in ("rss", "atom")):
        return True
    return _looks_like_xml(fetched.data) and bool(_parsed(fetched).version)


def _date(entry: feedparser.FeedParserDict) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else ""


def parse_feed(fetched: Fetched) -> list[FeedItem]:
    """The items of an RSS (0.9x, 1.0, 2.0) or Atom feed, parsed by feedparser, links made
    absolute. Raises IngestError when the data is no feed or a broken one with no usable item."""
    if not _looks_like_xml(fetched.data):
        raise IngestError(fetched.url, "malformed feed: not RSS or Atom XML")
    feed = _parsed(fetched)
    # feedparser reads what it can of a broken feed and flags it ("bozo"); a feed it could
    # read no item from is an error, not an empty feed.
    items = [FeedItem(" ".join(e.get("title", "").split()), urljoin(fetched.url, e.link.strip()),
                      _date(e)) for e in feed.entries if e.get("link")]
    if not feed.version and not items:
        raise IngestError(fetched.url, "malformed feed: not RSS or Atom XML")
    if feed.bozo and not items:
        raise IngestError(fetched.url, f"malformed feed: {feed.get('bozo_exception')}")
    return list({i.link: i for i in items}.values())  # one item per link, feed order


def suffix_for(fetched: Fetched) -> str:
    """The reader to use: the content type when it says, else the URL's suffix, else HTML."""
    if fetched.content_type in _SUFFIX_BY_TYPE:
        return _SUFFIX_BY_TYPE[fetched.content_type]
    return PurePosixPath(urlparse(fetched.url).path).suffix.lower() or ".html"


def read_fetched(fetched: Fetched, item: FeedItem | None = None) -> list[ParsedDocument]:
    docs = read_bytes(fetched.data, fetched.url, suffix_for(fetched))
    for doc in docs:
        meta = doc.metadata
        meta.setdefault("url", fetched.url)
        if item is not None:
            # The feed's own title and date are what the publisher announced; the page's may be
            # missing or generic ("Press release").
            if item.title:
                meta["feed_title"] = item.title
                if not meta.get("title") or meta["title"] == PurePosixPath(urlparse(fetched.url).path).stem:
                    meta["title"] = item.title
            if item.published:
                meta.setdefault("published", item.published)
    return docs
