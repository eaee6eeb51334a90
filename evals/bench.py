"""`listlens bench`: how fast ListLens is on this machine, each figure beside its reference.

- ingest: nodes/s end to end on the shared corpus, beside the raw sentence-transformers encode
  rate of the same node texts (the physical limit: the ratio is the figure) and beside the naive
  llama-index pipeline (`evals/baseline.py`) ingesting the same corpus;
- query latency p50/p95 (retrieval alone, extractive answers, and each retrieval leg) at
  synthetic scales built from the real library's embeddings (no re-encoding); the largest scale
  (1M by default) in a Chroma server started here;
- local LLM time to first token and tokens/s, `listlens serve` cold start, `listlens --help`
  time, peak memory of ingest and of serve.

Every part runs in a child process (`evals.bench_worker`), so peak memory is per part. The
machine may be shared: the load average is recorded beside the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "raw"
DEFAULT_GOLD = REPO / ".." / "shared" / "corpus" / "gold_dev.jsonl"
QUICK_GOLD = REPO / "app" / "sample_gold.jsonl"
# Retrieval quality per way of encoding; the float model as shipped is the reference.
QUALITY_CONFIGS = [
    {"label": "float", "encoder": "torch-float", "record_tokens": 256},
    {"label": "int8", "encoder": "onnx-int8", "record_tokens": 256},
    {"label": "int8_records32", "encoder": "onnx-int8", "record_tokens": 32},
]
QUICK_CORPUS = REPO / "app" / "sample_corpus"
DEFAULT_SCALES = [10_000, 100_000, 1_000_000]
QUICK_SCALES = [1_000, 3_000]
SERVER_FROM = 1_000_000  # scales from here on run against a `chroma run` server
BARS = {"ingest_s": 100.0, "recall_drop": 0.02, "first_question_s_100k": 5.0,
        "first_question_s_1m": 30.0, "ingest_ratio": 0.8, "ask_p50_ms_100k": 100.0, "ask_p95_ms_100k": 300.0, "help_s": 1.5}
QUESTIONS = [
    "Why was Hefei National Laboratory added to the Entity List?",
    "Why were NSO Group and Candiru added to the Entity List?",
    "What is the Federal Register citation for the addition of Positive Technologies?",
    "Which Chinese entities were added for supporting military modernization?",
    "What license review policy applies to entities added for quantum computing?",
    "When were Russian entities added under the Russia sanctions rule?",
    "What does the Unverified List mean for exporters?",
    "Why was Huawei placed on the Entity List?",
    "What are the criteria for adding an entity to the Entity List?",
    "Which entities in Iran were designated?",
    "What address is listed for Beijing Computational Science Research Center?",
    "Why did Treasury sanction the SUEX virtual currency exchange?",
]
LLM_PROMPT = ("Using only this evidence, answer in two sentences and cite [1].\n[1] The Entity List "
              "additions of November 2021 named NSO Group and Candiru, Israeli companies that "
              "developed and supplied spyware to foreign governments that used it to maliciously "
              "target government officials, journalists, businesspeople and activists.\n"
              "Question: Why were NSO Group and Candiru added to the Entity List?")

Log = Callable[[str], None]


def parse_scales(text: str) -> list[int]:
    """'10k,100k,1m' → [10000, 100000, 1000000]."""
    out = []
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        mult = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
        out.append(int(float(part.rstrip("km")) * mult))
    return out


def _label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listlens() -> list[str]:
    exe = Path(sys.executable).parent / "listlens"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "listlens.app.cli"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTLENS_")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               TQDM_DISABLE="1", )
    return env


def _wait(proc: subprocess.Popen, timeout: float | None) -> float:
    """Wait for `proc` (killing it after `timeout`); its peak RSS in MB, from wait4's rusage."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss / 1024
        if deadline is not None and time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.2)


