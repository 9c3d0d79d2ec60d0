"""The results every session shares (ui/shared.py): once per key, bounded, failures not kept."""

from __future__ import annotations

import threading

from ui.shared import shared_results


def test_a_key_asked_for_by_many_sessions_at_once_is_computed_once():
    calls, started, release = [], threading.Event(), threading.Event()

    @shared_results(entries=4)
    def slow(key: str) -> str:
        calls.append(key)
        started.set()
        release.wait(timeout=10)
        return key.upper()

    answers: list[str] = []
    first = threading.Thread(target=lambda: answers.append(slow("link")))
    first.start()
    assert started.wait(timeout=10)  # the first session is computing it
    others = [threading.Thread(target=lambda: answers.append(slow("link"))) for _ in range(5)]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(timeout=10)
    assert answers == ["LINK"] * 6 and calls == ["link"]


def test_the_most_recently_used_entries_are_kept():
    calls = []

    @shared_results(entries=2)
    def square(key: str, x: int) -> int:
        calls.append(key)
        return x * x

    assert [square("a", 2), square("b", 3), square("a", 2), square("c", 4)] == [4, 9, 4, 16]
    assert calls == ["a", "b", "c"]  # "a" was kept
    square("a", 2)
    square("b", 3)
    assert calls == ["a", "b", "c", "b"], "b, the least recently used, made room for c"


def test_a_failure_is_not_kept_and_a_waiting_session_tries_again():
    attempts, started, release = [], threading.Event(), threading.Event()

    @shared_results(entries=4)
    def flaky(key: str) -> str:
        attempts.append(key)
        if len(attempts) == 1:
            started.set()
            release.wait(timeout=10)
            raise RuntimeError("the first try fails")
        return "ok"

    failed: list[BaseException] = []

    def first() -> None:
        try:
            flaky("k")
        except RuntimeError as error:
            failed.append(error)

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(timeout=10)
    waiting: list[str] = []
    waiter = threading.Thread(target=lambda: waiting.append(flaky("k")))
    waiter.start()
    release.set()
    thread.join(timeout=10)
    waiter.join(timeout=10)
    assert len(failed) == 1 and waiting == ["ok"] and attempts == ["k", "k"]
    assert flaky("k") == "ok" and len(attempts) == 2, "the success is kept"


def test_the_key_is_all_it_is_kept_by():
    @shared_results(entries=4)
    def describe(key: str, value: int) -> int:
        return value

    assert describe("same", 1) == 1
    assert describe("same", 2) == 1  # the key says everything the result depends on: callers make it so
