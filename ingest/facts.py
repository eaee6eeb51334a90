"""Reading a document into facts: who was acted on, by whom, how, why, under which rule.

Read once, at ingest, from the document's structure, each fact with the span it came from:
- Federal Register table entries (already structured by the FR parser) → one fact per entry, its
  reason from the preamble paragraph that names it;
- tables in articles and press releases (Markdown or HTML, ingest/tables.py) → one fact per
  subject, the subject, country and reason columns chosen by what their headers mean;
- sentences that report an action: the action verb decides the action, and the subjects are read
  from the verb's grammatical object ("OFAC designated X, Y and Z") or, in the passive, its
  subject ("X was added"), never from elsewhere in the sentence; so a quoted official, an analyst
  or the agency acting is not a subject. Counts are read as stated ("adding twenty-eight
  entities under 41 entries").
List data files are records, not announcements: they yield no facts. Lines that address a
language model (ingest/safety.py) are never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from listlens.ingest.countries import COUNTRY_PATTERN, NATIONALITIES, country_name, country_of, is_country
from listlens.ingest.safety import is_injection
from listlens.ingest.tables import Table, html_tables, markdown_tables
from listlens.ingest.types import Fact, ParsedDocument, Section, Subject
from listlens.ingest.vocab import MONTH_PATTERN, MONTHS, REASON_CUES, find_numbers, is_count, words_to_number

# Which reading the facts of a stored document come from: bump it when the reader changes what it
# finds, and re-ingesting an unchanged document re-reads its facts (its chunks stay).
FACTS_READER = "2"

# Documents that are data or law, not announcements of an action.
_NOT_ANNOUNCEMENTS = {"list", "regulation", "csv", "json"}

# --- the field's names for lists, actors and legal bases --------------------------------------

# (short name, how documents write it). Reporters often call the Entity List "the EAR list" or
# "trade blacklist"; the Entity List is the EAR's list of parties.
LISTS = [
    ("MEU List", re.compile(r"Military End[- ]Users?\s+(?:\(MEU\)\s+)?(?:sanction\s+)?List|\bMEU\b", re.I)),
    ("UVL", re.compile(r"Unverified List|\bUVL\b", re.I)),
    ("SDN List", re.compile(r"Specially Designated Nationals|(?<!Non-)\bSDN\b")),
    ("NS-CMIC List", re.compile(r"Chinese Military[- ]Industrial Complex|\bN?S?-?CMIC\b|investment blacklist")),
    ("DPL", re.compile(r"Denied Persons List|\bDPL\b")),
    ("Entity List", re.compile(r"Entity List|\bEAR\)?\s+list|trade blacklist", re.I)),
]
ACTORS = [
    ("ERC", re.compile(r"End-User Review Committee|\bERC\b")),
    ("BIS", re.compile(r"Bureau of Industry and Security|\bBIS\b|Commerce Department|"
                       r"Department of Commerce|\bCommerce\b")),
    ("OFAC", re.compile(r"Office of Foreign Assets Control|\bOFAC\b|Treasury")),
    ("State", re.compile(r"State Department|Department of State|Secretary of State")),
]
# The US government bodies, offices and instruments that act or are cited: never the party acted
# on. A name holding an official's title is a person speaking for the government.
_GOVERNMENT = re.compile(
    r"\b(?:Department|Dept\.?|Bureau of Industry|Office of Foreign Assets|End-User Review|White House|"
    r"Federal Register|Export Administration Regulations|Treasury|Secretary|Minister|Spokes(?:man|woman|person)|"
    r"Ambassador|Senator|Congress(?:man|woman)?|Administration|State Department|Commerce Department)\b|"
    r"^(?:(?:the\s+)?(?:U\.?S\.?|US|United States)(?:\s+(?:Government|Administration|officials?))?|Commerce|State|"
    r"Government|BIS|OFAC|ERC|EAR|IFR|CCL|ECCN|CFR|FBI|DOJ|President)$", re.I)
_BASIS = re.compile(r"\b(?:E\.O\.|Executive Order)\s*\d{5}|§+\s*\d{3}\.\d+(?:\([a-z0-9]+\))*|"
                    r"foreign direct product rule|Section \d{4} of the [A-Z][\w ]+Act", re.I)

# Action verbs → the action they report. "sanction"/"blacklist" mean a designation when
# Treasury acts and a listing when Commerce does (decided per fact from its list and actor).
_VERBS = re.compile(
    r"\b(?P<added>add(?:s|ed|ing)?|plac(?:es|ed|ing)|put(?:s|ting)?|addition of)\b|"
    r"\b(?P<designated>designat(?:es|ed|ing)|designation of)\b|"
    r"\b(?P<sanctioned>sanctions\s+(?:\w+\s+)?(?:against|on)|sanction(?:ed|ing)|"
    r"sanctions(?=\s+(?:\d|[\w-]+\s+(?!against|on|program)|[A-Z]))|"
    r"blacklist(?:s|ed|ing)?)\b|"
    r"\b(?P<listed>listed|lists)\b|"
    r"\b(?P<identified>identif(?:y|ies|ied|ying))\b|"
    r"\b(?P<removed>remov(?:e|es|ed|ing)|taken off|took off|removal of)\b|"
    r"\b(?P<delisted>delist(?:s|ed|ing)?)\b|"
    r"\b(?P<revised>revis(?:e|es|ed|ing)|modif(?:y|ies|ied|ying)|amend(?:s|ed|ing) the entr\w*)\b|"
    r"\b(?P<corrected>correct(?:s|ed|ing))\b|"
    r"\b(?P<proposed>propos(?:e|es|ed|ing) to (?:add|designate|remove))\b")
# "The companies are ...", "The entities include ...": an enumeration of the parties acted on.
_ENUMERATION = re.compile(r"\b(?:the|these|those)\s+(?:\w+\s+){0,2}?(?:companies|entities|firms|organi[sz]ations|"
                          r"individuals|persons|parties|people)\s+(?:are|were|include|included)(?::|\s+(?=[A-Z]))", re.I)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|been|be|being|get|got)\s+(?:being\s+)?(?:\w+ly\s+|also\s+|now\s+|all\s+|not\s+)?$", re.I)
# "sanctions" is a verb only after the one who sanctions ("US sanctions X", "Treasury sanctions X").
_SANCTIONS_SUBJECT = re.compile(r"(?:\b(?:US|U\.S\.|UK|EU|Treasury|Commerce|OFAC|BIS|State|Department|Government|"
                                r"[Aa]dministration|Washington|Biden|Trump|Feds|it|[A-Z][a-z]+)\s+)$")
# Sentences about an earlier action than the document's own: background, not news.
_EARLIER = re.compile(r"\b(?:(?:last|previous|past)\s+(?:month|year|summer|spring|fall|autumn|winter)|"
                      r"previously|in the past|had (?:been|previously|already)|already|earlier this)\b", re.I)
# Where the object of an action verb ends: its destination, reason, time or a new clause.
_OBJECT_END = re.compile(r"(?<!\bwell)\s+as\b(?!\s+well\s+as)|\s+(?:to|on|onto|from|for|because|under|over|after|in connection|"
                         r"pursuant|that|which|who|whose|since|with|by|at|amid)\b|,\s+(?:but|saying|which|"
                         r"who|citing|accusing|alleging|according|a move|as)\b|[.!?](?:\s|$)|\s+(?:[—–|]|--)\s+|\(\d")
_CLAUSE_START = re.compile(r"(?:^|;\s+|,\s+(?:while|but)\s+|\s+while\s+|\s+whereas\s+|:\s+|"
                           r"[\"“]\s*|\b(?:after|that|which|when)\s+|"
                           r"\b(?:said|says|stated|announced|noted|reported|confirmed|added)\s+(?:that\s+)?)", re.I)
_UNITS = (r"entit(?:y|ies)|entr(?:y|ies)|compan(?:y|ies)|firms?|organi[sz]ations?|individuals?|"
          r"persons?|people|businesses|vendors|institutes?|institutions|parties|addresses|vessels|"
          r"aircraft|exchanges|subsidiaries")
_COUNTED = re.compile(rf"\s+(?:of\s+(?:the|these|those)\s+)?(?:(?:[A-Z][a-z]+|[a-z]+(?:-\w+)?)\s+){{0,2}}?({_UNITS})\b")
_LEGAL = re.compile(r"(?:Ltd|Limited|Inc|LLC|L\.L\.C|Co|Corp|Corporation|Company|S\.?A|AG|GmbH|PLC|Pte|Pvt|"
                    r"K\.K|JSC|OOO|LLP|LP|N\.V|B\.V|S\.R\.O|S\.r\.l|Sdn Bhd|Bhd|OU|OÜ|SIA|AB|Oy|SpA)\b\.?", re.I)
_CONNECTORS = {"of", "for", "at", "and", "de", "del", "la", "le", "du", "&", "und", "y", "of the", "and the"}
_NOT_NAMES = re.compile(r"^(?:\(.*|There|Here|The|This|These|Those|It|Its|They|Their|Who|What|Which|Why|How|When|Where|US|U\.S\.?|USA|America|American|"
                        r"Today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                        r"January|February|March|April|May|June|July|August|September|October|"
                        r"November|December|Entity|Entities|List|Sanctions?|Reason|Country|Name|"
                        r"Federal Register|Chinese|Russian|Iranian|North Korean|Western)$")
_COUNTRY = re.compile(COUNTRY_PATTERN)
_ITEM_CODE = re.compile(r"\bEAR99\b|\bECCN\b|\b\d[A-E]\d{3}\b")
_GROUP_INTRO = re.compile(r"\b(?:among them|including|such as|namely)\b[:,]?\s*", re.I)


def short_list(text: str) -> str:
    """The list a text names first ("... to the Entity List" → "Entity List"); "" if none."""
    found = [(m.start(), name) for name, pattern in LISTS if (m := pattern.search(text))]
    return min(found)[1] if found else ""


def actor_in(text: str) -> str:
    found = [(m.start(), name) for name, pattern in ACTORS if (m := pattern.search(text))]
    return min(found)[1] if found else ""


# --- names ------------------------------------------------------------------------------------

@dataclass
class Named:
    """A subject as written in the text: its name, country, and span."""

    name: str
    country: str
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)


def _is_name(name: str) -> bool:
    words = name.split()
    if not words or len(name) < 2 or not re.search(r"[A-Za-z]", name):
        return False
    if _NOT_NAMES.match(name) or _GOVERNMENT.search(name) or short_list(name) or name.lower() in NATIONALITIES:
        return False
    if len(words) == 1 and name.endswith("ly") or _ITEM_CODE.search(name) or re.search(r"\(\d+\)", name):
        return False  # "Lastly", an export classification ("ECCN 5A992.c"), "Russia (3)"
    if re.match(rf"(?:the\s+)?{COUNTRY_PATTERN}(?:\s*\(|$)", name) or name.startswith(("People's Republic", "Republic of")):
        return False
    return not is_country(name)


def _split_items(text: str) -> list[tuple[int, int]]:
    """Spans of the items of an enumeration ("A, B Co., Ltd., and C of Israel; D"): split on
    ";", "," and "and", but not inside a country name or before a legal form ("Co., Ltd.")."""
    protected = [(m.start(), m.end()) for m in _COUNTRY.finditer(text)]
    cuts: list[tuple[int, int]] = []
    for m in re.finditer(r";\s*(?:and\s+)?|,?\s+as well as\s+|,\s+(?:and|plus)\s+|\s+(?:and|plus)\s+|,\s+", text):
        if any(s <= m.start() < e for s, e in protected):
            continue
        after = text[m.end():]
        if m.group().startswith(",") and "and" not in m.group() and _LEGAL.match(after):
            continue
        if m.group().strip() == "and" and re.search(r"\b(?:of|for)\s+[A-Z][\w-]*$", text[:m.start()]) \
                and re.match(r"[A-Z][\w-]*(?![\w-]*\s+[A-Z])", after):
            continue  # "Institute of Optics and Electronics": one name, not two
        cuts.append((m.start(), m.end()))
    spans, at = [], 0
    for s, e in cuts:
        spans.append((at, s))
        at = e
    spans.append((at, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_LEADING = {"the", "a", "an", "both", "all", "its", "their", "his", "her", "there", "this", "these", "those",
            "each", "another", "such", "former", "ex"}
_DESCRIPTOR = re.compile(r"^[A-Z][\w’'.]*-(?:based|linked|backed|owned|affiliated|registered|headquartered|"
                         r"controlled|connected)$")


# Words that end a name without being modified by it: "SUEX also blocks", "Chatex was", "the
# Corad entry". Any other lowercase word after a name is a noun the name modifies ("Pegasus spyware").
_ENDS_NAME = frozenset("""also is are was were has have had will would said says which who that and or but in
on at from with as its their to for by after before over under not now then today yesterday
announced entry entries listing listings designation""".split())


_PREPOSITION = re.compile(r"\b(?:in|of|at|for|with|on|to|from|by|into|under|against|about)\b")


def _clean(word: str) -> str:
    return word.strip("*_\"“”‘’',;:")


def _capital(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit() and any(c.isupper() for c in word))


def _name_in(item: str) -> tuple[int, int, str] | None:
    """(start, end, country hint) of the name in one enumeration item: the first run of
    capitalised words, connectors and legal forms that is not a modifier of a lowercase noun
    ("Pegasus spyware"), after leading determiners, nationalities and descriptors ("Israel’s",
    "Singapore-based", "the Russian company") which give the hint."""
    tokens = list(re.finditer(r"\S+", item))
    hint = ""
    i = 0
    while i < len(tokens):
        word = _clean(tokens[i].group())
        if not _capital(word):
            i += 1
            continue
        bare = re.sub(r"[’']s$", "", word)
        if word.lower() in _LEADING or bare.lower() in NATIONALITIES or _DESCRIPTOR.match(word) \
                or words_to_number(word.lower()) is not None or (bare != word and is_country(bare)):
            base = bare.split("-")[0]
            hint = hint or NATIONALITIES.get(base.lower(), "") or (base if is_country(base) else "")
            i += 1
            continue
        end, k = tokens[i].end(), i + 1
        while k < len(tokens):
            w = _clean(tokens[k].group())
            raw = tokens[k].group()
            if raw.startswith("("):  # a parenthetical belongs to the name: "(Shenzhen)", "(a.k.a. X)"
                while k < len(tokens) and ")" not in tokens[k].group():
                    k += 1
                if k < len(tokens):
                    end = tokens[k].end()
                k += 1
                continue
            if _capital(w) or _LEGAL.fullmatch(w.strip(".()")) or w in ("&", "-"):
                end, k = tokens[k].end(), k + 1
                continue
            if w.lower() in _CONNECTORS and k + 1 < len(tokens) and _capital(_clean(tokens[k + 1].group())):
                k += 1
                continue
            pair = f"{w.lower()} {_clean(tokens[k + 1].group()).lower()}" if k + 2 < len(tokens) else ""
            if pair in _CONNECTORS and _capital(_clean(tokens[k + 2].group())):
                k += 2  # "Academy of the ...", "Saint Vincent and the Grenadines"
                continue
            break
        nxt = _clean(tokens[k].group()) if k < len(tokens) else ""
        if nxt[:1].islower() and nxt not in _CONNECTORS and item[end - 1] not in ",;:" \
                and nxt not in _ENDS_NAME and not nxt.endswith("ly"):
            # "Pegasus spyware maker NSO Group", "a PLA research institute": the run before a
            # lowercase noun modifies it; a run after it names the party, else there is none.
            at = tokens[k].start()
            later = _name_in(item[at:])
            if later is None or _PREPOSITION.search(item[at:at + later[0]]):
                return None  # "filing requirements in the Automated Export System": not a party
            return at + later[0], at + later[1], later[2] or hint
        return tokens[i].start(), end, hint
    return None


_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_AKA = re.compile(r"^(?:also known as|a\.k\.a\.?|aka|f\.k\.a\.?|formerly(?: known as)?|d\.b\.a\.?)\s+", re.I)


def _tidy_name(name: str) -> tuple[str, list[str]]:
    """(name, aliases): emphasis and quotes dropped; a trailing "(ACRONYM)", "(a.k.a. X)" or
    "("SHORT")" becomes an alias; a trailing description ("(an employee of X)") is dropped."""
    name = re.sub(r"[*_“”\"]", "", name).strip(" ,;:")
    name = re.sub(r"[’']s$", "", name)
    if name.count("(") > name.count(")"):
        name = name.rsplit("(", 1)[0].strip()
    if name.count(")") > name.count("("):
        name = name.rsplit(")", 1)[0].strip()
    aliases: list[str] = []
    while (m := _TRAILING_PAREN.search(name)) and m.start() > 0:
        inner = m.group(1).strip()
        aka = _AKA.match(inner)
        if aka or (" " not in inner and not inner.islower()):
            aliases += [a.strip(" '\"‘’") for a in re.split(r";|,\s*(?:and\s+)?|\s+and\s+", inner[aka.end() if aka else 0:])
                        if a.strip(" '\"‘’")]
        elif not any(w[:1].islower() for w in inner.split()):
            break  # "(Shenzhen)"-like part of the name itself, at its end
        name = name[:m.start()].strip()
    if name.endswith(".") and not _LEGAL.search(name.rsplit(" ", 1)[-1]) and not re.search(r"\b[A-Z]\.$", name):
        name = name[:-1]
    return name.strip(" ,;:"), aliases


def _nation_or_country(text: str) -> str:
    nation = re.search(rf"\b({'|'.join(map(re.escape, NATIONALITIES))})\b", text, re.I)
    return NATIONALITIES[nation.group(1).lower()] if nation else country_of(text)


def read_names(text: str, start: int, end: int, default_country: str = "") -> list[Named]:
    """The subjects named in text[start:end], an enumeration of names with their countries:
    "A (China); B and C (all Japan)", "IZIBITS OU, registered in Estonia", "NSO Group and
    Candiru of Israel", "nine companies in Pakistan, among them X and Y, plus Z in China"."""
    found: list[Named] = []
    groups = [(m.start(), m.end()) for m in re.finditer(r"(?:(?!,?\s+plus\s).)+", text[start:end], re.S)]
    for gs, ge in groups:
        group = _read_group(text, start + gs + (len(text[start + gs:start + ge]) - len(text[start + gs:start + ge].lstrip(" ,"))), start + ge)
        found += group
    for n in found:
        n.country = n.country or default_country
    return found


