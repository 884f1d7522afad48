"""Limits a shared server needs: files per upload and per session-hour, and failed logins per user name.

Counts are kept in memory per `bot serve` process (a restart forgets them, as a login lockout should not
outlive the server anyway). Each is a sliding window: what happened in the last ``span`` seconds counts.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

LOGIN_WINDOW_S = 300.0


class Window:
    """At most ``limit`` units per key in any ``span`` seconds."""

    def __init__(self, limit: int, span: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.span, self.clock = limit, span, clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and seen[0] <= now - self.span:
            seen.popleft()
        return seen

    def wait(self, key: str, n: int = 1) -> float:
        """Seconds until ``n`` more units fit (0: they fit now); counts nothing."""
        with self._lock:
            now = self.clock()
            seen = self._recent(key, now)
            if len(seen) + n <= self.limit:
                return 0.0
            if n > self.limit:
                return self.span
            return max(0.0, seen[len(seen) + n - self.limit - 1] + self.span - now)

    def take(self, key: str, n: int = 1) -> float:
        """Count ``n`` units when they fit and return 0; else count nothing and return the seconds to wait."""
        with self._lock:
            now = self.clock()
            seen = self._recent(key, now)
            if len(seen) + n > self.limit:
                wait = self.span if n > self.limit else seen[len(seen) + n - self.limit - 1] + self.span - now
                return max(wait, 0.001)
            seen.extend([now] * n)
            return 0.0


def login_check(logins: Sequence[tuple[str, str]], attempts: int,
                clock: Callable[[], float] = time.monotonic) -> Callable[[str, str], bool]:
    """Gradio's auth callback: the password compared in constant time, and a user name with ``attempts``
    failures in the last LOGIN_WINDOW_S refused outright (even with the right password) until they age out,
    so a password cannot be guessed at speed."""
    known = dict(logins)
    failures = Window(attempts, LOGIN_WINDOW_S, clock)

    def check(user: str, password: str) -> bool:
        if failures.wait(user) > 0:
            return False
        expected = known.get(user)
        ok = expected is not None and hmac.compare_digest(expected.encode(), (password or "").encode())
        if not ok:
            failures.take(user)
        return ok

    return check
