"""The bundled plan and the validation of user tables."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import datetime as dt
import json
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import model
import model.plan
from model.plan import (
    ACTUAL_COLUMNS,
    DEFAULT_PLAN_DIR,
    MAX_PLAN_BYTES,
    MAX_SECTOR_NAME_CHARS,
    MAX_SECTORS,
    MAX_TEXT_CHARS,
    SECTOR_COLUMNS,
    SOURCE_COLUMNS,
    Event,
    Plan,
    Problem,
    actuals_from_frame,
    plan_from_dict,
    plan_json,
    plan_to_dict,
    read_plan_folder,
    read_table,
    sectors_from_frame,
)
from tests.helpers import examples

PLAN = model.load_plan()
STATUSES = set(model.plan.STATUSES)


def sectors_table() -> pd.DataFrame:
    return read_table(DEFAULT_PLAN_DIR / "sectors.csv")


def actuals_table() -> pd.DataFrame:
    return read_table(DEFAULT_PLAN_DIR / "actuals.csv")


def problem_keys(problems: list[Problem]) -> list[tuple]:
    return [(p.code, p.row, p.column) for p in problems]


# --- the bundled plan ------------------------------------------------------------------


def test_bundled_plan_loads():
    assert PLAN.province_vi == "Thái Bình"
    assert PLAN.base_year == 2020
    assert (PLAN.target.year, PLAN.target.value_musd) == (2025, 2700.0)
    assert PLAN.required_growth_pct == 10.5
    assert PLAN.sector_ids[:3] == ("textiles", "footwear", "yarn")
    assert len(PLAN.sectors) == 11
    assert PLAN.target_2030 is not None and PLAN.target_2030.year == 2030
    assert {p.id for p in PLAN.presets} == {"precovid", "scheme", "slow", "fta"}


def test_every_figure_has_status_and_source():
    for s in PLAN.sectors:
        for prov in (s.base_prov, s.growth_prov, s.volatility_prov):
            assert prov.status in STATUSES, s.id
            assert prov.source.strip(), s.id
    for a in PLAN.actuals:
        assert a.prov.status in STATUSES, a
        assert a.prov.source.strip(), a
    for prov in (PLAN.target.prov, PLAN.required_growth_prov):
        assert prov.status in STATUSES and prov.source.strip()


def test_sources_referenced_exist():
    known = {s.id for s in PLAN.sources}
    cited = set()
    for s in PLAN.sectors:
        for prov in (s.base_prov, s.growth_prov, s.volatility_prov):
            cited.update(prov.source.split(";"))
    for a in PLAN.actuals:
        cited.update(a.prov.source.split(";"))
    assert cited <= known, cited - known


def test_nothing_assumed_is_marked_official():
    # the 2020 base is derived from the target (2700 / 1.105^5), not an official figure
    assert PLAN.actual_totals()[2020].prov.status == "derived"
    assert PLAN.actual_totals()[2022].prov.status == "estimate"
    assert all(s.base_prov.status != "official" for s in PLAN.sectors)


def test_base_values_sum():
    assert sum(s.base_musd for s in PLAN.sectors) == pytest.approx(1638.90, abs=0.01)
    assert PLAN.actual_totals()[2020].value_musd == pytest.approx(1638.90, abs=0.01)
    assert PLAN.sector("textiles").base_musd == 903.64


def test_actual_totals():
    totals = {y: a.value_musd for y, a in PLAN.actual_totals().items()}
    assert totals[2022] == 2427.0
    assert totals[2024] == 3000.0
    assert PLAN.latest_actual_year() == 2024


def test_frames_round_trip_through_validation():
    sectors, problems = sectors_from_frame(PLAN.sectors_frame())
    assert problems == []
    assert sectors == PLAN.sectors
    actuals, problems = actuals_from_frame(PLAN.actuals_frame(), PLAN.sector_ids, PLAN.base_year)
    assert problems == []
    assert actuals == PLAN.actuals


def test_fingerprint_tracks_figures(tmp_path):
    copy = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, copy)
    assert model.load_plan(copy).fingerprint == PLAN.fingerprint
    table = read_table(copy / "sectors.csv")
    table.loc[0, "base_musd"] = "900.00"
    table.to_csv(copy / "sectors.csv", index=False)
    changed = tmp_path / "changed"
    shutil.copytree(copy, changed)
    assert model.load_plan(changed).fingerprint != PLAN.fingerprint


def test_load_plan_with_bad_table_raises_plan_error(tmp_path):
    copy = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, copy)
    table = read_table(copy / "sectors.csv")
    table.loc[2, "growth_pct"] = "abc"
    table.to_csv(copy / "sectors.csv", index=False)
    with pytest.raises(model.PlanError) as err:
        model.load_plan(copy)
    assert problem_keys(err.value.problems) == [("not_a_number", 3, "growth_pct")]
    assert err.value.problems[0].value == "abc"
    assert err.value.problems[0].file == "sectors.csv"


# --- the data of both bundled plans, as a reviewer would check it ------------------------

DATA_DIR = DEFAULT_PLAN_DIR.parent
PLAN_DIRS = {"thai_binh": DATA_DIR / "thai_binh", "hung_yen": DATA_DIR / "hung_yen"}
HUNG_YEN = model.load_plan(PLAN_DIRS["hung_yen"])
# Publishers whose publications count as official (a newspaper report is not one).
OFFICIAL_PUBLISHERS = {"Quốc hội", "Chính phủ", "Tổng cục Thống kê", "Cục Thống kê", "Cục Hải quan"}


def source_rows(folder) -> dict[str, dict]:
    return {r["source_id"]: r for r in read_table(folder / "sources.csv").to_dict("records")}


def cited(source: str) -> list[str]:
    return [part.strip() for part in source.split(";")]


def events(folder) -> list[dict]:
    return tomllib.loads((folder / "plan.toml").read_text(encoding="utf-8")).get("events", [])


@pytest.mark.parametrize("name", PLAN_DIRS)
def test_every_figure_cites_listed_sources_has_a_status_and_a_note(name):
    plan = model.load_plan(PLAN_DIRS[name])
    known = set(source_rows(PLAN_DIRS[name]))
    for prov in plan.provenances():
        assert prov.status in STATUSES, prov
        assert set(cited(prov.source)) <= known, prov
        assert prov.note.strip(), prov


@pytest.mark.parametrize("name", PLAN_DIRS)
def test_both_plans_have_the_same_columns(name):
    for file in ("sectors.csv", "actuals.csv", "sources.csv"):
        assert list(read_table(PLAN_DIRS[name] / file).columns) == list(read_table(DEFAULT_PLAN_DIR / file).columns)


@pytest.mark.parametrize("name", PLAN_DIRS)
def test_the_merger_is_a_dated_official_event_with_its_resolution(name):
    sources = source_rows(PLAN_DIRS[name])
    (event,) = events(PLAN_DIRS[name])
    assert set(event) == {"date", "kind", "text_vi", "text_en", "source", "status"}
    facts = (dt.date.fromisoformat(event["date"]), event["kind"], event["status"])
    assert facts == (dt.date(2025, 7, 1), "merger", "official")
    assert "202/2025/QH15" in sources[event["source"]]["title"]
    assert "202/2025/QH15" in event["text_vi"] and "202/2025/QH15" in event["text_en"]


def test_thai_binh_target_and_rate_are_from_a_draft():
    assert PLAN.target.prov.status == "draft" and PLAN.required_growth_prov.status == "draft"
    assert "dự thảo" in PLAN.target.note_vi and "draft" in PLAN.target.note_en


def test_thai_binh_2030_target_is_the_draft_rate_continued():
    assert PLAN.target_2030 is not None
    assert PLAN.target_2030.value_musd == pytest.approx(2700 * 1.105**5, abs=0.1)
    assert PLAN.target_2030.prov.status == "assumption"


@pytest.mark.parametrize(("lang", "text"), [("en", "4,448.1"), ("vi", "4.448,1")])
def test_method_page_and_plan_quote_the_same_2030_target(lang, text):
    assert PLAN.target_2030 is not None and f"{PLAN.target_2030.value_musd:,.1f}" == "4,448.1"
    method = (DEFAULT_PLAN_DIR / f"notes.{lang}.md").read_text(encoding="utf-8")
    assert text in method
    assert text in (PLAN.target_2030.note_en if lang == "en" else PLAN.target_2030.note_vi)


def test_thai_binh_bounds_and_derived_years():
    totals = PLAN.actual_totals()
    # "nearly 3 billion USD": at most 3,000; 2023 = 2024 / 1.115 is then at most 2,690.58
    assert (totals[2024].value_musd, totals[2024].bound) == (3000.0, "upper")
    assert totals[2023].bound == "upper"
    assert totals[2023].value_musd == pytest.approx(3000 / 1.115, abs=0.005)
    # 2021 = 2,427 / 1.135: a value, not the reported lower bound "more than 2 billion"
    assert totals[2021].value_musd == pytest.approx(2427 / 1.135, abs=0.005) and totals[2021].bound == ""
    assert totals[2021].value_musd > 2000
    assert all(totals[y].bound == "" for y in (2020, 2021, 2022))


def test_thai_binh_structure_is_assumed_and_national_series_are_proxies():
    national_series = {"S7", "S8", "S9", "S10", "S11"}  # Vietnam-wide series of one product group
    for s in PLAN.sectors:
        assert s.base_prov.status == "assumption", s.id  # the 2020 structure is not published
        for prov in (s.growth_prov, s.volatility_prov):
            expected = "proxy" if set(cited(prov.source)) <= national_series else "assumption"
            assert prov.status == expected, (s.id, prov)


def test_hung_yen_plan_loads():
    assert (HUNG_YEN.id, HUNG_YEN.province_vi, HUNG_YEN.base_year, HUNG_YEN.horizon_max) == (
        "hung-yen", "Hưng Yên", 2020, 2030,
    )  # fmt: skip
    assert HUNG_YEN.sector_ids == ("former_hung_yen", "former_thai_binh")
    assert len(HUNG_YEN.presets) >= 2 and all(p.basis_vi and p.basis_en for p in HUNG_YEN.presets)
    assert HUNG_YEN.latest_actual_year() == 2025


def test_hung_yen_parts_add_up_to_the_merged_2020_total():
    total_2020 = HUNG_YEN.actual_totals()[2020].value_musd
    assert total_2020 == pytest.approx(11968 / 1.94, abs=0.005)
    assert sum(s.base_musd for s in HUNG_YEN.sectors) == pytest.approx(total_2020, abs=0.005)
    # the former Thái Bình part is the Thái Bình plan's own (derived) base
    assert HUNG_YEN.sector("former_thai_binh").base_musd == PLAN.actual_totals()[2020].value_musd


def test_hung_yen_former_thai_binh_actuals_repeat_the_thai_binh_plan():
    tb = PLAN.actual_totals()
    rows = [a for a in HUNG_YEN.actuals if a.sector == "former_thai_binh"]
    assert [a.year for a in rows] == [2021, 2022, 2023, 2024]
    for a in rows:
        same = tb[a.year]
        assert (a.value_musd, a.prov.status, a.bound) == (same.value_musd, same.prov.status, same.bound)
    assert sorted(HUNG_YEN.actual_totals()) == [2020, 2025]


def test_hung_yen_default_path_meets_the_2025_estimate():
    # the former Hưng Yên rate is chosen so that the default 2025 total matches the estimate
    totals = model.project(HUNG_YEN, model.Scenario.default(HUNG_YEN)).totals
    assert totals[2025] == pytest.approx(HUNG_YEN.actual_totals()[2025].value_musd, rel=0.005)
    tb = HUNG_YEN.sector("former_thai_binh")
    assert tb.growth_pct == pytest.approx(((3000 / tb.base_musd) ** 0.25 - 1) * 100, abs=0.05)


def test_hung_yen_target_is_an_assumption_with_its_rule():
    target = HUNG_YEN.target
    assert (target.year, target.prov.status, HUNG_YEN.required_growth_prov.status) == (2030, "assumption", "assumption")
    assert target.value_musd == pytest.approx(11968 * 1.142**5, abs=0.05)
    base = HUNG_YEN.actual_totals()[2020].value_musd
    assert HUNG_YEN.required_growth_pct == pytest.approx(((target.value_musd / base) ** 0.1 - 1) * 100, abs=0.05)
    assert HUNG_YEN.target_2030 is None  # the target already is the 2030 one


def test_no_hung_yen_figure_is_official_without_an_official_publication():
    sources = source_rows(PLAN_DIRS["hung_yen"])
    claims = [(p.status, p.source) for p in HUNG_YEN.provenances()]
    claims += [(e["status"], e["source"]) for e in events(PLAN_DIRS["hung_yen"])]
    for status, source in claims:
        if status == "official":
            publishers = {part.strip() for sid in cited(source) for part in sources[sid]["publisher"].split(";")}
            assert publishers & OFFICIAL_PUBLISHERS, source


# --- sectors_from_frame ----------------------------------------------------------------


@pytest.mark.parametrize("column", ["id", "base_musd", "growth_pct"])
def test_sectors_missing_column(column):
    sectors, problems = sectors_from_frame(sectors_table().drop(columns=[column]))
    assert sectors == ()
    assert problem_keys(problems) == [("missing_column", None, column)]


@pytest.mark.parametrize(
    ("row", "column", "raw", "code"),
    [
        (1, "base_musd", "abc", "not_a_number"),
        (2, "base_musd", "", "not_a_number"),
        (3, "growth_pct", "nan", "not_a_number"),
        (4, "growth_pct", "inf", "not_a_number"),
        (5, "volatility_pp", "x", "not_a_number"),
        (6, "base_musd", "-1", "negative"),
        (6, "base_musd", "1000000.01", "value_too_large"),  # a unit mistake, not a province's exports
        (6, "base_musd", "1e30", "value_too_large"),
        (7, "growth_pct", "51", "growth_out_of_range"),
        (8, "growth_pct", "-30.1", "growth_out_of_range"),
        (9, "volatility_pp", "60", "volatility_out_of_range"),
        (10, "base_status", "offical", "bad_status"),
        (11, "growth_status", "guess", "bad_status"),
        (2, "id", "Textiles", "bad_sector_id"),
        (3, "id", "dệt", "bad_sector_id"),
    ],
)
def test_sectors_bad_cell(row, column, raw, code):
    table = sectors_table()
    table.loc[row - 1, column] = raw
    _, problems = sectors_from_frame(table)
    assert problem_keys(problems) == [(code, row, column)]
    assert problems[0].value == raw
    assert problems[0].file == "sectors.csv"


@pytest.mark.parametrize(
    ("column", "name", "code", "value"),
    [
        ("name_vi", "Dệt\n\n    may", "name_hidden_chars", "U+000A"),  # a code block in a slider's label
        ("name_en", "\u202eyag aD", "name_hidden_chars", "U+202E"),  # reverses the label's own figure
        ("name_vi", "\u2066\u200c", "name_hidden_chars", "U+200C, U+2066"),  # an invisible name
        ("name_vi", "Dệt\u2028may", "name_hidden_chars", "U+2028"),  # a line separator breaks a label too
        ("name_en", "\u0301" * 80, "name_unreadable", "\u0301" * 80),  # marks with nothing to mark
        ("name_vi", "Dệt may " * 8, "name_too_long", "63"),  # trimmed: 63 characters
    ],
)
def test_a_sector_name_that_would_hide_or_reorder_text_or_not_fit_is_refused(column, name, code, value):
    table = sectors_table()
    table.loc[1, column] = name
    _, problems = sectors_from_frame(table)
    assert [(p.code, p.row, p.column, p.value) for p in problems] == [(code, 2, column, value)]


def test_a_sector_name_of_the_longest_length_and_any_script_is_fine():
    table = sectors_table()
    table.loc[0, "name_vi"] = "Đ" * MAX_SECTOR_NAME_CHARS
    table.loc[1, "name_en"] = "Рhương án — 织物 (№ 2)"
    _, problems = sectors_from_frame(table)
    assert problems == []


def test_sectors_growth_at_range_edges_is_fine():
    table = sectors_table()
    table.loc[0, "growth_pct"] = "-30"
    table.loc[1, "growth_pct"] = "50"
    _, problems = sectors_from_frame(table)
    assert problems == []


def test_sectors_duplicate_id():
    table = sectors_table()
    table.loc[4, "id"] = "textiles"
    _, problems = sectors_from_frame(table)
    assert problem_keys(problems) == [("duplicate_sector", 5, "id")]
    assert problems[0].value == "textiles"


def test_sectors_status_is_case_insensitive_and_defaults_to_assumption():
    table = sectors_table()
    table.loc[0, "base_status"] = " Derived "
    table.loc[1, "growth_status"] = ""
    sectors, problems = sectors_from_frame(table)
    assert problems == []
    assert sectors[0].base_prov.status == "derived"
    assert sectors[1].growth_prov.status == "assumption"


def test_sectors_several_problems_all_reported():
    table = sectors_table()
    table.loc[0, "base_musd"] = "x"
    table.loc[3, "growth_pct"] = "99"
    table.loc[6, "base_status"] = "?"
    _, problems = sectors_from_frame(table)
    assert problem_keys(problems) == [
        ("not_a_number", 1, "base_musd"),
        ("growth_out_of_range", 4, "growth_pct"),
        ("bad_status", 7, "base_status"),
    ]


def test_sectors_empty_and_zero_total():
    _, problems = sectors_from_frame(sectors_table().iloc[0:0])
    assert [p.code for p in problems] == ["no_rows"]
    table = sectors_table()
    table["base_musd"] = "0"
    _, problems = sectors_from_frame(table)
    assert [(p.code, p.column) for p in problems] == [("zero_total", "base_musd")]
    table["base_musd"] = "1e-300"  # above 0, yet the growth to any target would overflow
    _, problems = sectors_from_frame(table)
    assert [(p.code, p.column) for p in problems] == [("zero_total", "base_musd")]
    table["base_musd"] = "0"
    table.loc[0, "base_musd"] = "0.01"  # the smallest total the app shows
    _, problems = sectors_from_frame(table)
    assert problems == []
    table.loc[0, "base_musd"] = "1000000"
    _, problems = sectors_from_frame(table)
    assert problems == [], "the largest figure is allowed"


def test_sectors_minimal_table():
    frame = pd.DataFrame({"id": ["a", "b"], "base_musd": ["100", "50"], "growth_pct": ["10", "0"]})
    sectors, problems = sectors_from_frame(frame)
    assert problems == []
    assert [(s.id, s.base_musd, s.growth_pct, s.volatility_pp) for s in sectors] == [
        ("a", 100.0, 10.0, 5.0),
        ("b", 50.0, 0.0, 5.0),
    ]
    assert sectors[0].base_prov.status == "assumption"


# --- actuals_from_frame ----------------------------------------------------------------


def check_actuals(table: pd.DataFrame) -> list[Problem]:
    _, problems = actuals_from_frame(table, PLAN.sector_ids, PLAN.base_year)
    return problems


@pytest.mark.parametrize("column", ["year", "value_musd"])
def test_actuals_missing_column(column):
    actuals, problems = actuals_from_frame(actuals_table().drop(columns=[column]), PLAN.sector_ids, 2020)
    assert actuals == ()
    assert problem_keys(problems) == [("missing_column", None, column)]


@pytest.mark.parametrize(
    ("row", "column", "raw", "code"),
    [
        (2, "value_musd", "hơn 2 tỷ", "not_a_number"),
        (3, "year", "năm 2022", "not_a_number"),
        (3, "value_musd", "-2427", "negative"),
        (3, "value_musd", "903640000", "value_too_large"),  # 903.64 in a cell formatted #,##0.0,,
        (4, "status", "guess", "bad_status"),
        (5, "sector", "cars", "unknown_sector"),
        (2, "year", "2019", "bad_year"),
        (2, "year", "2021.5", "bad_year"),
        (3, "year", "2021", "duplicate_year"),
    ],
)
def test_actuals_bad_cell(row, column, raw, code):
    table = actuals_table()
    table.loc[row - 1, column] = raw
    problems = check_actuals(table)
    assert problem_keys(problems) == [(code, row, column)]
    assert problems[0].file == "actuals.csv"


def test_actuals_duplicate_reports_value():
    table = actuals_table()
    table.loc[4, "year"] = "2022"
    problems = check_actuals(table)
    assert problem_keys(problems) == [("duplicate_year", 5, "year")]
    assert problems[0].value == "2022"


def test_actuals_sector_rows_and_default_status():
    frame = pd.DataFrame(
        {"year": ["2022", "2022"], "sector": ["", "textiles"], "value_musd": ["2427", "1300"], "status": ["", ""]}
    )
    actuals, problems = actuals_from_frame(frame, PLAN.sector_ids, 2020)
    assert problems == []
    assert [(a.year, a.sector, a.value_musd, a.prov.status) for a in actuals] == [
        (2022, "textiles", 1300.0, "estimate"),
        (2022, "total", 2427.0, "estimate"),
    ]


# --- the dict form: plan_to_dict / plan_from_dict ---------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "test_province"
MERGER = {
    "date": "2025-07-01", "kind": "merger", "source": "S1", "status": "official",
    "text_vi": "Thái Bình hợp nhất vào Hưng Yên", "text_en": "Thái Bình merged into Hưng Yên",
}  # fmt: skip


def with_event() -> Plan:
    d = plan_to_dict(PLAN)
    d["events"] = [MERGER]
    return plan_from_dict(d)


def all_plans() -> list[Plan]:
    """The bundled plan, the other province's and one with an event (every kind of field)."""
    return [PLAN, model.load_plan(FIXTURE), with_event()]


