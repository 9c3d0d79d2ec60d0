"""The bundled plan and the validation of user tables (DESIGN.md section 2)."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib

import pandas as pd
import pytest

import model
import model.plan
from model.plan import DEFAULT_PLAN_DIR, Problem, actuals_from_frame, read_table, sectors_from_frame

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
    known = {sid for sid, _, _ in PLAN.sources}
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
    method = (DATA_DIR.parent / "ui" / "content" / f"method.{lang}.md").read_text(encoding="utf-8")
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
