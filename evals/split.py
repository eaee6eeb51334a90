"""The tune/check split of a gold set: tune on one half, judge on the other.

Honest tuning needs questions nobody tuned on. Every gold set is split the same way, with a
fixed seed, so the halves never change between runs or machines:
- items are grouped by their kind (the question kind; a set without kinds is one group);
- within a group, ids are sorted, then shuffled with `random.Random(SEED)` (a fresh generator
  per group, so adding a kind never reshuffles the others);
- the first half of each group (rounded up) is `tune`, the rest `check`.

A gold item that names its own `split` (the summary gold marks it in the file) keeps it.
Engineers tune only on the tune half (and on generated sets); CI floors are set on the check
half; a gap between the halves larger than GAP_FINDING is reported as a finding.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable

from listlens.index.errors import InvalidInput

SEED = 20261202
TUNE, CHECK = "tune", "check"
SPLITS = (TUNE, CHECK)
GAP_FINDING = 0.05  # a tune-minus-check difference above this is worth explaining


def split_ids(items: Iterable[tuple[str, str]], seed: int = SEED) -> dict[str, str]:
    """{id: "tune" | "check"} for (id, kind) pairs; see the module docstring for the rule."""
    groups: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for item_id, kind in items:
        if item_id in seen:
            raise InvalidInput(f"the gold id '{item_id}' appears more than once")
        seen.add(item_id)
        groups[kind or ""].append(item_id)
    halves: dict[str, str] = {}
    for kind in sorted(groups):
        ids = sorted(groups[kind])
        random.Random(seed).shuffle(ids)
        n_tune = math.ceil(len(ids) / 2)
        halves.update({i: TUNE for i in ids[:n_tune]})
        halves.update({i: CHECK for i in ids[n_tune:]})
    return halves


def assign_splits(items: list, seed: int = SEED) -> dict[str, str]:
    """{id: split} for gold items (anything with `id`, `kind` and an optional `split`): an
    item's own split where it names one, else the seeded split of the others."""
    fixed = {it.id: it.split for it in items if getattr(it, "split", "")}
    bad = {s for s in fixed.values() if s not in SPLITS}
    if bad:
        raise InvalidInput(f"unknown split {', '.join(sorted(bad))}; use {' or '.join(SPLITS)}")
    rest = split_ids(((it.id, it.kind) for it in items if it.id not in fixed), seed)
    return {**rest, **fixed}
