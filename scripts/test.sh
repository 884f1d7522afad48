#!/usr/bin/env bash
# Second command of the README: install what the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BOT_PREPARE_MODELS="${BOT_PREPARE_MODELS-smollm135m}" bash scripts/install.sh  # tests use SmolLM2
.venv/bin/ruff check bot tests bench
.venv/bin/python -m mypy bot bench
.venv/bin/python -m pytest "$@"
