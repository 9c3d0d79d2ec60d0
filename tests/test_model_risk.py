"""Monte Carlo and sensitivity, checked against closed forms and the deterministic projection."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy import stats

import model
from model import risk as mrisk
from model.scenario import Scenario

PLAN = model.load_plan()
DEFAULT = Scenario.default(PLAN)
B = np.array([s.base_musd for s in PLAN.sectors])
SIGMA = np.array([s.volatility_pp for s in PLAN.sectors])


def growth(sc: Scenario) -> np.ndarray:
    return np.array([sc.growth_map[sid] for sid in PLAN.sector_ids])


def one_year_sc(rho: float, unc: float = 1.0, shock: float = 5.0) -> Scenario:
    """h = ty = b + 1: a single simulated year, the first projected one (m = 1 − shock/100)."""
    return replace(DEFAULT, ty=2021, h=2021, rho=rho, unc=unc, shock=shock, rec=2, target=1820.0)


def quantile_se(sd: float, p: float, n: int) -> float:
    """Standard error of the sample p-quantile of a normal with this sd."""
    return sd * np.sqrt(p * (1 - p) / n) / stats.norm.pdf(stats.norm.ppf(p))


@pytest.mark.parametrize(("rho", "unc"), [(1.0, 1.0), (1.0, 2.5), (0.0, 1.0)])
def test_one_year_ahead_total_is_normal(rho, unc):
    # One year: V = Σ_s B_s (1 + (g_s + σ_s·u·(√ρ Z + √(1−ρ) ε_s)) / 100) · m, linear in the normals.
    # ρ = 1: sd = Σ_s B_s σ_s u m / 100 (perfectly correlated); ρ = 0: sd = √Σ_s (B_s σ_s u m / 100)².
    n = 100_000
    sc = one_year_sc(rho, unc)
    m = 1 - sc.shock / 100
    mean = float(np.sum(B * (1 + growth(sc) / 100)) * m)
    parts = B * SIGMA * unc / 100 * m
    sd = float(parts.sum()) if rho == 1.0 else float(np.sqrt(np.sum(parts**2)))
    risk = model.simulate(PLAN, sc, n=n, seed=7)

    p = float(stats.norm.sf(sc.target - 0.005, loc=mean, scale=sd))  # P(V_Y >= T) at the 0.005 tolerance
    assert 0.05 < p < 0.95  # the check is informative only away from 0 and 1
    assert risk.probability == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / n))

    row = risk.quantiles.loc[2021]
    for col, q in (("p10", 0.10), ("p50", 0.50), ("p90", 0.90)):
        expected = stats.norm.ppf(q, loc=mean, scale=sd)
        assert row[col] == pytest.approx(expected, abs=4 * quantile_se(sd, q, n)), col
    # sample mean and sd of V_Y as well
    assert risk.target_year_values.mean() == pytest.approx(mean, abs=4 * sd / np.sqrt(n))
    assert risk.target_year_values.std() == pytest.approx(sd, rel=4 * np.sqrt(0.5 / n))
    # the base year is data: every path starts on the base total
    assert risk.quantiles.loc[2020, "p10"] == pytest.approx(B.sum())
    assert risk.quantiles.loc[2020, "p90"] == pytest.approx(B.sum())


def test_quantiles_shape_and_order():
    risk = model.simulate(PLAN, DEFAULT, n=5_000)
    assert list(risk.quantiles.index) == list(range(2020, 2031))
    assert {"p10", "p50", "p90"} <= set(risk.quantiles.columns)
    q = risk.quantiles
    assert (q["p10"] <= q["p50"]).all() and (q["p50"] <= q["p90"]).all()
    assert (q["p10"].iloc[1:] < q["p90"].iloc[1:]).all()  # a real spread after the base year
    assert 0.0 <= risk.probability <= 1.0
    assert risk.target_year_values.shape == (5_000,)
    assert risk.probability == pytest.approx(np.mean(risk.target_year_values >= DEFAULT.target - 0.005))


def test_the_bands_and_the_target_year_are_those_of_the_simulated_paths():
    """A year's quantiles, asked for alone or with every year's, are the paths' quantiles."""
    sc = replace(DEFAULT, unc=1.5)
    risk = model.simulate(PLAN, sc, n=2_000, seed=3)
    paths = mrisk.simulate_totals(PLAN, sc, n=2_000, seed=3)  # [paths, years], computed afresh
    expected = np.quantile(paths, list(mrisk.QUANTILES.values()), axis=0).T
    asked_alone = [list(risk.year_quantiles(year).values()) for year in range(sc.base, sc.h + 1)]
    assert np.array_equal(np.array(asked_alone), expected), "the same numbers, to the last bit"
    assert np.array_equal(risk.quantiles.to_numpy(), expected)
    assert np.array_equal(risk.target_year_values, paths[:, sc.ty - sc.base]), "every path, in its order"
    shared = [risk.target_year_values, *risk.recorded.values()]
    assert not any(a.flags.writeable for a in shared), "shared between sessions: read-only"
    with pytest.raises(KeyError):
        risk.year_quantiles(sc.h + 1)