def _read_group(text: str, start: int, end: int) -> list[Named]:
    region = text[start:end]
    if region.lower().startswith("plus "):
        start, region = start + 5, region[5:]
    intro = _GROUP_INTRO.search(region)
    group_country = ""
    if intro:  # "nine companies in Pakistan, among them ...": the country is the group's
        group_country = _nation_or_country(region[:intro.start()])
        start, region = start + intro.end(), region[intro.end():]
    found: list[Named] = []
    pending: list[Named] = []  # names waiting for a country written after them ("A and B of Israel")
    for s, e in _split_items(region):
        item = region[s:e]
        country = ""
        # A trailing country: "(China)", "(all China)", "of Israel", "in China", "registered in X".
        tail = re.search(rf"\s*(?:\((?:all\s+|both\s+)?({COUNTRY_PATTERN})\)|,?\s+(?:(?:registered|located|based|"
                         rf"headquartered)\s+)?(?:in|of)\s+(?:the\s+)?({COUNTRY_PATTERN}))\s*[.,;]?\s*$", item)
        if tail:
            country = country_of(tail.group(1) or tail.group(2))
            item = item[:tail.start()]
        lead = re.match(rf"\s*(?:(?:registered|located|based|headquartered)\s+in\s+|the\s+)?({COUNTRY_PATTERN})"
                        rf"(?:\s*\([^)]*\))*\s*[.,;]?\s*$", item)
        if lead or not item.strip():  # the item is only a country: it belongs to the names before
            value = country or (country_of(lead.group(1)) if lead else "")
            for n in pending or found[-1:]:
                n.country = value or n.country
            pending = []
            continue
        if country:
            for n in pending:
                n.country = country
            pending = []
        span = _name_in(item)
        if span is None:
            continue
        raw = item[span[0]:span[1]]
        name, aliases = _tidy_name(raw)
        if not _is_name(name):
            continue
        offset = raw.find(name[:12])
        at = start + s + span[0] + max(0, offset)
        named = Named(name, country or span[2] or group_country, at, at + len(name), aliases)
        found.append(named)
        if not country and not span[2]:
            pending.append(named)
    return found


