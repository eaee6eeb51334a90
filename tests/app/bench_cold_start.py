"""Benchmark (not a test): `listlens serve --sample` cold start to the first answered /ask.

    .venv/bin/python tests/app/bench_cold_start.py DATA_DIR fresh|warm

`fresh` deletes DATA_DIR first (so the sample corpus is embedded), `warm` reuses it (a restart).
"""
import os, socket, subprocess, sys, time, shutil
from pathlib import Path
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]
data = Path(sys.argv[1]); fresh = sys.argv[2] == "fresh"
if fresh: shutil.rmtree(data, ignore_errors=True)
port = free_port()
env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
t0 = time.perf_counter()
proc = subprocess.Popen([".venv/bin/listlens", "serve", "--sample", "--port", str(port), "--data-dir", str(data)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
import httpx
while True:
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1); break
    except Exception: time.sleep(0.1)
t_listen = time.perf_counter() - t0
from gradio_client import Client
ans = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(question="Why was NSO Group added to the Entity List?", api_name="/ask")
t_first = time.perf_counter() - t0
print(f"{'fresh data dir' if fresh else 'existing data dir'}: listening after {t_listen:.1f} s, first answer after {t_first:.1f} s, refused={ans['refused']}")
proc.terminate(); proc.wait(10)
