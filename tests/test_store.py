"""The saved-scenario store (model/store.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import store as store_module
from model.store import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    SavedScenario,
    ScenarioStore,
    StoreError,
    default_store_path,
    validate_name,
    validate_note,
)

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().parent / "store_child.py"
NAME_A = "Phương án A – dệt may tăng 8%"
NAME_B = "Phương án B: giày dép (thận trọng)"
FP, FP_OTHER = "0123456789ab", "ba9876543210"  # data fingerprints
QUERY = {"v": "1", "g.textiles": "8", "g.footwear": "6.5", "shock": "12", "rec": "2", "lang": "vi"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "scenarios.sqlite3"


@pytest.fixture
def store(db: Path) -> ScenarioStore:
    return ScenarioStore(db)


def save(s: ScenarioStore, name: str, **kw: object) -> SavedScenario:
    args: dict[str, object] = {
        "note": "", "query": QUERY, "reachable": True, "target_year_total": 2750.25, "target_year": 2025,
    }  # fmt: skip
    args.update(kw)
    return s.save(name, **args)  # type: ignore[arg-type]


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError) as info:
        call()
    assert info.value.detail  # always something to show
    return info.value.code


# --- round trips ----------------------------------------------------------------------------


def test_save_get_list_round_trip(store: ScenarioStore, db: Path) -> None:
    a = store.save(NAME_A, "Họp ngày 5/3:\nưu tiên dệt may", QUERY, True, 2750.25, 2025)
    assert a.name == NAME_A and a.note == "Họp ngày 5/3:\nưu tiên dệt may"
    assert a.query == QUERY and a.reachable is True
    assert a.target_year_total == 2750.25 and a.target_year == 2025
    assert a.deleted_at is None and not a.deleted and a.created_at == a.updated_at
    assert a.created_at.endswith("+00:00")
    b = store.save(NAME_B, "", {"v": "1"}, False, 2512.0, 2030)
    assert store.get(a.id) == a
    assert store.list() == [b, a]  # most recently updated first
    # A new store object on the same file (a server restart) sees the same records.
    again = ScenarioStore(db)
    assert again.list() == [b, a] and again.get(b.id).reachable is False
    assert again.integrity_check()


def test_the_probability_is_kept_copied_and_checked(store: ScenarioStore) -> None:
    a = save(store, NAME_A, probability=0.4723)
    assert store.get(a.id).probability == 0.4723 and store.list()[0].probability == 0.4723
    assert store.duplicate(a.id).probability == 0.4723
    assert save(store, NAME_B).probability is None  # a caller that has none
    for bad in (1.5, -0.01, float("nan"), True, "0.5"):
        assert code_of(lambda bad=bad: save(store, "Phương án C", probability=bad)) == "bad_value", bad
    assert len(store.list()) == 3  # nothing refused was saved


def test_schema_is_versioned_and_wal(store: ScenarioStore, db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION == 3
        assert conn.execute("PRAGMA application_id").fetchone()[0] == store_module.APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_rename_update_note_duplicate(store: ScenarioStore) -> None:
    a = save(store, NAME_A, note="gốc")
    time.sleep(0.002)
    b = save(store, NAME_B)
    renamed = store.rename(a.id, "Phương án A' – điều chỉnh")
    assert renamed.name == "Phương án A' – điều chỉnh" and renamed.updated_at > a.updated_at
    assert renamed.created_at == a.created_at and renamed.query == a.query
    assert store.list()[0].id == a.id  # renaming counts as an update
    noted = store.update_note(a.id, "  ghi chú mới  ")
    assert noted.note == "ghi chú mới" and noted.name == renamed.name

    copy = store.duplicate(b.id)
    assert copy.id != b.id and copy.name == f"{NAME_B} (bản sao)"
    assert (copy.query, copy.note, copy.reachable, copy.target_year_total) == (
        b.query, b.note, b.reachable, b.target_year_total,
    )  # fmt: skip
    assert store.duplicate(b.id).name == f"{NAME_B} (bản sao 2)"
    assert store.duplicate(b.id, "Phương án C").name == "Phương án C"
    assert code_of(lambda: store.duplicate(b.id, NAME_B.upper())) == "name_taken"
    assert len(store.list()) == 5


def test_duplicate_default_name_stays_within_limit(store: ScenarioStore) -> None:
    long_name = "Kịch bản " + "x" * (MAX_NAME_LENGTH - 9)
    original = save(store, long_name)
    assert len(original.name) == MAX_NAME_LENGTH
    first, second = store.duplicate(original.id), store.duplicate(original.id)
    assert first.name.endswith(" (bản sao)") and len(first.name) <= MAX_NAME_LENGTH
    assert second.name.endswith(" (bản sao 2)") and len(second.name) <= MAX_NAME_LENGTH


def test_delete_restore_purge(store: ScenarioStore) -> None:
    a, b = save(store, NAME_A), save(store, NAME_B)
    gone = store.delete(a.id)
    assert gone.deleted_at is not None and gone.deleted
    assert [x.id for x in store.list()] == [b.id]
    assert {x.id for x in store.list(include_deleted=True)} == {a.id, b.id}
    assert store.get(a.id).deleted  # still readable, so it can be shown in a trash list
    assert store.delete(a.id) == gone  # idempotent
    # A deleted scenario cannot be edited, and a live one cannot be purged.
    assert code_of(lambda: store.rename(a.id, "X")) == "deleted"
    assert code_of(lambda: store.update_note(a.id, "X")) == "deleted"
    assert code_of(lambda: store.duplicate(a.id)) == "deleted"
    assert code_of(lambda: store.purge(b.id)) == "not_deleted"

    back = store.restore(a.id)
    assert back.deleted_at is None and back.name == NAME_A and back.query == a.query
    assert store.restore(a.id) == back  # idempotent
    assert {x.id for x in store.list()} == {a.id, b.id}

    store.delete(a.id)
    store.purge(a.id)
    assert code_of(lambda: store.get(a.id)) == "not_found"
    assert [x.id for x in store.list(include_deleted=True)] == [b.id]
    # Ids are never reused: a link naming a purged id never shows another scenario.
    assert save(store, "Mới").id > a.id


def test_a_full_store_refuses_more_live_scenarios_until_one_is_deleted(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(store_module.MAX_LIVE, "scenarios", 3)
    a, b, c = (save(store, f"Phương án {i}") for i in range(3))
    assert code_of(lambda: save(store, "Một cái nữa")) == "store_full"
    assert code_of(lambda: store.duplicate(a.id)) == "store_full"
    assert [x.id for x in store.list(include_deleted=True)] == [c.id, b.id, a.id]  # nothing written
    store.delete(a.id)
    d = save(store, "Một cái nữa")  # a delete makes room
    assert code_of(lambda: store.restore(a.id)) == "store_full"  # ...which a restore then needs
    assert store.get(a.id).deleted
    store.delete(d.id)
    assert store.restore(a.id).deleted_at is None


def test_the_bin_keeps_the_most_recently_deleted(store: ScenarioStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(store_module.MAX_BIN, "scenarios", 2)
    kept = save(store, "Giữ lại")
    first, second, third = (save(store, f"Xoá {i}") for i in range(3))
    for item in (first, second, third):
        store.delete(item.id)
    assert [x.id for x in store.list(include_deleted=True)] == [third.id, second.id, kept.id]
    assert code_of(lambda: store.get(first.id)) == "not_found"  # the oldest deleted is gone for good
    assert store.restore(second.id).name == "Xoá 1"
    # What counts is when each was deleted, not when it was saved or its id: the third goes,
    # though it was saved last and has the highest id, because it was deleted first.
    store.delete(kept.id)
    store.delete(second.id)
    assert {x.id for x in store.list(include_deleted=True)} == {kept.id, second.id}
    assert code_of(lambda: store.get(third.id)) == "not_found"


def test_a_delete_keeps_what_it_deleted_in_the_bin_even_with_the_clock_set_back(
    store: ScenarioStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(store_module.MAX_BIN, "scenarios", 2)
    items = [save(store, f"Phương án {i}") for i in range(3)]
    store.delete(items[0].id)
    store.delete(items[1].id)
    monkeypatch.setattr(store_module, "_now", lambda: "2000-01-01T00:00:00.000000+00:00")
    assert store.delete(items[2].id).deleted  # it looks the oldest deleted, yet it is kept...
    assert {x.id for x in store.list(include_deleted=True)} == {items[1].id, items[2].id}  # ...the oldest goes


def test_deleted_name_is_free_and_restore_never_fails(store: ScenarioStore) -> None:
    a = save(store, NAME_A)
    store.delete(a.id)
    newer = save(store, NAME_A.lower())  # the name of a deleted scenario can be reused
    back = store.restore(a.id)  # ...and restoring the old one still works
    assert back.deleted_at is None and back.name == f"{NAME_A} (2)"
    assert {x.name for x in store.list()} == {newer.name, back.name}


def test_unknown_ids(store: ScenarioStore) -> None:
    for call in (
        lambda: store.get(999), lambda: store.rename(999, "X"), lambda: store.update_note(999, ""),
        lambda: store.duplicate(999), lambda: store.delete(999), lambda: store.restore(999),
        lambda: store.purge(999), lambda: store.get("1"),  # type: ignore[arg-type]
    ):  # fmt: skip
        assert code_of(call) == "not_found"


# --- the saved scenario that is the one on screen ------------------------------------------


def test_name_of_is_the_newest_live_scenario_with_the_same_query(store: ScenarioStore, db: Path) -> None:
    def name_of(query: dict[str, str], plan_id: str = "p", fingerprint: str = FP) -> str | None:
        return store.name_of(query, plan_id, fingerprint, ignoring="lang")

    assert name_of(QUERY) is None  # nothing saved
    save(store, NAME_A, plan_id="p", data_fingerprint=FP)
    assert name_of(QUERY) == NAME_A
    assert name_of({**QUERY, "lang": "en"}) == NAME_A, "the language is not part of the scenario"
    assert name_of({k: v for k, v in QUERY.items() if k != "lang"}) == NAME_A
    assert name_of({**QUERY, "shock": "13"}) is None, "one parameter differs"
    assert name_of({**QUERY, "seed": "1"}) is None, "one parameter more"
    assert name_of(QUERY, plan_id="q") is None and name_of(QUERY, fingerprint=FP_OTHER) is None, "other figures"
    b = save(store, NAME_B, query={**QUERY, "lang": "en"}, plan_id="p", data_fingerprint=FP)
    assert name_of(QUERY) == NAME_B, "the newest of two"
    store.delete(b.id)
    assert name_of(QUERY) == NAME_A, "a deleted one is not offered"
    save(store, "Trước khi lưu dữ liệu", query={**QUERY, "rec": "3"})  # saved before plans were recorded
    assert name_of({**QUERY, "rec": "3"}, plan_id="any", fingerprint=FP_OTHER) == "Trước khi lưu dữ liệu"
    with sqlite3.connect(db) as conn:  # a damaged row is skipped, not an error
        conn.execute("UPDATE scenarios SET query_json = '{not json' WHERE name = ?", (NAME_A,))
    assert name_of(QUERY) is None and name_of({**QUERY, "rec": "3"}) == "Trước khi lưu dữ liệu"


def test_name_of_reads_on_a_kept_connection_and_follows_a_replaced_file(
    store: ScenarioStore, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = []
    connect = store._raw_connect
    monkeypatch.setattr(store, "_raw_connect", lambda *a, **k: opened.append(a) or connect(*a, **k))
    save(store, NAME_A, plan_id="p", data_fingerprint=FP)
    opened.clear()
    for _ in range(3):
        assert store.name_of(QUERY, "p", FP, ignoring="lang") == NAME_A
    assert len(opened) == 1, "one connection, kept for the next runs"
    save(store, NAME_B, query={**QUERY, "rec": "9"})  # a commit after the kept connection's read
    with sqlite3.connect(db) as conn:  # which holds nothing open: a checkpoint can take every commit
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    other = ScenarioStore(tmp_path / "restored.sqlite3")  # a backup put in its place
    save(other, NAME_B, plan_id="p", data_fingerprint=FP)
    os.replace(tmp_path / "restored.sqlite3", db)
    assert store.name_of(QUERY, "p", FP, ignoring="lang") == NAME_B, "the file at the path now, not the one kept open"
    db.unlink()
    with pytest.raises(StoreError):  # as any read of a missing store
        store.name_of(QUERY, "p", FP, ignoring="lang")


_VALUES = st.sampled_from(["8", "8.0", "6,5", "", "Dệt may", 'a "quoted" \\ one', "tab\there", "\u0001", "/", "😀"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    saved=st.lists(
        st.tuples(
            st.dictionaries(st.sampled_from(["v", "g.textiles", "shock", "lang"]), _VALUES, max_size=4),
            st.sampled_from([None, "p", "q"]),
            st.sampled_from([None, FP, FP_OTHER]),
            st.booleans(),
        ),
        max_size=6,
    ),
    query=st.dictionaries(st.sampled_from(["v", "g.textiles", "shock", "lang"]), _VALUES, max_size=4),
)
def test_name_of_answers_as_comparing_every_saved_scenario_would(saved, query) -> None:
    """The SQL comparison of canonical JSON gives what comparing the saved queries as
    dictionaries gives, whatever the text they hold (quotes, escapes, emoji)."""
    with tempfile.TemporaryDirectory() as folder:
        store = ScenarioStore(Path(folder) / "s.sqlite3")
        for i, (q, plan_id, fingerprint, deleted) in enumerate(saved):
            s = save(store, f"s{i}", query=q, plan_id=plan_id, data_fingerprint=fingerprint)
            if deleted:
                store.delete(s.id)
        wanted = {k: v for k, v in query.items() if k != "lang"}
        expected = next(
            (s.name for s in store.list()
             if {k: v for k, v in s.query.items() if k != "lang"} == wanted
             and s.plan_id in (None, "p") and s.data_fingerprint in (None, FP)),
            None,
        )  # fmt: skip
        assert store.name_of(query, "p", FP, ignoring="lang") == expected


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (NAME_A, NAME_A),
        ("  Phương án   B  ", "Phương án B"),
        ("Kịch bản\u00a0#3 + giày/dép & túi (2025): 'cao'", "Kịch bản #3 + giày/dép & túi (2025): 'cao'"),
        (unicodedata.normalize("NFD", "Tăng trưởng đều"), "Tăng trưởng đều"),  # macOS input
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
        ("\tPhương án\n", "Phương án"),  # surrounding whitespace is trimmed
        ("Đỗ Mười v2.1, -5%", "Đỗ Mười v2.1, -5%"),
        ("Phương án “cao” (bản sao 2): 12/3 – ok? #1 + C&D!", "Phương án “cao” (bản sao 2): 12/3 – ok? #1 + C&D!"),
        ("Сценарий А", "Сценарий А"),  # Cyrillic with letters no Latin one looks like: nothing to mistake
        ("Москва 2030", "Москва 2030"),
        ("Phương án Δ, α", "Phương án Δ, α"),  # Greek letters drawn like no Latin one
    ],
)
def test_valid_names(raw: str, stored: str) -> None:
    assert validate_name(raw) == stored


def test_a_lookalike_name_says_where_its_lookalikes_are() -> None:
    with pytest.raises(StoreError) as info:
        validate_name("  \u0420hương án \u0410")
    assert info.value.letters == [(1, "\u0420"), (11, "\u0410")], "counted in the name as stored, from 1"
    assert info.value.problems == [], "a plan's problems, none here"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "name_empty"),
        ("   \u00a0 ", "name_empty"),
        (None, "name_empty"),
        ("\u0301" * 80, "name_no_letters"),  # combining marks with nothing to mark
        ("- / -", "name_no_letters"),
        ("\u0420hương án A", "name_lookalike"),  # Cyrillic Р: looks like "Phương án A"
        ("Phương án \u0410", "name_lookalike"),  # Cyrillic А
        ("Ph\u03bfng \u039a", "name_lookalike"),  # Greek ο and Κ
        ("\u03c1hương án A", "name_lookalike"),  # Greek ρ
        ("Ph\u03ccng án", "name_lookalike"),  # Greek ό: an accented ο
        ("Ph\u04d1t tri\u1ec3n", "name_lookalike"),  # Cyrillic ӑ: а with a breve
        ("\u0422\u0412 2030", "name_lookalike"),  # "ТВ 2030": nothing but look-alikes reads as Latin
        ("\u0420\u0410\u041d", "name_lookalike"),  # "РАН" reads as "PAH"
        ("x" * (MAX_NAME_LENGTH + 1), "name_too_long"),
        ("<script>alert(1)</script>", "name_bad_chars"),
        ("A > B", "name_bad_chars"),
        ("Phương\x00án", "name_bad_chars"),
        ("Phương\tán", "name_bad_chars"),
        ("dòng 1\ndòng 2", "name_bad_chars"),
        ("abc\u202edef", "name_bad_chars"),  # right-to-left override
        ("a\u200bb", "name_bad_chars"),  # zero-width space
        ("Kịch bản 🚀", "name_bad_chars"),
        ("=HYPERLINK(1)", "name_bad_chars"),
        # Markdown: an image or a link, emphasis, code, strike-through, a table, an escape, math
        ("![x](http://host/x.png)", "name_bad_chars"),
        ("[bấm vào đây](https://host/)", "name_bad_chars"),
        ("Kịch bản [nháp]", "name_bad_chars"),
        ("**đậm**", "name_bad_chars"),
        ("Đỗ Mười_v2.1", "name_bad_chars"),
        ("`mã`", "name_bad_chars"),
        ("~~gạch~~", "name_bad_chars"),
        ("a | b", "name_bad_chars"),
        ("a \\ b", "name_bad_chars"),
        ("$x^2$", "name_bad_chars"),
        ("＜b＞ ［x］", "name_bad_chars"),  # full-width look-alikes are not letters either
    ],
)
def test_invalid_names(store: ScenarioStore, raw: object, code: str) -> None:
    assert code_of(lambda: validate_name(raw)) == code
    assert code_of(lambda: save(store, raw)) == code  # type: ignore[arg-type]
    assert store.list() == []


def test_names_unique_ignoring_case(store: ScenarioStore) -> None:
    a = save(store, NAME_A)
    b = save(store, NAME_B)
    assert code_of(lambda: save(store, NAME_A.upper())) == "name_taken"
    assert code_of(lambda: save(store, f"  {NAME_A}  ")) == "name_taken"
    assert code_of(lambda: save(store, unicodedata.normalize("NFD", NAME_A))) == "name_taken"
    assert code_of(lambda: store.rename(b.id, NAME_A.lower())) == "name_taken"
    assert store.rename(a.id, NAME_A.upper()).name == NAME_A.upper()  # its own name, new case
    assert not store.name_available(NAME_A) and store.name_available(NAME_A, exclude_id=a.id)
    assert store.name_available("Phương án C") and not store.name_available("<b>")
    assert len(store.list()) == 2


def test_notes(store: ScenarioStore) -> None:
    long_ok = ("Ghi chú dòng\n" * 100)[:MAX_NOTE_LENGTH]
    assert validate_note(long_ok) == long_ok.strip()
    assert validate_note("a\r\nb\rc") == "a\nb\nc"
    assert validate_note(None) == ""
    assert code_of(lambda: validate_note("x" * (MAX_NOTE_LENGTH + 1))) == "note_too_long"
    assert code_of(lambda: validate_note("chuông\x07")) == "note_bad_chars"
    assert code_of(lambda: validate_note("tab\there")) == "note_bad_chars"
    assert code_of(lambda: validate_note("\u202eabc")) == "note_bad_chars"
    a = save(store, NAME_A, note=long_ok)
    assert store.get(a.id).note == long_ok.strip()
    assert code_of(lambda: store.update_note(a.id, "x" * 501)) == "note_too_long"
    assert store.get(a.id).note == long_ok.strip()


def test_bad_query_and_summary(store: ScenarioStore) -> None:
    assert code_of(lambda: save(store, "A", query={"g.textiles": 8})) == "bad_query"
    assert code_of(lambda: save(store, "A", query=["v", "1"])) == "bad_query"
    assert code_of(lambda: save(store, "A", query={f"k{i}": "1" for i in range(201)})) == "bad_query"
    assert code_of(lambda: save(store, "A", reachable="yes")) == "bad_value"
    assert code_of(lambda: save(store, "A", target_year_total=float("nan"))) == "bad_value"
    assert code_of(lambda: save(store, "A", target_year="2025")) == "bad_value"
    assert store.list() == []


def test_numpy_summary_values(store: ScenarioStore) -> None:
    np = pytest.importorskip("numpy")
    a = save(store, NAME_A, reachable=np.bool_(False), target_year_total=np.float64(2600.5),
             target_year=np.int64(2030))  # fmt: skip
    assert (a.reachable, a.target_year_total, a.target_year) == (False, 2600.5, 2030)
    assert type(a.reachable) is bool and type(a.target_year) is int


# Letters a Vietnamese planner types, plus digits, spaces and the allowed punctuation.
VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
NAME_ALPHABET = VI_LETTERS + VI_LETTERS.upper() + "0123456789 " + "".join(store_module.NAME_PUNCTUATION)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_validate_name_total(raw: str) -> None:
    """Any text is either a clean name or a StoreError with a name code: nothing else."""
    try:
        name = validate_name(raw)
    except StoreError as exc:
        assert exc.code in {"name_empty", "name_no_letters", "name_lookalike", "name_too_long", "name_bad_chars"}
        return
    assert 1 <= len(name) <= MAX_NAME_LENGTH
    assert name == name.strip() and "  " not in name
    assert name == unicodedata.normalize("NFC", name)
    assert not {"<", ">", "\n", "\r", "\t", "\x00"} & set(name)
    assert not store_module.NAME_FORBIDDEN & set(name)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in name)
    assert validate_name(name) == name  # idempotent


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(NAME_ALPHABET, min_size=1, max_size=MAX_NAME_LENGTH), min_size=1, max_size=4))
def test_vietnamese_names_round_trip(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = ScenarioStore(Path(tmp) / "s.sqlite3")
        kept: dict[str, int] = {}
        for raw in names:
            try:
                clean = validate_name(raw)
            except StoreError as exc:
                # only all-space names, or names of punctuation and marks alone, fail here
                assert exc.code in ("name_empty", "name_no_letters")
                continue
            if clean.casefold() in kept:
                assert code_of(lambda raw=raw: save(s, raw)) == "name_taken"
                continue
            saved = save(s, raw)
            assert saved.name == clean and s.get(saved.id).name == clean
            kept[clean.casefold()] = saved.id
        assert {x.id for x in s.list()} == set(kept.values())


# --- concurrency and crashes ----------------------------------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize("shared", [True, False], ids=["one-store-object", "two-store-objects"])
def test_two_threads_saving_at_once_lose_nothing(db: Path, shared: bool) -> None:
    stores = [ScenarioStore(db)] * 2 if shared else [ScenarioStore(db), ScenarioStore(db)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    ids: list[list[int]] = [[], []]

    def work(k: int) -> None:
        try:
            barrier.wait()
            for i in range(50):
                ids[k].append(save(stores[k], f"Luồng {k} – phương án {i}", target_year_total=float(i)).id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = ScenarioStore(db).list()
    assert len(rows) == 100 and len(set(ids[0] + ids[1])) == 100
    assert {r.name for r in rows} == {f"Luồng {k} – phương án {i}" for k in range(2) for i in range(50)}
    assert ScenarioStore(db).integrity_check()


@pytest.mark.timeout(60)
def test_racing_for_one_name_saves_it_once(db: Path) -> None:
    stores = [ScenarioStore(db), ScenarioStore(db)]
    barrier = threading.Barrier(2)
    outcome: list[list[str]] = [[], []]

    def work(k: int) -> None:
        barrier.wait()
        for i in range(25):
            try:
                save(stores[k], f"Phương án {i}" if k == 0 else f"PHƯƠNG ÁN {i}")
                outcome[k].append("ok")
            except StoreError as exc:
                outcome[k].append(exc.code)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(25):
        assert sorted([outcome[0][i], outcome[1][i]]) == ["name_taken", "ok"]
    assert len(stores[0].list()) == 25


def _read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    if time.monotonic() > deadline:
        raise AssertionError("child too slow")
    line = proc.stdout.readline()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"child ended early: {err}")
    return line.strip()


def _committed(lines: list[str]) -> dict[int, int]:
    """{scenario id: loop index} for every "ID <id> <i>" line."""
    out = {}
    for line in lines:
        if line.startswith("ID "):
            _, sid, i = line.split()
            out[int(sid)] = int(i)
    return out


@pytest.mark.timeout(60)
def test_kill_9_mid_save_keeps_every_committed_scenario(db: Path) -> None:
    ScenarioStore(db)  # the schema exists before the children race to write
    committed: dict[int, tuple[str, int]] = {}
    for run, kill_after in enumerate((3, 11, 26)):
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), "loop", str(db), f"Lần {run}", "100000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        lines = [_read_line(proc, deadline) for _ in range(kill_after)]
        os.kill(proc.pid, signal.SIGKILL)  # while it is in the middle of further saves
        rest, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        lines += rest.splitlines()  # ids printed (so committed) before the kill
        for sid, i in _committed(lines).items():
            committed[sid] = (f"Lần {run}", i)

        s = ScenarioStore(db)  # opens without error: readable, not corrupt
        assert s.integrity_check()
        rows = {r.id: r for r in s.list()}
        for sid, (prefix, i) in committed.items():
            assert sid in rows, f"committed scenario {sid} lost"
            assert rows[sid].name == f"{prefix} {i}"
            assert rows[sid].query["g.textiles"] == f"{i % 50}.5"
            assert rows[sid].target_year_total == 2000.0 + i
        # Anything else is at most the one save that was in flight and may have committed
        # just before the kill, after its id was printed... or not: never a partial row.
        extra = set(rows) - set(committed)
        assert len(extra) <= 1
        for sid in extra:
            committed[sid] = (f"Lần {run}", int(rows[sid].name.rsplit(" ", 1)[1]))
    assert len(committed) >= 3 + 11 + 26


@pytest.mark.timeout(60)
def test_a_second_store_in_the_process_keeps_the_first_ones_connection_safe(db: Path) -> None:
    """A store keeps a connection for its reads; opening another store on the file in the same
    process must not drop that connection's locks (closing any descriptor of the file drops
    them all): another process, taking itself for the last, would delete the WAL under it."""
    first = ScenarioStore(db)
    for run in range(3):
        assert len(first.list()) == 11 * run  # its kept connection is open from here on
        ScenarioStore(db)  # ... while another store opens the same file
        subprocess.run([sys.executable, str(CHILD), "loop", str(db), f"Lần {run}", "11"], check=True,
                       stdout=subprocess.DEVNULL, timeout=30)  # fmt: skip
        assert len(ScenarioStore(db).list()) == 11 * (run + 1), "every save, read without an error"
    assert first.integrity_check()


@pytest.mark.timeout(60)
def test_kill_9_inside_the_transaction_rolls_it_back(db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), "hang", str(db), "Treo"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    lines = [_read_line(proc, deadline) for _ in range(3)]
    assert lines[2] == "MID"  # the child holds the write lock with its row inserted
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)

    s = ScenarioStore(db)
    assert s.integrity_check()
    names = {r.name for r in s.list()}
    assert names == {"Treo 0", "Treo 1"}  # both committed ones, and not the half-done one
    assert set(_committed(lines)) == {r.id for r in s.list()}
    started = time.monotonic()
    save(s, "Treo hung")  # the dead writer's lock is gone: the name is free, no waiting
    assert time.monotonic() - started < 2


# --- files that are not (our) store -----------------------------------------------------------


def test_corrupt_file_random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(8192))
    assert code_of(lambda: ScenarioStore(db)) == "corrupt"
    assert db.stat().st_size == 8192  # never overwritten


def test_corrupt_file_damaged_pages(db: Path) -> None:
    s = ScenarioStore(db)
    for i in range(30):
        save(s, f"Phương án {i}", note="ghi chú " * 40)
    data = bytearray(db.read_bytes())
    assert data[:16] == b"SQLite format 3\x00"
    page = int.from_bytes(data[16:18], "big")
    data[page:] = os.urandom(len(data) - page)  # keep the header page, trash the rest
    db.write_bytes(bytes(data))
    assert code_of(lambda: ScenarioStore(db)) == "corrupt"


def test_truncated_file(db: Path) -> None:
    s = ScenarioStore(db)
    save(s, NAME_A)
    db.write_bytes(db.read_bytes()[:50])
    assert code_of(lambda: ScenarioStore(db)) == "corrupt"


def test_foreign_sqlite_file(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    conn.execute("INSERT INTO orders (item) VALUES ('x')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert code_of(lambda: ScenarioStore(db)) == "foreign"
    assert db.read_bytes() == before  # left alone


def test_foreign_file_with_a_table_called_scenarios(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE scenarios (x)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert code_of(lambda: ScenarioStore(db)) == "foreign"


def test_directory_at_the_path(db: Path) -> None:
    db.mkdir()
    assert code_of(lambda: ScenarioStore(db)) == "foreign"


def test_newer_schema(db: Path) -> None:
    save(ScenarioStore(db), NAME_A)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    assert code_of(lambda: ScenarioStore(db)) == "newer_schema"


def test_empty_file_is_set_up(db: Path) -> None:
    db.write_bytes(b"")
    s = ScenarioStore(db)
    assert s.list() == [] and save(s, NAME_A).id == 1


def test_migration_table_takes_a_next_version(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = save(ScenarioStore(db), NAME_A, note="từ v2")
    after = store_module.SCHEMA_VERSION + 1

    def to_next(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE scenarios ADD COLUMN author TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", after)
    monkeypatch.setitem(store_module.MIGRATIONS, after, to_next)
    s = ScenarioStore(db)
    assert s.get(a.id) == a
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == after
        assert "author" in {r[1] for r in conn.execute("PRAGMA table_info(scenarios)")}
    finally:
        conn.close()


# --- paths, read-only, full disk ----------------------------------------------------------


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(store_module.ENV_VAR, raising=False)
    assert default_store_path() == ROOT / "var" / "scenarios.sqlite3"
    target = tmp_path / "thư mục" / "sâu" / "kịch bản.sqlite3"  # non-ASCII, spaces, new dirs
    monkeypatch.setenv(store_module.ENV_VAR, str(target))
    assert default_store_path() == target
    s = ScenarioStore()
    assert s.path == target and target.is_file()
    assert save(s, NAME_A).name == NAME_A and ScenarioStore(target).list()[0].name == NAME_A


def test_readonly_mode(db: Path) -> None:
    a = save(ScenarioStore(db), NAME_A)
    ro = ScenarioStore(db, readonly=True)
    assert ro.list() == [a] and ro.get(a.id) == a and ro.integrity_check()
    assert not ro.writable()
    for call in (
        lambda: save(ro, NAME_B), lambda: ro.rename(a.id, "X"), lambda: ro.update_note(a.id, "x"),
        lambda: ro.duplicate(a.id), lambda: ro.delete(a.id), lambda: ro.restore(a.id),
        lambda: ro.purge(a.id),
    ):  # fmt: skip
        assert code_of(call) == "readonly"
    assert ro.list() == [a]  # reading still works after the failed writes
    assert code_of(lambda: ScenarioStore(db.with_name("nope.sqlite3"), readonly=True)) == "missing"


def _run_as_nobody(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, str(CHILD), *args],
        check=False, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


@pytest.mark.timeout(60)
def test_readonly_location_as_another_user() -> None:
    """A store file and directory the server's user cannot write: reads work, writes say so."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run the child as another user (setpriv)")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not available to drop privileges")
    if not os.access(sys.executable, os.X_OK) or any(not os.stat(p).st_mode & 0o001 for p in (CHILD.parent, ROOT)):
        pytest.skip("the test files are not reachable by an unprivileged user")
    tmp = Path(tempfile.mkdtemp(prefix="store-ro-"))
    try:
        tmp.chmod(0o755)  # others may read and enter, not write
        db = tmp / "scenarios.sqlite3"
        a = save(ScenarioStore(db), NAME_A)
        before = db.read_bytes()
        probe = _run_as_nobody(["probe", str(db)])
        if probe.returncode != 0 and "Permission denied" in probe.stderr:
            pytest.skip(f"the unprivileged user cannot run the child: {probe.stderr[-200:]}")
        assert probe.returncode == 0, probe.stderr
        result = json.loads(probe.stdout)
        assert result["open"] == "ok"
        assert result["names"] == [NAME_A] and result["get"] == NAME_A
        assert result["writable"] is False
        assert result["save"] == result["rename"] == result["delete"] == result["save_dataset"] == "readonly"
        assert result["names_after"] == [NAME_A] and result["integrity"] is True
        assert db.read_bytes() == before and ScenarioStore(db).get(a.id) == a
        # A store that does not exist yet, in a directory that cannot be written.
        missing = _run_as_nobody(["probe", str(tmp / "new" / "scenarios.sqlite3")])
        assert json.loads(missing.stdout) == {"open": "readonly"}, missing.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_full_disk_on_write(db: Path, monkeypatch: pytest.MonkeyPatch, full_disk) -> None:
    """SQLITE_FULL (simulated with max_page_count) is write_failed; reading goes on."""
    s = ScenarioStore(db)
    kept = [save(s, f"Có sẵn {i}") for i in range(3)]
    full_disk(db, 1)
    codes = set()
    for i in range(60):
        try:
            save(s, f"Đầy đĩa {i}", note="x" * 500)
        except StoreError as exc:
            codes.add(exc.code)
            break
    assert codes == {"write_failed"}
    listed = s.list()  # reading keeps working
    assert {k.id for k in kept} <= {x.id for x in listed}
    assert s.integrity_check()
    monkeypatch.undo()
    assert save(s, "Sau khi dọn đĩa").id  # space again: writing works again
