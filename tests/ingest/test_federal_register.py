"""Federal Register rules: GPO XML, API JSON and plain text become a readable rule whose summary,
reasons and Entity List entries are sections of their own."""

from listlens.ingest.readers import read_bytes
from tests.ingest.helpers import CORPUS, FIXTURES, needs_corpus, read_one, spans


def test_xml_rule_metadata_comes_from_the_preamble_and_frdoc():
    doc = read_one(FIXTURES / "fr_rule.xml")
    meta = doc.metadata
    assert meta["doc_type"] == "fr_rule"
    assert meta["title"] == "Addition of Two Entities to the Entity List"
    assert meta["fr_doc"] == "2023-99999"
    # The table's placeholder gives the volume and date; the first PRTPAGE (50001) means the
    # rule starts on page 50000.
    assert meta["fr_citation"] == "88 FR 50000"
    assert meta["published"] == "2023-03-03"
    assert meta["effective"] == "2023-03-03"
    assert meta["agency"] == "Bureau of Industry and Security, Department of Commerce"
    assert meta["action"] == "Final rule"
    assert (meta["rin"], meta["docket"]) == ("0694-ZZ99", "990101-0001")
    assert meta["signer"] == "Jane Q. Official"
    assert meta["signer_title"] == "Assistant Secretary for Export Administration"


def test_xml_rule_has_one_table_entry_section_per_entry():
    doc = read_one(FIXTURES / "fr_rule.xml")
    entries = spans(doc, "table_entry")
    assert [(m["entity"], m["country"]) for _, m in entries] == [
        ("Northwind Optics Ltd.", "Canada"), ("Northwind Optics Ltd.", "Russia"),
        ("Volga Test Systems LLC", "Russia")]
    text, meta = entries[0]
    assert text.startswith("Entity List entry — Country: CANADA. Entity: Northwind Optics Ltd., "
                           "a.k.a. Northwind; NW Optics S.A.; Address: 12 Harbour Road")
    assert "Federal Register citation: 88 FR 50000, 3/3/2023." in text
    assert meta["aliases"] == "Northwind | NW Optics S.A."  # abbreviation dot kept
    assert meta["license_policy"] == "Presumption of denial."
    assert meta["fr_citation"] == "88 FR 50000"
    # An address continued on its own table row belongs to the entry above it.
    assert entries[1][1]["address"] == "7 Nevsky Prospekt, St. Petersburg, Russia."
    # An entry without aliases: the address comes from its LI.
    assert entries[2][1]["address"] == "3 Embankment Street, Samara 443001, Russia."


def test_xml_rule_reason_paragraph_names_its_entities_and_countries():
    doc = read_one(FIXTURES / "fr_rule.xml")
    [(text, meta)] = spans(doc, "reason")
    assert "supplied sensors to a sanctioned military end user" in text
    assert meta["entity"] == "Northwind Optics Ltd. | Volga Test Systems LLC"
    assert meta["country"] == "Canada | Russia"
    assert "§§\u2009744.11" in text  # thin spaces survive whitespace normalisation


def test_xml_rule_summary_and_every_block_are_sections():
    doc = read_one(FIXTURES / "fr_rule.xml")
    [(summary, _)] = spans(doc, "summary")
    assert summary.startswith("SUMMARY: This rule adds two entities")
    covered = sum(s.end - s.start for s in doc.sections)
    words = [w for w in doc.text.split() if w]
    assert all(any(s.start <= i < s.end for s in doc.sections)
               for i in (doc.text.find(w) for w in words[::7]))
    assert covered <= len(doc.text)
    assert "[FR Doc. 2023-99999 Filed 3-2-23; 8:45 am]" in doc.text


def test_entity_cell_without_aliases_splits_name_from_address():
    xml = (b"<RULE><PREAMB><SUBJECT>Addition</SUBJECT></PREAMB><SUPLINF>"
           b"<P>The committee found that Lake Tools engaged in diversion to a listed party.</P>"
           b"<GPOTABLE><ROW><ENT I='01'>RUSSIA</ENT><ENT>Lake Tools, 8 Shore Street, Moscow, Russia.</ENT>"
           b"<ENT>For all items subject to the EAR.</ENT><ENT>Presumption of denial.</ENT>"
           b"<ENT>88 FR 50001, 3/3/23.</ENT></ROW></GPOTABLE></SUPLINF>"
           b"<FRDOC>[FR Doc. 2023-99998 Filed 3-2-23; 8:45 am]</FRDOC></RULE>")
    [doc] = read_bytes(xml, "rule.xml")
    [(_, entry)] = spans(doc, "table_entry")
    assert (entry["entity"], entry["address"]) == ("Lake Tools", "8 Shore Street, Moscow, Russia.")
    assert entry["fr_citation"] == "88 FR 50001"  # a real citation in the table is used as is
    # A reason that only names the entity (no "add X, under the destination of") is still found.
    [(_, reason)] = spans(doc, "reason")
    assert (reason["entity"], reason["country"]) == ("Lake Tools", "Russia")
    # Published the next business day after filing: filed Thursday 2 March 2023.
    assert doc.metadata["published"] == "2023-03-03"


