"""Several scenarios side by side for the Compare page, each computed on its own figures.

Pure Streamlit-free shaping of what the page shows: the columns (a scenario, the figures it
is computed on, its projection and simulation), the outcome table that opens the paper and
the parameter table with what differs from the first scenario highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from model import Plan, Projection, RiskResult, Scenario
from model.compare import OUTCOME_ROWS, PARAMETER_ROWS, comparison_frame, differs_from_first
from model.params import growth_key
from ui import format as fmt
from ui.text import t

CURRENT = "current"  # the scenario on screen, beside the saved ones (their ids)
OUTCOME_LABELS = {
    "reachable": "word.verdict", "target_year_total": "cmp.col.total", "gap_musd": "kpi.gap",
    "gap_pct": "row.gap_pct", "year_reached": "row.year_reached", "implied_cagr_pct": "row.implied_cagr_pct",
    "probability": "row.probability",
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One scenario compared: its label, the figures it is computed on and what they give."""

    label: str
    data: str  # the figures, named for the reader
    plan: Plan | None = None  # None: its figures are not available here (`data` says why)
    scenario: Scenario | None = None
    projection: Projection | None = None
    risk: RiskResult | None = None


def unique(labels: dict[str, str]) -> dict[str, str]:
    """Labels that are column headers: a repeated one gets its key (a saved name may equal another's)."""
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {key: f"{label} (#{key})" if seen[label] > 1 else label for key, label in labels.items()}


def computed(
    label: str, data: str, plan: Plan, scenario: Scenario,
    project: Callable[[Plan, Scenario], Projection], simulate: Callable[[Plan, Scenario], RiskResult],
) -> Column:  # fmt: skip
    return Column(label, data, plan, scenario, project(plan, scenario), simulate(plan, scenario))


def outcome(row: str, c: Column, lang: str) -> str:
    """One outcome of a computed scenario, in the reader's convention ("–" when there is none)."""
    p, risk = c.projection, c.risk
    assert p is not None and c.scenario is not None
    if row == "reachable":
        return t("cmp.reached" if p.reachable else "cmp.missed", lang, year=c.scenario.ty)
    if row == "year_reached":
        return str(p.year_reached) if p.year_reached else "–"
    if row == "probability":
        return fmt.probability_pct(risk.probability, lang) if risk is not None else "–"
    return fmt.number(float(getattr(p, row)), lang, 1)


def summary(columns: list[Column], lang: str) -> pd.DataFrame:
    """The paper's first table: for each scenario, its data, verdict and key figures."""
    rows = {t("cmp.data", lang): [c.data for c in columns]}
    for row in OUTCOME_ROWS:
        rows[t(OUTCOME_LABELS[row], lang)] = [outcome(row, c, lang) if c.projection else "–" for c in columns]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[c.label for c in columns])


def parameters(columns: list[Column], lang: str, fallback: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every parameter of the computed scenarios (each sector of each one's plan: their plans may
    differ), shown in the reader's convention, and where each differs from the first scenario."""
    owner: dict[str, Plan] = {}  # a sector's growth row -> the first plan that has the sector (its name)
    for c in columns:
        assert c.plan is not None
        for s in c.plan.sectors:
            owner.setdefault(growth_key(s.id), c.plan)
    frames = [comparison_frame(c.plan, [(c.label, c.scenario, c.projection, c.risk)]) for c in columns]  # type: ignore[arg-type]
    index = list(owner) + list(PARAMETER_ROWS)
    frame = pd.concat(frames, axis=1).reindex(index).astype(object)
    frame = frame.where(frame.notna(), None)  # a sector another plan lacks: None, which differs
    changed = differs_from_first(frame)
    labels = unique({key: fmt.param_label(key, lang, owner.get(key, fallback)) for key in index})
    shown = frame.apply(lambda col: [fmt.param_value(r, float(v), lang) if v is not None else "–"
                                     for r, v in col.items()], result_type="broadcast")  # fmt: skip
    shown.index = changed.index = [labels[r] for r in frame.index]
    return shown, changed


def differing(shown: pd.DataFrame, changed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Only the rows where some scenario differs from the first (None: they share everything)."""
    rows = changed.any(axis=1)
    return (shown[rows], changed[rows]) if rows.any() else None


def is_current(key: str) -> bool:
    """The column is the scenario on screen (the others are saved scenarios' ids)."""
    return key == CURRENT
