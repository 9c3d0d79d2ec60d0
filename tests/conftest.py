"""Fixtures shared by the tests: the bundled plan, and a store of the test's own for the app."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import model
from model.store import ScenarioStore


@pytest.fixture
def isolated_store(tmp_path, monkeypatch):
    """A saved-scenario store of the test's own, so that no test sees another's saves."""
    monkeypatch.setenv("EXPORT_PLANNER_DB", str(tmp_path / "scenarios.sqlite3"))


@pytest.fixture(scope="session")
def plan():
    """The bundled plan (immutable: shared by every test that asks for it)."""
    return model.load_plan()


@pytest.fixture(scope="session")
def sc(plan):
    """The default scenario on the bundled plan."""
    return model.Scenario.default(plan)


@pytest.fixture
def full_disk(monkeypatch) -> Callable[[Path, int], None]:
    """Call it with a store's database and a number of pages: from then on the store's
    writing connections may grow the file by that many pages only, then get SQLITE_FULL,
    as on a full disk. ``monkeypatch.undo()`` frees the disk again."""

    def fill(db: Path, free_pages: int) -> None:
        conn = sqlite3.connect(db)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.close()
        original = ScenarioStore._raw_connect

        def limited(self: ScenarioStore, mode: str, immutable: bool = False) -> sqlite3.Connection:
            conn = original(self, mode, immutable)
            if mode == "rw":
                conn.execute(f"PRAGMA max_page_count = {pages + free_pages}")
            return conn

        monkeypatch.setattr(ScenarioStore, "_raw_connect", limited)

    return fill
