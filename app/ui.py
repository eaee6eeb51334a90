"""The web UI (gradio Blocks): Ask, Summarize, Library, Evaluate, Status, and named API endpoints.

The tabs' logic lives in `ui_ask`, `ui_library` and `ui_evaluate`, the HTML in `ui_render`; this
module lays out each tab in a builder of its own and wires the events. Everything goes through one `Library`.

Document text is HTML-escaped wherever it is shown (see `ui_render.esc`): a `<script>` inside a
document is displayed as text, never run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from listlens.app import ui_api
from listlens.app.settings import Settings
from listlens.app.ui_ask import BACKENDS, Asker, Conversation
from listlens.app.ui_evaluate import (FAILURE_COLUMNS, METRIC_COLUMNS, SAMPLE_GOLD,
                                     SUMMARY_COLUMNS, entity_rows, failure_rows, metric_rows,
                                     run_gold_on_library, run_summary)
from listlens.app.ui_library import (DOC_COLUMNS, RESULT_COLUMNS, document_choices, document_rows,
                                    ingest_uploads, reindex, upload_dir_for)
from listlens.app.ui_render import esc, kv_html, notice_html, stats_html, summary_html
from listlens.index.errors import ListLensError
from listlens.ingest.readers import SUPPORTED

SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"

CSS = """
.ll-refusal { border-left: 4px solid #c2410c; background: #fff7ed; padding: .6em .8em; color: #7c2d12; }
.ll-error { border-left: 4px solid #b91c1c; background: #fef2f2; padding: .6em .8em; color: #7f1d1d; }
.ll-info { border-left: 4px solid #2563eb; background: #eff6ff; padding: .6em .8em; }
.ll-answer { line-height: 1.55; }
.ll-marker { font-size: .8em; vertical-align: super; text-decoration: none; margin-left: 1px; }
.ll-notice, .ll-meta { font-size: .85em; color: #6b7280; }
.ll-source { border: 1px solid #e5e7eb; border-radius: 6px; padding: .4em .7em; margin: .5em 0; }
.ll-source:target { outline: 2px solid #2563eb; background: #eff6ff; }
.ll-source-facts, .ll-source-file { font-size: .8em; color: #4b5563; margin: .1em 0; }
.ll-passage { white-space: pre-wrap; font-size: .9em; margin: .4em 0; }
.ll-passage mark { background: #fde68a; }
.ll-kv th { text-align: left; padding-right: 1em; }
"""


def build(library, settings: Settings | None = None):
    """The page: one builder per tab, then the events that cross tabs and the API endpoints."""
    import gradio as gr

    settings = settings or Settings.for_library(library.config)
    upload_dir = upload_dir_for(library.config.data_dir)
    max_bytes = int(settings.max_upload_mb * 1024 * 1024)
    with gr.Blocks(title="ListLens") as demo:
        gr.Markdown("# ListLens\nQuestions about sanctions and export-control actions, answered "
                    "from your documents. Every sentence cites the passage it rests on.")
        with gr.Tabs():
            doc_type, backend = ask_tab(gr, library)
            sum_docs = summarize_tab(gr, library)
            lib_outputs, refresh_library = library_tab(gr, library, settings, upload_dir, max_bytes,
                                                       also=(sum_docs, doc_type))
            evaluate_tab(gr, library)
            status_html, status = status_tab(gr, library, settings, upload_dir, backend)
        ui_api.register(gr, library, upload_dir, max_bytes)
        demo.load(lambda: (status(), *refresh_library()), None, [status_html, *lib_outputs],
                  api_visibility="private")
    return demo


def _doc_types(library) -> list[str]:
    return sorted({d.get("doc_type") or "" for d in library.documents()} - {""})


def ask_tab(gr, library):
    """A chat with filters; the answer's sources and a Markdown copy beside it. Returns the
    document-type filter (refreshed when the library changes) and the backend choice."""
    asker = Asker(library)
    with gr.Tab("Ask", id="ask"):
        conversation = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Conversation", height=420, elem_id="ll-chat",
                                  buttons=["copy"])
                with gr.Row():
                    question = gr.Textbox(show_label=False, scale=5, elem_id="ll-question",
                                          placeholder="Why was NSO Group added to the Entity "
                                                      "List?  Follow-ups: “and when?”")
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ll-ask")
                with gr.Accordion("Filters and backend", open=False):
                    with gr.Row():
                        since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="ll-since")
                        until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="ll-until")
                        doc_type = gr.Dropdown(label="Document type", choices=_doc_types(library),
                                               value=None, allow_custom_value=True)
                    with gr.Row():
                        source = gr.Textbox(label="Source contains")
                        country = gr.Textbox(label="Country")
                        backend = gr.Radio(BACKENDS, value=library.config.backend,
                                           label="Answer backend", elem_id="ll-backend")
                clear = gr.Button("New conversation", size="sm")
            with gr.Column(scale=2):
                panel = gr.HTML("<p><em>The answer's sources appear here.</em></p>",
                                elem_id="ll-answer-panel")
                markdown = gr.Textbox(label="Answer as Markdown (with footnotes)", lines=5,
                                      buttons=["copy"], interactive=False, elem_id="ll-markdown")
        inputs = [question, chat, conversation, since, until, doc_type, source, country, backend]
        outputs = [chat, panel, markdown, conversation, question]
        for trigger in (ask_btn.click, question.submit):
            trigger(asker.respond, inputs, outputs, api_visibility="private", concurrency_limit=2)
        clear.click(lambda: ([], "", "", None), None, [chat, panel, markdown, conversation],
                    api_visibility="private")
    return doc_type, backend


def summarize_tab(gr, library):
    """Documents or a date range → headline, entity table (CSV too), cited narrative. Returns
    the document picker (refreshed when the library changes)."""
    with gr.Tab("Summarize", id="summarize"):
        with gr.Row():
            sum_docs = gr.Dropdown(label="Documents (empty = all, within the dates)",
                                   multiselect=True, choices=document_choices(library.documents()))
            since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="ll-sum-since")
            until = gr.Textbox(label="To (YYYY-MM-DD)")
            source = gr.Textbox(label="Source contains")
        button = gr.Button("Summarize", variant="primary", elem_id="ll-summarize")
        head = gr.HTML(elem_id="ll-summary")
        table = gr.Dataframe(headers=SUMMARY_COLUMNS, interactive=False,
                             column_widths=["20%", "8%", "10%", "6%", "26%", "10%", "8%", "8%", "4%"],
                             wrap=True, elem_id="ll-summary-table")
        csv_file = gr.File(label="Entity table as CSV", interactive=False)
        md = gr.Textbox(label="Summary as Markdown", lines=4, buttons=["copy"], interactive=False)

        def summarize(doc_ids, since_v, until_v, source_v, progress=gr.Progress()):
            progress(0.1, desc="summarizing")
            try:
                data, markdown, csv_path = run_summary(library, doc_ids, since_v, until_v,
                                                       source_v, None)
            except ListLensError as exc:  # shown to the analyst; the server keeps running
                return notice_html(f"Could not summarize: {exc}", "error"), None, None, ""
            headers, rows = entity_rows(data)
            return summary_html(data), gr.Dataframe(value=rows, headers=headers), csv_path, markdown

        button.click(summarize, [sum_docs, since, until, source], [head, table, csv_file, md],
                     api_visibility="private")
    return sum_docs


def library_tab(gr, library, settings: Settings, upload_dir: Path, max_bytes: int, also=()):
    """Uploads (one result row per file), the documents table, delete and re-index. Returns the
    components a library change refreshes and the function that refreshes them; `also` are the
    other tabs' document pickers, refreshed with it."""
    sum_docs, doc_type = also
    with gr.Tab("Library", id="library"):
        gr.Markdown(f"Upload documents ({', '.join(SUPPORTED)}; at most "
                    f"{settings.max_upload_mb:g} MB each). Re-uploading an unchanged "
                    "file adds nothing; a changed file replaces its old version.")
        files = gr.File(label="Drop files here", file_count="multiple",
                        file_types=list(SUPPORTED), elem_id="ll-upload")
        upload_btn = gr.Button("Add to library", variant="primary", elem_id="ll-add")
        results = gr.Dataframe(headers=RESULT_COLUMNS, interactive=False,
                               label="Upload results", elem_id="ll-upload-results")
        stats = gr.HTML(elem_id="ll-stats")
        docs_table = gr.Dataframe(headers=DOC_COLUMNS, interactive=False, wrap=True,
                                  label="Documents", elem_id="ll-docs")
        with gr.Row():
            doc_pick = gr.Dropdown(label="Document", choices=[], scale=4)
            delete_btn = gr.Button("Delete", variant="stop", scale=1)
            reindex_btn = gr.Button("Re-index", scale=1)
        message = gr.HTML()

        def refresh():
            docs = library.documents()
            try:
                n_entities = len(library.retriever().entities or [])
            except ListLensError:  # an empty store has no entity table yet
                n_entities = None
            choices = document_choices(docs)
            return (stats_html(docs, library.store.count(), n_entities), document_rows(docs),
                    gr.Dropdown(choices=choices, value=None), gr.Dropdown(choices=choices),
                    gr.Dropdown(choices=_doc_types(library)))

        outputs = [stats, docs_table, doc_pick, sum_docs, doc_type]

        def upload(paths, progress=gr.Progress()):
            rows = ingest_uploads(library, list(paths or []), upload_dir, max_bytes,
                                  lambda f, d: progress(f, desc=d))
            return (rows, None, *refresh())

        def act(kind, doc_id):
            if not doc_id:
                return notice_html("Pick a document first.", "error"), *refresh()
            try:
                msg = (reindex(library, doc_id) if kind == "reindex" else
                       f"Deleted {library.remove(doc_id).get('title') or doc_id}.")
                out = notice_html(msg, "info")
            except ListLensError as exc:  # the analyst sees why; nothing is half-done
                out = notice_html(str(exc), "error")
            return out, *refresh()

        upload_btn.click(upload, files, [results, files, *outputs], api_visibility="private")
        delete_btn.click(lambda d: act("delete", d), doc_pick, [message, *outputs],
                         api_visibility="private")
        reindex_btn.click(lambda d: act("reindex", d), doc_pick, [message, *outputs],
                          api_visibility="private")
    return outputs, refresh


def evaluate_tab(gr, library) -> None:
    """Run the bundled or an uploaded gold set against this library, scored like `listlens eval`."""
    with gr.Tab("Evaluate", id="evaluate"):
        gr.Markdown("Run a gold question set (JSONL: `id, question, answer, kind, "
                    "evidence`) against this library and score it like `listlens eval`.")
        with gr.Row():
            gold_choice = gr.Radio(["bundled sample set", "uploaded file"],
                                   value="bundled sample set", label="Gold set")
            gold_file = gr.File(label="Gold set (.jsonl)", file_types=[".jsonl"], elem_id="ll-gold")
            limit = gr.Number(label="Questions (0 = all)", value=0, precision=0)
        eval_btn = gr.Button("Run evaluation", variant="primary", elem_id="ll-eval")
        message = gr.HTML()
        metrics_table = gr.Dataframe(headers=METRIC_COLUMNS, interactive=False, label="Metrics",
                                     elem_id="ll-metrics")
        chart = gr.Image(label="Accuracy per kind and latency", type="filepath")
        failures = gr.Dataframe(headers=FAILURE_COLUMNS, interactive=False, wrap=True,
                                column_widths=["7%", "11%", "26%", "28%", "28%"], label="Failures")

        def evaluate(choice, upload_path, n, progress=gr.Progress()):
            gold = SAMPLE_GOLD if choice == "bundled sample set" else upload_path
            if not gold:
                return notice_html("Upload a gold set first.", "error"), None, None, None
            try:
                result = run_gold_on_library(library, Path(gold), int(n or 0) or None,
                                             lambda f, d: progress(f, desc=d))
            except ListLensError as exc:  # a malformed gold file: say which line and why
                return notice_html(f"Could not run: {exc}", "error"), None, None, None
            return (notice_html(f"Scored {len(result['gold'])} questions.", "info"),
                    metric_rows(result["scored"]), result["chart"], failure_rows(result))

        gold_file.upload(lambda: "uploaded file", None, gold_choice, api_visibility="private")
        eval_btn.click(evaluate, [gold_choice, gold_file, limit],
                       [message, metrics_table, chart, failures], api_visibility="private")


def status_tab(gr, library, settings: Settings, upload_dir: Path, backend):
    """Store, counts, model, backend, and a reachability check of the backend chosen on Ask."""
    with gr.Tab("Status", id="status"):
        status_html = gr.HTML(elem_id="ll-status")
        with gr.Row():
            refresh_btn = gr.Button("Refresh")
            check_btn = gr.Button("Check the answer backend")
        backend_html = gr.HTML(elem_id="ll-backend-status")

        def status():
            s = library.status()
            return kv_html([("store", s["store"]), ("location", s["location"]),
                            ("collection", s["collection"]), ("documents", s["documents"]),
                            ("nodes", s["nodes"]), ("embedding model", s["embedding_model"]),
                            ("answer backend", s["backend"]),
                            ("listening on", f"{settings.host}:{settings.port}"),
                            ("sign-in required", "yes" if settings.auth else "no"),
                            ("upload folder", str(upload_dir))])

        refresh_btn.click(status, None, status_html, api_visibility="private")
        check_btn.click(lambda choice: ui_api.backend_reachability(library, choice), backend,
                        backend_html, api_visibility="private")
    return status_html, status


def serve(settings: Settings, ingest_sample: bool = False) -> None:
    """Warm up (sample corpus check, embedding model, keyword index) in a thread while gradio
    imports and the page is built: the two halves of a cold start overlap instead of adding up.
    The server starts listening only once warm, so the first question is answered at once."""
    import threading

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from listlens.index.library import Library

    library = Library(settings.index)
    failure: list[BaseException] = []

    def warm() -> None:
        try:
            if ingest_sample:
                report = library.ingest([SAMPLE_CORPUS])
                print(f"sample corpus: {report.added} added, {report.unchanged} unchanged, "
                      f"{report.nodes} nodes", flush=True)
            library.retriever()  # load the model and the keyword index before the first question
        except BaseException as exc:  # re-raised in the main thread below
            failure.append(exc)

    warming = threading.Thread(target=warm, name="listlens-warm-up")
    warming.start()
    demo = build(library, settings)
    warming.join()
    if failure:
        raise failure[0]
    launch(demo, settings)


def launch(demo, settings: Settings, **kwargs: Any):
    """Start serving. Asks run two at a time (2 cores); everything else queues one by one."""
    auth = tuple(settings.auth.split(":", 1)) if settings.auth else None
    demo.queue(default_concurrency_limit=1, max_size=256)
    return demo.launch(server_name=settings.host, server_port=settings.port, auth=auth,
                       max_file_size=f"{int(settings.max_upload_mb)}mb", show_error=False,
                       css=CSS, **kwargs)


__all__ = ["build", "serve", "launch", "esc", "CSS"]