# --- sentences --------------------------------------------------------------------------------

_ABBREV = re.compile(r"(?:\b(?i:Co|Ltd|Inc|Corp|No|Nos|Pte|Pvt|St|Dr|Mr|Ms|Mrs|Gen|Jr|Sr|Mt|vs|"
                     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Fed|Reg|U\.S|E\.O|S\.A|S\.R\.O|"
                     r"L\.L\.C|K\.K|N\.V|B\.V)|\b[A-Z])\.$")


_LINE_ITEM = re.compile(r"^\s*(?:[|#>*•–—-]|\d+[.)]\s|[A-Z][\w ]{0,40}:\s*$)")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the text's lines, a hard-wrapped paragraph's lines joined: headings, list items
    and table rows stay lines of their own."""
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        ls, le = start + line.start(), start + line.end()
        joins = out and text[out[-1][1]:ls] == "\n" and not _LINE_ITEM.match(text[ls:le]) \
            and not _LINE_ITEM.match(text[out[-1][0]:out[-1][1]]) and text[out[-1][1] - 1] not in ".!?:”\""
        if joins:
            out[-1] = (out[-1][0], le)
        else:
            out.append((ls, le))
    return out


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end]: lines first (headings, items, table rows sit on their
    own lines; a wrapped paragraph is one), then sentence ends, not after "Co.", "Ltd.", "U.S."."""
    end = len(text) if end is None else end
    spans = []
    for ls, le in _lines(text, start, end):
        cursor = ls
        for m in re.finditer(r"[.!?][\"”’)]*\s+(?=[A-Z“\"(‘'])", text[ls:le]):
            stop = ls + m.start() + 1
            if _ABBREV.search(text[cursor:stop]):
                continue
            spans.append((cursor, ls + m.end() - len(m.group()) + len(m.group().rstrip())))
            cursor = ls + m.end()
        spans.append((cursor, le))
    out = []
    for s, e in spans:
        piece = text[s:e]
        s2 = s + len(piece) - len(piece.lstrip())
        e2 = e - (len(piece) - len(piece.rstrip()))
        if e2 > s2:
            out.append((s2, e2))
    return out


