#!/usr/bin/env bash
# First command of the README: install, load the seed articles, open the bot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
echo "==> ingesting seeds/"
.venv/bin/bot ingest seeds/
echo "==> asking the seed article a question"
.venv/bin/bot search "what did Ryabkov say?" --k 1 2>/dev/null || .venv/bin/bot sources
