#!/usr/bin/env bash
# First command of the README: install, load the seed articles, serve the bot in the browser with the
# embedded model warm (the URL is printed once it answers).
set -euo pipefail
cd "$(dirname "$0")/.."
BOT_PREPARE_MODELS="${BOT_PREPARE_MODELS-qwen1.5b}" bash scripts/install.sh
echo "==> ingesting seeds/"
.venv/bin/bot ingest seeds/
echo "==> starting the browser UI (the first start also starts the local model)"
exec .venv/bin/bot serve "$@"
