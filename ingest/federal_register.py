"""Federal Register rules: the GPO full-text XML, the federalregister.gov API JSON, and the same
rule as HTML or plain text.

The canonical text reads like the printed rule: header, labelled preamble blocks ("SUMMARY: ..."),
headings with their paragraphs, one line per Entity List table entry, the signature and the
FR Doc line. Sections: `summary`, `table_entry` (one per entry), `reason` (a preamble paragraph
saying why named entities were added) and `paragraph` for everything else, so no text is left
outside a section.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from xml.etree.ElementTree import Element

from listlens.ingest.countries import country_name
from listlens.ingest.dates import parse_date
from listlens.ingest.lists import LIST_NAMES
from listlens.ingest.textbuild import TextBuilder, flat_meta, squash
from listlens.ingest.types import Meta, ParsedDocument, Section

FR_ROOTS = ("RULE", "PRORULE", "NOTICE", "PRESDOC")
_HEADER_TAGS = ("AGENCY", "SUBAGY", "CFR", "DEPDOC", "RIN", "SUBJECT")
_LABELLED = {"AGY", "ACT", "SUM", "DATES", "EFFDATE", "FURINF", "ADD"}
_BLOCKS = {"P", "FP", "AMDPAR", "FRDOC", "BILCOD"}

_PLACEHOLDER = re.compile(r"(\d+)\s+FR\s+\[INSERT FR PAGE NUMBER AND\s+(\d{1,2}/\d{1,2}/\d{2,4})\]", re.I)
_CITATION = re.compile(r"\b(\d{1,3})\s+FR\s+(\d{1,6})\b")
_FRDOC = re.compile(r"FR Doc\.?\s*(\d{2,4}-\d+)(?:\s+Filed\s+(\d{1,2})-(\d{1,2})-(\d{2,4}))?", re.I)
_AKA = re.compile(r",?\s*\b[af]\.k\.a\.?,?\s*(?:the following [\w-]+ alias(?:es)?:?)?", re.I)
_ADDED = re.compile(r"\b(?:determined to add|is adding|are adding|adds|to add)\s+(.*?),?\s+to the Entity List", re.S)
_DESTINATION = re.compile(r"^(.*?),?\s+under the destinations? of\s+(.+)$", re.S)
# Words that introduce why an entity was added ("based on information that", "after
# investigative information showed", "the committee found that", "for supplying ...").
_REASON_WORDS = re.compile(r"\b(?:based on|because|reasonable cause|contrary to|on the basis of|"
                           r"showed|shown|found that|determined that|engag(?:ed|ing) in|"
                           r"in support of|contribut\w+ to)\b", re.I)
# Where an address begins after the name: a street number or a typical address word.
_ADDRESS_START = re.compile(r"^(.+?),\s+((?:\d|No\.|Room|Rm\.? |Building|Bldg|Floor|Suite|Unit|"
                            r"Block|Apartment|Office|P\.?\s?O\.? Box).+)$")
_ABBREV = {"co.", "ltd.", "inc.", "corp.", "bhd.", "pte.", "pvt.", "jr.", "sr.", "st.", "no."}


def fr_volume(year: int) -> int:
    """Volume 1 of the Federal Register is 1936; one volume a year since."""
    return year - 1935


def _next_business_day(day: date) -> date:
    # Documents filed for public inspection are published the next Federal Register day.
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def split_countries(text: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", text.strip(" .;"))
    return [country_name(p) for p in parts if p.strip()]


def reason_of(paragraph: str, known: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """(entities, countries) when `paragraph` gives the reason named entities were added.

    Names come from "add X, under the destination of Y; ..." clauses and from the table's entity
    names (`known`: name -> country) found in the paragraph."""
    if not _REASON_WORDS.search(paragraph):
        return None
    names: list[str] = []
    countries: list[str] = []
    for match in _ADDED.finditer(paragraph):
        for item in re.split(r";\s*", match[1]):
            dest = _DESTINATION.match(re.sub(r"^(?:and|the)\s+", "", item.strip()))
            if dest:
                names.append(dest[1].strip(" ,"))
                countries += split_countries(dest[2])
    for name, country in known.items():
        if name in paragraph and name not in names:
            names.append(name)
            countries.append(country)
    return (list(dict.fromkeys(names)), list(dict.fromkeys(countries))) if names else None


def _label_reasons(doc_text: str, sections: list[Section], known: dict[str, str]) -> None:
    for section in sections:
        if section.kind != "paragraph":
            continue
        found = reason_of(doc_text[section.start:section.end], known)
        if found:
            section.kind = "reason"
            section.metadata.update(flat_meta({"entity": found[0], "country": found[1]}))


# --- XML -------------------------------------------------------------------------------------

def inline(el: Element) -> str:
    """The text of an element with its inline markup (E, SU, LI...) flattened."""
    parts: list[str] = []

    def visit(node: Element) -> None:
        if node.tag == "SU" and parts:  # superscripts glue to what precedes: "9th", "734.9(g),3"
            parts[-1] = parts[-1].rstrip()
        if node.text:
            parts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(el)
    return squash("".join(parts))


def _clean_name(text: str) -> str:
    """Strip list punctuation ("—AOOK; and") but keep abbreviation dots ("Co.", "S.A.")."""
    text = re.sub(r"^[—–-]+\s*", "", text.strip())
    text = re.sub(r"(?:[;,]\s*and|;|,)\s*$", "", text).strip()
    last = text.rsplit(" ", 1)[-1]
    if text.endswith(".") and last.lower() not in _ABBREV and "." not in last[:-1]:
        text = text[:-1]
    return text.strip()


def _entity_cell(cell: Element) -> tuple[str, list[str], str]:
    """(name, aliases, address) from an Entity cell: name, a.k.a. line, LI aliases, LI address."""
    head, items = [cell.text or ""], []
    for child in cell:
        if child.tag == "LI":  # an LI's tail is layout whitespace
            items.append(inline(child))
            continue
        piece = f"{inline(child)} {child.tail or ''}"
        if items:
            items[-1] += " " + piece
        else:
            head.append(piece)
    head_text = squash(" ".join(head))
    aka = _AKA.search(head_text)
    name = head_text[:aka.start()] if aka else head_text
    aliases = [_clean_name(i) for i in items if re.match(r"^[—–-]", i)]
    address = " ".join(i for i in items if not re.match(r"^[—–-]", i))
    if not aka and not items:  # "Name, 8 Some Street, City, Country." in one cell
        split = _ADDRESS_START.search(head_text) or re.match(
            r"^(.*?\b(?:Ltd\.?|Inc\.?|LLC|Co\.|Company|Corporation|Corp\.|JSC|GmbH|Limited|"
            r"Institute|University|Group)),\s+(.+)$", head_text)
        if split:
            name, address = split[1], split[2]
    return _clean_name(name), aliases, address


def _is_stars(text: str) -> bool:
    return not text.replace("*", "").strip()


def table_entries(table: Element) -> list[dict]:
    """One dict per Entity List entry: country, entity, aliases, address, requirement, policy, citation.

    Rows are: a country row (first cell), entry rows (blank first cell, then five columns), and
    continuation rows holding only more address for the previous entry; star rows are elisions."""
    entries: list[dict] = []
    country = ""
    for row in table.iter("ROW"):
        cells = [c for c in row if c.tag == "ENT"]
        texts = [inline(c) for c in cells]
        if not cells or all(_is_stars(t) for t in texts) or texts[0] == "Country":
            continue
        if texts[0] and not _is_stars(texts[0]):
            country = texts[0]
        content = [(c, t) for c, t in zip(cells[1:], texts[1:]) if not _is_stars(t)]
        if not content:
            continue
        if len(cells) <= 2 and entries and entries[-1]["country"] == country:
            entries[-1]["address"] = squash(f"{entries[-1]['address']} {content[0][1]}")
            continue
        name, aliases, address = _entity_cell(cells[1])
        rest = texts[2:5] + [""] * (5 - len(texts))
        entries.append({"country": country, "entity": name, "aliases": aliases,
                        "address": address, "license_requirement": rest[0],
                        "license_policy": rest[1], "citation_cell": rest[2]})
    return entries


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", ")", ".)")) else text + "."


def render_entry(entry: dict, citation: str) -> str:
    entity = entry["entity"]
    if entry["aliases"]:
        entity += ", a.k.a. " + "; ".join(entry["aliases"])
    parts = [f"Entity List entry — Country: {entry['country']}.", f"Entity: {entity};"]
    if entry["address"]:
        parts[-1] = parts[-1][:-1] + "; Address: " + _sentence(entry["address"])
    else:
        parts[-1] = _sentence(parts[-1][:-1])
    for label, key in (("License requirement", "license_requirement"),
                       ("License review policy", "license_policy")):
        if entry[key]:
            parts.append(f"{label}: {_sentence(entry[key])}")
    if citation:
        parts.append(f"Federal Register citation: {_sentence(citation)}")
    return " ".join(parts)


class _XMLRule:
    """Walks one RULE/PRORULE/NOTICE element into text, sections and metadata."""

    def __init__(self, rule: Element, source: str) -> None:
        self.rule, self.source = rule, source
        self.out = TextBuilder()
        self.heading: tuple[int, str] | None = None  # a heading waiting for its paragraph
        self.bullets: Section | None = None
        self.known: dict[str, str] = {}
        self.meta = self._metadata()

    def first(self, tag: str) -> str:
        el = self.rule.find(f".//{tag}")
        return inline(el) if el is not None else ""

    def labelled(self, tag: str) -> str:
        el = self.rule.find(f".//{tag}")
        if el is None:
            return ""
        return " ".join(inline(p) for p in el if p.tag != "HD")

    def _metadata(self) -> Meta:
        rule = self.rule
        frdoc = _FRDOC.search(self.first("FRDOC"))
        cells = " ".join(inline(e) for e in rule.iter("ENT"))
        placeholder = _PLACEHOLDER.search(cells)
        pages = sorted(int(p.get("P")) for p in rule.iter("PRTPAGE") if (p.get("P") or "").isdigit())
        published = parse_date(self.first("DATE"))
        if not published and placeholder:
            published = parse_date(placeholder[2])
        if not published and frdoc and frdoc[2]:
            filed = parse_date(f"{frdoc[2]}/{frdoc[3]}/{frdoc[4]}")
            published = filed and _next_business_day(date.fromisoformat(filed)).isoformat()
        if not published:
            published = parse_date(self.source.rsplit("/", 1)[-1])
        volume = int(placeholder[1]) if placeholder else (
            fr_volume(int(published[:4])) if published else None)
        citation = ""
        stated = _CITATION.search(cells)
        if stated:  # the table already carries a real citation
            citation = f"{stated[1]} FR {stated[2]}"
        elif volume and pages:
            # A PRTPAGE marks where a new printed page begins, so the text before the first one
            # sits on the page before it: that is where the document starts.
            citation = f"{volume} FR {pages[0] - 1}"
        sig = rule.find(".//SIG")
        name = inline(sig.find("NAME")) if sig is not None and sig.find("NAME") is not None else ""
        title_el = sig.find("TITLE") if sig is not None else None
        fr_doc = frdoc[1] if frdoc else ""
        return flat_meta({
            "doc_type": "fr_rule", "publisher": "Federal Register",
            "fr_type": {"RULE": "Rule", "PRORULE": "Proposed Rule", "NOTICE": "Notice",
                        "PRESDOC": "Presidential Document"}.get(rule.tag, ""),
            "title": self.first("SUBJECT") or self.first("HD"),
            "agency": self.labelled("AGY").rstrip(".") or ", ".join(
                filter(None, [self.first("AGENCY"), self.first("SUBAGY")])),
            "action": self.labelled("ACT").rstrip("."),
            "published": published,
            "effective": parse_date(self.labelled("EFFDATE") or self.labelled("DATES")),
            "fr_doc": fr_doc, "fr_citation": citation,
            "url": f"https://www.federalregister.gov/d/{fr_doc}" if fr_doc else "",
            "rin": self.first("RIN").removeprefix("RIN").strip(),
            "docket": re.sub(r"^\[?Docket No\.?\s*|\]$", "", self.first("DEPDOC")).strip(),
            "cfr": self.first("CFR"),
            "signer": name.rstrip(","),
            "signer_title": inline(title_el).rstrip(".") if title_el is not None else "",
            "entry_date": placeholder[2] if placeholder else "",
        })

    # -- building the text --

    def flush_heading(self) -> None:
        if self.heading:
            start, text = self.heading
            self.heading = None
            self.out.sections.append(Section(start, self.out.pos, "paragraph", {"heading": text}))

    def set_heading(self, text: str) -> None:
        self.bullets = None
        if not text:
            return
        self.out.add(text, kind=None)
        # Consecutive headings ("SUPPLEMENTARY INFORMATION:", "Background") share one section.
        start = self.heading[0] if self.heading else self.out.pos - len(text)
        self.heading = (start, text)

    def paragraph(self, text: str, kind: str = "paragraph") -> None:
        if not text:
            return
        if text.startswith("•") and self.bullets is not None:
            # A bulleted list under one heading reads (and retrieves) best as one block.
            self.out.parts[-1] += "\n" + text
            self.out.pos += 1 + len(text)
            self.bullets.end = self.out.pos
            return
        heading = self.heading
        self.heading = None
        section = self.out.add(text, kind, start=heading[0] if heading else None,
                               heading=heading[1] if heading else "")
        self.bullets = section if text.startswith("•") else None

    def walk(self, el: Element) -> None:
        for child in el:
            tag = child.tag
            if tag in _HEADER_TAGS or tag in ("PRTPAGE", "STARS"):
                continue
            if tag in _LABELLED:
                label = " ".join(inline(h) for h in child if h.tag == "HD")
                body = "\n\n".join(t for t in (inline(p) for p in child if p.tag != "HD") if t)
                self.flush_heading()
                self.paragraph(f"{label} {body}".strip(), "summary" if tag == "SUM" else "paragraph")
            elif tag == "HD":
                self.set_heading(inline(child))
            elif tag in _BLOCKS:
                self.paragraph(inline(child))
            elif tag == "GPOTABLE":
                self.table(child)
            elif tag == "SIG":
                self.flush_heading()
                self.paragraph("\n".join(t for t in (inline(c) for c in child) if t))
            else:
                self.walk(child)

    def table(self, table: Element) -> None:
        entries = table_entries(table)
        if not entries:  # some other table: keep its text as a paragraph
            self.paragraph(" ".join(t for t in (inline(r) for r in table.iter("ROW"))
                                    if not _is_stars(t)))
            return
        heading = self.heading[1] if self.heading else ""
        self.flush_heading()
        list_name = LIST_NAMES["bis-meu"] if "Military End" in heading else LIST_NAMES["bis-entity-list"]
        for entry in entries:
            citation = entry["citation_cell"]
            cited = _CITATION.search(citation)
            fr_citation = f"{cited[1]} FR {cited[2]}" if cited else str(self.meta.get("fr_citation", ""))
            if _PLACEHOLDER.search(citation) and fr_citation:
                citation = f"{fr_citation}, {self.meta.get('entry_date', '')}".rstrip(", ")
            country = country_name(entry["country"])
            self.known.setdefault(entry["entity"], country)
            self.out.add(render_entry(entry, citation), "table_entry", entity=entry["entity"],
                         aliases=entry["aliases"], country=country, address=entry["address"],
                         license_requirement=entry["license_requirement"],
                         license_policy=entry["license_policy"], fr_citation=fr_citation,
                         list_name=list_name)

    def parse(self) -> ParsedDocument:
        header = [self.first(t) for t in _HEADER_TAGS]
        self.out.add("\n".join(h for h in header if h), heading="Heading")
        self.walk(self.rule)
        self.flush_heading()
        text = self.out.text()
        _label_reasons(text, self.out.sections, self.known)
        self.meta.pop("entry_date", None)
        return ParsedDocument(self.source, text, self.meta, self.out.sections)


def looks_like_fr_xml(data: bytes) -> bool:
    head = data[:4096]
    return any(b"<" + tag.encode() in head for tag in FR_ROOTS) and (
        b"<PREAMB" in data or b"<FRDOC" in data)


def parse_xml(root: Element, source: str) -> list[ParsedDocument]:
    """One document per rule in the tree (a full-text XML file holds exactly one)."""
    rules = [root] if root.tag in FR_ROOTS else [el for el in root.iter() if el.tag in FR_ROOTS]
    if len(rules) == 1:
        return [_XMLRule(rules[0], source).parse()]
    return [_XMLRule(rule, f"{source}#{i + 1}").parse() for i, rule in enumerate(rules)]


# --- API JSON --------------------------------------------------------------------------------

def looks_like_fr_api(obj) -> bool:
    if isinstance(obj, dict) and isinstance(obj.get("results"), list):
        return bool(obj["results"]) and all(isinstance(r, dict) and "document_number" in r
                                            for r in obj["results"])
    return isinstance(obj, dict) and "document_number" in obj


def _api_document(doc: dict, source: str) -> ParsedDocument:
    def text(key: str) -> str:
        value = doc.get(key)
        return squash(value) if isinstance(value, str) else ""

    agencies = [a.get("name") or a.get("raw_name") or "" for a in doc.get("agencies") or []
                if isinstance(a, dict)]
    out = TextBuilder()
    out.add(text("title"), heading="Title")
    out.add(f"AGENCY: {', '.join(agencies)}." if agencies else "")
    out.add(f"ACTION: {_sentence(text('action') or text('type'))}" if text("action") or text("type") else "")
    out.add(f"SUMMARY: {text('abstract')}" if text("abstract") else "", "summary")
    published = parse_date(text("publication_date"))
    effective = parse_date(text("effective_on"))
    dates = [f"Published {published}" if published else "", f"effective {effective}" if effective else ""]
    out.add("DATES: " + "; ".join(d for d in dates if d) + "." if published or effective else "")
    ref = ", ".join(x for x in (text("citation"), f"FR Doc. {text('document_number')}"
                                if text("document_number") else "", text("html_url")) if x)
    out.add(f"Citation: {ref}." if ref else "")
    meta = flat_meta({"doc_type": "fr_rule", "publisher": "Federal Register", "title": text("title"),
                      "fr_type": text("type"), "action": text("action").rstrip("."),
                      "agency": agencies, "published": published, "effective": effective,
                      "fr_doc": text("document_number"), "fr_citation": text("citation"),
                      "url": text("html_url")})
    return ParsedDocument(source, out.text(), meta, out.sections)


def parse_api_json(obj, source: str) -> list[ParsedDocument]:
    if isinstance(obj.get("results"), list):
        return [_api_document(d, f"{source}#{d.get('document_number') or i + 1}")
                for i, d in enumerate(obj["results"])]
    return [_api_document(obj, source)]


# --- HTML and plain text ---------------------------------------------------------------------

_LABEL = re.compile(r"^(AGENCY|ACTION|SUMMARY|DATES|ADDRESSES|FOR FURTHER INFORMATION CONTACT|"
                    r"SUPPLEMENTARY INFORMATION)\s*:\s*(.*)$", re.S)
_PAGE_HEADER = re.compile(r"^\s*(\d+\s+)?Federal Register\s*/\s*Vol\.\s*\d+.*$|^\s*VerDate .*$", re.M)
_ISSUE = re.compile(r"Federal Register\s*/\s*Vol\.\s*(\d+),\s*No\.\s*\d+\s*/\s*\w+,\s*(\w+ \d{1,2}, \d{4})")


def looks_like_fr_text(text: str) -> bool:
    head = text[:30000]
    return bool(re.search(r"\[FR Doc\.? \d{2,4}-\d+", text)) or all(
        f"{label}:" in head for label in ("AGENCY", "ACTION", "SUMMARY"))


def _text_metadata(text: str, base: Meta) -> Meta:
    def find(pattern: str) -> str:
        m = re.search(pattern, text, re.I | re.M)
        return squash(m[1]) if m else ""

    frdoc = _FRDOC.search(text)
    issue = _ISSUE.search(text)
    pages = [int(p) for p in re.findall(r"^\s*(\d{2,6})\s+Federal Register\s*/", text, re.M)]
    pages += [int(p) for p in re.findall(r"Federal Register\s*/.*?/\s*[A-Z][\w ]+?\s+(\d{2,6})\s*$", text, re.M)]
    citation = find(r"Document Citation:?\s*(\d+ FR \d+)")
    if not citation and issue and pages:
        citation = f"{issue[1]} FR {min(pages)}"
    published = parse_date(issue[2]) if issue else parse_date(find(r"Publication Date:?\s*(.{6,30})$"))
    dates_text = find(r"^DATES\s*:?\s*\n*(.{0,300})")
    return flat_meta({
        **base, "doc_type": "fr_rule", "publisher": "Federal Register",
        "agency": find(r"^AGENCY\s*:\s*\n*(.+)$").rstrip("."),
        "action": find(r"^ACTION\s*:\s*\n*(.+)$").rstrip("."),
        "published": published or base.get("published"),
        "effective": parse_date(find(r"Effective Date:?\s*(.{6,30})$") or dates_text),
        "fr_doc": frdoc[1] if frdoc else find(r"Document Number:?\s*(\d{4}-\d+)"),
        "fr_citation": citation, "rin": find(r"\bRIN\s+(\d{4}-[A-Z0-9]{4})"),
        "docket": find(r"Docket No\.?\s*([\w-]+)"),
    })


def parse_text(text: str, source: str, base: Meta | None = None) -> ParsedDocument:
    """A rule as plain text (govinfo .txt, or the text of a federalregister.gov page)."""
    meta = _text_metadata(text, base or {})
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n", _PAGE_HEADER.sub("", text)) if squash(p)]
    out = TextBuilder()
    pending: tuple[int, str] | None = None  # a heading or bare label waiting for its paragraph
    in_summary, title = False, ""
    for i, para in enumerate(paragraphs):
        label = _LABEL.match(para)
        has_next = i + 1 < len(paragraphs)
        if label:
            in_summary = label[1] == "SUMMARY"
            if label[1] == "AGENCY" and i and not title:
                title = paragraphs[i - 1]
        heading_like = len(para) < 80 and not para.endswith((".", ";", ",")) and not label
        if has_next and not pending and ((label and not label[2]) or heading_like):
            in_summary = in_summary and bool(label)
            out.add(para, kind=None)
            pending = (out.pos - len(para), para)
            continue
        # The summary is the SUMMARY: paragraph (or the one after a bare "SUMMARY:" label).
        kind = "summary" if in_summary else "paragraph"
        out.add(para, kind, start=pending[0] if pending else None,
                heading=pending[1] if pending else "")
        pending, in_summary = None, False
    if pending:
        out.sections.append(Section(pending[0], pending[0] + len(pending[1]), "paragraph"))
    canonical = out.text()
    _label_reasons(canonical, out.sections, {})
    if title:
        meta["title"] = title
    return ParsedDocument(source, canonical, meta, out.sections)
