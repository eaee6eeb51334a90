"""Question frames: a question parsed once into typed slots.

Every step after parsing (retrieval boosts, the record look-ups, the composer, the LLM check)
takes the `Frame`, never the question text again:

- `asks`: what kind of thing would answer it (a reason, a date, a count, a signer, ...);
- `focus`: what it is about: entities on the lists (matched in the entity table), names as
  written that match no listed entity, Federal Register documents and citations, "the rule
  that added X";
- `event`: the action asked about (added, removed, revised, designated, corrected);
- `lists`: the lists it names (Entity List, MEU, UVL, SDN, NS-CMIC, CSL);
- `asked_name`, `asked_list`: for a membership question ("Is X on the Entity List?", "Which
  list is X on?"), X as written and the list as written, for the screening matcher;
- constraints: months or days, countries;
- `parts`: a question asking two things ("When was X added, and under which citation?") as
  one sub-frame per part, each sharing the focus of the whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from listlens.index.entities import normalize
from listlens.index.text import FR_DOC_NUMBER, STOPWORDS
from listlens.ingest.countries import COUNTRY_NAMES, NATIONALITIES
from listlens.ingest.vocab import MONTH_NAMES, MONTH_PATTERN, WEEKDAYS, find_numbers, is_count

# --- what a question asks for ------------------------------------------------------------------
# (slot, question pattern). Order matters only for reading; every matching slot is kept.
_ASKS: list[tuple[str, re.Pattern]] = [
    ("signer", re.compile(r"\bsign(ed|er|atory|ature|s)?\b", re.I)),
    ("rin", re.compile(r"\bRIN\b|regulation identifier number", re.I)),
    ("docket", re.compile(r"\bdocket\b", re.I)),
    ("reason", re.compile(r"\b(why|reasons?|on what (basis|grounds)|basis for|grounds|what led|led \w+ to|"
                          r"for what|justification|rationale|what (activity|activities|conduct))\b", re.I)),
    ("authority", re.compile(r"\b(under (what|which) (authority|executive order|order|law|statute|"
                             r"program)|what (authority|executive order|legal authority)|"
                             r"which executive order)\b", re.I)),
    ("date", re.compile(r"(^\s*|\b(and|or|but)\s+|[,;]\s*)when\b|\b(what date|which date|on what day|what day|effective date|listing date|"
                        r"date of|in what year|which year|what year)\b", re.I)),
    ("fr_citation", re.compile(r"\b(citation|FR page|Federal Register page|(which|what) (FR |Federal "
                               r"Register )?notice)\b", re.I)),
    ("document_number", re.compile(r"\b(document number|doc(ument)?\.? (no|number)|FR Doc\.?(?! ?\d)|"
                                   r"(which|what) (FR |federal register )?(document|rule|final rule))\b", re.I)),
    ("count", re.compile(r"\b(how many|number of|what share|what percentage|what proportion|what portion|"
                         r"how much of)\b", re.I)),
    ("amount", re.compile(r"\b(how much|what (total|amount|sum|value)|total (dollar )?(value|amount)|"
                          r"dollar (value|amount)|penalt(y|ies)|fines?\b|"
                          r"in dollars|worth)\b", re.I)),
    ("aliases", re.compile(r"\b(alias(es)?|a\.?k\.?a\.?s?|alternat(e|ive) names?|other names?|also known)\b", re.I)),
    ("country", re.compile(r"\b(which|what|under what|under which|in which|in what) (country|countries|"
                           r"destinations?|nation)\b|\bwhere (is|was|are|were)\b[^?]*\b(based|located|listed)", re.I)),
    ("address", re.compile(r"\b(address|addresses|street|located at)\b", re.I)),
    ("provision", re.compile(r"\b(which|what)\s+(paragraph|subsection|section|provision)\b", re.I)),
    ("policy", re.compile(r"\b(licen[cs]e )?review policy\b", re.I)),
    ("role", re.compile(r"\b(what (is|was) (the )?(role|position|title|job)|who (is|was) (the|its|their) ([\w-]+ ){1,3}of|"
                        r"\w+'s (role|position|title))\b", re.I)),
    ("response", re.compile(r"\b(respond|responded|response|react|reacted|reaction|retaliat\w*)\b", re.I)),
    ("names", re.compile(r"^\s*(who\b(?! signed)|(which|what|name|list|identify)\s+(\S+\s+){0,5}?"
                         r"(compan|entit(?!y\s+list)|firm|organi[sz]ation|individual|person|people|official|institut|"
                         r"exchange|bank|subsidiar|group|vessel|manufacturer|supplier|part(y|ies)))", re.I)),
]
# Membership: a question asking only whether, or on which list, a name is listed. Read from the
# question's shape, so the name asked about stays whole as written ("KOMOTSKY, Boris Olegovich")
# and the list it names may be any list the library holds ("the ITAR Debarred List").
def _list_phrase(group: str) -> str:
    """'the Entity List', 'any list', 'the UVL': checked to name a list by `_names_a_list`."""
    return rf"(?P<{group}>(?:any|a|the|an|one of the)\s+[^?]+?)"


_MEMBERSHIP_SHAPES = [
    # "Is X listed?", "Is X sanctioned?", "Is X designated by OFAC?", "Has X been listed?",
    # "Is X on the Entity List?", "Is X listed on any list?", "Is X in the SDN list?"
    re.compile(r"^(?:is|are|was|were|has|have)\s+(?P<name>.+?)\s+(?:been\s+)?"
               r"(?:(?:currently|still|ever|already|now)\s+)?(?:"
               r"(?:listed|designated|sanctioned|blacklisted|included)(?:\s+(?:by|under)\s+[^?]+?)?"
               r"(?:\s+(?:on|in)\s+" + _list_phrase("list") + r")?"
               r"|(?:on|in)\s+" + _list_phrase("list_") + r")\s*\??$", re.I),
    # "Does X appear on" any list, or on a list it names
    re.compile(r"^(?:does|do)\s+(?P<name>.+?)\s+appear\s+(?:on|in)\s+" + _list_phrase("list") + r"\s*\??$", re.I),
    # "Which list is X on?", "What lists are X on?", "On which list is X?", "On what list does X appear?"
    re.compile(r"^(?:(?:on|in)\s+)?(?:which|what)\s+(?:\w+\s+)?lists?\s+(?:is|are|does|do)\s+(?P<name>.+?)"
               r"(?:\s+(?:(?:listed|named|included|found|appear|appears)\s+)?(?:on|in))?"
               r"(?:\s+(?:listed|named|included|found|appear|appears))?\s*\??$", re.I),
    # "Which list includes X?", "What list names X?"
    re.compile(r"^(?:which|what)\s+(?:\w+\s+)?lists?\s+(?:includes?|names?|contains?|lists?)\s+"
               r"(?P<name>.+?)\s*\??$", re.I),
]
# A subject that refers to someone without naming them ("Is it listed?", "Is anyone ...").
_NOT_A_SUBJECT = re.compile(r"^(?:it|its|they|he|she|this|that|these|those|there|any|anyone|anybody|"
                            r"someone|somebody|all|some|every|each|which|what|who)\b", re.I)
# A question naming the Consolidated Screening List asks about every list it consolidates.
_ANY_LIST = re.compile(r"^(?:any|a|an|one of the)\s+(?:\w+\s+)?lists?$|\bconsolidated screening list\b|\bCSL\b",
                       re.I)

# A Federal Register reference in a question says which document it is about, not that it
# asks for a document number or a citation.
DOC_REFERENCE = re.compile(r"\b(?:FR\s+Doc(?:ument)?\.?|Federal Register document)\s*(?:No\.?\s*)?"
                           r"\d{4}-\d{4,6}\b|\b\d{1,3}\s*FR\s*\d{2,6}\b", re.I)
FR_CITATION = re.compile(r"\b(\d{1,3})\s*FR\s*(\d{2,6})\b")

# --- events ------------------------------------------------------------------------------------
EVENTS: dict[str, re.Pattern] = {
    "removed": re.compile(r"\b(remov\w*|delist\w*|taken off|took off|lift\w*)\b", re.I),
    "corrected": re.compile(r"\b(correct(s|ed|ing|ion|ions)?)\b", re.I),
    "revised": re.compile(r"\b(revis\w*|modif\w*|amend(s|ed|ing)? (the|an|its|their) (entry|entries))\b", re.I),
    "added": re.compile(r"\b(add(s|ed|ing)?|addition(s)?|put on|placed on|listed|listing|blacklist\w*|"
                        r"included)\b", re.I),
    "designated": re.compile(r"\b(designat\w*|sanction\w*|identif(y|ied|ies))\b", re.I),
    "extended": re.compile(r"\b(extend\w*|extension)\b", re.I),
}

# --- lists -------------------------------------------------------------------------------------
LISTS: dict[str, re.Pattern] = {
    "Entity List": re.compile(r"\bentity list\b|\bEL\b", re.I),
    "Military End-User List": re.compile(r"\bmilitary end[- ]users?( list)?\b|\bMEU\b", re.I),
    "Unverified List": re.compile(r"\bunverified list\b|\bUVL\b", re.I),
    "SDN List": re.compile(r"\bSDN\b|specially designated nationals", re.I),
    "NS-CMIC List": re.compile(r"\b(NS-)?CMIC\b|military-industrial complex", re.I),
    "Consolidated Screening List": re.compile(r"\bconsolidated screening list\b|\bCSL\b", re.I),
}

# The things a count is of. "entries" and "addresses" are not entities: "10 entities under 13
# entries" answers both questions with different numbers.
UNITS: dict[str, re.Pattern] = {
    "entries": re.compile(r"^entr(y|ies)$"),
    "aliases": re.compile(r"^(alias|aliases|a\.?k\.?a\.?s?|names)$"),
    "addresses": re.compile(r"^address(es)?$"),
    "entities": re.compile(r"^(entit(y|ies)|persons?|compan(y|ies)|firms?|individuals?|organi[sz]ations?|"
                           r"parties|party|institutes?|institutions?|people|businesses|subsidiaries|"
                           r"affiliates?|exchanges?|banks?|universities|laborator(y|ies)|officials?)$"),
}

_MONTH_DATE = re.compile(MONTH_PATTERN + r"\s+(?:(\d{1,2}),?\s+)?((?:19|20)\d{2})\b", re.I)
_EXCLUDING = re.compile(r"\b(not counting|excluding|other than|apart from|except|besides)\b", re.I)
_SEVERAL_PLACES = re.compile(r"\b(more than one|several|multiple|two or more) (destinations|countries)\b", re.I)
# "How much did X receive specifically from Y": a figure for a group is not one member's.
_SPECIFIC = re.compile(r"\b(specifically|alone|by itself|individually|in particular|exclusively|solely)\b", re.I)
# "the rule that added X", "the notice listing X": a document picked out by what it did.
_VIA_RULE = re.compile(r"\b(rule|notice|document|action)\s+(that|which)?\s*(added|listed|designated|"
                       r"removed|adding|listing)\b", re.I)
_HEAD = re.compile(r"^\s*(?:which|what|name|list|identify)\s+(?:[\w.-]+\s+){0,5}?(compan|entit(?!y\s+list)|firm|"
                   r"organi[sz]ation|individual|person|people|official|institut|exchange|bank|subsidiar|"
                   r"vessel|manufacturer|supplier)", re.I)
_QUOTED = re.compile(r"(?:(?<=[\s(])|^)[‘'“\"]([A-Z][^'’”\"]{3,60})[’'”\"](?![A-Za-z])")
# "How did the EU respond": the actor of a response question is who responded.
_ACTOR = re.compile(r"\b[Hh]ow did (?:the )?([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)\s+(?:respond|react)|"
                    r"\b(?:the )?([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)['’]s (?:response|reaction)|"
                    r"\b(?:response|reaction) (?:of|from) (?:the )?([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)")
# Two questions in one: ", and how many ...", "; when ...".
_NEXT_PART = re.compile(r"(?:,?\s+and\s+|;\s*|\?\s+)(?=(how|what|which|when|who|whom|where|why|under which|"
                        r"on what|in what|does|did|is|are|was|were)\b)", re.I)

# Words that are capitalised in questions without naming anyone the lists could hold.
_NOT_NAME_WORDS = frozenset("""
bis ofac treasury commerce department bureau industry security office foreign assets control
federal register fr doc ear u s us usa united states government administration president biden
trump entity list military end user unverified uvl meu sdn cmic ns consolidated screening csl
executive order e o eo rule final interim notice summary regulation regulations cfr part section
supplement no what which who when why how where is are was were did does do has have name list
identify according the a an in on of for and to under with by from news coverage article report
reported press release announcement mr ms dr also rin docket give tell show find describe explain
summarize summarise please json csv xml pdf html txt file
european
""".split()) | frozenset(MONTH_NAMES) | frozenset(WEEKDAYS) | frozenset(n.lower() for n in NATIONALITIES)
_COUNTRY_NAMES = frozenset(normalize(c) for c in COUNTRY_NAMES) | frozenset(
    {"china", "prc", "uae", "uk", "eu", "european union", "hong kong", "macau", "taiwan", "russia",
     "iran", "burma", "myanmar", "north korea", "south korea"})
_WORD_OR_SEP = re.compile(r"[\w][\w&'’.-]*|[^\w\s]")
_CONNECTORS = frozenset({"of", "and", "for", "de", "the", "at", "&"})
_LEGAL = frozenset({"co", "co.", "ltd", "ltd.", "llc", "inc", "inc.", "corp", "corp.", "jsc", "gmbh",
                    "plc", "pte", "pte.", "limited", "company"})


@dataclass(frozen=True)
class Frame:
    text: str
    asks: tuple[str, ...] = ()
    event: str | None = None
    lists: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()  # normalised names of listed entities the question names
    labels: tuple[str, ...] = ()  # the same entities as the lists spell them, for answers
    entity_ids: tuple[str, ...] = ()  # chunk ids of the first entity named (records, entries)
    names: tuple[str, ...] = ()  # names as written that match no listed entity
    # A membership question ("Is X listed?", "Which list is X on?"): X as written, screened
    # against the lists, and the list it names as written ("" for any list).
    asked_name: str | None = None
    asked_list: str = ""
    documents: tuple[str, ...] = ()  # FR document numbers: "2023-03929"
    citations: tuple[str, ...] = ()  # FR citations: "86 FR 60760"
    via_rule: bool = False  # "the rule that added X": the document is picked out by X
    phrases: tuple[str, ...] = ()  # quoted section names or terms
    months: tuple[str, ...] = ()  # "2021-11" or "2021-11-04"
    countries: tuple[str, ...] = ()
    count_unit: str | None = None  # entities | entries | aliases | addresses
    excluding: bool = False  # "not counting X itself"
    several_places: bool = False  # entities listed under several country headings
    specific: bool = False  # "specifically", "alone"
    actor: str | None = None  # who responded, for response questions
    date_of: str | None = None  # "effective" | "published": which date of a document
    head: str | None = None  # what a names question asks for: "bank" in "which bank ..."
    stated: tuple[int, ...] = ()  # counts the question states: "which rule added 36 entities"
    parts: tuple["Frame", ...] = field(default=(), compare=False)

    @property
    def focus(self) -> tuple[str, ...]:
        """Normalised names of what the question is about: entities and documents."""
        return self.entities + tuple(normalize(d) for d in self.documents)

    @property
    def about_removal(self) -> bool:
        return self.event == "removed"

    def describe_focus(self) -> str:
        """The focus as a reader would name it, for refusals."""
        if self.documents:
            return "FR Doc. " + " and ".join(self.documents)
        if self.citations:
            return " and ".join(self.citations)
        if self.labels:
            return self.labels[0]
        if self.entities:
            return self.entities[0]
        if self.names:
            return self.names[0]
        return "this"


def _asks(text: str, membership: bool = False) -> tuple[str, ...]:
    asking = DOC_REFERENCE.sub(" ", text)
    asks = [slot for slot, pattern in _ASKS if pattern.search(asking)] + (["membership"] if membership else [])
    if "signer" in asks:  # "who signed" wants the signer, not names of listed parties
        asks = [a for a in asks if a not in ("names", "role")]
    if "count" in asks and "amount" in asks and not re.search(r"\bhow much\b(?! of)", asking, re.I):
        asks.remove("amount")
    if "amount" in asks and "count" in asks:
        asks.remove("count")
    if "count" in asks and {"docket", "rin", "document_number"} & set(asks) and not re.search(
            r"\bhow many\b", asking, re.I):
        asks.remove("count")  # "the docket number of ..." asks an identifier, not a count
    if "count" in asks and "names" in asks and not re.search(r"\b(which|name|list|identify)\b", asking, re.I):
        asks.remove("names")  # "what number of companies" asks a count
    if "aliases" in asks and "count" not in asks and "names" in asks:
        asks.remove("names")
    if "membership" in asks and ({"reason", "date", "fr_citation", "count"} & set(asks)):
        asks.remove("membership")  # "Is X on the list, and when was it added?" asks the date
    if "document_number" in asks and ("date" in asks or "reason" in asks) and not re.search(
            r"document number|doc(ument)?\.? (no|number)|(which|what) (federal register )?(document|notice)\b",
            asking, re.I):
        asks.remove("document_number")  # "when did the rule take effect" is about a rule
    return tuple(asks)


def _event(text: str) -> str | None:
    found = [(m.start(), name) for name, pattern in EVENTS.items() if (m := pattern.search(text))]
    return min(found)[1] if found else None


def _count_unit(text: str) -> str | None:
    m = re.search(r"\b(?:how many|number of)\s+((?:[\w.-]+\s*){1,4})", text, re.I)
    if not m:
        return None
    for word in [w for w in m[1].split() if not w[:1].isupper()]:  # "Entity" of "Entity List" is a name
        for unit, pattern in UNITS.items():
            if pattern.match(word.lower()):
                return unit
    return None


def _stated_counts(text: str) -> tuple[int, ...]:
    """Counts the question gives of entities or entries ("added 36 entities"): clues to which
    document it means, not what it asks."""
    out = []
    for n in find_numbers(text):
        after = text[n.end:n.end + 30].split()
        if is_count(text, n) and after and any(p.match(after[0].lower()) for p in UNITS.values()):
            out.append(n.value)
    return tuple(out)


def _months(text: str) -> tuple[str, ...]:
    out = []
    for m in _MONTH_DATE.finditer(text):
        month = MONTH_NAMES.index(next(n for n in MONTH_NAMES if n.startswith(m[1].lower()[:3]))) + 1
        out.append(f"{int(m[3]):04d}-{month:02d}" + (f"-{int(m[2]):02d}" if m[2] else ""))
    return tuple(out)


def _countries(text: str) -> tuple[str, ...]:
    words = normalize(text).split()
    found = []
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            gram = " ".join(words[i:i + n])
            if gram in _COUNTRY_NAMES and not any(gram in f for f in found):
                found.append(gram)
    return tuple(found)


def name_runs(text: str) -> list[str]:
    """Runs of capitalised words, as written: the names a question gives ("Zhongshan Radiance
    Photonics", "NSO Group"). A run breaks at punctuation (except inside legal forms such as
    "Co., Ltd."), at lower-case words other than connectors, and at question words."""
    text = DOC_REFERENCE.sub(" , ", text)
    tokens = _WORD_OR_SEP.findall(text)
    runs: list[list[str]] = []
    current: list[str] = []
    for i, tok in enumerate(tokens):
        low = tok.lower().rstrip(".")
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if tok[0].isupper() or tok[0].isdigit() and current:
            if low in STOPWORDS and not current:
                continue  # "Did", "Is", "The" opening a sentence
            current.append(tok)
        elif current and (low in _CONNECTORS or low in _LEGAL
                          or (tok == "," and nxt.rstrip(".") in _LEGAL)):
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and (run[-1].lower() in _CONNECTORS or run[-1] == ","):
            run.pop()
        if run:
            out.append(" ".join(run).replace(" ,", ","))
    return out


def _is_name(run: str) -> bool:
    """Whether a capitalised run names someone (not a list, an agency, a month or a country)."""
    if normalize(run) in _COUNTRY_NAMES:
        return False
    # Only the capitalised pieces name anyone: "Iran-located" is a place and a verb.
    words = [w for piece in re.split(r"[\s-]+", run) if piece[:1].isupper() or piece[:1].isdigit()
             for w in normalize(piece).split()]
    rest = [w for w in words if w not in _NOT_NAME_WORDS and w not in _COUNTRY_NAMES and len(w) > 1]
    return bool(rest) and not all(w.isdigit() for w in rest)


def membership_subject(text: str, entity_names: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(name as written, list as written or "" for any list) when the question asks only
    whether, or on which list, someone is listed; None otherwise. The subject must name someone:
    a capitalised name, or a listed entity (`entity_names`, normalised) in any case. "Are license
    exceptions available to a party on the Entity List?" names no one."""
    text = " ".join(text.split())
    for shape in _MEMBERSHIP_SHAPES:
        if not (m := shape.match(text)):
            continue
        name = re.sub(r"^the\s+", "", m["name"].strip(" \"'“”‘’,"), flags=re.I)
        if not name or _NOT_A_SUBJECT.match(name):
            return None
        key = normalize(name)
        if not (_is_name(name) or any(e and f" {e} " in f" {key} " for e in entity_names)):
            return None
        listed = (m.groupdict().get("list") or m.groupdict().get("list_") or "").strip()
        if listed and not (re.search(r"\blists?\b", listed, re.I) or any(p.search(listed) for p in LISTS.values())):
            return None  # "Is X on the board of Y?"
        return name, "" if _ANY_LIST.search(listed) else re.sub(r"^(?:the|a|an)\s+", "", listed, flags=re.I)
    return None


