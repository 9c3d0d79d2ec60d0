"""Several scenarios side by side: their parameters and outcomes in one table."""

from __future__ import annotations

import pandas as pd

from model.params import PARAMS, growth_key
from model.plan import Plan
from model.projection import Projection
from model.risk import RiskResult
from model.scenario import Scenario

PARAMETER_ROWS = tuple(p.key for p in PARAMS)
OUTCOME_ROWS = ("reachable", "target_year_total", "gap_musd", "gap_pct", "year_reached",
                "implied_cagr_pct", "probability")  # fmt: skip


def comparison_frame(plan: Plan, columns: list[tuple[str, Scenario, Projection, RiskResult | None]]) -> pd.DataFrame:
    """Rows: each sector's growth (g.<id>), the other parameters, then the outcomes.
    Columns: the scenarios' names, in the order given (the first is the reference)."""
    data = {}
    for name, sc, proj, risk in columns:
        values: dict[str, object] = dict(sc.values())
        values |= {
            "reachable": proj.reachable, "target_year_total": proj.target_year_total,
            "gap_musd": proj.gap_musd, "gap_pct": proj.gap_pct, "year_reached": proj.year_reached,
            "implied_cagr_pct": proj.implied_cagr_pct,
            "probability": None if risk is None else risk.probability * 100.0,
        }  # fmt: skip
        data[name] = values
    index = [growth_key(sid) for sid in plan.sector_ids] + list(PARAMETER_ROWS) + list(OUTCOME_ROWS)
    return pd.DataFrame(data, index=index)


def differs_from_first(frame: pd.DataFrame, tolerance: float = 1e-9) -> pd.DataFrame:
    """True where a cell differs from the same row's first column."""
    first = frame.iloc[:, 0]
    result = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for column in frame.columns[1:]:
        for row in frame.index:
            a, b = first[row], frame.at[row, column]
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
                result.at[row, column] = abs(float(a) - float(b)) > tolerance
            else:
                result.at[row, column] = a != b
    return result