@dataclass
class Context:
    """What a document says about all its facts: who acts, on which list, when, under which rule."""

    actor: str = ""
    list_name: str = ""
    action: str = ""
    fr_citation: str = ""
    fr_doc: str = ""
    published: str = ""
    effective: str = ""

    def fact(self, action: str, **fields) -> Fact:
        values = {"list_name": self.list_name, "actor": self.actor, "fr_citation": self.fr_citation,
                  "fr_doc": self.fr_doc, "published": self.published, "effective": self.effective}
        values.update({k: v for k, v in fields.items() if v not in (None, "")})
        if action == "designated" and values["actor"] == "OFAC" and not values["list_name"]:
            values["list_name"] = "SDN List"  # what an OFAC designation puts a party on
        return Fact(action, **values)


def _context(doc: ParsedDocument) -> Context:
    ctx = _raw_context(doc)
    ctx.action = _resolve(ctx.action, ctx.list_name, ctx.actor) if ctx.action else ""
    return ctx


def _raw_context(doc: ParsedDocument) -> Context:
    meta = doc.metadata
    head = f"{meta.get('title', '')}\n{meta.get('agency', '')}\n{meta.get('publisher', '')}\n{doc.text[:800]}"
    title = str(meta.get("title", ""))
    return Context(actor=actor_in(str(meta.get("agency", ""))) or actor_in(head),
                   list_name=short_list(title) or short_list(str(meta.get("action", ""))) or _only_list(doc.text),
                   action=_title_action(title + " " + str(meta.get("action", ""))),
                   fr_citation=str(meta.get("fr_citation", "")), fr_doc=str(meta.get("fr_doc", "")),
                   published=str(meta.get("published", "")), effective=str(meta.get("effective", "")))