@pytest.mark.parametrize("plan", all_plans(), ids=["bundled", "fixture", "event"])
def test_round_trip_is_exact(plan):
    d = plan_to_dict(plan)
    assert plan_from_dict(d) == plan
    assert plan_from_dict(json.loads(json.dumps(d))) == plan  # through JSON text, as a dataset is stored
    assert plan_from_dict(json.loads(plan_json(plan))) == plan
    assert plan_to_dict(plan_from_dict(d)) == d  # the dict is canonical: a fixed point
    assert plan_from_dict(d).fingerprint == plan.fingerprint
    assert json.loads(plan_json(plan)) == d


def test_one_construction_path():
    folder_dict = read_plan_folder(DEFAULT_PLAN_DIR)
    assert all(isinstance(v, str) for row in folder_dict["sectors"] for v in row.values())  # CSV text
    assert plan_from_dict(folder_dict) == PLAN


def test_the_dict_keeps_every_column():
    d = plan_to_dict(PLAN)
    assert set(d) == {
        "schema", "id", "version", "province_vi", "province_en", "scheme_vi", "scheme_en", "base_year",
        "horizon_max", "target", "required_growth", "target_2030", "presets", "events", "sectors", "actuals",
        "sources",
    }  # fmt: skip
    assert all(tuple(row) == SECTOR_COLUMNS for row in d["sectors"])
    assert all(tuple(row) == ACTUAL_COLUMNS for row in d["actuals"])
    assert all(tuple(row) == SOURCE_COLUMNS for row in d["sources"])
    s1 = d["sources"][0]
    assert (s1["source_id"], s1["publisher"], s1["date"]) == ("S1", "Thái Bình TV", "2021-11-26")
    assert s1["quote"].startswith("Mục tiêu đến năm 2025")
    assert PLAN.sources[0].quote == s1["quote"]
    assert d["required_growth"]["note_en"] == PLAN.required_growth_note("en") != ""
    assert d["target_2030"]["value_musd"] == 4448.1 and d["target_2030"]["status"] == "assumption"
    assert d["presets"][3]["growth_add"] == {"footwear": 2.0, "seafood": 2.0, "textiles": 2.0, "wood": 2.0,
                                             "yarn": 2.0}  # fmt: skip
    assert len(plan_json(PLAN).encode()) < MAX_PLAN_BYTES / 10


