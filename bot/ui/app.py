"""The browser face (Gradio Blocks): chat beside its cited passages, the library, summaries, and an API.

No retrieval, prompt or citation logic lives here: handlers call the services (`bot.answer`, `bot.library`,
`bot.summarize`) and hand their records to `bot.ui.render`. Each browser session has its own conversation
(`gr.State`); the library is the server's, shared by every session.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from bot import library, quotes
from bot.answer import Answer, Delta, Retrieved, ask, ask_stream
from bot.context import Context
from bot.errors import NotIndexedError, UserError
from bot.ingest import Embedded, IngestEvent, IngestResult, Read
from bot.records import Summary
from bot.summarize import Delta as SummaryDelta
from bot.summarize import Progress, summarize, summarize_stream
from bot.ui import render
from bot.ui.limits import Window
from bot.ui.render import FileLine, Turn

STATIC = Path(__file__).parent / "static"
PANEL_JS = (STATIC / "panel.js").read_text(encoding="utf-8")
CSS = (STATIC / "app.css").read_text(encoding="utf-8")
FILE_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf"]
PRIVATE = "private"  # UI events stay off the API; only /ask, /summarize, /sources and /quotes are public
LISTS = 4  # the components `listing()` refreshes: the library table and the three pickers


@dataclass
class Conversation:
    """One browser session's chat: its turns (answers with their citations) and the messages shown."""

    turns: list[Turn] = field(default_factory=list)
    messages: list[dict[str, str]] = field(default_factory=list)

    def history(self) -> list[tuple[str, str]]:
        return [(t.question, t.answer.answer) for t in self.turns]