def _only_list(text: str) -> str:
    """The list a document names, when it names just one."""
    named = {name for name, pattern in LISTS if pattern.search(text)}
    return named.pop() if len(named) == 1 else ""


def _title_action(title: str) -> str:
    m = _VERBS.search(title) or re.search(r"\b(Addition|Removal|Revision|Correction|Designation)s?\b", title)
    if not m:
        return ""
    if m.lastgroup:
        return m.lastgroup
    return {"Addition": "added", "Removal": "removed", "Revision": "revised", "Correction": "corrected",
            "Designation": "designated"}[m.group(1)]


def _resolve(verb: str, list_name: str, actor: str) -> str:
    """The action a verb reports: "sanctioned"/"listed" by Treasury is a designation; by
    Commerce, an addition to one of its lists."""
    if verb in ("sanctioned", "listed"):
        return "designated" if list_name in ("SDN List",) or (actor == "OFAC" and not list_name) else "added"
    return verb


_ONE = re.compile(r"\b[Aa]n?\s+(?:[a-z]+(?:-\w+)?\s+){0,2}?(entity|company|firm|organi[sz]ation|individual|person|"
                  r"institute|party|exchange)\b")


def _counts(text: str, start: int, end: int) -> list[tuple[int, str, int, int]]:
    """Counts stated in text[start:end]: (value, unit, start, end) for "twenty-eight entities",
    "41 entries", "four foreign companies"."""
    out = []
    piece = text[start:end]
    for m in _ONE.finditer(piece):  # "adding an inadvertently omitted entity"
        out.append((1, m.group(1).lower(), start + m.start(), start + m.end()))
    for n in find_numbers(piece):
        if not is_count(piece, n):
            continue
        m = _COUNTED.match(piece, n.end)
        if m:
            unit = m.group(1).lower()
            out.append((n.value, unit, start + n.start, start + m.end()))
    return sorted(out, key=lambda c: c[2])


# Clause openings that give the reason when no reason cue does: "for its role in", ", saying the
# platform helped ...", "over allegations that".
_REASON_START = re.compile(r"\bfor\s+(?:its|their|his|her|the|allegedly|\w+ing)\b|(?<=,\s)(?:saying|citing|"
                           r"accusing|alleging)\b|\bover\s+(?:its|their|allegations?|concerns?)\b")


def _reason_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The reason clause of a sentence: from its first reason cue to the sentence end."""
    m = REASON_CUES.search(text, start, end) or _REASON_START.search(text, start, end)
    if not m:
        return None
    stop = end
    while stop > m.start() and text[stop - 1] in ".;:,”\"' ":
        stop -= 1
    return (m.start(), stop) if stop - m.start() > 10 else None


def sentence_facts(doc: ParsedDocument, ctx: Context, start: int, end: int,
                   skip: list[tuple[int, int]] = ()) -> list[Fact]:
    """Facts of the sentences of doc.text[start:end] that report an action."""
    text = doc.text
    facts: list[Fact] = []
    for s, e in sentences(text, start, end):
        if any(a <= s < b for a, b in skip):
            continue
        sentence = text[s:e]
        if is_injection(sentence) or len(sentence) < 12:
            continue
        facts += _facts_of_sentence(text, s, e, ctx)
    return facts


def _headline(sentence: str) -> bool:
    return sentence.startswith("#") or not sentence.rstrip(" *_").endswith((".", "!", "?", "”", '"', ")", ":"))


def _earlier(sentence: str, published: str) -> bool:
    """Does the sentence report an action before the document's own (its background)?"""
    sentence = re.sub(r"\(?https?://\S+", "", sentence)  # dates inside links are not the action's
    if _EARLIER.search(sentence):
        return True
    if not published[:4].isdigit():
        return False
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", sentence)}
    if years and max(years) < int(published[:4]):
        return True
    months = [MONTHS[m.group(1).lower().rstrip(".")[:4 if m.group(1).lower().startswith("sept") else 3]]
              for m in re.finditer(r"\b(?:in|since|on)\s+" + MONTH_PATTERN, sentence)]
    return bool(months) and not years and max(months) < int(published[5:7] or 0)