def run_worker(task: str, args: dict, timeout: float | None = None) -> dict:
    """Run one measured part in a child process; its JSON result plus the child's peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "listlens.evals.bench_worker", task, json.dumps(args)],
                                stdout=out, stderr=err, cwd=REPO, env=_env())
        rss = _wait(proc, timeout)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode(errors="replace").strip().splitlines()
        tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
    if proc.returncode != 0 or not lines:
        return {"error": f"{task} worker exited with {proc.returncode}: {' | '.join(tail)[-400:]}"}
    try:
        result = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"{task} worker printed no result: {lines[-1][:200]}"}
    result["child_peak_rss_mb"] = round(rss, 1)
    return result


# --- parts run here --------------------------------------------------------------------------


def help_time(runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*_listlens(), "--help"], stdout=subprocess.DEVNULL, env=_env(), check=True)
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def serve_cold_start(data_dir: Path, collection: str, question: str, model_dir: Path,
                     timeout: float = 300) -> dict:
    """Seconds from `listlens serve` starting until the UI answers HTTP, and until a first
    /ask API call (gradio_client) returns; the server's peak RSS."""
    import httpx

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = subprocess.Popen([*_listlens(), "serve", "--port", str(port), "--data-dir", str(data_dir),
                             "--collection", collection], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env={**_env(), "LISTLENS_MODEL_DIR": str(model_dir)})
    result: dict[str, Any] = {}
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                return {"error": f"serve exited with {proc.returncode}"}
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            return {"error": f"serve did not answer within {timeout:.0f} s"}
        result["http_s"] = time.perf_counter() - started
        from gradio_client import Client

        answer = Client(url, verbose=False).predict(question=question, api_name="/ask")
        result["first_ask_s"] = time.perf_counter() - started
        result["refused"] = bool(answer.get("refused")) if isinstance(answer, dict) else None
    except Exception as exc:  # report, don't abort the whole bench
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        proc.terminate()
        result["peak_rss_mb"] = round(_wait(proc, 30), 1)
    return result


