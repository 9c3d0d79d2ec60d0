"""Saved datasets and schema version 2 of the store (model/store.py).

The migration test opens tests/fixtures/store_v1.sqlite3, a store written by the schema-1
code: tests/fixtures/make_store_v1.py made it (it runs model/store.py as it was at the last
schema-1 commit, read with `git show`); EXPECTED below is what that script saved.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import model
from model import store as store_module
from model.plan import (
    MAX_PLAN_BYTES,
    MAX_SECTORS,
    _load_plan_cached,
    load_plan,
    plan_json,
    plan_to_dict,
    read_plan_folder,
)
from model.store import DatasetEntry, SavedDataset, ScenarioStore, StoreError

HERE = Path(__file__).resolve().parent
CHILD = HERE / "store_child.py"
V1_FILE = HERE / "fixtures" / "store_v1.sqlite3"
PLAN = load_plan()
QUERY = {"v": "1", "g.textiles": "8", "lang": "vi"}

# What tests/fixtures/make_store_v1.py saved: id -> (name, deleted). Ids 3 and 7 were purged.
EXPECTED = {
    1: ("Phương án A – dệt may tăng 8%", False),
    2: ("Phương án B: giày dép (thận trọng)", False),
    4: ("Kịch bản_đặc biệt [nháp]", False),
    5: ("![x](http://host/x.png)", True),
    6: ("Đỗ Mười – 2030", False),
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "scenarios.sqlite3"


@pytest.fixture
def store(db: Path) -> ScenarioStore:
    return ScenarioStore(db)


def figures(base: float) -> dict:
    """The bundled plan with the first sector's base value changed: distinct figures."""
    d = plan_to_dict(PLAN)
    d["sectors"][0]["base_musd"] = base
    return d


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError) as info:
        call()
    assert info.value.detail
    return info.value.code


# --- migration from schema version 1 --------------------------------------------------------


def raw_rows(path: Path) -> dict[int, tuple]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT * FROM scenarios ORDER BY id").fetchall()
    finally:
        conn.close()
    return {r[0]: r for r in rows}


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    target = tmp_path / "v1.sqlite3"
    shutil.copyfile(V1_FILE, target)
    return target


def test_the_v1_fixture_is_what_the_script_made(v1_copy: Path) -> None:
    conn = sqlite3.connect(v1_copy)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "datasets" not in tables
    finally:
        conn.close()
    assert {i: (r[1], r[10] is not None) for i, r in raw_rows(v1_copy).items()} == EXPECTED


def test_v1_store_migrates_and_keeps_every_scenario(v1_copy: Path) -> None:
    before = raw_rows(v1_copy)
    s = ScenarioStore(v1_copy)
    conn = sqlite3.connect(v1_copy)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    finally:
        conn.close()
    assert s.integrity_check()
    every = {x.id: x for x in s.list(include_deleted=True)}
    assert set(every) == set(EXPECTED)
    for sid, row in before.items():
        saved = every[sid]
        assert (saved.name, saved.note, saved.query, saved.reachable, saved.target_year_total, saved.target_year) == (
            row[1], row[3], json.loads(row[4]), bool(row[5]), row[6], row[7],
        )  # fmt: skip
        assert (saved.created_at, saved.updated_at, saved.deleted_at) == (row[8], row[9], row[10])
        assert saved.plan_id is None and saved.data_fingerprint is None  # made on the bundled plan of then
        assert saved.probability is None  # not kept then: the list says the central path's verdict
        assert saved.deleted == EXPECTED[sid][1]
    assert every[6].updated_at > every[6].created_at  # renamed after saving: both times kept
    assert s.list_datasets(include_deleted=True) == []
    # AUTOINCREMENT's counter came along: the purged ids 3 and 7 are never given again.
    assert s.save("Mới sau nâng cấp", "", QUERY, True, 1.0, 2025).id == 8
    assert s.save_dataset("Dữ liệu gốc", "", plan_to_dict(PLAN), PLAN.id).id == 1


