"""Calibration to the record: the likelihood against the simulation it is derived from, the fit
against known parameters, and the Thái Bình acceptance check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model
from model.calibrate import UNC_BOUNDS, UPLIFT_BOUNDS_PP, _calibrate_cached, _Problem, step_moments
from model.plan import TOTAL, Actual, Plan, Provenance
from model.risk import simulate_totals
from model.scenario import Scenario

PLAN = model.load_plan()
DEFAULT = Scenario.default(PLAN)
FIXTURE = model.load_plan(Path(__file__).parent / "fixtures" / "test_province")  # 10% / 20% growth, sigma 5 / 8
PROV = Provenance("assumption", "T1")


def with_records(plan: Plan, records: dict[int, float]) -> Plan:
    """The plan with its province totals after the base year replaced by `records`."""
    kept = tuple(a for a in plan.actuals if a.sector != TOTAL or a.year <= plan.base_year)
    return replace(plan, actuals=kept + tuple(Actual(y, TOTAL, float(v), PROV) for y, v in sorted(records.items())))


def tb_records() -> dict[int, float]:
    return {y: a.value_musd for y, a in PLAN.actual_totals().items() if y > 2020}


# --- the likelihood's moments against the simulation they come from -----------------------


def test_one_year_moments_are_the_formula():
    # k = 1: mean sum w (1 + g/100); variance [rho (sum w sigma)^2 + (1 - rho) sum w^2 sigma^2] / 100^2
    w, g, s, rho = np.array([0.6, 0.3, 0.1]), np.array([10.0, 20.0, -5.0]), np.array([5.0, 8.0, 12.0]), 0.3
    mean, var = step_moments(w, g, s, rho, 1)
    assert mean == pytest.approx(float(np.sum(w * (1 + g / 100))), rel=1e-14)
    hand = (rho * np.sum(w * s) ** 2 + (1 - rho) * np.sum(w**2 * s**2)) / 100**2
    assert var == pytest.approx(hand, rel=1e-12)


@pytest.mark.parametrize(("k", "rho"), [(1, 0.5), (3, 0.2), (3, 1.0)])
def test_compounded_moments_match_the_simulation(k, rho):
    # From the base year the shares are known exactly, so the model's own simulation of the
    # total k years on must have the closed-form mean and variance (shock 0).
    n = 200_000
    sc = replace(Scenario.default(FIXTURE), h=2020 + k, ty=2020 + k, rho=rho, unc=2.0, shock=0.0)
    base = np.array([s.base_musd for s in FIXTURE.sectors])
    ratio = simulate_totals(FIXTURE, sc, n=n, seed=3)[:, k] / base.sum()
    sigma = np.array([s.volatility_pp for s in FIXTURE.sectors]) * sc.unc
    mean, var = step_moments(base / base.sum(), np.array([10.0, 20.0]), sigma, rho, k)
    assert ratio.mean() == pytest.approx(float(mean), abs=4 * ratio.std() / np.sqrt(n))
    se_var = np.std((ratio - ratio.mean()) ** 2) / np.sqrt(n)
    assert ratio.var() == pytest.approx(float(var), abs=4 * se_var)


# --- the Thái Bình acceptance check ------------------------------------------------------


def test_thai_binh_calibrated_band_covers_three_of_four_records():
    before = model.backtest(PLAN, DEFAULT)
    cal = model.calibrate(PLAN, DEFAULT)
    assert cal is not None
    assert cal.years == (2021, 2022, 2023, 2024) and cal.n == 4
    assert before.inside == 0  # the default band holds none of them
    assert cal.inside >= 3
    assert cal.uplift_pp > 0  # the records ran above the default path
    assert np.isfinite([cal.uplift_se_pp, cal.unc_se]).all()


def test_calibrated_coverage_is_a_count_on_the_calibrated_scenario():
    cal = model.calibrate(PLAN, DEFAULT)
    assert cal is not None
    sc = cal.scenario(DEFAULT)
    assert sc.unc == round(cal.unc, 2)
    assert sc.growth_map["textiles"] == round(12.8 + cal.uplift_pp, 1)
    q = model.simulate(PLAN, sc, n=sc.n, seed=sc.seed).quantiles
    hand = sum(q.loc[y, "p10"] <= v <= q.loc[y, "p90"] for y, v in tb_records().items())
    assert cal.inside == hand == model.backtest(PLAN, sc).inside


def test_the_fit_is_the_maximum_over_a_grid():
    problem = _Problem.build(PLAN, DEFAULT)
    cal = model.calibrate(PLAN, DEFAULT)
    assert problem is not None and cal is not None
    assert cal.log_likelihood == pytest.approx(problem.log_likelihood(cal.uplift_pp, cal.unc), abs=1e-9)
    grid = max(
        problem.log_likelihood(u, m)
        for u in np.linspace(*UPLIFT_BOUNDS_PP, 121)
        for m in np.linspace(*UNC_BOUNDS, 100)
    )  # fmt: skip
    assert cal.log_likelihood >= grid


def test_a_shock_is_taken_out_of_the_records():
    # With a 10% shock fading over 4 years, the same records mean faster underlying growth.
    plain = model.calibrate(PLAN, DEFAULT)
    shocked = model.calibrate(PLAN, replace(DEFAULT, shock=10.0, rec=4))
    assert plain is not None and shocked is not None
    assert shocked.uplift_pp > plain.uplift_pp


# --- known parameters are fitted back ----------------------------------------------------

REPLICATES = 30


@pytest.mark.parametrize(
    ("u", "m", "rho", "shock", "every"),
    [
        (3.0, 1.5, 0.5, 0.0, 1),
        (-4.0, 0.8, 0.2, 15.0, 2),  # a shock fading over 3 years, and every other record missing
        (8.0, 2.0, 0.9, 0.0, 1),
    ],
)
def test_known_parameters_are_fitted_back(u, m, rho, shock, every):
    # Records drawn from the model's own simulation over 40 years (2021-2060), one path per
    # replicate, each replicate fitted alone. Nominally 95% of fits lie within 2 standard errors
    # of the truth and almost all within 3. The likelihood uses the shares on the model's path,
    # not the path's own (records are totals), which widens the spread of u by ~25% with these
    # two sectors growing 10% and 20% a year for 40 years; hence 80% and 90%.
    sc = replace(Scenario.default(FIXTURE), h=2060, rho=rho, shock=shock, rec=3, n=1_000)
    paths = simulate_totals(FIXTURE, replace(sc.with_uplift(u), unc=m), n=REPLICATES, seed=2024)
    fits = []
    for path in paths:
        records = {2020 + j: path[j] for j in range(every, 41, every)}
        cal = model.calibrate(with_records(FIXTURE, records), sc)
        assert cal is not None and cal.n == len(records)
        fits.append((cal.uplift_pp, cal.unc, cal.uplift_se_pp, cal.unc_se))
    us, ms, se_us, se_ms = np.array(fits).T
    for estimate, se, truth in ((us, se_us, u), (ms, se_ms, m)):
        assert np.isfinite(se).all()
        assert np.mean(np.abs(estimate - truth) <= 2 * se) >= 0.8
        assert np.mean(np.abs(estimate - truth) <= 3 * se) >= 0.9
        # the standard errors are the fits' own spread, not a multiple of it
        assert 0.7 <= estimate.std() / se.mean() <= 1.6


# --- determinism, cache and edge cases ----------------------------------------------------


def test_the_fit_is_deterministic():
    _calibrate_cached.cache_clear()
    first = model.calibrate(PLAN, DEFAULT)
    _calibrate_cached.cache_clear()
    assert model.calibrate(PLAN, DEFAULT) == first


def test_the_cache_keys_on_what_the_fit_depends_on():
    first = model.calibrate(PLAN, DEFAULT)
    # unc, the target, its year and the language do not enter the fit: the same cached result
    assert model.calibrate(PLAN, replace(DEFAULT, unc=2.5, target=3000.0, ty=2027, lang="en")) is first
    # rho, the shock and the records do
    assert model.calibrate(PLAN, replace(DEFAULT, rho=0.2)) != first
    assert model.calibrate(PLAN, replace(DEFAULT, shock=5.0)) != first
    assert model.calibrate(with_records(PLAN, tb_records() | {2024: 2900.0}), DEFAULT) != first


def test_not_enough_records_gives_none():
    assert model.calibrate(with_records(PLAN, {}), DEFAULT) is None
    assert model.calibrate(with_records(PLAN, {2021: 2138.33}), DEFAULT) is None  # one record, two parameters
    assert model.calibrate(PLAN, replace(DEFAULT, base=2024, ty=2025)) is None  # base = the latest record
    assert model.calibrate(PLAN, replace(DEFAULT, base=2023, ty=2025)) is None  # one record after the base


def test_zero_volatility_gives_none():
    flat = replace(PLAN, sectors=tuple(replace(s, volatility_pp=0.0) for s in PLAN.sectors))
    assert model.calibrate(flat, DEFAULT) is None


def test_horizon_and_gaps_choose_the_years():
    short = model.calibrate(PLAN, replace(DEFAULT, ty=2022, h=2022))
    assert short is not None and short.years == (2021, 2022)
    records = tb_records()
    del records[2022]
    gap = model.calibrate(with_records(PLAN, records), DEFAULT)
    assert gap is not None and gap.years == (2021, 2023, 2024) and np.isfinite(gap.log_likelihood)


def test_records_on_the_path_put_m_on_its_lower_bound():
    sc = replace(DEFAULT, shock=0.0)
    proj = model.project(PLAN, sc.with_uplift(2.0))
    cal = model.calibrate(with_records(PLAN, {y: float(proj.totals[y]) for y in (2021, 2022, 2023)}), sc)
    assert cal is not None
    assert cal.unc == pytest.approx(UNC_BOUNDS[0], abs=1e-4) and np.isnan(cal.unc_se)
    assert cal.uplift_pp == pytest.approx(2.0, abs=1e-3)


def test_wild_records_put_m_on_its_upper_bound_without_a_standard_error():
    # the likelihood still rises at m = 3 (the scenario's limit): a curvature there is no standard error
    cal = model.calibrate(with_records(PLAN, {2021: 2500.0, 2022: 1700.0, 2023: 2800.0, 2024: 1600.0}), DEFAULT)
    assert cal is not None
    assert cal.unc == pytest.approx(UNC_BOUNDS[1], abs=1e-4) and np.isnan(cal.unc_se)
    assert np.isfinite(cal.uplift_se_pp)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    records=st.dictionaries(
        st.integers(2021, 2030), st.floats(1e-3, 1e7, allow_nan=False, allow_infinity=False), max_size=6
    ),
    rho=st.floats(0.0, 1.0),
    shock=st.floats(0.0, 50.0),
    rec=st.integers(0, 5),
    volatility=st.sampled_from([0.0, 0.1, 5.0, 50.0]),
)
def test_never_raises_and_stays_in_bounds(records, rho, shock, rec, volatility):
    sectors = (replace(FIXTURE.sectors[0], volatility_pp=volatility), *FIXTURE.sectors[1:])
    plan = with_records(replace(FIXTURE, sectors=sectors), records)
    sc = replace(Scenario.default(FIXTURE), rho=rho, shock=shock, rec=rec, n=1_000)
    cal = model.calibrate(plan, sc)
    if cal is None:
        assert len(records) < 2
        return
    assert UPLIFT_BOUNDS_PP[0] <= cal.uplift_pp <= UPLIFT_BOUNDS_PP[1]
    assert UNC_BOUNDS[0] <= cal.unc <= UNC_BOUNDS[1]
    assert np.isfinite(cal.log_likelihood) and 0 <= cal.inside <= cal.n == len(records)


def test_sector_without_volatility_or_value_is_fine():
    # one sector with sigma 0 and one with base 0: the other still carries the likelihood
    zero = replace(FIXTURE.sectors[1], id="zero", base_musd=0.0)
    flat = replace(FIXTURE.sectors[0], volatility_pp=0.0)
    plan = with_records(replace(FIXTURE, sectors=(flat, FIXTURE.sectors[1], zero)), {2021: 110.0, 2022: 125.0})
    sc = Scenario.default(plan)
    assert model.calibrate(plan, sc) is not None