def _facts_of_sentence(text: str, s: int, e: int, ctx: Context) -> list[Fact]:
    sentence = text[s:e]
    if _earlier(sentence, ctx.published):
        return []
    list_name = short_list(sentence)
    basis = _BASIS.search(sentence)
    facts: list[Fact] = []
    taken_to = s
    for m in _VERBS.finditer(sentence):
        verb_start, verb_end = s + m.start(), s + m.end()
        if verb_start < taken_to:
            continue
        if re.fullmatch(r"sanctions", m.group()) and not _SANCTIONS_SUBJECT.search(text[max(s, verb_start - 40):verb_start]):
            continue
        before = text[s:verb_start]
        participle = not m.group().endswith(("ing", "s", "e", "y", " of"))  # "added", "put", "taken off"
        passive = participle and (bool(_PASSIVE.search(before)) or m.lastgroup == "listed"
                                  and not re.search(r"\b(?:has|have|had)\s+$", before))
        if passive:
            clause = list(_CLAUSE_START.finditer(text, s, verb_start))
            region = (clause[-1].end() if clause else s, verb_start)
            region = (region[0], region[0] + len(text[region[0]:region[1]].rstrip()))
            region = (region[0], region[1] - len(_PASSIVE.search(text[region[0]:region[1]] + " ").group())
                      if _PASSIVE.search(text[region[0]:region[1]] + " ") else region[1])
            dash = re.search(r"\s(?:[—–]|--)\s", text[region[0]:region[1]])
            if dash:  # "NSO Group – the maker of ... – has been blacklisted": the aside is not a party
                region = (region[0], region[0] + dash.start())
        else:
            stop = _OBJECT_END.search(text, verb_end, e)
            region = (verb_end, stop.start() if stop else e)
            colon_at = re.compile(r":\s").search(text, region[0], e)  # not the colon of a URL
            colon = colon_at.start() if colon_at else -1
            if colon >= 0:
                # "designated three companies that ...: A, registered in X; B; and C"
                after = _OBJECT_END.search(text, colon + 1, e)
                tail_end = after.start() if after and text[after.start()] in ".!?" else e
                region = (colon + 1, tail_end)
        # A headline is telegraphic ("US sanctions NSO Group & Candiru"): its counts are read,
        # its names are left to the body, which restates them in sentences.
        names = [] if _headline(sentence) else read_names(text, *region)
        # Counts run on to the list ("adding 28 entities under 41 entries to the Entity List").
        to_list = re.compile(r"\s(?:to|from|on|onto)\s+(?:the|its)\b").search(text, region[0], e)
        counts = _counts(text, region[0], max(region[1], to_list.start() if to_list else region[1]))
        verb = m.lastgroup
        # The actor is the one named last before the verb (its grammatical subject), else anywhere.
        actors = [(m2.start(), a) for a, pattern in ACTORS for m2 in pattern.finditer(text, s, verb_start)]
        actor = max(actors)[1] if actors and not passive else actor_in(sentence)
        action = _resolve(verb, list_name or ctx.list_name, actor or ctx.actor) if verb != "listed" or names or counts else ""
        if not action or not (names or counts):
            continue
        reason = _reason_span(text, region[1] if not passive else verb_end, e)
        fields = dict(list_name=list_name, actor=actor, basis=basis.group() if basis else "")
        if reason:
            fields.update(reason=text[reason[0]:reason[1]], reason_start=reason[0], reason_end=reason[1])
        subjects = [Subject(n.name, n.country, n.aliases) for n in names]
        first_count = counts[0] if counts else None
        facts.append(ctx.fact(action, subjects=subjects, count=first_count[0] if first_count else None,
                              count_unit=first_count[1] if first_count else "", start=s, end=e, **fields))
        for value, unit, _, _ in counts[1:]:
            facts.append(ctx.fact(action, count=value, count_unit=unit, start=s, end=e, **fields))
        taken_to = region[1]
    if not facts and (enum := _ENUMERATION.search(sentence)):
        names = read_names(text, s + enum.end(), e)
        if names:
            facts.append(ctx.fact(ctx.action or "added", subjects=[Subject(n.name, n.country, n.aliases) for n in names],
                                  list_name=list_name, actor=actor_in(sentence), start=s, end=e))
    return facts


# --- lists -----------------------------------------------------------------------------------

_BULLET = re.compile(r"^[ \t]*(?:[*•–—-]|\d+[.)])[ \t]+(.+)$", re.M)
_ITEM_END = re.compile(r",?\s+(?:which|who|that|whose)\b|,\s+(?:a|an|the)\s|\s[—–-]\s|:\s|;(?:\s|$)|"
                       r"(?<!\bCo)(?<!\bLtd)(?<!\bInc)(?<!\bCorp)(?<!\bPte)(?<!\bPvt)\.(?:\s|$)")


