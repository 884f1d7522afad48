"""Summaries cached on disk, one JSON file per key, so asking twice is instant.

The key holds every input that changes the output: the articles' content hashes (an article that changes
gets new content, so its old entries are simply never asked for again), the topic, the length and style,
the backend and model, the prompt files and the code's own version. Old files are pruned by age.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bot.prompts import PROMPTS_DIR
from bot.records import Summary

VERSION = 3     # bump when the summarizer's code changes what it outputs
MAX_FILES = 500


def cache_key(**parts: Any) -> str:
    prompts = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in sorted(PROMPTS_DIR.glob("summarize_*"))}
    blob = json.dumps({"version": VERSION, "prompts": prompts, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def load(folder: Path, key: str) -> Summary | None:
    path = folder / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Summary.from_json(data, cached=True)
    except (OSError, ValueError, KeyError, TypeError):  # missing or from an older, incompatible version
        return None


def save(folder: Path, key: str, summary: Summary) -> None:
    """Written to a temp file and renamed, so a reader never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(summary.to_json(), out)
    os.replace(tmp, folder / f"{key}.json")
    for stale in folder.glob("*.tmp"):  # left by a process killed while writing
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[:-MAX_FILES]:
        old.unlink(missing_ok=True)
