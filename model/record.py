"""What really happened, before any projection: the record against the target.

A projection is a view from its base year ("as seen from 2020"). When the plan holds
reported totals, the app states them first, whatever the base year (a projection from
2024 does not make 2024's figure, or the merger after it, go away), and says where the
projection and the record disagree (docs/design.md, "The record first"). This module
gives the facts; ui/format.py words them, once, for the banner, the Overview and the brief.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from model.plan import Actual, Plan
from model.projection import Projection, reaching_total


@dataclass(frozen=True)
class Record:
    base_year: int  # the projection's vantage point
    target: float
    target_year: int
    latest: Actual | None  # the latest reported total (None: no record yet)
    passed: Actual | None  # the first reported total at or above the target
    target_year_reported: bool  # a total for the target year itself is in the record
    period_over: bool  # the target year has ended (as of `today`)
    # How the projection compares with the record on crossing the target:
    #   "agree" (same year), "later" / "earlier" (the projection crosses after / before the
    #   record did), "never" (the record passed it, the projection does not within its horizon),
    #   "not_passed" (the record has not passed it: nothing to contradict), "no_record",
    #   "before_base" (the record passed it in or before the base year: a projection, which
    #   crosses only in a later year, has nothing to say about when).
    crossing: str

    @property
    def has_record(self) -> bool:
        return self.latest is not None

    @property
    def passed_is_upper_bound(self) -> bool:
        """The figure that passed the target is stated as "nearly": confirm with final statistics."""
        return self.passed is not None and self.passed.bound == "upper"


def record(plan: Plan, proj: Projection, today: dt.date) -> Record:
    totals = sorted(plan.actual_totals().values(), key=lambda a: a.year)
    passed = next((a for a in totals if _passes(a, proj.target)), None)
    if not totals:
        crossing = "no_record"
    elif passed is None:
        crossing = "not_passed"
    elif passed.year <= proj.base_year:
        crossing = "before_base"
    elif proj.year_reached is None:
        crossing = "never"
    elif proj.year_reached == passed.year:
        crossing = "agree"
    else:
        crossing = "later" if proj.year_reached > passed.year else "earlier"
    return Record(
        base_year=proj.base_year, target=proj.target, target_year=proj.target_year,
        latest=totals[-1] if totals else None, passed=passed,
        target_year_reported=any(a.year == proj.target_year for a in totals),
        period_over=today.year > proj.target_year, crossing=crossing,
    )  # fmt: skip


def _passes(actual: Actual, target: float) -> bool:
    """A recorded figure reaches the target. An upper bound must lie above the target itself:
    the real figure is below it ("nearly 3,000" does not reach a target of 3,000)."""
    if actual.bound == "upper":
        return actual.value_musd > target
    return actual.value_musd >= reaching_total(target)
