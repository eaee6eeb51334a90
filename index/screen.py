"""Screening: is this name on any list in the library, under what name, and how close?

The matcher covers every name and alias of every list record in the library (Entity List, MEU,
UVL, SDN, DPL, NS-CMIC, ISN and the rest of the Consolidated Screening List). A name goes through:

1. **Transliteration** — Chinese characters to pinyin (`pypinyin`; a run of characters becomes one
   word, as romanised Chinese names write it: 科技 → "keji"), every other script to ASCII
   (`anyascii`: Cyrillic, Arabic, Greek, accents).
2. **Normalisation** — lower case, punctuation gone, `&` → "and", legal forms dropped ("Co.,
   Ltd.", "OOO", "有限公司", "youxian gongsi", misspelt ones too), common abbreviations written
   out ("Intl", "Tech"), plurals folded, small words ("of", "the") dropped, and a coarse
   phonetic key per word for romanisation variants ("Khan"/"Han", "Noor"/"Nur"). Word order is
   ignored by the scores.
3. **Candidates** — character-trigram TF-IDF vectors of the normalised names; a query's nearest
   names by cosine (one sparse product, no scan of every name in Python), plus the exact key;
   when none of them matches, the names of the same initial closest as a whole (rapidfuzz over
   that block), for typos that leave a short name few trigrams in common with its listing.
4. **Scores** (`rapidfuzz`) — words paired one to one by Jaro-Winkler averaged with the Indel
   ratio; coverage = the share of each name's weight that found a partner, rare words weighing
   more (a shared city word weighs little, a distinctive company word a lot); score = 0.6 ×
   coverage + 0.4 × the better of the token-sort ratio and the ratio of the names written
   without spaces. The first words of a long name that carry a fair share of its weight
   ("Hefei National Laboratory") match it with a lower score.
5. **Country** — a country given with the query that the record carries raises the score; one
   that the record does not carry lowers it (records without a country are left alone).

A match is reported only at or above the threshold (`DEFAULT_THRESHOLD`), with the listed name
it matched, the words that agree and differ, and the record it comes from. No match is said
plainly, naming the lists searched and the dates of their data.

The index is a cache derived from the list records in Chroma, keyed by the store fingerprint
like the entity table and the keyword index.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from listlens.index.config import IndexConfig
from listlens.index.errors import ListLensError
from listlens.index.store import Store
from listlens.index.types import Answer, AnswerSentence, Citation
from listlens.ingest.countries import country_code

DEFAULT_THRESHOLD = IndexConfig.screen_threshold
"""Lowest score reported as a match (0.82; a setting, LISTLENS_SCREEN_THRESHOLD). Chosen on the
screening benchmark (`listlens bench --only screen`) with a tuning seed other than the reported
one: lower, and invented names sharing a few common words with a listed name start to match;
higher, and two typos in a name are missed."""

CANDIDATES = 40  # nearest names (by trigram cosine) scored per query
MAX_MATCHES = 10  # matches returned per query
CACHE_VERSION = "v2"  # bump when normalisation changes: cached keys would no longer meet queries
COMMON_GRAM = 2000  # trigrams in more names than this are left out of candidate search
PREFIX_SHARE = 0.4  # a name's first words match it when they carry this share of its weight
LETTERS_PER_TYPO = 5  # a name run together tolerates one edit per this many letters ...
MAX_TYPOS = 2  # ... and never more than this many
SLIP_AGREE = 0.6  # letters two unpaired words share, to count as one misspelt word
COUNTRY_BONUS = 0.04
COUNTRY_PENALTY = 0.12


class ScreeningError(ListLensError):
    """A screening request that cannot be run as asked (bad threshold, unknown list)."""


# --- normalisation ---------------------------------------------------------------------------

# Legal forms say nothing about which entity is meant. Some words are only ever legal forms
# ("limited", "llc", "ooo", "gongsi"); others are legal forms only next to one ("joint stock",
# "private", "open"): a run of such words is dropped when it holds at least one of the first
# kind, so "Private Security" keeps its "private" and "Private Joint Stock Company" goes whole.
_LEGAL_TOKENS = frozenset("""
co company companies ltd limited liability llc inc incorporated corp corporation jsc ojsc pjsc
cjsc ooo oao zao ao pao tov too gmbh pte plc sa srl sarl bv nv ag kg llp lp pvt fze fzco fzc
fzllc sdn bhd kft spa sas ltda doo sro gongsi youxian obshchestvo aktsionernoe aktsionernoye
kompaniya kompania tovarystvo cv eood ood
""".split())
_LEGAL_NEAR = frozenset("""
joint stock private public open closed commercial partnership s zakrytoe otkrytoe
publichnoe gufen zeren z obmezhenoyu vidpovidalnistyu
""".split())
_LEGAL_PREFIXES = ("ogranichenn", "otvetstvenn")  # Russian legal forms, however romanised
# Long legal words, to recognise misspelt ("Limtied", "Corpohation", "Kompany").
_LEGAL_LONG = sorted(t for t in _LEGAL_TOKENS if len(t) >= 6)
_SMALL_WORDS = frozenset("the of and for in at to a an de del la y".split())
# Abbreviations written out, so "Intl Tech" meets "International Technology".
_ABBREVIATIONS = {"tech": "technology", "technol": "technology", "intl": "international",
                  "int'l": "international", "natl": "national", "mfg": "manufacturing",
                  "univ": "university", "inst": "institute", "sci": "science", "acad": "academy",
                  "elec": "electronic", "eng": "engineering", "engg": "engineering",
                  "ind": "industrial", "dept": "department", "assn": "association",
                  "bros": "brothers", "svcs": "services", "mgmt": "management"}
_CHINESE_LEGAL = re.compile(r"(股份有限公司|有限责任公司|有限公司|有限公司|公司)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_INITIALS = re.compile(r"\b([a-z]) (?=[a-z]\b)")  # "s a" (S.A.), "b v" → "sa", "bv"


def _is_latin(ch: str) -> bool:
    return ord(ch) < 0x250 or not ch.isalpha()


@lru_cache(maxsize=4096)
def transliterate(text: str) -> tuple[str, bool]:
    """ASCII spelling of `text`, and whether a non-Latin script was transliterated. Chinese
    runs become pinyin written as one word ("科技" → "keji"); other scripts go through anyascii."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKC", text)
    changed = any(not _is_latin(ch) for ch in text)
    if _HAN.search(text):
        from pypinyin import lazy_pinyin

        text = _CHINESE_LEGAL.sub(" ", text)
        text = _HAN.sub(lambda m: " " + "".join(lazy_pinyin(m.group())) + " ", text)
    return anyascii(text), changed