_RELATIVE = re.compile(r"(?:which|who|that|for|because|over|accused|allegedly|helping|for\s+\w+ing)\b", re.I)


def list_facts(doc: ParsedDocument, ctx: Context, lead: list[Fact]) -> list[Fact]:
    """Bulleted items under a line that ends with a colon and follows (or states) an action:
    "the Treasury singled out: – Cloudwalk Technology Co., a facial recognition company; – ...".
    Each item's first name is a subject; the rest of the item, its reason."""
    text = doc.text
    facts: list[Fact] = []
    items = list(_BULLET.finditer(text))
    i = 0
    while i < len(items):
        first = items[i]
        intro_end = text.rstrip().rfind(":", 0, first.start())
        intro = text[max(0, intro_end - 300):first.start()]
        run = [first]
        while i + 1 < len(items) and not text[run[-1].end():items[i + 1].start()].strip():
            i += 1
            run.append(items[i])
        i += 1
        if intro_end < 0 or text[intro_end + 1:first.start()].strip():
            continue  # not introduced by a line ending with a colon
        before = [f for f in lead if f.end <= first.start()]
        if not before and not _VERBS.search(intro):
            continue  # a list of something else (requirements, links)
        action = before[-1].action if before else ctx.action or "added"
        list_name = next((f.list_name for f in reversed(before) if f.list_name), ctx.list_name)
        for item in run:
            s, e = item.start(1), item.end(1)
            if is_injection(text[s:e]):
                continue
            stop = _ITEM_END.search(text, s, e)
            names = read_names(text, s, stop.start() if stop else e)[:1]
            if not names:
                continue
            n = names[0]
            fields = {}
            # The reason is the clause right after the name, when it reads as one ("which
            # allegedly built ...", "for supplying ..."); a description of the firm is not.
            end = next((b for a, b in sentences(text, s, e) if a <= n.start < b), e)
            rs = n.end + len(text[n.end:end]) - len(text[n.end:end].lstrip(" ,;:—–-*_\u00a0"))
            re_ = end
            while re_ > rs and text[re_ - 1] in " ,.;\u00a0":
                re_ -= 1
            if re_ - rs > 10 and (_RELATIVE.match(text, rs) or REASON_CUES.match(text, rs)):
                fields.update(reason=text[rs:re_], reason_start=rs, reason_end=re_)
            facts.append(ctx.fact(action, subjects=[Subject(n.name, n.country, n.aliases)], list_name=list_name,
                                  start=s, end=e, **fields))
    return facts


# --- tables -----------------------------------------------------------------------------------

_COLUMN_MEANINGS = [
    ("subject", re.compile(r"\b(entit(?:y|ies)|names?|compan(?:y|ies)|organi[sz]ations?|individuals?|"
                           r"persons?|targets?|designees?|part(?:y|ies)|firms?|institutions?|vessels?)\b", re.I)),
    ("country", re.compile(r"\b(country|countries|destinations?|location|jurisdiction|nationality|based in)\b", re.I)),
    ("reason", re.compile(r"\b(reasons?|basis|grounds|why|conduct|activit(?:y|ies)|allegations?|justification)\b", re.I)),
    ("list", re.compile(r"\b(list|program)\b", re.I)),
    ("action", re.compile(r"\b(action|status|change)\b", re.I)),
]


def _columns(header: list[str]) -> dict[str, int]:
    """Which column holds what, by the meaning of its header (first match wins per column)."""
    out: dict[str, int] = {}
    for i, title in enumerate(header):
        for meaning, pattern in _COLUMN_MEANINGS:
            if meaning not in out and pattern.search(title):
                out[meaning] = i
                break
    return out


def _lists_by_country(text: str, before: int) -> tuple[dict[str, str], str]:
    """Lists the sentences just before a table assign by group of rows, e.g. one country's
    firm placed on the MEU List and every other row on the Entity List → {that country: MEU
    List}, default Entity List."""
    spans = [sp for sp in sentences(text, max(0, before - 1500), before)][-4:]
    by_country: dict[str, str] = {}
    default = ""
    for s, e in spans:
        for clause in re.split(r",\s+while\s+|;\s+|,\s+whereas\s+|\.\s+", text[s:e]):
            found = short_list(clause)
            if not found:
                continue
            nations = [NATIONALITIES[m.group(1).lower()] for m in re.finditer(
                rf"\b({'|'.join(map(re.escape, NATIONALITIES))})\b", clause, re.I)]
            if nations and re.search(r"\b(?:organi[sz]ations?|entit(?:y|ies)|compan(?:y|ies)|firms?|"
                                     r"institutes?|institutions?|individuals?|persons?)\b", clause, re.I):
                for nation in nations:
                    by_country.setdefault(nation, found)
            elif re.search(r"\b(?:the rest|the remaining|the others?|all other|remainder)\b", clause, re.I):
                default = default or found
    return by_country, default


