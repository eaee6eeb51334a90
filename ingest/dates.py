"""Dates as documents write them, normalised to ISO `YYYY-MM-DD`."""

from __future__ import annotations

import re
from datetime import date

from listlens.ingest.vocab import MONTH_PATTERN as _MONTH
from listlens.ingest.vocab import MONTHS

_PATTERNS = [
    # 2021-11-26, 2021-11-26T16:29:30
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), lambda m: (m[1], m[2], m[3])),
    # November 26, 2021 / Nov. 26 2021
    (re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I), lambda m: (m[3], MONTHS[m[1].lower()[:3]], m[2])),
    # 26 November 2021
    (re.compile(r"\b(\d{1,2})\s+" + _MONTH + r",?\s+(\d{4})\b", re.I), lambda m: (m[3], MONTHS[m[2].lower()[:3]], m[1])),
    # 2025 January 22
    (re.compile(r"\b(\d{4})\s+" + _MONTH + r"\s+(\d{1,2})\b", re.I), lambda m: (m[1], MONTHS[m[2].lower()[:3]], m[3])),
    # 11/26/2021, 11/26/21
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b"), lambda m: (m[3], m[1], m[2])),
]


def _make(y: str | int, mo: str | int, d: str | int) -> str | None:
    y, mo, d = int(y), int(mo), int(d)
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every date in `text` as (offset, ISO date), in order of appearance."""
    found: dict[int, str] = {}
    for pattern, parts in _PATTERNS:
        for m in pattern.finditer(text):
            if any(abs(m.start() - pos) < 3 for pos in found):
                continue
            iso = _make(*parts(m))
            if iso:
                found[m.start()] = iso
    return sorted(found.items())


def parse_date(text: str) -> str | None:
    """The first date written in `text`, as ISO, or None."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


def long_date(iso: str) -> str:
    """An ISO date as prose writes it: "2021-11-04" → "November 4, 2021"."""
    d = date.fromisoformat(str(iso))
    return f"{d:%B} {d.day}, {d.year}"