def test_the_record_years_band_is_taken_with_the_paths_and_every_year_only_when_asked(monkeypatch):
    """A result keeps no paths: the years with a record (the backtest's band) are taken with
    them, every year's quantiles by simulating the same paths again, once."""
    runs = []
    totals_by_year = mrisk._totals_by_year
    monkeypatch.setattr(mrisk, "_totals_by_year", lambda *a: runs.append(a) or totals_by_year(*a))
    risk = model.simulate(PLAN, DEFAULT, n=2_000, seed=5)
    recorded = [y for y in PLAN.actual_totals() if DEFAULT.base < y <= DEFAULT.h]
    assert recorded and sorted(risk.recorded) == sorted(recorded)
    for year in recorded:
        risk.year_quantiles(year)
    assert len(runs) == 1, "the band of the years with a record needs no second simulation"
    table = risk.quantiles
    assert len(runs) == 2 and risk.quantiles is table, "every year's: one more simulation, kept"


PRESET = {p.id: p for p in PLAN.presets}


@pytest.mark.parametrize(
    "sc",
    [
        DEFAULT,
        DEFAULT.with_preset(PRESET["scheme"], PLAN),  # V_2025 = 2700.0005: on the edge
        DEFAULT.with_preset(PRESET["slow"], PLAN),
        replace(DEFAULT, target=3500.0),
        replace(DEFAULT, base=2022, shock=20.0, rec=0),
        replace(DEFAULT, target=model.project(PLAN, DEFAULT).target_year_total + 0.004),
        replace(DEFAULT, target=model.project(PLAN, DEFAULT).target_year_total + 0.01),
    ],
    ids=["default", "scheme", "slow", "t3500", "base2022_L", "edge_in", "edge_out"],
)
def test_no_uncertainty_is_deterministic(sc):
    sc = replace(sc, unc=0.0)
    out = model.project(PLAN, sc)
    risk = model.simulate(PLAN, sc, n=2_000)
    assert risk.probability in (0.0, 1.0)
    assert risk.probability == (1.0 if out.reachable else 0.0)
    # every path is the deterministic path, year by year
    for col in ("p10", "p50", "p90"):
        np.testing.assert_allclose(risk.quantiles[col].to_numpy(), out.totals.to_numpy(), rtol=1e-10)


def test_same_seed_same_result_other_seed_other_result():
    a = model.simulate(PLAN, DEFAULT, n=5_000, seed=123)
    b = model.simulate(PLAN, DEFAULT, n=5_000, seed=123)
    c = model.simulate(PLAN, DEFAULT, n=5_000, seed=124)
    np.testing.assert_array_equal(a.target_year_values, b.target_year_values)
    assert a.probability == b.probability
    assert a.quantiles.equals(b.quantiles)
    assert not np.array_equal(a.target_year_values, c.target_year_values)
    assert not a.quantiles.loc[2025].equals(c.quantiles.loc[2025])


def test_seed_defaults_to_scenario_seed():
    sc = replace(DEFAULT, seed=99)
    a = model.simulate(PLAN, sc, n=3_000)
    b = model.simulate(PLAN, sc, n=3_000, seed=99)
    assert a.seed == 99
    np.testing.assert_array_equal(a.target_year_values, b.target_year_values)


