"""Summaries of sanctions actions: who was acted on, from where, why, under which rule, from when.

Map-reduce over each document's chunks, a page at a time, so memory and prompt size stay bounded
however long the document is:
- map: Entity List table entries, list records and `reason` sections become rows straight from
  their metadata; prose (news, press releases) is split into sentences, and the sentences that
  report an action yield entity names, countries and reasons; every sentence gets a key-sentence
  score, and only the best few per document are kept.
- reduce: rows merge across documents by normalised name (and aliases); documents that disagree
  on a date or a count become `conflicts`, shown with their sources; the narrative is the best key
  sentences (extractive) or an LLM's text over them, checked like an answer (`check_reply`).
Every row and narrative sentence points at the exact span it rests on.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from listlens.index.answer import Question, cite
from listlens.index.cite import Evidence
from listlens.index.entities import EntityTable, normalize
from listlens.index.errors import LLMUnavailable
from listlens.index.store import Store
from listlens.index.text import sentence_spans
from listlens.index.types import AnswerSentence, Citation, Conflict, Passage, Summary, SummaryRow
from listlens.ingest.countries import COUNTRY_NAMES  # the project's one list of country names

KEY_PER_DOC = 12  # key sentences kept per document (the map step's bound)
NARRATIVE_MAX = 6
LLM_EVIDENCE = 10  # evidence sentences an LLM sees
MAX_ROWS = 500
MAX_CUED = 400  # action/reason sentences kept per document for name matching

_ACTION = re.compile(r"\b(?:[Aa]dd(?:s|ed|ing)?|[Pp]lac(?:es|ed|ing)|[Ss]anction(?:ed|ing)|"
                     r"sanctions(?=\s+[A-Z0-9])|[Dd]esignat(?:es|ed|ing)|[Bb]lacklist(?:s|ed|ing)?|"
                     r"listed|join(?:s|ed)|[Rr]emov(?:es|ed|ing)|[Dd]elist(?:s|ed|ing)?|"
                     r"[Rr]evis(?:es|ed|ing)|(?:companies|entities|firms) (?:are|include)(?= [A-Z]))\b")
_REMOVAL = re.compile(r"\b(remov|delist|taken off)", re.I)
_REVISION = re.compile(r"\b(revis|modif|amend(?:s|ed|ing)? the entr)", re.I)
_REASON = re.compile(r"\b(for|because|contrary to|acting|involved in|support\w*|engag\w+ in|"
                     r"based on|accused of|developed|supplied|traffic\w*|contribut\w+ to|"
                     r"on behalf of|helping|linked to|in connection with|threat\w*|showed|shown|"
                     r"found that|determined that|trade in)\b", re.I)
_COUNT = re.compile(r"\b(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"thirteen|fourteen|fifteen|twenty)\s+(?:more\s+|new\s+|additional\s+|foreign\s+|"
                    r"[A-Z][a-z]+\s+)?(entities|companies|firms|organizations|vendors|businesses)\b")
_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven "
                                     "twelve thirteen fourteen fifteen".split())} | {"twenty": 20}
_BOILER = re.compile(r"FOR FURTHER INFORMATION|Phone:|Email:|Paperwork Reduction|Executive Order|"
                     r"Regulatory Flexibility|Congressional Review|comment|Billing Code|"
                     r"\bTags?:|^!\[", re.I)
_LISTS = [("Entity List", re.compile(r"Entity List|trade blacklist", re.I)),
          ("Military End-User List", re.compile(r"Military End.User|\bMEU\b")),
          ("Unverified List", re.compile(r"Unverified List")),
          ("SDN List (OFAC)", re.compile(r"\bSDN\b|Specially Designated|OFAC|Treasury"))]

# Names of the actors and instruments, never of the parties acted on.
_NOT_PARTIES = re.compile(
    r"Bureau of Industry and Security|(?:U\.?S\.? |US )?(?:Department of (?:the )?(?:Commerce|Treasury|"
    r"State|Defense|Energy|Justice)|(?:Commerce|Treasury|State|Defense|Energy) Dep(?:artmen)?t\.?)|"
    r"Office of Foreign Assets Control|End-User Review Committee|Entity List|Federal Register|"
    r"Export Administration Regulations|White House|United States|Unverified List|"
    r"Biden-Harris Administration|Secretary of \w+")
_STOP = frozenset("""a an the this that these those it its in on of and or for to by with as at from
us u.s u.s. usa we our their they he she his her today tomorrow yesterday commerce treasury department
dept bureau bis ofac erc ear government officials official administration secretary president
specifically similarly however also according meanwhile after before while when under israeli russian
chinese iranian singaporean pakistani japanese ukrainian belarusian turkish emirati indian korean
syrian canadian french dutch german american british burmese armenian list entity entities companies
company firms firm january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday washington apple microsoft google
read related update editor note one two three four five six seven eight nine ten eleven twelve both
all several many""".split())
_NATIONALITY = {"israeli": "Israel", "russian": "Russia", "chinese": "China", "iranian": "Iran",
                "singaporean": "Singapore", "pakistani": "Pakistan", "japanese": "Japan",
                "ukrainian": "Ukraine", "belarusian": "Belarus", "turkish": "Turkey",
                "emirati": "United Arab Emirates", "indian": "India", "syrian": "Syria",
                "canadian": "Canada", "french": "France", "dutch": "Netherlands",
                "german": "Germany", "burmese": "Burma", "armenian": "Armenia",
                "north korean": "North Korea", "hong kong": "Hong Kong"}
_COUNTRIES = {name.lower(): name for name in COUNTRY_NAMES} | _NATIONALITY
_COUNTRY_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _COUNTRIES), key=len, reverse=True))
                           + r")(?:[’']s|-based)?\b", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9][\w&’'.-]*")


@dataclass
class Draft:
    """A row being assembled from one or more documents."""

    row: SummaryRow
    keys: set[str]
    evidence: list[Evidence] = field(default_factory=list)  # the row's own citations
    reason_ev: Evidence | None = None
    reason_rank: tuple[bool, float] = (False, 0.0)  # (from the rule itself, cue score)
    structured: bool = False
    country_votes: Counter = field(default_factory=Counter)
    effective: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class DocPart:
    """What the map step keeps of one document."""

    meta: dict
    key: list[tuple[float, int, Evidence]] = field(default_factory=list)  # bounded heap
    cued: list[Evidence] = field(default_factory=list)  # sentences with an action or reason cue
    structured: bool = False  # has table entries, records or reason sections of its own
    counts: list[tuple[int, Evidence]] = field(default_factory=list)


# --- map -------------------------------------------------------------------------------------

def _evidence(node_id: str, text: str, meta: dict, start: int | None = None,
              end: int | None = None) -> Evidence:
    passage = Passage(node_id, text, 0.0, meta)
    s = passage.start if start is None else start
    e = passage.end if end is None else end
    return Evidence(passage, s, e, text if start is None else text[s - passage.start:e - passage.start])


def _sentences(ids: list[str], texts: list[str], metas: list[dict]):
    """Prose sentences of a page of chunks, each once, overlapping chunks stitched together."""
    seen: set[int] = set()
    prose = sorted((m.get("start", 0), i) for i, m in enumerate(metas)
                   if m.get("kind") not in ("record", "table_entry"))
    for _, i in prose:
        meta = metas[i]
        base = int(meta.get("start", 0))
        for s, e in sentence_spans(texts[i]):
            if base + s in seen or e - s < 25:
                continue
            seen.add(base + s)
            yield Evidence(Passage(ids[i], texts[i], 0.0, meta), base + s, base + e, texts[i][s:e])


def plain(text: str) -> str:
    """Sentence text for display and name matching: markdown links and images reduced to their
    words, bare URLs and emphasis dropped. Citations still quote the exact span."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\((?:https?:)?[^)\s]*\)", r"\1", text)
    text = re.sub(r"https?://\S+|\*\*|__", "", text)
    return " ".join(text.split())


