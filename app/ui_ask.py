"""The Ask tab's logic: follow-up questions, filters, streamed answers.

Kept free of layout so it can be tested without a browser; `app/ui.py` wires it to components.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from listlens.app.ui_render import answer_html, chat_text, esc, notice_html
from listlens.index.errors import InvalidInput
from listlens.index.types import Answer, Filters

BACKENDS = ["extractive", "local", "openai"]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Words that point back at what the previous turn was about. Possessives become "X's".
_PRONOUN = re.compile(r"\b(?:(its|their)|(it|they|them|this (?:company|entity|firm|lab|laboratory)|"
                      r"that (?:company|entity|firm)|the (?:company|entity|firm|same entity)))\b",
                      re.IGNORECASE)


@dataclass
class Conversation:
    """What a follow-up may refer to: the entities of the last turn that named any."""

    entities: list[str] = field(default_factory=list)


def resolve_followup(question: str, conversation: Conversation | None,
                     named_in) -> tuple[str, str]:
    """Rewrite a follow-up that names no entity ("and when was it added?") to name the entity
    the previous turn was about. Returns (question to ask, note for the user or "").

    `named_in(text) -> list[str]` finds entity names in text (the library's entity table). The
    rewrite is explicit and shown to the user, so a wrong guess is visible, not silent.
    """
    if not conversation or not conversation.entities or named_in(question):
        return question, ""
    subject = " and ".join(conversation.entities[:2])
    stripped = re.sub(r"^\s*(?:and|also|so|but)\b[\s,]*", "", question, flags=re.IGNORECASE)
    match = _PRONOUN.search(stripped)
    if match:
        replacement = f"{subject}'s" if match.group(1) else subject
        rewritten = stripped[:match.start()] + replacement + stripped[match.end():]
    else:
        rewritten = f"{stripped.rstrip('?. ')} ({subject})?"
    rewritten = rewritten[:1].upper() + rewritten[1:]
    return rewritten, f"Read as: {rewritten}"


def make_filters(since: str, until: str, doc_type: str | None, source: str,
                 country: str) -> Filters:
    for label, value in (("From", since), ("To", until)):
        if value and not _ISO_DATE.match(value.strip()):
            raise InvalidInput(f"{label} date '{value}' is not a date like 2021-11-04.")
    return Filters(date_from=(since or "").strip() or None, date_to=(until or "").strip() or None,
                   doc_type=doc_type or None, source=(source or "").strip() or None,
                   country=(country or "").strip() or None)


class Asker:
    """Answers chat turns over one library."""

    def __init__(self, library):
        self.library = library

    def named_in(self, text: str) -> list[str]:
        try:
            table = self.library.retriever().entities
        except Exception:  # an empty or unreachable store: no follow-up rewriting, not a crash
            return []
        return [e.name for e in table.find_in(text)] if table is not None else []

    def doc_meta(self) -> dict[str, dict]:
        return {d.get("source", ""): d for d in self.library.documents()}

    def respond(self, question: str, history: list[dict], conversation: Conversation | None,
                since: str, until: str, doc_type: str | None, source: str, country: str,
                backend: str) -> Iterator[tuple[list[dict], str, str, Conversation | None, str]]:
        """Yield (chat, answer panel, markdown, conversation, question box) as the answer grows.
        LLM backends stream tokens into the chat; the extractive one answers in one step."""
        from listlens.index.errors import ListLensError

        history = list(history or [])
        question = (question or "").strip()
        if not question:
            yield history, notice_html("Type a question first.", "error"), "", conversation, ""
            return
        try:
            filters = make_filters(since, until, doc_type, source, country)
        except InvalidInput as exc:
            yield history, notice_html(str(exc), "error"), "", conversation, question
            return
        asked, note = resolve_followup(question, conversation, self.named_in)
        history += [{"role": "user", "content": question},
                    {"role": "assistant", "content": "_Searching the documents…_"}]
        yield history, "", "", conversation, ""
        try:
            for partial, answer in self._stream(asked, filters, backend):
                if answer is None:
                    history[-1] = {"role": "assistant", "content": esc(partial) + " ▌"}
                    yield history, "", "", conversation, ""
        except ListLensError as exc:
            history[-1] = {"role": "assistant", "content": f"**Error:** {esc(exc)}"}
            yield history, notice_html(str(exc), "error"), "", conversation, ""
            return
        history[-1] = {"role": "assistant", "content": chat_text(answer, note)}
        names = [] if answer.refused else (self.named_in(asked) or self.named_in(answer.text))
        conversation = Conversation(names) if names else (conversation or Conversation())
        yield history, answer_html(answer, self.doc_meta()), answer.to_markdown(), conversation, ""

    def _stream(self, question: str, filters: Filters,
                backend: str) -> Iterator[tuple[str, Answer | None]]:
        """(text so far, None) while an LLM writes, then ("", answer)."""
        if backend == "extractive":
            yield "", self.library.ask(question, filters=filters or None, backend=backend)
            return
        tokens: queue.Queue[str] = queue.Queue()
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["answer"] = self.library.ask(question, filters=filters or None,
                                                    backend=backend, on_token=tokens.put)
            except BaseException as exc:  # handed to the generator below, raised there
                result["error"] = exc

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        text, shown = "", time.monotonic()
        while thread.is_alive() or not tokens.empty():
            try:
                text += tokens.get(timeout=0.1)
            except queue.Empty:
                continue
            if time.monotonic() - shown > 0.15:  # a UI update per token would flood the socket
                shown = time.monotonic()
                yield text, None
        thread.join()
        if "error" in result:
            raise result["error"]
        yield "", result["answer"]
