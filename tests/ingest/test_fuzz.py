"""Whatever bytes arrive, read_bytes either returns documents or raises IngestError — never
another exception — for every supported suffix."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listlens.ingest.errors import IngestError
from listlens.ingest.readers import SUPPORTED, read_bytes
from tests.ingest.helpers import FIXTURES

REAL = [(path.suffix, path.read_bytes()) for path in sorted(FIXTURES.iterdir())]
SAMPLES = [data for _, data in REAL]
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_ingest_errors(data: bytes, suffix: str) -> None:
    try:
        docs = read_bytes(data, f"fuzz{suffix}")
    except IngestError as exc:
        # read_bytes wraps anything as a last resort; the parsers themselves should only ever
        # fail in the ways they anticipate, so the safety net must not be what caught it.
        assert "parser error" not in exc.reason, exc
        return
    for doc in docs:
        assert doc.text.strip()
        for section in doc.sections or []:
            assert 0 <= section.start <= section.end <= len(doc.text)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(SUPPORTED))
def test_random_bytes(data, suffix):
    only_ingest_errors(data, suffix)


@FUZZ
@given(st.sampled_from(SAMPLES), st.floats(0, 1), st.sampled_from(SUPPORTED))
def test_truncated_real_formats(sample, cut, suffix):
    # Every fixture under every suffix: a CSV read as XML, an FR rule cut mid-table, ...
    only_ingest_errors(sample[: int(len(sample) * cut)], suffix)


@FUZZ
@given(st.sampled_from(REAL), st.binary(min_size=1, max_size=8), st.integers(0, 10**6))
def test_corrupted_real_formats(real, junk, position):
    suffix, sample = real
    at = position % (len(sample) + 1)
    only_ingest_errors(sample[:at] + junk + sample[at:], suffix)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5000), st.sampled_from(SUPPORTED))
def test_deeply_nested_json_and_xml(depth, suffix):
    only_ingest_errors(b"[" * depth + b"]" * depth, suffix)
    only_ingest_errors(b'{"entities": ' * depth + b"[]" + b"}" * depth, suffix)
    only_ingest_errors(b"<RULE><PREAMB>" + b"<P>x" * depth + b"</P>" * depth + b"</PREAMB></RULE>", suffix)
    only_ingest_errors(b"<div>" * depth + b"text", suffix)


def test_odd_but_valid_json_shapes():
    for obj in ({"entities": [1, None, "x"]}, {"fieldKey": {}, "entries": [None, 5]},
                {"document_number": None, "agencies": "x"}, {"results": [{"name": 1, "source": []}]}):
        only_ingest_errors(json.dumps(obj).encode(), ".json")
