#!/usr/bin/env bash
# First command of the README: install, load the seed articles, open the bot with the embedded model.
set -euo pipefail
cd "$(dirname "$0")/.."
BOT_PREPARE_MODELS="${BOT_PREPARE_MODELS-qwen1.5b}" bash scripts/install.sh
echo "==> ingesting seeds/"
.venv/bin/bot ingest seeds/
echo "==> asking the seed article a question (the first answer also starts the local model)"
.venv/bin/bot ask "what did Ryabkov say?"
echo "==> opening the chat (the browser UI arrives with its own issue; until then, the terminal)"
exec .venv/bin/bot chat
