"""Bad input: questions that are empty, huge, in other scripts or full of control characters,
and reader input the fuzzing in tests/ingest/test_fuzz.py does not cover (huge lines, zero-width
and control characters in text, wrong extensions). Always a clear error or an answer."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listlens.index.errors import EmptyQuestion, ListLensError
from listlens.ingest.errors import IngestError
from listlens.ingest.readers import SUPPORTED, read_bytes
from tests.conftest import run_cli
from tests.reliability.helpers import FULL

EXAMPLES = 200 if FULL else 25

QUESTIONS = {
    "chinese": "为什么NSO集团被列入实体清单？",
    "arabic": "لماذا أضيفت مجموعة NSO إلى قائمة الكيانات؟",
    "cyrillic": "Почему NSO Group добавили в Entity List?",
    "mixed scripts + emoji": "NSO Group 🚫 实体清单 قائمة Список — why?",
    "control chars": "Why\x01 was\x07 NSO\x1b[31m Group\x7f added\x0b to the\x0c Entity List?",
    "nul bytes": "Why was\x00 NSO Group\x00 added?",
    "zero-width": "Why\u200b was\u200d NSO\u2060 Group\ufeff added\u200e to the Entity List?",
    "bidi override": "\u202eWhy was NSO Group added?\u202c",
    "lone surrogate": "Why was NSO Group added?\ud800",
    "combining marks": "W\u0301\u0302\u0303hy was NSO Group added?" + "\u0300" * 500,
    "only punctuation": "?!?!…",
}
EMPTY = ["", " ", "\n\t\r", "\x00\x01\x02", "\u200b\u200b", "\ufeff"]


@pytest.mark.parametrize("name", QUESTIONS)
def test_odd_questions_are_answered_or_refused(sample_library, name):
    answer = sample_library.ask(QUESTIONS[name])
    assert answer.text.strip()
    assert answer.refused or answer.citations
    for c in answer.citations:  # whatever was asked, every citation is a real span
        assert c.text and c.start < c.end


@pytest.mark.parametrize("question", EMPTY, ids=repr)
def test_empty_questions_get_a_clear_error(sample_library, question):
    with pytest.raises(EmptyQuestion):
        sample_library.ask(question)


def test_a_10000_character_question_gets_a_clear_error(sample_library):
    with pytest.raises(ListLensError, match="limit"):
        sample_library.ask("Why was NSO Group added to the Entity List? " * 230)  # ~10,000
    with pytest.raises(ListLensError):
        sample_library.ask(None)  # not text at all (an API caller's mistake)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(min_size=0, max_size=300))
def test_any_text_as_a_question(sample_library, question):
    try:
        answer = sample_library.ask(question)
    except ListLensError:
        return  # empty, too long: the clear errors
    assert answer.text.strip()


def test_cli_odd_questions(sample_library):
    data = str(sample_library.config.data_dir)
    empty = run_cli("ask", " \t", "--data-dir", data)
    assert empty.returncode == 1 and "Traceback" not in empty.stderr
    assert empty.stderr.strip().splitlines() == ["error: The question is empty: type what you want to know."]
    huge = run_cli("ask", "x" * 10_000, "--data-dir", data)
    assert huge.returncode == 1 and "Traceback" not in huge.stderr
    assert huge.stderr.strip().startswith("error: The question is 10,000 characters long")
    odd = run_cli("ask", QUESTIONS["chinese"] + QUESTIONS["control chars"] + QUESTIONS["zero-width"],
                  "--data-dir", data, "--json")
    assert odd.returncode == 0 and "Traceback" not in odd.stderr, odd.stderr


# --- readers: what test_fuzz.py does not cover --------------------------------------------


def readable_or_ingest_error(data: bytes, name: str) -> None:
    try:
        docs = read_bytes(data, name)
    except IngestError as exc:
        assert "parser error" not in exc.reason, exc  # an anticipated failure, not the net
        return
    for doc in docs:
        assert doc.text.strip()


ODD_CHARS = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\x00",
                             "\x01", "\x1b", "\x7f", "\r", "\x0b", "\x0c", "\u2028", "\u2029",
                             "\ud7ff", "\U0001f6ab", "<", "&", "\"", ",", "{", "]", "#", "---"])
ODD_TEXT = st.lists(st.one_of(ODD_CHARS, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(ODD_TEXT, st.sampled_from(SUPPORTED), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_zero_width_and_control_characters(text, suffix, encoding):
    readable_or_ingest_error(text.encode(encoding, errors="replace"), f"odd{suffix}")


HUGE = 2_000_000 if not FULL else 8_000_000
HUGE_LINES = {
    ".txt": lambda n: b"Entity List " * (n // 12),
    ".md": lambda n: b"# T\n\n" + b"word " * (n // 5),
    ".html": lambda n: b"<html><body><p>" + b"a" * n + b"</p></body></html>",
    ".htm": lambda n: b"<p>" + b"<b>x</b>" * (n // 8),
    ".xml": lambda n: b"<RULE><PREAMB><P>" + b"y" * n + b"</P></PREAMB></RULE>",
    ".json": lambda n: b'{"entities": [{"name": "' + b"z" * n + b'"}]}',
    ".csv": lambda n: b"name,country\n" + b"q" * n + b",Utopia\n",
    ".markdown": lambda n: b"---\ntitle: " + b"t" * n + b"\n---\nbody",
    ".pdf": lambda n: b"%PDF-1.4\n" + b"0" * n,
}


@pytest.mark.parametrize("suffix", sorted(HUGE_LINES))
def test_one_huge_line(suffix):
    assert set(HUGE_LINES) == set(SUPPORTED)
    started = time.monotonic()
    readable_or_ingest_error(HUGE_LINES[suffix](HUGE), f"huge{suffix}")
    print(f"{suffix}: {HUGE:,}-byte line read in {time.monotonic() - started:.1f} s")


def test_wrong_and_missing_extensions_in_an_ingest(library, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text("Acme Widgets of Utopia was added to the Entity List in 2031.")
    odd = {"tool.exe": b"MZ\x90\x00", "report.docx": b"PK\x03\x04", "README": b"plain text, no suffix",
           "list.json.bak": b"{}", "image.png": b"\x89PNG\r\n", "UPPER.TXT": b"Upper case suffix works.",
           "page.html.txt": b"<html><script>x</script>Some text here.</html>",
           "rule.xml": b"%PDF-1.4 not xml at all", "data.csv": b"\xff\xfe\x00\x00garbage"}
    for name, data in odd.items():
        (corpus / name).write_bytes(data)
    report = library.ingest([corpus])
    failed = {f.rsplit("/", 1)[-1]: reason for f, reason in report.failures}
    for name in ("tool.exe", "report.docx", "README", "list.json.bak", "image.png"):
        assert "unsupported file type" in failed[name]
    assert report.files == len(odd) + 1
    assert report.added + len(failed) == report.files  # every file either added or explained
    assert "notes.txt" not in failed and "UPPER.TXT" not in failed
