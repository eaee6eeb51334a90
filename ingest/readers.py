"""Turn a file into `ParsedDocument`s, choosing the reader by extension and content.

Each per-extension reader first sniffs the content for a domain format (a Federal Register rule,
a sanctions list, an eCFR section, a news article) and hands it to that parser; anything else gets
the generic reader for the format.

Each reader takes the raw bytes and the source name and returns one document (a few formats may
return several). Anything wrong with the file raises `IngestError` naming the file and the
reason; the caller reports it and goes on with the batch.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import defusedxml.ElementTree
from defusedxml import DefusedXmlException, EntitiesForbidden

from listlens.ingest import federal_register, lists, news, regulations
from listlens.ingest.dates import parse_date
from listlens.ingest.errors import IngestError
from listlens.ingest.facts import read_facts
from listlens.ingest.types import Meta, ParsedDocument, Section

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".xml", ".json", ".csv", ".pdf")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def iter_files(paths: list[Path]) -> Iterator[Path]:
    """Files under `paths` (folders are walked recursively, hidden files skipped), sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
        else:
            yield path


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[ParsedDocument]:
    """Read one file from disk. Raises IngestError for anything that is not a usable document."""
    source = str(path.resolve())
    if not path.exists():
        raise IngestError(source, "no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(source, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
    return read_bytes(path.read_bytes(), source)


def read_bytes(data: bytes, source: str, suffix: str | None = None) -> list[ParsedDocument]:
    """Parse `data` as the format its suffix (or `suffix`) names."""
    suffix = (suffix or Path(source.split("?")[0]).suffix).lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise IngestError(source, f"unsupported file type '{suffix or '(none)'}'; "
                                  f"supported: {', '.join(SUPPORTED)}")
    if not data.strip():
        raise IngestError(source, "file is empty")
    try:
        docs = reader(data, source)
    except IngestError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            ElementTree.ParseError) as exc:  # a parser tripped on malformed content
        raise IngestError(source, f"could not parse {suffix} file: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - one odd file must never stop a batch
        raise IngestError(source, f"could not parse {suffix} file: parser error "
                                  f"{type(exc).__name__}: {exc}") from exc
    docs = [d for d in docs if d.text.strip()]
    if not docs:
        raise IngestError(source, f"no text found: the {suffix} file parsed but holds no "
                                  "readable content")
    for doc in docs:
        doc.metadata.setdefault("content_hash", content_hash(data))
        doc.metadata.setdefault("title", Path(source).stem)
        doc.metadata["source"] = doc.source
        doc.facts = read_facts(doc, data if suffix in (".html", ".htm") else None)
    return docs


# --- text ------------------------------------------------------------------------------------

def decode_text(data: bytes, source: str) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError(source, "looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(source, f"not valid UTF-8 text (byte {exc.start})") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return ""


def read_txt(data: bytes, source: str) -> list[ParsedDocument]:
    text = decode_text(data, source)
    if federal_register.looks_like_fr_text(text):
        return [federal_register.parse_text(text, source)]
    if regulations.looks_like_ecfr(text):
        return [regulations.parse_ecfr(text, source)]
    if news.dateline(text):
        return [news.parse_dateline_text(text, source, news.outlet_from_path(source))]
    if news.looks_like_release_text(text):
        return [news.parse_release_text(text, source)]
    meta: Meta = {"doc_type": "text", "title": _first_line(text)}
    if published := parse_date(text[:600]):
        meta["published"] = published
    return [ParsedDocument(source, text, meta)]


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` front matter (the subset blogs and archives use) and the body."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    fields = {}
    for line in m[1].splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[m.end():]


def read_md(data: bytes, source: str) -> list[ParsedDocument]:
    text = decode_text(data, source)
    fields, body = split_front_matter(text)
    if news.is_fr_abstract(fields):
        return [news.parse_fr_abstract(fields, body, source)]
    if news.looks_like_archive(text):
        return [news.parse_archive(text, source)]
    if regulations.looks_like_ecfr(body):
        return [regulations.parse_ecfr(body, source)]
    if federal_register.looks_like_fr_text(body):
        return [federal_register.parse_text(body, source)]
    if news.looks_like_article_front_matter(fields):
        return [news.parse_front_matter_article(fields, body, source)]
    meta: Meta = {"doc_type": "markdown", "title": fields.get("title") or _first_line(body)}
    # A re-post keeps the original date in its own field; prefer it over the post date.
    for key in ("original_published", "published", "date"):
        if key in fields and (published := parse_date(fields[key])):
            meta["published"] = published
            break
    else:
        if published := parse_date(body[:600]):
            meta["published"] = published
    for key in ("author", "source_name", "publisher"):
        if fields.get(key):
            meta["publisher" if key == "source_name" else key] = fields[key]
    return [ParsedDocument(source, body, meta)]


# --- HTML ------------------------------------------------------------------------------------

def read_html(data: bytes, source: str) -> list[ParsedDocument]:
    html = decode_text(data, source)
    if federal_register.looks_like_fr_text(html):
        text, meta = news.html_article(html)
        return [federal_register.parse_text(text, source, meta)]
    if news.looks_like_article_html(html):
        return [news.parse_html(html, source)]
    text, meta = news.html_article(html)  # the same chrome-stripping parser, any page
    meta["doc_type"] = "html"
    if "published" not in meta and (published := parse_date(text[:600])):
        meta["published"] = published
    return [ParsedDocument(source, text, meta)]


# --- XML -------------------------------------------------------------------------------------

def parse_xml(data: bytes, source: str) -> ElementTree.Element:
    """The XML's root element, parsed by defusedxml: entity declarations (an entity-expansion
    "billion laughs" bomb, or an external entity reading a local file) are refused with an
    IngestError. Malformed XML raises ElementTree.ParseError."""
    try:
        return defusedxml.ElementTree.fromstring(data)
    except EntitiesForbidden as exc:
        raise IngestError(source, f"XML with entity declarations is refused (entity expansion or "
                                  f"external entities; declares '{exc.name}')") from exc
    except DefusedXmlException as exc:
        raise IngestError(source, f"XML refused as unsafe: {exc}") from exc


def read_xml(data: bytes, source: str) -> list[ParsedDocument]:
    root = parse_xml(data, source)
    if federal_register.looks_like_fr_xml(data):
        return federal_register.parse_xml(root, source)
    paragraphs = [" ".join("".join(el.itertext()).split()) for el in root.iter()
                  if el.text and el.text.strip()]
    text = "\n\n".join(p for p in paragraphs if p)
    meta: Meta = {"doc_type": "xml", "title": _first_line(text)}
    if published := parse_date(text[:2000]):
        meta["published"] = published
    return [ParsedDocument(source, text, meta)]


# --- JSON ------------------------------------------------------------------------------------

def _records(obj) -> list[dict] | None:
    """The main list of records in a JSON document: the top-level list or the longest list of
    objects directly under the top-level object."""
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        return obj
    if isinstance(obj, dict):
        lists = [v for v in obj.values() if isinstance(v, list) and v and
                 all(isinstance(r, dict) for r in v)]
        if lists:
            return max(lists, key=len)
    return None


def _flat(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value if v not in (None, "", []))
    return str(value)


def records_document(source: str, rows: list[str], meta: Meta,
                     row_meta: list[Meta] | None = None) -> ParsedDocument:
    """One document whose text is `rows` joined by newlines, each row its own record section."""
    sections, pos = [], 0
    for i, row in enumerate(rows):
        sections.append(Section(pos, pos + len(row), "record", row_meta[i] if row_meta else {}))
        pos += len(row) + 1
    return ParsedDocument(source, "\n".join(rows), meta, sections)


def read_json(data: bytes, source: str) -> list[ParsedDocument]:
    obj = json.loads(decode_text(data, source))
    if lists.is_csl_compact(obj):
        return [lists.parse_csl_compact(obj, source)]
    if lists.is_nsfreg(obj):
        return [lists.parse_nsfreg(obj, source)]
    if federal_register.looks_like_fr_api(obj):
        return federal_register.parse_api_json(obj, source)
    if (rows := lists.tradegov_rows(obj)) is not None:
        return [lists.parse_rows(rows, source)]
    meta: Meta = {"doc_type": "json", "title": Path(source).stem}
    if isinstance(obj, dict):
        for key in ("title", "name", "list_id"):
            if isinstance(obj.get(key), str):
                meta["title"] = obj[key]
                break
    records = _records(obj)
    if records is None:
        text = _flat(obj)
        return [ParsedDocument(source, text, meta)]
    rows = [" ".join(_flat(r).split()) for r in records]
    return [records_document(source, [r for r in rows if r], meta)]


def read_csv(data: bytes, source: str) -> list[ParsedDocument]:
    import csv
    import io

    reader = csv.DictReader(io.StringIO(decode_text(data, source)))
    try:
        if reader.fieldnames and lists.is_tradegov_header(reader.fieldnames):
            rows = list(reader)
            if not rows:
                raise IngestError(source, "the screening-list CSV has a header but no rows")
            return [lists.parse_rows(rows, source)]
        rows = [" ".join(_flat({k: v for k, v in r.items() if k}).split()) for r in reader]
    except csv.Error as exc:  # e.g. a field over csv's 128 KB limit: not a table we can read
        raise IngestError(source, f"malformed CSV (line {reader.line_num}): {exc}") from None
    return [records_document(source, [r for r in rows if r],
                             {"doc_type": "csv", "title": Path(source).stem})]


# --- PDF -------------------------------------------------------------------------------------

def read_pdf(data: bytes, source: str) -> list[ParsedDocument]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted:
            raise IngestError(source, "PDF is encrypted")
        pages = [page.extract_text() or "" for page in pdf.pages]
    except IngestError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise IngestError(source, f"could not read PDF: {exc}") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IngestError(source, "PDF has no extractable text (scanned images need OCR)")
    info = pdf.metadata or {}
    meta: Meta = {"doc_type": "pdf", "title": str(info.get("/Title") or _first_line(text)),
                  "pages": len(pages)}
    if published := parse_date(text[:1500]):
        meta["published"] = published
    return [ParsedDocument(source, text, meta)]


READERS: dict[str, Callable[[bytes, str], list[ParsedDocument]]] = {
    ".txt": read_txt, ".md": read_md, ".markdown": read_md, ".html": read_html,
    ".htm": read_html, ".xml": read_xml, ".json": read_json, ".csv": read_csv, ".pdf": read_pdf,
}
