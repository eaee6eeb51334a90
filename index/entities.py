"""The entity table: every entity name and alias in the library, normalised, pointing at the
records and passages that name it, with a lookup that tolerates partial and misspelt names.

It is a cache derived from the chunk metadata in Chroma (`entity`, `aliases`), rebuilt when
the catalog changes, like the keyword index.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from listlens.index.store import Store
from listlens.ingest.fold import fold

# Legal forms say nothing about which entity is meant: "Spacety Co., Ltd." = "Spacety".
LEGAL_FORMS = frozenset("""
co company ltd limited llc inc incorporated corp corporation jsc ojsc pjsc cjsc ooo oao zao ao
gmbh pte plc sa s a srl bv nv ag kg llp lp pvt private public joint stock the of
""".split())
_NON_WORD = re.compile(r"[^a-z0-9]+")
# The cached table's keys are normalised names: a cache written by another `normalize` is stale.
NORMALIZE_VERSION = "translit1"


def normalize(name: str) -> str:
    """Folded to lower-case ASCII (other scripts transliterated), punctuation gone, trailing
    legal forms dropped."""
    text = fold(name)
    tokens = _NON_WORD.sub(" ", text.replace("&", " and ")).split()
    while len(tokens) > 1 and tokens[-1] in LEGAL_FORMS:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens.pop(0)
    return " ".join(tokens)


@dataclass
class Entity:
    name: str
    node_ids: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class EntityTable:
    entities: dict[str, Entity]  # normalised name or alias → entity

    def __post_init__(self) -> None:
        self.vocabulary = {t for key in self.entities for t in key.split()}
        self.max_len = max((len(k.split()) for k in self.entities), default=0)
        # Lookups must not scan the whole table: index words by their first two letters and
        # length (for spelling correction) and long names by their first three words (for
        # partial names).
        self._by_start: dict[tuple[str, int], list[str]] = {}
        for word in self.vocabulary:
            self._by_start.setdefault((word[:2], len(word)), []).append(word)
        self._prefix_keys: dict[str, list[str]] = {}
        for key in self.entities:
            words = key.split()
            if len(words) > 3:
                self._prefix_keys.setdefault(" ".join(words[:3]), []).append(key)
        self._seen: dict[tuple[str, int], list[tuple[Entity, str]]] = {}

    def clear_cache(self) -> None:
        """Forget the texts already looked up (benchmarks time cold lookups)."""
        self._seen.clear()

    def __len__(self) -> int:
        return len({id(e) for e in self.entities.values()})

    def _correct(self, tokens: list[str], text: str) -> list[str]:
        """Replace tokens the table has never seen by a close spelling it has ("Candiro").
        Only words written as names are corrected ("final" is an English word, not a misspelt
        "Finval"), unless the whole text is in lower case."""
        names = set(normalize(" ".join(re.findall(r"\b[A-Z]\w*", text))).split()) if text != text.lower() else None
        out = []
        for t in tokens:
            if t in self.vocabulary or len(t) < 5 or t.isdigit() or (names is not None and t not in names):
                out.append(t)
            else:
                # A ratio of 85 (2·matches / total length) differs in length by ≤ 0.35 × len(t).
                spread = max(1, len(t) * 6 // 17)
                near = [w for n in range(len(t) - spread, len(t) + spread + 1)
                        for w in self._by_start.get((t[:2], n), [])]
                close = process.extractOne(t, near, scorer=fuzz.ratio, score_cutoff=85)
                out.append(close[0] if close else t)
        return out

    def find_in(self, text: str, limit: int = 5) -> list[Entity]:
        """Entities named in `text`, longest names first. A name counts when the text holds it
        whole, or holds its first two or more words ("Hefei National Laboratory")."""
        return [entity for entity, _ in self.mentions(text, limit)]

    def mentions(self, text: str, limit: int = 5) -> list[tuple[Entity, str]]:
        """Like `find_in`, with the normalised words of `text` that named each entity."""
        if (text, limit) in self._seen:  # one question is looked up by retrieval and answering
            return self._seen[(text, limit)]
        if len(self._seen) > 256:
            self._seen.clear()
        self._seen[(text, limit)] = found = self._mentions(text, limit)
        return found

    def _mentions(self, text: str, limit: int) -> list[tuple[Entity, str]]:
        tokens, capitalised = _tokens(text)
        tokens = self._correct(tokens, text)
        found: list[Entity] = []
        grams: list[str] = []
        used: set[int] = set()
        for n in range(min(self.max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                if used & set(range(i, i + n)):
                    continue
                gram = " ".join(tokens[i:i + n])
                entity = self.entities.get(gram)
                if entity is None or (n == 1 and len(gram) < 4) or gram in _COMMON:
                    continue
                if _name_goes_on(capitalised, i, i + n):
                    continue  # part of a longer name: "Beijing" in "Beijing Radiance Optics"
                if entity not in found:
                    found.append(entity)
                    grams.append(gram)
                used.update(range(i, i + n))
        pairs = list(zip(found, grams))
        if len(found) < limit:
            pairs += [(e, normalize(e.name)) for e in
                      self._prefix_matches(tokens, capitalised, used, limit - len(found), found)]
        return pairs[:limit]

    def _prefix_matches(self, tokens, capitalised, used, limit, found) -> list[Entity]:
        """Long names given by their opening words ("Hefei National Laboratory"). The name as
        written must end where it stops matching: "Beijing Institute of Radiance" shares three
        words with "Beijing Institute of Technology" and is another name."""
        out: list[Entity] = []
        for i in range(len(tokens) - 2):
            if i in used:
                continue
            for key in self._prefix_keys.get(" ".join(tokens[i:i + 3]), []):
                entity = self.entities[key]
                words = key.split()
                k = 3
                while k < len(words) and i + k < len(tokens) and tokens[i + k] == words[k]:
                    k += 1
                if _name_goes_on(capitalised, i, i + k) and k < len(words):
                    continue
                if entity not in found and entity not in out:
                    out.append(entity)
                    if len(out) >= limit:
                        return out
        return out

    def lookup(self, name: str, limit: int = 10) -> list[Entity]:
        """Entities whose name or alias is close to `name` (partial or misspelt). A partial name
        must be the opening words of the listed one, or whole words of it; a shared word
        ("Beijing", "Technology") is not a match."""
        key = normalize(name)
        if key in self.entities:
            return [self.entities[key]]
        hits = [e for k, e in self.entities.items() if key and (k.startswith(key + " ")
                                                              or (len(key.split()) > 1 and f" {key} " in f" {k} "))]
        if not hits:
            close = process.extract(key, list(self.entities), scorer=fuzz.ratio, limit=limit, score_cutoff=80)
            hits = [self.entities[k] for k, _score, _i in close if _same_length_name(key, k)]
        unique: list[Entity] = []
        for e in hits:
            if e not in unique:
                unique.append(e)
        return unique[:limit]


_WORD = re.compile(r"[\w][\w&'’.-]*")
# Lower-case or function words may sit inside a name without ending it ("Bank of China").
_INSIDE_NAMES = frozenset({"of", "and", "for", "the", "de", "at", "in", "on"}) | LEGAL_FORMS


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """The normalised words of `text`, and for each whether it continues a name as written:
    capitalised, joined to the word before by a space only, and not a legal form or connector."""
    tokens: list[str] = []
    goes_on: list[bool] = []
    last_end = None
    for m in _WORD.finditer(text):
        word = m.group()
        joined = (last_end is not None and text[last_end:m.start()].strip() == ""
                  and not re.search(r"['’]s?$", text[:last_end]))  # a possessive ends a name
        for k, t in enumerate(normalize(word).split()):
            tokens.append(t)
            goes_on.append((word[0].isupper() or word[0].isdigit()) and (joined or k > 0)
                           and t not in _INSIDE_NAMES and len(t) > 1)
        last_end = m.end()
    return tokens, goes_on


def _name_goes_on(goes_on: list[bool], start: int, end: int) -> bool:
    """Whether the name as written runs on past tokens[start:end] (the next word is capitalised
    and joined to it): the match is then only part of a longer name the question gives."""
    return end < len(goes_on) and goes_on[end]


def _same_length_name(a: str, b: str) -> bool:
    """A misspelling keeps the number of words; a different name sharing most letters of a
    long word does not."""
    return len(a.split()) == len(b.split())


# One-word names that are also ordinary words in questions.
_COMMON = frozenset({"china", "russia", "iran", "entity", "list", "group", "technology",
                     "commerce", "treasury", "united states", "state", "company"})


# One document version's share of the table: (node id, entity, country, kind, aliases) of each
# chunk that names an entity. Written when the document is ingested, so a new table is a merge
# of small files, never a read of every chunk in the store.
Row = tuple[str, str, str, str, str]
SHARDS = "entity-shards"


def shard_rows(ids: list[str], metas: list[dict]) -> list[Row]:
    return [(i, str(m["entity"]), str(m.get("country", "")), str(m.get("kind", "")),
             str(m.get("aliases", ""))) for i, m in zip(ids, metas) if m.get("entity")]


def _shard_path(cache_dir: Path, doc_id: str, version: str) -> Path:
    return cache_dir / SHARDS / f"{doc_id}.{version}.json"


def save_shard(cache_dir: Path, doc_id: str, version: str, rows: list[Row]) -> None:
    path = _shard_path(cache_dir, doc_id, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(rows))
    tmp.replace(path)


def _shard(store: Store, cache_dir: Path, doc_id: str, entry: dict) -> list[Row]:
    """A document's rows from its shard file, or read from Chroma (and saved) when the file is
    missing or unreadable (a library ingested before shards existed, a deleted cache)."""
    path = _shard_path(cache_dir, doc_id, entry["version"])
    try:
        return [tuple(r) for r in json.loads(path.read_text())]
    except (OSError, ValueError):
        pass
    got = store.documents_chunks({doc_id: entry})
    rows = shard_rows(list(got["ids"]), list(got["metadatas"]))
    save_shard(cache_dir, doc_id, entry["version"], rows)
    return rows


def build_table(store: Store, cache_dir: Path, catalog: dict[str, dict]) -> EntityTable:
    """The table of the ready documents in `catalog`, merged from their shards in catalog order."""
    entities: dict[str, Entity] = {}
    for doc_id, entry in catalog.items():
        for node_id, names, countries, kind, aliases in _shard(store, cache_dir, doc_id, entry):
            for name in names.split(" | "):
                key = normalize(name)
                if not key:
                    continue
                entity = entities.setdefault(key, Entity(name.strip()))
                entity.node_ids.append(node_id)
                for country in countries.split(" | "):
                    if country and country not in entity.countries:
                        entity.countries.append(country)
                if kind in ("record", "table_entry"):
                    for alias in aliases.split(" | "):
                        alias_key = normalize(alias)
                        if alias_key and alias_key not in entities:
                            entities[alias_key] = entity
    keep = {_shard_path(cache_dir, d, e["version"]).name for d, e in catalog.items()}
    for old in (cache_dir / SHARDS).glob("*.json"):
        if old.name not in keep:  # versions replaced or removed since
            old.unlink(missing_ok=True)
    return EntityTable(entities)


def _table_path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"entities-{NORMALIZE_VERSION}-{fingerprint}.json"


def load_entity_table(store: Store, cache_dir: Path, fingerprint: str,
                      catalog: dict[str, dict]) -> EntityTable:
    """The table from its cache file when current, else merged from the shards and cached."""
    path = _table_path(cache_dir, fingerprint)
    if path.exists():
        raw = json.loads(path.read_text())
        by_name = {name: Entity(name, **fields) for name, fields in raw["entities"].items()}
        return EntityTable({k: by_name[name] for k, name in raw["keys"].items()})
    table = build_table(store, cache_dir, catalog)
    unique = {e.name: e for e in table.entities.values()}
    data = {"entities": {n: {"node_ids": e.node_ids, "countries": e.countries} for n, e in unique.items()},
            "keys": {k: e.name for k, e in table.entities.items()}}
    for old in cache_dir.glob("entities-*.json"):
        old.unlink(missing_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)
    return table


def ensure_entity_table(store: Store, cache_dir: Path, fingerprint: str,
                        catalog: dict[str, dict]) -> None:
    """Make the cached table for `fingerprint` if it is not on disk yet (without loading it)."""
    if not _table_path(cache_dir, fingerprint).exists():
        load_entity_table(store, cache_dir, fingerprint, catalog)
