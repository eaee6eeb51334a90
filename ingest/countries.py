"""Country names: ISO-3166 codes (the screening list's address countries), ISO names and the
upper-case destination headings of the Entity List, mapped to one readable spelling.

pycountry knows the codes and the ISO names; where the US lists spell a country their own way
("Burma", "Russia", "Turkey", not "Myanmar", "Russian Federation", "Türkiye"), the list's
spelling is kept, so a country reads the same in a rule, a list record and an answer.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

# The lists' spelling where it differs from ISO's name (or where ISO has no code: Kosovo,
# the former Netherlands Antilles).
_LIST_SPELLING = {"AN": "Netherlands Antilles", "BN": "Brunei", "CD": "Congo, Democratic Republic of the",
                  "CI": "Cote d'Ivoire", "MM": "Burma", "MO": "Macau", "PS": "Palestinian Territories",
                  "RU": "Russia", "TR": "Turkey", "VG": "British Virgin Islands", "XK": "Kosovo",
                  "FM": "Micronesia", "VI": "U.S. Virgin Islands", "VA": "Holy See"}
# Other ways the lists write a country: code or name -> ISO alpha-2.
_ALIASES = {"UK": "GB", "PRC": "CN", "CHINA, PEOPLE'S REPUBLIC OF": "CN", "TURKIYE": "TR",
            "MAN, ISLE OF": "IM", "KOREA, NORTH": "KP", "KOREA, SOUTH": "KR", "BURMA": "MM",
            "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF": "KP", "KOREA, REPUBLIC OF": "KR",
            "THE NETHERLANDS": "NL", "MACAU": "MO", "KOSOVO": "XK", "NETHERLANDS ANTILLES": "AN"}
_SMALL = {"of", "and", "the"}


def _spelling(code: str) -> str | None:
    if code in _LIST_SPELLING:
        return _LIST_SPELLING[code]
    country = pycountry.countries.get(alpha_2=code)
    return (getattr(country, "common_name", None) or country.name) if country else None


# Every country's name as `country_name` spells it (for finding countries named in text).
COUNTRY_NAMES = tuple(sorted({_spelling(c.alpha_2) for c in pycountry.countries}
                             | set(_LIST_SPELLING.values())))


@lru_cache(maxsize=4096)  # a list repeats a few hundred spellings over thousands of records
def country_name(value: str) -> str:
    """'RU' -> 'Russia', 'RUS' -> 'Russia', "CHINA, PEOPLE'S REPUBLIC OF" -> 'China',
    'Russian Federation' -> 'Russia', 'RUSSIA' -> 'Russia'. Anything else (a region) is kept,
    an upper-case heading in title case, an unknown two-letter code as it is."""
    value = " ".join(str(value).split()).strip(" .,;")
    if not value:
        return ""
    upper = value.upper()
    code = _ALIASES.get(upper)
    if code is None and len(value) == 2 and value.isalpha():
        code = upper
    elif code is None and len(value) == 3 and value.isupper():  # an alpha-3 code: 'RUS'
        found = pycountry.countries.get(alpha_3=value)
        code = found.alpha_2 if found else None
    if code is None and len(value) > 3:
        try:
            code = pycountry.countries.lookup(value).alpha_2
        except LookupError:
            code = None
    if code and (name := _spelling(code)):
        return name
    if len(value) == 2:  # a code no country has (a US state, 'NM', leaks into some records)
        return value
    if value.isupper() and not upper.startswith("REGION:"):
        words = value.lower().split(" ")
        return " ".join(w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))
    return value
