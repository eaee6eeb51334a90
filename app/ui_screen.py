"""The Screen tab: is a name (or every name of an uploaded CSV) on a list in the library?

Results show one row per match (score, listed name, how it matched, list, country, FR citation
or program, dates, record) or one "no match" row naming the lists searched; they download as
CSV. Clicking a match asks the Ask path why that entity was listed. The `/screen` API endpoint
returns the same result as JSON.
"""

import csv
import time
from pathlib import Path
from typing import Any

from listlens.app.ui_library import upload_dir_for
from listlens.app.ui_render import answer_html, esc, notice_html

COLUMNS = ["name screened", "match", "score", "listed name", "entity", "list", "countries",
           "FR citation / program", "listed since", "list data of", "how it matched", "record"]


def _lists(text: str | None) -> list[str] | None:
    return [x.strip() for x in (text or "").split(",") if x.strip()] or None


def result_rows(results) -> list[list[Any]]:
    """Table rows: one per match, or one naming the lists searched when nothing matched."""
    from listlens.index.screen import csv_rows

    return [[r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]]
            for result in results for r in csv_rows(result)]


def why_question(row: list[Any]) -> str | None:
    """"Why was <entity> added to the <list>?" for a match row; None for a no-match row."""
    if len(row) < 6 or row[1] != "yes" or not row[4]:
        return None
    return f"Why was {row[4]} added to the {str(row[5]).split(' - ')[0]}?"


def summary_html(results) -> str:
    matched = [r for r in results if r.matched]
    if len(results) == 1:
        r = results[0]
        if not r.matched:
            return notice_html(f"No match for “{r.query}” at threshold {r.threshold:.2f}. "
                               f"Searched: {r.searched_text()}.", "refusal")
        return notice_html(f"{len(r.matches)} match(es) for “{r.query}”. Click a row to ask why "
                           "that entity was listed.", "info")
    return notice_html(f"{len(results)} names screened: {len(matched)} with a match, "
                       f"{len(results) - len(matched)} without. Searched: "
                       f"{results[0].searched_text() if results else ''}. Click a match to ask "
                       "why that entity was listed.", "info")


def build_screen_tab(gr, library) -> None:
    """The Screen tab and the `/screen` endpoint (call inside `gr.Tabs()` of the Blocks)."""
    from listlens.index.errors import ListLensError
    from listlens.index.screen import CSV_COLUMNS, csv_rows, read_parties

    out_dir = upload_dir_for(library.config.data_dir) / "screening"

    with gr.Tab("Screen", id="screen"):
        gr.Markdown("Is this party on a list in the library? Names are compared after "
                    "transliteration (Cyrillic, Arabic, Chinese), without legal forms, "
                    "punctuation or word order. Screen one name, or upload a CSV with a `name` "
                    "column (and optionally `country`).")
        with gr.Row():
            name = gr.Textbox(label="Name", scale=3, elem_id="ll-screen-name",
                              placeholder="e.g. Positive Technologies, АО Кронштадт, 旷视科技")
            country = gr.Textbox(label="Country (optional)", scale=1, elem_id="ll-screen-country")
            lists = gr.Textbox(label="Lists (e.g. EL,SDN; empty = all)", scale=1)
            threshold = gr.Slider(0.5, 1.0, value=library.config.screen_threshold, step=0.01,
                                  label="Threshold", scale=2)
        parties = gr.File(label="…or a CSV of parties", file_types=[".csv"],
                          elem_id="ll-screen-csv")
        run = gr.Button("Screen", variant="primary", elem_id="ll-screen-run")
        summary = gr.HTML(elem_id="ll-screen-summary")
        table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True,
                             elem_id="ll-screen-table", label="Results")
        download = gr.File(label="Results as CSV", interactive=False, elem_id="ll-screen-download")
        why = gr.HTML(elem_id="ll-screen-why")

        def screen_event(name_v, country_v, lists_v, threshold_v, csv_path, progress=gr.Progress()):
            try:
                if csv_path:
                    rows = read_parties(Path(csv_path))
                    if country_v:
                        rows = [(n, c or country_v) for n, c in rows]
                    results = library.screen_many(
                        rows, _lists(lists_v), threshold_v,
                        progress=lambda done, total: progress(done / total, desc="screening"))
                elif (name_v or "").strip():
                    results = [library.screen(name_v.strip(), (country_v or "").strip() or None,
                                              _lists(lists_v), threshold_v)]
                else:
                    return notice_html("Type a name or upload a CSV first.", "error"), None, None, ""
            except (ListLensError, OSError) as exc:
                return notice_html(str(exc), "error"), None, None, ""
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / f"screening-{time.strftime('%Y%m%d-%H%M%S')}.csv"
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(CSV_COLUMNS)
                for r in results:
                    writer.writerows(csv_rows(r))
            return summary_html(results), result_rows(results), str(path), ""

        def explain(rows, evt: gr.SelectData):
            """A click on a match: ask why that entity was listed."""
            data = rows.values.tolist() if hasattr(rows, "values") else list(rows or [])
            row = data[evt.index[0]] if data and evt.index[0] < len(data) else []
            question = why_question(row)
            if question is None:
                return notice_html("Click a row with a match to ask why it was listed.", "info")
            try:
                answer = library.ask(question)
            except ListLensError as exc:
                return notice_html(str(exc), "error")
            return f"<h4>{esc(question)}</h4>" + answer_html(answer)

        run.click(screen_event, [name, country, lists, threshold, parties],
                  [summary, table, download, why], api_visibility="private")
        name.submit(screen_event, [name, country, lists, threshold, parties],
                    [summary, table, download, why], api_visibility="private")
        table.select(explain, table, why, api_visibility="private")

        def screen_api(name: str, country: str = "", lists: str = "", threshold: float = 0.0) -> dict:
            """Screen one name against every list in the library (or `lists`, comma-separated:
            EL,SDN,...). Returns matched, matches (score, matched_name, how, list, countries,
            fr_citation, listed_since, data_date, node_id, link, record) and the lists searched."""
            return library.screen(name, country or None, _lists(lists), threshold or None).to_dict()

        gr.api(screen_api, api_name="screen")
