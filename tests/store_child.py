"""A child process for tests/test_store.py (kill -9 and read-only tests).

It loads model/store.py on its own (not through the `model` package, whose import of
pandas would only slow the child down) and talks to the parent on stdout, one line per
event, flushed at once:

    python tests/store_child.py loop <db> <prefix> <count>
        saves "<prefix> <i>" for i = 0..count-1 and prints "ID <id> <i>" after each commit.
    python tests/store_child.py hang <db> <prefix>
        saves "<prefix> 0" and "<prefix> 1" (printing "ID ..."), then starts saving
        "<prefix> hung" and, inside the open transaction just before COMMIT, prints
        "MID" and sleeps until killed.
    python tests/store_child.py probe <db>
        (run as a user who cannot write there) opens the store, lists it, tries to save,
        and prints one JSON line with what happened.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

STORE_FILE = Path(__file__).resolve().parents[1] / "model" / "store.py"


def load_store():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("store_under_test", STORE_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up here
    spec.loader.exec_module(module)
    return module


def query(i: int) -> dict[str, str]:
    return {"v": "1", "g.textiles": f"{i % 50}.5", "shock": "10", "lang": "vi"}


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    store = load_store()
    mode, db = argv[0], argv[1]
    if mode == "loop":
        prefix, count = argv[2], int(argv[3])
        s = store.ScenarioStore(db)
        note = "Ghi chú cuộc họp – " * 20
        for i in range(count):
            saved = s.save(f"{prefix} {i}", note[:400], query(i), i % 2 == 0, 2000.0 + i, 2025)
            say(f"ID {saved.id} {i}")
        return 0
    if mode == "hang":
        prefix = argv[2]
        s = store.ScenarioStore(db)
        for i in range(2):
            saved = s.save(f"{prefix} {i}", "", query(i), True, 1.0, 2025)
            say(f"ID {saved.id} {i}")
        original = store.ScenarioStore._commit

        def hang(self, conn):  # type: ignore[no-untyped-def]
            say("MID")
            time.sleep(60)
            original(self, conn)

        store.ScenarioStore._commit = hang
        s.save(f"{prefix} hung", "", query(99), True, 1.0, 2025)
        say("COMMITTED")  # never reached: the parent kills us first
        return 0
    if mode == "probe":
        try:
            s = store.ScenarioStore(db)
        except store.StoreError as exc:
            print(json.dumps({"open": exc.code}))
            return 0
        listed = s.list()
        result: dict[str, object] = {"open": "ok", "names": [x.name for x in listed]}
        if listed:
            result["get"] = s.get(listed[0].id).name
        result["writable"] = s.writable()
        for action, call in (
            ("save", lambda: s.save("Không được lưu", "", query(0), True, 1.0, 2025)),
            ("rename", lambda: s.rename(listed[0].id, "Đổi tên")),
            ("delete", lambda: s.delete(listed[0].id)),
        ):
            try:
                call()
                result[action] = "ok"
            except store.StoreError as exc:
                result[action] = exc.code
        result["names_after"] = [x.name for x in s.list()]
        result["integrity"] = s.integrity_check()
        print(json.dumps(result, ensure_ascii=False))
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
