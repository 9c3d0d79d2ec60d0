"""Plan against reality: the scenario's path next to the actual totals reported so far."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.plan import Plan
from model.projection import TARGET_TOLERANCE_MUSD, Projection


@dataclass(frozen=True)
class ActualCheck:
    table: pd.DataFrame  # year, actual_musd, status, scenario_musd, deviation_musd, deviation_pct
    reached_year: int | None  # first actual year at or above the target (None: not yet)
    reached_status: str | None  # that figure's status (an estimate is not a final result)


def plan_vs_actual(plan: Plan, proj: Projection) -> ActualCheck:
    rows = []
    for year, actual in sorted(plan.actual_totals().items()):
        if year <= proj.base_year or year not in proj.totals.index:
            continue
        scenario = float(proj.totals[year])
        rows.append({
            "year": year, "actual_musd": actual.value_musd, "status": actual.prov.status,
            "scenario_musd": scenario, "deviation_musd": actual.value_musd - scenario,
            "deviation_pct": (actual.value_musd - scenario) / scenario * 100.0,
        })  # fmt: skip
    columns = ["year", "actual_musd", "status", "scenario_musd", "deviation_musd", "deviation_pct"]
    table = pd.DataFrame(rows, columns=columns)
    reached = [
        (year, a.prov.status) for year, a in sorted(plan.actual_totals().items())
        if year > proj.base_year and a.value_musd >= proj.target - TARGET_TOLERANCE_MUSD
    ]  # fmt: skip
    return ActualCheck(table, *(reached[0] if reached else (None, None)))