class ChromaServer:
    """`chroma run --path DIR` on a free loopback port, stopped on exit."""

    def __init__(self, path: Path):
        self.path = path
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "ChromaServer":
        import httpx

        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
        self.path.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([chroma, "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=_env())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1)
                return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the Chroma server did not start within 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# --- the whole run ---------------------------------------------------------------------------


def run_bench(work_dir: Path, corpus: Path | None = None, scales: list[int] | None = None,
              quick: bool = False, model_cache: Path | None = None, build_budget_s: float = 1200,
              rounds: int | None = None, parts: set[str] | None = None,
              log: Log = lambda s: None, partial_json: Path | None = None) -> dict:
    """Every figure, as a dict ready for JSON. `parts` limits the run (ingest, naive, scale,
    llm, serve, help, screen); the scale and serve parts need the ingest part's library."""
    parts = parts or {"ingest", "quality", "naive", "scale", "llm", "serve", "help", "screen"}
    corpus = Path(corpus or (QUICK_CORPUS if quick else DEFAULT_CORPUS)).resolve()
    scales = scales or (QUICK_SCALES if quick else DEFAULT_SCALES)
    rounds = rounds or (1 if quick else 3)
    questions = QUESTIONS[:4] if quick else QUESTIONS
    server_from = max(scales) if quick else SERVER_FROM
    work_dir.mkdir(parents=True, exist_ok=True)
    model_cache = model_cache or work_dir / "models"

    def save() -> None:
        if partial_json:
            partial_json.write_text(json.dumps(results, indent=2))

    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "quick": quick, "corpus": str(corpus),
        "cpus": os.cpu_count(), "load_avg_start": _load(), "bars": BARS, "parts": {}}
    ingest_dir, collection = work_dir / "ingest", "bench"
    if "ingest" in parts:
        log(f"ingest: ListLens and raw encode of {corpus} (load {_load()})")
        shutil.rmtree(ingest_dir, ignore_errors=True)
        got = run_worker("ingest", {"data_dir": str(ingest_dir), "collection": collection,
                                    "paths": [str(corpus)], "raw_sample": None if quick else 6000,
                                    "model_dir": str(model_cache)})
        got["load_avg"] = _load()
        if "nodes_per_s" in got and got.get("raw_encode_nodes_per_s"):
            got["ratio_to_raw_encode"] = got["nodes_per_s"] / got["raw_encode_nodes_per_s"]
        if got.get("cpu_ms_per_node"):
            got["cpu_ratio_to_raw_encode"] = got["raw_cpu_ms_per_node"] / got["cpu_ms_per_node"]
        results["parts"]["ingest"] = got
        save()
    if "quality" in parts:
        log(f"quality: dev-set recall per encoding, {', '.join(c['label'] for c in QUALITY_CONFIGS)} "
            f"(load {_load()})")
        quality_dir = work_dir / "quality"
        shutil.rmtree(quality_dir, ignore_errors=True)  # each encoder's eval ingest is timed
        got = run_worker("quality", {"data_dir": str(quality_dir), "corpus": str(corpus),
                                     "gold": str(QUICK_GOLD if quick else DEFAULT_GOLD),
                                     "configs": QUALITY_CONFIGS, "model_dir": str(model_cache)})
        got["load_avg"] = _load()
        results["parts"]["quality"] = got
        save()
    if "scale" in parts:
        rows: list[dict] = []
        results["parts"]["scale"] = rows
        for n in sorted(scales):
            log(f"scale {_label(n)}: build and query (load {_load()})")
            args = {"source_dir": str(ingest_dir), "source_collection": collection,
                    "collection": f"scale{n}", "nodes": n, "budget_s": build_budget_s,
                    "questions": questions, "rounds": rounds, "model_dir": str(model_cache)}
            if n >= server_from:
                with ChromaServer(work_dir / f"server-{n}") as server:
                    args.update(data_dir=str(work_dir / "scale-server-data"), chroma_url=server.url,
                                reuse=True)
                    got = run_worker("scale", args)
            else:
                args.update(data_dir=str(work_dir / "scale"))
                got = run_worker("scale", args)
            marker = work_dir / f"build-{n}.json"
            build = got.get("build", {})
            if build.get("reused") and marker.exists():
                got["build"] = {**json.loads(marker.read_text()), "reused": True}
            elif build and not build.get("reused"):
                marker.write_text(json.dumps(build))
            got["label"] = _label(n)
            got["load_avg"] = _load()
            rows.append(got)
            save()
    if "llm" in parts:
        log(f"local LLM (load {_load()})")
        models = ["qwen2.5-0.5b"] if quick else ["qwen2.5-1.5b", "qwen2.5-0.5b"]
        got = run_worker("llm", {"models": models, "cache_dir": str(model_cache),
                                 "prompt": LLM_PROMPT, "max_tokens": 16 if quick else 64})
        got["load_avg"] = _load()
        results["parts"]["llm"] = got
        save()
    if "serve" in parts:
        log(f"serve cold start (load {_load()})")
        got = serve_cold_start(ingest_dir, collection, questions[1], model_cache)
        got["load_avg"] = _load()
        results["parts"]["serve"] = got
        save()
    if "help" in parts:
        got = help_time(3 if quick else 5)
        got["load_avg"] = _load()
        results["parts"]["help"] = got
        save()
    if "naive" in parts:
        log(f"naive llama-index ingest of {corpus} (load {_load()})")
        naive_dir = work_dir / "naive"
        shutil.rmtree(naive_dir, ignore_errors=True)
        got = run_worker("naive", {"data_dir": str(naive_dir), "collection": collection,
                                   "paths": [str(corpus)], "model_dir": str(model_cache)})
        got["load_avg"] = _load()
        ours = results["parts"].get("ingest", {})
        if got.get("seconds") and ours.get("seconds"):
            got["listlens_speedup"] = got["seconds"] / ours["seconds"]
        results["parts"]["naive"] = got
        save()
    if "screen" in parts:
        lists = corpus / "list_data" if (corpus / "list_data").is_dir() else corpus / "lists"
        log(f"screening: {lists} (load {_load()})")
        got = run_worker("screen", {"list_dir": str(lists), "per_kind": 60 if quick else 400})
        got["load_avg"] = _load()
        results["parts"]["screen"] = got
        save()
    results["load_avg_end"] = _load()
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    return results


# --- the table -------------------------------------------------------------------------------


def _f(value: Any, fmt: str = "{:.0f}") -> str:
    return "–" if value is None or value != value else fmt.format(value)


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "MISS")


