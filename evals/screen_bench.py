"""The screening benchmark (`listlens bench --only screen`): precision, recall and speed of the
name matcher (index/screen.py) on names generated from the library's own list data.

Positives are real names and aliases altered one way each (seeded random, the same generators
for every record): word order, legal form dropped or changed, one or two typos, a romanisation
variant, the name written in Cyrillic (for records of Cyrillic-script countries), spelling as
news text writes it, and a Chinese alias (where the record has one) as written or romanised.
Negatives are made-up names of the same shape (a real name with every distinctive word replaced
by an invented one) and near misses that keep one distinctive word of a listed name.

A positive is found when a match above the threshold is a record carrying the original name.
Precision counts every query that returned a match: found positives are right; negatives with
a match, and positives whose matches are all other records, are wrong.

The same queries go, in the same run, to a naive difflib scan over every name and to the entity
table's lookup (index/entities.py), on a subsample (both scan all names per query).
"""

from __future__ import annotations

import difflib
import random
import re
import string
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from listlens.index.screen import (_LEGAL_NEAR, _LEGAL_TOKENS, DEFAULT_THRESHOLD, Matcher, build_matcher,
                                   name_tokens, read_cache, records_from_documents, write_cache)

POSITIVE_KINDS = ("word_order", "legal_form", "typos", "transliteration", "cyrillic", "news",
                  "chinese_alias")
NEGATIVE_KINDS = ("made_up", "near_miss")
CYRILLIC_COUNTRIES = {"Russia", "Belarus", "Ukraine", "Kazakhstan", "Kyrgyzstan", "Tajikistan",
                      "Bulgaria", "Serbia", "Mongolia"}
LEGAL_FORMS = ["Co., Ltd.", "LLC", "Limited", "Ltd", "JSC", "Inc.", "Corporation", "GmbH", "OOO",
               "Company Limited", "FZE", "S.A."]
# Spellings that romanisations of one name differ by (Russian, Arabic, Persian, Chinese names).
ROMANISATION = [("kh", "h"), ("ks", "x"), ("ts", "tz"), ("sh", "sch"), ("ya", "ia"), ("yu", "iu"),
                ("iy", "y"), ("ou", "u"), ("ph", "f"), ("ee", "i"), ("oo", "u"), ("q", "k"),
                ("w", "v"), ("j", "y"), ("ai", "ay"), ("ei", "ey"), ("mu", "mo"), ("el-", "al-"),
                ("ie", "ye"), ("y", "i"), ("c", "k"), ("x", "ks"), ("v", "w"), ("ev", "yev")]
NEWS_ABBREVIATIONS = {"technology": "Tech", "technologies": "Tech", "international": "Int'l",
                      "corporation": "Corp.", "company": "Co.", "limited": "Ltd.",
                      "manufacturing": "Mfg.", "university": "Univ.", "institute": "Inst.",
                      "national": "Nat'l", "and": "&", "&": "and"}
# Latin → Cyrillic, longest first (the reverse of a common Russian romanisation).
TO_CYRILLIC = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
               ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"), ("a", "а"),
               ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
               ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
               ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("c", "к"), ("x", "кс"),
               ("w", "в"), ("h", "х"), ("j", "дж"), ("q", "к")]
CHINESE_LEGAL = ["股份有限公司", "有限责任公司", "有限公司", "公司"]


@dataclass
class Query:
    text: str
    kind: str
    positive: bool
    expected: frozenset[str] = frozenset()  # node ids of records carrying the original name
    original: str = ""


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in text)


def _words(name: str) -> list[str]:
    return name.replace(",", " ").split()


def _is_legal(word: str) -> bool:
    parts = [p for p in re.split(r"[-.,()]", word.lower()) if p]
    return bool(parts) and all(p in _LEGAL_TOKENS | _LEGAL_NEAR | {"de", "s", "a", "c", "v"}
                               for p in parts)


# --- positives -------------------------------------------------------------------------------

