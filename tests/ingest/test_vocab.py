"""Numbers as this field's prose writes them: digits, words of any size, both at once."""

from listlens.ingest.vocab import find_numbers, is_count, number_words, words_to_number


def values(text):
    return [n.value for n in find_numbers(text) if is_count(text, n)]


def test_hyphenated_and_spaced_words_of_any_size():
    assert words_to_number("twenty-eight") == 28
    assert words_to_number("twenty eight") == 28
    assert words_to_number("one hundred and four") == 104
    assert words_to_number("seven hundred thousand") == 700_000
    assert words_to_number("two dozen") == 24
    assert words_to_number("entities") is None


def test_words_restated_in_digits_are_one_number():
    text = "The rule names thirty-three (33) persons under 41 entries."
    found = find_numbers(text)
    assert [(n.value, n.text) for n in found] == [(33, "thirty-three (33)"), (41, "41")]


def test_counts_in_several_wordings():
    assert values("BIS is adding forty-one entities to the list.") == [41]
    assert values("This final rule adds 41 entities.") == [41]
    assert values("a dozen firms were added") == [12]
    assert values("In all, 1,024 addresses were revised.") == [1024]


def test_citations_dates_and_sections_are_not_counts():
    text = "See 86 FR 60760 of November 4, 2021, and § 744.11, part 744, FR Doc. 2021-24123."
    assert values(text) == []


def test_number_words_round_trip_below_a_hundred():
    for n in (0, 7, 13, 20, 36, 99):
        assert words_to_number(number_words(n)) == n
    assert number_words(250) == ""
