"""How sure we are (Monte Carlo) and which sectors matter (sensitivity).

Common random numbers: the simulation's standard normals depend only on (seed, paths,
years, sectors), never on the growth, shock or uncertainty settings. They are drawn once
and kept in a small cache, so moving a slider is arithmetic on the same draws: fast, and
every path moves smoothly and monotonically with the sliders (raising a sector's growth
never lowers any path). A cached draw is the same array a fresh draw would give, so the
results do not depend on what was computed before. The draws mixed for one correlation
are kept too (the correlation slider alone changes them).

Memory is bounded: a simulation holds paths x years x (sectors + 1) normals, at most
MAX_SIMULATION_NUMBERS of them. Over that, fewer paths are simulated and the result says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from model.plan import Plan
from model.projection import (
    base_vector,
    growth_vector,
    reaching_total,
    shock_multipliers,
    target_year_total,
)
from model.scenario import Scenario

QUANTILES = {"p10": 0.10, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p90": 0.90}
# The tornado's growth changes to choose from: half a point to ten points, by half points.
TORNADO_STEPS_PP = tuple(k / 2 for k in range(1, 21))
MIN_GROWTH_PCT = -99.0  # a year cannot lose more than everything

# At most this many standard normals per simulation (paths x years x (sectors + 1)): 48 MB
# as float64; a run adds the totals and a year's working arrays (paths x sectors, a few MB
# at most), as it computes a year at a time. It is the largest simulation the bundled
# plans offer: 50,000 paths x 10 years x (11 sectors + 1 common factor). A 40-sector plan
# gets 14,634 paths at most over 10 years; a plan of thousands of sectors a few hundred,
# never gigabytes.
MAX_SIMULATION_NUMBERS = 6_000_000
# Cached draws: a few scenarios' worth (the default one is 1.3 million numbers, 10 MB),
# never more numbers in all than one maximal simulation.
DRAWS_CACHE_ENTRIES = 4
# The draws mixed for one correlation (see _mixed): kept for the two latest correlations
# while they hold at most half a maximal simulation (24 MB; the default one is 9 MB). A
# larger simulation mixes its draws afresh a year at a time, so its peak memory stays that
# of the draws and a year's working arrays.
MIXED_CACHE_ENTRIES = 2
MIXED_CACHE_NUMBERS = MAX_SIMULATION_NUMBERS // 2
REDUCED_MEMORY = "memory_budget"  # why a result has fewer paths than asked (its message: risk.reduced)


@dataclass(frozen=True)
class RiskResult:
    probability: float  # share of paths with V_Y >= T
    target_year_values: np.ndarray  # V_Y of every path (read-only)
    n: int  # paths actually simulated
    seed: int
    years: range  # b..H
    # The quantiles of the years with a record (the backtest's band, which every Overview
    # shows), taken with the paths; every year's are taken when first asked for (`quantiles`),
    # by simulating the same paths again (`paths`, which holds the plan and the scenario): a
    # result keeps no paths, as the app keeps dozens of results (shared, and one in each
    # session), and a year's quantiles cost a partial sort of its paths (0.25 ms by default),
    # so taking all eleven years on every slider move cost the Overview 2.6 ms.
    recorded: Mapping[int, np.ndarray] = field(repr=False, compare=False)
    paths: Callable[[], np.ndarray] = field(repr=False, compare=False)
    n_requested: int = 0  # paths asked for (0: as many as simulated)
    reduced_reason: str | None = None  # REDUCED_MEMORY when fewer than asked were simulated
    # Every year's table once taken. A dict, not a cached_property, whose lock (Python 3.11)
    # is one for every result: a session's first Risk page would wait for another's.
    _table: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def quantiles(self) -> pd.DataFrame:
        """Index years b..H; columns p10, p25, p50, p75, p90 (QUANTILES)."""
        if "all" not in self._table:  # two sessions asking at once both take the same numbers
            totals = self.paths()
            rows = [self.recorded.get(y) for y in self.years]
            rows = [_quantiles(totals[i]) if row is None else row for i, row in enumerate(rows)]
            index = pd.Index(self.years, name="year")
            self._table["all"] = pd.DataFrame(np.array(rows), index=index, columns=list(QUANTILES))
        return self._table["all"]

    def year_quantiles(self, year: int) -> dict[str, float]:
        """One year's quantiles (that year's row of `quantiles`): a year with a record without
        simulating again. KeyError for a year outside b..H."""
        if year not in self.years:
            raise KeyError(year)
        row = self.recorded[year] if year in self.recorded else self.quantiles.loc[year].to_numpy()
        return dict(zip(QUANTILES, row.tolist(), strict=True))

    @property
    def reduced(self) -> bool:
        return self.reduced_reason is not None

    @property
    def paths_reaching(self) -> int:
        return int(round(self.probability * self.n))

    @property
    def probability_error_pp(self) -> float:
        """The simulation's standard error of the probability, in percentage points."""
        return float(np.sqrt(self.probability * (1.0 - self.probability) / self.n) * 100.0)

    @property
    def probability_bound_pp(self) -> float:
        """When no path reaches the target (or every path does) the standard error is zero,
        though n paths cannot show a probability of exactly 0 (or 1): the model's probability
        is then below this many points (above 100 less it) at 95% confidence, the exact
        one-sided bound for none of n, 1 - 0.05^(1/n) (about 3/n, the "rule of three")."""
        return float((1.0 - 0.05 ** (1.0 / self.n)) * 100.0)


