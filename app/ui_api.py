"""Named API endpoints (`/ask`, `/summarize`, `/ingest`) for gradio_client, and the backend check.

The endpoints return plain JSON-ready dicts, separate from the chat events, so a script never
has to unpick chat history or HTML.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from listlens.app.ui_ask import make_filters
from listlens.app.ui_evaluate import entity_rows, run_summary
from listlens.app.ui_library import ingest_uploads
from listlens.app.ui_render import esc, notice_html


def register(gr, library, upload_dir: Path, max_bytes: int) -> None:
    """Add the API endpoints to the Blocks being built (call inside `with gr.Blocks()`)."""

    def ask(question: str, since: str = "", until: str = "", doc_type: str = "",
            source: str = "", country: str = "", backend: str = "") -> dict:
        """Answer a question from the library. Returns answer, refused, citations (file, title,
        published, start, end, text, …), markdown (with footnotes), backend, latency_s, notice."""
        filters = make_filters(since, until, doc_type, source, country)
        answer = library.ask(question, filters=filters or None, backend=backend or None)
        data = answer.to_dict()
        data.pop("retrieved", None)  # passages the answer did not use; the CLI's --json has them
        data["markdown"] = answer.to_markdown()
        return data

    def summarize(doc_ids: str = "", since: str = "", until: str = "", source: str = "") -> dict:
        """Summarize documents (comma-separated ids; empty = all) or a date range: headline,
        entity table, cited narrative."""
        ids = [d.strip() for d in doc_ids.split(",") if d.strip()]
        data, markdown, _ = run_summary(library, ids, since, until, source, None)
        headers, rows = entity_rows(data)
        return {**data, "markdown": markdown, "table": {"headers": headers, "rows": rows}}

    # Two asks at once: one per core; the 2-core machine gains nothing from more.
    gr.api(ask, api_name="ask", concurrency_limit=2, concurrency_id="ask")
    gr.api(summarize, api_name="summarize")

    # Files need a File component to arrive through gradio's upload path (size and type limits
    # apply); hidden components keep this endpoint out of the page.
    files = gr.File(file_count="multiple", visible=False)
    report = gr.JSON(visible=False)
    button = gr.Button(visible=False)

    def ingest(paths: list[str] | None) -> dict:
        rows = ingest_uploads(library, list(paths or []), upload_dir, max_bytes)
        return {"files": [dict(zip(("file", "result", "nodes", "reason"), r)) for r in rows],
                "ok": all(r[1] != "failed" for r in rows)}

    button.click(ingest, files, report, api_name="ingest")


def backend_reachability(library, backend: str) -> str:
    """Whether `backend` can answer now. The local model is loaded by the check (slow the first
    time); an OpenAI-compatible server is asked for its model list. Capped at 60 s."""
    if backend == "extractive":
        return notice_html("extractive: always available (no model server needed).", "info")
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["ok"] = library.generator(backend).check()
        except Exception as exc:  # any failure means "not reachable"; say why
            result["error"] = str(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(60)
    if "ok" in result:
        return notice_html(f"reachable — {result['ok']}", "info")
    reason = result.get("error", "no reply within 60 s")
    return f'<div class="ll-error">{esc(backend)}: not reachable — {esc(reason)}</div>'
