"""How sure we are (Monte Carlo) and which sectors matter (sensitivity)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.plan import Plan
from model.projection import (
    TARGET_TOLERANCE_MUSD,
    base_vector,
    growth_vector,
    shock_multipliers,
    target_year_total,
    years,
)
from model.scenario import Scenario

QUANTILES = {"p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90}
MIN_GROWTH_PCT = -99.0  # a year cannot lose more than everything


@dataclass(frozen=True)
class RiskResult:
    probability: float  # share of paths with V_Y >= T
    quantiles: pd.DataFrame  # index years b..H; columns p10, p25, p50, p75, p90
    target_year_values: np.ndarray  # V_Y of every path
    n: int
    seed: int

    @property
    def paths_reaching(self) -> int:
        return int(round(self.probability * self.n))

    @property
    def probability_error_pp(self) -> float:
        """The simulation's standard error of the probability, in percentage points."""
        return float(np.sqrt(self.probability * (1.0 - self.probability) / self.n) * 100.0)


def simulate_totals(plan: Plan, sc: Scenario, n: int, seed: int) -> np.ndarray:
    """Array [paths, years b..H] of simulated totals.

    Each year's growth of sector s is g_s + sigma_s*u*(sqrt(rho)*Z_t + sqrt(1-rho)*eps_s,t).
    """
    rng = np.random.default_rng(seed)
    n_years = sc.h - sc.base
    base = base_vector(plan, sc)
    growth = growth_vector(plan, sc)
    sigma = np.array([s.volatility_pp for s in plan.sectors]) * sc.unc
    # One array, updated in place (this is the hot path: ~10^6 numbers per run).
    factors = rng.standard_normal((n, n_years, len(base)))
    common = rng.standard_normal((n, n_years, 1))
    factors *= np.sqrt(1.0 - sc.rho)
    factors += np.sqrt(sc.rho) * common
    factors *= sigma / 100.0
    factors += 1.0 + growth / 100.0
    np.maximum(factors, 1.0 + MIN_GROWTH_PCT / 100.0, out=factors)
    np.cumprod(factors, axis=1, out=factors)
    paths = factors @ base  # [n, years b+1..H]
    totals = np.concatenate([np.full((n, 1), base.sum()), paths], axis=1)
    return totals * shock_multipliers(sc)[None, :]


def simulate(plan: Plan, sc: Scenario, n: int = 10_000, seed: int | None = None) -> RiskResult:
    seed = sc.seed if seed is None else seed
    totals = simulate_totals(plan, sc, n, seed)
    final = totals[:, sc.ty - sc.base]
    q = np.quantile(totals, list(QUANTILES.values()), axis=0).T
    quantiles = pd.DataFrame(q, index=pd.Index(years(sc), name="year"), columns=list(QUANTILES))
    probability = float(np.mean(final >= sc.target - TARGET_TOLERANCE_MUSD))
    return RiskResult(probability, quantiles, final, n, seed)


def tornado(plan: Plan, sc: Scenario, delta_pp: float = 2.0) -> pd.DataFrame:
    """V_Y with each sector's growth lowered and raised by delta_pp, sorted by swing."""
    base, growth = base_vector(plan, sc), growth_vector(plan, sc)
    rows = []
    for j, sid in enumerate(plan.sector_ids):
        low, high = growth.copy(), growth.copy()
        low[j] -= delta_pp
        high[j] += delta_pp
        rows.append({
            "sector": sid,
            "low_musd": target_year_total(base, low, sc),
            "high_musd": target_year_total(base, high, sc),
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=["sector", "low_musd", "high_musd"])
    frame["swing_musd"] = frame["high_musd"] - frame["low_musd"]
    return frame.sort_values("swing_musd", ascending=False, kind="stable").reset_index(drop=True)


def priority_map(plan: Plan, sc: Scenario) -> pd.DataFrame:
    """Per sector: share of the base-year total and the million USD one extra point of
    growth adds to V_Y (others as set), sorted by that effect."""
    base, growth = base_vector(plan, sc), growth_vector(plan, sc)
    v_y = target_year_total(base, growth, sc)
    effects = []
    for j in range(len(base)):
        up = growth.copy()
        up[j] += 1.0
        effects.append(target_year_total(base, up, sc) - v_y)
    frame = pd.DataFrame({
        "sector": list(plan.sector_ids),
        "share_pct": base / base.sum() * 100.0,
        "effect_musd_per_pp": effects,
    })  # fmt: skip
    return frame.sort_values("effect_musd_per_pp", ascending=False, kind="stable").reset_index(drop=True)
