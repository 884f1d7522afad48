#!/usr/bin/env bash
# Second command of the README: install what the tests need, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BOT_PREPARE_MODELS="${BOT_PREPARE_MODELS-smollm135m}" bash scripts/install.sh  # tests use SmolLM2
if ! command -v chromium >/dev/null 2>&1; then  # the browser tests drive Debian's chromium
  echo "==> installing Debian's chromium for the browser tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && \
      $SUDO apt-get install -y -q chromium >/dev/null; } || echo "warning: could not install chromium: the browser tests will be skipped" >&2
  else
    echo "warning: no apt-get: install chromium yourself, or the browser tests are skipped" >&2
  fi
fi
.venv/bin/ruff check bot tests bench
.venv/bin/python -m mypy bot bench
.venv/bin/python -m pytest "$@"
