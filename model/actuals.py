"""Plan against reality: the scenario's path next to the actual totals reported so far."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.plan import Plan
from model.projection import TARGET_TOLERANCE_MUSD, Projection

# One row per actual total after the base year, up to the horizon; each figure keeps its
# status and source. deviation = actual - scenario: positive when reality ran above the path.
TABLE_COLUMNS = ["year", "actual_musd", "status", "source", "scenario_musd", "deviation_musd", "deviation_pct"]


@dataclass(frozen=True)
class ActualCheck:
    table: pd.DataFrame  # actual_table(plan, proj)
    reached_year: int | None  # first actual year at or above the target (None: not yet)
    reached_status: str | None  # that figure's status (an estimate is not a final result)


def actual_table(plan: Plan, proj: Projection) -> pd.DataFrame:
    """The actual totals after the base year (up to the horizon) next to the projection: TABLE_COLUMNS."""
    rows = []
    for year, actual in sorted(plan.actual_totals().items()):
        if year <= proj.base_year or year not in proj.totals.index:
            continue
        scenario = float(proj.totals[year])
        rows.append({
            "year": year, "actual_musd": actual.value_musd, "status": actual.prov.status,
            "source": actual.prov.source, "scenario_musd": scenario,
            "deviation_musd": actual.value_musd - scenario,
            "deviation_pct": (actual.value_musd - scenario) / scenario * 100.0,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def plan_vs_actual(plan: Plan, proj: Projection) -> ActualCheck:
    reached = [
        (year, a.prov.status) for year, a in sorted(plan.actual_totals().items())
        if year > proj.base_year and a.value_musd >= proj.target - TARGET_TOLERANCE_MUSD
    ]  # fmt: skip
    return ActualCheck(actual_table(plan, proj), *(reached[0] if reached else (None, None)))