@pytest.mark.parametrize(
    "sc",
    [DEFAULT, replace(DEFAULT, target=3000.0, unc=2.0), replace(DEFAULT, shock=30.0, rec=0, rho=0.0, unc=3.0)],
)
def test_more_growth_everywhere_never_lowers_probability(sc):
    low = model.simulate(PLAN, sc, n=5_000, seed=11)
    high = model.simulate(PLAN, sc.with_uplift(1.0), n=5_000, seed=11)
    # the same normals are drawn, so every path is at least as high
    assert np.all(high.target_year_values >= low.target_year_values)
    assert high.probability >= low.probability
    assert (high.quantiles["p50"] >= low.quantiles["p50"]).all()


@settings(max_examples=40, deadline=None)
@given(
    sector=hs.sampled_from(PLAN.sector_ids),
    raise_pp=hs.floats(0.1, 30.0),
    rho=hs.floats(0.0, 1.0),
    unc=hs.floats(0.0, 3.0),
    shock=hs.floats(0.0, 50.0),
    seed=hs.integers(0, 2**31 - 1),
)
def test_raising_one_sectors_growth_never_lowers_any_path(sector, raise_pp, rho, unc, shock, seed):
    # Common random numbers: the same draws whatever the sliders say, so each path's V_Y
    # moves monotonically with a sector's growth, and so does the probability.
    sc = replace(DEFAULT, rho=rho, unc=unc, shock=shock)
    low = model.simulate(PLAN, sc, n=400, seed=seed)
    high = model.simulate(PLAN, sc.with_growth({sector: sc.growth_map[sector] + raise_pp}), n=400, seed=seed)
    assert np.all(high.target_year_values >= low.target_year_values)
    assert high.probability >= low.probability


def test_draws_are_made_once_per_seed_paths_years_and_sectors(monkeypatch):
    mrisk.clear_draws_cache()
    made = []
    real = np.random.default_rng
    monkeypatch.setattr(np.random, "default_rng", lambda seed: made.append(seed) or real(seed))
    model.simulate(PLAN, DEFAULT, n=2_000, seed=5)
    model.simulate(PLAN, DEFAULT.with_uplift(2.0), n=2_000, seed=5)  # a slider move
    model.simulate(PLAN, replace(DEFAULT, rho=0.9, unc=2.0, shock=10.0), n=2_000, seed=5)
    assert made == [5]
    model.simulate(PLAN, DEFAULT, n=3_000, seed=5)  # other paths: other draws
    model.simulate(PLAN, DEFAULT, n=2_000, seed=6)
    model.simulate(PLAN, replace(DEFAULT, h=2028), n=2_000, seed=5)  # other years
    assert made == [5, 5, 6, 5]


@pytest.mark.parametrize(
    "sc",
    [DEFAULT.with_uplift(1.5), replace(DEFAULT, rho=0.0, unc=2.5, shock=15.0), replace(DEFAULT, rho=1.0, base=2022)],
)
def test_cached_draws_give_the_fresh_result_bit_for_bit(sc):
    mrisk.clear_draws_cache()
    model.simulate(PLAN, replace(DEFAULT, rho=0.3, unc=0.7), n=3_000, seed=9)  # fills the cache
    model.simulate(PLAN, replace(sc, rho=0.8, unc=1.9), n=3_000, seed=9)  # another run on the same draws
    cached = model.simulate(PLAN, sc, n=3_000, seed=9)
    cached_totals = mrisk.simulate_totals(PLAN, sc, n=3_000, seed=9)
    mrisk.clear_draws_cache()
    fresh = model.simulate(PLAN, sc, n=3_000, seed=9)
    mrisk.clear_draws_cache()
    np.testing.assert_array_equal(cached_totals, mrisk.simulate_totals(PLAN, sc, n=3_000, seed=9))
    np.testing.assert_array_equal(cached.target_year_values, fresh.target_year_values)
    assert cached.quantiles.equals(fresh.quantiles)
    assert cached.probability == fresh.probability


@pytest.mark.parametrize(
    "sc", [DEFAULT, replace(DEFAULT, rho=0.0, unc=2.5, shock=15.0, rec=0), replace(DEFAULT, base=2022, h=2028)]
)
def test_totals_follow_the_formula_path_by_path(sc):
    # The formula written out plainly, on the generator's stream: paths x years x sectors, then the common factor.
    n, n_years = 500, sc.h - sc.base
    rng = np.random.default_rng(17)
    eps, z = rng.standard_normal((n, n_years, len(B))), rng.standard_normal((n, n_years, 1))
    base = np.array(list(PLAN.base_values(sc.base).values()))
    sigma = SIGMA * sc.unc
    yearly = 1 + (growth(sc) + sigma * (np.sqrt(sc.rho) * z + np.sqrt(1 - sc.rho) * eps)) / 100
    grown = np.cumprod(np.maximum(yearly, 0.01), axis=1) @ base
    m = model.projection.shock_multipliers(sc)
    expected = np.column_stack([np.full(n, base.sum()), grown]) * m
    np.testing.assert_allclose(mrisk.simulate_totals(PLAN, sc, n=n, seed=17), expected, rtol=1e-12)