# Letters that romanisations of one name write differently (Russian, Arabic, Persian, Korean,
# Vietnamese names in Latin letters): "Khan"/"Han", "Noor"/"Nur", "Yevgeniy"/"Evgeny",
# "Phong"/"Fong". Both sides are folded the same way; this is a coarse phonetic key, not a
# spelling check.
_ROMANISATION = [("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("gh", "g"), ("ph", "f"), ("th", "t"),
                 ("ck", "k"), ("ch", "\0"), ("c", "k"), ("\0", "ch"), ("q", "k"), ("x", "ks"),
                 ("w", "v"), ("tz", "ts"), ("oo", "u"), ("ou", "u"), ("ee", "i"), ("ie", "i"),
                 ("yi", "i"), ("iy", "i"), ("ye", "e"), ("j", "y"), ("y", "i")]
_DOUBLE = re.compile(r"([a-z])\1+")


def _spell(token: str) -> str:
    """Abbreviations written out, plurals folded."""
    token = _ABBREVIATIONS.get(token, token)
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _fold(token: str) -> str:
    """The word's phonetic key: romanisation variants folded (see _ROMANISATION), doubled
    letters single."""
    if token.isdigit():
        return token
    for a, b in _ROMANISATION:
        token = token.replace(a, b)
    return _DOUBLE.sub(r"\1", token)


@lru_cache(maxsize=8192)
def readable_tokens(name: str) -> tuple[tuple[str, ...], bool]:
    """The words of a name as compared, before phonetic folding (what explanations show):
    transliterated, lower case, legal forms and small words dropped unless nothing would be
    left; and whether a non-Latin script was transliterated."""
    ascii_text, transliterated = transliterate(name)
    text = ascii_text.lower().replace("&", " and ").replace("'", "")
    words = _INITIALS.sub(r"\1", " ".join(_NON_WORD.sub(" ", text).split())).split()
    tokens = [_spell(t) for t in _without_legal_forms(words) if t not in _SMALL_WORDS]
    if not tokens:  # "Company Limited" alone: keep what there is
        tokens = [_spell(t) for t in words]
    return tuple(tokens), transliterated


def name_tokens(name: str) -> tuple[list[str], bool]:
    """The keys a name is matched by (its readable words, phonetically folded), and whether it
    was transliterated from a non-Latin script."""
    tokens, transliterated = readable_tokens(name)
    return [_fold(t) for t in tokens], transliterated


def _legal(word: str) -> bool:
    if word in _LEGAL_TOKENS or word.startswith(_LEGAL_PREFIXES):
        return True
    if len(word) < 6 or not word.isalpha():
        return False
    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.process import extractOne

    # Misspelt legal words ("Limtied"), and misspelt starts of the long Russian ones
    # ("otvetstvenostyu"), which are written in too many endings to list whole.
    return extractOne(word, _LEGAL_LONG, scorer=JaroWinkler.normalized_similarity,
                      score_cutoff=0.92) is not None or any(
        JaroWinkler.normalized_similarity(word[:len(p)], p) >= 0.92 for p in _LEGAL_PREFIXES)


def _without_legal_forms(words: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    legal = False
    for word in words + [""]:
        if word and (word in _LEGAL_NEAR or _legal(word)):
            # "joint stock" is a legal form even with no "company" after it
            legal = legal or word not in _LEGAL_NEAR or (word == "stock" and run[-1:] == ["joint"])
            run.append(word)
            continue
        if not legal:
            out += run
        run, legal = [], False
        if word:
            out.append(word)
    return out


def _trigrams(tokens: Iterable[str]) -> list[str]:
    grams = []
    for token in tokens:
        padded = f" {token} "
        grams += [padded[i:i + 3] for i in range(len(padded) - 2)]
    return grams


# --- records, names, matches -----------------------------------------------------------------

@dataclass
class ListRecord:
    """One entry of one list, as stored in the library."""

    node_id: str
    entity: str
    aliases: list[str]
    countries: list[str]
    list_name: str
    fr_citation: str
    programs: str
    start_date: str  # when the entry was listed, when the data says
    data_date: str  # the date of the list data (extraction or generation)
    source: str
    title: str
    start: int
    end: int
    text: str
    publisher: str = ""

    @property
    def list_short(self) -> str:
        """'Entity List (EL) - Bureau of Industry and Security' → 'EL'."""
        return _short(self.list_name)

    @property
    def basis(self) -> str:
        """The FR citation, else the program."""
        return self.fr_citation or self.programs

    @property
    def link(self) -> str:
        """Where the record sits in the library: its document and character span."""
        return f"{self.source}#chars={self.start}-{self.end}"


@dataclass
class Match:
    score: float
    matched_name: str  # the listed name or alias that matched, as the list writes it
    is_alias: bool
    agree: list[tuple[str, str]]  # (query word, listed word) pairs that agree
    query_only: list[str]  # query words with no counterpart in the listed name
    listed_only: list[str]  # listed words with no counterpart in the query
    transliterated: bool  # the query or the listed name was in a non-Latin script
    country: str  # "match" | "conflict" | "" (not compared)
    record: ListRecord

    def how(self) -> str:
        """One line saying how the name matched."""
        parts = []
        same = [q for q, l in self.agree if q == l]
        close = [f"{q}≈{l}" for q, l in self.agree if q != l]
        if same:
            parts.append("agree: " + " ".join(same))
        if close:
            parts.append("close: " + " ".join(close))
        if self.query_only:
            parts.append("only in query: " + " ".join(self.query_only))
        if self.listed_only:
            parts.append("only in listed name: " + " ".join(self.listed_only))
        if self.transliterated:
            parts.append("transliterated")
        if self.country:
            parts.append(f"country {self.country}")
        return "; ".join(parts) or "same words"

    def to_dict(self) -> dict[str, Any]:
        r = self.record
        return {"score": round(self.score, 3), "matched_name": self.matched_name,
                "alias": self.is_alias, "entity": r.entity, "how": self.how(),
                "agree": [list(p) for p in self.agree], "query_only": self.query_only,
                "listed_only": self.listed_only, "transliterated": self.transliterated,
                "country_signal": self.country, "list": r.list_name, "list_short": r.list_short,
                "countries": r.countries, "fr_citation": r.fr_citation, "programs": r.programs,
                "listed_since": r.start_date, "data_date": r.data_date, "node_id": r.node_id,
                "source": r.source, "start": r.start, "end": r.end, "link": r.link,
                "record": r.text}


@dataclass
class ListSearched:
    name: str
    data_date: str
    records: int


@dataclass
class ScreenResult:
    query: str
    country: str | None
    threshold: float
    matches: list[Match]
    searched: list[ListSearched]

    @property
    def matched(self) -> bool:
        return bool(self.matches)

    def searched_text(self) -> str:
        return "; ".join(f"{s.name} (data of {s.data_date or 'undated'}, {s.records:,} entries)"
                         for s in self.searched) or "no list data in the library"

    def text(self) -> str:
        """A plain account: each match explained, or a plain 'no match' naming the lists."""
        if not self.matches:
            return (f"No match for “{self.query}” at threshold {self.threshold:.2f}. "
                    f"Searched: {self.searched_text()}.")
        lines = [f"{len(self.matches)} match(es) for “{self.query}”:"]
        for i, m in enumerate(self.matches, 1):
            r = m.record
            lines.append(f"{i}. {m.score:.2f}  {m.matched_name}"
                         + (f"  (alias of {r.entity})" if m.is_alias else "")
                         + f"\n   {r.list_name}; {', '.join(r.countries) or 'no country'}; "
                         f"{r.basis or 'no citation'}; listed {r.start_date or 'n/a'}; "
                         f"data of {r.data_date or 'undated'}"
                         f"\n   how: {m.how()}\n   record: {r.link}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "country": self.country, "threshold": self.threshold,
                "matched": self.matched, "matches": [m.to_dict() for m in self.matches],
                "searched": [asdict(s) for s in self.searched], "summary": self.text()}


CSV_COLUMNS = ("query", "query_country", "matched", "score", "matched_name", "entity", "list",
               "countries", "fr_citation_or_program", "listed_since", "data_date", "how",
               "record_link")


def read_parties(path: Path) -> list[tuple[str, str | None]]:
    """(name, country) rows of a parties CSV: a 'name' column (or the first column) and an
    optional 'country' column. A row without a name is an error naming its line."""
    import csv

    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ScreeningError(f"{path} is empty")
    header = [h.strip().lower() for h in rows[0]]
    has_header = "name" in header
    name_at = header.index("name") if has_header else 0
    country_at = header.index("country") if "country" in header else None
    parties = []
    for line, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not any(cell.strip() for cell in row):
            continue
        name = row[name_at].strip() if name_at < len(row) else ""
        if not name:
            raise ScreeningError(f"{path}, line {line}: no name")
        country = row[country_at].strip() if country_at is not None and country_at < len(row) else ""
        parties.append((name, country or None))
    return parties


def csv_rows(result: ScreenResult) -> list[list[Any]]:
    """One row per match, or one 'no match' row naming the lists searched."""
    if not result.matches:
        return [[result.query, result.country or "", "no", "", "", "", "searched: "
                 + result.searched_text(), "", "", "", "", "", ""]]
    return [[result.query, result.country or "", "yes", round(m.score, 3), m.matched_name,
             m.record.entity, m.record.list_name, "; ".join(m.record.countries), m.record.basis,
             m.record.start_date, m.record.data_date, m.how(), m.record.link]
            for m in result.matches]


# --- the matcher -----------------------------------------------------------------------------

@dataclass
class Matcher:
    records: list[ListRecord]
    keys: list[str]  # unique normalised names (tokens joined by spaces)
    entries: list[list[tuple[int, str, bool, bool]]]  # per key: (record, listed text, alias, translit)
    grams: dict[str, int]  # trigram → column
    matrix: Any  # scipy CSR, keys × trigrams, TF-IDF, rows L2-normalised
    idf: np.ndarray  # per trigram
    token_idf: dict[str, float] = field(default_factory=dict)
    plain_keys: list[str] = field(default_factory=list)  # per key: its words as written, run together

    def __post_init__(self) -> None:
        self.key_index = {k: i for i, k in enumerate(self.keys)}
        self.key_tokens = [k.split() for k in self.keys]
        self.sorted_keys = [" ".join(sorted(t)) for t in self.key_tokens]
        self.compact_keys = [k.replace(" ", "") for k in self.keys]
        self.max_idf = math.log(max(len(self.keys), 1) + 1)
        self.key_weights = [[self._weight(t) for t in ts] for ts in self.key_tokens]
        by_initial: dict[str, tuple[list[int], list[str]]] = {}
        for i, compact in enumerate(self.compact_keys):
            ids, texts = by_initial.setdefault(compact[:1], ([], []))
            ids.append(i)
            texts.append(compact)
        self.by_initial = by_initial
        self.record_codes = [frozenset(filter(None, (country_code(c) for c in r.countries)))
                             for r in self.records]
        self.matrix_t = self.matrix.T.tocsr() if self.matrix.shape[0] else self.matrix
        self.gram_df = np.diff(self.matrix_t.indptr) if self.matrix.shape[0] else np.zeros(0)
        self.lists = _lists_searched(self.records)

    def __len__(self) -> int:
        return len(self.records)

    # -- queries --

    def _same_initial(self, tokens: list[str], limit: int = 10) -> list[int]:
        """Keys starting with the query's letter whose words-run-together spelling is closest
        to the query's (rapidfuzz over that block of names, not over every name)."""
        from rapidfuzz import fuzz
        from rapidfuzz.process import extract

        block = self.by_initial.get(tokens[0][0])
        if not block:
            return []
        ids, compact = block
        found = extract("".join(tokens), compact, scorer=fuzz.ratio, limit=limit, score_cutoff=80)
        return [ids[i] for _, _, i in found]

    def _vectors(self, token_lists: list[list[str]]):
        """TF-IDF trigram vectors of many queries, L2-normalised, as one sparse matrix."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for row, tokens in enumerate(token_lists):
            counts: dict[int, float] = defaultdict(float)
            for g in _trigrams(tokens):
                if (col := self.grams.get(g)) is not None:
                    counts[col] += 1.0
            # Trigrams in most names ("ing", " co") weigh little and cost most in the product:
            # left out when the name has enough others.
            rare = {c: n for c, n in counts.items() if self.gram_df[c] <= COMMON_GRAM}
            if len(rare) >= 4:
                counts = rare
            if not counts:
                continue
            c = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
            v = np.fromiter(counts.values(), dtype=np.float32, count=len(counts)) * self.idf[c]
            rows.append(np.full(len(c), row, dtype=np.int32))
            cols.append(c)
            vals.append(v / (float(np.linalg.norm(v)) or 1.0))
        if not rows:
            return csr_matrix((len(token_lists), len(self.grams)), dtype=np.float32)
        return csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(token_lists), len(self.grams)), dtype=np.float32)

    def _candidates(self, rows, keys_exact: list[int | None], k: int) -> list[list[int]]:
        """Nearest keys of each query vector (rows of a sparse matrix), exact key first."""
        sims = (rows @ self.matrix_t).tocsr() if len(self.keys) else None
        out = []
        for i, exact in enumerate(keys_exact):
            picked: list[int] = [] if exact is None else [exact]
            if sims is not None:
                lo, hi = sims.indptr[i], sims.indptr[i + 1]
                idx, val = sims.indices[lo:hi], sims.data[lo:hi]
                if len(val) > k:
                    top = np.argpartition(-val, k)[:k]
                    idx, val = idx[top], val[top]
                picked += [int(j) for j in idx[np.argsort(-val)] if j != exact]
            out.append(picked)
        return out

    def screen(self, name: str, country: str | None = None, lists: list[str] | None = None,
               threshold: float | None = None, limit: int = MAX_MATCHES) -> ScreenResult:
        return self.screen_many([(name, country)], lists, threshold, limit)[0]

    def screen_many(self, rows: Iterable[tuple[str, str | None]], lists: list[str] | None = None,
                    threshold: float | None = None, limit: int = MAX_MATCHES,
                    progress: Callable[[int, int], None] | None = None,
                    batch: int = 256) -> list[ScreenResult]:
        """Screen many (name, country) pairs; `progress(done, total)` after each batch."""
        threshold = check_threshold(DEFAULT_THRESHOLD if threshold is None else threshold)
        allowed = self._allowed_records(lists)
        searched = [s for s in self.lists if allowed is None or s.name in {
            self.records[i].list_name for i in allowed}]
        rows = [(str(n or ""), (c or None)) for n, c in rows]
        k = CANDIDATES if allowed is None else CANDIDATES * 4
        results: list[ScreenResult] = []
        for at in range(0, len(rows), batch):
            chunk = rows[at:at + batch]
            parsed = [name_tokens(n) for n, _ in chunk]
            vectors = self._vectors([t for t, _ in parsed]) if chunk else None
            exact = [self.key_index.get(" ".join(t)) for t, _ in parsed]
            cands = self._candidates(vectors, exact, k) if chunk else []
            for (name, ctry), (tokens, translit), keys in zip(chunk, parsed, cands):
                code = country_code(ctry) if ctry else None
                if ctry and code is None:
                    raise ScreeningError(f"'{ctry}' is not a country name or ISO code")
                matches = self._score(name, tokens, translit, keys, code, allowed, threshold)
                if not matches and tokens:
                    # Typos can leave a short name few trigrams in common with its listing
                    # ("Ceasria" / "Cesaria"): look again among names of the same initial,
                    # spelt close as a whole.
                    rescue = [k for k in self._same_initial(tokens) if k not in keys]
                    matches = self._score(name, tokens, translit, rescue, code, allowed, threshold)
                results.append(ScreenResult(name, ctry, threshold, matches[:limit], searched))
            if progress:
                progress(min(at + batch, len(rows)), len(rows))
        return results

    def _score(self, query: str, tokens: list[str], translit: bool, keys: list[int], code: str | None,
               allowed: set[int] | None, threshold: float) -> list[Match]:
        if not tokens or not keys:
            return []
        from rapidfuzz import fuzz
        from rapidfuzz.process import cdist

        from rapidfuzz.distance import Indel, JaroWinkler

        q_key = " ".join(tokens)
        q_weights = [self._weight(t) for t in tokens]
        # Whole-name similarity of every candidate in two C calls: words sorted (word order
        # does not count) and words run together ("Hik Vision" = "Hikvision", pinyin spacing).
        compact_sim = cdist(["".join(tokens)], [self.compact_keys[k] for k in keys],
                            scorer=fuzz.ratio)[0] / 100
        text_sim = np.maximum(cdist([" ".join(sorted(tokens))], [self.sorted_keys[k] for k in keys],
                                    scorer=fuzz.ratio)[0] / 100, compact_sim)
        # Word against word, for every word of every candidate at once. Jaro-Winkler alone
        # rewards a shared start too much ("Bosogoento" ~ "Boson" 0.9): averaged with the Indel
        # ratio, a typo stays close and a shared prefix does not.
        words = list({t: None for k in keys for t in self.key_tokens[k]})
        column = {t: i for i, t in enumerate(words)}
        word_sims = ((cdist(tokens, words, scorer=JaroWinkler.normalized_similarity)
                      + cdist(tokens, words, scorer=Indel.normalized_similarity)) / 2).tolist()
        # Typos counted on the names run together, so a slip that splits or joins words counts
        # once: within the edit budget of the name's length, the whole spelling stands in for
        # word-by-word agreement (which a short word with one wrong letter cannot give).
        typo_sim, within = _typo_closeness(
            ["".join(tokens), "".join(readable_tokens(query)[0])],
            [[self.compact_keys[k] for k in keys], [self.plain_keys[k] for k in keys]])
        floor = threshold - COUNTRY_BONUS
        bound = self._coverage_bound(keys, q_weights, word_sims, column)
        # No word pairing can do better than `bound`; the compact spelling may stand in for it.
        bound = np.where((compact_sim >= 0.92), np.maximum(bound, compact_sim), bound)
        bound = np.where(within, np.maximum(bound, typo_sim), bound)
        best = 0.6 * bound + 0.4 * np.where(within, np.maximum(text_sim, typo_sim), text_sim)
        best[bound >= 0.999] = 1.0  # every query word has a partner: a prefix can match
        matches: list[Match] = []
        for key_id, sim, joined, top, typo_ok, typo in zip(
                keys, text_sim.tolist(), compact_sim.tolist(), best.tolist(), within.tolist(),
                typo_sim.tolist()):
            if top < floor:  # even the best pairing of words could not reach the bar
                continue
            c_tokens = self.key_tokens[key_id]
            sims = [[row[column[t]] for t in c_tokens] for row in word_sims]
            coverage, agree, q_only, c_only = _align(tokens, q_weights, c_tokens,
                                                     self.key_weights[key_id], sims)
            if joined >= 0.92 and len(self.compact_keys[key_id]) >= 6 and (
                    len(c_tokens) != len(tokens) or _typo_shaped(q_only, c_only)):
                # Nearly the same letters: spaced differently ("Hik Vision"), or with typos
                # that left words unpaired.
                coverage = max(coverage, joined)
            if typo_ok and _slips(q_only, c_only):
                coverage, sim = max(coverage, typo), max(sim, typo)
            base = 1.0 if q_key == self.keys[key_id] else 0.6 * coverage + 0.4 * sim
            if base < floor and len(tokens) >= 2 and len(c_tokens) > len(tokens) and all(
                    pair in agree for pair in zip(tokens, c_tokens)):
                # The first words of a long name ("Hefei National Laboratory"), holding a fair
                # share of its weight: a possible match, scored by that share.
                share = sum(self.key_weights[key_id][:len(tokens)]) / sum(self.key_weights[key_id])
                if share >= PREFIX_SHARE:
                    base = 0.8 + 0.2 * share
            if base < floor:
                continue
            for rec_id, listed, is_alias, listed_translit in self.entries[key_id]:
                if allowed is not None and rec_id not in allowed:
                    continue
                signal, score = "", base
                codes = self.record_codes[rec_id]
                if code and codes:
                    signal = "match" if code in codes else "conflict"
                    score = min(1.0, score + COUNTRY_BONUS) if code in codes else score - COUNTRY_PENALTY
                if score >= threshold:
                    matches.append(_explained(query, tokens, listed, c_tokens, score, is_alias,
                                              agree, q_only, c_only, translit or listed_translit,
                                              signal, self.records[rec_id]))
        matches.sort(key=lambda m: (-m.score, m.is_alias, m.record.list_name))
        return _one_per_record(matches)

    def _coverage_bound(self, keys: list[int], q_weights: list[float],
                        word_sims: list[list[float]], column: dict[str, int]) -> np.ndarray:
        """For each candidate, the query-side coverage if every query word took its closest
        listed word (an upper bound on `_align`'s coverage), for all candidates at once."""
        sims = np.asarray(word_sims, dtype=np.float32)
        sims = np.hstack([np.where(sims >= MIN_AGREE, sims, 0.0), np.zeros((len(sims), 1), np.float32)])
        pad = sims.shape[1] - 1
        width = max(len(self.key_tokens[k]) for k in keys)
        idx = np.full((len(keys), width), pad, dtype=np.int32)
        for row, k in enumerate(keys):
            cols = [column[t] for t in self.key_tokens[k]]
            idx[row, :len(cols)] = cols
        best = sims[:, idx].max(axis=2)  # query word × candidate
        weights = np.asarray(q_weights, dtype=np.float32)
        return weights @ best / weights.sum()

    def _weight(self, token: str) -> float:
        return self.token_idf.get(token, self.max_idf)

    def _allowed_records(self, lists: list[str] | None) -> set[int] | None:
        if not lists:
            return None
        wanted = [w.strip() for w in lists if w and w.strip()]
        names = sorted({r.list_name for r in self.records})
        chosen = set()
        for w in wanted:
            hits = [n for n in names if _list_matches(w, n)]
            if not hits:
                raise ScreeningError(f"no list '{w}' in the library; lists: "
                                     + ", ".join(_short(n) for n in names))
            chosen.update(hits)
        return {i for i, r in enumerate(self.records) if r.list_name in chosen}


def _align(q: list[str], q_w: list[float], c: list[str], c_w: list[float],
           sims: list[list[float]]) -> tuple[float, list, list, list]:
    """Pair each query word with its closest listed word (`sims`: query × listed word
    similarity), one to one, best pairs first. Coverage: the share of each name's weight (rare
    words weigh more) that found a partner, scaled by closeness; the smaller share counts."""
    pairs = sorted(((s, i, j) for i, row in enumerate(sims) for j, s in enumerate(row)),
                   reverse=True)
    agree, used_q, used_c = [], set(), set()
    q_mass = c_mass = 0.0
    for s, i, j in pairs:
        if i in used_q or j in used_c or s < _agree_at(q[i], c[j]):
            continue
        used_q.add(i)
        used_c.add(j)
        agree.append((i, j))
        q_mass += q_w[i] * s
        c_mass += c_w[j] * s
    coverage = min(q_mass / sum(q_w), c_mass / sum(c_w))
    agree.sort()
    q_only = [t for i, t in enumerate(q) if i not in used_q]
    c_only = [t for j, t in enumerate(c) if j not in used_c]
    return coverage, [(q[i], c[j]) for i, j in agree], q_only, c_only


def _explained(query: str, q_keys: list[str], listed: str, c_keys: list[str], score: float,
               is_alias: bool, agree, q_only, c_only, transliterated: bool, signal: str,
               record: ListRecord) -> Match:
    """A match whose explanation shows words as written (before phonetic folding)."""
    q_words = dict(zip(q_keys, readable_tokens(query)[0]))
    c_words = dict(zip(c_keys, readable_tokens(listed)[0]))
    return Match(round(score, 4), listed, is_alias,
                 [(q_words.get(a, a), c_words.get(b, b)) for a, b in agree],
                 [q_words.get(t, t) for t in q_only], [c_words.get(t, t) for t in c_only],
                 transliterated, signal, record)


MIN_AGREE = 0.75


def _typo_shaped(q_only: list[str], c_only: list[str]) -> bool:
    """Whether unpaired words look like typos of each other rather than other words: long
    words, or words with the same first letters (a short acronym that differs at its start,
    "TIIX" / "RYX", names another company)."""
    return all(len(w) >= 5 for w in q_only + c_only) or (
        sorted(w[0] for w in q_only) == sorted(w[0] for w in c_only))


def _typo_closeness(queries: list[str], spellings: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """For a name run together, and each candidate run together: the edit similarity (1 −
    edits / length; a swap of neighbours is one edit) and whether the edits are within the typo
    budget, one edit per LETTERS_PER_TYPO letters of the shorter name, at most MAX_TYPOS. Longer
    names tolerate more slips; a name shorter than LETTERS_PER_TYPO tolerates none, since one
    edit makes another name. Each spelling pair (phonetic keys, words as written) is tried,
    since a slip can land on a letter the phonetic key folds, and the closer one counts."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cdist

    best_sim, best_within = None, None
    for query, names in zip(queries, spellings):
        edits = cdist([query], names, scorer=OSA.distance)[0].astype(np.float32)
        lengths = np.array([len(n) for n in names], dtype=np.float32)
        budget = np.minimum(MAX_TYPOS, np.minimum(lengths, len(query)) // LETTERS_PER_TYPO)
        within = (edits <= budget) & (edits > 0)
        sim = np.where(within, 1 - edits / np.maximum(np.maximum(lengths, len(query)), 1), 0.0)
        best_sim = sim if best_sim is None else np.maximum(best_sim, sim)
        best_within = within if best_within is None else best_within | within
    return best_sim, best_within


def _slips(q_only: list[str], c_only: list[str]) -> bool:
    """Whether the words left unpaired read as misspellings of each other ("ptn" / "pen")
    rather than other words ("lur" / "abr"): most of their letters agree."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(" ".join(q_only), " ".join(c_only)) >= SLIP_AGREE


def _agree_at(a: str, b: str) -> float:
    """Closeness for two words to count as the same word: exact for short words (initials,
    numbers), MIN_AGREE otherwise (a typo or two in a longer word)."""
    if len(a) <= 3 or len(b) <= 3 or a.isdigit() or b.isdigit():
        return 1.0
    return MIN_AGREE


def _one_per_record(matches: list[Match]) -> list[Match]:
    seen, out = set(), []
    for m in matches:
        if m.record.node_id not in seen:
            seen.add(m.record.node_id)
            out.append(m)
    return out


def _short(list_name: str) -> str:
    m = re.search(r"\(([^)]+)\)", list_name)
    return m[1] if m else list_name


def _list_matches(wanted: str, list_name: str) -> bool:
    """'EL', 'SDN', 'NS-CMIC', 'CMIC' or words of the name ('entity list') pick a list."""
    w = wanted.strip().lower()
    short = _short(list_name).lower()
    return w in (short, f"ns-{short}") or w.removeprefix("ns-") == short or (
        len(w) > 3 and w in list_name.lower())


def check_threshold(value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ScreeningError(f"the threshold must be a number between 0 and 1, not {value!r}") from None
    if not 0 < value <= 1:
        raise ScreeningError(f"the threshold must be between 0 and 1 (got {value}); "
                             f"the default is {DEFAULT_THRESHOLD}")
    return value


def _lists_searched(records: list[ListRecord]) -> list[ListSearched]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in records:
        counts[(r.list_name, r.data_date)] += 1
    return [ListSearched(n, d, c) for (n, d), c in sorted(counts.items())]


# --- building and caching --------------------------------------------------------------------

Name = tuple[int, str, bool, str, bool, str]
"""One name of one record, normalised: (record, listed text, alias?, phonetic key, transliterated?,
words as written run together)."""


def record_names(records: list[ListRecord]) -> list[Name]:
    """Every name and alias of every record, normalised: the costly part of building a matcher,
    done once per document version (at ingest, see `save_screen_shard`)."""
    names = []
    for rec_id, r in enumerate(records):
        for listed, is_alias in [(r.entity, False)] + [(a, True) for a in r.aliases]:
            tokens, translit = name_tokens(listed)
            if tokens:
                names.append((rec_id, listed, is_alias, " ".join(tokens), translit,
                              "".join(readable_tokens(listed)[0])))
    return names


def build_matcher(records: list[ListRecord], names: list[Name] | None = None) -> Matcher:
    """The matcher over `records`; `names` as `record_names` gives them, when already made."""
    from scipy.sparse import csr_matrix

    by_key: dict[str, list[tuple[int, str, bool, bool]]] = {}
    plain: dict[str, str] = {}
    for rec_id, listed, is_alias, key, translit, written in (
            record_names(records) if names is None else names):
        by_key.setdefault(key, []).append((rec_id, listed, is_alias, translit))
        plain.setdefault(key, written)
    keys = list(by_key)
    df: dict[str, int] = defaultdict(int)
    for k in keys:
        for t in set(k.split()):
            df[t] += 1
    n = len(keys)
    token_idf = {t: math.log((n + 1) / c) for t, c in df.items()}
    grams: dict[str, int] = {}
    rows, cols, vals = [], [], []
    gram_df: dict[int, int] = defaultdict(int)
    per_key: list[dict[int, float]] = []
    for k in keys:
        counts: dict[int, float] = defaultdict(float)
        for g in _trigrams(k.split()):
            counts[grams.setdefault(g, len(grams))] += 1.0
        for col in counts:
            gram_df[col] += 1
        per_key.append(counts)
    idf = np.ones(len(grams), dtype=np.float32)
    for col, c in gram_df.items():
        idf[col] = math.log((n + 1) / (c + 1)) + 1.0
    for row, counts in enumerate(per_key):
        cs = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
        vs = np.fromiter(counts.values(), dtype=np.float32, count=len(counts)) * idf[cs]
        vs /= float(np.linalg.norm(vs)) or 1.0
        rows.append(np.full(len(cs), row, dtype=np.int32))
        cols.append(cs)
        vals.append(vs)
    matrix = csr_matrix((np.concatenate(vals) if vals else np.zeros(0, np.float32),
                         (np.concatenate(rows) if rows else np.zeros(0, np.int32),
                          np.concatenate(cols) if cols else np.zeros(0, np.int32))),
                        shape=(n, len(grams)), dtype=np.float32)
    return Matcher(records, keys, [by_key[k] for k in keys], grams, matrix, idf, token_idf,
                   [plain[k] for k in keys])


def _split(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(" | ") if v.strip()]


def record_from_chunk(node_id: str, text: str, meta: dict[str, Any]) -> ListRecord:
    """A list record as ingest stored it (ingest/lists.py: one `record` node per entry)."""
    return ListRecord(
        node_id=node_id, entity=str(meta.get("entity") or ""), aliases=_split(meta.get("aliases")),
        countries=_split(meta.get("country")), list_name=str(meta.get("list_name") or "list"),
        fr_citation=str(meta.get("fr_citation") or ""), programs=", ".join(_split(meta.get("programs"))),
        start_date=str(meta.get("start_date") or ""), data_date=str(meta.get("published") or ""),
        source=str(meta.get("source") or ""), title=str(meta.get("title") or ""),
        start=int(meta.get("start", 0) or 0), end=int(meta.get("end", 0) or 0), text=text,
        publisher=str(meta.get("publisher") or ""))


SHARDS = "screen-shards"


def _shard_path(cache_dir: Path, doc_id: str, version: str) -> Path:
    return cache_dir / SHARDS / f"{CACHE_VERSION}.{doc_id}.{version}.json"


def list_records(nodes) -> list[ListRecord]:
    """The records among a list document's chunks (TextNodes) as ingest stores them."""
    return [record_from_chunk(n.node_id, n.text, n.metadata) for n in nodes
            if n.metadata.get("kind") == "record" and n.metadata.get("entity")]


def save_screen_shard(cache_dir: Path, doc_id: str, version: str, records: list[ListRecord]) -> None:
    """One list document version's records with their names normalised, so the library's
    matcher is a merge of shards: an ingest normalises only the documents it adds."""
    path = _shard_path(cache_dir, doc_id, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"records": [asdict(r) for r in records],
                               "names": record_names(records)}, ensure_ascii=False))
    tmp.replace(path)


def _shard(store, cache_dir: Path, doc_id: str, entry: dict[str, Any]) -> tuple[list[ListRecord], list]:
    """A list document's records and names from its shard, or read from Chroma (and the shard
    saved) when the file is missing or unreadable."""
    path = _shard_path(cache_dir, doc_id, entry["version"])
    try:
        raw = json.loads(path.read_text())
        return [ListRecord(**r) for r in raw["records"]], raw["names"]
    except (OSError, ValueError):
        pass
    got = store.documents_chunks({doc_id: entry})
    records = [record_from_chunk(i, t, m) for i, t, m in
               zip(got["ids"], got["documents"], got["metadatas"])
               if (m or {}).get("kind") == "record" and m.get("entity")]
    save_screen_shard(cache_dir, doc_id, entry["version"], records)
    return records, record_names(records)


def lists_fingerprint(catalog: dict[str, dict[str, Any]]) -> str:
    """What the screening index is keyed on: the versions of the list documents alone, so a
    new rule or article leaves the index (and its cache) as it is."""
    return Store.fingerprint({doc_id: m["version"] for doc_id, m in catalog.items()
                              if m.get("doc_type") == "list" and m.get("version")})


def _cache_path(cache_dir: Path, catalog: dict[str, dict[str, Any]]) -> Path:
    return cache_dir / f"screen-{CACHE_VERSION}-{lists_fingerprint(catalog)}.json"


def load_matcher(store, cache_dir: Path, catalog: dict[str, dict[str, Any]]) -> Matcher:
    """The matcher from its cache files when current, else merged from the list documents'
    shards and cached."""
    meta_path = _cache_path(cache_dir, catalog)
    if meta_path.exists() and meta_path.with_suffix(".npz").exists():
        return read_cache(meta_path)
    records: list[ListRecord] = []
    names: list[Name] = []
    keep = set()
    for doc_id, entry in sorted(catalog.items()):
        if entry.get("doc_type") != "list" or not entry.get("version"):
            continue
        keep.add(_shard_path(cache_dir, doc_id, entry["version"]).name)
        doc_records, doc_names = _shard(store, cache_dir, doc_id, entry)
        names += [(rec_id + len(records), *rest) for rec_id, *rest in doc_names]
        records += doc_records
    for old in (cache_dir / SHARDS).glob("*.json"):
        if old.name not in keep:  # versions replaced or removed since
            old.unlink(missing_ok=True)
    matcher = build_matcher(records, names)
    for old in [*cache_dir.glob("screen-*.json"), *cache_dir.glob("screen-*.npz")]:
        old.unlink(missing_ok=True)
    write_cache(matcher, meta_path)
    return matcher


def ensure_matcher(store, cache_dir: Path, catalog: dict[str, dict[str, Any]]) -> None:
    """Build and cache the matcher for these list documents if it is not on disk yet."""
    meta_path = _cache_path(cache_dir, catalog)
    if not (meta_path.exists() and meta_path.with_suffix(".npz").exists()):
        load_matcher(store, cache_dir, catalog)


def write_cache(matcher: Matcher, meta_path: Path) -> None:
    """The matcher as `<name>.json` (records, names, weights) and `<name>.npz` (the sparse
    trigram matrix), each written to a temporary file and renamed."""
    from scipy.sparse import save_npz

    data = {"records": [asdict(r) for r in matcher.records], "keys": matcher.keys,
            "entries": matcher.entries, "grams": matcher.grams,
            "idf": [float(x) for x in matcher.idf], "token_idf": matcher.token_idf,
            "plain_keys": matcher.plain_keys}
    tmp_matrix = meta_path.with_suffix(".tmp.npz")
    save_npz(tmp_matrix, matcher.matrix)
    tmp_matrix.replace(meta_path.with_suffix(".npz"))
    tmp = meta_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False))
    tmp.replace(meta_path)  # written last: its presence says both files are complete


def read_cache(meta_path: Path) -> Matcher:
    from scipy.sparse import load_npz

    raw = json.loads(meta_path.read_text())
    return Matcher([ListRecord(**r) for r in raw["records"]], raw["keys"],
                   [[tuple(e) for e in entry] for entry in raw["entries"]], raw["grams"],
                   load_npz(meta_path.with_suffix(".npz")), np.asarray(raw["idf"], dtype=np.float32),
                   raw["token_idf"], raw["plain_keys"])


def records_from_documents(docs) -> list[ListRecord]:
    """The records of parsed list documents, with the node ids and metadata ingest would store
    (for the benchmark, which screens the shared list data without embedding it)."""
    from listlens.ingest.chunking import chunk_document

    return [r for doc in docs if doc.metadata.get("doc_type") == "list"
            for r in list_records(chunk_document(doc))]


# --- "Is X listed?" --------------------------------------------------------------------------

def _record_citation(n: int, r: ListRecord) -> Citation:
    return Citation(n=n, file=r.source, title=r.title, published=r.data_date or None,
                    start=r.start, end=r.end, text=r.text, doc_type="list",
                    publisher=r.publisher, fr_citation=r.fr_citation, score=1.0)


# Words around a list's name that do not pick one list: "BIS's Entity List", "the OFAC SDN list".
_NOT_A_LIST_WORD = frozenset("the a an any list lists of bis ofac treasury commerce state "
                             "department u.s. us".split())


def _about_list(asked: str, list_name: str) -> bool:
    """Whether the list a question names ("the Entity List", "SDN list", "NS-CMIC list",
    "Military End-User List") is this list. Hyphens are spaces: the lists write "End User"."""
    # "Non-SDN" in a name says which list it is not: the SDN list is not the NS-CMIC list.
    words = [w for w in re.sub(r"['’]s\b|\bnon-\w+", "", asked.lower()).split() if w not in _NOT_A_LIST_WORD]
    short = _short(list_name).lower()
    spelled = " " + re.sub(r"[^a-z0-9]+", " ", re.sub(r"\bnon-\w+", "", list_name.lower())) + " "
    return (not words or any(w.removeprefix("ns-") == short for w in words)
            or all(f" {w.replace('-', ' ')} " in spelled for w in words))


def membership_answer(question: str, name: str, result: ScreenResult, asked_list: str = "",
                      max_cited: int = 6) -> Answer:
    """The answer to "Is X listed?" / "Which list is X on?" from a screening result: each list
    the name matched, with country, FR citation or program and dates, cited from the record
    itself; or a refusal that names the lists searched. A match on a list other than the one
    asked about is said as such, never passed off as the answer."""
    matches = result.matches
    in_asked = [m for m in matches if _about_list(asked_list, m.record.list_name)] if asked_list else matches
    if not in_asked:
        where = f"on the {asked_list}" if asked_list else "on the lists"
        text = f"{name} was not found {where} in the library (searched: {result.searched_text()})."
        if matches:
            other = "; ".join(sorted({m.record.list_name for m in matches}))
            best = max(m.score for m in matches)
            who = "The same name" if best >= 1.0 else f"A close name (match score {best:.2f})"
            text += f" {who} is on other lists: {other}."
        cites = [_record_citation(i, m.record) for i, m in enumerate(matches[:max_cited], 1)]
        return Answer(question, text, True, cites, [], [], "screen")
    citations, sentences = [], []
    for m in in_asked[:max_cited]:
        r = m.record
        c = _record_citation(len(citations) + 1, r)
        citations.append(c)
        named = r.entity if m.matched_name == r.entity else f"{r.entity} (listed alias “{m.matched_name}”)"
        sentence = (f"{named} is on the {r.list_name.split(' - ')[0]}"
                    + (f" ({', '.join(r.countries)})" if r.countries else "")
                    + (f" under {r.fr_citation}" if r.fr_citation else "")
                    + (f", program {r.programs}" if r.programs and not r.fr_citation else "")
                    + (f", listed {r.start_date}" if r.start_date else "")
                    + f"; list data of {r.data_date or 'unknown date'}"
                    + (f"; match score {m.score:.2f}" if m.score < 1 else "") + ".")
        sentences.append(AnswerSentence(sentence, [c.n]))
    more = len(in_asked) - len(sentences)
    head = f"Yes: {name} matches {len(in_asked)} list entr{'y' if len(in_asked) == 1 else 'ies'} in the library."
    text = " ".join([head] + [f"{s.text} [{s.citations[0]}]" for s in sentences])
    if more > 0:
        text += f" ({more} more not shown.)"
    return Answer(question, text, False, citations, [AnswerSentence(head, [])] + sentences, [], "screen")


_NAME_LIST = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def several_names(asked: str) -> list[str]:
    """The names of a membership question about several parties ("Are A and B listed?",
    "Is A, B or C on the list?"), or [] when `asked` reads as one name. Only used when the
    whole phrase matches nothing: "Research and Development Institute" stays one name when
    it is listed."""
    parts = [p.strip() for p in _NAME_LIST.split(asked.replace(" or ", " and ")) if p.strip()]
    if len(parts) < 2 or not all(p[:1].isupper() or p[:1].isdigit() for p in parts):
        return []
    return parts


def joint_answer(question: str, answers: list[Answer]) -> Answer:
    """One answer from the membership answers about several names, citations renumbered in
    order; refused only when every name was not found."""
    citations, sentences, texts = [], [], []
    for answer in answers:
        offset = len(citations)
        citations += [replace(c, n=c.n + offset) for c in answer.citations]
        texts.append(re.sub(r"\[(\d+)\]", lambda m: f"[{int(m[1]) + offset}]", answer.text))
        sentences += ([AnswerSentence(s.text, [n + offset for n in s.citations]) for s in answer.sentences]
                      or [AnswerSentence(answer.text, [])])
    return Answer(question, " ".join(texts), all(a.refused for a in answers), citations, sentences,
                  [], "screen")

