"""Progress bars: drawn for a person at a terminal, absent from pipes, logs and --json output."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_cli
from tests.index.test_caches import write_list

ESC = "\x1b["


def run_in_terminal(*args: str, timeout: float = 600) -> tuple[int, str]:
    """Run `listlens` with stdout and stderr on a pseudo-terminal; everything it drew."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "listlens.app.cli", *args], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not data:
            break
        out += data
    os.close(master)
    return proc.wait(timeout), out.decode(errors="replace")


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_list(folder / "progress-list.json", [f"Lanternfish Trading Company {i}" for i in range(300)],
               "Utopia")
    return folder


def test_ingest_draws_a_bar_on_a_terminal(tmp_path):
    code, drawn = run_in_terminal("ingest", str(corpus(tmp_path)), "--data-dir", str(tmp_path / "d"))
    assert code == 0, drawn[-2000:]
    assert ESC in drawn and "progress-list.json" in drawn and "301/301" in drawn  # + its summary
    assert "301 nodes written" in drawn  # the report itself still follows


def test_no_bar_under_json_even_on_a_terminal(tmp_path):
    code, drawn = run_in_terminal("ingest", str(corpus(tmp_path)), "--data-dir", str(tmp_path / "d"),
                                  "--json")
    assert code == 0, drawn[-2000:]
    assert ESC not in drawn and "\r\r" not in drawn and '"nodes": 301' in drawn


def test_no_bar_when_the_output_is_not_a_terminal(tmp_path):
    done = run_cli("ingest", str(corpus(tmp_path)), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 0, done.stderr
    for stream in (done.stdout, done.stderr):
        assert ESC not in stream and "\r" not in stream
    assert "301 nodes written" in done.stdout
