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


if __name__ == "__main__":
    main()