def word_order(name: str, rng: random.Random) -> str | None:
    words = [w for w in _words(name) if not _is_legal(w)]
    if len(words) < 2:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def legal_form(name: str, rng: random.Random) -> str | None:
    words = _words(name)
    core = [w for w in words if not _is_legal(w)]
    if not core:
        return None
    if len(core) < len(words) and rng.random() < 0.5:
        return " ".join(core)  # dropped
    return " ".join(core) + " " + rng.choice(LEGAL_FORMS)  # changed or added


def typos(name: str, rng: random.Random) -> str | None:
    """One typo; two when the name has at least 12 letters (two edits in a short name make
    another name: "Candiru" → "Cendiro")."""
    editable = _name_letters(name)
    if len(editable) < 5:
        return None
    text = list(name)
    for _ in range(2 if len(editable) >= 12 and rng.random() < 0.5 else 1):
        editable = _name_letters("".join(text))
        i = rng.choice(editable)
        op = rng.choice(("substitute", "delete", "insert", "transpose"))
        letter = rng.choice(string.ascii_lowercase)
        letter = letter.upper() if text[i].isupper() else letter
        if op == "substitute":
            text[i] = letter
        elif op == "delete":
            del text[i]
        elif op == "insert":
            text.insert(i, letter)
        elif i + 1 < len(text):
            text[i], text[i + 1] = text[i + 1], text[i]
    out = "".join(text)
    return out if out != name else None


def _name_letters(name: str) -> list[int]:
    """Positions of the letters of the name proper (not of its legal form): typos and
    romanisation variants change the name; the legal_form kind varies the legal form."""
    spots, at = [], 0
    for word in name.split(" "):
        if not _is_legal(word):
            spots += [at + i for i, ch in enumerate(word) if ch.isalpha()]
        at += len(word) + 1
    return spots


def transliteration(name: str, rng: random.Random) -> str | None:
    lower = name.lower()
    editable = set(_name_letters(name))
    usable = [(a, b) for a, b in ROMANISATION
              if any(lower.startswith(a, i) for i in editable)]
    if not usable:
        return None
    out = lower
    for a, b in rng.sample(usable, min(len(usable), rng.choice((1, 2)))):
        editable = set(_name_letters(out))
        spots = [i for i in editable if out.startswith(a, i)]
        if spots:  # an earlier swap may have used the letters up
            i = rng.choice(spots)
            out = out[:i] + b + out[i + len(a):]
    return _recase(name, out) if out != lower else None


def _recase(original: str, lower: str) -> str:
    return lower.upper() if original.isupper() else lower.title()


def cyrillic(name: str, rng: random.Random) -> str | None:
    """Words that read as romanised Russian written back in Cyrillic (the legal form left out);
    words that do not (English "Color", "World": c, w, x, q, th) stay in Latin letters."""
    words = [w for w in _words(name) if not _is_legal(w)]
    out, changed = [], False
    for word in words:
        lower = word.lower()
        if re.search(r"[cwxq]|th|[^a-z-]", lower.replace("ch", "").replace("shch", "")):
            out.append(word)
            continue
        for latin, cyr in TO_CYRILLIC:
            lower = lower.replace(latin, cyr)
        out.append(lower.capitalize())
        changed = True
    return " ".join(out) if changed else None


def news(name: str, rng: random.Random) -> str | None:
    """As a news story writes it: ordinary capitals, and abbreviations, "&" for "and", or no
    parenthesised acronym."""
    words = _words(name)
    changes = []
    if any(w.lower() in NEWS_ABBREVIATIONS for w in words):
        changes.append("abbreviate")
    if re.search(r"\([A-Z]{2,6}\)", name) and not name.isupper():
        changes.append("drop_acronym")
    text = " ".join(w if w.isupper() and len(w) <= 4 and not _is_legal(w) and not name.isupper()
                    else w.capitalize() for w in words)
    if changes:
        change = rng.choice(changes)
        if change == "abbreviate":
            ws = text.split()
            spots = [i for i, w in enumerate(ws) if w.lower() in NEWS_ABBREVIATIONS]
            i = rng.choice(spots)
            ws[i] = NEWS_ABBREVIATIONS[ws[i].lower()]
            text = " ".join(ws)
        else:
            text = re.sub(r"\s*\([A-Za-z]{2,6}\)", "", text)
    return text if text != name else None