def key_score(ev: Evidence) -> float:
    """How much a sentence says about an action: verbs, counts, dates, reasons, rule numbers."""
    text = plain(ev.text)
    if _BOILER.search(text) or len(text) > 600:
        return 0.0
    score = 2.0 * bool(_ACTION.search(text)) + 1.5 * bool(_REASON.search(text))
    score += bool(_COUNT.search(text)) + bool(re.search(r"\b(19|20)\d\d\b", text))
    score += bool(re.search(r"\d+ FR \d+|FR Doc", text)) + 0.5 * bool(_COUNTRY_WORD.search(text))
    if ev.passage.metadata.get("kind") in ("summary", "reason"):
        score += 2.0
    if len(text) < 60 or not text.endswith((".", "!", "?", "”", '"', ")")):
        score -= 1.5  # fragments and headings read badly in a narrative
    return score - 0.0005 * ev.start  # earlier sentences lead, other things equal


def _candidate_names(sentence: str) -> list[str]:
    """Runs of capitalised words in an action sentence, with actors and filler trimmed."""
    text = _NOT_PARTIES.sub(lambda m: "." * len(m.group()), sentence)
    out, run = [], []
    for m in _TOKEN.finditer(text + " ."):
        word = re.sub(r"[’']s$", "", m.group()).rstrip(".,’'")
        gap = text[run[-1].end():m.start()] if run else ""
        capital = (word[:1].isupper() or (word[:1].isdigit() and any(c.isupper() for c in word))) \
            and not word.lower().endswith("-based")
        joins = not run or (gap.strip() in ("", "&") and "." not in gap)
        if capital and joins and word.lower() not in _STOP:
            run.append(m)
        else:
            if run:
                out.append(text[run[0].start():run[-1].end()].rstrip(".,’'"))
            run = [m] if capital and word.lower() not in _STOP else []
    out = [re.sub(r"[’']s$", "", n) for n in out]  # "NSO Group’s" → "NSO Group"
    return [n for n in out if len(n) >= 3 and not n.isdigit() and normalize(n) not in _STOP]


