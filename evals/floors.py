"""Quality floors: the figures a gold set must keep reaching, recorded in `evals/floors.json`.

Each gold set names its file and corpus (relative to the repo root), the configurations to run
(`compare`) and, per configuration, `min` values (accuracy-like metrics) and `max` values
(false-answer rate); `measured` records what the floors were set from. `scope` says which
items the floors judge: `overall` (the default) or `check`, the check half of the tune/check
split (`evals/split.py`), for sets others tune on. Raise them as the
system improves; never lower one without saying why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FLOORS_FILE = Path(__file__).with_name("floors.json")


def load_floors(path: Path = FLOORS_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def check_floors(metrics: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Every breach of one gold set's floors, as readable lines; empty when all hold."""
    breaches = []
    scope = floors.get("scope", "overall")
    for label, bounds in floors["configs"].items():
        if label not in metrics["results"]:
            breaches.append(f"{label}: not run")
            continue
        result = metrics["results"][label]
        overall = result["overall"] if scope == "overall" else result["by_split"].get(scope, {})
        for name, floor in bounds.get("min", {}).items():
            value = overall.get(name)
            if value is None or value < floor:
                breaches.append(f"{label}: {name} = {value} ({scope}), below the floor {floor}")
        for name, ceiling in bounds.get("max", {}).items():
            value = overall.get(name)
            if value is None or value > ceiling:
                breaches.append(f"{label}: {name} = {value} ({scope}), above the ceiling {ceiling}")
    return breaches