def format_table(results: dict) -> str:
    """A markdown table of every figure beside its reference."""
    p = results["parts"]
    rows: list[tuple[str, str, str, str]] = []
    ing = p.get("ingest", {})
    if "nodes_per_s" in ing:
        ratio = ing.get("ratio_to_raw_encode")
        fast = (ing["seconds"] <= BARS["ingest_s"]) if ing["nodes"] and not results.get("quick") else None
        rows.append((f"ingest, ListLens end to end ({ing.get('encoder', '?')})",
                     f"{_f(ing['nodes_per_s'], '{:.1f}')} nodes/s ({ing['nodes']:,} nodes, "
                     f"{_f(ing['seconds'], '{:.0f}')} s)",
                     f"raw float encode of the same texts {_f(ing['raw_encode_nodes_per_s'], '{:.1f}')} nodes/s",
                     f"{_f(ratio, '{:.2f}')} × (bar ≥ {BARS['ingest_ratio']}) "
                     f"{_verdict(ratio >= BARS['ingest_ratio'] if ratio else None)}"
                     + (f"; bar ≤ {BARS['ingest_s']:.0f} s on a quiet machine {_verdict(fast)}"
                        if fast is not None else "")))
        if ing.get("cpu_ratio_to_raw_encode"):
            rows.append(("ingest, CPU time per node", f"{_f(ing['cpu_ms_per_node'], '{:.1f}')} ms",
                         f"raw encode {_f(ing['raw_cpu_ms_per_node'], '{:.1f}')} ms",
                         f"{_f(ing['cpu_ratio_to_raw_encode'], '{:.2f}')} × (load-independent)"))
        rows.append(("ingest peak memory (RSS)", f"{_f(ing.get('child_peak_rss_mb'))} MB",
                     f"model loaded: {_f(ing.get('peak_rss_mb_before_ingest'))} MB", ""))
    elif ing:
        rows.append(("ingest", ing.get("error", "?"), "", ""))
    q = p.get("quality", {})
    ref = next(iter(q.get("configs", [])), {})
    for got in q.get("configs", []):
        drops = [ref[k] - got[k] for k in ("evidence_recall@5", "evidence_recall@10")
                 if ref.get(k) is not None and got.get(k) is not None]
        ok = max(drops) <= BARS["recall_drop"] if drops and got is not ref else None
        rows.append((f"dev-set retrieval, {got['encoder']}, records from {got['record_tokens']} "
                     f"tokens ({q['questions']} questions)",
                     f"recall@5 {_f(got['evidence_recall@5'], '{:.3f}')}, "
                     f"@10 {_f(got['evidence_recall@10'], '{:.3f}')}; answers {_f(got['answer_accuracy'], '{:.3f}')}",
                     f"eval ingest {_f(got['ingest_seconds'])} s; ingest + answers {_f(got['cpu_seconds'])} CPU-s"
                     + (f" (float: {_f(ref.get('ingest_seconds'))} s, {_f(ref.get('cpu_seconds'))} CPU-s)"
                        if got is not ref else ""),
                     f"bar: recall within {BARS['recall_drop']} of float {_verdict(ok)}"
                     if ok is not None else "reference"))
    if q.get("error"):
        rows.append(("dev-set retrieval", q["error"], "", ""))
    nv = p.get("naive", {})
    if "nodes_per_s" in nv:
        rows.append(("ingest, naive llama-index pipeline",
                     f"{_f(nv['seconds'])} s ({nv['nodes']:,} nodes of 1024 tokens, "
                     f"{_f(nv['nodes_per_s'], '{:.1f}')} nodes/s)",
                     f"ListLens {_f(ing.get('seconds'))} s for {ing.get('nodes', 0):,} nodes",
                     f"naive time / ListLens time {_f(nv.get('listlens_speedup'), '{:.2f}')}"))
    elif nv:
        rows.append(("ingest, naive llama-index", nv.get("error", "?"), "", ""))
    first_bars = {100_000: BARS["first_question_s_100k"], 1_000_000: BARS["first_question_s_1m"]}
    for s in p.get("scale", []):
        if "ask_p50_ms" not in s:
            rows.append((f"query @ {s.get('label')}", s.get("error", "?"), "", ""))
            continue
        b = s["build"]
        size = f"{s['nodes']:,} nodes, {s['store']}"
        if not b.get("complete", True):
            size += f", build stopped at budget"
        at100k = s["target_nodes"] == 100_000
        ok = (s["ask_p50_ms"] <= BARS["ask_p50_ms_100k"] and s["ask_p95_ms"] <= BARS["ask_p95_ms_100k"]
              ) if at100k else None
        rows.append((f"query @ {s['label']} ({size})",
                     f"answer p50 {_f(s['ask_p50_ms'])} / p95 {_f(s['ask_p95_ms'])} ms",
                     f"retrieval p50 {_f(s['retrieve_p50_ms'])} / p95 {_f(s['retrieve_p95_ms'])} ms; "
                     f"dense {_f(s['dense_p50_ms'])}, BM25 {_f(s['keyword_p50_ms'])}, "
                     f"entities {_f(s['entities_p50_ms'], '{:.1f}')}, catalog {_f(s['catalog_p50_ms'], '{:.1f}')} ms",
                     (f"bar p50 ≤ 100, p95 ≤ 300 {_verdict(ok)}; " if at100k else "")
                     + f"first question {_f(s['first_question_ms'] / 1000, '{:.1f}')} s"
                     + (f" (bar ≤ {bar:.0f} s {_verdict(s['first_question_ms'] / 1000 <= bar)})"
                        if (bar := first_bars.get(s["target_nodes"])) else "")
                     + f"; built at {_f(b.get('nodes_per_s'))} nodes/s"
                     + (" (reused)" if b.get("reused") else "")
                     + (f", caches built in {_f(b['caches_s'], '{:.1f}')} s" if "caches_s" in b else "")))
    llm = p.get("llm", {})
    if "ttft_ms" in llm:
        rows.append((f"local LLM {llm['model']} ({llm['n_threads']} thread(s))",
                     f"first token {_f(llm['ttft_ms'])} ms, {_f(llm['tokens_per_s'], '{:.1f}')} tokens/s",
                     f"model load {_f(llm['load_seconds'], '{:.1f}')} s",
                     f"peak RSS {_f(llm.get('child_peak_rss_mb'))} MB"))
    elif llm:
        rows.append(("local LLM", llm.get("skipped") or llm.get("error", "?"), "", ""))
    sv = p.get("serve", {})
    if "first_ask_s" in sv:
        rows.append(("`listlens serve` cold start",
                     f"UI answers HTTP after {_f(sv['http_s'], '{:.1f}')} s, first /ask after "
                     f"{_f(sv['first_ask_s'], '{:.1f}')} s", "on the ingested corpus",
                     f"peak RSS {_f(sv.get('peak_rss_mb'))} MB"))
    elif sv:
        rows.append(("`listlens serve` cold start", sv.get("error", "?"), "", ""))
    hp = p.get("help", {})
    if hp:
        rows.append(("`listlens --help`", f"{_f(hp['median_s'], '{:.2f}')} s (median of {hp['runs']})",
                     "", f"bar ≤ {BARS['help_s']} s {_verdict(hp['median_s'] <= BARS['help_s'])}"))
    rows += screen_rows(p.get("screen"))
    load = results.get("load_avg_start", [])
    head = (f"ListLens bench, {results.get('started', '')}: {results.get('cpus')} cores, load average "
            f"{'/'.join(map(str, load))} at start, {'/'.join(map(str, results.get('load_avg_end', [])))} "
            f"at end{' (quick)' if results.get('quick') else ''}\n\n")
    lines = ["| figure | value | reference | ratio / bar |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return head + "\n".join(lines) + "\n"


def screen_rows(sc: dict | None) -> list[tuple[str, str, str, str]]:
    """The screening benchmark's figures beside the naive difflib scan and the entity table."""
    if not sc:
        return []
    if "recall" not in sc:
        return [("screening", sc.get("error", "?"), "", "")]
    bars = sc["bars"]
    rows = [(f"screening @ threshold {sc['threshold']} ({sc['records']:,} records, {sc['names']:,} "
             f"names, {sc['queries']:,} queries)",
             f"recall {sc['recall']:.3f}, precision {sc['precision']:.3f}",
             "; ".join(f"{label}: recall {b['recall']}, precision {b['precision']}"
                       for label, b in sc["baselines"].items()) + f" (on {sc['baseline_sample']})",
             f"bar recall ≥ {bars['recall']}, precision ≥ {bars['precision']} "
             f"{_verdict(sc['recall'] >= bars['recall'] and sc['precision'] >= bars['precision'])}")]
    for kind, k in sc["per_kind"].items():
        value = (f"no match {k['no_match_rate']:.3f}" if "no_match_rate" in k
                 else f"recall {k['recall']:.3f}, top-1 {k['top1']:.3f}, precision {_f(k['precision'], '{:.3f}')}")
        figure = k.get("no_match_rate", k.get("recall"))
        bar = bars["made_up_no_match"] if kind == "made_up" else bars["kind_min"]
        rows.append((f"screening: {kind} (n={k['n']})", value, "",
                     f"bar ≥ {bar} {_verdict(figure >= bar)}"))
    rows.append(("screening speed", f"batch {_f(sc['batch_names_per_s'])} names/s "
                 f"({_f(sc['batch_names_per_cpu_s'])} per CPU second); one name p50 "
                 f"{sc['single_p50_ms']} / p95 {sc['single_p95_ms']} ms",
                 "; ".join(f"{label} p50 {b['p50_ms']} / p95 {b['p95_ms']} ms"
                           for label, b in sc["baselines"].items()),
                 f"bar ≥ {bars['batch_names_per_s']} names/s, p50 ≤ {bars['single_p50_ms']} ms "
                 f"{_verdict(sc['batch_names_per_s'] >= bars['batch_names_per_s'] and sc['single_p50_ms'] <= bars['single_p50_ms'])}"))
    return rows


def main(json_path: Path | None, scales: list[int] | None, quick: bool, work_dir: Path | None,
         model_cache: Path | None = None, build_budget_s: float = 1200,
         parts: set[str] | None = None) -> dict:
    work_dir = work_dir or Path(tempfile.gettempdir()) / ("listlens-bench-quick" if quick else "listlens-bench")
    log = lambda s: print(f"[bench {time.strftime('%H:%M:%S')}] {s}", file=sys.stderr, flush=True)  # noqa: E731
    results = run_bench(work_dir, scales=scales, quick=quick, model_cache=model_cache,
                        build_budget_s=build_budget_s, parts=parts, log=log, partial_json=json_path)
    print(format_table(results))
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(results, indent=2))
        print(f"wrote {json_path}", file=sys.stderr)
    return results
