"""The Library tab's logic: safe uploads, ingestion with per-file results, delete and re-index.

Uploads are copied into one flat folder under a name we build from the uploaded name's last
component, so a name like `../../etc/passwd` or `C:\\x\\..\\y` cannot write anywhere else. The
folder sits beside the data directory, not inside it: the library never indexes its own data dir.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from listlens.index.errors import DocumentNotFound, IngestError, InvalidInput
from listlens.ingest.readers import SUPPORTED

DOC_COLUMNS = ["title", "type", "published", "nodes", "doc_id", "file"]
RESULT_COLUMNS = ["file", "result", "nodes", "reason"]


def upload_dir_for(data_dir: Path) -> Path:
    data_dir = Path(data_dir).resolve()
    return data_dir.parent / f"{data_dir.name}-uploads"


def safe_name(name: str) -> str:
    """A plain file name from whatever the browser sent: last path component only (either slash),
    letters, digits, dot, dash, underscore and space; no leading dots; at most 120 characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", str(name)))[-1]
    base = re.sub(r"[^\w.\- ]", "_", base, flags=re.ASCII).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[:110] or "upload"
    return f"{stem}.{ext[:10]}" if ext else stem


def stage_upload(src: Path, upload_dir: Path, max_bytes: int) -> Path:
    """Copy one uploaded temp file into the upload folder; raises InvalidInput with the reason."""
    name = safe_name(Path(src).name)
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise InvalidInput(f"unsupported file type '{suffix or '(none)'}'; supported: "
                         f"{', '.join(SUPPORTED)}")
    size = Path(src).stat().st_size
    if size > max_bytes:
        raise InvalidInput(f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB upload limit")
    upload_dir.mkdir(parents=True, exist_ok=True)
    dest = (upload_dir / name).resolve()
    if dest.parent != upload_dir.resolve():  # belt and braces: safe_name already forbids this
        raise InvalidInput("the file name points outside the upload folder")
    shutil.copyfile(src, dest)
    return dest


def ingest_uploads(library, files: list[str], upload_dir: Path, max_bytes: int,
                   progress: Callable[[float, str], None] | None = None) -> list[list[Any]]:
    """Ingest each uploaded file on its own, so each gets its own row: added, replaced,
    unchanged or failed with the reason. One bad file never stops the others."""
    rows: list[list[Any]] = []
    total = max(1, len(files))
    for i, tmp in enumerate(files):
        shown = safe_name(Path(tmp).name)
        if progress:
            progress(i / total, f"{shown} ({i + 1}/{total})")
        try:
            path = stage_upload(Path(tmp), upload_dir, max_bytes)
        except (InvalidInput, OSError) as exc:
            rows.append([shown, "failed", 0, str(exc)])
            continue

        def nodes_done(_source: str, done: int, of: int, i: int = i) -> None:
            if progress:
                progress((i + done / max(1, of)) / total, f"{shown}: {done:,}/{of:,} nodes")

        report = library.ingest([path], progress=nodes_done)
        if report.failures:
            rows.append([shown, "failed", 0, "; ".join(r for _, r in report.failures)])
        else:
            result = ("added" if report.added else "replaced" if report.replaced else "unchanged")
            rows.append([shown, result, report.nodes, ""])
    if progress:
        progress(1.0, "done")
    return rows


def document_rows(docs: list[dict]) -> list[list[Any]]:
    return [[d.get("title", ""), d.get("doc_type", ""), d.get("published") or "",
             d.get("nodes", 0), d["doc_id"], Path(str(d.get("source", ""))).name] for d in docs]


def document_choices(docs: list[dict]) -> list[tuple[str, str]]:
    return [(f"{(d.get('title') or d['doc_id'])[:80]} — {d['doc_id']}", d["doc_id"]) for d in docs]


def reindex(library, doc_id: str) -> str:
    """Read a document again from its source file, even if unchanged (e.g. after a parser fix)."""
    doc = next((d for d in library.documents() if d["doc_id"] == doc_id), None)
    if doc is None:
        raise DocumentNotFound("That document is no longer in the library.")
    source = Path(str(doc.get("source", "")))
    if not source.is_file():
        raise DocumentNotFound(f"Its source file {source} is gone; delete it or upload it again.")
    library.remove(doc_id)
    report = library.ingest([source])
    if report.failures:
        raise IngestError(str(source), "; ".join(r for _, r in report.failures))
    return f"Re-indexed {doc.get('title') or doc_id}: {report.nodes:,} nodes."
