"""News articles and press releases, and the Jekyll posts that carry Federal Register abstracts.

Formats: the articleMD archive markdown (title, "## Information:" with Source/Link/Date/Author,
"## Article:", then a tag block), plain text opening with a date line ("Wednesday, 2025 January
22"), Jekyll posts with `item_id: federal_register:...` front matter, and HTML pages. Archive
headers, tag blocks, image lines and page chrome are kept out of the canonical text.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

from listlens.ingest.dates import long_date, parse_date
from listlens.ingest.errors import IngestError
from listlens.ingest.textbuild import TextBuilder, flat_meta
from listlens.ingest.types import Meta, ParsedDocument

_GOV = re.compile(r"Department of|Treasury|Bureau of Industry|White House|Commerce", re.I)


_RELEASE = re.compile(r"PRESS RELEASE|FOR IMMEDIATE RELEASE|Press Office|Office of Public Affairs", re.I)


def _doc_type(publisher: str, url: str, opening: str = "") -> str:
    """A page from a .gov host, published by an agency, or marked as a release is a press
    release; anything else is news."""
    host = urlsplit(url).hostname or ""
    official = host.endswith(".gov") or _GOV.search(publisher) or _RELEASE.search(opening)
    return "press_release" if official else "news"


# A link to a Federal Register document is often the only place an article gives the rule's
# document number ("public-inspection.federalregister.gov/2021-24123.pdf"): such links stay.
FR_DOC_LINK = re.compile(r"https?://(?:[\w-]+\.)*(?:federalregister\.gov|govinfo\.gov)/\S*?"
                         r"(?<![\d-])(?:19|20)\d{2}-\d{5}(?![\d-])")


def _link(m: re.Match) -> str:
    return f"{m[1]} ({m[2]})" if FR_DOC_LINK.match(m[2]) else m[1]


def _tidy(body: str) -> str:
    """Drop image-only lines and the archive's "Unknown" placeholder, keep only the words of
    Markdown links (a URL inside a sentence is noise to a reader and to retrieval) except links
    to Federal Register documents; collapse blank runs."""
    lines = [line for line in body.split("\n")
             if not re.fullmatch(r"\s*!\[[^\]]*\]\([^)]*\)\s*|\s*Unknown\s*", line)]
    text = re.sub(r"(?<!!)\[([^\]\n]+)\]\(((?:https?://|/)[^)\s]*)\)", _link, "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- archive markdown ------------------------------------------------------------------------

_INFO = re.compile(r"^## Information:\s*$", re.M)
_ARTICLE = re.compile(r"^## Article:\s*$", re.M)
_TAGS = re.compile(r"^#{2,4} Tags:\s*$", re.M)


def looks_like_archive(text: str) -> bool:
    return bool(_INFO.search(text[:3000]) and _ARTICLE.search(text) and "+ Source:" in text[:3000])


def parse_archive(text: str, source: str) -> ParsedDocument:
    info_at, article = _INFO.search(text), _ARTICLE.search(text)
    head = text[:info_at.start()]
    title = re.search(r"^# (.+)$", head, re.M)
    subtitle = re.search(r"^### (.+)$", head, re.M)
    fields = dict(re.findall(r"^\+ (\w+):[ \t]*(.*)$", text[info_at.end():article.start()], re.M))
    link = re.search(r"\((https?://[^)\s]+)\)|(https?://\S+)", fields.get("Link", ""))
    url = (link[1] or link[2]) if link else ""
    tags = _TAGS.search(text, article.end())
    body = _tidy(text[article.end():tags.start() if tags else len(text)])
    publisher = fields.get("Source", "").strip()
    out = TextBuilder()
    out.add(title[1].strip() if title else "", kind=None)
    out.add(subtitle[1].strip() if subtitle else "", kind=None)
    out.add(body, kind=None)
    meta = flat_meta({"doc_type": _doc_type(publisher, url), "title": title[1].strip() if title else "",
                      "publisher": publisher, "author": fields.get("Author", "").strip(),
                      "published": parse_date(fields.get("Date", "")), "url": url})
    return ParsedDocument(source, out.text(), meta)


# --- plain text with a date line -------------------------------------------------------------

_DATELINE = re.compile(r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
                       r"[\w ,./-]{6,30}\s*$", re.I)


def dateline(text: str) -> str | None:
    """The date when the first non-empty line is nothing but a date."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    if _DATELINE.match(first) and len(first.split()) <= 5:
        return parse_date(first)
    return None


_OUTLETS = {"krasia": "KrASIA", "therecord": "The Record", "zdnet": "ZDNet",
            "bleepingcomputer": "Bleeping Computer", "threatpost": "Threatpost"}


