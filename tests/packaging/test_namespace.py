"""ListLens installs under one `listlens` namespace, so it can live beside any other project."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_wheel_installs_beside_a_package_named_app(tmp_path):
    # Build the wheel with the test interpreter's setuptools (no network for a build env).
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", tmp_path / "dist", REPO)
    wheel = next((tmp_path / "dist").glob("listlens-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"listlens"}, top
    assert any(n.startswith("listlens/app/sample_corpus/") for n in names)  # data ships too

    # A fresh venv holding someone else's `app` package and then ListLens.
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    (Path(site) / "app").mkdir()
    (Path(site) / "app" / "__init__.py").write_text("OWNER = 'a flask app'\n")

    out = run(python, "-c", "import app, listlens.app, listlens.ingest.vocab as v; "
                            "print(app.OWNER, '|', v.words_to_number('forty-one'))", cwd=tmp_path)
    assert out.strip() == "a flask app | 41"
