"""Backtest: how good was the plan's view from the base year, judged by the records since.

For each recorded total after the scenario's base year (up to the horizon): the projection,
the record with its status and source, the error (record minus projection, million USD and %
of the projection), and whether the record lies inside the simulated P10-P90 band. The
verdict is data (a grade and a direction); the UI words it in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from model.actuals import TABLE_COLUMNS, actual_rows
from model.plan import Plan
from model.projection import Projection, project
from model.risk import RiskResult, simulate
from model.scenario import Scenario

# Errors within this many percent are within the records' own noise: year-end figures are
# estimates ("nearly 3 billion" is an upper bound) or derived from growth rates rounded to
# 0.1-0.5 points, and their revisions move them by a few percent. Below it the path was
# good, and a mean error this small means the plan was about right, not too low or too high.
NOISE_PCT = 5.0
# A miss above this is about one whole year of the plan's growth (10.5% a year): the plan
# ran a year ahead of or behind reality. Above it the path was poor.
POOR_PCT = 10.0
# The P10-P90 band should hold 8 records in 10. Holding fewer than half is unlikely by
# chance with so few records (4 records, 80% each: P(at most 1 inside) = 2.7%), so the
# band claimed more certainty than it had: the grade drops one step.
MIN_INSIDE_SHARE = 0.5

# One record cannot tell a good view from a lucky one, nor test a band; and a plan whose
# default growth was set from its only record (the merged Hưng Yên's 2025) would grade itself
# "good". Below this many records the verdict gives no grade.
MIN_RECORDS = 2

GRADES = ("good", "fair", "poor", "too_few")
DIRECTIONS = ("too_low", "about_right", "too_high", "mixed")
BACKTEST_COLUMNS = [*TABLE_COLUMNS, "p10_musd", "p90_musd", "inside"]


@dataclass(frozen=True)
class Verdict:
    """How good the plan's view was, as data (the UI words it)."""

    grade: str  # one of GRADES ("too_few": fewer than MIN_RECORDS records)
    # one of DIRECTIONS: the projection was too low (records above it), too high, about
    # right, or mixed: its mean absolute error beyond the noise, and either its misses cancel
    # in the mean error or some years are beyond the noise on each side
    direction: str
    mean_abs_error_pct: float  # mean |record - projection| / projection, %
    mean_error_pct: float  # mean (record - projection) / projection, %: positive = projection too low
    inside: int  # records inside the P10-P90 band
    n: int  # records compared
    band_ok: bool  # at least MIN_INSIDE_SHARE of the records inside the band


@dataclass(frozen=True)
class Backtest:
    base_year: int
    rows: tuple[dict[str, Any], ...]  # BACKTEST_COLUMNS, one per recorded year in (base, horizon]
    verdict: Verdict | None  # None: no record after the base year yet

    @cached_property
    def table(self) -> pd.DataFrame:
        """The rows as a frame, made when asked: a page reads the rows (on every slider move,
        a frame made and read cost more than the rest of the backtest)."""
        return pd.DataFrame(list(self.rows), columns=BACKTEST_COLUMNS)

    @property
    def inside(self) -> int:
        return sum(bool(row["inside"]) for row in self.rows)

    @property
    def n(self) -> int:
        return len(self.rows)


def backtest(plan: Plan, sc: Scenario, proj: Projection | None = None, risk: RiskResult | None = None) -> Backtest:
    """The scenario's projection and P10-P90 band against the recorded totals after its base year.

    `proj` and `risk` may be passed when already computed for `sc` (risk with sc.n paths and
    sc.seed, as the app draws them); otherwise they are computed here.
    """
    proj = project(plan, sc) if proj is None else proj
    rows = actual_rows(plan, proj)
    if not rows:
        return Backtest(sc.base, (), None)
    risk = simulate(plan, sc, n=sc.n, seed=sc.seed) if risk is None else risk
    for row in rows:  # the band of the record's years only (the quantiles of a year cost)
        band = risk.year_quantiles(row["year"])
        p10, p90 = band["p10"], band["p90"]
        row.update(p10_musd=p10, p90_musd=p90, inside=bool(p10 <= row["actual_musd"] <= p90))
    return Backtest(sc.base, tuple(rows), verdict(rows))


def verdict(rows: Sequence[Mapping[str, Any]]) -> Verdict | None:
    """The grade and direction from a backtest's rows (None when there are none)."""
    if not rows:
        return None
    errors = np.array([row["deviation_pct"] for row in rows], dtype=float)
    mean_abs, mean = float(np.mean(np.abs(errors))), float(np.mean(errors))
    inside, n = sum(bool(row["inside"]) for row in rows), len(rows)
    band_ok = inside >= MIN_INSIDE_SHARE * n
    step = 0 if mean_abs <= NOISE_PCT else 1 if mean_abs <= POOR_PCT else 2
    grade = GRADES[min(step + (0 if band_ok else 1), 2)] if n >= MIN_RECORDS else "too_few"  # GRADES[:3]: rated
    if mean_abs <= NOISE_PCT:
        direction = "about_right"
    elif abs(mean) <= NOISE_PCT or (errors.max() > NOISE_PCT and errors.min() < -NOISE_PCT):
        # the misses cancel in the mean, or some years are beyond the noise on each side: "too
        # low" would be untrue of the years the projection ran above the record
        direction = "mixed"
    else:
        direction = "too_low" if mean > 0 else "too_high"
    return Verdict(grade, direction, mean_abs, mean, inside, n, band_ok)
