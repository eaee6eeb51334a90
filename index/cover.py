"""Does a piece of evidence fill the slot a question asks, for its focus and its event?

Closeness to the question is not enough: a sentence about a rule's document number does not
say who signed it, "the rule also corrects six entries" does not say how many it added, and a
passage about a company's listing does not say how much revenue it lost. Each asked slot has a
test here; the composer (index/answer.py) and the LLM check (index/generate.py) accept an
answer only when its evidence passes the test of the slot asked.
"""

from __future__ import annotations

import re

from listlens.index.cite import Evidence
from listlens.index.entities import normalize
from listlens.index.frame import EVENTS, UNITS, Frame
from listlens.index.text import FR_DOC_NUMBER, content_words, stem
from listlens.ingest.dates import find_dates
from listlens.ingest.vocab import REASON_CUES, find_numbers, is_count

# The slot an answer must fill first when a question asks several: the most specific one.
PRIORITY = ("signer", "rin", "docket", "document_number", "fr_citation", "count", "amount",
            "aliases", "address", "date", "country", "authority", "policy", "provision", "reason", "role", "response",
            "names", "membership")

_RECORD_KINDS = ("record", "table_entry")
_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s*(million|billion|thousand)?\s*(dollars|USD|euros?)\b|"
                    r"\b(million|billion)\b", re.I)
_FR_CITE = re.compile(r"\b\d{1,3} FR \d{2,6}\b")
_RIN = re.compile(r"\bRIN\b[\s:]*\d{4}-[A-Z]{2}\d{2}")
_DOCKET = re.compile(r"\bDocket\b", re.I)
_SIGNER = re.compile(r"\b(signed|/s/|Secretary|Under Secretary|Director|Administrator|Commissioner|"
                     r"Chief Counsel|Deputy)\b")
_AUTHORITY = re.compile(r"\b(Executive Order|E\.\s?O\.|EO\s?\d{5}|IEEPA|authority|pursuant to|"
                        r"Act\b|section \d|§)", re.I)
