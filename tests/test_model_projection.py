"""The deterministic projection (docs/design.md, "The model"), checked against hand arithmetic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import model
from model.plan import Actual, Plan, Provenance, Sector, Target
from model.projection import shock_multipliers
from model.scenario import Scenario

PROV = Provenance("assumption", "test")


def tiny_plan(actuals: tuple[Actual, ...] = ()) -> Plan:
    """Two sectors: a = 100 growing 10% a year, b = 50 flat; base year 2020."""

    def sector(sid: str, base: float, growth: float) -> Sector:
        return Sector(sid, sid, sid, base, growth, 5.0, PROV, PROV, PROV)

    return Plan(
        id="tiny", version="1", province_vi="Thử", province_en="Test",
        scheme_vi="", scheme_en="", base_year=2020, horizon_max=2030,
        target=Target(2025, 200.0, PROV), required_growth_pct=5.92, required_growth_prov=PROV,
        target_2030=None, sectors=(sector("a", 100.0, 10.0), sector("b", 50.0, 0.0)),
        actuals=(Actual(2020, "total", 150.0, PROV), *actuals), presets=(),
    )  # fmt: skip


def tiny_scenario(**changes) -> Scenario:
    sc = Scenario(growth=(("a", 10.0), ("b", 0.0)), shock=0.0, rec=0, base=2020, ty=2025, target=200.0, h=2027)
    return replace(sc, **changes)


# a: 100 × 1.1^n  →  2020: 100, 2021: 110, 2022: 121, 2023: 133.1, 2024: 146.41,
#                    2025: 161.051, 2026: 177.1561, 2027: 194.87171
# b: 50 × 1.0^n   →  50 every year
# V_t = a + b     →  150, 160, 171, 183.1, 196.41, 211.051, 227.1561, 244.87171
HAND_A = [100.0, 110.0, 121.0, 133.1, 146.41, 161.051, 177.1561, 194.87171]
HAND_TOTAL = [150.0, 160.0, 171.0, 183.1, 196.41, 211.051, 227.1561, 244.87171]
YEARS = list(range(2020, 2028))


def test_tiny_plan_totals_and_by_sector():
    out = model.project(tiny_plan(), tiny_scenario())
    assert list(out.totals.index) == YEARS
    assert list(out.by_sector.columns) == ["a", "b"]
    np.testing.assert_allclose(out.by_sector["a"].to_numpy(), HAND_A, rtol=1e-12)
    np.testing.assert_allclose(out.by_sector["b"].to_numpy(), [50.0] * 8, rtol=1e-12)
    np.testing.assert_allclose(out.totals.to_numpy(), HAND_TOTAL, rtol=1e-12)
    assert out.target_year_total == pytest.approx(211.051, abs=1e-9)


def test_tiny_plan_outcome_when_target_beaten():
    # T = 200 in 2025: V_2025 = 211.051, so gap = +11.051 (11.051 / 200 = 5.5255 %);
    # first year with V_t >= 200: 2024 has 196.41 < 200, 2025 has 211.051 → 2025.
    # implied CAGR = (211.051 / 150)^(1/5) − 1 = 7.0679 %
    # required CAGR = (200 / 150)^(1/5) − 1 = 5.9224 %
    out = model.project(tiny_plan(), tiny_scenario(target=200.0))
    assert out.reachable is True
    assert out.gap_musd == pytest.approx(11.051, abs=1e-9)
    assert out.gap_pct == pytest.approx(5.5255, abs=1e-9)
    assert out.year_reached == 2025
    assert out.implied_cagr_pct == pytest.approx(7.067887, abs=1e-5)
    assert out.required_cagr_pct == pytest.approx(5.922384, abs=1e-5)
    # contributions to the increase 2020 → 2025: a = 161.051 − 100, b = 50 − 50
    assert out.contributions["a"] == pytest.approx(61.051, abs=1e-9)
    assert out.contributions["b"] == pytest.approx(0.0, abs=1e-12)
    assert out.contributions.sum() == pytest.approx(out.totals[2025] - out.totals[2020], abs=1e-9)
    # the required path starts at V_b and ends on the target in the target year
    assert out.required_path[2020] == pytest.approx(150.0)
    assert out.required_path[2025] == pytest.approx(200.0, abs=1e-9)
    # ... and stops there: after the target year no path is required (the chart drew one climbing on)
    assert out.totals.index[-1] > 2025 and out.required_path.index[-1] == 2025


def test_tiny_plan_target_missed_but_crossed_later():
    # T = 230: V_2025 = 211.051 → gap = −18.949 (−8.2387 % of 230); 2026 has 227.1561 < 230,
    # 2027 has 244.87171 >= 230 → crossed in 2027, after the target year but within the horizon.
    out = model.project(tiny_plan(), tiny_scenario(target=230.0))
    assert out.reachable is False
    assert out.gap_musd == pytest.approx(-18.949, abs=1e-9)
    assert out.gap_pct == pytest.approx(-8.238696, abs=1e-5)
    assert out.year_reached == 2027
    # required CAGR = (230 / 150)^(1/5) − 1
    assert out.required_cagr_pct == pytest.approx(((230 / 150) ** 0.2 - 1) * 100, abs=1e-9)


def test_tiny_plan_never_crossed_within_horizon():
    # T = 250 > 244.87171, the horizon's (2027) total: never crossed.
    out = model.project(tiny_plan(), tiny_scenario(target=250.0))
    assert out.year_reached is None
    assert out.reachable is False
    assert out.gap_musd == pytest.approx(211.051 - 250.0, abs=1e-9)


def test_tiny_plan_base_year_never_counts_as_crossing():
    # T = 100 is below the base total 150: the crossing is the first *projected* year, 2021.
    out = model.project(tiny_plan(), tiny_scenario(target=100.0))
    assert out.year_reached == 2021


def test_tiny_plan_with_shock_and_recovery():
    # k = 20 %, R = 2: f_2021 = 1, f_2022 = 1 − 1/2 = 0.5, f_2023 = 0
    # m = 1, 0.8, 0.9, 1, 1, ...   V_2021 = 160 × 0.8 = 128; V_2022 = 171 × 0.9 = 153.9; V_2023 = 183.1
    out = model.project(tiny_plan(), tiny_scenario(shock=20.0, rec=2))
    expected = [150.0, 128.0, 153.9, 183.1, 196.41, 211.051, 227.1561, 244.87171]
    np.testing.assert_allclose(out.totals.to_numpy(), expected, rtol=1e-12)
    assert out.by_sector.loc[2021, "b"] == pytest.approx(40.0)


def test_tiny_plan_l_shape_lowers_the_target_year():
    # k = 10 %, R = 0: every projected year × 0.9 → V_2025 = 211.051 × 0.9 = 189.9459 < 200
    out = model.project(tiny_plan(), tiny_scenario(shock=10.0, rec=0))
    assert out.target_year_total == pytest.approx(189.9459, abs=1e-9)
    assert out.reachable is False
    # 2026: 227.1561 × 0.9 = 204.44049 >= 200 → crossed in 2026
    assert out.year_reached == 2026
    # implied CAGR = (189.9459 / 150)^(1/5) − 1
    assert out.implied_cagr_pct == pytest.approx(((189.9459 / 150) ** 0.2 - 1) * 100, abs=1e-9)


# --- the default plan ------------------------------------------------------------------


def test_scheme_preset_reaches_target_in_2025():
    plan = model.load_plan()
    preset = next(p for p in plan.presets if p.id == "scheme")
    sc = Scenario.default(plan).with_preset(preset, plan)
    assert all(g == 10.5 for _, g in sc.growth)
    out = model.project(plan, sc)
    # 1638.90 × 1.105^5 = 2700.0005
    assert out.totals[2025] == pytest.approx(2700.0, abs=0.01)
    assert out.reachable is True
    assert out.year_reached == 2025
    assert out.required_cagr_pct == pytest.approx(10.5, abs=0.01)
    assert out.implied_cagr_pct == pytest.approx(10.5, abs=0.01)


def test_default_plan_required_growth_matches_plan():
    plan = model.load_plan()
    out = model.project(plan, Scenario.default(plan))
    assert out.required_cagr_pct == pytest.approx(plan.required_growth_pct, abs=0.01)
    assert out.totals[2020] == pytest.approx(1638.90, abs=0.01)
    assert list(out.totals.index) == list(range(2020, 2031))
    assert list(out.by_sector.columns) == list(plan.sector_ids)
    np.testing.assert_allclose(out.by_sector.sum(axis=1).to_numpy(), out.totals.to_numpy(), rtol=1e-12)


# --- shock shapes ----------------------------------------------------------------------


def shock_sc(shock: float, rec: int) -> Scenario:
    return tiny_scenario(shock=shock, rec=rec, h=2030)  # years 2020..2030


def test_shock_v_shape_back_on_trend_in_second_year():
    # R = 1: f_2021 = 1, f_2022 = max(0, 1 − 1/1) = 0 → m = 1, 0.7, 1, 1, ...
    m = shock_multipliers(shock_sc(30.0, 1))
    np.testing.assert_allclose(m, [1.0, 0.7] + [1.0] * 9, rtol=1e-12)


def test_shock_u_shape_linear_recovery():
    # R = 3, k = 30: f = 1, 2/3, 1/3, 0 for 2021..2024
    # m_2021 = 1 − 0.3 = 0.7; m_2022 = 1 − 0.3 × 2/3 = 0.8; m_2023 = 1 − 0.3 × 1/3 = 0.9; m_2024 = 1
    m = shock_multipliers(shock_sc(30.0, 3))
    np.testing.assert_allclose(m, [1.0, 0.7, 0.8, 0.9] + [1.0] * 7, rtol=1e-12)


def test_shock_recovery_over_five_years():
    # R = 5, k = 50: m = 1 − 0.5 × (1 − j/5) for j = 0..5 → 0.5, 0.6, 0.7, 0.8, 0.9, 1
    m = shock_multipliers(shock_sc(50.0, 5))
    np.testing.assert_allclose(m, [1.0, 0.5, 0.6, 0.7, 0.8, 0.9] + [1.0] * 5, rtol=1e-12)


def test_shock_l_shape_never_recovers():
    # R = 0: f_t = 1 for every t > b → m = 1, then 0.75 for ever
    m = shock_multipliers(shock_sc(25.0, 0))
    np.testing.assert_allclose(m, [1.0] + [0.75] * 10, rtol=1e-12)


@pytest.mark.parametrize("rec", [0, 1, 2, 3, 4, 5])
def test_shock_never_touches_base_year(rec):
    m = shock_multipliers(shock_sc(50.0, rec))
    assert m[0] == 1.0
    assert m[1] == pytest.approx(0.5)  # the first projected year always takes the full shock
    out = model.project(tiny_plan(), shock_sc(50.0, rec))
    assert out.totals[2020] == 150.0


@pytest.mark.parametrize("rec", [0, 1, 3, 5])
def test_zero_shock_gives_all_ones(rec):
    np.testing.assert_array_equal(shock_multipliers(shock_sc(0.0, rec)), np.ones(11))


def test_shock_follows_a_rebased_base_year():
    # base 2022: the first projected year is 2023, not 2021.
    sc = tiny_scenario(base=2022, ty=2025, h=2027, shock=20.0, rec=2)
    np.testing.assert_allclose(shock_multipliers(sc), [1.0, 0.8, 0.9, 1.0, 1.0, 1.0], rtol=1e-12)


# --- rebasing --------------------------------------------------------------------------


def test_rebase_splits_actual_total_in_base_structure_tiny():
    # actual 2022 total 300, base structure a : b = 100 : 50 → a = 200, b = 100
    # V_2025 = 200 × 1.1^3 + 100 = 266.2 + 100 = 366.2
    plan = tiny_plan((Actual(2022, "total", 300.0, PROV),))
    out = model.project(plan, tiny_scenario(base=2022, ty=2025, h=2027, target=300.0))
    assert list(out.totals.index) == [2022, 2023, 2024, 2025, 2026, 2027]
    assert out.by_sector.loc[2022, "a"] == pytest.approx(200.0)
    assert out.by_sector.loc[2022, "b"] == pytest.approx(100.0)
    assert out.totals[2025] == pytest.approx(366.2, abs=1e-9)
    # required CAGR over 3 years: (300 / 300)^(1/3) − 1 = 0
    assert out.required_cagr_pct == pytest.approx(0.0, abs=1e-12)
    assert out.year_reached == 2023


def test_rebase_uses_a_sector_actual_when_given():
    # 2022: total 300, a known = 210 → b gets the rest, 90
    plan = tiny_plan((Actual(2022, "total", 300.0, PROV), Actual(2022, "a", 210.0, PROV)))
    assert plan.base_values(2022) == pytest.approx({"a": 210.0, "b": 90.0})


def test_base_statuses_follow_where_each_base_value_comes_from():
    # the plan's own base year: the sector table's statuses; 2022: a's own actual (estimate),
    # b split from the total (derived)
    plan = tiny_plan((Actual(2022, "total", 300.0, PROV), Actual(2022, "a", 210.0, Provenance("estimate", "S2"))))
    assert plan.base_statuses(2020) == {"a": PROV.status, "b": PROV.status}
    assert plan.base_statuses(2022) == {"a": "estimate", "b": "derived"}


def test_rebase_default_plan_2022():
    plan = model.load_plan()
    sc = replace(Scenario.default(plan), base=2022)
    out = model.project(plan, sc)
    assert out.totals.index[0] == 2022
    assert out.totals[2022] == pytest.approx(2427.0, abs=1e-9)
    total_base = sum(s.base_musd for s in plan.sectors)
    for s in plan.sectors:
        assert out.by_sector.loc[2022, s.id] == pytest.approx(2427.0 * s.base_musd / total_base, rel=1e-12)
    # textiles' share stays 903.64 / 1638.90 = 55.14 %
    assert out.by_sector.loc[2022, "textiles"] / out.totals[2022] == pytest.approx(903.64 / 1638.90)
    # required CAGR from 2427 to 2700 over 3 years: (2700 / 2427)^(1/3) − 1 = 3.6171 %
    assert out.required_cagr_pct == pytest.approx(3.617075, abs=1e-5)
    expected_2025 = sum(2427.0 * s.base_musd / total_base * (1 + s.growth_pct / 100) ** 3 for s in plan.sectors)
    assert out.totals[2025] == pytest.approx(expected_2025, rel=1e-12)


def test_rebase_without_actual_total_raises():
    with pytest.raises(ValueError):
        tiny_plan().base_values(2022)


def test_sector_summary_adds_up_to_the_totals():
    from model.projection import sector_summary

    plan = model.load_plan()
    proj = model.project(plan, model.Scenario.default(plan))
    summary = sector_summary(proj)
    assert summary.loc["total", "base_musd"] == pytest.approx(1638.90, abs=0.01)
    assert summary.loc["total", "share_pct"] == pytest.approx(100.0)
    assert summary.loc["total", "target_year_musd"] == pytest.approx(proj.totals[2025])
    assert summary.loc["textiles", "share_pct"] == pytest.approx(903.64 / 1638.90 * 100)
    assert summary.loc["total", "contribution_musd"] == pytest.approx(proj.totals[2025] - proj.totals[2020])


# --- shock shapes: the permanent share and the shock year ------------------------------


def _old_multipliers(sc: Scenario) -> np.ndarray:
    """The shock before the permanent share and the shock year existed (an independent oracle):
    the year after the base falls k%, the fall closes linearly over R years (never for R = 0)."""
    out = []
    for t in range(sc.base, sc.h + 1):
        if t == sc.base:
            out.append(1.0)
            continue
        fade = 1.0 if sc.rec == 0 else max(0.0, 1.0 - (t - (sc.base + 1)) / sc.rec)
        out.append(1.0 - sc.shock / 100.0 * fade)
    return np.array(out)


@pytest.mark.parametrize("rec", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("base", [2020, 2022, 2024])
def test_links_without_the_new_parameters_give_the_old_numbers(rec, base):
    plan = model.load_plan()
    sc = Scenario.from_query({"shock": "35", "rec": str(rec), "base": str(base)}, plan)
    assert (sc.perm, sc.sy) == (0.0, base + 1)
    np.testing.assert_allclose(shock_multipliers(sc), _old_multipliers(sc), rtol=0, atol=1e-12)
    totals = model.project(plan, sc).totals.to_numpy()
    trend = model.project(plan, replace(sc, shock=0.0)).totals.to_numpy()
    np.testing.assert_allclose(totals, trend * _old_multipliers(sc), rtol=1e-9)


@pytest.mark.parametrize("rec", [1, 2, 4])
def test_fully_permanent_shock_lowers_every_year_from_the_shock_year_by_the_shock(rec):
    plan = model.load_plan()
    sc = Scenario.from_query({"shock": "20", "rec": str(rec), "perm": "100", "sy": "2023"}, plan)
    ratio = model.project(plan, sc).totals / model.project(plan, replace(sc, shock=0.0)).totals
    np.testing.assert_allclose(ratio.loc[:2022], 1.0, rtol=1e-12)
    np.testing.assert_allclose(ratio.loc[2023:], 0.8, rtol=1e-12)


def test_partial_permanent_share_keeps_that_part_of_the_drop_after_recovery():
    sc = tiny_scenario(shock=20.0, rec=2, perm=25.0, sy=2022, h=2027)
    # 2020, 2021: before the shock; 2022: the full 20%; 2023: half the temporary 15 points back;
    # from 2024 only the permanent quarter of the drop (5%) remains.
    np.testing.assert_allclose(shock_multipliers(sc), [1.0, 1.0, 0.8, 0.875, 0.95, 0.95, 0.95, 0.95], rtol=1e-12)


def test_recovery_zero_means_never_whatever_the_permanent_share():
    for perm in (0.0, 40.0, 100.0):
        sc = tiny_scenario(shock=30.0, rec=0, perm=perm, sy=2023)
        np.testing.assert_allclose(shock_multipliers(sc), [1.0, 1.0, 1.0, 0.7, 0.7, 0.7, 0.7, 0.7], rtol=1e-12)


def test_shock_year_is_read_from_links_and_kept_within_the_projection():
    plan = model.load_plan()
    assert Scenario.from_query({"sy": "2027"}, plan).sy == 2027
    late = Scenario.from_query({"sy": "2040", "h": "2028"}, plan)
    assert late.sy == 2028 and any(r.key == "sy" and r.code == "clamped" for r in late.repairs)
    early = Scenario.from_query({"sy": "2020", "base": "2022"}, plan)
    assert early.sy == 2023
