"""Country codes, ISO names and the lists' own spellings resolve to one readable name."""

import pytest

from listlens.ingest.countries import country_name


@pytest.mark.parametrize(("value", "expected"), [
    ("RU", "Russia"), ("ru", "Russia"), ("RUS", "Russia"), ("CN", "China"), ("GB", "United Kingdom"),
    ("UK", "United Kingdom"), ("XK", "Kosovo"), ("IR", "Iran"), ("KP", "North Korea"),
    ("Russian Federation", "Russia"), ("Myanmar", "Burma"), ("Türkiye", "Turkey"),
    ("Iran, Islamic Republic of", "Iran"), ("Viet Nam", "Vietnam"), ("Korea, Republic of", "South Korea"),
    ("CHINA, PEOPLE'S REPUBLIC OF", "China"), ("KOREA, NORTH", "North Korea"), ("BURMA", "Burma"),
    ("RUSSIA", "Russia"), ("UNITED ARAB EMIRATES", "United Arab Emirates"), ("MAN, ISLE OF", "Isle of Man"),
    ("Hong Kong", "Hong Kong"), ("  Singapore. ", "Singapore"),
])
def test_codes_names_and_list_spellings_resolve(value, expected):
    assert country_name(value) == expected


def test_list_spellings_are_kept_as_the_lists_write_them():
    for name in ("Burma", "Russia", "Turkey", "Macau", "British Virgin Islands", "South Korea"):
        assert country_name(name) == name


def test_what_is_not_a_country_is_kept():
    assert country_name("CRIMEA REGION OF UKRAINE") == "Crimea Region of Ukraine"  # a heading
    assert country_name("Region: Crimea") == "Region: Crimea"
    assert country_name("NM") == "NM"  # no country has this code
    assert country_name("") == ""


def test_the_list_of_country_names_uses_the_same_spellings():
    from listlens.ingest.countries import COUNTRY_NAMES
    assert {"Burma", "Russia", "Turkey", "South Korea", "Kosovo", "China"} <= set(COUNTRY_NAMES)
    assert not {"Myanmar", "Russian Federation", "Türkiye"} & set(COUNTRY_NAMES)
