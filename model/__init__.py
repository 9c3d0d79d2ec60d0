"""The pure model of the export planner: no Streamlit here (docs/design.md, "Architecture").

Public API (stable; notebooks and external checks use it):
    load_plan, Scenario, project, required_uplift_pp, required_sector_growth_pct,
    simulate, tornado, backtest, calibrate.

backtest(plan, sc) -> Backtest: the projection and P10-P90 band from sc.base against the
    recorded totals since (error, coverage, and a verdict: grade and direction).
calibrate(plan, sc) -> Calibration | None: the growth uplift u and uncertainty multiplier m
    fitted by maximum likelihood to those records, with standard errors and the coverage of
    the calibrated band; None when there are fewer than two records to fit.
"""

from model.backtest import Backtest, Verdict, backtest
from model.calibrate import Calibration, calibrate
from model.goalseek import required_sector_growth_pct, required_uplift_pp
from model.plan import Plan, PlanError, Problem, Sector, load_plan
from model.projection import Projection, project
from model.risk import RiskResult, priority_map, simulate, tornado
from model.scenario import Repair, Scenario

__all__ = [
    "Backtest", "Calibration", "Plan", "PlanError", "Problem", "Projection", "Repair", "RiskResult",
    "Scenario", "Sector", "Verdict", "backtest", "calibrate", "load_plan", "priority_map", "project",
    "required_sector_growth_pct", "required_uplift_pp", "simulate", "tornado",
]  # fmt: skip