def test_events_from_plan_toml(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    toml = (folder / "plan.toml").read_text(encoding="utf-8")
    toml += (
        '\n[[events]]\ndate = 2025-07-01\nkind = "merger"\ntext_vi = "Sáp nhập vào Hưng Yên"\n'
        'text_en = "Merged into Hưng Yên"\nsource = "S1"\nstatus = "official"\n'
        '\n[[events]]\ndate = "2025-06-12"\nkind = "resolution"\ntext_vi = "Nghị quyết"\nsource = "S1"\n'
        'status = "official"\n'
    )
    (folder / "plan.toml").write_text(toml, encoding="utf-8")
    plan = model.load_plan(folder)
    added = plan.events[len(PLAN.events) :]
    assert added == (
        Event(datetime.date(2025, 7, 1), "merger", "Sáp nhập vào Hưng Yên", "Merged into Hưng Yên", "S1", "official"),
        Event(datetime.date(2025, 6, 12), "resolution", "Nghị quyết", "Nghị quyết", "S1", "official"),
    )
    assert added[0].text("en") == "Merged into Hưng Yên"
    assert plan_to_dict(plan)["events"][len(PLAN.events)]["date"] == "2025-07-01"
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert plan.fingerprint != PLAN.fingerprint


# --- the fingerprint ---------------------------------------------------------------------


def leaves(node, path=()):
    """(path, value) of every leaf of a plan dict (None counts as a leaf; so do mapping keys)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path and path[-1] == "growth_add":
                yield (*path, ("key", key)), key
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def set_leaf(d, path, value):
    d = copy.deepcopy(d)
    *head, last = path
    node = d
    for part in head:
        node = node[part]
    if isinstance(last, tuple):  # a mapping key
        node[value] = node.pop(last[1])
    else:
        node[last] = value
    return d


def candidates(d, path, value):
    """Replacement values to try for one leaf; the first few that the validators accept are used."""
    key = path[-1]
    if isinstance(key, tuple):
        return [value + "x", "other"]
    if key == "schema":
        return [2]
    if value is None:
        return [dict(d["target"], year=2030)] if key == "target_2030" else [1.0]
    if isinstance(key, str) and key.endswith("status"):
        return [s for s in STATUSES if s != value]
    if key == "bound":
        return [b for b in model.plan.BOUNDS if b != value]
    if key == "sector":
        return [s["id"] for s in d["sectors"]] + ["total"]
    if key == "date" and "events" in path:
        return ["2025-07-02"]
    if key == "url":
        return [value + "x" if value else "https://example.org/x"]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1, model.plan.HORIZON_LIMIT, 2099]  # a year up to the horizon, or any int
    if isinstance(value, float):
        return [value + 0.5, value - 0.5, value * 1.01 + 0.01]
    return [value + "x", "x" + value, "x"]


@pytest.mark.parametrize("plan", all_plans(), ids=["bundled", "fixture", "event"])
def test_changing_any_leaf_changes_the_fingerprint(plan):
    """Every leaf of the dict, changed alone to a valid alternative: the plan changes and so
    does the fingerprint (and an accepted change that leaves the plan equal leaves the
    fingerprint equal). Only `schema` has no valid alternative (one version exists)."""
    d = plan_to_dict(plan)
    unchangeable, tried = [], 0
    for path, value in leaves(d):
        changed = False
        for new in candidates(d, path, value):
            try:
                other = plan_from_dict(set_leaf(d, path, new))
            except model.PlanError:
                continue
            tried += 1
            assert (other == plan) == (other.fingerprint == plan.fingerprint), path
            changed |= other != plan
            if changed:
                break
        if not changed:
            unchangeable.append(path)
    assert unchangeable == [("schema",)]
    assert tried >= len(list(leaves(d))) - 1


REFUSED = object()  # a change that an invariant refuses


def field_variants(obj):
    """(path, changed object) for each single-field change of a plan's dataclasses, built
    with dataclasses.replace (not through the dict): a field that plan_to_dict forgot
    would leave the fingerprint unchanged."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None:
                news = [(f.name, obj.target if f.name == "target_2030" else 1.0)]  # type: ignore[attr-defined]
            else:
                news = [(f"{f.name}.{p}", v) for p, v in field_variants(value)]
            for path, new in news:
                try:
                    yield path, REFUSED if new is REFUSED else dataclasses.replace(obj, **{f.name: new})
                except ValueError:  # an invariant refuses the change
                    yield path, REFUSED
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            for path, new in field_variants(item):
                yield f"{i}.{path}", REFUSED if new is REFUSED else obj[:i] + (new,) + obj[i + 1 :]
        if obj and not isinstance(obj[0], (str, float)):  # a list, not a (sector, value) pair
            yield "dropped", obj[:-1]
        if obj and dataclasses.is_dataclass(obj[0]):  # not growth_add: a mapping, as pairs
            yield "repeated", obj + obj[-1:]
    elif isinstance(obj, str):
        yield "", obj + "x"
    elif isinstance(obj, bool):
        yield "", not obj
    elif isinstance(obj, int):
        yield "", obj + 1
    elif isinstance(obj, float):
        yield "", obj + 0.5
    elif isinstance(obj, datetime.date):
        yield "", obj + datetime.timedelta(days=1)
    else:
        raise AssertionError(f"a field of a new kind: {type(obj)}")


@pytest.mark.parametrize("plan", all_plans(), ids=["bundled", "fixture", "event"])
def test_changing_any_field_changes_the_fingerprint(plan):
    refused, count = set(), 0
    for path, other in field_variants(plan):
        if other is REFUSED:
            refused.add(path)
            continue
        count += 1
        assert other != plan and other.fingerprint != plan.fingerprint, path
    # Target.prov.note must equal note_vi, so it cannot change alone (and neither can note_vi).
    assert refused == {
        f"{t}.{f}" for t in ("target", "target_2030") if getattr(plan, t) for f in ("prov.note.", "note_vi.")
    }
    assert count > 50


def test_equal_plans_have_equal_fingerprints(tmp_path):
    copy_dir = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, copy_dir)
    again = model.load_plan(copy_dir)  # read again from other files
    assert again is not PLAN and again == PLAN and again.fingerprint == PLAN.fingerprint
    negative_zero = dataclasses.replace(
        PLAN, presets=tuple(dataclasses.replace(p, shock=p.shock or -0.0) for p in PLAN.presets)
    )
    assert negative_zero == PLAN and negative_zero.fingerprint == PLAN.fingerprint
    as_ints = dataclasses.replace(PLAN, target=dataclasses.replace(PLAN.target, value_musd=2700))
    assert as_ints == PLAN and as_ints.fingerprint == PLAN.fingerprint
    assert re.fullmatch(r"[0-9a-f]{12}", PLAN.fingerprint)


