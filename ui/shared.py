"""Results shared by every session: what st.cache_resource does for the model's results, for
less. Its bookkeeping (hashing the arguments, recording Streamlit calls made inside to replay
them) cost about 0.25 ms a call, and a page asks for its projection and simulation on every
run; a slider move always misses, so that was pure overhead on the run a user waits for.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def shared_results(entries: int) -> Callable[[Callable[Concatenate[str, P], R]], Callable[Concatenate[str, P], R]]:
    """Keep `fn(key, ...)`'s result per key, the `entries` most recently used ones, for every
    session. The key must say everything the result depends on (the other arguments are what
    the key describes). One computation per key: a session asking for a key being computed
    waits for it (a link opened by a whole meeting at once is simulated once). A failure is
    not kept: the next call, or a waiting one, computes again."""

    def wrap(fn: Callable[Concatenate[str, P], R]) -> Callable[Concatenate[str, P], R]:
        kept: OrderedDict[str, R] = OrderedDict()
        running: dict[str, threading.Event] = {}
        lock = threading.Lock()

        @functools.wraps(fn)
        def cached(key: str, *args: P.args, **kwargs: P.kwargs) -> R:
            while True:
                with lock:
                    if key in kept:
                        kept.move_to_end(key)
                        return kept[key]
                    done = running.get(key)
                    if done is None:  # this session computes it
                        running[key] = threading.Event()
                        break
                done.wait()  # another session is computing it: its result, or (it failed) a turn
            try:
                value = fn(key, *args, **kwargs)
                with lock:
                    kept[key] = value
                    while len(kept) > entries:
                        kept.popitem(last=False)
                return value
            finally:
                with lock:
                    running.pop(key).set()

        return cached

    return wrap
