"""Gold sets: loading them, and matching their evidence files to the sources the library holds.

A gold item is one JSON line: `id, question, answer, answer_aliases, kind, evidence[{file,
quote}], notes`, and optionally `template` (which generator template wrote it, see
`evals/generate.py`) and `split` (tune or check; by default `evals/split.py` assigns it). Evidence paths are written relative to some root the gold file does not name:
the dev set writes `shared/corpus/raw/...` (resolve against the folder holding `shared/`), the
project's sample set writes `app/sample_corpus/...` (relative to the repo root). Ingested sources
are resolved absolute paths, so `resolve_evidence` tries the likely roots and, failing those,
`same_file` falls back to comparing path suffixes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from listlens.index.errors import InvalidInput

KINDS = ("why_listed", "when_listed", "who_listed", "what_rule", "summary_fact", "count",
         "unanswerable")


@dataclass
class Evidence:
    file: str  # as written in the gold set, then resolved when a root is found
    quote: str


@dataclass
class GoldItem:
    id: str
    question: str
    answer: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    notes: str = ""
    template: str = ""
    split: str = ""

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


def read_jsonl(path: Path):
    """(line number, object) for each non-blank line of a JSONL file; a broken line is refused
    with its number."""
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{n}: not JSON ({exc.msg})") from exc


def load_gold(path: Path, corpus: Path | None = None) -> list[GoldItem]:
    """Every item of a gold JSONL file, evidence paths resolved where the file can be found."""
    items = []
    roots = candidate_roots(path, corpus)
    for n, row in read_jsonl(path):
        missing = {"id", "question", "answer", "kind"} - row.keys()
        if missing:
            raise InvalidInput(f"{path}:{n}: missing {', '.join(sorted(missing))}")
        evidence = [Evidence(resolve_evidence(e["file"], roots), e["quote"])
                    for e in row.get("evidence") or []]
        items.append(GoldItem(str(row["id"]), row["question"], str(row["answer"]), row["kind"],
                              list(row.get("answer_aliases") or []), evidence,
                              row.get("notes") or "", row.get("template") or "",
                              row.get("split") or ""))
    return items


def candidate_roots(gold: Path, corpus: Path | None) -> list[Path]:
    """Folders a relative evidence path may be relative to: every ancestor of the gold file and
    of the corpus (this covers both `shared/...` and `app/sample_corpus/...`), then the cwd."""
    roots: list[Path] = []
    for start in (Path(gold).resolve(), *( [Path(corpus).resolve()] if corpus else [])):
        roots.extend(p for p in start.parents if p not in roots)
    roots.append(Path.cwd())
    return roots


def resolve_evidence(file: str, roots: list[Path]) -> str:
    """The absolute path of an evidence file if it exists under one of `roots`, else as given."""
    if Path(file).is_absolute():
        return file
    for root in roots:
        candidate = root / file
        if candidate.exists():
            return str(candidate.resolve())
    return file


def same_file(gold_file: str, source: str) -> bool:
    """Whether a gold evidence file is the ingested `source`: equal paths, or, when the gold path
    could not be resolved, one path ending with the other's trailing components."""
    if not gold_file or not source:
        return False
    if gold_file == source:
        return True
    g, s = Path(gold_file).parts, Path(source).parts
    n = min(len(g), len(s), max(2, len(g) - 1))  # at least folder + name must agree
    return n > 0 and g[-n:] == s[-n:]


def corpus_collection(corpus: Path) -> str:
    """The Chroma collection an eval run indexes `corpus` into: one per corpus folder, so a run
    reuses what the previous one indexed and never touches the user's library."""
    return f"eval_{hashlib.sha1(str(Path(corpus).resolve()).encode()).hexdigest()[:12]}"
