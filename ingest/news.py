"""News articles and press releases, and the Jekyll posts that carry Federal Register abstracts.

Formats: the articleMD archive markdown (title, "## Information:" with Source/Link/Date/Author,
"## Article:", then a tag block), plain text opening with a date line ("Wednesday, 2025 January
22"), Jekyll posts with `item_id: federal_register:...` front matter, and HTML pages. Archive
headers, tag blocks, image lines and page chrome are kept out of the canonical text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import use_config

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

# trafilatura finds the article in a page (and drops navigation, widgets, comments). Below its
# default of 250 characters of article it falls back to a baseline that keeps the page chrome:
# a short press release is an article too. Its own date guesses are not used (it takes dates
# from link URLs, such as an FR document's), so its extensive date search is off.
_TRAFILATURA = use_config()
_TRAFILATURA.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
_TRAFILATURA.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
_ROW_OR_ITEM = re.compile(r"^\s*(?:\||[-*+] |\d+[.)] )", re.M)
# HTML5's page furniture is never the article. trafilatura leaves it out, but its fallbacks for
# pages with little text (readability, a plain-text baseline) would bring a menu back as text.
_FURNITURE = ("//nav | //aside | //header[not(ancestor::article or ancestor::main)]"
              " | //footer[not(ancestor::article or ancestor::main)]")



def _one_line_paragraphs(markdown: str) -> str:
    """Join the source's line breaks inside a paragraph (they are not breaks in the text);
    table rows and list items keep a line each."""
    return "\n\n".join(block if _ROW_OR_ITEM.search(block) else " ".join(block.split())
                        for block in markdown.split("\n\n"))


def _page_meta(tree) -> dict[str, str]:
    """The page's <meta> fields (lower-case keys), <time datetime>, canonical link, <title>
    and first <h1>."""
    m: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key and el.get("content"):
            m.setdefault(key.lower(), el.get("content"))
    for el in tree.iter("time"):
        if el.get("datetime"):
            m.setdefault("time", el.get("datetime"))
            break
    for el in tree.iter("link"):
        if el.get("rel") == "canonical" and el.get("href"):
            m.setdefault("canonical", el.get("href"))
    for tag in ("title", "h1"):
        el = next(tree.iter(tag), None)
        m[f"<{tag}>"] = " ".join(el.text_content().split()) if el is not None else ""
    return m


def html_article(html: str) -> tuple[str, Meta]:
    """(article text, metadata) of an HTML page, chrome removed; text has blank-line paragraphs,
    tables as Markdown rows (one line per row) and links to Federal Register documents kept as
    "words (URL)"."""
    tree = trafilatura.load_html(html)
    if tree is None and html.strip():  # it turns down some fragments ("<p>...</p>") lxml reads
        try:
            tree = lxml.html.document_fromstring(html)
        except (lxml.etree.ParserError, ValueError):
            tree = None
    if tree is None:
        return "", {}
    m = _page_meta(tree)
    for el in tree.xpath(_FURNITURE):
        el.drop_tree()
    markdown = trafilatura.extract(tree, output_format="markdown", include_links=True,
                                   include_tables=True, include_images=False, include_comments=False,
                                   deduplicate=False, config=_TRAFILATURA) or ""
    text = _tidy(_one_line_paragraphs(_HEADING.sub("", markdown)))  # headings: plain lines
    published = None
    for key in ("article:published_time", "datepublished", "date", "dc.date", "pubdate", "time"):
        if key in m and (published := parse_date(m[key])):
            break
    url = m.get("og:url") or m.get("canonical", "")
    publisher = m.get("og:site_name", "")
    meta = flat_meta({"title": (m.get("og:title") or m["<h1>"] or m["<title>"]).strip(),
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
