"""Country names: ISO-3166 codes (the screening list's address countries), ISO names and the
upper-case destination headings of the Entity List, mapped to one readable spelling.

pycountry knows the codes and the ISO names; where the US lists spell a country their own way
("Burma", "Russia", "Turkey", not "Myanmar", "Russian Federation", "Türkiye"), the list's
spelling is kept, so a country reads the same in a rule, a list record and an answer.
"""

from __future__ import annotations

import re
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


# Adjectives of nationality as news and press releases write them ("Israeli firm", "Chinese
# entities"), to the country they name.
NATIONALITIES = {
    "afghan": "Afghanistan", "armenian": "Armenia", "belarusian": "Belarus", "british": "United Kingdom",
    "burmese": "Burma", "canadian": "Canada", "chinese": "China", "cypriot": "Cyprus", "dutch": "Netherlands",
    "egyptian": "Egypt", "emirati": "United Arab Emirates", "estonian": "Estonia", "french": "France",
    "georgian": "Georgia", "german": "Germany", "indian": "India", "iranian": "Iran", "iraqi": "Iraq",
    "israeli": "Israel", "italian": "Italy", "japanese": "Japan", "kazakh": "Kazakhstan",
    "kyrgyz": "Kyrgyzstan", "latvian": "Latvia", "lebanese": "Lebanon", "lithuanian": "Lithuania",
    "malaysian": "Malaysia", "north korean": "North Korea", "pakistani": "Pakistan", "russian": "Russia",
    "saudi": "Saudi Arabia", "serbian": "Serbia", "singaporean": "Singapore", "south korean": "South Korea",
    "spanish": "Spain", "swiss": "Switzerland", "syrian": "Syria", "taiwanese": "Taiwan", "thai": "Thailand",
    "turkish": "Turkey", "ukrainian": "Ukraine", "uzbek": "Uzbekistan", "venezuelan": "Venezuela",
    "vietnamese": "Vietnam", "yemeni": "Yemen",
}
_PROSE = ("Iran", "Syria", "North Korea", "South Korea", "Taiwan", "Vietnam", "Russia", "Venezuela",
          "Bolivia", "Laos", "Moldova", "Tanzania", "Czechia", "United States", "United Kingdom", "Hong Kong",
          "Macau", "Burma", "Turkey", "Kosovo", "Brunei", "Palestinian Territories")
_SPELLINGS = {name: name for name in (*COUNTRY_NAMES, *_PROSE) if "," not in name} | {
    "PRC": "China", "People's Republic of China": "China", "Mainland China": "China",
    "Republic of Korea": "South Korea", "Korea": "South Korea", "Czech Republic": "Czechia",
    "UAE": "United Arab Emirates", "U.A.E.": "United Arab Emirates", "Türkiye": "Turkey",
    "Myanmar": "Burma", "Hong Kong SAR": "Hong Kong", "the United Kingdom": "United Kingdom",
    "Crimea": "Ukraine"}
# Any country as written in prose, longest spellings first ("Saint Vincent and the Grenadines").
COUNTRY_PATTERN = "(?:" + "|".join(re.escape(s) for s in sorted(_SPELLINGS, key=len, reverse=True)) + r")(?![\w-])"
_COUNTRY_RE = re.compile(r"(?<![\w-])" + COUNTRY_PATTERN)


def country_of(text: str) -> str:
    """The first country a text names ("Pakistan’s", "(all China)", "registered in Latvia"), in
    the project's spelling; "" when it names none."""
    m = _COUNTRY_RE.search(text)
    return _SPELLINGS[m.group()] if m else ""


def is_country(text: str) -> bool:
    """Is `text` nothing but a country or a nationality ("Singapore", "the Netherlands", "Israeli")?"""
    value = text.strip(" .,;:()").removeprefix("the ").strip()
    return value in _SPELLINGS or value.lower() in NATIONALITIES or value.upper() in _ALIASES or (
        value.endswith("s") and value[:-1].lower() in NATIONALITIES)  # "Ukrainians"
