"""Several scenarios side by side: the rows compared, and whether a parameter differs."""

from __future__ import annotations

from model.params import PARAMS

PARAMETER_ROWS = tuple(p.key for p in PARAMS)
OUTCOME_ROWS = ("reachable", "target_year_total", "gap_musd", "gap_pct", "year_reached",
                "implied_cagr_pct", "probability")  # fmt: skip


def differs(value: float | None, reference: float | None, tolerance: float = 1e-9) -> bool:
    """Whether a parameter's value differs from the reference scenario's. None: a sector the
    scenario's plan lacks, which differs from any figure."""
    if value is None or reference is None:
        return value is not reference
    return abs(float(value) - float(reference)) > tolerance
