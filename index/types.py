"""The domain objects that flow out of the library: passages, citations, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

_MD_NEUTRAL = str.maketrans({"<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def md_text(text: Any) -> str:
    """Document text made inert for a Markdown export: no raw HTML tag (a `<script>` in a
    document shows as text wherever the export is rendered) and no link or footnote syntax
    of its own; rendered, it reads exactly as the document does."""
    return str(text).translate(_MD_NEUTRAL)


@dataclass
class Passage:
    """A retrieved chunk of a document, with where it sits in that document."""

    node_id: str
    text: str
    score: float
    metadata: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.metadata.get("source", ""))

    @property
    def start(self) -> int:
        return int(self.metadata.get("start", 0))

    @property
    def end(self) -> int:
        return int(self.metadata.get("end", self.start + len(self.text)))


@dataclass
class Citation:
    """A quoted span of a document that supports a sentence of an answer."""

    n: int
    file: str  # the document's source path or URL
    title: str
    published: str | None
    start: int  # character offsets into the document's canonical text
    end: int
    text: str  # the quoted sentence
    doc_type: str = ""
    publisher: str = ""
    fr_citation: str = ""
    score: float = 0.0
    url: str = ""  # the document's web address, when it has one

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "reference": self.reference}

    @property
    def reference(self) -> str:
        """The document as a memo names it: title, FR citation or web address, published date.
        Never a local path: a memo is read on other machines."""
        url = self.url or (self.file if self.file.startswith(("http://", "https://")) else "")
        parts = [self.title or (url or self.file.replace("\\", "/").rsplit("/", 1)[-1]),
                 self.fr_citation, url if url and url != self.title else "",
                 f"published {self.published}" if self.published else "undated"]
        return ", ".join(p for p in parts if p)

    def footnote(self) -> str:
        """A Markdown footnote: the document and the quoted passage."""
        return f"[^{self.n}]: {md_text(self.reference)}: “{md_text(' '.join(self.text.split()))}”"


@dataclass
class AnswerSentence:
    text: str
    citations: list[int]  # numbers of the citations that support it


@dataclass
class Answer:
    question: str
    text: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    backend: str = "extractive"
    latency_s: float = 0.0
    notice: str = ""  # e.g. "the LLM server was unreachable; showing the extractive answer"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [asdict(s) for s in self.sentences],
            "retrieved": [{"file": p.source, "title": p.metadata.get("title", ""),
                           "text": p.text, "score": round(p.score, 4),
                           "start": p.start, "end": p.end} for p in self.retrieved],
            "backend": self.backend,
            "latency_s": round(self.latency_s, 4),
            "notice": self.notice,
        }

    def to_markdown(self) -> str:
        """The answer with footnote markers, ready to paste into a memo."""
        body = " ".join(md_text(s.text) + "".join(f"[^{n}]" for n in s.citations)
                        for s in self.sentences) or md_text(self.text)
        notes = [c.footnote() for c in self.citations]
        return "\n\n".join([body, *(["\n".join(notes)] if notes else [])])


@dataclass
class Filters:
    """Restrict retrieval to part of the library. Empty fields do not filter."""

    date_from: str | None = None  # ISO dates, inclusive, on the document's publication date
    date_to: str | None = None
    doc_type: str | None = None
    source: str | None = None  # a substring of the source path or URL
    country: str | None = None
    list_name: str | None = None

    def where(self) -> dict | None:
        """The Chroma `where` clause for the fields Chroma can filter exactly."""
        clauses: list[dict] = []
        if self.date_from:
            clauses.append({"published_int": {"$gte": int(self.date_from.replace("-", ""))}})
        if self.date_to:
            clauses.append({"published_int": {"$lte": int(self.date_to.replace("-", ""))}})
        for key in ("doc_type", "country", "list_name"):
            if value := getattr(self, key):
                clauses.append({key: value})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """The same test in Python, for candidates that did not come through Chroma's filter."""
        published = int(meta.get("published_int", 0) or 0)
        if self.date_from and published < int(self.date_from.replace("-", "")):
            return False
        if self.date_to and published > int(self.date_to.replace("-", "")):
            return False
        for key in ("doc_type", "country", "list_name"):
            if (value := getattr(self, key)) and meta.get(key) != value:
                return False
        return not self.source or self.source in str(meta.get("source", ""))

    def __bool__(self) -> bool:
        return any(vars(self).values())


