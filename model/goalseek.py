"""What would it take: the growth that makes the target-year total reach the target."""

from __future__ import annotations

import math
from collections.abc import Callable

from model.plan import GROWTH_RANGE, Plan
from model.projection import base_vector, growth_vector, reaching_total, target_year_total
from model.scenario import Scenario

UPLIFT_RANGE_PP = (-60.0, 60.0)
LARGEST_CUT_PP = -UPLIFT_RANGE_PP[0]  # the most every sector's growth is lowered in a search
# One sector's search: from the slider's lowest rate, so that "reached at any rate" means any
# rate a user can set, to well beyond its highest, so that the page can say how far beyond
# the slider a need lies.
SECTOR_GROWTH_RANGE_PCT = (GROWTH_RANGE[0], 100.0)


def _root(f: Callable[[float], float], low: float, high: float) -> float | None:
    """The x in [low, high] with f(x) = 0 for an increasing f, or None where there is none."""
    f_low, f_high = f(low), f(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if f_low > 0 or f_high < 0:
        return None
    from scipy.optimize import brentq  # imported on first use: it costs a fresh server ~0.25 s

    return float(brentq(f, low, high, xtol=1e-9))


# The searches solve V_Y = reaching_total(T), the smallest total the verdict calls reached
# (T less a rounding tolerance): a scenario the Overview calls reached never needs more.


def _uplift_gap(plan: Plan, sc: Scenario) -> Callable[[float], float]:
    """V_Y - reaching_total(T) with `u` points added to every sector's growth: increasing in u."""
    base, growth, reached = base_vector(plan, sc), growth_vector(plan, sc), reaching_total(sc.target)
    return lambda u: target_year_total(base, growth + u, sc) - reached


def _sector_gap(plan: Plan, sc: Scenario, sector: str) -> Callable[[float], float]:
    """V_Y - reaching_total(T) with `sector`'s growth set to g (the others as set): increasing in g."""
    j = plan.sector_ids.index(sector)
    base, growth, reached = base_vector(plan, sc), growth_vector(plan, sc), reaching_total(sc.target)

    def gap(g_j: float) -> float:
        trial = growth.copy()
        trial[j] = g_j
        return target_year_total(base, trial, sc) - reached

    return gap


def required_uplift_pp(plan: Plan, sc: Scenario) -> float | None:
    """Percentage points added to every sector's growth so that V_Y just reaches T (None: none in
    UPLIFT_RANGE_PP; uplift_reaches_anyway tells which way it fails)."""
    return _root(_uplift_gap(plan, sc), *UPLIFT_RANGE_PP)


def uplift_reaches_anyway(plan: Plan, sc: Scenario) -> bool:
    """The target is reached even with the largest cut tried (UPLIFT_RANGE_PP's low end)."""
    return _uplift_gap(plan, sc)(UPLIFT_RANGE_PP[0]) >= 0


def required_sector_growth_pct(plan: Plan, sc: Scenario, sector: str) -> float | None:
    """Growth of `sector` alone (others as set) so that V_Y just reaches T; None: none in
    SECTOR_GROWTH_RANGE_PCT (sector_reaches_anyway tells which way it fails)."""
    if base_vector(plan, sc)[plan.sector_ids.index(sector)] <= 0:
        return None
    return _root(_sector_gap(plan, sc, sector), *SECTOR_GROWTH_RANGE_PCT)


def sector_reaches_anyway(plan: Plan, sc: Scenario, sector: str) -> bool:
    """The target is reached even with `sector` alone at the lowest growth tried: no growth
    of it can undo what the others reach (a sector with no base value never changes V_Y)."""
    return _sector_gap(plan, sc, sector)(SECTOR_GROWTH_RANGE_PCT[0]) >= 0


def round_up(value: float, step: float = 0.1) -> float:
    """Round up to the slider's step, so that an applied goal-seek result still reaches T."""
    return round(math.ceil(round(value / step, 9)) * step, 10)


def growth_with_uplift(sc: Scenario, uplift_pp: float, step: float = 0.1) -> dict[str, float]:
    """Each sector's growth plus the uplift, rounded up to the slider's step."""
    return {sid: round_up(g + uplift_pp, step) for sid, g in sc.growth}