def test_api_json_document():
    doc = read_one(FIXTURES / "fr_api.json")
    assert doc.metadata["fr_citation"] == "88 FR 50000"
    assert doc.metadata["agency"] == "Commerce Department | Industry and Security Bureau"
    assert spans(doc, "summary")[0][0] == (
        "SUMMARY: This rule adds two entities under three entries to the Entity List.")


def test_api_search_results_give_one_document_each():
    data = b'{"results": [{"document_number": "2023-1", "title": "A"}, {"document_number": "2023-2", "title": "B"}]}'
    docs = read_bytes(data, "search.json")
    assert [d.metadata["fr_doc"] for d in docs] == ["2023-1", "2023-2"]
    assert docs[0].source == "search.json#2023-1"


def test_plain_text_rule_uses_the_page_header_for_citation_and_date():
    doc = read_one(FIXTURES / "fr_rule.txt")
    meta = doc.metadata
    assert (meta["fr_citation"], meta["published"], meta["fr_doc"]) == ("88 FR 50000", "2023-03-03", "2023-99999")
    assert meta["title"] == "Addition of Two Entities to the Entity List"
    assert "Federal Register / Vol." not in doc.text  # page headers are print furniture
    [(_, reason)] = spans(doc, "reason")
    assert (reason["entity"], reason["country"]) == ("Northwind Optics Ltd.", "Canada")


def test_fr_html_page_goes_through_the_text_parser():
    html = (b"<html><body><nav>Menu</nav><article><h1>Addition of Entities</h1>"
            b"<p>AGENCY:</p><p>Bureau of Industry and Security, Commerce.</p>"
            b"<p>ACTION:</p><p>Final rule.</p><p>SUMMARY:</p><p>This rule adds one entity.</p>"
            b"<p>Document Citation: 88 FR 50000</p><p>Document Number: 2023-99999</p>"
            b"</article></body></html>")
    [doc] = read_bytes(html, "rule.html")
    assert doc.metadata["doc_type"] == "fr_rule"
    assert doc.metadata["fr_citation"] == "88 FR 50000"
    assert spans(doc, "summary")[0][0] == "SUMMARY:\n\nThis rule adds one entity."
    assert "Menu" not in doc.text


@needs_corpus
def test_real_rule_2023_03929():
    [path] = (CORPUS / "federal_register").glob("FR-2023-03929_*.xml")
    doc = read_one(path)
    meta = doc.metadata
    assert (meta["fr_doc"], meta["fr_citation"]) == ("2023-03929", "88 FR 12170")
    assert (meta["published"], meta["effective"]) == ("2023-02-27", "2023-02-24")
    assert meta["signer"] == "Thea D. Rozman Kendler"
    assert (meta["rin"], meta["docket"]) == ("0694-AJ13", "230221-0050")
    entries = [(m["entity"], m["country"], m["fr_citation"]) for _, m in spans(doc, "table_entry")]
    assert entries == [(name, country, "88 FR 12170") for name, country in [
        ("CPUNTO Inc.", "Canada"), ("Electronic Network Inc.", "Canada"),
        ("AOOK Technology Ltd.", "China"),
        ("Beijing Ti-Tech Science and Technology Development Co.", "China"),
        ("Beijing Yunze Technology Co., Ltd.", "China"),
        ("China HEAD Aerospace Technology Co.", "China"), ("Spacety Co., Ltd.", "China"),
        ("China HEAD Aerospace Technology Co.", "France"), ("Spacety Co., Ltd.", "Luxembourg"),
        ("China HEAD Aerospace Technology Co.", "Netherlands"),
        ("Dexias Industrial Products and Trade Limited Company", "Russia"),
        ("Innovation and Technologies LLC", "Russia"), ("Promtekhkomplekt JSC", "Russia")]]
    promtekh = spans(doc, "table_entry")[-1]
    assert promtekh[0].startswith("Entity List entry — Country: RUSSIA. Entity: Promtekhkomplekt JSC, a.k.a.")
    assert promtekh[1]["address"].startswith("MKAD Greenwood Business Park")
    reasons = spans(doc, "reason")
    assert [m["entity"].split(" | ") for _, m in reasons] == [
        ["AOOK Technology Ltd.", "CPUNTO Inc.", "Dexias Industrial Products and Trade Limited Company",
         "Electronic Network Inc.", "Innovation and Technologies LLC", "Promtekhkomplekt JSC"],
        ["Beijing Ti-Tech Science and Technology Development Co.", "Beijing Yunze Technology Co., Ltd.",
         "China HEAD Aerospace Technology Co.", "Spacety Co., Ltd."]]
    assert reasons[1][1]["country"] == "China | France | Netherlands | Luxembourg"
    assert "significantly contribute to Russia's military and/or defense industrial base" in reasons[0][0]
    assert "10 entities under 13 entries" in spans(doc, "summary")[0][0]