def test_a_changed_status_alone_changes_the_fingerprint(tmp_path):
    """The bug this fingerprint fixes: an upload that changed only statuses was 'applied' but
    had the old fingerprint, so it was discarded as the bundled plan."""
    folder = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, folder)
    table = read_table(folder / "sectors.csv")
    table.loc[0, "growth_status"] = "estimate"
    table.to_csv(folder / "sectors.csv", index=False)
    changed = model.load_plan(folder)
    assert changed != PLAN and changed.fingerprint != PLAN.fingerprint


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
TEXT_PATHS = [p for p, v in leaves(plan_to_dict(PLAN)) if isinstance(v, str) and not isinstance(p[-1], tuple)]
NUMBER_PATHS = [p for p, v in leaves(plan_to_dict(PLAN)) if isinstance(v, (int, float)) and not isinstance(v, bool)]


@settings(max_examples=examples(50, 200), deadline=None)
@given(st.data())
def test_any_accepted_dict_round_trips(data):
    """Random text or numbers in random leaves: accepted or PlanError, and what is accepted
    round-trips exactly, through JSON too, with one fingerprint."""
    d = plan_to_dict(PLAN)
    for _ in range(data.draw(st.integers(1, 3))):
        if data.draw(st.booleans()):
            d = set_leaf(d, data.draw(st.sampled_from(TEXT_PATHS)), data.draw(st.text(max_size=40)))
        else:
            d = set_leaf(d, data.draw(st.sampled_from(NUMBER_PATHS)), data.draw(st.floats(-100, 3000)))
    try:
        plan = plan_from_dict(d)
    except model.PlanError as exc:
        assert exc.problems
        return
    back = plan_from_dict(json.loads(plan_json(plan)))
    assert back == plan and back.fingerprint == plan.fingerprint