def _country_near(text: str, at: int, end: int) -> tuple[str, int]:
    """The country written just after a name ("(Russia)", "in Russia", ", located in Singapore"),
    which counts double, or just before it ("Israeli", "Singapore-based")."""
    after = re.match(r"(?:,?\s*(?:PTE|Pte|LTD|Ltd|Inc|LLC|Co)\.?)*[.,]?\s*(?:\(|,?\s*(?:located |based )?"
                     r"(?:in|of)\s+)(?:the\s+)?([A-Z][\w ]{2,30})", text[end:end + 50])
    if after and (m := _COUNTRY_WORD.match(after[1])):
        return _COUNTRIES[m[1].lower()], 2
    before = list(_COUNTRY_WORD.finditer(text[max(0, at - 40):at]))
    return (_COUNTRIES[before[-1][1].lower()], 1) if before else ("", 0)


_OPENS_REASON = re.compile(r"\b(for|because|based on|contrary to)\b")


def _party_names(sentence: str) -> list[str]:
    """Candidate names standing before the sentence's reason: in "X was sanctioned for aiding
    the FSB", X is a party, the FSB is part of the reason."""
    words = [w for w in sentence.split() if len(w) > 3]
    heading = not sentence.rstrip().endswith((".", "!", "?", '"', "”"))
    if heading and words and sum(w[0].isupper() for w in words) > 0.6 * len(words):
        return []  # a Title Case heading: every word looks like a name
    cut = _OPENS_REASON.search(sentence)
    return _candidate_names(sentence[:cut.start()] if cut else sentence)


