"""Country names: ISO-3166 alpha-2 codes (the screening list's address countries) and the
upper-case destination headings of the Entity List, mapped to one readable spelling."""

from __future__ import annotations

import re

_ISO2 = dict(line.split(" ", 1) for line in """\
AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania
AM Armenia|AN Netherlands Antilles|AO Angola|AR Argentina|AT Austria|AU Australia|AW Aruba
AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium|BF Burkina Faso
BG Bulgaria|BH Bahrain|BI Burundi|BJ Benin|BM Bermuda|BN Brunei|BO Bolivia|BR Brazil|BS Bahamas
BT Bhutan|BW Botswana|BY Belarus|BZ Belize|CA Canada|CD Congo, Democratic Republic of the
CF Central African Republic|CG Congo|CH Switzerland|CI Cote d'Ivoire|CL Chile|CM Cameroon
CN China|CO Colombia|CR Costa Rica|CU Cuba|CV Cabo Verde|CY Cyprus|CZ Czechia|DE Germany
DJ Djibouti|DK Denmark|DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia
EG Egypt|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji|FR France|GA Gabon
GB United Kingdom|GE Georgia|GG Guernsey|GH Ghana|GI Gibraltar|GM Gambia|GN Guinea
GQ Equatorial Guinea|GR Greece|GT Guatemala|GY Guyana|HK Hong Kong|HN Honduras|HR Croatia
HT Haiti|HU Hungary|ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|IQ Iraq|IR Iran
IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia
KM Comoros|KN Saint Kitts and Nevis|KP North Korea|KR South Korea|KW Kuwait|KY Cayman Islands
KZ Kazakhstan|LA Laos|LB Lebanon|LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho
LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|MA Morocco|MC Monaco|MD Moldova|ME Montenegro
MG Madagascar|MH Marshall Islands|MK North Macedonia|ML Mali|MM Burma|MN Mongolia|MO Macau
MR Mauritania|MT Malta|MU Mauritius|MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique
NA Namibia|NE Niger|NG Nigeria|NI Nicaragua|NL Netherlands|NM Northern Mariana Islands|NO Norway
NP Nepal|NZ New Zealand|OM Oman|PA Panama|PE Peru|PG Papua New Guinea|PH Philippines
PK Pakistan|PL Poland|PS Palestinian Territories|PT Portugal|PW Palau|PY Paraguay|QA Qatar
RO Romania|RS Serbia|RU Russia|RW Rwanda|SA Saudi Arabia|SC Seychelles|SD Sudan|SE Sweden
SG Singapore|SI Slovenia|SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|SO Somalia
SR Suriname|SS South Sudan|SV El Salvador|SY Syria|TH Thailand|TJ Tajikistan|TM Turkmenistan
TN Tunisia|TR Turkey|TT Trinidad and Tobago|TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda
UK United Kingdom|US United States|UY Uruguay|UZ Uzbekistan|VC Saint Vincent and the Grenadines
VE Venezuela|VG British Virgin Islands|VN Vietnam|VU Vanuatu|WS Samoa|XK Kosovo|YE Yemen
ZA South Africa|ZM Zambia|ZW Zimbabwe""".replace("\n", "|").split("|"))

# Spellings that name a country another way than the one we keep.
_ALIASES = {"CHINA, PEOPLE'S REPUBLIC OF": "China", "PRC": "China", "MACAU": "Macau",
            "TURKIYE": "Turkey", "MAN, ISLE OF": "Isle of Man", "KOREA, NORTH": "North Korea",
            "KOREA, SOUTH": "South Korea", "KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF": "North Korea",
            "KOREA, REPUBLIC OF": "South Korea", "THE NETHERLANDS": "Netherlands"}
_SMALL = {"of", "and", "the"}


def country_name(value: str) -> str:
    """'RU' -> 'Russia', "CHINA, PEOPLE'S REPUBLIC OF" -> 'China', 'RUSSIA' -> 'Russia'."""
    value = " ".join(str(value).split()).strip(" .,;")
    if not value:
        return ""
    upper = value.upper()
    if len(value) == 2 and upper in _ISO2:
        return _ISO2[upper]
    if upper in _ALIASES:
        return _ALIASES[upper]
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
_SPELLINGS = {name: name for name in _ISO2.values() if "," not in name} | {
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
