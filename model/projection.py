"""The deterministic projection (docs/design.md, "The model").

V[s,t] = B[s] * (1 + g[s]/100)^(t-b) * m[t], with the post-COVID multiplier
m[t] = 1 - (k/100) * (p/100 + (1 - p/100) * f[t]) for t >= sy, m[t] = 1 before sy;
f[t] = max(0, 1 - (t-sy)/R) for R >= 1, f[t] = 1 for R = 0 (never recovers).
k: the shock (%), p: its permanent share (%), R: years to recover, sy: the shock year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from model.plan import Plan
from model.scenario import Scenario

# Comparisons with the target are made at this precision (million USD): figures are
# shown to 0.1 and a plan's base values carry 0.01, so finer differences are noise.
TARGET_TOLERANCE_MUSD = 0.005


def reaching_total(target: float) -> float:
    """The smallest total that reaches `target`: every verdict, the record's crossing, the
    simulation's probability and goal seek compare with this one number, so that no page
    calls reached what another says still needs more growth. (A recorded upper bound must lie
    above the target itself, model.record._passes: the real figure is below the bound.)"""
    return target - TARGET_TOLERANCE_MUSD


@dataclass(frozen=True)
class Projection:
    totals: pd.Series  # index: years b..H; million USD
    by_sector: pd.DataFrame  # index: years b..H; one column per sector id
    target: float
    target_year: int
    base_year: int
    reachable: bool
    gap_musd: float  # V_Y - T (negative: shortfall)
    gap_pct: float  # gap as percent of T
    year_reached: int | None  # first year in (b, H] with V_t >= T
    implied_cagr_pct: float
    required_cagr_pct: float
    required_path: pd.Series  # V_b grown at the required rate from b to Y: the path that just reaches T in Y
    contributions: pd.Series  # V_s,Y - B_s per sector: each sector's part of the increase

    @property
    def target_year_total(self) -> float:
        return float(self.totals[self.target_year])


def years(sc: Scenario) -> np.ndarray:
    return np.arange(sc.base, sc.h + 1)


def shock_multipliers(sc: Scenario) -> np.ndarray:
    """m_t for t = b..H: 1 before the shock year; from it, the shock's temporary part fades
    linearly over `rec` years (never, for rec = 0) and its permanent part stays. Read-only:
    remembered for each shock (goal seek asks for the same one a hundred times a run)."""
    return _shock_multipliers(sc.base, sc.h, sc.sy, sc.rec, sc.shock, sc.perm)


@lru_cache(maxsize=256)
def _shock_multipliers(base: int, h: int, sy: int, rec: int, shock: float, perm: float) -> np.ndarray:
    t = np.arange(base, h + 1)
    start = max(sy, base + 1)  # the base year is data: it is never shocked
    hit = t >= start
    if rec == 0:
        fade = np.where(hit, 1.0, 0.0)
    else:
        fade = np.where(hit, np.clip(1.0 - (t - start) / rec, 0.0, 1.0), 0.0)
    lasting = perm / 100.0
    m = 1.0 - (shock / 100.0) * np.where(hit, lasting + (1.0 - lasting) * fade, 0.0)
    m.flags.writeable = False
    return m


def base_vector(plan: Plan, sc: Scenario) -> np.ndarray:
    values = plan.base_values(sc.base)
    return np.array([values[sid] for sid in plan.sector_ids])


def growth_vector(plan: Plan, sc: Scenario) -> np.ndarray:
    growth = sc.growth_map
    return np.array([growth.get(sid, plan.sector(sid).growth_pct) for sid in plan.sector_ids])


def sector_values(base: np.ndarray, growth_pct: np.ndarray, sc: Scenario) -> np.ndarray:
    """Array [years, sectors] of projected values."""
    steps = (years(sc) - sc.base)[:, None]
    return base[None, :] * (1.0 + growth_pct[None, :] / 100.0) ** steps * shock_multipliers(sc)[:, None]


def target_year_total(base: np.ndarray, growth_pct: np.ndarray, sc: Scenario) -> float:
    """V_Y alone: the quantity goal seek and sensitivity vary."""
    m = shock_multipliers(sc)[sc.ty - sc.base]
    return float(np.sum(base * (1.0 + growth_pct / 100.0) ** (sc.ty - sc.base)) * m)


def cagr_pct(start: float, end: float, n_years: int) -> float:
    if start <= 0 or end < 0 or n_years <= 0:
        return float("nan")
    return ((end / start) ** (1.0 / n_years) - 1.0) * 100.0


def project(plan: Plan, sc: Scenario) -> Projection:
    base = base_vector(plan, sc)
    values = sector_values(base, growth_vector(plan, sc), sc)
    idx = pd.Index(years(sc), name="year")
    by_sector = pd.DataFrame(values, index=idx, columns=list(plan.sector_ids))
    totals = by_sector.sum(axis=1).rename("total")
    n = sc.ty - sc.base
    total = totals.to_numpy()  # by position (year - base): pandas' selections cost more than the rest
    v_b, v_y = float(total[0]), float(total[n])
    reached = np.flatnonzero(total[1:] >= reaching_total(sc.target))  # years after the base
    required = cagr_pct(v_b, sc.target, n)
    steps = np.arange(n + 1)  # to the target year only: beyond it no path is "required"
    required_path = pd.Series(v_b * (1.0 + required / 100.0) ** steps, index=idx[: n + 1], name="required")
    gap = v_y - sc.target
    return Projection(
        totals=totals, by_sector=by_sector, target=sc.target, target_year=sc.ty, base_year=sc.base,
        reachable=v_y >= reaching_total(sc.target), gap_musd=gap, gap_pct=gap / sc.target * 100.0,
        year_reached=sc.base + 1 + int(reached[0]) if len(reached) else None,
        implied_cagr_pct=cagr_pct(v_b, v_y, n), required_cagr_pct=required,
        required_path=required_path,
        contributions=pd.Series(values[n] - values[0], index=by_sector.columns, name="contribution"),
    )  # fmt: skip


def sector_summary(proj: Projection) -> pd.DataFrame:
    """Per sector, then a 'total' row: base value, base share (%), target-year value, contribution."""
    values = proj.by_sector.to_numpy()  # by position (year - base), as project reads it
    base = values[0]
    columns = {
        "base_musd": base,
        "share_pct": base / base.sum() * 100.0,
        "target_year_musd": values[proj.target_year - proj.base_year],
        "contribution_musd": proj.contributions.to_numpy(),
    }
    # Made whole, the totals included, as one block of numbers: appending a row to a frame
    # cost three times the rest, and a frame of separate columns twice this one.
    table = np.array([[*column, column.sum()] for column in columns.values()]).T
    return pd.DataFrame(table, index=[*proj.by_sector.columns, "total"], columns=list(columns))