def map_page(part: DocPart, drafts: dict[str, Draft], ids, texts, metas,
             since: str | None, until: str | None) -> None:
    doc = part.meta
    for node_id, text, meta in zip(ids, texts, metas):
        kind = meta.get("kind")
        part.structured = part.structured or kind in ("table_entry", "record", "reason")
        if kind == "table_entry" or (kind == "record" and _in_range(meta, since, until)):
            _add_structured(drafts, _evidence(node_id, text, meta), meta, doc)
    for ev in _sentences(ids, texts, metas):
        score = key_score(ev)
        if score > 0:
            heapq.heappush(part.key, (score, -ev.start, ev))
            if len(part.key) > KEY_PER_DOC:
                heapq.heappop(part.key)
        meta = ev.passage.metadata
        if meta.get("kind") == "reason" and meta.get("entity"):
            for name in str(meta["entity"]).split(" | "):
                _offer_reason(drafts, name, ev)
        if (_ACTION.search(ev.text) or _REASON.search(ev.text)) and len(part.cued) < MAX_CUED:
            part.cued.append(ev)  # names are matched against these in the reduce step
        if (count := _COUNT.search(ev.text)) and _ACTION.search(ev.text) and not part.counts:
            word = count[1].lower()
            part.counts.append((int(word) if word.isdigit() else _WORDS[word], ev))


def _in_range(meta: dict, since: str | None, until: str | None) -> bool:
    day = str(meta.get("start_date") or meta.get("published") or "")[:10]
    return not ((since and day and day < since) or (until and day and day > until))


def _draft_for(drafts: dict[str, Draft], name: str, aliases: list[str]) -> Draft:
    keys = {k for k in (normalize(n) for n in [name, *aliases]) if k}
    for k in keys:
        if k in drafts:
            draft = drafts[k]
            break
    else:
        draft = Draft(SummaryRow(entity=name.strip()), set())
    for alias in aliases:
        if alias and alias not in draft.row.aliases and alias != draft.row.entity:
            draft.row.aliases.append(alias)
    for k in keys | draft.keys:
        drafts[k] = draft
    draft.keys |= keys
    return draft


def _add_structured(drafts, ev: Evidence, meta: dict, doc: dict) -> None:
    aliases = [a for a in str(meta.get("aliases", "")).split(" | ") if a]
    draft = _draft_for(drafts, str(meta["entity"]), aliases)
    row = draft.row
    if not draft.structured:  # the rule or list itself outranks what news said of it
        row.entity, draft.structured = str(meta["entity"]), True
    for country in str(meta.get("country", "")).split(" | "):
        if country and country not in row.countries:
            row.countries.append(country)
    row.list_name = row.list_name or _short_list(str(meta.get("list_name", "")))
    row.fr_citation = row.fr_citation or str(meta.get("fr_citation") or doc.get("fr_citation", ""))
    row.published = row.published or str(meta.get("start_date") or doc.get("published", ""))[:10]
    if doc.get("effective"):
        draft.effective[str(doc["effective"])].append(ev)
    row.action = _action_of(ev.text, doc)
    if not draft.evidence or str(meta["entity"]) in ev.text:  # not an entry's continuation chunk
        draft.evidence.append(ev)
    _note_source(row, doc)


def _short_list(name: str) -> str:
    return name.split(" (")[0].split(" - ")[0].strip()


def _action_of(text: str, doc: dict) -> str:
    title = str(doc.get("title", ""))
    if _REMOVAL.search(text) or (re.search(r"\bRemoval", title) and not re.search(r"Addition", title)):
        return "removed"
    if _REVISION.search(text) or (re.search(r"Revision|Modification", title) and "Addition" not in title):
        return "revised"
    return "added"


