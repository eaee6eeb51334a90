"""HTML and Markdown for the web UI, built from library objects.

Every string that came from a document (titles, passages, quotes, file names, publishers) goes
through `esc` before it lands in HTML: gradio's HTML component inserts markup as-is, so an
`<img onerror=…>` in a document would otherwise run in the analyst's browser.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from listlens.index.types import Answer, Citation, Passage


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~>])")


def md_escape(text: str) -> str:
    """Text shown inside a Markdown component (the chat): HTML escaped and Markdown punctuation
    neutralised, so a document cannot smuggle in a link or an image."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


# --- answers -------------------------------------------------------------------------------

def chat_text(answer: Answer, resolved_note: str = "") -> str:
    """The assistant's turn in the chat: plain answer with [n] markers (the sources panel beside
    the chat has the clickable version)."""
    if answer.refused:
        body = "**Not answered from the documents.** " + md_escape(answer.text)
    elif answer.sentences:
        body = " ".join(md_escape(s.text) + "".join(f"\\[{n}\\]" for n in s.citations)
                        for s in answer.sentences)
    else:
        body = md_escape(answer.text)
    if answer.notice:
        body += f"\n\n_{md_escape(answer.notice)}_"
    if resolved_note:
        body = f"_{md_escape(resolved_note)}_\n\n" + body
    return body


def answer_html(answer: Answer, doc_meta: dict[str, dict] | None = None) -> str:
    """The latest answer with clickable citation markers, then its sources."""
    if answer.refused:
        head = (f'<div class="ll-refusal" role="status"><b>Not answered from the documents.</b> '
                f"{esc(answer.text)}</div>")
    else:
        sentences = answer.sentences or []
        if sentences:
            body = " ".join(esc(s.text) + "".join(
                f'<a class="ll-marker" href="#ll-source-{n}" data-n="{n}">[{n}]</a>'
                for n in s.citations) for s in sentences)
        else:
            body = esc(answer.text)
        head = f'<div class="ll-answer">{body}</div>'
    if answer.notice:
        head += f'<p class="ll-notice">{esc(answer.notice)}</p>'
    meta = f'<p class="ll-meta">{esc(answer.backend)} · {answer.latency_s:.2f} s</p>'
    return head + meta + sources_html(answer, doc_meta)


def sources_html(answer: Answer, doc_meta: dict[str, dict] | None = None) -> str:
    if not answer.citations:
        return '<div class="ll-sources"><p><em>No sources cited.</em></p></div>'
    label = "Closest passages (not used as an answer)" if answer.refused else "Sources"
    blocks = [f'<div class="ll-sources"><h3>{label}</h3>']
    for c in answer.citations:
        blocks.append(_source_block(c, answer.retrieved, (doc_meta or {}).get(c.file, {})))
    blocks.append("</div>")
    return "\n".join(blocks)


def _source_block(c: Citation, retrieved: list[Passage], meta: dict) -> str:
    dates = []
    if c.published:
        dates.append(f"published {esc(c.published)}")
    if meta.get("effective"):
        dates.append(f"effective {esc(meta['effective'])}")
    facts = [x for x in (esc(c.publisher or meta.get("publisher", "")), *dates,
                         esc(c.doc_type), esc(c.fr_citation or meta.get("fr_citation", ""))) if x]
    return (f'<div class="ll-source" id="ll-source-{c.n}">'
            f'<p class="ll-source-title"><b>[{c.n}] {esc(c.title)}</b></p>'
            f'<p class="ll-source-facts">{" · ".join(facts) or "undated"}</p>'
            f'<blockquote class="ll-passage">{passage_with_quote(c, retrieved)}</blockquote>'
            f'<p class="ll-source-file">{esc(Path(c.file).name)} · chars {c.start}–{c.end}</p>'
            "</div>")


def passage_with_quote(c: Citation, retrieved: list[Passage]) -> str:
    """The retrieved passage holding the citation, the quoted sentence in <mark>; each piece is
    escaped on its own so the markup we add is the only markup there."""
    for p in retrieved:
        if p.source != c.file:
            continue
        if p.start <= c.start and c.end <= p.end and p.text[c.start - p.start:c.end - p.start] == c.text:
            at = c.start - p.start
        else:
            at = p.text.find(c.text)
            if at < 0:
                continue
        before, after = p.text[:at], p.text[at + len(c.text):]
        return f"{esc(before)}<mark>{esc(c.text)}</mark>{esc(after)}"
    return f"<mark>{esc(c.text)}</mark>"


# --- library, status, summaries ------------------------------------------------------------

def stats_html(docs: list[dict], nodes: int, entities: int | None) -> str:
    by_type: dict[str, int] = {}
    for d in docs:
        by_type[d.get("doc_type") or "other"] = by_type.get(d.get("doc_type") or "other", 0) + 1
    dates = sorted(str(d["published"]) for d in docs if d.get("published"))
    span = f"{esc(dates[0])} to {esc(dates[-1])}" if dates else "no dated documents"
    types = ", ".join(f"{esc(t)}: {n}" for t, n in sorted(by_type.items())) or "none"
    ents = f" · {entities:,} entities" if entities is not None else ""
    return (f'<div class="ll-stats"><b>{len(docs)}</b> documents · <b>{nodes:,}</b> nodes{ents}'
            f"<br>by type: {types}<br>published {span}</div>")


def kv_html(rows: list[tuple[str, Any]]) -> str:
    body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<table class="ll-kv">{body}</table>'


def summary_html(data: dict[str, Any]) -> str:
    """A Summary's dict: headline, cited narrative, conflicts and sources, all escaped."""
    parts = []
    if data.get("headline"):
        parts.append(f'<h3 class="ll-headline">{esc(data["headline"])}</h3>')
    sentences = data.get("sentences") or []
    if sentences:
        body = " ".join(esc(s["text"]) + "".join(
            f'<a class="ll-marker" href="#ll-sum-source-{n}">[{n}]</a>' for n in s["citations"])
            for s in sentences)
        parts.append(f'<div class="ll-answer">{body}</div>')
    elif data.get("narrative"):
        parts.append(f'<div class="ll-answer">{esc(data["narrative"])}</div>')
    if data.get("notice"):
        parts.append(f'<p class="ll-notice">{esc(data["notice"])}</p>')
    for conflict in data.get("conflicts") or []:
        values = "; ".join(f"{esc(v.get('value'))} " + "".join(
            f'<a class="ll-marker" href="#ll-sum-source-{n}">[{n}]</a>' for n in v.get("citations", []))
            for v in conflict.get("values", []))
        parts.append(f'<div class="ll-refusal">Documents disagree on '
                     f'{esc(conflict.get("subject"))}: {values}</div>')
    cites = data.get("citations") or []
    if cites:
        parts.append('<details class="ll-sources"><summary>Sources '
                     f'({len(cites)})</summary>')
        for c in cites:
            facts = " · ".join(esc(x) for x in (c.get("publisher"), c.get("published"),
                                                 c.get("fr_citation")) if x)
            parts.append(f'<div class="ll-source" id="ll-sum-source-{esc(c.get("n"))}">'
                         f'<p class="ll-source-title"><b>[{esc(c.get("n"))}] '
                         f'{esc(c.get("title"))}</b></p><p class="ll-source-facts">{facts}</p>'
                         f'<blockquote class="ll-passage"><mark>{esc(c.get("text"))}</mark>'
                         "</blockquote></div>")
        parts.append("</details>")
    return "\n".join(parts) or "<p><em>Nothing to summarize.</em></p>"


def notice_html(text: str, kind: str = "info") -> str:
    return f'<div class="ll-{kind}">{esc(text)}</div>'