def table_facts(doc: ParsedDocument, tables: list[Table], ctx: Context, lead: list[Fact]) -> list[Fact]:
    """One fact per subject of every table with a subject column."""
    text = doc.text
    facts: list[Fact] = []
    for table in tables:
        cols = _columns(table.header)
        if "subject" not in cols and table.rows and "subject" in _columns([c.text for c in table.rows[0]]):
            # a header written as an ordinary first row (<td><b>Entity</b></td>)
            table.header, table.rows = [c.text for c in table.rows[0]], table.rows[1:]
            cols = _columns(table.header)
        if "subject" not in cols:
            continue
        before = [f for f in lead if f.end <= table.start]
        action = next((f.action for f in reversed(before)), "") or ctx.action or \
            next((f.action for f in lead), "") or "added"
        by_country, default_list = _lists_by_country(text, table.start)
        for row in table.rows:
            if any(is_injection(c.text) for c in row):
                continue
            cell = row[cols["subject"]] if cols["subject"] < len(row) else None
            if cell is None or cell.start < 0:
                continue
            country_cell = row[cols["country"]] if "country" in cols and cols["country"] < len(row) else None
            reason_cell = row[cols["reason"]] if "reason" in cols and cols["reason"] < len(row) else None
            list_cell = row[cols["list"]] if "list" in cols and cols["list"] < len(row) else None
            action_cell = row[cols["action"]] if "action" in cols and cols["action"] < len(row) else None
            cell_country = country_name(country_of(country_cell.text)) if country_cell else ""
            names = read_names(text, cell.start, cell.end, cell_country)
            if not names:
                continue
            row_cells = [c for c in row if c.start >= 0]
            start, end = row_cells[0].start, row_cells[-1].end
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            if text[line_start:start].strip() in ("|", ""):  # a Markdown row: cite the whole line
                start, end = line_start, line_end if line_end >= 0 else len(text)
            row_action = ""
            if action_cell is not None and (am := _VERBS.search(action_cell.text)):
                row_action = am.lastgroup
            for named in names:
                row_list = (short_list(list_cell.text) if list_cell else "") or \
                    by_country.get(named.country) or default_list or ctx.list_name
                fields = {}
                if reason_cell is not None and reason_cell.start >= 0 and reason_cell.text:
                    fields.update(reason=text[reason_cell.start:reason_cell.end],
                                  reason_start=reason_cell.start, reason_end=reason_cell.end)
                facts.append(ctx.fact(_resolve(row_action or action, row_list, ctx.actor),
                                      subjects=[Subject(named.name, named.country, named.aliases)], list_name=row_list,
                                      start=start, end=end, **fields))
    return facts


# --- Federal Register entries -----------------------------------------------------------------

def entry_facts(doc: ParsedDocument, ctx: Context) -> list[Fact]:
    """One fact per FR table entry; its reason is the preamble paragraph that names it."""
    sections = doc.sections or []
    reasons: dict[str, Section] = {}
    for section in sections:
        if section.kind == "reason":
            for name in str(section.metadata.get("entity", "")).split(" | "):
                reasons.setdefault(name, section)
    facts = []
    for section in sections:
        if section.kind != "table_entry" or not section.metadata.get("entity"):
            continue
        meta = section.metadata
        name = str(meta["entity"])
        aliases = [a for a in str(meta.get("aliases", "")).split(" | ") if a]
        fields = {}
        if (reason := reasons.get(name)) is not None:
            span = _reason_sentence(doc.text, reason, name)
            fields.update(reason=doc.text[span[0]:span[1]], reason_start=span[0], reason_end=span[1])
        list_name = short_list(str(meta.get("list_name", ""))) or ctx.list_name
        facts.append(ctx.fact(ctx.action or "added", list_name=list_name,
                              subjects=[Subject(name, str(meta.get("country", "")), aliases)],
                              fr_citation=str(meta.get("fr_citation", "")), start=section.start,
                              end=section.end, **fields))
    return facts


def _reason_sentence(text: str, section: Section, name: str) -> tuple[int, int]:
    """The sentence of a reason paragraph that names the entity and gives a reason, else the
    paragraph's first reason sentence, else the whole paragraph."""
    spans = sentences(text, section.start, section.end)
    cued = [sp for sp in spans if REASON_CUES.search(text, *sp)]
    for s, e in cued:
        if name in text[s:e]:
            return s, e
    return cued[0] if cued else (section.start, section.end)


# --- the whole --------------------------------------------------------------------------------

def read_facts(doc: ParsedDocument, raw: bytes | None = None) -> list[Fact]:
    """Every fact `doc` states, in reading order. `raw` is the file's bytes when the document
    came from HTML (its tables are read from the markup)."""
    doc_type = str(doc.metadata.get("doc_type", ""))
    sections = doc.sections or []
    if doc_type in _NOT_ANNOUNCEMENTS or any(s.kind == "record" for s in sections[:1]):
        return []
    ctx = _context(doc)
    text = doc.text
    entries = entry_facts(doc, ctx)
    if entries or doc_type in ("fr_rule", "fr_abstract"):
        # A rule's entries say who; its summary says what and how many.
        summary = [s for s in sections if s.kind == "summary"] or ([Section(0, min(len(text), 3000))]
                                                                    if not entries else [])
        lead = [f for s in summary for f in sentence_facts(doc, ctx, s.start, s.end)]
        return sorted(entries + lead, key=lambda f: (f.start, f.end))
    tables = markdown_tables(text)
    html = raw.decode("utf-8", "replace") if raw and b"<table" in raw.lower() else ""
    if html:
        # The page's text may already carry a table as Markdown rows (the HTML reader renders
        # them so); an HTML table found there is the same table.
        tables += [t for t in html_tables(html, text)
                   if not any(m.start <= t.start <= m.end for m in tables)]
    table_spans = [(t.start, t.end) for t in tables]
    lead = sentence_facts(doc, ctx, 0, len(text), skip=table_spans)
    rows = table_facts(doc, tables, ctx, lead) + list_facts(doc, ctx, lead)
    if rows:
        # The table says who; sentences add counts, and the parties the table leaves out.
        tabled = {_key(s.name) for f in rows for s in f.subjects}
        for f in lead:
            f.subjects = [s for s in f.subjects if _key(s.name) not in tabled]
        lead = [f for f in lead if f.subjects or f.count is not None]
    return sorted(rows + lead, key=lambda f: (f.start, f.end))


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.lower()).split())
