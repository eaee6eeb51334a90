"""`listlens bench --quick`: every part runs for real at tiny scale and the JSON has its shape.
No timing assertions: the machine is shared."""

from __future__ import annotations

import json

from listlens.app.cli import main
from listlens.evals.bench import format_table, parse_scales


def test_parse_scales():
    assert parse_scales("10k,100k,1m") == [10_000, 100_000, 1_000_000]
    assert parse_scales("1500") == [1500]


def test_quick_bench_writes_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--json", str(out), "--work-dir", str(tmp_path / "work"),
                 "--scale", "500,1k", "--data-dir", str(tmp_path / "data")]) == 0
    data = json.loads(out.read_text())
    assert len(data["load_avg_start"]) == 3 and data["cpus"] >= 1
    parts = data["parts"]
    ingest = parts["ingest"]
    assert ingest["nodes"] > 0 and ingest["raw_encode_nodes"] == ingest["nodes"]
    assert ingest["nodes_per_s"] > 0 and ingest["ratio_to_raw_encode"] > 0
    assert ingest["child_peak_rss_mb"] > 100  # the model alone is bigger than that
    assert parts["naive"]["nodes"] > 0 and parts["naive"]["seconds"] > 0
    scale = parts["scale"]
    assert [s["nodes"] for s in scale] == [500, 1000]
    assert [s["store"] for s in scale] == ["embedded", "server"]  # the largest: a chroma server
    for s in scale:
        assert s["build"]["complete"] and s["documents"] > 0
        for leg in ("ask", "retrieve", "dense", "keyword", "entities", "catalog"):
            assert s[f"{leg}_p50_ms"] <= s[f"{leg}_p95_ms"]
    llm = parts["llm"]
    assert "skipped" in llm or (llm["tokens"] > 0 and llm["ttft_ms"] > 0)
    serve = parts["serve"]
    assert "error" not in serve, serve
    assert 0 < serve["http_s"] <= serve["first_ask_s"] and serve["peak_rss_mb"] > 0
    assert parts["help"]["median_s"] > 0
    table = capsys.readouterr().out
    assert table == format_table(data) + "\n"
    assert "raw encode" in table and "query @ 1k" in table and "--help" in table