def graft(node, data):
    """The dict with one node anywhere replaced by a hostile value."""
    if isinstance(node, dict) and node and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(node, key=str)))
        return {**node, key: graft(node[key], data)}
    if isinstance(node, list) and node and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(node) - 1))
        return [*node[:i], graft(node[i], data), *node[i + 1 :]]
    return data.draw(
        st.recursive(
            JSON_SCALARS,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
            max_leaves=6,
        )
    )


@settings(max_examples=examples(50, 200), deadline=None)
@given(st.data())
def test_hostile_dicts_give_problems_never_exceptions(data):
    d = plan_to_dict(data.draw(st.sampled_from([PLAN, with_event()])))
    for _ in range(data.draw(st.integers(1, 3))):
        d = graft(d, data)
    try:
        plan = plan_from_dict(d)
    except model.PlanError as exc:
        assert exc.problems and all(isinstance(p, Problem) for p in exc.problems)
        assert all(isinstance(p.value, str) and len(p.value) <= MAX_TEXT_CHARS for p in exc.problems)
        return
    assert plan_from_dict(plan_to_dict(plan)) == plan


# --- problems in a dict ------------------------------------------------------------------


def problems_of(d) -> list[tuple]:
    with pytest.raises(model.PlanError) as err:
        plan_from_dict(d)
    return [(p.code, p.file, p.row, p.column) for p in err.value.problems]