_POLICY = re.compile(r"\b(policy of denial|presumption of (denial|approval)|case[- ]by[- ]case)\b", re.I)
_PROVISION = re.compile(r"§|\bparagraph \(|\(\w\)\(\d\)")
_ALIAS = re.compile(r"\b(a\.k\.a\.|also known as|alias)", re.I)
_RELATIVE_DAY = re.compile(r"\b(today|yesterday|this week|on (monday|tuesday|wednesday|thursday|friday))\b", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_PROPER_NAME = re.compile(r"(?:[A-Z][\w&'’.-]*[a-z0-9])(?:[\s\u00a0]+(?:(?:of|and|de|for|the)[\s\u00a0]+)?"
                          r"[A-Z][\w&'’.-]*)*")
_NOT_NAMES = frozenset("the a an this that these those it they he she its their in on at for and but as "
                       "according us u s january february march april may june july august september "
                       "october november december monday tuesday wednesday thursday friday".split())
_ROLE = re.compile(r"\b(CEO|chief|founder|co-founder|president|director|chair\w*|head of|owner|minister|"
                   r"official|spokes\w+|executive|officer|manager|partner|employee|operator|administrator)\b", re.I)
_PLURAL_ASK = re.compile(r"\b(companies|entities|firms|organi[sz]ations|individuals|persons|people|"
                         r"officials|institutes|institutions|exchanges|banks|subsidiaries|groups|vessels)\b", re.I)
# Words an amount question shares with every figure; what it is an amount *of* is the rest.
_GENERIC_MEASURE = frozenset("how much total amount sum value money dollars usd many figure worth".split())


def primary(asks: tuple[str, ...]) -> str | None:
    """The slot an answer must fill first."""
    ranked = [a for a in PRIORITY if a in asks]
    return ranked[0] if ranked else None


def context_text(ev: Evidence) -> str:
    """The words around a sentence that say what it is about: its passage, title and entities."""
    m = ev.passage.metadata
    return " ".join(str(x) for x in (ev.passage.text, m.get("title", ""), m.get("doc_entities", ""),
                                     m.get("fr_doc", ""), m.get("entity", ""), m.get("aliases", ""),
                                     m.get("publisher", "")))


def names_in(names: tuple[str, ...], text: str) -> bool:
    context = f" {normalize(text)} "
    return any(f" {normalize(n)} " in context for n in names if normalize(n))


def about_focus(frame: Frame, ev: Evidence) -> bool:
    """Does the sentence, its passage or its document name what the question is about? A name
    that matches no listed entity must be named as written: another entity that shares a word
    with it is not it."""
    if frame.focus or frame.names:
        return names_in(frame.focus + frame.names, context_text(ev))
    return True


def new_names(frame: Frame, text: str) -> set[str]:
    """The proper names in `text` that the question does not already name."""
    from listlens.index.frame import _is_name

    asked = f" {normalize(frame.text)} "
    found = {normalize(m) for m in _PROPER_NAME.findall(text.replace("**", "")) if _is_name(m)}
    return {n for n in found if n and n not in _NOT_NAMES and f" {n} " not in asked}


def counts_in(frame: Frame, text: str, list_document: bool = False) -> list[int]:
    """The counts `text` states of the unit asked, for the event asked: "adding 28 entities"
    answers how many were added; "corrects six entries" does not; "13 entries" does not say
    how many entities (except in a list file's own summary, where each entry is an entity)."""
    out, labelled = [], []
    for number in find_numbers(text):
        if not is_count(text, number):
            continue
        if _labelled_count(frame, text, number.start):
            labelled.append(number.value)  # "Russia (7)", "Entity List: 3420": the label asked about
            continue
        after = re.findall(r"[\w.-]+", text[number.end:number.end + 60])[:4]
        # Units are common nouns: "Entity" in "Entity List" is a name, not a unit.
        unit = next((u for w in after for u, p in UNITS.items() if w[:1].islower() and p.match(w)), None)
        if unit == "entries" and frame.count_unit == "entities" and list_document:
            unit = "entities"  # a list's size is stated in entries, one per entity
        if frame.count_unit and unit != frame.count_unit:
            continue
        if not frame.count_unit and unit is None and frame.event:
            continue
        if frame.event and _nearest_event(text, number.start, number.end) not in (frame.event, None):
            continue
        out.append(number.value)
    return labelled or out


def _labelled_count(frame: Frame, text: str, start: int) -> bool:
    """Whether the number is the count given for a label the question names: a destination
    ("China (5), Russia (7)") or a list ("by list: Entity List (EL) - BIS: 3420")."""
    label = re.split(r"[;,]|\bby list\b", text[:start])[-1].strip(" :(")
    if not label or len(label) > 80:
        return False
    key = f" {normalize(label)} "
    if any(f" {c} " in key for c in frame.countries) and text[:start].rstrip().endswith("("):
        return True
    return any(f" {normalize(n)} " in key for n in frame.lists) and text[:start].rstrip().endswith(":")


def _nearest_event(text: str, start: int, end: int) -> str | None:
    """The action the clause around a number speaks of: the nearest event word before it in
    its sentence, else the first after it."""
    before = [(m.end(), name) for name, p in EVENTS.items() for m in p.finditer(text[:start])]
    if before:
        return max(before)[1]
    after = [(m.start(), name) for name, p in EVENTS.items() for m in p.finditer(text[end:])]
    return min(after)[1] if after else None


def _measure(frame: Frame) -> set[str]:
    from listlens.index.frame import _NOT_NAME_WORDS

    names = " ".join(frame.entities + frame.names).split()
    words = {stem(w) for w in content_words(frame.text)} - {stem(w) for w in _GENERIC_MEASURE | _NOT_NAME_WORDS}
    return words - {stem(w) for w in names} - {stem(w) for w in normalize(" ".join(frame.names)).split()}


def fills(frame: Frame, slot: str, ev: Evidence, strict: bool = True) -> bool:
    """Whether the evidence sentence holds the `slot` asked, for the frame's focus. A reason
    needs words that introduce one when `strict` (scoring prefers those); to answer, any prose
    about the focus may state the conduct ("shipped flight controllers to ...")."""
    text, kind = ev.text, ev.passage.metadata.get("kind")
    meta = ev.passage.metadata
    if slot == "signer":
        return bool(_SIGNER.search(text)) and bool(new_names(frame, text))
    if slot == "rin":
        return bool(_RIN.search(text))
    if slot == "docket":
        return bool(_DOCKET.search(text))
    if slot == "document_number":
        return bool(FR_DOC_NUMBER.search(text)) or bool(meta.get("fr_doc") and kind not in _RECORD_KINDS)
    if slot == "fr_citation":
        return bool(_FR_CITE.search(text))
    if slot == "count":
        return kind not in _RECORD_KINDS and bool(counts_in(frame, text, meta.get("doc_type") == "list"))
    if slot == "amount":
        if not _MONEY.search(text):
            return False
        measure = _measure(frame)
        own = {stem(w) for w in content_words(text)}
        named = not (frame.entities or frame.names) or names_in(frame.entities + frame.names, text)
        return named and (not measure or bool(measure & own))
    if slot == "aliases":
        return bool(meta.get("aliases")) or bool(_ALIAS.search(text))
    if slot == "date":
        if find_dates(text) or (kind in _RECORD_KINDS and _YEAR.search(text)):
            return True
        if re.search(r"\b(in what year|which year|what year)\b", frame.text, re.I) and _YEAR.search(text):
            return True
        return bool(_RELATIVE_DAY.search(text) and meta.get("published"))
    if slot == "country":
        from listlens.index.frame import _countries

        return bool(meta.get("country")) or bool(_countries(text))
    if slot == "address":
        return bool(meta.get("address")) or bool(re.search(r"\b(street|road|st\.|rd\.|avenue|building|floor|district)\b",
                                                           text, re.I))
    if slot == "authority":
        return bool(_AUTHORITY.search(text))
    if slot == "policy":
        return bool(_POLICY.search(text))
    if slot == "provision":
        return bool(meta.get("paragraph")) or bool(_PROVISION.search(text))
    if slot == "reason":
        if kind in _RECORD_KINDS or (table_header(ev) and not _has_column(ev, _REASON_COLUMN)):
            return False  # a list record, or a table without a reason column, never says why
        return not strict or bool(REASON_CUES.search(text)) or _has_column(ev, _REASON_COLUMN)
    if slot == "role":
        if kind in _RECORD_KINDS:
            return False
        return bool(_ROLE.search(text)) and (bool(new_names(frame, text))
                                             or names_in(frame.entities + frame.names, text))
    if slot == "response":
        if kind in _RECORD_KINDS or table_header(ev):
            return False  # a list record or table row states a listing, never anyone's response
        # The actor's response to the focus: both are named in the sentence itself.
        actor = not frame.actor or names_in((frame.actor,), text) or _acronym_in(frame.actor, text)
        focus = frame.focus + frame.names
        return actor and (not focus or names_in(focus, text))
    if slot == "names":
        if kind in _RECORD_KINDS:
            return not about_focus(frame, ev) or not frame.focus
        found = len(new_names(frame, text))
        plural = bool(_PLURAL_ASK.search(frame.text))
        # "Which bank ...": the sentence names one and calls it a bank; a list of several names
        # answers "which companies" without repeating the word.
        said = not frame.head or frame.head in text.lower()
        return found >= 2 if plural else found >= 1 and said
    if slot == "membership":
        return kind in _RECORD_KINDS and about_focus(frame, ev)
    return True


_REASON_COLUMN = re.compile(r"\b(reason|basis|grounds|conduct|activit|why)", re.I)


def table_header(ev: Evidence) -> list[str]:
    """The header cells of the Markdown table a row of evidence belongs to; [] for a sentence."""
    if not ev.text.lstrip().startswith("|"):
        return []
    for line in ev.passage.text.splitlines():
        line = line.strip()
        if line.startswith("|") and not re.fullmatch(r"[|\s:-]+", line):
            return [c.strip().strip("*").strip() for c in line.strip().strip("|").split("|")]
    return []


def _has_column(ev: Evidence, pattern: re.Pattern) -> bool:
    """Whether the evidence is a table row under a column the pattern names ("Reason")."""
    header = table_header(ev)
    return bool(header) and header[0] not in ev.text and any(pattern.search(h) for h in header)


def _acronym_in(actor: str, text: str) -> bool:
    """"EU" is named by "European Union" too."""
    if not actor.isupper():
        return False
    runs = re.findall(r"(?:[A-Z][a-z]+\s+)+[A-Z][a-z]+", text)
    return any("".join(w[0] for w in r.split()) == actor for r in runs)


def covers(frame: Frame, ev: Evidence, slot: str | None = None) -> bool:
    """Whether the evidence answers the frame: it fills the asked slot (the primary one unless
    `slot` is given) and is about the frame's focus."""
    slot = slot or primary(frame.asks)
    identifying = slot == "document_number" and not frame.documents
    if identifying and frame.stated and not set(frame.stated) & {n.value for n in find_numbers(ev.passage.text)}:
        return False  # "which rule added 36 entities": a rule stating another count is another rule
    if not (identifying and frame.entities) and not about_focus(frame, ev):
        return False
    if table_header(ev) and (frame.focus or frame.names) and not names_in(frame.focus + frame.names, ev.text):
        return False  # a table row speaks of its own first cell, not of its neighbours
    return slot is None or fills(frame, slot, ev, strict=False)


_WHAT = {
    "signer": "who signed {f}", "rin": "the RIN of {f}", "docket": "the docket number of {f}",
    "document_number": "which document {f} is", "fr_citation": "the Federal Register citation for {f}",
    "count": "how many {unit}{event} for {f}", "amount": "that amount for {f}",
    "aliases": "the aliases of {f}", "date": "when {f} was {event_past}",
    "authority": "under what authority {f} was {event_past}", "policy": "the license review policy for {f}",
    "provision": "which provision covers {f}", "reason": "why {f} was {event_past}",
    "role": "the role of {f}", "country": "which destination {f} is listed under",
    "address": "the address of {f}", "response": "how {actor} responded", "names": "which {head}, for {f}",
    "membership": "whether {f} is listed",
}


_HEAD_WORDS = {"compan": "companies", "entit": "entities", "firm": "firms", "organization": "organizations",
               "organisation": "organisations", "individual": "individuals", "person": "persons",
               "people": "people", "official": "officials", "institut": "institutes", "exchange": "exchange",
               "bank": "bank", "subsidiar": "subsidiaries", "vessel": "vessels",
               "manufacturer": "manufacturer", "supplier": "supplier"}


def missing(frame: Frame) -> str:
    """What the documents do not say, in words: "who signed FR Doc. 2022-27151"."""
    slot = primary(frame.asks)
    focus = frame.describe_focus()
    if focus == "this":
        focus = "what was asked about"
    if slot is None:
        return f"what was asked about {focus}"
    unit = f"{frame.count_unit or 'entities'}"
    event = f" {frame.event}" if frame.event else ""
    return _WHAT[slot].format(f=focus, unit=unit, event=event, event_past=frame.event or "acted on",
                              actor=frame.actor or "they", head=_HEAD_WORDS.get(frame.head or "", "ones"))