def chinese_alias(name: str, rng: random.Random) -> str | None:
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return None
    if rng.random() < 0.5:  # romanised: pinyin in words of two syllables
        from pypinyin import lazy_pinyin

        core = name
        for form in CHINESE_LEGAL:
            core = core.replace(form, "")
        syllables = lazy_pinyin(core)
        return " ".join("".join(syllables[i:i + 2]).capitalize() for i in range(0, len(syllables), 2))
    for form in CHINESE_LEGAL:  # as written, legal form dropped or changed
        if name.endswith(form):
            return name[:-len(form)] + rng.choice([""] + [f for f in CHINESE_LEGAL if f != form])
    return name + "有限公司"


GENERATORS = {"word_order": word_order, "legal_form": legal_form, "typos": typos,
              "transliteration": transliteration, "cyrillic": cyrillic, "news": news,
              "chinese_alias": chinese_alias}


def positives(matcher: Matcher, per_kind: int, rng: random.Random) -> list[Query]:
    out: list[Query] = []
    records = list(range(len(matcher.records)))
    for kind, make in GENERATORS.items():
        pool = records
        if kind == "cyrillic":
            pool = [i for i in records if set(matcher.records[i].countries) & CYRILLIC_COUNTRIES]
        if kind == "chinese_alias":
            pool = [i for i in records if any(not _is_latin(a) for a in matcher.records[i].aliases)]
        made, tries = 0, 0
        order = pool[:]
        rng.shuffle(order)
        for rec_id in order * (1 if kind != "chinese_alias" else 3):
            if made >= per_kind or tries > per_kind * 20:
                break
            tries += 1
            r = matcher.records[rec_id]
            names = [n for n in [r.entity, *r.aliases] if (kind == "chinese_alias") != _is_latin(n)]
            if not names:
                continue
            name = rng.choice(names)
            altered = make(name, rng)
            if not altered or not name_tokens(altered)[0]:
                continue
            key = " ".join(name_tokens(name)[0])
            key_id = matcher.key_index.get(key)
            if key_id is None:
                continue
            expected = frozenset(matcher.records[e[0]].node_id for e in matcher.entries[key_id])
            out.append(Query(altered, kind, True, expected, name))
            made += 1
    return out


# --- negatives -------------------------------------------------------------------------------

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "or", "en", "ix", "ul"]