def changed(**changes) -> dict:
    return {**plan_to_dict(PLAN), **changes}


def test_meta_problems_are_named():
    d = plan_to_dict(PLAN)
    del d["province_vi"]
    assert problems_of(d) == [("missing_field", "plan.toml", None, "province_vi")]
    assert problems_of(changed(target=dict(plan_to_dict(PLAN)["target"], status="guess"))) == [
        ("bad_status", "plan.toml", None, "target.status")
    ]
    assert problems_of(changed(target=dict(plan_to_dict(PLAN)["target"], year=2019))) == [
        ("bad_year", "plan.toml", None, "target.year")
    ]
    assert problems_of(changed(base_year="năm 2020")) == [("not_a_number", "plan.toml", None, "base_year")]
    assert problems_of(changed(base_year=True)) == [("not_a_number", "plan.toml", None, "base_year")]
    assert problems_of(changed(base_year=10**400)) == [("not_a_number", "plan.toml", None, "base_year")]
    assert problems_of(changed(target=[1, 2])) == [("bad_field", "plan.toml", None, "target")]
    assert problems_of(changed(province_en={"x": 1})) == [("bad_field", "plan.toml", None, "province_en")]
    # An integer of 5,000 digits cannot even be written out (Python refuses): refused as it is.
    assert problems_of(changed(province_en=10**5000)) == [("bad_field", "plan.toml", None, "province_en")]
    sectors = plan_to_dict(PLAN)["sectors"]
    sectors[0] = dict(sectors[0], name_en=-(10**5000))
    assert problems_of(changed(sectors=sectors)) == [("bad_field", "sectors.csv", 1, "name_en")]
    assert problems_of(changed(schema=2)) == [("bad_field", "plan.toml", None, "schema")]
    assert problems_of([1]) == [("bad_field", "plan.toml", None, "")]