def outlet_from_path(source: str) -> str:
    """The publisher when the file sits in a folder named after a known outlet (the text of a
    plain-text article rarely names its own publisher)."""
    parts = re.split(r"[/\\]", source.lower())[:-1]
    return next((_OUTLETS[p] for p in reversed(parts) if p in _OUTLETS), "")


def parse_dateline_text(text: str, source: str, publisher: str = "") -> ParsedDocument:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    meta = flat_meta({"doc_type": "news", "published": dateline(text),
                      "title": lines[1] if len(lines) > 1 else "", "publisher": publisher})
    return ParsedDocument(source, text.strip(), meta)


def looks_like_release_text(text: str) -> bool:
    return bool(_RELEASE.search(text[:400]))


def parse_release_text(text: str, source: str) -> ParsedDocument:
    """A press release as plain text: a "PRESS RELEASE" header, a date line, then the title."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    header = next((line for line in lines if _RELEASE.search(line)), "")
    title = next((line for line in lines if not _RELEASE.search(line)
                  and not (parse_date(line) and len(line) < 60)), "")
    agency = re.split(r"\s+[—–-]+\s+", header)[0].strip() if header else ""
    publisher = agency.title().replace("U.S.", "U.S.").replace("Of The", "of the") \
        if agency.isupper() else agency
    meta = flat_meta({"doc_type": "press_release", "title": title, "publisher": publisher,
                      "published": parse_date(text[:600])})
    return ParsedDocument(source, text.strip(), meta)


# --- markdown articles with front matter -----------------------------------------------------

def looks_like_article_front_matter(fields: dict[str, str]) -> bool:
    dated = any(k in fields for k in ("date", "published", "original_published"))
    return dated and any(k in fields for k in ("publisher", "source_name", "author"))


def parse_front_matter_article(fields: dict[str, str], body: str, source: str) -> ParsedDocument:
    # A re-post keeps the original date in its own field; that is the date the news is from.
    published = next((d for k in ("original_published", "published", "date")
                      if (d := parse_date(fields.get(k, "")))), None)
    publisher = fields.get("publisher") or fields.get("source_name", "")
    url = fields.get("url") or fields.get("link", "")
    meta = flat_meta({"doc_type": _doc_type(publisher, url, body[:400]),
                      "title": fields.get("title", ""), "publisher": publisher,
                      "author": fields.get("author", ""), "published": published, "url": url})
    return ParsedDocument(source, body.strip(), meta)


# --- Jekyll posts carrying a Federal Register abstract ----------------------------------------

def is_fr_abstract(fields: dict[str, str]) -> bool:
    return fields.get("item_id", "").startswith("federal_register") or \
        fields.get("source", "") == "federal_register"


def parse_fr_abstract(fields: dict[str, str], body: str, source: str) -> ParsedDocument:
    """Keep the title, the original date and document number lines, the Summary and Sources;
    drop the bot's own "Published:" date (the re-post date) and its Significance/Context notes."""
    number = re.search(r"\*\*Document Number:\*\*\s*(\S+)", body)
    original = re.search(r"\*\*Original Published:\*\*\s*(.+)", body)
    item = fields.get("item_id", "").partition(":")[2]
    found = re.search(r"\((https?://www\.federalregister\.gov/documents/[^)\s]+)\)", body)
    url = found[1] if found else ""
    published = parse_date(fields.get("original_published", "")) or (
        parse_date(original[1]) if original else None)
    out = TextBuilder()
    # The post's header lines (source, dates, number) and link list become one sentence that
    # says what the document is; alone, "**Source:** Federal Register" matches every question.
    title = fields.get("title", "")
    intro = f"Federal Register document {number[1] if number else item}: {title}"
    if published:
        intro += f", published {long_date(published)}"
    out.add(intro + ".")
    for block in re.split(r"^(?=## )", body, flags=re.M):
        heading = re.match(r"## (.+)", block)
        if heading and heading[1].strip().lower() == "summary":
            out.add(block.strip(), "summary")
    meta = flat_meta({
        "doc_type": "fr_abstract", "title": fields.get("title", ""), "url": url,
        "publisher": fields.get("source_name") or "Federal Register",
        "published": published, "fr_doc": number[1] if number else item})
    return ParsedDocument(source, out.text(), meta, out.sections)


# --- HTML articles ---------------------------------------------------------------------------

_CHROME_TAGS = {"script", "style", "nav", "footer", "header", "aside", "form", "noscript", "svg",
                "button", "iframe", "template", "figure", "select"}
