"""Structured sanctions/export-control lists: one `record` section per list entry.

Formats: the nsfreg JSON extractions (`{"list_id", "entities": [...]}`), the compact CSL JSON
(`fieldKey` + index `tables` + `entries`), and trade.gov's CSL export as CSV or JSON
(`results` rows with name, alt_names, addresses, source, ...). Each record is rendered as one
readable sentence on its own line; its fields go to the section metadata. Every entry in the file
becomes a record — a malformed entry is rendered as best we can, never skipped — so record counts
always equal the file's entry count.
"""

from __future__ import annotations

import re

from listlens.ingest.countries import country_name
from listlens.ingest.dates import long_date, parse_date
from listlens.ingest.errors import IngestError
from listlens.ingest.textbuild import TextBuilder, flat_meta, squash
from listlens.ingest.types import Meta, ParsedDocument

# One spelling per list, the one the Consolidated Screening List uses, so filters agree across
# sources.
LIST_NAMES = {
    "bis-entity-list": "Entity List (EL) - Bureau of Industry and Security",
    "bis-meu": "Military End User (MEU) List - Bureau of Industry and Security",
    "bis-uvl": "Unverified List (UVL) - Bureau of Industry and Security",
    "bis-dpl": "Denied Persons List (DPL) - Bureau of Industry and Security",
    "ofac-nscmic": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
    "ofac-sdn": "Specially Designated Nationals (SDN) - Treasury Department",
}
RECORD_KEYS = ("entity", "aliases", "country", "address", "list_name", "fr_citation", "start_date",
               "license_requirement", "license_policy", "programs")


def _strings(value, sep: str = ";") -> list[str]:
    """A list field that may arrive as a list, a delimited string, or nothing."""
    if value is None:
        return []
    if isinstance(value, list):
        return [squash(str(v)) for v in value if v not in (None, "") and squash(str(v))]
    return [squash(v) for v in str(value).split(sep) if squash(v)]


def _value(value) -> str:
    # A clause ends at "; ", so a value's own closing period would read ".;".
    text = value if isinstance(value, str) else ", ".join(value)
    return text[:-1] if text.endswith(".") else text


def record_text(r: dict) -> str:
    """'Name (a.k.a. X; Y) of Russia is on the Entity List (EL) under 88 FR 12171, 2/27/23;
    license requirement: ...; address: ....'"""
    who = r.get("entity") or "(unnamed entry)"
    if r.get("aliases"):
        who += f" (a.k.a. {'; '.join(r['aliases'])})"
    if r.get("country"):
        who += f" of {', '.join(r['country'])}"
    sentence = f"{who} is on the {str(r.get('list_name') or 'list').split(' - ')[0]}"
    if r.get("fr_citation"):
        sentence += f" under {r['fr_citation']}"
    elif r.get("start_date"):
        sentence += f" since {r['start_date']}"
    clauses = [f"{label}: {_value(r[key])}" for label, key in RECORD_CLAUSES if r.get(key)]
    text = squash("; ".join([sentence] + clauses))
    return text if text.endswith(".") else text + "."


# The clauses of a record's text, after its opening sentence (who, where, which list, under what).
RECORD_CLAUSES = (("listed", "listing_note"), ("effective", "effective"),
                  ("license requirement", "license_requirement"), ("license policy", "license_policy"),
                  ("programs", "programs"), ("type", "type"), ("address", "address"),
                  ("remarks", "remarks"))
# The clauses that tell one entry from another. The licensing terms a list repeats for thousands
# of its entries, street addresses and remarks are left to keyword search, which reads the
# whole record.
IDENTIFYING_CLAUSES = frozenset({"listed", "effective", "programs", "type"})
_CLAUSE = re.compile("; (" + "|".join(re.escape(label) for label, _ in RECORD_CLAUSES) + "): ")


def identifying_text(text: str) -> str:
    """A record's text without the clauses that do not identify it (see IDENTIFYING_CLAUSES)."""
    parts = _CLAUSE.split(text)
    kept = [f"{label}: {value}" for label, value in zip(parts[1::2], parts[2::2])
            if label in IDENTIFYING_CLAUSES]
    return "; ".join([parts[0]] + kept)