def _offer_reason(drafts, name: str, ev: Evidence, bonus: float = 1.0) -> None:
    """Keep the best reason sentence for an entity: many reason cues, few other names."""
    key = normalize(name)
    if not key or key not in drafts and bonus < 1.0:
        return
    score = bonus * (len(_REASON.findall(ev.text)) + 2 * bool(re.search(
        r"based on|because|accused of|for (?:\w+ing|their)\b", ev.text, re.I)))
    if bonus < 1.0 and re.search(r"contrary to (the |U\.S\. )?national security", ev.text):
        score -= 2  # in reporting, the listing standard itself, not this entity's reason
    if score <= 0:
        return
    draft = drafts.get(key) or _draft_for(drafts, name, [])
    rank = (bonus >= 1.0, score)  # the rule's own reason paragraph outranks any reporting
    if rank > draft.reason_rank:
        draft.reason_ev, draft.reason_rank = ev, rank


def _note_source(row: SummaryRow, doc: dict) -> None:
    source = str(doc.get("source", ""))
    if source and source not in row.sources:
        row.sources.append(source)


# --- reduce ----------------------------------------------------------------------------------

def prose_mentions(part: DocPart, table: EntityTable | None) -> dict[str, list[Evidence]]:
    """Names in a document's action sentences (capitalised runs, and entities the library
    already knows), with every cued sentence of the document that mentions each."""
    names: dict[str, str] = {}
    for ev in part.cued:
        text = plain(ev.text)
        found = _party_names(text) if _ACTION.search(text) else []
        if table is not None:
            found += [e.name for e in table.find_in(text, limit=8)]
        for name in found:
            names.setdefault(normalize(name), name)
    mentions: dict[str, list[Evidence]] = defaultdict(list)
    for ev in part.cued:
        text = f" {normalize(plain(ev.text))} "
        for key in names:
            if f" {key} " in text:
                mentions[key].append(ev)
    return mentions


def reduce_prose(parts: list[DocPart], drafts: dict[str, Draft], table: EntityTable | None) -> None:
    """Entities that prose documents report as acted on, merged into the rows.

    A name counts when two or more action sentences (in any of the documents) name it, or when
    a rule or list already has it; names that are only ever a person speaking or a product
    ("Pegasus spyware") are left out."""
    mentions: dict[str, list[tuple[DocPart, Evidence]]] = defaultdict(list)
    written: dict[str, Counter] = defaultdict(Counter)
    for part in parts:
        if part.structured:
            continue  # its own table says who was acted on, better than any sentence could
        for key, evs in prose_mentions(part, table).items():
            mentions[key] += [(part, ev) for ev in evs]
            for ev in evs:
                written[key].update(m.group(1) for m in _written_forms(key).finditer(plain(ev.text)))
    aliases = _acronyms(mentions, written, [plain(ev.text) for p in parts for ev in p.cued])
    for key, found in mentions.items():
        acted = [(p, ev) for p, ev in found if _ACTION.search(ev.text)]
        if key in aliases or not written[key] or not acted:
            continue
        if len(found) < 2 and key not in drafts:
            continue  # named once in passing
        name = min(written[key], key=lambda w: (len(w), -written[key][w]))  # "CSIC Pte. Ltd." → "CSIC"
        if _not_a_party(name, [plain(ev.text) for _, ev in found]):
            continue
        draft = _draft_for(drafts, name, [written[a].most_common(1)[0][0] if written[a] else a.upper()
                                          for a, k in aliases.items() if k == key])
        row = draft.row
        for part, ev in found:
            text = plain(ev.text)
            for form in written[key]:
                at = text.find(form)
                if at >= 0:
                    near, weight = _country_near(text, at, at + len(form))
                    if near:
                        draft.country_votes[near] += weight
            if _REASON.search(ev.text):
                _offer_reason(drafts, key, ev, bonus=0.8)  # a reporter's words rank under the rule's
            _note_source(row, part.meta)
            if not draft.structured:
                row.published = min(filter(None, [row.published, str(part.meta.get("published", ""))]),
                                    default="")
        if not draft.structured:
            row.list_name = row.list_name or next(
                (label for label, pattern in _LISTS for _, ev in acted if pattern.search(ev.text)), "")
            row.action = "removed" if any(_REMOVAL.search(ev.text) for _, ev in acted) else row.action
        draft.evidence.append(acted[0][1])


