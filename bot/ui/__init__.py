"""`bot serve`: the browser UI on 127.0.0.1:7860 unless told otherwise, warm before the URL is printed.

Login is optional: ``BOT_AUTH=user:password[,user2:password2]`` or ``BOT_AUTH_FILE`` (one ``user:password``
per line). Serving beyond loopback without a login prints a warning: anyone who can reach the port could
read and change the library.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import time
from pathlib import Path

from bot.context import Context
from bot.embed import keep_no_arena
from bot.errors import ConfigError, UserError
from bot.retrieve import corpus_index
from bot.ui.allocator import settle
from bot.ui.limits import login_check

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home: the bot runs offline


def users(auth: str | None, auth_file: Path | None) -> list[tuple[str, str]]:
    """(user, password) pairs from BOT_AUTH and BOT_AUTH_FILE; a malformed entry is a `ConfigError`."""
    entries: list[tuple[str, str]] = []
    sources = [("BOT_AUTH", part) for part in (auth or "").split(",") if part.strip()]
    if auth_file is not None:
        try:
            text = auth_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read BOT_AUTH_FILE={auth_file} ({exc.strerror or exc})",
                              "point it at a readable file of user:password lines, or unset it") from exc
        sources += [("BOT_AUTH_FILE", line) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for where, entry in sources:
        user, sep, password = entry.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError(f"{where} has an entry that is not user:password ({user or entry.strip()[:20]!r})",
                              "write each login as user:password")
        entries.append((user, password))
    return entries


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warm(ctx: Context) -> None:
    """Everything the first question would otherwise wait for: the model (the local server starts and
    answers a real prompt), the embedder and the lexical index."""
    ctx.model  # noqa: B018 - opening it is the point
    ctx.store.embed(["warm up"])
    if ctx.store.count():
        corpus_index(ctx.store, ctx.settings.index_recheck_s)


def serve(ctx: Context, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> str:
    """Start the UI; returns its URL (and, with ``block``, serves until interrupted)."""
    logins = users(ctx.settings.auth, ctx.settings.auth_file)
    start = time.monotonic()
    settle()  # freed memory goes back to the system between load peaks
    keep_no_arena()
    warm(ctx)
    from bot.ui.app import CSS, build

    demo = build(ctx)
    demo.queue(default_concurrency_limit=ctx.settings.ui_concurrency)
    if not is_loopback(host) and not logins:
        print(f"warning: serving on {host} without a login: anyone who can reach port {port} can read and change "
              "the library; set BOT_AUTH=user:password (or BOT_AUTH_FILE)", file=sys.stderr)
    try:
        auth = login_check(logins, ctx.settings.login_attempts) if logins else None
        demo.launch(server_name=host, server_port=port, auth=auth, prevent_thread_lock=True, quiet=True,
                    auth_message="Log in to the article bot." if logins else None, css=CSS, ssr_mode=False,
                    max_file_size=f"{int(ctx.settings.max_file_mb * 1e6)}b", footer_links=["api"])
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UserError(f"cannot listen on {host}:{port} ({exc})",
                        "choose another --port, or stop the program that uses it") from exc
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}"
    print(f"Article bot is answering at {url} (ready in {time.monotonic() - start:.1f} s; Ctrl-C stops it)",
          flush=True)
    if block:
        try:
            demo.block_thread()
        finally:
            demo.close()
    return url
