"""One error shape for everything a user can cause: what happened, and what to do about it.

Faces render it without reading its text: the CLI prints one line and exits 1, the UI raises `gr.Error`.
``fix`` is data (never parsed back out of the message), so `bot doctor` and the UI can show it on its own.
Programming errors are never a `UserError`: they raise as themselves.
"""

from __future__ import annotations


class UserError(Exception):
    """A failure the user can cause and fix; ``str()`` is "what happened: what to do"."""

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what, fix)
        self.what = what
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what}: {self.fix}" if self.fix else self.what


class ConfigError(UserError):
    """A setting (environment variable) has a value the bot cannot use."""


class NotIndexedError(UserError):
    """An article id that is not in the index."""

    def __init__(self, source_ids: list[str]) -> None:
        super().__init__(f"not indexed: {', '.join(source_ids)}",
                         "see `bot sources` for the ids (an article that changed was re-ingested under a new id)")
        self.source_ids = source_ids


class QuestionError(UserError):
    """A question or query that cannot be asked (empty, too long)."""