def test_preset_and_event_problems_name_their_row():
    presets = plan_to_dict(PLAN)["presets"]
    bad = [presets[0], dict(presets[1], shock=99), dict(presets[2], growth_add={"Dệt": 1.0})]
    assert problems_of(changed(presets=bad)) == [
        ("bad_field", "plan.toml", 2, "presets.shock"), ("bad_sector_id", "plan.toml", 3, "presets.growth_add"),
    ]  # fmt: skip
    events = [MERGER, dict(MERGER, date="1/7/2025"), dict(MERGER, date="2025-02-30"), dict(MERGER, status="x")]
    assert problems_of(changed(events=events)) == [
        ("bad_date", "plan.toml", 2, "events.date"), ("bad_date", "plan.toml", 3, "events.date"),
        ("bad_status", "plan.toml", 4, "events.status"),
    ]  # fmt: skip
    assert problems_of(changed(events=[{k: v for k, v in MERGER.items() if k != "date"}])) == [
        ("missing_field", "plan.toml", 1, "events.date")
    ]


def test_table_cells_of_the_wrong_kind():
    d = plan_to_dict(PLAN)
    d["sectors"][1]["name_vi"] = ["Da", "giày"]
    d["sectors"][2]["growth_pct"] = True
    d["actuals"][0] = "2020,total,1638.9"
    # One problem per cell (the cell is read as empty, which is not reported again).
    assert problems_of(d) == [
        ("bad_field", "sectors.csv", 2, "name_vi"), ("bad_field", "sectors.csv", 3, "growth_pct"),
        ("bad_field", "actuals.csv", 1, ""),
    ]  # fmt: skip


def test_source_links_must_be_web_addresses():
    d = plan_to_dict(PLAN)
    d["sources"][0]["url"] = "javascript:alert(1)"
    d["sources"][1]["url"] = "https://example.org/a b"
    d["sources"][2]["source_id"] = ""
    assert problems_of(d) == [
        ("bad_field", "sources.csv", 1, "url"), ("bad_field", "sources.csv", 2, "url"),
        ("missing_field", "sources.csv", 3, "source_id"),
    ]  # fmt: skip


# --- limits ------------------------------------------------------------------------------


