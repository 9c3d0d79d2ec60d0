"""A child process for tests/test_store.py (kill -9 and read-only tests).

It loads model/store.py on its own file (so a test can patch that module's class), which
imports model.plan from the repository; it talks to the parent on stdout, one line per
event, flushed at once:

    python tests/store_child.py loop <db> <prefix> <count>
        saves "<prefix> <i>" for i = 0..count-1 and prints "ID <id> <i>" after each commit.
    python tests/store_child.py hang <db> <prefix>
        saves "<prefix> 0" and "<prefix> 1" (printing "ID ..."), then starts saving
        "<prefix> hung" and, inside the open transaction just before COMMIT, prints
        "MID" and sleeps until killed.
    python tests/store_child.py dloop <db> <prefix> <count> <offset>
        saves datasets "<prefix> <i>": the bundled plan with the first sector's base value
        set to dataset_base(offset, i) (distinct figures), printing "ID <id> <i>" after each.
    python tests/store_child.py dhang <db> <prefix> <k>
        like hang, with datasets (offset 0), but it hangs at the k-th COMMIT of the third
        save (if the save makes that many; else it prints "COMMITTED").
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

ROOT = Path(__file__).resolve().parents[1]
STORE_FILE = ROOT / "model" / "store.py"
sys.path.insert(0, str(ROOT))  # model/store.py imports model.plan


def load_store():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("store_under_test", STORE_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up here
    spec.loader.exec_module(module)
    return module


def query(i: int) -> dict[str, str]:
    return {"v": "1", "g.textiles": f"{i % 50}.5", "shock": "10", "lang": "vi"}


def dataset_base(offset: int, i: int) -> float:
    return offset * 100_000 + i + 0.5


def dataset(offset: int, i: int) -> dict:
    from model.plan import load_plan, plan_to_dict

    d = plan_to_dict(load_plan())
    d["sectors"][0]["base_musd"] = dataset_base(offset, i)
    return d


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
    if mode == "dloop":
        prefix, count, offset = argv[2], int(argv[3]), int(argv[4])
        s = store.ScenarioStore(db)
        for i in range(count):
            saved = s.save_dataset(f"{prefix} {i}", "Dữ liệu của Sở – " * 10, dataset(offset, i), "thai-binh")
            say(f"ID {saved.id} {i}")
        return 0
    if mode in ("hang", "dhang"):
        prefix = argv[2]
        s = store.ScenarioStore(db)

        def save(name: str, i: int):  # type: ignore[no-untyped-def]
            if mode == "dhang":
                return s.save_dataset(name, "", dataset(0, i), "thai-binh")
            return s.save(name, "", query(i), True, 1.0, 2025)

        for i in range(2):
            saved = save(f"{prefix} {i}", i)
            say(f"ID {saved.id} {i}")
        original = store.ScenarioStore._commit
        hang_at, commits = (int(argv[3]) if len(argv) > 3 else 1), []

        def hang(self, conn):  # type: ignore[no-untyped-def]
            commits.append(1)
            if len(commits) == hang_at:
                say("MID")
                time.sleep(60)
            original(self, conn)

        store.ScenarioStore._commit = hang
        save(f"{prefix} hung", 99)
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
            ("save_dataset", lambda: s.save_dataset("Không được lưu", "", dataset(0, 1), "thai-binh")),
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