def _document(source: str, header: list[tuple[str, Meta]], records: list[dict],
              meta: dict) -> ParsedDocument:
    if not records:
        raise IngestError(source, "the list file parsed but holds no entries")
    out = TextBuilder(sep="\n")
    for line, line_meta in header:  # what the file says about itself, e.g. counts per list
        out.add(line, "summary", **line_meta)
    for r in records:
        out.add(record_text(r), "record", **{k: r.get(k) for k in RECORD_KEYS})
    meta = flat_meta({"doc_type": "list", "records": len(records), **meta})
    return ParsedDocument(source, out.text(), meta, out.sections)


# --- nsfreg ----------------------------------------------------------------------------------

def is_nsfreg(obj) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("entities"), list)


def _nsfreg_record(e, list_name: str) -> dict:
    if not isinstance(e, dict):
        e = {"name": e}
    notes = squash(str(e.get("notes") or ""))
    fr = squash(str(e.get("federal_register") or ""))
    listed = re.search(r"Listing Date[^:]*:\s*([^;]+)", notes)
    requirement = notes if "subject to the EAR" in notes else ""
    return {
        "entity": squash(str(e.get("name") or "")), "aliases": _strings(e.get("aliases")),
        "country": [country_name(c) for c in _strings(e.get("country"))],
        "address": squash(str(e.get("address") or "")), "list_name": list_name,
        "fr_citation": fr,
        "start_date": parse_date(listed[1]) if listed else parse_date(fr) or parse_date(
            str(e.get("effective_date") or "")),
        "effective": parse_date(str(e.get("effective_date") or "")),
        "license_requirement": requirement,
        "programs": re.findall(r"Program:\s*([^;]+)", notes),
        "remarks": "" if requirement else notes,
    }


def parse_nsfreg(obj: dict, source: str) -> ParsedDocument:
    list_id = str(obj.get("list_id") or "")
    list_name = LIST_NAMES.get(list_id, list_id or "list")
    records = [_nsfreg_record(e, list_name) for e in obj["entities"]]
    extracted = parse_date(str(obj.get("extracted") or ""))
    line = (f"{list_name}: {len(records)} entries"
            + (f", extracted {long_date(extracted)}" if extracted else "")
            + (f" from {squash(str(obj['source_file']))}" if obj.get("source_file") else "") + ".")
    meta = {"title": f"{list_name} — {len(records)} entries", "list_name": list_name,
            "published": extracted, "publisher": list_name.split(" - ")[-1] if " - " in list_name else "",
            "declared_count": obj.get("count") if obj.get("count") != len(records) else None}
    return _document(source, [(line, {"list_name": list_name})], records, meta)


# --- trade.gov CSL export (CSV / JSON rows) --------------------------------------------------

def _address_text(value) -> tuple[str, list[str]]:
    """trade.gov addresses: a list of {address, city, state, postal_code, country} or a string."""
    if isinstance(value, list):
        lines, countries = [], []
        for a in value:
            if isinstance(a, dict):
                parts = [str(a.get(k) or "") for k in ("address", "city", "state", "postal_code")]
                if a.get("country"):
                    countries.append(country_name(str(a["country"])))
                    parts.append(countries[-1])
                lines.append(", ".join(squash(p) for p in parts if squash(p)))
            elif a:
                lines.append(squash(str(a)))
        return "; ".join(line for line in lines if line), countries
    return squash(str(value or "")), []


def row_record(row: dict) -> dict:
    """A trade.gov CSL row (CSV or JSON, full or de-abbreviated compact form) as a record."""
    address, address_countries = _address_text(row.get("addresses"))
    countries = [country_name(c) for c in _strings(row.get("country") or row.get("countries"))]
    return {
        "entity": squash(str(row.get("name") or "")), "aliases": _strings(row.get("alt_names")),
        "country": list(dict.fromkeys(countries + address_countries)), "address": address,
        "list_name": squash(str(row.get("source") or "")),
        "fr_citation": squash(str(row.get("federal_register_notice") or "")),
        "start_date": parse_date(str(row.get("start_date") or "")),
        "license_requirement": squash(str(row.get("license_requirement") or "")),
        "license_policy": squash(str(row.get("license_policy") or "")),
        "programs": _strings(row.get("programs")),
        "type": squash(str(row.get("type") or "")),
        "remarks": squash(str(row.get("remarks") or "")),
    }