def test_the_draws_cache_is_bounded():
    mrisk.clear_draws_cache()
    for seed in range(mrisk.DRAWS_CACHE_ENTRIES + 3):
        model.simulate(PLAN, DEFAULT, n=1_000, seed=seed)
    assert len(mrisk._draws) == mrisk.DRAWS_CACHE_ENTRIES
    assert [key[0] for key in mrisk._draws] == list(range(3, mrisk.DRAWS_CACHE_ENTRIES + 3))  # the most recent
    big = mrisk.paths_within_budget(10**9, DEFAULT.h - DEFAULT.base, len(PLAN.sectors))
    model.simulate(PLAN, DEFAULT, n=big, seed=1)  # one maximal simulation: alone in the cache
    assert len(mrisk._draws) == 1
    assert mrisk._cached_numbers() <= mrisk.MAX_SIMULATION_NUMBERS
    mrisk.clear_draws_cache()


def test_no_reduction_within_the_budget():
    risk = model.simulate(PLAN, DEFAULT, n=50_000, seed=1)  # the largest the app offers
    assert (risk.n, risk.n_requested, risk.reduced, risk.reduced_reason) == (50_000, 50_000, False, None)
    assert risk.target_year_values.shape == (50_000,)
    mrisk.clear_draws_cache()


def wide_plan(n_sectors: int) -> model.Plan:
    """A synthetic plan of n_sectors copies of the first sector (beyond what a plan file may hold)."""
    first = PLAN.sectors[0]
    sectors = tuple(replace(first, id=f"s{i}", base_musd=1.0 + i % 7) for i in range(n_sectors))
    return replace(PLAN, sectors=sectors, presets=())


def test_a_plan_of_5000_sectors_is_simulated_within_the_memory_budget():
    plan = wide_plan(5_000)
    sc = replace(DEFAULT, growth=())  # every sector at the plan's growth
    n_years = sc.h - sc.base
    tracemalloc.start()
    try:
        risk = model.simulate(plan, sc, n=10_000, seed=3)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        mrisk.clear_draws_cache()
    fitting = mrisk.MAX_SIMULATION_NUMBERS // (n_years * 5_001)
    assert risk.n == fitting < 10_000
    assert (risk.n_requested, risk.reduced, risk.reduced_reason) == (10_000, True, mrisk.REDUCED_MEMORY)
    assert risk.target_year_values.shape == (fitting,)
    assert 0.0 <= risk.probability <= 1.0
    # the draws (8 bytes a number) and as much again for the paths computed from them, no more
    assert peak < 2.2 * mrisk.MAX_SIMULATION_NUMBERS * 8, f"{peak / 1e6:.0f} MB"


def test_a_reduced_simulation_is_the_simulation_of_fewer_paths():
    plan = wide_plan(800)
    sc = replace(DEFAULT, growth=())
    reduced = model.simulate(plan, sc, n=50_000, seed=4)
    direct = model.simulate(plan, sc, n=reduced.n, seed=4)
    mrisk.clear_draws_cache()
    assert reduced.reduced and not direct.reduced
    np.testing.assert_array_equal(reduced.target_year_values, direct.target_year_values)
    assert reduced.probability == direct.probability


