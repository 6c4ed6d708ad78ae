"""Wrong passwords slow down: per username and per client, with exponential backoff.

After ``free_attempts`` failures for a key (a username, or a client address), every further
attempt for that key must wait ``base_delay * 2 ** (failures - free_attempts)`` seconds, at most
``max_delay``; a success for a username clears that username's count. Counts live in the
server process (one Streamlit server serves every session) and are forgotten after
``forget_after`` seconds without failures.

>>> now = [0.0]
>>> limiter = LoginLimiter(free_attempts=2, base_delay=10, clock=lambda: now[0])
>>> keys = [("user", "lan"), ("client", "10.0.0.7")]
>>> for _ in range(3):
...     _ = limiter.failed(keys)
>>> limiter.wait(keys), limiter.wait([("user", "minh")])
(20.0, 0.0)
>>> now[0] = 25.0; limiter.wait(keys)
0.0
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable

Key = tuple[str, str]


@dataclass
class _Count:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


class LoginLimiter:
    def __init__(self, free_attempts: int = 3, base_delay: float = 5.0, max_delay: float = 900.0,
                 forget_after: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.free_attempts, self.base_delay, self.max_delay = free_attempts, base_delay, max_delay
        self.forget_after, self.clock = forget_after, clock
        self._counts: dict[Key, _Count] = {}
        self._lock = threading.Lock()

    def _get(self, key: Key, now: float) -> _Count:
        count = self._counts.get(key)
        if count and now - count.last_failure > self.forget_after and now >= count.locked_until:
            count = None
            del self._counts[key]
        return count or _Count()

    def wait(self, keys: Iterable[Key]) -> float:
        """Seconds before another attempt is allowed for these keys (0 when allowed now)."""
        now = self.clock()
        with self._lock:
            return max([0.0, *(self._get(k, now).locked_until - now for k in keys)])

    def failed(self, keys: Iterable[Key]) -> float:
        """Record a failure for every key; returns the new wait."""
        now = self.clock()
        with self._lock:
            for key in keys:
                count = self._get(key, now)
                count.failures += 1
                count.last_failure = now
                if count.failures >= self.free_attempts:
                    delay = min(self.max_delay, self.base_delay * 2 ** (count.failures - self.free_attempts))
                    count.locked_until = max(count.locked_until, now + delay)
                self._counts[key] = count
        return self.wait(keys)

    def succeeded(self, keys: Iterable[Key]) -> None:
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)

    def failures(self, key: Key) -> int:
        with self._lock:
            return self._get(key, self.clock()).failures


LIMITER = LoginLimiter()  # the server process's one limiter