def _written_forms(key: str) -> re.Pattern:
    """How a normalised name may be written: any case, punctuation or legal form between words."""
    words = [re.escape(w) for w in key.split()]
    return re.compile(r"(?<!\w)(" + r"[\W_]+".join(words) + r"(?:,?\s+(?:PTE|Pte|LTD|Ltd|Inc|LLC|Co)\.?)*)(?!\w)", re.I)


def _acronyms(mentions: dict, written: dict[str, Counter], texts: list[str]) -> dict[str, str]:
    """short name → the name it stands for: "Name (ACR)" in a sentence, the name's initials
    ("CSIC"), or its leading word ("NSO" for "NSO Group")."""
    out: dict[str, str] = {}
    for key, found in mentions.items():
        forms = tuple(w.lower().rstrip(". ") for w in written[key])
        for _, ev in found:
            text = plain(ev.text)
            for m in re.finditer(r"\(([A-Z][A-Za-z0-9]{1,9})\)", text):
                acr = normalize(m[1])
                if acr != key and acr not in _COUNTRIES and text[:m.start()].rstrip(" .,").lower().endswith(forms):
                    if acr not in out or len(key) < len(out[acr]):
                        out[acr] = key
        for form in written[key]:
            initials = _initials(form)
            if len(initials) >= 3 and " " in key and any(re.search(rf"\b{initials}\b", t) for t in texts):
                out.setdefault(normalize(initials), key)
    for key in mentions:
        longer = [k for k in mentions if k != key and k.startswith(key + " ")]
        if " " not in key and len(longer) == 1 and key not in out:
            out[key] = longer[0]
    return {a: out.get(k, k) for a, k in out.items()}


def _not_a_party(name: str, sentences: list[str]) -> bool:
    """Countries, people quoted ("Williams explained") and products ("Pegasus spyware")."""
    if normalize(name) in _COUNTRIES or normalize(name) in _STOP:
        return True
    after = [s[s.find(name) + len(name):][:25].lower() for s in sentences if name in s]
    product = sum(bool(re.match(r"\s*(spyware|software|malware|platform|tool|app|product|exploit)", a)) for a in after)
    person = sum(bool(re.match(r"[\s,]*(said|says|explained|told|added|noted|wrote)\b", a)) for a in after)
    return bool(after) and (product + person) * 2 > len(after)


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper() and normalize(w) not in _STOP)


def finish_rows(drafts: dict[str, Draft]) -> list[Draft]:
    unique = list({id(d): d for d in drafts.values()}.values())
    for d in unique:
        if d.country_votes and not d.structured:
            top = d.country_votes.most_common(1)[0][1]
            d.row.countries = [c for c, n in d.country_votes.most_common() if n * 2 >= top]
        if d.reason_ev is not None:
            d.row.reason = plain(d.reason_ev.text)
        d.row.effective = " / ".join(sorted(d.effective))
    unique = [d for d in unique if d.evidence]
    return sorted(unique, key=lambda d: (not d.structured, d.row.countries[:1], d.row.entity.lower()))