# --- the random numbers: drawn once per (seed, paths, years, sectors) ---------------------

_draws: OrderedDict[tuple[int, int, int, int], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_draws_lock = threading.Lock()  # sessions run in threads


def paths_within_budget(n: int, n_years: int, n_sectors: int) -> int:
    """The paths a simulation may have: n, or fewer if n would exceed MAX_SIMULATION_NUMBERS."""
    per_path = n_years * (n_sectors + 1)  # one normal per sector and year, and the common one
    fitting = MAX_SIMULATION_NUMBERS // per_path
    if fitting < 1:
        raise ValueError(f"one path of {n_years} years x {n_sectors} sectors exceeds the simulation's memory budget")
    return min(n, fitting)


def standard_normals(seed: int, n: int, n_years: int, n_sectors: int) -> tuple[np.ndarray, np.ndarray]:
    """The normals of a simulation, read-only, year by year: per sector [years, sectors, n],
    common [years, 1, n]. Drawn as [n, years, sectors] (the order the generator fills them)
    and laid out by year and sector, so that each year's factors are one block in memory
    and a sector's paths one row (numpy's loops then run along rows of n, not of a dozen).

    From the cache when the same four were asked for recently, else drawn (and cached)."""
    key = (seed, n, n_years, n_sectors)
    with _draws_lock:
        if key in _draws:
            _draws.move_to_end(key)
            return _draws[key]
    # Drawn outside the lock: two sessions asking at once both draw, the same numbers.
    rng = np.random.default_rng(seed)
    own = np.ascontiguousarray(rng.standard_normal((n, n_years, n_sectors)).transpose(1, 2, 0))
    common = np.ascontiguousarray(rng.standard_normal((n, n_years, 1)).transpose(1, 2, 0))
    own.flags.writeable = common.flags.writeable = False  # shared by every later run
    with _draws_lock:
        _draws[key] = (own, common)
        while len(_draws) > DRAWS_CACHE_ENTRIES or _cached_numbers() > MAX_SIMULATION_NUMBERS:
            _draws.popitem(last=False)
    return own, common


def _cached_numbers() -> int:
    return sum(own.size + common.size for own, common in _draws.values())


def clear_draws_cache() -> None:
    with _draws_lock:
        _draws.clear()
        _mixed_cache.clear()


def _mix(own: np.ndarray, common: np.ndarray, rho: float) -> np.ndarray:
    """sqrt(1-rho)*own + sqrt(rho)*common, as a new array."""
    mixed = np.multiply(own, np.sqrt(1.0 - rho))
    mixed += np.sqrt(rho) * common
    return mixed


_mixed_cache: OrderedDict[tuple[int, int, int, int, float], tuple[np.ndarray, np.ndarray]] = OrderedDict()


def _mixed(seed: int, n: int, n_years: int, n_sectors: int, rho: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The draws mixed for correlation rho, sqrt(1-rho)*own + sqrt(rho)*common [years,
    sectors, n], and each sector's smallest mixed number; None when too large to keep.

    Only rho mixes the draws, and it rarely moves: a growth or uncertainty slider's run then
    starts from this array instead of combining the two draws again (two passes over a
    million numbers). Mixed by _mix, as a simulation too large to keep is, so results are
    the same bits."""
    key = (seed, n, n_years, n_sectors, rho)
    with _draws_lock:
        if key in _mixed_cache:
            _mixed_cache.move_to_end(key)
            return _mixed_cache[key]
    if n * n_years * n_sectors > MIXED_CACHE_NUMBERS:
        return None
    mixed = _mix(*standard_normals(seed, n, n_years, n_sectors), rho)
    lowest = mixed.min(axis=(0, 2))
    mixed.flags.writeable = lowest.flags.writeable = False
    with _draws_lock:
        _mixed_cache[key] = (mixed, lowest)
        while (
            len(_mixed_cache) > MIXED_CACHE_ENTRIES
            or sum(m.size for m, _ in _mixed_cache.values()) > MIXED_CACHE_NUMBERS
        ):
            _mixed_cache.popitem(last=False)
    return mixed, lowest


# --- the simulation ------------------------------------------------------------------------


def simulate_totals(plan: Plan, sc: Scenario, n: int, seed: int) -> np.ndarray:
    """Array [paths, years b..H] of simulated totals; paths: n, or fewer within the memory budget.

    Each year's growth of sector s is g_s + sigma_s*u*(sqrt(rho)*Z_t + sqrt(1-rho)*eps_s,t).
    """
    return _totals_by_year(plan, sc, n, seed).T


def _totals_by_year(plan: Plan, sc: Scenario, n: int, seed: int) -> np.ndarray:
    """Array [years b..H, paths] of simulated totals (each year's values contiguous)."""
    n_years = sc.h - sc.base
    base = base_vector(plan, sc)
    growth = growth_vector(plan, sc)
    sigma = np.array([s.volatility_pp for s in plan.sectors]) * sc.unc
    n = paths_within_budget(n, n_years, len(base))
    scale, shift = (sigma / 100.0)[:, None], (1.0 + growth / 100.0)[:, None]  # a sector's row of paths
    floor = 1.0 + MIN_GROWTH_PCT / 100.0
    if (kept := _mixed(seed, n, n_years, len(base), sc.rho)) is not None:
        mixed, lowest = kept
        # The same operations on each sector's smallest draw give its smallest factor
        # (rounding is monotonic): when none is below the floor, the floor changes nothing.
        clip = bool(np.any(scale < 0) or np.any(lowest[:, None] * scale + shift < floor))
    else:
        own, common = standard_normals(seed, n, n_years, len(base))
        clip = True
    totals = np.empty((n_years + 1, n))
    totals[0] = base.sum()
    # Year by year, a sector's paths a row: a year's factors (under a megabyte by default)
    # stay in the processor's cache through scaling, the floor, the running product and the
    # sum over sectors, and each numpy loop runs along a row of paths. (The sum's rounding
    # follows BLAS for this layout: totals may differ from a path-by-path sum in the last
    # bit, a relative 1e-13, far below the 0.1 million USD the app shows.)
    work, level = np.empty((len(base), n)), None
    for t in range(n_years):
        if kept is not None:
            factor = np.multiply(mixed[t], scale, out=work)
        else:  # mixed a year at a time: no array of every year's mixed draws beside the draws
            factor = _mix(own[t], common[t], sc.rho)
            factor *= scale
        factor += shift
        if clip:
            np.maximum(factor, floor, out=factor)
        # The running product: each path's growth since the base year (the first year's
        # factors themselves, not 1 x them: the same numbers without an array of ones).
        if level is None:
            level = factor.copy()
        else:
            level *= factor
        np.matmul(base, level, out=totals[t + 1])
    totals *= shock_multipliers(sc)[:, None]
    return totals


def simulate(plan: Plan, sc: Scenario, n: int = 10_000, seed: int | None = None) -> RiskResult:
    seed = sc.seed if seed is None else seed
    totals = _totals_by_year(plan, sc, n, seed)
    used = totals.shape[1]
    final = totals[sc.ty - sc.base].copy()  # a copy: the result keeps one year, not all
    final.flags.writeable = False  # results are shared between sessions (the app caches them)
    probability = float(np.mean(final >= reaching_total(sc.target)))
    reason = REDUCED_MEMORY if used < n else None
    # The same draws give the same paths: from the cache, or drawn afresh, bit for bit.
    paths = partial(_totals_by_year, plan, sc, n, seed)
    recorded = {y: _quantiles(totals[y - sc.base]) for y in plan.actual_totals() if sc.base < y <= sc.h}
    return RiskResult(probability, final, used, seed, range(sc.base, sc.h + 1), recorded, paths,
                      n_requested=n, reduced_reason=reason)  # fmt: skip


def _quantiles(paths: np.ndarray) -> np.ndarray:
    """QUANTILES of one year's paths, in their order (numpy's, as for a whole table); read-only,
    as results are shared between sessions."""
    q = np.quantile(paths, list(QUANTILES.values()))
    q.flags.writeable = False
    return q


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