def build(ctx: Context) -> gr.Blocks:
    """The app over one context (built once per server process)."""
    settings = ctx.settings
    uploaded = Window(settings.upload_files_per_hour, 3600.0)  # files per browser session

    def open_article(where: list[Any]) -> str:
        """Called from the page (panel.js) with [source id, "start-end,..."]: the article, those spans marked."""
        try:
            source_id = str(where[0])
            spans = [(int(a), int(b)) for a, b in (part.split("-") for part in str(where[1]).split(",") if part)]
            return render.article_html(library.show(ctx, source_id), spans)
        except NotIndexedError:
            return "<p class='notice'>This article is no longer in the library.</p>"
        except (TypeError, ValueError, IndexError):
            return "<p class='notice'>That passage cannot be opened.</p>"

    with gr.Blocks(title="Article bot") as demo:
        conv = gr.State(Conversation())
        log_lines = gr.State([])
        model = ctx.model
        gr.HTML(f"<h1>Article bot</h1><p class='meta' id='model-line'>{_model_line(model)}</p>")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab", elem_id="chat-tab"), gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(elem_id="chat", render_markdown=False, height=520, show_label=False,
                                         feedback_options=None, buttons=["copy"],
                                         placeholder="Ask a question about the articles in the library.")
                    question = gr.Textbox(elem_id="question", show_label=False, lines=1, max_lines=4,
                                          placeholder="e.g. What did Ryabkov say?", submit_btn="Ask")
                    with gr.Row():
                        new_chat = gr.Button("New chat", elem_id="new-chat", size="sm")
                        status = gr.HTML(render.status("idle", 0, "Ready."), elem_id="chat-status")
                with gr.Column(scale=2):
                    passages = gr.HTML(render.panel([]), elem_id="passages", js_on_load=PANEL_JS,
                                       server_functions=[open_article])
            with gr.Tab("Library", id="library-tab", elem_id="library-tab"):
                files = gr.File(label="Drop articles here (.txt .md .html .pdf)", file_count="multiple",
                                file_types=FILE_TYPES, elem_id="upload")
                with gr.Row():
                    url = gr.Textbox(label="Or add a web page", placeholder="https://…", elem_id="url", scale=4)
                    add_url = gr.Button("Add", elem_id="add-url", scale=1)
                log = gr.HTML(elem_id="ingest-log")
                articles = gr.HTML(elem_id="library")
                with gr.Row():
                    picked = gr.Dropdown(label="Articles to remove", multiselect=True, choices=[],
                                         elem_id="remove-pick", scale=4)
                    remove = gr.Button("Remove…", elem_id="remove", variant="stop", scale=1)
                with gr.Row(visible=False) as confirm_row:
                    confirm_text = gr.HTML(elem_id="remove-question")
                    confirm = gr.Button("Yes, remove", elem_id="remove-confirm", variant="stop")
                    cancel = gr.Button("Cancel", elem_id="remove-cancel")
                refresh = gr.Button("Refresh the list", elem_id="refresh", size="sm")
            with gr.Tab("Summaries", id="summaries-tab", elem_id="summaries-tab"), gr.Row():
                with gr.Column(scale=3):
                    chosen = gr.Dropdown(label="Articles (none chosen: all of them)", multiselect=True,
                                         choices=[], elem_id="sum-articles")
                    topic = gr.Textbox(label="Or a topic across the articles", elem_id="sum-topic")
                    with gr.Row():
                        unit = gr.Radio(["sentences", "words"], value="sentences", label="Length in",
                                        elem_id="sum-unit")
                        length = gr.Number(value=3, precision=0, minimum=1, maximum=1000, label="Length",
                                           elem_id="sum-length")
                        style = gr.Radio(["brief", "bullets"], value="brief", label="Style", elem_id="sum-style")
                    go = gr.Button("Summarize", elem_id="summarize", variant="primary")
                    sum_status = gr.HTML(render.status("idle", 0, ""), elem_id="summary-status")
                    summary = gr.HTML(elem_id="summary")
                with gr.Column(scale=2):
                    summary_passages = gr.HTML(elem_id="summary-passages", js_on_load=PANEL_JS,
                                               server_functions=[open_article])

            with gr.Tab("Who said what", id="quotes-tab", elem_id="quotes-tab"):
                with gr.Row():
                    speaker = gr.Dropdown(label="Speaker", choices=[], elem_id="speaker", scale=3)
                    about = gr.Textbox(label="About (optional)", elem_id="speaker-about", scale=3)
                    show = gr.Button("Show statements", elem_id="show-statements", scale=1)
                timeline = gr.HTML(elem_id="statements", js_on_load=PANEL_JS, server_functions=[open_article])

        # --- chat ---------------------------------------------------------------------------------
        def respond(message: str, state: Conversation) -> Iterator[tuple[Any, ...]]:
            text = (message or "").strip()
            if not text:
                raise gr.Error("Type a question first.")
            number = len(state.turns) + 1
            state.messages = [*state.messages, {"role": "user", "content": render.esc(text)},
                              {"role": "assistant", "content": render.draft_message("")}]
            yield "", state.messages, render.panel(state.turns), render.status("retrieving", number,
                                                                                "Searching the articles…"), state
            draft = ""
            try:
                for event in ask_stream(ctx, text, state.history()):
                    if isinstance(event, Retrieved):
                        pending = (number, text, event.passages)
                        yield (gr.skip(), gr.skip(), render.panel(state.turns, pending),
                               render.status("writing", number, "Writing the answer…"), gr.skip())
                    elif isinstance(event, Delta):
                        draft += event.text
                        state.messages[-1] = {"role": "assistant", "content": render.draft_message(draft)}
                        yield gr.skip(), state.messages, gr.skip(), gr.skip(), gr.skip()
                    elif isinstance(event, Answer):
                        turn = Turn(number, text, event)
                        state.turns = [*state.turns, turn]
                        state.messages[-1] = {"role": "assistant", "content": render.answer_message(turn)}
                        took = event.timings.get("total_s", 0.0)
                        yield ("", state.messages, render.panel(state.turns),
                               render.status("done", number, f"Answered in {took:.1f} s."), state)
            except UserError as exc:
                state.messages = state.messages[:-2]
                raise gr.Error(str(exc)) from exc

        chat_outputs = [question, chatbot, passages, status, conv]
        question.submit(respond, [question, conv], chat_outputs, api_visibility=PRIVATE)

        def clear() -> tuple[Any, ...]:
            return [], render.panel([]), render.status("idle", 0, "New chat."), Conversation(), ""

        new_chat.click(clear, None, [chatbot, passages, status, conv, question], api_visibility=PRIVATE)

        # --- library ------------------------------------------------------------------------------
        def listing() -> tuple[Any, ...]:
            infos = library.articles(ctx)
            choices = [render.choice(s) for s in infos]
            people = [render.speaker_choice(p.name, p.statements, p.articles) for p in quotes.speakers(ctx)]
            return (render.library_table(infos), gr.update(choices=choices), gr.update(choices=choices),
                    gr.update(choices=people))

        list_outputs = [articles, picked, chosen, speaker]
        assert len(list_outputs) == LISTS

        def upload(given: Sequence[str] | None, lines: list[FileLine],
                   request: gr.Request) -> Iterator[tuple[Any, ...]]:
            paths = list(given or [])
            if not paths:
                return
            refused = ""
            if len(paths) > settings.upload_files:
                refused = (f"{len(paths)} files at once is more than the {settings.upload_files} an upload may hold: "
                           "upload them in smaller groups, or ingest a folder with `bot ingest`")
            elif wait := uploaded.take(request.session_hash or "", len(paths)):
                refused = (f"this session has uploaded {settings.upload_files_per_hour} files in the last hour, the "
                           f"most allowed: try again in {max(1, round(wait / 60))} min, or use `bot ingest`")
            if refused:  # each file's line says why, like any failed file; the drop zone is cleared after
                shown = [FileLine(Path(p).name, "failed", refused) for p in paths] + lines
                yield render.ingest_log(shown, finished=True), shown, *(gr.skip() for _ in range(LISTS))
                return
            # Gradio saved each file under a temporary path of its own; the browser's name is only a label
            uploads = [(Path(p).name, Path(p).read_bytes()) for p in paths]
            yield from _ingesting([u[0] for u in uploads], lines,
                                  lambda on_event: library.add_uploads(ctx, uploads, on_event), listing)

        def add_page(address: str, lines: list[FileLine]) -> Iterator[tuple[Any, ...]]:
            address = (address or "").strip()
            if not address:
                raise gr.Error("Paste the address of a web page first.")
            yield from _ingesting([address], lines, lambda on_event: library.add(ctx, [address], on_event), listing)

        ingest_outputs = [log, log_lines, *list_outputs]
        files.upload(upload, [files, log_lines], ingest_outputs, api_visibility=PRIVATE).then(
            lambda: None, None, files, api_visibility=PRIVATE)
        add_url.click(add_page, [url, log_lines], ingest_outputs, api_visibility=PRIVATE).then(
            lambda: "", None, url, api_visibility=PRIVATE)
        url.submit(add_page, [url, log_lines], ingest_outputs, api_visibility=PRIVATE)

        def ask_removal(ids: list[str] | None) -> tuple[Any, ...]:
            if not ids:
                raise gr.Error("Choose the articles to remove first.")
            titles = {s.source_id: s.title for s in library.articles(ctx)}
            names = ", ".join(f"“{titles.get(i, i)}”" for i in ids)
            question_html = f"<p>Remove {len(ids)} article{'s' if len(ids) > 1 else ''}: {render.esc(names)}?</p>"
            return gr.update(visible=True), question_html

        def removal(ids: list[str] | None) -> tuple[Any, ...]:
            with contextlib.suppress(NotIndexedError):  # someone else removed it meanwhile: the list shows it
                library.remove(ctx, ids or [])
            return (gr.update(visible=False), *listing(), gr.update(value=[]))

        remove.click(ask_removal, [picked], [confirm_row, confirm_text], api_visibility=PRIVATE)
        confirm.click(removal, [picked], [confirm_row, *list_outputs, picked], api_visibility=PRIVATE)
        cancel.click(lambda: gr.update(visible=False), None, confirm_row, api_visibility=PRIVATE)
        refresh.click(listing, None, list_outputs, api_visibility=PRIVATE)
        demo.load(listing, None, list_outputs, api_visibility=PRIVATE)

        # --- who said what ------------------------------------------------------------------------
        def statements_of(name: str | None, topic: str) -> str:
            if not name:
                raise gr.Error("Choose a speaker first.")
            found = _user_errors(lambda: quotes.statements(ctx, name, None, topic or None))
            texts = {sid: ctx.store.article_text(sid) for sid in {s.source_id for s in found}}
            return render.statement_timeline(found, texts)

        show.click(statements_of, [speaker, about], timeline, api_visibility=PRIVATE)
        speaker.change(lambda name, topic: statements_of(name, topic) if name else "", [speaker, about], timeline,
                       api_visibility=PRIVATE)

        # --- summaries ----------------------------------------------------------------------------
        def summarizing(ids: list[str] | None, subject: str, in_unit: str, size: float | None,
                        shape: str) -> Iterator[tuple[Any, ...]]:
            count = int(size or 3)
            words, sentences = (count, None) if in_unit == "words" else (None, count)
            yield render.status("working", 0, "Summarizing…"), gr.skip(), gr.skip()
            draft = ""
            try:
                for event in summarize_stream(ctx, ids or None, subject or None, words, sentences, shape):  # type: ignore[arg-type]
                    if isinstance(event, Progress):
                        yield (render.status("working", 0, f"Reading part {event.done} of {event.total} "
                                             f"({event.stage})…"), gr.skip(), gr.skip())
                    elif isinstance(event, SummaryDelta):
                        draft += event.text
                        yield gr.skip(), render.draft_message(draft), gr.skip()
                    elif isinstance(event, Summary):
                        took = event.timings.get("total_s", 0.0)
                        yield (render.status("done", 1, f"Summarized in {took:.1f} s."),
                               render.summary_html(event, shape == "bullets"), render.summary_cards(event))
            except UserError as exc:
                raise gr.Error(str(exc)) from exc

        go.click(summarizing, [chosen, topic, unit, length, style], [sum_status, summary, summary_passages],
                 api_visibility=PRIVATE)

        # --- the programmatic API: the same JSON as `bot ask --json` / `bot summarize --json` ----------
        def api_ask(question: str, source_ids: list[str] | None = None,
                    history: list[list[str]] | None = None) -> dict[str, Any]:
            """Answer a question from the articles; the same JSON as `bot ask --json`."""
            pairs = [(str(q), str(a)) for q, a in history or []]
            return _user_errors(lambda: ask(ctx, question, pairs, source_ids or None).to_json())

        def api_summarize(source_ids: list[str] | None = None, topic: str | None = None, words: int | None = None,
                          sentences: int | None = None, style: str = "brief") -> dict[str, Any]:
            """Summarize articles (or a topic); the same JSON as `bot summarize --json`."""
            return _user_errors(lambda: summarize(ctx, source_ids or None, topic, words, sentences,
                                                  style).to_json())  # type: ignore[arg-type]

        def api_sources() -> dict[str, Any]:
            """The library: the same JSON as `bot sources --json`."""
            from dataclasses import asdict

            return {"sources": [asdict(s) for s in library.articles(ctx)]}

        gr.api(api_ask, api_name="ask")
        gr.api(api_summarize, api_name="summarize")
        def api_quotes(name: str | None = None, source_ids: list[str] | None = None,
                       about: str | None = None) -> dict[str, Any]:
            """Who said what: the same JSON as `bot quotes NAME --json`."""
            found = _user_errors(lambda: quotes.statements(ctx, name or None, source_ids or None, about or None))
            return {"statements": [s.to_json() for s in found]}

        gr.api(api_sources, api_name="sources")
        gr.api(api_quotes, api_name="quotes")
    return demo


