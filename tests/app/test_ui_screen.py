"""The Screen tab in a real browser (headless Debian chromium via playwright) and the `/screen`
endpoint via gradio_client, against the sample corpus's list data on 127.0.0.1."""

from __future__ import annotations

import csv

import pytest

from tests.app.ui_helpers import open_tab, screenshot, served

pytest.importorskip("playwright")

PARTIES = [("name", "country"),
           ("Candiro Ltd", "IL"),  # a typo and a legal form of a listed alias
           ("Технологии Позитив", ""),  # Positive Technologies in Russian word order
           ("Зорбласт Динамикс", ""),  # made up, in Cyrillic
           ("Moscow Institute of Physics & Technology", "RU"),
           ("Hefei Sunrise Trading Co., Ltd.", "CN")]  # shares a city word only


@pytest.fixture(scope="module")
def ui_url(sample_library):
    with served(sample_library) as url:
        yield url


def test_an_uploaded_csv_is_screened_downloaded_and_a_match_explained(browser, ui_url, tmp_path):
    path = tmp_path / "parties.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(PARTIES)
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(ui_url)
        open_tab(page, "Screen")
        page.locator("#ll-screen-csv input[type=file]").set_input_files(str(path))
        page.wait_for_timeout(1000)  # the upload lands before the button reads it
        page.locator("#ll-screen-run").click()
        summary = page.locator("#ll-screen-summary")
        summary.get_by_text("5 names screened").wait_for(timeout=120_000)
        assert "3 with a match, 2 without" in summary.inner_text()
        table = page.locator("#ll-screen-table")
        text = table.inner_text()
        assert "Candiru" in text and "Moscow Institute of Physics and Technology" in text
        assert "Positive Technologies" in text and "transliterated" in text
        assert "searched:" in text  # the no-match rows name the lists searched
        assert "Hefei National Laboratory" not in text  # no other entity passed off as a match
        download = page.locator("#ll-screen-download a").first
        download.wait_for(timeout=30_000)
        with page.expect_download() as got:
            download.click()
        rows = list(csv.DictReader(open(got.value.path(), encoding="utf-8")))
        assert [r["query"] for r in rows if r["matched"] == "yes"][:1] == ["Candiro Ltd"]
        assert {r["query"] for r in rows if r["matched"] == "no"} == {
            "Зорбласт Динамикс", "Hefei Sunrise Trading Co., Ltd."}
        screenshot(page, "screen-csv")
        # one click on a match asks why that entity was listed
        table.get_by_text("Candiro Ltd").first.click()
        why = page.locator("#ll-screen-why")
        why.get_by_text("Why was Candiru added to the Entity List").wait_for(timeout=120_000)
        assert "spyware" in why.inner_text().lower()
        screenshot(page, "screen-why")
    finally:
        context.close()


def test_one_name_on_the_page_and_through_the_api(browser, ui_url):
    from gradio_client import Client

    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        page.goto(ui_url)
        open_tab(page, "Screen")
        page.locator("#ll-screen-name textarea, #ll-screen-name input").first.fill("Zorblax Dynamics")
        page.locator("#ll-screen-run").click()
        page.locator("#ll-screen-summary").get_by_text("No match for").wait_for(timeout=60_000)
        assert "Entity List (EL)" in page.locator("#ll-screen-summary").inner_text()
    finally:
        context.close()
    result = Client(ui_url, verbose=False).predict(name="Positive Technologies", country="RU",
                                                   api_name="/screen")
    assert result["matched"] and result["matches"][0]["entity"] == "Positive Technologies"
    assert result["matches"][0]["country_signal"] == "match"
    assert result["searched"]
