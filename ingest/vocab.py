"""The shared vocabulary of this field's prose: months, numbers written in words, reason cues.

One place for words that several readers need, so that a reader of Federal Register summaries,
a question parser and a metric agree on what "thirty-three (33)" or "Sept." means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
# Month name or abbreviation → month number ("sept" is how some agencies abbreviate September).
MONTHS = {**{m: i for i, m in enumerate(MONTH_NAMES, start=1)},
          **{m[:3]: i for i, m in enumerate(MONTH_NAMES, start=1)}, "sept": 9}
MONTH_PATTERN = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                 r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SMALL = {**{w: i for i, w in enumerate(ONES)}, **{w: 10 * i for i, w in enumerate(TENS) if i >= 2},
          "a": 1, "an": 1, "dozen": 12}
_NUMBER_WORD = "|".join(sorted([*ONES, *TENS[2:], *_SCALES, "dozen"], key=len, reverse=True))
# A run of number words: "twenty-eight", "one hundred and four", "a dozen", "two dozen".
_WORD_RUN = re.compile(
    rf"\b(?:(?:a|an)\s+(?=(?:dozen|hundred|thousand)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))*\b", re.I)
_DIGITS = re.compile(r"(?<![\w.,/-])\d{1,3}(?:,\d{3})+(?![\d,]*\d)|(?<![\w.,/-])\d+(?![\w/-]|[.,]\d)")
# "thirty-three (33)": the digits in brackets restate the words; read them once.
_RESTATED = re.compile(r"\s*\((\d[\d,]*)\)")


def words_to_number(text: str) -> int | None:
    """"twenty-eight" → 28, "one hundred and four" → 104, "a dozen" → 12, "2 million" → None
    (only words; digits are read by `find_numbers`). None when `text` is not a number."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower().strip()) if t and t != "and"]
    if not tokens:
        return None
    total, current, seen = 0, 0, False
    for tok in tokens:
        if tok in _SMALL:
            value = _SMALL[tok]
            current = current * value if tok == "dozen" and current else current + value
            seen = True
        elif tok in _SCALES:
            scale = _SCALES[tok]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


@dataclass(frozen=True)
class Number:
    value: int
    start: int
    end: int
    text: str


def find_numbers(text: str) -> list[Number]:
    """Every whole number written in `text`, in digits ("1,024") or words ("thirty-three"), in
    order. "thirty-three (33)" is one number spanning both forms. Years, citations and other
    non-counts are the caller's business (see `is_count_context`)."""
    found: list[Number] = []
    for m in _WORD_RUN.finditer(text):
        words = m.group(0)
        if words.lower() in ("a", "an"):
            continue
        value = words_to_number(words)
        if value is None:
            continue
        end = m.end()
        restated = _RESTATED.match(text, end)
        if restated and int(restated.group(1).replace(",", "")) == value:
            end = restated.end()
        found.append(Number(value, m.start(), end, text[m.start():end]))
    taken = [(n.start, n.end) for n in found]
    for m in _DIGITS.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        found.append(Number(int(m.group(0).replace(",", "")), m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda n: n.start)


def number_words(n: int) -> str:
    """36 → "thirty-six": how prose writes counts below a hundred; "" above."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    return ""


# Numbers that are not counts: FR citations, document numbers, dates, years, section numbers.
NOT_COUNT = re.compile(
    r"\b\d+ FR \d+|\b\d{4}-\d{2,5}(-\d{2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|§+\s*[\d.()a-z]+|"
    r"\b(19|20)\d{2}\b|\b(?i:no\.|nos\.|part|parts|section|sections|supplement|title|E\.O\.|"
    r"executive order|RIN) \d+|\b" + MONTH_PATTERN + r" \d{1,2}\b")


def is_count(text: str, number: Number) -> bool:
    """False when the number is part of a citation, date, year or section reference."""
    return not any(m.start() <= number.start < m.end() for m in NOT_COUNT.finditer(text))


# Words that introduce the reason for a listing in this field's prose ("for engaging in",
# "contrary to", "on behalf of"): used to pick the reason clause of a sentence, never an entity.
REASON_CUES = re.compile(
    r"\b(because|due to|contrary to|on the basis|based on|reasonable cause|showed|found that|"
    r"determined that|evidence|involved in|in support of|supports?|supporting|role in|acting|"
    r"trade in|traffick\w*|facilitat\w*|enabl\w*|accused|threaten\w*|endanger\w*|divert\w*|"
    r"procur\w*|acquir\w*|on behalf of|contribut\w*|assist\w*|for (its|their|the) \w+|for \w+ing|"
    r"\w+ing (items|technology|spyware|tools) for)\b", re.I)
