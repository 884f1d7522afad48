#!/usr/bin/env bash
# Second command of the README: install what the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check bot tests bench
.venv/bin/python -m pytest "$@"
