"""Helpers shared by the benchmarks: where the eval data lives, and appending to docs/BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("BOT_EVAL_DIR", REPO.parent / "shared" / "eval"))
BENCHMARKS_MD = REPO / "docs" / "BENCHMARKS.md"


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}"


def command_line() -> str:
    return "python -m " + " ".join(shlex.quote(a) for a in [_module_name(), *sys.argv[1:]])


def _module_name() -> str:
    main = sys.modules["__main__"]
    spec = getattr(main, "__spec__", None)
    return spec.name if spec else Path(sys.argv[0]).stem


def append_section(title: str, body: str) -> None:
    """Append a dated section with the command that produced it (never rewrites earlier sections)."""
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    if not BENCHMARKS_MD.exists():
        BENCHMARKS_MD.write_text("# Benchmarks\n\nEvery figure here was measured by the command written beside it.\n")
    with BENCHMARKS_MD.open("a", encoding="utf-8") as out:
        out.write(f"\n## {title} ({date.today().isoformat()})\n\n")
        out.write(f"Command: `{command_line()}`  \nMachine: {machine()}\n\n{body.rstrip()}\n")


def ingest_progress(desc: str = "embed") -> Callable[[object], None]:
    """An `on_event` for `bot.library.add` that draws one bar of chunks embedded (the CLI draws the same)."""
    from tqdm import tqdm

    from bot.ingest import Embedded

    bar = tqdm(total=0, unit="chunk", desc=desc, delay=1.0, leave=False)

    def on_event(event: object) -> None:
        if isinstance(event, Embedded):
            bar.total = event.total
            bar.update(event.done - bar.n)

    return on_event
