"""Calibrated to the record: the growth uplift u and uncertainty multiplier m that make the
recorded totals most likely under the model's own Monte Carlo.

Each year, sector s grows g_s + u + sigma_s*m*(sqrt(rho)*Z_t + sqrt(1-rho)*eps_s,t) percent
(model/risk.py with u added and unc = m), and the shock multiplier m_t of the projection
scales the total. Given the sector values in year t0, the total k years later, before the
shock, is sum_s V_s,t0 * prod_j (1 + G_s,j/100) with mean and covariance in closed form
(independent years):

    E[X_s] = A_s^k,  E[X_s X_r] = (A_s A_r + c_sr)^k,  A_s = 1 + (g_s+u)/100,
    c_sr = (m/100)^2 sigma_s sigma_r (rho + (1-rho)[s = r]).

For k = 1 the total's growth has mean sum_s w_s (g_s+u) and variance
m^2 [rho (sum_s w_s sigma_s)^2 + (1-rho) sum_s w_s^2 sigma_s^2] (points squared), with w_s
the sector shares. The likelihood treats that total as normal (it is a sum of products of
normals; normal is exact for k = 1 and close for a few years).

What each year is conditioned on: the previous recorded year's total (the record itself,
divided by its shock multiplier) split into sectors by the model's own shares on the
projected path with uplift u. Conditioning on the record makes the years' terms one-step
prediction errors, independent of each other, so the log-likelihood is their sum;
conditioning on the projected path instead would count the first year's surprise again in
every later year. The shares come from the model because the records are totals only. The
first year is conditioned on the base year's sector values (data). A missing record is a gap
of k > 1 years, compounded as above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from model.params import BY_KEY
from model.plan import GROWTH_RANGE, Plan
from model.projection import base_vector, growth_vector, shock_multipliers
from model.risk import simulate
from model.scenario import Scenario

# u within ±30 points: a sector's growth slider runs from -30% to 50%, so a larger uplift
# would push the default sectors (1.7-13.3% a year) out of the range a scenario can carry,
# and no recorded year of the province or the nationwide series moved that far from trend.
UPLIFT_BOUNDS_PP = (-30.0, 30.0)
# m within the scenario's allowed range (0-3), so the result is a scenario a link can carry.
# The lower end is the smallest positive value a link holds (2 decimals): at m = 0 the model
# allows no deviation at all and the likelihood of any record off the path is zero.
UNC_BOUNDS = (0.01, float(BY_KEY["unc"].high))  # type: ignore[arg-type]
# Two parameters need at least two records: with one, u matches it exactly and the
# likelihood grows without bound as m goes to 0.
MIN_RECORDS = 2
_CACHE_SIZE = 32


@dataclass(frozen=True)
class Calibration:
    """A fit of (u, m) to the recorded totals after the base year.

    Standard errors come from the inverse of the numerical Hessian of the log-likelihood
    at the optimum (the observed information); nan for a parameter on its bound (the other's
    is then conditional on it) or where the Hessian is not positive definite. Coverage is counted on `scenario(sc)` with the
    scenario's own paths and seed.
    """

    uplift_pp: float  # u: points added to every sector's growth
    unc: float  # m: the uncertainty multiplier (the scenario's `unc`)
    log_likelihood: float  # of the records in million USD, each given the previous record
    uplift_se_pp: float
    unc_se: float
    years: tuple[int, ...]  # the recorded years fitted
    inside: int  # of those, records inside the calibrated P10-P90 band
    n: int  # len(years)

    def scenario(self, sc: Scenario) -> Scenario:
        """`sc` with the fitted u and m, rounded and clamped as a link carries them."""
        growth = {sid: min(max(round(g + self.uplift_pp, 1), GROWTH_RANGE[0]), GROWTH_RANGE[1]) for sid, g in sc.growth}
        return replace(sc.with_growth(growth), unc=round(self.unc, 2))


def calibrate(plan: Plan, sc: Scenario) -> Calibration | None:
    """Fit u and m by maximum likelihood to the recorded totals in (sc.base, sc.h].

    Everything else comes from `sc` (sector growth, rho, the shock; sc.unc is replaced by m).
    None when there is nothing to fit: fewer than MIN_RECORDS usable records (positive
    finite totals in a year with a positive shock multiplier), or a model without any
    volatility (no likelihood to maximise).
    Cached on the plan's fingerprint and the scenario fields the fit depends on.
    """
    return _calibrate_cached(_PlanKey(plan.fingerprint, plan), _fit_key(sc))


def _fit_key(sc: Scenario) -> Scenario:
    """`sc` with the fields the fit does not read set to fixed values (new fields stay in the key)."""
    return replace(sc, unc=1.0, ty=sc.h, target=1.0, lang="vi")


@dataclass(frozen=True)
class _PlanKey:
    fingerprint: str
    plan: Plan = field(compare=False, hash=False)  # equal fingerprints, equal plans


@lru_cache(maxsize=_CACHE_SIZE)
def _calibrate_cached(key: _PlanKey, sc: Scenario) -> Calibration | None:
    problem = _Problem.build(key.plan, sc)
    optimum = problem.fit() if problem is not None else None
    if problem is None or optimum is None:
        return None
    u, m, loglik, (se_u, se_m) = optimum
    fitted = Calibration(u, m, loglik, se_u, se_m, problem.years, 0, len(problem.years))
    risk = simulate(key.plan, fitted.scenario(sc), n=sc.n, seed=sc.seed)
    bands = [risk.year_quantiles(year) for year in problem.years]
    low, high = (np.array([band[q] for band in bands]) for q in ("p10", "p90"))
    inside = int(np.sum((low <= problem.records) & (problem.records <= high)))
    return replace(fitted, inside=inside)


@dataclass(frozen=True, eq=False)
class _Problem:
    """The records and the model's fixed inputs: the log-likelihood as a function of (u, m)."""

    base: np.ndarray  # sector values in the base year
    growth: np.ndarray  # g_s, points
    sigma: np.ndarray  # sigma_s, points
    rho: float
    years: tuple[int, ...]  # the records' years
    records: np.ndarray  # the recorded totals, million USD
    shock: np.ndarray  # the shock multiplier of each record's year
    levels: np.ndarray  # records / shock: the totals before the shock
    prev_offsets: np.ndarray  # years from the base to the year each record is conditioned on
    prev_levels: np.ndarray  # that year's total before the shock (the base total first)
    gaps: np.ndarray  # years between the two: 1, or more after a missing record

    @classmethod
    def build(cls, plan: Plan, sc: Scenario) -> _Problem | None:
        mult = shock_multipliers(sc)
        usable = [
            (year, actual.value_musd) for year, actual in sorted(plan.actual_totals().items())
            if sc.base < year <= sc.h and 0 < actual.value_musd < math.inf and mult[year - sc.base] > 0
        ]  # fmt: skip
        sigma = np.array([s.volatility_pp for s in plan.sectors], dtype=float)
        base = base_vector(plan, sc)
        if len(usable) < MIN_RECORDS or not np.any((sigma > 0) & (base > 0)):
            return None
        offsets = np.array([year - sc.base for year, _ in usable])
        records = np.array([value for _, value in usable], dtype=float)
        levels = records / mult[offsets]
        prev_offsets = np.concatenate([[0], offsets[:-1]])
        return cls(
            base=base, growth=growth_vector(plan, sc), sigma=sigma, rho=sc.rho,
            years=tuple(year for year, _ in usable), records=records, shock=mult[offsets], levels=levels,
            prev_offsets=prev_offsets, prev_levels=np.concatenate([[base.sum()], levels[:-1]]),
            gaps=offsets - prev_offsets,
        )  # fmt: skip

    def log_likelihood(self, u: float, m: float) -> float:
        # The simulation's floor (no year loses more than 99%) is left out: it cannot bind for
        # growth within the sliders' range (>= -30%) plus u >= -30 points.
        growth = self.growth + u
        paths = self.base[None, :] * (1.0 + growth / 100.0) ** self.prev_offsets[:, None]  # the model's path
        shares = paths / paths.sum(axis=1, keepdims=True)
        mean, var = np.empty(len(self.levels)), np.empty(len(self.levels))
        for k in np.unique(self.gaps):
            rows = self.gaps == k
            mean[rows], var[rows] = step_moments(shares[rows], growth, self.sigma * m, self.rho, int(k))
        if not np.all(var > 0.0):
            return -math.inf
        mean, var = mean * self.prev_levels, var * self.prev_levels**2
        # the density of the records themselves (million USD), hence the log of the multiplier
        terms = -0.5 * (np.log(2.0 * math.pi * var) + (self.levels - mean) ** 2 / var) - np.log(self.shock)
        return float(terms.sum())

    def fit(self) -> tuple[float, float, float, tuple[float, float]] | None:
        """(u, m, log-likelihood, (se_u, se_m)) at the maximum within the bounds; None where the
        model gives the records no likelihood anywhere (no variance left on the path).

        Maximised by profile: for each u the best m (Brent's bounded method), then the best u
        on that profile, first on a coarse grid and then by Brent's method around the grid's
        best point. A two-dimensional simplex (Nelder-Mead) was tried and stuck on the m = 3
        bound on simulated records; the profile cannot, as each one-dimensional search is
        bracketed. The grid guards against a second local maximum in u.
        """
        from scipy.optimize import minimize_scalar  # imported on first use: it costs a fresh server ~0.25 s

        def best_m(u: float) -> tuple[float, float]:
            result = minimize_scalar(
                lambda m: self._objective(u, m), bounds=UNC_BOUNDS, method="bounded", options={"xatol": 1e-7}
            )
            return float(result.x), float(result.fun)

        grid = np.linspace(*UPLIFT_BOUNDS_PP, _GRID_POINTS)
        start = int(np.argmin([best_m(float(u))[1] for u in grid]))
        bracket = (float(grid[max(start - 1, 0)]), float(grid[min(start + 1, len(grid) - 1)]))
        outer = minimize_scalar(lambda u: best_m(u)[1], bounds=bracket, method="bounded", options={"xatol": 1e-6})
        u = float(outer.x)
        m, value = best_m(u)
        if not value < _NO_LIKELIHOOD:
            return None
        return u, m, -value, self._standard_errors(u, m)

    def _objective(self, u: float, m: float) -> float:
        value = self.log_likelihood(u, m)
        return -value if math.isfinite(value) else _NO_LIKELIHOOD

    def _standard_errors(self, u: float, m: float) -> tuple[float, float]:
        x, bounds = np.array([u, m]), (UPLIFT_BOUNDS_PP, UNC_BOUNDS)
        steps = np.array([1e-3, 1e-4 * max(m, UNC_BOUNDS[0])])
        free = [i for i in range(2) if bounds[i][0] + 10 * steps[i] < x[i] < bounds[i][1] - 10 * steps[i]]
        se = [math.nan, math.nan]
        if not free:
            return se[0], se[1]
        hess = _hessian(lambda p: -self.log_likelihood(float(p[0]), float(p[1])), x, steps)[np.ix_(free, free)]
        if not np.all(np.isfinite(hess)) or np.any(np.linalg.eigvalsh(hess) <= 0):
            return se[0], se[1]
        for i, var in zip(free, np.diag(np.linalg.inv(hess)), strict=True):
            se[i] = math.sqrt(var)
        return se[0], se[1]


_GRID_POINTS = 13  # u every 5 points over ±30; the best point's neighbours bracket the maximum
_NO_LIKELIHOOD = 1e300  # the objective where the likelihood is zero (finite: the searches compare values)


def step_moments(
    shares: np.ndarray, growth_pct: np.ndarray, sigma_pp: np.ndarray, rho: float, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of the total's ratio over k years, given the sector shares at the start.

    Sector s's factor over the k years is the product of k independent (1 + G_s,j/100), so
    E = A_s^k and E[X_s X_r] = (A_s A_r + c_sr)^k (see the module docstring). `shares` is
    [sectors] or [cases, sectors]; the result has its leading shape.
    """
    a = 1.0 + growth_pct / 100.0
    s = sigma_pp / 100.0
    cov = np.outer(s, s) * rho + np.diag(s * s) * (1.0 - rho)
    aa = np.outer(a, a)
    second = (aa + cov) ** k - aa**k
    return shares @ a**k, np.einsum("...s,sr,...r->...", shares, second, shares)


def _hessian(f, x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of f at x."""
    n = len(x)
    out = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.eye(n)[i] * steps[i], np.eye(n)[j] * steps[j]
            value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * steps[i] * steps[j])
            out[i, j] = out[j, i] = value
    return out
