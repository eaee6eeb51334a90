"""The web UI (gradio): ask a question, read the answer and the passages it cites.

Document text is always HTML-escaped before it is shown: a `<script>` inside a document is
displayed as text, never run.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from app.settings import Settings

SAMPLE_CORPUS = Path(__file__).parent / "sample_corpus"


def sources_html(answer) -> str:
    """The cited passages, quoted sentence highlighted, every document string escaped."""
    if not answer.citations:
        return "<p><em>No sources.</em></p>"
    blocks = []
    for c in answer.citations:
        details = " · ".join(html.escape(x) for x in (c.published or "undated", c.doc_type,
                                                      c.publisher, c.fr_citation) if x)
        blocks.append(
            f'<div class="ll-source" id="source-{c.n}"><p><b>[{c.n}] {html.escape(c.title)}</b>'
            f"<br><small>{details}<br>{html.escape(c.file)} · chars {c.start}–{c.end}</small></p>"
            f"<blockquote><mark>{html.escape(c.text)}</mark></blockquote></div>")
    return "\n".join(blocks)


def answer_markdown(answer) -> str:
    text = html.escape(answer.text)
    if answer.refused:
        text = f"**Not answered.** {text}"
    if answer.notice:
        text += f"\n\n_{html.escape(answer.notice)}_"
    return text


def build(library):
    import gradio as gr

    def ask(question: str):
        from index.errors import ListLensError

        try:
            answer = library.ask(question)
        except ListLensError as exc:
            return f"**Error:** {html.escape(str(exc))}", ""
        return answer_markdown(answer), sources_html(answer)

    with gr.Blocks(title="ListLens") as demo:
        gr.Markdown("# ListLens\nAsk about sanctions and export-control actions. "
                    "Every answer cites the passages it rests on.")
        with gr.Row():
            question = gr.Textbox(label="Question", placeholder="Why was NSO Group added to the Entity List?",
                                  scale=5, elem_id="question")
            button = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
        answer = gr.Markdown(elem_id="answer")
        sources = gr.HTML(elem_id="sources")
        button.click(ask, question, [answer, sources], api_name="ask")
        question.submit(ask, question, [answer, sources], api_name=False)
    return demo


def serve(settings: Settings, ingest_sample: bool = False) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from index.library import Library

    library = Library(settings.index)
    if ingest_sample:
        report = library.ingest([SAMPLE_CORPUS])
        print(f"sample corpus: {report.added} added, {report.unchanged} unchanged, "
              f"{report.nodes} nodes", flush=True)
    library.retriever()  # load the model and the keyword index before the first question
    auth = tuple(settings.auth.split(":", 1)) if settings.auth else None
    build(library).launch(server_name=settings.host, server_port=settings.port, auth=auth,
                          max_file_size=f"{int(settings.max_upload_mb)}mb", show_error=False)
