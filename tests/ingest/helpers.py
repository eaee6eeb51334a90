"""Shared paths and small helpers for the ingest tests."""

import os
from pathlib import Path

import pytest

from listlens.ingest.readers import read_path
from listlens.ingest.types import ParsedDocument

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
# The shared evaluation corpus sits next to the project checkout (../shared/corpus); a checkout
# elsewhere (a worktree) names it with LISTLENS_SHARED_CORPUS.
CORPUS = Path(os.environ.get("LISTLENS_SHARED_CORPUS") or
              Path(__file__).parents[2] / ".." / "shared" / "corpus") / "raw"
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")


def read_one(path: Path) -> ParsedDocument:
    docs = read_path(path)
    assert len(docs) == 1
    return docs[0]


def spans(doc: ParsedDocument, kind: str) -> list[tuple[str, dict]]:
    """(text, metadata) of every section of `kind`."""
    return [(doc.text[s.start:s.end], s.metadata) for s in doc.sections or [] if s.kind == kind]