_CHROME_WORDS = re.compile(r"related|share|social|author-?bio|about-the-author|newsletter|"
                           r"subscribe|comment|breadcrumb|promo|advert|\bads?\b|cookie|sidebar|"
                           r"\bmenu\b|tags|popular|recommend|signup|paywall", re.I)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "table", "blockquote", "pre", "dd", "dt", "td", "th", "ul", "ol", "main"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col", "embed"}


class _Article(HTMLParser):
    """Text of the page's <article> (or <main>, or the body), without chrome or widgets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a skipped region)
        self.open_count: Counter[str] = Counter()  # O(1) "is this tag open?" on deep pages
        self.skip = 0
        self.zones: dict[str, list[str]] = {"article": [], "main": [], "body": []}
        self.inside = {"article": 0, "main": 0}
        self.meta: dict[str, str] = {}
        self.title = ""
        self.h1 = ""
        self.in_title = self.in_h1 = False
        self.fr_link = ""  # href of the open <a> when it links a Federal Register document

    def _emit(self, text: str) -> None:
        for zone in ("article", "main"):
            if self.inside[zone]:
                self.zones[zone].append(text)
        self.zones["body"].append(text)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
            if key and attrs.get("content"):
                self.meta.setdefault(key.lower(), attrs["content"])
        if tag == "time" and attrs.get("datetime"):
            self.meta.setdefault("time", attrs["datetime"])
        if tag == "link" and attrs.get("rel") == "canonical" and attrs.get("href"):
            self.meta.setdefault("canonical", attrs["href"])
        if tag == "a" and FR_DOC_LINK.match(attrs.get("href", "")):
            self.fr_link = attrs["href"]
        if tag in _VOID:
            if tag == "br" and not self.skip:
                self._emit("\n")
            return
        marker = f"{attrs.get('class', '')} {attrs.get('id', '')} {attrs.get('role', '')}"
        # Class/id words only mark widgets inside the page; a <body class="has-sidebar"> or
        # <article class="share-enabled"> is still the content.
        skipped = tag in _CHROME_TAGS or (tag not in ("html", "body", "article", "main")
                                          and bool(_CHROME_WORDS.search(marker)))
        self.stack.append((tag, skipped))
        self.open_count[tag] += 1
        self.skip += skipped
        if tag in self.inside:
            self.inside[tag] += 1
        self.in_title |= tag == "title"
        self.in_h1 |= tag == "h1"
        if tag in _BLOCK and not self.skip:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag in _VOID or not self.open_count[tag]:
            return
        if tag == "a" and self.fr_link and not self.skip:
            self._emit(f" ({self.fr_link})")
        self.fr_link = ""
        while self.stack:  # close unclosed children too (HTML in the wild)
            open_tag, skipped = self.stack.pop()
            self.open_count[open_tag] -= 1
            self.skip -= skipped
            if open_tag in self.inside:
                self.inside[open_tag] -= 1
            if open_tag in _BLOCK and not self.skip:
                self._emit("\n")
            self.in_title &= open_tag != "title"
            self.in_h1 &= open_tag != "h1"
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.skip:
            if self.in_h1:
                self.h1 += data
            self._emit(data)


def _lines(parts: list[str]) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line if line else "" for line in lines)).strip()


def html_article(html: str) -> tuple[str, Meta]:
    """(article text, metadata) of an HTML page, chrome removed; text has blank-line paragraphs."""
    parser = _Article()
    parser.feed(html)
    parser.close()
    text = ""
    for zone in ("article", "main", "body"):
        text = _lines(parser.zones[zone])
        if len(text) > 200 or zone == "body":
            break
    text = re.sub(r"\n+", "\n\n", text)  # every block its own paragraph
    m = parser.meta
    published = None
    for key in ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "time"):
        if key in m and (published := parse_date(m[key])):
            break
    url = m.get("og:url") or m.get("canonical", "")
    publisher = m.get("og:site_name", "")
    meta = flat_meta({"title": (m.get("og:title") or parser.h1 or parser.title).strip(),
                      "published": published, "publisher": publisher, "url": url,
                      "author": m.get("author") or m.get("article:author", ""),
                      "doc_type": _doc_type(publisher, url, text[:400])})
    return text, meta


def looks_like_article_html(html: str) -> bool:
    head = html[:20000].lower()
    return "<article" in head or 'og:type" content="article' in head or "article:published_time" in head


def parse_html(html: str, source: str) -> ParsedDocument:
    text, meta = html_article(html)
    if not text:
        raise IngestError(source, "HTML page has no article text once navigation, widgets and "
                                  "other boilerplate are removed")
    if "published" not in meta and (published := parse_date(text[:600])):
        meta["published"] = published
    return ParsedDocument(source, text, meta)