# --- summaries -------------------------------------------------------------------------------

@dataclass
class SummaryRow:
    """One entity acted on, merged over every document that names it; `citations` are numbers
    into the summary's citation list."""

    entity: str
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    list_name: str = ""
    action: str = "added"  # added | revised | removed
    reason: str = ""
    fr_citation: str = ""
    published: str = ""
    effective: str = ""
    citations: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    COLUMNS = ("entity", "aliases", "countries", "list_name", "action", "reason", "fr_citation",
               "published", "effective", "citations", "sources")


@dataclass
class Conflict:
    """Documents that disagree about one thing (a date, a count): every value, with its sources."""

    subject: str  # e.g. "effective date of NSO Group", "number of entities"
    values: list[dict[str, Any]]  # {"value": ..., "citations": [n, ...], "sources": [...]}


@dataclass
class Summary:
    headline: str
    rows: list[SummaryRow] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)  # the narrative, each cited
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)  # doc_id, title, published, source
    backend: str = "extractive"
    latency_s: float = 0.0
    notice: str = ""

    @property
    def narrative(self) -> str:
        return " ".join(s.text + "".join(f" [{n}]" for n in s.citations) for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {"headline": self.headline, "rows": [asdict(r) for r in self.rows],
                "narrative": self.narrative, "sentences": [asdict(s) for s in self.sentences],
                "citations": [c.to_dict() for c in self.citations],
                "conflicts": [asdict(c) for c in self.conflicts], "documents": self.documents,
                "backend": self.backend, "latency_s": round(self.latency_s, 3),
                "notice": self.notice}

    def to_markdown(self) -> str:
        def cell(text: Any) -> str:
            return md_text(str(text).replace("|", "/").replace("\n", " "))

        def refs(numbers: list[int]) -> str:
            return "".join(f"[^{n}]" for n in numbers)

        out = [f"## {md_text(self.headline)}", ""]
        if self.rows:
            out += ["| Entity | Aliases | Country | List | Action | Reason | FR citation | Published "
                    "| Effective | Sources |", "|" + "---|" * 10]
            out += [f"| {cell(r.entity)} | {cell('; '.join(r.aliases))} | {cell(', '.join(r.countries))} "
                    f"| {cell(r.list_name)} | {r.action} | {cell(r.reason)} | {cell(r.fr_citation)} "
                    f"| {r.published} | {r.effective} | {refs(r.citations)} |" for r in self.rows]
            out.append("")
        if self.sentences:
            out += [" ".join(md_text(s.text) + refs(s.citations) for s in self.sentences), ""]
        for c in self.conflicts:
            shown = "; ".join(f"{md_text(v['value'])} {refs(v['citations'])}" for v in c.values)
            out.append(f"- **Sources disagree on {md_text(c.subject)}:** {shown}")
        if self.notice:
            out += ["", f"_{self.notice}_"]
        out += ["", *(c.footnote() for c in self.citations)]
        return "\n".join(out).rstrip() + "\n"

    def to_csv(self) -> str:
        """The entity table, one row per entity; citations as "file@start-end" spans."""
        import csv
        import io

        by_n = {c.n: c for c in self.citations}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(SummaryRow.COLUMNS)
        for r in self.rows:
            spans = [f"{by_n[n].file}@{by_n[n].start}-{by_n[n].end}" for n in r.citations if n in by_n]
            writer.writerow([r.entity, " | ".join(r.aliases), " | ".join(r.countries), r.list_name,
                             r.action, r.reason, r.fr_citation, r.published, r.effective,
                             " ; ".join(spans), " | ".join(r.sources)])
        return buffer.getvalue()