def tradegov_rows(obj) -> list | None:
    rows = obj.get("results") if isinstance(obj, dict) else obj
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows) and all(
            "name" in r and "source" in r for r in rows[:50]):
        return rows
    return None


def is_tradegov_header(fields: list[str]) -> bool:
    names = {f.strip().lower() for f in fields if f}
    return {"name", "source"} <= names and bool(names & {"alt_names", "federal_register_notice",
                                                          "programs", "license_requirement"})


def parse_rows(rows: list[dict], source: str, title: str = "Consolidated Screening List") -> ParsedDocument:
    records = [row_record({(k or "").strip().lower(): v for k, v in r.items()}) for r in rows]
    names = sorted({r["list_name"] for r in records if r["list_name"]})
    meta = {"title": f"{title} — {len(records)} entries",
            "list_name": names[0] if len(names) == 1 else title,
            "published": max((r["start_date"] for r in records if r["start_date"]), default=None)}
    return _document(source, [(f"{title}: {len(records)} entries.", {})], records, meta)


# --- compact CSL JSON ------------------------------------------------------------------------

def is_csl_compact(obj) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("fieldKey"), dict) and isinstance(
        obj.get("entries"), list)


def _field_map(field_key: dict) -> dict[str, tuple[str, str | None]]:
    """fieldKey {"s": "source (index into tables.sources)", "c": "address countries (ISO-2)"}
    -> {"s": ("source", "sources"), "c": ("country", None)}."""
    renames = {"address countries": "country"}
    fields = {}
    for short, description in field_key.items():
        description = str(description)
        name = description.split(" (")[0].strip()
        table = re.search(r"index into tables\.(\w+)", description)
        fields[short] = (renames.get(name, name), table[1] if table else None)
    return fields


def parse_csl_compact(obj: dict, source: str) -> ParsedDocument:
    tables = obj.get("tables") if isinstance(obj.get("tables"), dict) else {}
    fields = _field_map(obj["fieldKey"])

    def lookup(table: str, value):
        values = tables.get(table) or []
        if isinstance(value, list):
            return [lookup(table, v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(values):
            return values[value]
        return "" if value is None else f"(unknown {table} #{value})"

    records = []
    for entry in obj["entries"]:
        row = {}
        for short, value in (entry.items() if isinstance(entry, dict) else [("n", entry)]):
            name, table = fields.get(short, (short, None))
            row[name] = lookup(table, value) if table else value
        records.append(row_record(row))
    generated = parse_date(str(obj.get("sourceGeneratedAt") or obj.get("retrievedAt") or ""))
    title = "Consolidated Screening List"
    first = f"{title}"
    if obj.get("citation"):
        first += f" ({squash(str(obj['citation']))})"
    # Dates as prose writes them, and the per-list counts in the same sentence as the total:
    # a question about "the July 31, 2026 snapshot's Entity List entries" needs both at once.
    first += (f", generated {long_date(generated)}" if generated else "") + f": {len(records)} entries"
    counts = obj.get("countsBySource")
    if isinstance(counts, dict) and counts:
        first += ", by list: " + "; ".join(f"{k}: {v}" for k, v in counts.items())
    first += "."
    header = [(first, {})]
    authority = obj.get("listAuthority")
    for name, info in (authority.items() if isinstance(authority, dict) else []):
        if isinstance(info, dict):
            line = f"{name}" + "".join(f"; {k}: {squash(str(v))}" for k, v in info.items() if v)
            header.append((line + ".", {"list_name": name}))
    declared = obj.get("entryCount")
    meta = {"title": f"{title} — {len(records)} entries", "list_name": title,
            "published": generated, "publisher": "International Trade Administration (trade.gov)",
            "declared_count": declared if declared != len(records) else None}
    return _document(source, header, records, meta)