def _model_line(model: Any) -> str:
    if model.backend == "extractive":
        text = "Answering without a language model (extractive)."
        return render.esc(f"{text} {model.notice}".strip())
    where = "the embedded local model" if model.backend == "local" else f"the endpoint {model.endpoint}"
    return render.esc(f"Answering with {where}: {model.model}.")


def _user_errors(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except UserError as exc:
        raise gr.Error(str(exc)) from exc


Ingest = Callable[[Callable[[IngestEvent], None]], list[IngestResult]]


def _ingesting(names: list[str], lines: list[FileLine], run: Ingest,
               listing: Callable[[], tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Run an ingest in a worker thread and yield the log (a line per file, failures kept) as it goes."""
    batch = [FileLine(n) for n in names]
    shown = batch + lines  # newest batch first; earlier lines (and their failures) stay visible
    events: queue.Queue[IngestEvent | None] = queue.Queue()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            run(events.put)
        except BaseException as exc:  # handed to the generator, which reports it
            failure.append(exc)
        finally:
            events.put(None)

    threading.Thread(target=work, daemon=True).start()
    unchanged = tuple(gr.skip() for _ in range(LISTS))
    yield render.ingest_log(shown), shown, *unchanged
    last = 0.0
    while (event := events.get()) is not None:
        if isinstance(event, Read) and event.done <= len(batch):
            line = batch[event.done - 1]
            if line.state == "queued":
                line.state = "read"
        elif isinstance(event, Embedded):
            for line in batch:
                if line.name in event.targets and line.state in ("queued", "read", "embedding"):
                    line.state, line.detail = "embedding", f"{event.done}/{event.total} chunks"
        elif isinstance(event, IngestResult):
            for line in batch:
                if line.name == event.target and line.state not in render.DONE_STATES:
                    done = render.result_line(event)
                    line.state, line.detail = done.state, done.detail  # in place: `shown` holds these lines
                    break
        if time.monotonic() - last > 0.2 or isinstance(event, IngestResult):
            last = time.monotonic()
            yield render.ingest_log(shown), shown, *unchanged
    if failure:
        exc = failure[0]
        for line in batch:
            if line.state not in render.DONE_STATES:
                line.state, line.detail = "failed", str(exc) if isinstance(exc, UserError) else "internal error"
        if not isinstance(exc, UserError):
            raise exc
    yield (render.ingest_log(shown, finished=True), shown, *listing())
