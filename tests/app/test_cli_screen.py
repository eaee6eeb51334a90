"""`listlens screen`: one name or a CSV of parties, run as the real command in a subprocess
against the sample corpus's list data."""

from __future__ import annotations

import csv
import json

from tests.conftest import run_cli


def data_dir(library) -> str:
    return str(library.config.data_dir)


def test_one_name_prints_its_matches_explained(sample_library):
    done = run_cli("screen", "Candiro Ltd", "--country", "IL", "--data-dir", data_dir(sample_library))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "match(es) for “Candiro Ltd”" in out and "Candiru" in out
    assert "Entity List (EL)" in out and "86 FR 60760" in out
    assert "close: candiro≈candiru" in out and "country match" in out
    assert "record: " in out and "#chars=" in out


def test_a_made_up_name_says_no_match_and_names_the_lists(sample_library):
    done = run_cli("screen", "Hefei Sunrise Trading Co., Ltd.", "--json",
                   "--data-dir", data_dir(sample_library))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["matched"] is False and result["matches"] == []
    assert {s["name"] for s in result["searched"]} >= {
        "Entity List (EL) - Bureau of Industry and Security",
        "Specially Designated Nationals (SDN) - Treasury Department"}
    assert result["summary"].startswith("No match for")


def test_a_csv_of_parties_is_screened_to_a_csv(sample_library, tmp_path):
    parties = tmp_path / "parties.csv"
    parties.write_text("name,country\nPositive Technologies,RU\nZorblax Dynamics,\n"
                       "МФТИ,RU\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    done = run_cli("screen", "--csv", str(parties), "--out", str(out), "--list", "EL",
                   "--data-dir", data_dir(sample_library))
    assert done.returncode == 0, done.stderr
    assert "3 names screened: 2 with a match, 1 without" in done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_query = {r["query"]: r for r in rows}
    assert by_query["Positive Technologies"]["matched"] == "yes"
    assert by_query["Positive Technologies"]["list"].startswith("Entity List (EL)")
    assert by_query["Zorblax Dynamics"]["matched"] == "no"
    assert "searched: Entity List (EL)" in by_query["Zorblax Dynamics"]["list"]
    assert "SDN" not in by_query["Zorblax Dynamics"]["list"]  # only the list asked for
    assert "transliterated" in by_query["МФТИ"]["how"]


def test_bad_requests_get_clear_errors(sample_library, tmp_path):
    d = data_dir(sample_library)
    done = run_cli("screen", "--data-dir", d)
    assert done.returncode == 2 and "give one NAME or --csv FILE" in done.stderr
    done = run_cli("screen", "NSO Group", "--threshold", "3", "--data-dir", d)
    assert done.returncode == 1 and "between 0 and 1" in done.stderr
    done = run_cli("screen", "NSO Group", "--list", "XYZ", "--data-dir", d)
    assert done.returncode == 1 and "no list 'XYZ'" in done.stderr
    empty_name = tmp_path / "bad.csv"
    empty_name.write_text("name,country\nNSO Group,IL\n,RU\n", encoding="utf-8")
    done = run_cli("screen", "--csv", str(empty_name), "--data-dir", d)
    assert done.returncode == 1 and "line 3: no name" in done.stderr


def test_help_describes_every_option():
    done = run_cli("screen", "--help")
    assert done.returncode == 0
    for option in ("--country", "--list", "--threshold", "--csv", "--out", "--json"):
        assert option in done.stdout
    assert "transliteration" in done.stdout
