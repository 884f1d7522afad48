"""The embedded llama.cpp OpenAI-compatible server: its entry point (child) and its lifecycle (parent).

Child: `python -m bot.llama_server --model X.gguf --port N ...` runs llama-cpp-python's own server app,
with one change its CLI cannot make: models load with `use_extra_bufts=False`. A native build on CPUs with
AMX otherwise takes the "extra buffer" (weight repacking) path and segfaults on the first multi-token
prompt. The parent imports nothing from llama_cpp, so the bot process stays small.

Parent: one server per process and model settings, started on a free loopback port, health-checked with a
real multi-token prompt, reused, and stopped at exit (atexit, SIGTERM/SIGHUP). If the parent is killed
outright, the child notices (PR_SET_PDEATHSIG where safe, plus a parent-pid watchdog) and exits.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bot.errors import UserError

HEALTH_PROMPT = "Reply with one word: is the sky blue on a clear day?"


class ServerStartError(UserError):
    """The local server did not come up: why (with the end of its log), and what to do."""


# ---------------------------------------------------------------------------------------- child


def _watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)  # orphaned (parent SIGKILLed): nothing to flush, leave at once
        time.sleep(0.5)


def _set_pdeathsig() -> None:
    with contextlib.suppress(Exception):  # Linux only; the watchdog covers other systems
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bot.llama_server", description=__doc__)
    ap.add_argument("--model", required=True, help="Path of the GGUF file.")
    ap.add_argument("--alias", required=True, help="Model name the API answers to.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--n-ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=0, help="0 = all cores")
    ap.add_argument("--parent-pid", type=int, default=0, help="Exit when this process goes away.")
    ap.add_argument("--pdeathsig", action="store_true", help="Ask the kernel for SIGTERM when the parent dies.")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.pdeathsig:
        _set_pdeathsig()
    if args.parent_pid:
        if os.getppid() != args.parent_pid:
            return  # the parent died while we were starting
        threading.Thread(target=_watch_parent, args=(args.parent_pid,), daemon=True).start()

    import llama_cpp.llama_cpp as C  # the name llama_cpp.llama uses for the same module
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    default_params = C.llama_model_default_params

    def model_params() -> object:
        params = default_params()
        params.use_extra_bufts = False  # the AMX repacking path crashes on multi-token prompts
        return params

    C.llama_model_default_params = model_params  # read by Llama.__init__ at call time

    threads = args.threads or os.cpu_count() or 2
    model = ModelSettings(
        model=args.model, model_alias=args.alias, n_ctx=args.n_ctx, n_threads=threads, n_threads_batch=threads,
        # logits for every prompt token are only needed for logprobs; they cost an n_ctx x vocab array
        # (2.5 GB for Qwen at 4096) and an output-layer pass per prompt token.
        logits_all=False,
        # chat_format None: use the chat template stored in the GGUF. The server keeps the KV cache of the
        # last prompt and reuses its longest common prefix (the system prompt), so no extra state cache.
        chat_format=None, cache=False, verbose=args.verbose,
    )
    # interrupt_requests=False: by default a new request cuts off the stream in progress (another user's
    # answer would end mid-sentence); requests wait their turn instead.
    server = ServerSettings(host=args.host, port=args.port, interrupt_requests=False)
    app = create_app(server_settings=server, model_settings=[model])
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning")


# ---------------------------------------------------------------------------------------- parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """One child server process; `base_url` is its OpenAI-compatible root (ends in /v1)."""

    def __init__(self, model_path: Path, alias: str, *, n_ctx: int, threads: int) -> None:
        self.model_path, self.alias, self.n_ctx, self.threads = model_path, alias, n_ctx, threads
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"article-bot-llama-{os.getpid()}-{id(self)}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 180.0) -> None:
        _remove_stale_logs()
        self.port = free_port()
        cmd = [
            sys.executable, "-m", "bot.llama_server", "--model", str(self.model_path), "--alias", self.alias,
            "--port", str(self.port), "--n-ctx", str(self.n_ctx), "--threads", str(self.threads),
            "--parent-pid", str(os.getpid()),
        ]
        # PR_SET_PDEATHSIG fires when the *thread* that spawned the child ends: only safe from the main thread.
        if threading.current_thread() is threading.main_thread():
            cmd.append("--pdeathsig")
        env = {k: v for k, v in os.environ.items() if k not in ("CONFIG_FILE", "MODEL", "HOST", "PORT")}
        with open(self.log_path, "wb") as log:
            # A session of its own: Ctrl-C reaches the bot, which then stops the server in order.
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        _register(self)
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def _failure(self, what: str) -> ServerStartError:
        tail = ""
        with contextlib.suppress(OSError):
            tail = self.log_path.read_text(errors="replace").strip()[-800:]
        code = self.proc.poll() if self.proc else None
        hint = "check the log above; `bot doctor` checks the weights and the server"
        if code == -signal.SIGSEGV:
            hint = ("llama.cpp crashed (segfault): rebuild llama-cpp-python without native CPU detection, "
                    'CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON" pip install --no-cache-dir --force-reinstall '
                    "llama-cpp-python[server]==0.3.36")
        return ServerStartError(f"the local model server {what} (exit code {code}); its log ends:\n{tail}", hint)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        body = {"model": self.alias, "messages": [{"role": "user", "content": HEALTH_PROMPT}], "max_tokens": 2,
                "temperature": 0}
        with httpx.Client(timeout=httpx.Timeout(timeout, connect=2)) as http:
            while True:
                if not self.alive():
                    raise self._failure("exited while starting")
                try:
                    # A real multi-token prompt: listing models passes even on a build that crashes on prompts.
                    r = http.post(f"{self.base_url}/chat/completions", json=body)
                    if r.status_code == 200 and r.json().get("choices"):
                        return
                    raise self._failure(f"answered the health check with HTTP {r.status_code}: {r.text[:200]}")
                except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError):
                    if not self.alive():
                        raise self._failure("crashed on its first prompt") from None
                if time.monotonic() > deadline:
                    raise self._failure(f"did not answer within {timeout:.0f} s")
                time.sleep(0.2)

    def stop(self, grace: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        _unregister(self)
        with contextlib.suppress(OSError):
            self.log_path.unlink()


def _remove_stale_logs() -> None:
    """Logs left by bots that were SIGKILLed (their servers exited on their own, the logs stayed)."""
    for log in Path(tempfile.gettempdir()).glob("article-bot-llama-*.log"):
        try:
            os.kill(int(log.name.split("-")[3]), 0)
        except ProcessLookupError:
            log.unlink(missing_ok=True)
        except (ValueError, IndexError, OSError):
            pass


_lock = threading.Lock()
_servers: dict[tuple[str, int, int], LocalServer] = {}
_running: set[LocalServer] = set()
_hooks_installed = False


def get_server(model_path: Path, alias: str, *, n_ctx: int, threads: int, timeout: float = 180.0) -> LocalServer:
    """The process's server for these settings: reused while alive, (re)started otherwise."""
    key = (str(model_path), n_ctx, threads)
    with _lock:
        server = _servers.get(key)
        if server is None or not server.alive():
            if server is not None:
                server.stop()
            server = LocalServer(model_path, alias, n_ctx=n_ctx, threads=threads)
            server.start(timeout)
            _servers[key] = server
        return server


def stop_all() -> None:
    for server in list(_running):
        server.stop()
    _servers.clear()


def _on_signal(signum: int, _frame: object) -> None:
    stop_all()
    raise SystemExit(128 + signum)  # run the remaining atexit handlers and unwind normally


def _register(server: LocalServer) -> None:
    global _hooks_installed
    _running.add(server)
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(stop_all)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):  # never replace a handler someone else set
                signal.signal(sig, _on_signal)


def _unregister(server: LocalServer) -> None:
    _running.discard(server)


if __name__ == "__main__":
    main()
