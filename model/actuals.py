"""Plan against reality: the scenario's path next to the actual totals reported so far.

What the record says about the target itself (passed, when, by which figure) is model/record.py.
"""

from __future__ import annotations

import pandas as pd

from model.plan import Plan
from model.projection import Projection

# One row per actual total after the base year, up to the horizon; each figure keeps its
# status and source. deviation = actual - scenario: positive when reality ran above the path.
TABLE_COLUMNS = [
    "year", "actual_musd", "status", "bound", "source", "scenario_musd", "deviation_musd", "deviation_pct",
]  # fmt: skip


def actual_table(plan: Plan, proj: Projection) -> pd.DataFrame:
    """The actual totals after the base year (up to the horizon) next to the projection: TABLE_COLUMNS."""
    return pd.DataFrame(actual_rows(plan, proj), columns=TABLE_COLUMNS)


def actual_rows(plan: Plan, proj: Projection) -> list[dict]:
    """actual_table's rows, as dicts (for a caller that adds columns before making a frame)."""
    rows = []
    for year, actual in sorted(plan.actual_totals().items()):
        if year <= proj.base_year or year not in proj.totals.index:
            continue
        scenario = float(proj.totals[year])
        rows.append({
            "year": year, "actual_musd": actual.value_musd, "status": actual.prov.status, "bound": actual.bound,
            "source": actual.prov.source, "scenario_musd": scenario,
            "deviation_musd": actual.value_musd - scenario,
            "deviation_pct": (actual.value_musd - scenario) / scenario * 100.0,
        })  # fmt: skip
    return rows