class Citer:
    """Numbers citations once per span, in order of first use."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def __call__(self, ev: Evidence) -> int:
        span = (ev.passage.source, ev.start, ev.end)
        if span not in self._by_span:
            self._by_span[span] = len(self.citations) + 1
            self.citations.append(cite([ev], first_n=self._by_span[span])[0])
        return self._by_span[span]


def find_conflicts(drafts: list[Draft], parts: list[DocPart], citer: Citer) -> list[Conflict]:
    conflicts = []
    for d in drafts:
        if len(d.effective) > 1:
            conflicts.append(Conflict(f"effective date of {d.row.entity}", [
                {"value": day, "citations": [citer(ev) for ev in evs[:2]],
                 "sources": sorted({ev.passage.source for ev in evs})} for day, evs in sorted(d.effective.items())]))
    # Counts are compared within one action: documents that share an entity row.
    owner = {src: i for i, d in enumerate(drafts) for src in d.row.sources}
    groups: dict[int, list[tuple[int, Evidence]]] = defaultdict(list)
    for part in parts:
        if part.counts and (group := owner.get(str(part.meta.get("source")))) is not None:
            groups[_root_group(drafts, group)].extend(part.counts)
    for counts in groups.values():
        by_value: dict[int, list[Evidence]] = defaultdict(list)
        for value, ev in counts:
            by_value[value].append(ev)
        if len(by_value) > 1:
            conflicts.append(Conflict("number of entities acted on", [
                {"value": v, "citations": [citer(ev) for ev in evs],
                 "sources": sorted({ev.passage.source for ev in evs})} for v, evs in sorted(by_value.items())]))
    return conflicts


def _root_group(drafts: list[Draft], i: int) -> int:
    """Rows sharing a source belong to one action; the group is named by its first row."""
    sources = set(drafts[i].row.sources)
    return next(j for j, d in enumerate(drafts) if sources & set(d.row.sources))


def headline(rows: list[SummaryRow], docs: list[dict]) -> str:
    if not rows:
        return str(docs[0].get("title", "No entities named")) if docs else "No documents selected"
    actions = Counter(r.action for r in rows)
    action, n = actions.most_common(1)[0]
    lists = Counter(r.list_name for r in rows if r.list_name)
    where = Counter(c for r in rows for c in r.countries[:1])
    names = ", ".join(r.entity for r in rows[:4]) + (" and others" if len(rows) > 4 else "")
    line = (f"{n} entit{'y' if n == 1 else 'ies'} {action}"
            f"{' to' if action == 'added' else ' on' if action == 'revised' else ' from'} the "
            f"{lists.most_common(1)[0][0] if lists else 'list'}"
            f" ({', '.join(f'{c} {k}' if k > 1 else c for c, k in where.most_common(6))}): {names}")
    citations = sorted({r.fr_citation for r in rows if r.fr_citation})
    dates = sorted({r.published for r in rows if r.published})
    effective = sorted({r.effective for r in rows if r.effective})
    if citations:
        line += f" — {', '.join(citations[:3])}"
    if dates:
        line += f", published {dates[0]}" + (f" to {dates[-1]}" if len(dates) > 1 else "")
    if effective:
        line += f", effective {effective[0]}"
    return line


def key_sentences(parts: list[DocPart], limit: int, rows: list[SummaryRow]) -> list[Evidence]:
    """The reduce step for the narrative: best sentences across documents (more so when they
    name the entities in the table), no near-repeats, the rules first, then by date, in reading
    order within each."""
    keys = [normalize(k) for r in rows[:40] for k in [r.entity, *r.aliases[:3]]]

    def named(ev: Evidence) -> int:
        text = f" {normalize(plain(ev.text))} "
        return min(2, sum(f" {k} " in text for k in keys if k))

    ranked = sorted(((s + named(ev), ev) for p in parts for s, _, ev in p.key), key=lambda x: -x[0])
    chosen: list[Evidence] = []
    per_doc: Counter = Counter()
    for score, ev in ranked:
        if len(chosen) >= limit:
            break
        if per_doc[ev.passage.source] >= max(2, limit // max(1, len(parts))) + 1:
            continue
        if any(_overlap(ev.text, c.text) > 0.6 for c in chosen):
            continue
        chosen.append(ev)
        per_doc[ev.passage.source] += 1
    order = {str(p.meta.get("source")): i for i, p in enumerate(parts)}
    return sorted(chosen, key=lambda ev: (order.get(ev.passage.source, 0), ev.start))


def _overlap(a: str, b: str) -> float:
    wa, wb = set(normalize(a).split()), set(normalize(b).split())
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


# --- the whole ---------------------------------------------------------------------------------

def summarize(store: Store, docs: list[dict], embedder=None, generator=None,
              table: EntityTable | None = None, since: str | None = None,
              until: str | None = None) -> Summary:
    """Summarize the given catalog entries (each with doc_id, version and its metadata)."""
    drafts: dict[str, Draft] = {}
    parts: list[DocPart] = []
    for doc in sorted(docs, key=lambda d: (not str(d.get("doc_type", "")).startswith("fr_"),
                                             str(d.get("published", "")))):
        part = DocPart(doc)
        for ids, texts, metas in store.document_chunks(doc["doc_id"], doc["version"]):
            map_page(part, drafts, ids, texts, metas, since, until)
        parts.append(part)
    reduce_prose(parts, drafts, table)
    rows = finish_rows(drafts)
    notice = ""
    if len(rows) > MAX_ROWS:
        notice = f"{len(rows):,} entities matched; the first {MAX_ROWS} are shown. Narrow the dates or documents."
        rows = rows[:MAX_ROWS]
    citer = Citer()
    for d in rows:
        d.row.citations = [citer(ev) for ev in d.evidence[:3]]
        if d.reason_ev is not None:
            d.row.citations.append(citer(d.reason_ev))
        d.row.citations = list(dict.fromkeys(d.row.citations))
    conflicts = find_conflicts(rows, parts, citer)
    summary = Summary(headline([d.row for d in rows], docs), [d.row for d in rows],
                      conflicts=conflicts, notice=notice,
                      documents=[{k: p.meta.get(k, "") for k in ("doc_id", "title", "published",
                                                                  "doc_type", "source")} for p in parts])
    key = key_sentences(parts, LLM_EVIDENCE if generator else NARRATIVE_MAX, summary.rows)
    sentences, backend, note = None, "extractive", ""
    if generator is not None and key:
        sentences, note = _llm_narrative(summary.headline, key, embedder, generator, citer)
        backend = generator.name if sentences else "extractive"
    sentences = sentences or []
    if len(sentences) < 3:  # too little survived the check: key sentences fill in, cited as ever
        said = " ".join(s.text for s in sentences)
        extra = [ev for ev in key if _overlap(ev.text, said) < 0.6] if said else key
        sentences += [AnswerSentence(plain(ev.text), [citer(ev)]) for ev in extra[:NARRATIVE_MAX - len(sentences)]]
    summary.sentences, summary.citations, summary.backend = sentences, citer.citations, backend
    summary.notice = " ".join(filter(None, [notice, note]))
    return summary


def _llm_narrative(title: str, evidence: list[Evidence], embedder, generator,
                   citer: Citer) -> tuple[list[AnswerSentence] | None, str]:
    """The LLM writes over the key sentences; `check_reply` keeps only what they support."""
    from listlens.index.generate import check_reply
    from listlens.index.prompts import summary_messages

    try:
        reply = generator.generate(summary_messages(title, [plain(e.text) for e in evidence]),
                                   max_tokens=320)
    except LLMUnavailable as exc:
        return None, f"{exc} — showing the extractive narrative instead."
    checked = check_reply(Question.parse(title), reply, evidence, embedder, generator.name)
    if checked.refused:
        return None, "The model's narrative was not supported by the documents; showing key sentences instead."
    # Renumber the answer's citations into the summary's.
    by_old = {c.n: c for c in checked.citations}
    spans = {(e.passage.source, e.start, e.end): e for e in evidence}
    out = []
    for s in checked.sentences[:8]:
        numbers = [citer(spans[(by_old[n].file, by_old[n].start, by_old[n].end)]) for n in s.citations]
        out.append(AnswerSentence(s.text, numbers))
    return out, checked.notice
