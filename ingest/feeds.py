"""Web intake: fetch a page or an RSS/Atom feed over HTTP(S) and turn it into documents.

A page goes through the same readers as a file (`read_bytes`), with its URL as its source, so its
identity is the URL and re-fetching unchanged content adds nothing. A feed is parsed with the
standard library (RSS 2.0, RSS 1.0/RDF and Atom); each item's link is fetched as a page and the
item's title, date and link become metadata. Every failure is an `IngestError` naming the URL.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

from listlens.ingest.dates import parse_date
from listlens.ingest.errors import IngestError
from listlens.ingest.readers import DEFAULT_MAX_BYTES, read_bytes
from listlens.ingest.types import ParsedDocument

TIMEOUT_S = 20.0
USER_AGENT = "ListLens/0.1 (+sanctions document intake)"
_FEED_TYPES = ("rss", "atom", "rdf")
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _root(fetched: Fetched) -> ElementTree.Element | None:
    head = fetched.data[:2048].lstrip()
    if not head.startswith(b"<") or b"<html" in head.lower():
        return None
    if b"<!ENTITY" in fetched.data:
        raise IngestError(fetched.url, "XML with entity declarations is refused (entity expansion)")
    try:
        return ElementTree.fromstring(fetched.data)
    except ElementTree.ParseError as exc:
        if "rss" in fetched.content_type or "atom" in fetched.content_type:
            raise IngestError(fetched.url, f"malformed feed: {exc}") from exc
        return None  # some other broken XML: the readers will say what is wrong


def is_feed(fetched: Fetched) -> bool:
    if any(t in fetched.content_type for t in ("rss", "atom")):
        return True
    root = _root(fetched)
    return root is not None and _local(root.tag) in ("rss", "feed", "rdf")


def _child_text(el: ElementTree.Element, *names: str) -> str:
    for child in el:
        if _local(child.tag) in names and (child.text or "").strip():
            return " ".join(child.text.split())
    return ""


def _atom_link(entry: ElementTree.Element) -> str:
    links = [c for c in entry if _local(c.tag) == "link"]
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "")
    return links[0].get("href", "") if links else ""


def parse_feed(fetched: Fetched) -> list[FeedItem]:
    """The items of an RSS or Atom feed, links made absolute. Raises IngestError if malformed."""
    root = _root(fetched)
    if root is None or _local(root.tag) not in ("rss", "feed", "rdf"):
        raise IngestError(fetched.url, "malformed feed: not RSS or Atom XML")
    items: list[FeedItem] = []
    for el in root.iter():
        kind = _local(el.tag)
        if kind == "item":  # RSS 2.0 and RSS 1.0
            link = _child_text(el, "link") or _child_text(el, "guid")
            date = _child_text(el, "pubdate", "date", "published")
        elif kind == "entry":  # Atom
            link = _atom_link(el)
            date = _child_text(el, "published", "updated")
        else:
            continue
        if link:
            items.append(FeedItem(_child_text(el, "title"), urljoin(fetched.url, link.strip()),
                                  parse_date(date) or "" if date else ""))
    if not items and not any(_local(e.tag) in ("channel", "title") for e in root.iter()):
        raise IngestError(fetched.url, "malformed feed: no channel and no items")
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