def many_sectors(n: int, note: str = "") -> list[dict]:
    return [{"id": f"s{i}", "name_vi": f"Ngành {i}", "base_musd": 10.0, "growth_pct": 5.0, "base_note": note,
             "growth_note": note, "volatility_note": note} for i in range(n)]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "limit", "file"),
    [("sectors", MAX_SECTORS, "sectors.csv"), ("actuals", model.plan.MAX_ACTUALS, "actuals.csv"),
     ("sources", model.plan.MAX_SOURCES, "sources.csv"), ("presets", model.plan.MAX_PRESETS, "plan.toml"),
     ("events", model.plan.MAX_EVENTS, "plan.toml")],
)  # fmt: skip
def test_too_many_items_is_a_problem_before_any_work(key, limit, file, monkeypatch):
    row = plan_to_dict(with_event())[key][0]

    def no_work(*args):
        raise AssertionError("a table was built from an oversized input")

    monkeypatch.setattr(model.plan, "_rows", no_work)
    monkeypatch.setattr(model.plan, "_list", no_work)
    assert problems_of(changed(**{key: [row] * (limit + 1)})) == [("too_many_items", file, None, key)]
    # A million rows: refused at once (the same row a million times costs 8 MB of pointers).
    with pytest.raises(model.PlanError) as err:
        plan_from_dict(changed(**{key: [row] * 1_000_000}))
    assert err.value.problems[0].value == "1000000"


def test_limits_at_the_edge_are_fine():
    plan = plan_from_dict(changed(sectors=many_sectors(MAX_SECTORS), actuals=[], presets=[]))
    assert len(plan.sectors) == MAX_SECTORS
    long_note = "x" * MAX_TEXT_CHARS
    d = plan_to_dict(PLAN)
    d["sectors"][0]["base_note"] = long_note
    d["target"]["note_en"] = long_note
    assert plan_from_dict(d).sectors[0].base_prov.note == long_note


def test_too_long_text_names_the_cell():
    d = plan_to_dict(PLAN)
    d["sectors"][4]["growth_note"] = "x" * (MAX_TEXT_CHARS + 1)
    d["sources"][0]["quote"] = "y" * 10**6
    d["scheme_en"] = "z" * (MAX_TEXT_CHARS + 1)
    d["target"]["value_musd"] = "9" * 5000
    assert problems_of(d) == [
        ("text_too_long", "plan.toml", None, "scheme_en"), ("text_too_long", "plan.toml", None, "target.value_musd"),
        ("text_too_long", "sources.csv", 1, "quote"), ("text_too_long", "sectors.csv", 5, "growth_note"),
    ]  # fmt: skip


def test_a_plan_over_the_size_limit():
    """40 sectors with three notes of 1,999 characters: each cell is fine, the whole is not."""
    with pytest.raises(model.PlanError) as err:
        plan_from_dict(changed(sectors=many_sectors(MAX_SECTORS, "đ" * 1999), actuals=[], presets=[]))
    [problem] = err.value.problems
    assert problem.code == "plan_too_large" and int(problem.value) > MAX_PLAN_BYTES


def test_the_limits_apply_to_uploaded_tables_too():
    frame = pd.DataFrame(many_sectors(MAX_SECTORS + 1))
    assert problem_keys(sectors_from_frame(frame)[1]) == [("too_many_items", None, "sectors")]
    table = sectors_table()
    table.loc[1, "name_en"] = "x" * (MAX_TEXT_CHARS + 1)
    assert problem_keys(sectors_from_frame(table)[1]) == [("text_too_long", 2, "name_en")]
    big = pd.DataFrame({"year": [str(2020 + i % 80) for i in range(1001)], "value_musd": ["1"] * 1001})
    assert problem_keys(actuals_from_frame(big, PLAN.sector_ids, 2020)[1]) == [("too_many_items", None, "actuals")]


def test_every_new_problem_code_has_a_sentence():
    from ui.problems import describe
    from ui.text import TEXT

    for code in ("missing_field", "bad_field", "bad_date", "too_many_items", "text_too_long", "plan_too_large"):
        assert f"problem.{code}" in TEXT
    p = Problem("too_many_items", "sectors.csv", None, "sectors", "41")
    assert describe(p, "vi") == "Tệp “sectors.csv” có 41 ngành; tối đa 40 ngành."
    assert describe(p, "en") == "The file “sectors.csv” has 41 sectors; at most 40 are allowed."
    p = Problem("plan_too_large", "", None, "", str(300 * 1024))
    assert describe(p, "en") == "The dataset is too large (300 KB); 256 KB at most."
    p = Problem("text_too_long", "sectors.csv", 5, "growth_note", "2001")
    assert describe(p, "vi").endswith("nội dung dài quá 2.000 ký tự; hãy rút gọn.")


def test_an_upload_that_changes_only_a_status_is_new_data():
    """Through the upload parser: the Data page compares fingerprints to tell new data from
    the bundled plan, so a status-only change must give a new fingerprint."""
    from model.upload import plan_with_upload, template_csv

    text = template_csv(PLAN, "sectors", "en").decode("utf-8-sig")
    first_row = text.splitlines()[1]
    assert ",assumption," in first_row
    edited = text.replace(first_row, first_row.replace(",assumption,", ",estimate,", 1), 1)
    uploaded, problems = plan_with_upload(PLAN, "sectors.csv", edited.encode("utf-8-sig"))
    assert problems == [] and uploaded is not None
    assert uploaded.sectors[0].base_prov.status == "estimate"
    assert uploaded.fingerprint != PLAN.fingerprint
    same, _ = plan_with_upload(PLAN, "sectors.csv", text.encode("utf-8-sig"))
    assert same == PLAN and same.fingerprint == PLAN.fingerprint
