"""eCFR sections: the file's own text, cut at its top-level paragraphs (a), (b), ..."""

from tests.ingest.helpers import CORPUS, FIXTURES, needs_corpus, read_one, spans


def test_each_top_level_paragraph_is_a_section():
    doc = read_one(FIXTURES / "ecfr_section.md")
    assert doc.metadata["doc_type"] == "regulation"
    assert doc.metadata["title"] == "§ 744.16 — Entity List"
    paragraphs = spans(doc, "paragraph")
    assert [m["paragraph"] for _, m in paragraphs] == [
        "744.16", "744.16(a)", "744.16(b)", "744.16(c)", "744.16 source"]
    assert paragraphs[2][1]["heading"] == "License exceptions"
    # (1), (2) and a roman (i) that does not follow (h) stay inside (c).
    assert paragraphs[3][0].endswith("A roman numeral stays inside (c).")


def test_text_is_kept_verbatim_and_dated_by_the_last_amendment():
    doc = read_one(FIXTURES / "ecfr_section.md")
    source = (FIXTURES / "ecfr_section.md").read_text(encoding="utf-8").strip()
    assert doc.text == source
    assert doc.metadata["published"] == "2024-07-18"


@needs_corpus
def test_real_744_11():
    doc = read_one(CORPUS / "ecfr" / "15CFR_744.11_entity-list-criteria.md")
    assert doc.metadata["title"].startswith("15 CFR 744.11 — License requirements that apply to entities")
    b = next((t, m) for t, m in spans(doc, "paragraph") if m["paragraph"] == "744.11(b)")
    assert b[1]["title"] == "15 CFR 744.11(b) — Criteria for revising the Entity List"
    assert b[0].startswith("(b) *Criteria for revising the Entity List.* Entities for which")
    assert "(5) Engaging in conduct" in b[0]