def parse(text: str, entities=None) -> Frame:
    """The frame of a question. `entities`: the library's entity table (index/entities.py), to
    tell names of listed entities from names the lists do not hold; None reads names only."""
    mentions = entities.mentions(text) if entities is not None else []
    entity_names = tuple(dict.fromkeys([g for _, g in mentions] + [normalize(e.name) for e, _ in mentions]))
    entity_ids = tuple(mentions[0][0].node_ids) if mentions else ()
    known = " ".join(entity_names)
    names = []
    for run in name_runs(text):
        key = normalize(run)
        if not _is_name(run) or any(key in n or n in key for n in entity_names if n):
            continue
        if any(f" {w} " in f" {known} " for w in key.split() if w not in _NOT_NAME_WORDS and len(w) > 3) \
                and entity_names:
            continue  # a fragment of a name already matched ("Biren" beside "Beijing Biren ...")
        names.append(run)
    actor = _ACTOR.search(text)
    documents = tuple(dict.fromkeys(FR_DOC_NUMBER.findall(text)))
    asking = DOC_REFERENCE.sub(" ", text)
    head = _HEAD.search(text)
    member = membership_subject(text, entity_names)
    asks = _asks(text, membership=member is not None)
    if "membership" not in asks:
        member = None  # "Is X listed, and why?" asks the reason
    frame = Frame(
        text=text, head=head[1].lower() if head else None, stated=_stated_counts(asking), asks=asks, event=_event(asking),
        asked_name=member[0] if member else None, asked_list=member[1] if member else "",
        lists=tuple(name for name, p in LISTS.items() if p.search(text)),
        entities=entity_names, entity_ids=entity_ids, names=tuple(names), documents=documents,
        citations=tuple(dict.fromkeys(f"{m[1]} FR {m[2]}" for m in FR_CITATION.finditer(text))),
        via_rule=bool(_VIA_RULE.search(text)),
        phrases=tuple(normalize(m) for m in _QUOTED.findall(text)),
        months=_months(text), countries=_countries(text), count_unit=_count_unit(text),
        excluding=bool(_EXCLUDING.search(text)), several_places=bool(_SEVERAL_PLACES.search(text)),
        specific=bool(_SPECIFIC.search(text)),
        actor=next((g for g in actor.groups() if g), None) if actor else None,
        labels=tuple(dict.fromkeys(e.name for e, _ in mentions)),
        date_of=("effective" if re.search(r"\beffective\b|\btakes? effect|\btook effect", text, re.I)
                 else "published" if re.search(r"\bpublish\w*|\bpublication\b", text, re.I) else None),
    )
    pieces = [p.strip() for p in _NEXT_PART.split(text)[::2] if p and p.strip()]
    if len(pieces) > 1:
        parts = []
        for piece in pieces:
            sub = parse(piece)  # names only: the part shares the whole question's focus
            parts.append(replace(sub, entities=frame.entities, entity_ids=frame.entity_ids, labels=frame.labels,
                                 names=frame.names, documents=frame.documents or sub.documents,
                                 citations=frame.citations or sub.citations,
                                 via_rule=frame.via_rule or sub.via_rule,
                                 event=sub.event or frame.event, lists=sub.lists or frame.lists,
                                 countries=sub.countries, phrases=frame.phrases, parts=()))
        frame = replace(frame, parts=tuple(parts))
    return frame