def invented_word(rng: random.Random, vocabulary: list[str], length: int) -> str:
    """A pronounceable word that is no listed word with a typo or two (more than one edit away
    from every listed word; more than two for long words): made up, not misspelt."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extractOne

    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(max(2, (length + 1) // 2)))
        if extractOne(word, vocabulary, scorer=Levenshtein.distance,
                      score_cutoff=2 if len(word) >= 8 else 1) is None:
            return word.capitalize()


def negatives(matcher: Matcher, per_kind: int, rng: random.Random) -> list[Query]:
    df = Counter(t for tokens in matcher.key_tokens for t in set(tokens))
    vocabulary = sorted(df)
    # Words common enough to say little about which entity is meant ("trading", "ltd"):
    # the 300 most frequent, or the top 3% of a small vocabulary.
    generic = {t for t, _ in df.most_common(min(300, max(1, len(df) * 3 // 100)))}
    out: list[Query] = []
    latin = [r for r in matcher.records if _is_latin(r.entity)]
    made, tries = 0, 0
    while made < per_kind and tries < per_kind * 50:  # made-up names shaped like real ones
        tries += 1
        name = rng.choice(latin).entity
        words = _words(name)
        replaced = [w if _is_legal(w) or not w.isalpha() or (name_tokens(w)[0] or [""])[0] in generic
                    else _recase(w, invented_word(rng, vocabulary, len(w)).lower()) for w in words]
        if sum(a != b for a, b in zip(replaced, words)) * 2 < sum(not _is_legal(w) for w in words):
            continue  # at least half the words invented, or it is the real name misspelt
        text = " ".join(replaced)
        if " ".join(name_tokens(text)[0]) in matcher.key_index:
            continue
        out.append(Query(text, "made_up", False, original=name))
        made += 1
    made, tries = 0, 0
    generic_words = sorted(generic - _LEGAL_TOKENS) or ["Trading"]
    while made < per_kind and tries < per_kind * 50:  # a listed name's distinctive word, reused
        tries += 1
        name = rng.choice(latin).entity
        tokens = name_tokens(name)[0]
        distinctive = [t for t in tokens if t not in generic and t.isalpha() and len(t) > 3]
        if len(distinctive) < 2:  # the shared word must not be the whole name
            continue
        parts = [rng.choice(distinctive).capitalize(),
                 invented_word(rng, vocabulary, rng.randint(4, 8))]
        if rng.random() < 0.6:
            parts.append(rng.choice(generic_words).capitalize())
        rng.shuffle(parts)
        if rng.random() < 0.5:
            parts.append(rng.choice(LEGAL_FORMS))
        text = " ".join(parts)
        if " ".join(name_tokens(text)[0]) in matcher.key_index:
            continue
        out.append(Query(text, "near_miss", False, original=name))
        made += 1
    return out


# --- scoring ---------------------------------------------------------------------------------

def score(queries: list[Query], found: list[list[str]]) -> dict[str, Any]:
    """Per kind and overall: recall and precision (positives), no-match rate (negatives).
    `found[i]`: node ids matched for query i, best first."""
    kinds: dict[str, dict[str, int]] = defaultdict(Counter)
    for q, ids in zip(queries, found):
        k = kinds[q.kind]
        k["n"] += 1
        if q.positive:
            right = bool(set(ids) & q.expected)
            k["found"] += right
            k["top1"] += bool(ids) and ids[0] in q.expected
            k["flagged"] += bool(ids)
            k["wrong_only"] += bool(ids) and not right
        else:
            k["flagged"] += bool(ids)
    per_kind = {}
    for kind, k in kinds.items():
        if kind in NEGATIVE_KINDS:
            per_kind[kind] = {"n": k["n"], "no_match_rate": round(1 - k["flagged"] / k["n"], 4)}
        else:
            per_kind[kind] = {"n": k["n"], "recall": round(k["found"] / k["n"], 4),
                              "top1": round(k["top1"] / k["n"], 4),
                              "precision": round(k["found"] / k["flagged"], 4) if k["flagged"] else None}
    tp = sum(k["found"] for kind, k in kinds.items() if kind not in NEGATIVE_KINDS)
    fp = sum(k["wrong_only"] for kind, k in kinds.items() if kind not in NEGATIVE_KINDS) + sum(
        k["flagged"] for kind, k in kinds.items() if kind in NEGATIVE_KINDS)
    n_pos = sum(k["n"] for kind, k in kinds.items() if kind not in NEGATIVE_KINDS)
    return {"recall": round(tp / n_pos, 4) if n_pos else None,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None, "per_kind": per_kind}


def _difflib_scan(matcher: Matcher, threshold: float):
    """Naive baseline: lower-cased names compared with every listed name by difflib."""
    names: list[tuple[str, str]] = []
    for r in matcher.records:
        for n in [r.entity, *r.aliases]:
            names.append((" ".join(n.lower().split()), r.node_id))
    texts = list(dict.fromkeys(t for t, _ in names))
    ids: dict[str, list[str]] = defaultdict(list)
    for t, node in names:
        ids[t].append(node)

    def find(query: str) -> list[str]:
        hits = difflib.get_close_matches(" ".join(query.lower().split()), texts, n=5, cutoff=threshold)
        return [node for h in hits for node in ids[h]]
    return find


def _entity_table(matcher: Matcher):
    """The Ask path's entity table (index/entities.py) over the same records, as build_table
    makes it from Chroma."""
    from listlens.index.entities import Entity, EntityTable, normalize

    entities: dict[str, Entity] = {}
    for r in matcher.records:
        key = normalize(r.entity)
        if not key:
            continue
        entity = entities.setdefault(key, Entity(r.entity))
        entity.node_ids.append(r.node_id)
        for alias in r.aliases:
            alias_key = normalize(alias)
            if alias_key and alias_key not in entities:
                entities[alias_key] = entity
    table = EntityTable(entities)
    return lambda query: [n for e in table.lookup(query, limit=5) for n in e.node_ids]


def _timed(find, queries: list[Query]) -> tuple[list[list[str]], list[float]]:
    found, times = [], []
    for q in queries:
        started = time.perf_counter()
        found.append(find(q.text))
        times.append(time.perf_counter() - started)
    return found, times


def _ms(times: list[float], pct: float) -> float:
    ordered = sorted(times)
    return round(ordered[min(len(ordered) - 1, int(pct * len(ordered)))] * 1000, 3)


def load_records(list_dir: Path):
    from listlens.ingest.readers import read_path

    docs = [d for p in sorted(Path(list_dir).iterdir()) if p.suffix.lower() in (".json", ".csv")
            for d in read_path(p, 10**9)]
    return records_from_documents(docs)


def run(list_dir: str, per_kind: int = 400, seed: int = 0, baseline_sample: int = 300,
        threshold: float | None = None, records=None) -> dict[str, Any]:
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    started = time.perf_counter()
    records = records if records is not None else load_records(Path(list_dir))
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    matcher = build_matcher(records)
    build_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:  # the cache a library keeps, written and read
        cache = Path(tmp) / "screen-bench.json"
        write_cache(matcher, cache)
        cache_mb = (cache.stat().st_size + cache.with_suffix(".npz").stat().st_size) / 1e6
        started = time.perf_counter()
        matcher = read_cache(cache)
        load_s = time.perf_counter() - started
    rng = random.Random(seed)
    queries = positives(matcher, per_kind, rng) + negatives(matcher, per_kind, rng)

    started, cpu = time.perf_counter(), time.process_time()
    results = matcher.screen_many([(q.text, None) for q in queries], threshold=threshold)
    batch_s, batch_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    found = [[m.record.node_id for m in r.matches] for r in results]
    single = rng.sample(queries, min(500, len(queries)))
    _, times = _timed(lambda text: matcher.screen(text, threshold=threshold), single)

    sample = rng.sample(queries, min(baseline_sample, len(queries)))
    baselines = {}
    for label, find in (("difflib_scan", _difflib_scan(matcher, 0.8)),
                        ("entity_table", _entity_table(matcher))) if sample else ():
        got, took = _timed(find, sample)
        ours = [found[queries.index(q)] for q in sample]
        baselines[label] = {**score(sample, got), "p50_ms": _ms(took, 0.5), "p95_ms": _ms(took, 0.95),
                            "screen_on_same_sample": score(sample, ours)}
    examples = defaultdict(list)
    for q, r in zip(queries, results):
        wrong = (q.positive and not set(m.record.node_id for m in r.matches) & q.expected) or (
            not q.positive and r.matches)
        if wrong and len(examples[q.kind]) < 8:
            examples[q.kind].append({"query": q.text, "original": q.original,
                                     "matched": [(m.matched_name, m.score) for m in r.matches[:2]]})
    return {
        "threshold": threshold, "seed": seed, "records": len(records), "names": len(matcher.keys),
        "queries": len(queries), "read_s": round(read_s, 2), "build_s": round(build_s, 2),
        "cache_load_s": round(load_s, 2), "cache_mb": round(cache_mb, 1),
        **score(queries, found),
        "batch_names_per_s": round(len(queries) / batch_s, 1),
        # CPU seconds, not wall time: the same figure on a machine other work shares
        "batch_names_per_cpu_s": round(len(queries) / batch_cpu_s, 1),
        "single_p50_ms": _ms(times, 0.5), "single_p95_ms": _ms(times, 0.95),
        "baselines": baselines, "baseline_sample": len(sample), "misses": dict(examples),
        "bars": {"recall": 0.98, "precision": 0.95, "kind_min": 0.90, "made_up_no_match": 0.98,
                 "batch_names_per_s": 1000, "single_p50_ms": 20},
    }


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(sys.argv[1], seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0), indent=1))
