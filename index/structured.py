"""Questions the list records answer exactly, by counting rather than reading.

"How many entities in Pakistan did 86 FR 67319 add?" is a query over records, not a passage to
find: every list record that cites that Federal Register page (and names the country, when the
question names one) is counted once per entity, and each counted record is cited.
"""

from __future__ import annotations

import re

from index.answer import cite
from index.cite import Evidence
from index.entities import normalize
from index.store import Store
from index.types import Answer, AnswerSentence, Passage

FR_CITATION = re.compile(r"\b(\d{1,3})\s*FR\s*(\d{2,6})\b")
_HOW_MANY = re.compile(r"\bhow many\b", re.I)
MAX_CITED = 40


def count_by_citation(question: str, store: Store, versions: dict[str, str]) -> Answer | None:
    """The count answer, or None when the question is not a count over one FR citation."""
    match = FR_CITATION.search(question)
    if not (_HOW_MANY.search(question) and match):
        return None
    citation = f"{match[1]} FR {match[2]}"
    records = [(i, t, m) for i, t, m in zip(*store.records_containing(citation))
               if versions.get(m.get("doc_id")) == m.get("version")
               and re.search(rf"\b{re.escape(citation)}\b", str(m.get("fr_citation", t)))]
    if not records:
        return None
    countries = {c for _, _, m in records for c in str(m.get("country", "")).split(" | ") if c}
    named = [c for c in countries if re.search(rf"\b{re.escape(c)}\b", question, re.I)]
    if named:
        records = [r for r in records if set(str(r[2].get("country", "")).split(" | ")) & set(named)]
    unique: dict[str, tuple] = {}
    for record in records:  # the same entity may sit on several lists (Entity List and CSL)
        unique.setdefault(normalize(str(record[2].get("entity", record[1]))), record)
    chosen = list(unique.values())
    where = f" under {' / '.join(sorted(named))}" if named else ""
    names = "; ".join(str(m.get("entity", "")) for _, _, m in chosen)
    evidence = [Evidence(Passage(i, t, 1.0, m), int(m.get("start", 0)), int(m.get("end", 0)), t, 1.0)
                for i, t, m in chosen[:MAX_CITED]]
    citations = cite(evidence)
    text = (f"The list records name {len(chosen)} entities{where} with the citation {citation}: "
            f"{names}.")
    sentence = AnswerSentence(text, [c.n for c in citations])
    return Answer(question, text + "".join(f" [{c.n}]" for c in citations), False, citations,
                  [sentence], [], "records")