def test_v2_store_migrates_and_keeps_every_scenario_and_dataset(v1_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store as version 2 left it (the v1 fixture taken to 2, a dataset and a scenario made on
    it saved) comes up to the current version with every row as it was, and no probability."""
    with monkeypatch.context() as v2:
        v2.setattr(store_module, "SCHEMA_VERSION", 2)
        old = ScenarioStore(v1_copy)
        dataset = old.save_dataset("Dữ liệu gốc", "", plan_to_dict(PLAN), PLAN.id)
        conn = sqlite3.connect(v1_copy)  # a scenario as version 2 saved it: no probability column
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
            made_on = conn.execute(
                "INSERT INTO scenarios (name, name_key, note, query_json, reachable, target_year_total, target_year, "
                "created_at, updated_at, plan_id, data_fingerprint) VALUES (?, ?, '', ?, 0, 2600.0, 2025, "
                "'2025-05-01T08:30:00+00:00', '2025-05-01T08:30:00+00:00', ?, ?)",
                ("Trên bộ số liệu", "trên bộ số liệu", json.dumps(QUERY), PLAN.id, PLAN.fingerprint),
            ).lastrowid
            conn.commit()
        finally:
            conn.close()
    before = raw_rows(v1_copy)
    s = ScenarioStore(v1_copy)
    after = raw_rows(v1_copy)
    assert {i: row[:-1] for i, row in after.items()} == before  # every row, every column as it was
    assert {row[-1] for row in after.values()} == {None}  # and no probability: none was kept
    assert {x.id for x in s.list(include_deleted=True)} == set(before)
    assert made_on is not None and s.get(made_on).data_fingerprint == PLAN.fingerprint
    assert s.get_dataset(dataset.id) == dataset
    assert s.save("Mới", "", QUERY, True, 2750.0, 2025, probability=0.47).probability == 0.47


def test_names_saved_before_the_rules_tightened_still_load(v1_copy: Path) -> None:
    s = ScenarioStore(v1_copy)
    assert s.get(5).name == "![x](http://host/x.png)" and s.get(5).deleted
    assert s.get(4).name == "Kịch bản_đặc biệt [nháp]"
    assert s.restore(5).name == "![x](http://host/x.png)"  # the same row comes back as it was
    assert s.update_note(4, "vẫn sửa được").note == "vẫn sửa được"
    # A new name must follow the rules, and a copy's default name drops what is not allowed.
    assert code_of(lambda: s.rename(4, "Kịch bản_đặc biệt [nháp]")) == "name_bad_chars"
    assert s.duplicate(4).name == "Kịch bản đặc biệt nháp (bản sao)"
    assert s.duplicate(5).name == "! x (http://host/x.png) (bản sao)"


def test_v1_store_opened_read_only_is_not_migrated(v1_copy: Path) -> None:
    assert code_of(lambda: ScenarioStore(v1_copy, readonly=True)) == "readonly"
    assert raw_rows(v1_copy) == raw_rows(V1_FILE)


def test_a_failed_migration_leaves_the_v1_store_as_it_was(v1_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_then_fail(conn: sqlite3.Connection) -> None:
        store_module._migrate_to_v2(conn)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(store_module.MIGRATIONS, 2, half_then_fail)
    assert code_of(lambda: ScenarioStore(v1_copy)) == "write_failed"
    conn = sqlite3.connect(v1_copy)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = {r[1] for r in conn.execute("PRAGMA table_info(scenarios)")}
        assert "plan_id" not in columns
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'datasets'").fetchall()
    finally:
        conn.close()
    assert raw_rows(v1_copy) == raw_rows(V1_FILE)
    monkeypatch.undo()
    assert {x.id for x in ScenarioStore(v1_copy).list(include_deleted=True)} == set(EXPECTED)  # next time it works


def test_a_newer_schema_is_still_refused(v1_copy: Path) -> None:
    ScenarioStore(v1_copy)
    conn = sqlite3.connect(v1_copy)
    conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert code_of(lambda: ScenarioStore(v1_copy)) == "newer_schema"


def test_the_schema_itself_keeps_live_names_and_figures_unique(store: ScenarioStore, db: Path) -> None:
    """The unique indexes are the last word, below the checks each write makes first."""
    a = store.save_dataset("Dữ liệu A", "", plan_to_dict(PLAN), PLAN.id)
    conn = sqlite3.connect(db)
    try:
        insert = (
            "INSERT INTO datasets (name, name_key, note, fingerprint, source_plan_id, plan_json, created_at, "
            "updated_at) VALUES (?, ?, '', ?, 'x', '{}', 'now', 'now')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="fingerprint"):
            conn.execute(insert, ("Khác", "khác", a.fingerprint))
        with pytest.raises(sqlite3.IntegrityError, match="name_key"):
            conn.execute(insert, ("Dữ liệu A", "dữ liệu a", "0123456789ab"))
        conn.execute("UPDATE datasets SET deleted_at = 'now'")  # deleted ones do not count
        conn.execute(insert, ("Dữ liệu A", "dữ liệu a", a.fingerprint))
    finally:
        conn.close()


def test_a_v2_store_without_the_datasets_table_is_corrupt(db: Path) -> None:
    ScenarioStore(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE datasets")
    conn.commit()
    conn.close()
    assert code_of(lambda: ScenarioStore(db)) == "corrupt"


# --- scenarios record their plan ------------------------------------------------------------


def test_a_scenario_records_the_plan_it_was_made_on(store: ScenarioStore) -> None:
    a = store.save("Phương án A", "", QUERY, True, 2750.0, 2025, plan_id=PLAN.id, data_fingerprint=PLAN.fingerprint)
    assert (a.plan_id, a.data_fingerprint) == ("thai-binh", PLAN.fingerprint)
    assert store.get(a.id) == a
    copy = store.duplicate(a.id)
    assert (copy.plan_id, copy.data_fingerprint) == (a.plan_id, a.data_fingerprint)
    old_style = store.save("Phương án B", "", QUERY, True, 2750.0, 2025)  # the old call still works
    assert old_style.plan_id is None and old_style.data_fingerprint is None
    for kw in ({"data_fingerprint": "ABC"}, {"data_fingerprint": "0123456789aG"}, {"plan_id": ""},
               {"plan_id": "x" * 101}, {"plan_id": "a\nb"}, {"data_fingerprint": 12}):  # fmt: skip
        assert code_of(lambda kw=kw: store.save("Phương án C", "", QUERY, True, 1.0, 2025, **kw)) == "bad_value"
    assert len(store.list()) == 3


# --- datasets -------------------------------------------------------------------------------


def test_save_get_list_round_trip(store: ScenarioStore, db: Path) -> None:
    a = store.save_dataset("Số liệu Sở Công Thương 2024", "Bản gửi ngày 3/5", plan_to_dict(PLAN), PLAN.id)
    assert isinstance(a, SavedDataset)
    assert (a.name, a.note, a.source_plan_id, a.fingerprint) == (
        "Số liệu Sở Công Thương 2024", "Bản gửi ngày 3/5", "thai-binh", PLAN.fingerprint,
    )  # fmt: skip
    assert a.plan_json == plan_json(PLAN) and a.plan() == PLAN and a.plan().fingerprint == a.fingerprint
    assert not a.deleted and a.created_at == a.updated_at and "plan_json" not in repr(a)
    b = store.save_dataset("Phương án tăng giày dép", "", figures(400.0), PLAN.id)
    assert store.get_dataset(a.id) == a
    assert store.list_datasets() == [b, a]
    assert store.entry_by_fingerprint(a.fingerprint).id == a.id
    again = ScenarioStore(db)  # a restart
    assert again.list_datasets() == [b, a] and again.get_dataset(b.id).plan().sectors[0].base_musd == 400.0
    assert store.list() == []  # datasets are not scenarios


def test_the_fingerprint_is_computed_by_the_store(store: ScenarioStore) -> None:
    """Figures given as CSV text (a folder read as it is) or through JSON: the same
    canonical JSON and the same fingerprint, so they are recognised as the same figures."""
    a = store.save_dataset("Gốc", "", read_plan_folder(model.plan.DEFAULT_PLAN_DIR), PLAN.id)
    assert a.fingerprint == PLAN.fingerprint and a.plan_json == plan_json(PLAN)
    same = json.loads(json.dumps(plan_to_dict(PLAN)))
    with pytest.raises(StoreError) as info:
        store.save_dataset("Gốc lần hai", "", same, PLAN.id)
    assert info.value.code == "dataset_exists" and info.value.existing == a.id
    assert "'Gốc'" in info.value.detail and str(a.id) in info.value.detail
    assert len(store.list_datasets()) == 1


def test_duplicate_figures_are_one_dataset(store: ScenarioStore) -> None:
    a = store.save_dataset("Bản A", "", figures(500.0), PLAN.id)
    assert code_of(lambda: store.save_dataset("Bản A khác tên", "ghi chú khác", figures(500.0), "other")) == (
        "dataset_exists"
    )
    # Same name and same figures: the figures are what the user needs to hear about.
    assert code_of(lambda: store.save_dataset("Bản A", "", figures(500.0), PLAN.id)) == "dataset_exists"
    store.delete_dataset(a.id)
    assert code_of(lambda: store.entry_by_fingerprint(a.fingerprint)) == "not_found"
    b = store.save_dataset("Bản B", "", figures(500.0), PLAN.id)  # a deleted one does not count
    assert b.fingerprint == a.fingerprint and store.entry_by_fingerprint(a.fingerprint).id == b.id
    with pytest.raises(StoreError) as info:
        store.restore_dataset(a.id)  # two live datasets never hold the same figures
    assert info.value.code == "dataset_exists" and info.value.existing == b.id
    assert store.get_dataset(a.id).deleted
    store.delete_dataset(b.id)
    assert store.restore_dataset(a.id).deleted_at is None


def test_a_link_to_a_deleted_dataset_can_say_so(store: ScenarioStore) -> None:
    a = store.save_dataset("Sẽ xoá", "", figures(600.0), PLAN.id)
    found = store.entry_by_fingerprint(a.fingerprint)  # everything but the plan
    assert type(found) is DatasetEntry and found == DatasetEntry(
        **{k: v for k, v in vars(a).items() if k != "plan_json"}
    )
    store.delete_dataset(a.id)
    with pytest.raises(StoreError) as info:
        store.entry_by_fingerprint(a.fingerprint)
    assert info.value.code == "not_found" and info.value.existing == a.id and "deleted" in info.value.detail
    with pytest.raises(StoreError) as info:
        store.entry_by_fingerprint("0123456789ab")
    assert info.value.code == "not_found" and info.value.existing is None
    for bad in ("", "x" * 12, None, 7, "0" * 13):
        assert code_of(lambda bad=bad: store.entry_by_fingerprint(bad)) == "not_found"  # type: ignore[arg-type]


def test_rename_note_delete_restore(store: ScenarioStore) -> None:
    a = store.save_dataset("Dữ liệu A", "", figures(700.0), PLAN.id)
    time.sleep(0.002)
    b = store.save_dataset("Dữ liệu B", "", figures(701.0), PLAN.id)
    renamed = store.rename_dataset(a.id, "Dữ liệu A – sửa")
    assert renamed.name == "Dữ liệu A – sửa" and renamed.updated_at > a.updated_at
    assert renamed.plan_json == a.plan_json and renamed.created_at == a.created_at
    assert store.list_datasets()[0].id == a.id
    assert store.update_dataset_note(a.id, "  ghi chú  ").note == "ghi chú"
    assert code_of(lambda: store.rename_dataset(b.id, "DỮ LIỆU A – SỬA")) == "name_taken"
    gone = store.delete_dataset(a.id)
    assert gone.deleted and store.delete_dataset(a.id) == gone  # idempotent
    assert [x.id for x in store.list_datasets()] == [b.id]
    assert {x.id for x in store.list_datasets(include_deleted=True)} == {a.id, b.id}
    assert code_of(lambda: store.rename_dataset(a.id, "X")) == "deleted"
    assert code_of(lambda: store.update_dataset_note(a.id, "X")) == "deleted"
    newer = store.save_dataset("dữ liệu a – sửa", "", figures(702.0), PLAN.id)  # the deleted one's name is free
    back = store.restore_dataset(a.id)
    assert back.name == "Dữ liệu A – sửa (2)" and not back.deleted and store.restore_dataset(a.id) == back
    assert {x.name for x in store.list_datasets()} == {back.name, b.name, newer.name}
    for call in (lambda: store.get_dataset(999), lambda: store.rename_dataset(999, "X"),
                 lambda: store.update_dataset_note(999, ""), lambda: store.delete_dataset(999),
                 lambda: store.restore_dataset(999), lambda: store.get_dataset("1")):  # type: ignore[arg-type]  # fmt: skip
        assert code_of(call) == "not_found"


def test_a_full_store_refuses_more_live_datasets_and_the_bin_keeps_the_most_recently_deleted(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(store_module.MAX_LIVE, "datasets", 2)
    monkeypatch.setitem(store_module.MAX_BIN, "datasets", 1)
    a = store.save_dataset("Dữ liệu A", "", figures(710.0), PLAN.id)
    b = store.save_dataset("Dữ liệu B", "", figures(711.0), PLAN.id)
    assert code_of(lambda: store.save_dataset("Dữ liệu C", "", figures(712.0), PLAN.id)) == "store_full"
    assert [x.id for x in store.list_datasets(include_deleted=True)] == [b.id, a.id]  # nothing written
    store.delete_dataset(a.id)
    c = store.save_dataset("Dữ liệu C", "", figures(712.0), PLAN.id)  # a delete makes room
    assert code_of(lambda: store.restore_dataset(a.id)) == "store_full"
    store.delete_dataset(b.id)  # the bin keeps one: the older deleted (a) is gone for good
    assert code_of(lambda: store.get_dataset(a.id)) == "not_found"
    assert [x.id for x in store.list_datasets(include_deleted=True)] == [c.id, b.id]
    assert store.restore_dataset(b.id).plan().sectors[0].base_musd == 711.0


def test_a_list_of_entries_is_the_list_without_the_plans(store: ScenarioStore) -> None:
    a = store.save_dataset("Dữ liệu A", "ghi chú", figures(720.0), PLAN.id)
    b = store.save_dataset("Dữ liệu B", "", figures(721.0), PLAN.id)
    store.delete_dataset(a.id)
    for deleted in (False, True):
        full, entries = store.list_datasets(include_deleted=deleted), store.dataset_entries(include_deleted=deleted)
        assert [DatasetEntry(**{k: v for k, v in vars(d).items() if k != "plan_json"}) for d in full] == entries
    # A page lists the saved datasets on every run: their plans (up to MAX_PLAN_BYTES each)
    # are not read then.
    assert all(type(e) is DatasetEntry for e in entries) and [e.id for e in entries] == [b.id, a.id]


@pytest.mark.parametrize(
    ("name", "code"),
    [("", "name_empty"), ("x" * 81, "name_too_long"), ("![x](http://host/x.png)", "name_bad_chars"),
     ("<b>Dữ liệu</b>", "name_bad_chars"), ("Dữ_liệu", "name_bad_chars"), ("Dữ liệu 🚀", "name_bad_chars")],
)  # fmt: skip
def test_dataset_names_follow_the_scenario_rules(store: ScenarioStore, name: str, code: str) -> None:
    assert code_of(lambda: store.save_dataset(name, "", plan_to_dict(PLAN), PLAN.id)) == code
    assert code_of(lambda: store.save_dataset("Tốt", "x" * 501, plan_to_dict(PLAN), PLAN.id)) == "note_too_long"
    assert store.list_datasets(include_deleted=True) == []


def test_dataset_and_scenario_names_are_separate(store: ScenarioStore) -> None:
    store.save("Phương án 2024", "", QUERY, True, 1.0, 2025)
    assert store.save_dataset("  Phương án   2024 ", "", plan_to_dict(PLAN), PLAN.id).name == "Phương án 2024"
    assert code_of(lambda: store.save_dataset("PHƯƠNG ÁN 2024", "", figures(1.0), PLAN.id)) == "name_taken"


def test_invalid_plans_are_refused_with_their_problems(store: ScenarioStore) -> None:
    d = plan_to_dict(PLAN)
    d["sectors"][2]["growth_status"] = "đoán"
    with pytest.raises(StoreError) as info:
        store.save_dataset("Sai", "", d, PLAN.id)
    assert info.value.code == "bad_dataset"
    assert [(p.code, p.file, p.row, p.column) for p in info.value.problems] == [
        ("bad_status", "sectors.csv", 3, "growth_status")
    ]
    for bad in (None, [], "plan", {"id": "x"}):
        assert code_of(lambda bad=bad: store.save_dataset("Sai", "", bad, PLAN.id)) == "bad_dataset"  # type: ignore[arg-type]
    for bad_id in ("", None, "x" * 101, "a\tb"):
        assert code_of(lambda bad_id=bad_id: store.save_dataset("Sai", "", plan_to_dict(PLAN), bad_id)) == "bad_value"  # type: ignore[arg-type]
    assert store.list_datasets(include_deleted=True) == []


def test_size_limits(store: ScenarioStore) -> None:
    many = [dict(plan_to_dict(PLAN)["sectors"][0], id=f"s{i}") for i in range(MAX_SECTORS + 1)]
    with pytest.raises(StoreError) as info:
        store.save_dataset("Quá nhiều ngành", "", dict(plan_to_dict(PLAN), sectors=many), PLAN.id)
    assert info.value.code == "dataset_too_large"
    assert [p.code for p in info.value.problems] == ["too_many_items"]
    # Every cell within its limit, the whole over MAX_PLAN_BYTES.
    big = [dict(row, id=f"s{i}", base_note="đ" * 1999, growth_note="đ" * 1999, volatility_note="đ" * 1999)
           for i, row in enumerate(many[:MAX_SECTORS])]  # fmt: skip
    with pytest.raises(StoreError) as info:
        store.save_dataset("Quá lớn", "", dict(plan_to_dict(PLAN), sectors=big, presets=[]), PLAN.id)
    assert info.value.code == "dataset_too_large" and [p.code for p in info.value.problems] == ["plan_too_large"]
    d = plan_to_dict(PLAN)
    d["sources"][0]["quote"] = "x" * 10**7  # 10 MB in one cell
    with pytest.raises(StoreError) as info:
        store.save_dataset("Trích dẫn dài", "", d, PLAN.id)
    assert info.value.code == "dataset_too_large" and [p.code for p in info.value.problems] == ["text_too_long"]
    # Just under the size limit is fine.
    fits = [dict(row, base_note="đ" * 1999) for row in many[:35]]
    saved = store.save_dataset("Vừa đủ", "", dict(plan_to_dict(PLAN), sectors=fits, presets=[]), PLAN.id)
    assert MAX_PLAN_BYTES / 2 < len(saved.plan_json.encode()) <= MAX_PLAN_BYTES
    assert len(saved.plan().sectors) == 35
    assert [x.name for x in store.list_datasets()] == ["Vừa đủ"]


def test_a_dataset_opens_after_its_source_folder_changed(store: ScenarioStore, tmp_path: Path) -> None:
    folder = tmp_path / "tinh"
    shutil.copytree(model.plan.DEFAULT_PLAN_DIR, folder)
    original = load_plan(folder)
    saved = store.save_dataset("Từ thư mục", "", plan_to_dict(original), original.id)
    # The folder changes: a figure, a status, a source's quote, a preset; then it goes away.
    table = model.plan.read_table(folder / "sectors.csv")
    table.loc[0, "base_musd"] = "1.5"
    table.loc[1, "growth_status"] = "estimate"
    table.to_csv(folder / "sectors.csv", index=False)
    (folder / "plan.toml").write_text(
        (folder / "plan.toml").read_text(encoding="utf-8").replace('id = "precovid"', 'id = "other"'), encoding="utf-8"
    )
    _load_plan_cached.cache_clear()
    changed = load_plan(folder)
    assert changed != original and changed.fingerprint != saved.fingerprint
    shutil.rmtree(folder)
    reopened = ScenarioStore(store.path).get_dataset(saved.id)
    assert reopened.plan() == original and reopened.plan().fingerprint == saved.fingerprint
    assert reopened.plan().sources[0].quote == original.sources[0].quote


def test_a_tampered_row_is_a_store_error_not_a_crash(store: ScenarioStore, db: Path) -> None:
    a = store.save_dataset("Sẽ bị sửa tay", "", figures(800.0), PLAN.id)
    b = store.save_dataset("Sẽ phình to", "", figures(801.0), PLAN.id)
    c = store.save_dataset("Không phải JSON", "", figures(802.0), PLAN.id)
    d = store.save_dataset("Lồng quá sâu", "", figures(803.0), PLAN.id)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE datasets SET plan_json = replace(plan_json, '\"official\"', '\"chắc chắn\"') WHERE id = ?",
                 (a.id,))  # fmt: skip
    conn.execute("UPDATE datasets SET plan_json = ? WHERE id = ?", ("[" * (MAX_PLAN_BYTES + 1), b.id))
    conn.execute("UPDATE datasets SET plan_json = '{not json' WHERE id = ?", (c.id,))
    conn.execute("UPDATE datasets SET plan_json = ? WHERE id = ?", ("[" * 100_000, d.id))  # under the size limit
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as info:
        store.get_dataset(a.id).plan()
    assert info.value.code == "bad_dataset" and {p.code for p in info.value.problems} == {"bad_status"}
    assert code_of(lambda: store.get_dataset(b.id).plan()) == "dataset_too_large"
    assert code_of(lambda: store.get_dataset(c.id).plan()) == "bad_dataset"
    assert code_of(lambda: store.get_dataset(d.id).plan()) == "bad_dataset"
    assert len(store.list_datasets()) == 4  # the list still works


# --- concurrency, kill -9, read-only, full disk -------------------------------------------


@pytest.mark.timeout(120)
def test_threads_saving_datasets_at_once_lose_nothing(db: Path) -> None:
    stores = [ScenarioStore(db), ScenarioStore(db), ScenarioStore(db)]
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []
    ids: list[list[int]] = [[], [], []]

    def work(k: int) -> None:
        try:
            barrier.wait()
            for i in range(12):
                ids[k].append(stores[k].save_dataset(f"Luồng {k} – {i}", "", figures(k * 1000 + i), PLAN.id).id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = {r.id: r for r in ScenarioStore(db).list_datasets()}
    assert set(rows) == set(ids[0] + ids[1] + ids[2]) and len(rows) == 36
    for k in range(3):
        for i, did in enumerate(ids[k]):
            assert rows[did].name == f"Luồng {k} – {i}"
            assert rows[did].plan().sectors[0].base_musd == k * 1000 + i
    assert ScenarioStore(db).integrity_check()


@pytest.mark.timeout(120)
def test_racing_to_save_the_same_figures_saves_them_once(db: Path) -> None:
    stores = [ScenarioStore(db), ScenarioStore(db)]
    barrier = threading.Barrier(2)
    outcome: list[list[str]] = [[], []]

    def work(k: int) -> None:
        barrier.wait()
        for i in range(10):
            try:
                stores[k].save_dataset(f"Bên {k} – {i}", "", figures(float(i)), PLAN.id)
                outcome[k].append("ok")
            except StoreError as exc:
                outcome[k].append(exc.code)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(10):
        assert sorted([outcome[0][i], outcome[1][i]]) == ["dataset_exists", "ok"]
    assert len(stores[0].list_datasets()) == 10


def _start_child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _committed(lines: list[str]) -> dict[int, int]:
    """{dataset id: loop index} for every "ID <id> <i>" line (printed after the commit)."""
    out = {}
    for line in lines:
        if line.startswith("ID "):
            _, did, i = line.split()
            out[int(did)] = int(i)
    return out


def _check_dataset(row: SavedDataset, prefix: str, offset: int, i: int) -> None:
    assert row.name == f"{prefix} {i}"
    plan = row.plan()  # the whole plan is there and valid
    assert plan.sectors[0].base_musd == offset * 100_000 + i + 0.5
    assert plan.sectors[1:] == PLAN.sectors[1:] and plan.sources == PLAN.sources


@pytest.mark.timeout(180)
def test_processes_saving_datasets_at_once_lose_nothing(db: Path) -> None:
    ScenarioStore(db)
    procs = [_start_child("dloop", str(db), f"Tiến trình {k}", "20", str(k + 1)) for k in range(3)]
    outputs = [p.communicate(timeout=150) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err[-2000:]
    rows = {r.id: r for r in ScenarioStore(db).list_datasets()}
    confirmed = 0
    for k, (out, _) in enumerate(outputs):
        for did, i in _committed(out.splitlines()).items():
            _check_dataset(rows[did], f"Tiến trình {k}", k + 1, i)
            confirmed += 1
    assert confirmed == len(rows) == 60
    assert ScenarioStore(db).integrity_check()


@pytest.mark.timeout(180)
def test_kill_9_mid_dataset_save_keeps_every_committed_dataset(db: Path) -> None:
    ScenarioStore(db)
    committed: dict[int, tuple[str, int, int]] = {}
    for run, kill_after in enumerate((2, 7)):
        prefix, offset = f"Lần {run}", run + 1
        proc = _start_child("dloop", str(db), prefix, "100000", str(offset))
        assert proc.stdout is not None
        lines = []
        while len(lines) < kill_after:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "child ended early"
            lines.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)  # in the middle of further saves
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines += rest.splitlines()
        for did, i in _committed(lines).items():
            committed[did] = (prefix, offset, i)
        s = ScenarioStore(db)
        assert s.integrity_check()
        rows = {r.id: r for r in s.list_datasets()}
        for did, (p, off, i) in committed.items():
            assert did in rows, f"committed dataset {did} lost"
            _check_dataset(rows[did], p, off, i)
        # At most the one save in flight committed before the kill without saying so: whole.
        extra = set(rows) - set(committed)
        assert len(extra) <= 1
        for did in extra:
            i = int(rows[did].name.rsplit(" ", 1)[1])
            _check_dataset(rows[did], prefix, offset, i)
            committed[did] = (prefix, offset, i)
    assert len(committed) >= 2 + 7


@pytest.mark.timeout(120)
def test_kill_9_at_each_commit_of_a_dataset_save_leaves_all_or_nothing(db: Path) -> None:
    """The child hangs at the k-th COMMIT of a save (k = 1, 2, ... until the save makes no
    k-th commit) and is killed there: each time, the store holds the earlier, confirmed
    datasets whole and the hung one not at all (a save that made two transactions would
    leave half a dataset at k = 2)."""
    for k in range(1, 6):
        db.unlink(missing_ok=True)
        proc = _start_child("dhang", str(db), "Treo", str(k))
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        if lines[2] == "COMMITTED":  # no k-th commit: the save was whole in k - 1 commits
            proc.communicate(timeout=30)
            break
        assert lines[2] == "MID", (lines, proc.stderr.read() if proc.stderr else "")
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        s = ScenarioStore(db)
        assert s.integrity_check()
        assert {r.name for r in s.list_datasets(include_deleted=True)} == {"Treo 0", "Treo 1"}, k
        assert set(_committed(lines)) == {r.id for r in s.list_datasets()}
        for row in s.list_datasets():
            _check_dataset(row, "Treo", 0, int(row.name.rsplit(" ", 1)[1]))
        # The half-done one left nothing behind: its figures and name are free.
        assert s.save_dataset("Treo hung", "", figures(99.5), PLAN.id).name == "Treo hung"
    assert k == 2  # one commit per save


def test_readonly_store_refuses_dataset_writes(db: Path) -> None:
    a = ScenarioStore(db).save_dataset("Có sẵn", "", plan_to_dict(PLAN), PLAN.id)
    ro = ScenarioStore(db, readonly=True)
    assert ro.list_datasets() == [a] and ro.get_dataset(a.id).plan() == PLAN
    for call in (
        lambda: ro.save_dataset("Mới", "", figures(1.0), PLAN.id), lambda: ro.rename_dataset(a.id, "X"),
        lambda: ro.update_dataset_note(a.id, "x"), lambda: ro.delete_dataset(a.id), lambda: ro.restore_dataset(a.id),
    ):  # fmt: skip
        assert code_of(call) == "readonly"
    assert ro.list_datasets() == [a] and ro.entry_by_fingerprint(a.fingerprint).id == a.id


def test_full_disk_on_dataset_save(db: Path, monkeypatch: pytest.MonkeyPatch, full_disk) -> None:
    """SQLITE_FULL (simulated with max_page_count) is write_failed; nothing half-written."""
    s = ScenarioStore(db)
    kept = s.save_dataset("Có sẵn", "", plan_to_dict(PLAN), PLAN.id)
    full_disk(db, 2)
    codes = set()
    for i in range(20):
        try:
            s.save_dataset(f"Đầy đĩa {i}", "", figures(float(i)), PLAN.id)
        except StoreError as exc:
            codes.add(exc.code)
            break
    assert codes == {"write_failed"}
    listed = s.list_datasets()
    assert kept in listed and all(x.plan() for x in listed)  # whatever was saved is whole
    assert s.integrity_check()
    monkeypatch.undo()
    assert s.save_dataset("Sau khi dọn đĩa", "", figures(12345.5), PLAN.id).id
