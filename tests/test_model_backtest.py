"""Backtest: the projection from the base year against the records since, checked by hand."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

import model
from model.actuals import actual_table
from model.backtest import BACKTEST_COLUMNS, NOISE_PCT, POOR_PCT, verdict
from model.plan import TOTAL
from model.scenario import Scenario

PLAN = model.load_plan()
DEFAULT = Scenario.default(PLAN)


def without_record(year: int):
    return replace(PLAN, actuals=tuple(a for a in PLAN.actuals if not (a.year == year and a.sector == TOTAL)))


@pytest.mark.parametrize("sc", [DEFAULT, replace(DEFAULT, base=2022, ty=2025), DEFAULT.with_uplift(3.0)])
def test_numbers_equal_projection_and_records(sc):
    out = model.backtest(PLAN, sc)
    proj, records = model.project(PLAN, sc), PLAN.actual_totals()
    assert list(out.table.columns) == BACKTEST_COLUMNS
    assert list(out.table["year"]) == [y for y in (2021, 2022, 2023, 2024) if y > sc.base]
    for row in out.table.itertuples():
        record = records[row.year]
        assert row.scenario_musd == proj.totals[row.year]  # exactly: the same projection
        assert row.actual_musd == record.value_musd
        assert (row.status, row.source) == (record.prov.status, record.prov.source)
        assert row.deviation_musd == record.value_musd - proj.totals[row.year]  # record minus projection
        assert row.deviation_pct == pytest.approx((record.value_musd / proj.totals[row.year] - 1) * 100, rel=1e-12)


def test_default_statuses_travel_with_rows():
    table = model.backtest(PLAN, DEFAULT).table
    assert list(table["status"]) == ["derived", "estimate", "derived", "estimate"]


@pytest.mark.parametrize(
    "sc",
    [DEFAULT, replace(DEFAULT.with_uplift(4.0), unc=1.5), replace(DEFAULT.with_uplift(2.0), unc=2.0, rho=0.9, seed=5)],
)
def test_coverage_equals_a_count_by_hand(sc):
    out = model.backtest(PLAN, sc)
    q = model.simulate(PLAN, sc, n=sc.n, seed=sc.seed).quantiles
    hand = [q.loc[y, "p10"] <= PLAN.actual_totals()[y].value_musd <= q.loc[y, "p90"] for y in (2021, 2022, 2023, 2024)]
    assert list(out.table["inside"]) == hand
    assert out.inside == sum(hand) and out.n == 4
    assert out.verdict is not None and (out.verdict.inside, out.verdict.n) == (sum(hand), 4)
    assert list(out.table["p10_musd"]) == list(q.loc[2021:2024, "p10"])


def test_coverage_counts_differ_between_scenarios():
    # the parametrised count above is only informative if some band holds some records but not all
    inside = model.backtest(PLAN, replace(DEFAULT.with_uplift(4.0), unc=1.5)).table["inside"]
    assert 0 < inside.sum() < len(inside)


def test_a_given_risk_result_is_used():
    risk = model.simulate(PLAN, DEFAULT, n=2_000, seed=1)
    out = model.backtest(PLAN, DEFAULT, risk=risk)
    assert list(out.table["p90_musd"]) == list(risk.quantiles.loc[2021:2024, "p90"])


def test_default_verdict_says_too_low():
    v = model.backtest(PLAN, DEFAULT).verdict
    assert v is not None
    assert v.direction == "too_low"  # every record is 13-16% above the default path
    assert v.grade == "poor" and not v.band_ok and (v.inside, v.n) == (0, 4)
    errors = model.backtest(PLAN, DEFAULT).table["deviation_pct"]
    assert v.mean_abs_error_pct == pytest.approx(errors.abs().mean()) and v.mean_error_pct > POOR_PCT


def rows(errors_pct: list[float], inside: list[bool]) -> list[dict]:
    return [{"deviation_pct": e, "inside": i} for e, i in zip(errors_pct, inside, strict=True)]


@pytest.mark.parametrize(
    ("errors", "inside", "grade", "direction"),
    [
        ([3.0, -4.0, 2.0], [True, True, False], "good", "about_right"),
        ([3.0, 4.0, 2.0], [False, False, True], "fair", "about_right"),  # a band too narrow costs a step
        ([7.0, 8.0], [True, True], "fair", "too_low"),
        ([-7.0, -8.0], [True, False], "fair", "too_high"),  # 1 of 2 inside: half is enough
        ([-7.0, -8.0], [False, False], "poor", "too_high"),
        ([12.0, 11.0], [True, True], "poor", "too_low"),
        ([12.0, -12.0], [True, True], "poor", "mixed"),  # misses both ways cancel in the mean error
        ([6.0, -5.0], [True, True], "fair", "mixed"),
        # the mean is beyond the noise, yet one year ran well above the record: not "too low"
        ([30.0, 20.0, -8.0], [True, True, True], "poor", "mixed"),
        ([-30.0, -20.0, 8.0], [True, True, True], "poor", "mixed"),
        ([30.0, 20.0, -NOISE_PCT], [True, True, True], "poor", "too_low"),  # within the noise the other way
        ([NOISE_PCT, -NOISE_PCT], [True, True], "good", "about_right"),  # thresholds are inclusive
        ([0.1], [True], "too_few", "about_right"),  # one record: no grade, however close
        ([25.0], [False], "too_few", "too_low"),
    ],
)
def test_verdict_grades_and_directions(errors, inside, grade, direction):
    v = verdict(rows(errors, inside))
    assert v is not None and (v.grade, v.direction) == (grade, direction)


def test_base_year_at_the_latest_record_gives_an_empty_backtest():
    out = model.backtest(PLAN, replace(DEFAULT, base=2024, ty=2025))
    assert out.table.empty and list(out.table.columns) == BACKTEST_COLUMNS
    assert out.verdict is None and (out.inside, out.n) == (0, 0)


def test_no_record_after_the_base_year():
    plan = replace(PLAN, actuals=tuple(a for a in PLAN.actuals if a.year <= 2020))
    out = model.backtest(plan, DEFAULT)
    assert out.table.empty and out.verdict is None


def test_horizon_before_some_records():
    out = model.backtest(PLAN, replace(DEFAULT, ty=2022, h=2022))
    assert list(out.table["year"]) == [2021, 2022] and out.verdict is not None and out.verdict.n == 2


def test_a_missing_year_is_skipped():
    out = model.backtest(without_record(2022), DEFAULT)
    assert list(out.table["year"]) == [2021, 2023, 2024]
    q = model.simulate(PLAN, DEFAULT, n=DEFAULT.n, seed=DEFAULT.seed).quantiles
    assert list(out.table["p10_musd"]) == list(q.loc[[2021, 2023, 2024], "p10"])  # each band by its year


def test_backtest_extends_the_actual_table():
    proj = model.project(PLAN, DEFAULT)
    check = model.backtest(PLAN, DEFAULT, proj=proj)
    same = actual_table(PLAN, proj)
    pd.testing.assert_frame_equal(check.table[list(same.columns)], same)
    assert list(check.table["bound"]) == ["", "", "upper", "upper"]  # 2023 and 2024 were "nearly" 3 billion
