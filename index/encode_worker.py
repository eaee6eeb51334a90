"""Bulk encoding in worker processes, each running the int8 ONNX model on one thread.

Processes, not threads: Chroma's embedded client holds the GIL for the whole of a write, so an
encoder in the ingesting process stalls while the previous batch is written (~20 s of a 110 s
ingest of the shared corpus). Single-thread workers that share nothing also lose less to a
busy core than one onnxruntime session whose threads wait on each other at every layer.

Each worker is `python -m listlens.index.encode_worker`, reading pickled requests on stdin and
writing vectors on stdout. It is started as a plain subprocess rather than by multiprocessing,
whose spawn would re-run the caller's main script in every worker.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from listlens.index.errors import ListLensError


class WorkerFailed(ListLensError):
    pass


class _Worker:
    """One worker process, and a thread that talks to it (requests are served in order)."""

    def __init__(self, onnx_path: Path, model_dir: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "listlens.index.encode_worker", str(onnx_path), str(model_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="listlens-encode")

    def submit(self, texts: list[str], max_tokens: int, batch_size: int) -> Future:
        return self.thread.submit(self._call, texts, max_tokens, batch_size)

    def _call(self, texts: list[str], max_tokens: int, batch_size: int) -> np.ndarray:
        try:
            pickle.dump((texts, max_tokens, batch_size), self.process.stdin)
            self.process.stdin.flush()
            return pickle.load(self.process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise WorkerFailed(f"an encoder worker process stopped (exit code "
                               f"{self.process.poll()}): {exc or type(exc).__name__}") from exc

    def close(self) -> None:
        self.thread.shutdown(wait=True, cancel_futures=True)
        try:
            self.process.stdin.close()  # the worker's signal to exit
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


class EncodeWorkers:
    def __init__(self, onnx_path: Path, model_dir: Path, workers: int):
        self.workers = [_Worker(onnx_path, model_dir) for _ in range(workers)]

    def start(self, texts: list[str], max_tokens: int, batch_size: int,
              dimensions: int) -> Callable[[], np.ndarray]:
        """Deal the texts to the workers in turn (so each part has the same mix of lengths)
        and return what to call for the vectors, in the texts' order."""
        n = len(self.workers)
        futures = [w.submit(texts[i::n], max_tokens, batch_size) for i, w in enumerate(self.workers)]

        def result() -> np.ndarray:
            out = np.zeros((len(texts), dimensions), dtype=np.float32)
            for i, future in enumerate(futures):
                out[i::n] = future.result()
            return out

        return result

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def serve(onnx_path: Path, model_dir: Path) -> None:
    """The worker's loop: one request in, its vectors out, until stdin closes."""
    from listlens.index.onnx_model import OnnxEncoder

    encoder = OnnxEncoder(onnx_path, model_dir, threads=1)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            texts, max_tokens, batch_size = pickle.load(requests)
        except EOFError:
            return
        pickle.dump(encoder.encode(texts, max_tokens, batch_size), replies,
                    protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]))