def test_a_path_larger_than_the_budget_is_refused():
    with pytest.raises(ValueError, match="memory budget"):
        mrisk.paths_within_budget(10, 1_000, mrisk.MAX_SIMULATION_NUMBERS // 1_000)


# --- sensitivity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sc", "delta"),
    [(DEFAULT, 2.0), (replace(DEFAULT, shock=10.0, rec=3), 5.0), (replace(DEFAULT, base=2022, ty=2030), 1.0)],
)
def test_tornado_rows_equal_shifted_projection(sc, delta):
    frame = model.tornado(PLAN, sc, delta_pp=delta)
    assert sorted(frame["sector"]) == sorted(PLAN.sector_ids)
    g = sc.growth_map
    for row in frame.itertuples():
        low = model.project(PLAN, sc.with_growth({row.sector: g[row.sector] - delta})).target_year_total
        high = model.project(PLAN, sc.with_growth({row.sector: g[row.sector] + delta})).target_year_total
        assert row.low_musd == pytest.approx(low, rel=1e-12)
        assert row.high_musd == pytest.approx(high, rel=1e-12)
    centre = model.project(PLAN, sc).target_year_total
    assert (frame["low_musd"] < centre).all() and (frame["high_musd"] > centre).all()
    swing = (frame["high_musd"] - frame["low_musd"]).to_numpy()
    assert np.all(np.diff(swing) <= 0), "tornado rows must be sorted by swing, largest first"


def test_tornado_textiles_first_on_default():
    # textiles is 55 % of the base: the largest swing
    assert model.tornado(PLAN, DEFAULT).iloc[0]["sector"] == "textiles"


@pytest.mark.parametrize("sc", [DEFAULT, replace(DEFAULT, shock=20.0, rec=0, ty=2028)])
def test_priority_map_effect_is_one_point_difference(sc):
    frame = model.priority_map(PLAN, sc)
    centre = model.project(PLAN, sc).target_year_total
    g = sc.growth_map
    for row in frame.itertuples():
        up = model.project(PLAN, sc.with_growth({row.sector: g[row.sector] + 1.0})).target_year_total
        assert row.effect_musd_per_pp == pytest.approx(up - centre, rel=1e-9)
        assert row.share_pct == pytest.approx(PLAN.sector(row.sector).base_musd / B.sum() * 100)
    assert frame["share_pct"].sum() == pytest.approx(100.0)
    assert np.all(np.diff(frame["effect_musd_per_pp"].to_numpy()) <= 0)


def test_risk_result_counts_paths_and_states_its_simulation_error():
    plan = model.load_plan()
    risk = model.simulate(plan, model.Scenario.default(plan), n=4000, seed=3)
    assert risk.paths_reaching == int((risk.target_year_values >= 2700 - 0.005).sum())
    p = risk.probability
    assert risk.probability_error_pp == pytest.approx((p * (1 - p) / 4000) ** 0.5 * 100)
    # none of n: the one-sided 95% bound solves (1 - q)^n = 0.05, about 3/n
    assert (1 - risk.probability_bound_pp / 100) ** 4000 == pytest.approx(0.05)
    assert risk.probability_bound_pp == pytest.approx(300 / 4000, rel=0.01)


@pytest.mark.parametrize(
    "sc",
    [
        DEFAULT.with_uplift(1.5),
        replace(DEFAULT, rho=0.0, unc=3.0, shock=15.0),  # wide: some years lose everything, the floor binds
        replace(DEFAULT, rho=1.0, base=2022),
        replace(DEFAULT, unc=0.0),
    ],
)
def test_kept_mixed_draws_give_the_unkept_result_bit_for_bit(sc, monkeypatch):
    # A simulation small enough starts from the draws mixed once per correlation, and skips the
    # floor when no factor can reach it; a larger one mixes afresh and always applies the floor.
    mrisk.clear_draws_cache()
    kept = mrisk.simulate_totals(PLAN, sc, n=3_000, seed=9)
    assert len(mrisk._mixed_cache) == 1
    monkeypatch.setattr(mrisk, "MIXED_CACHE_NUMBERS", 0)
    mrisk.clear_draws_cache()
    unkept = mrisk.simulate_totals(PLAN, sc, n=3_000, seed=9)
    assert not mrisk._mixed_cache
    mrisk.clear_draws_cache()
    np.testing.assert_array_equal(kept, unkept)


def test_the_mixed_draws_cache_is_bounded():
    mrisk.clear_draws_cache()
    for rho in (0.1, 0.2, 0.3, 0.4):
        model.simulate(PLAN, replace(DEFAULT, rho=rho), n=1_000, seed=1)
    assert [key[-1] for key in mrisk._mixed_cache] == [0.3, 0.4]  # the latest correlations
    model.simulate(PLAN, DEFAULT, n=50_000, seed=1)  # larger than the cache keeps: not kept
    assert [key[-1] for key in mrisk._mixed_cache] == [0.3, 0.4]
    mrisk.clear_draws_cache()
