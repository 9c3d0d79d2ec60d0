"""The pure model of the export planner: no Streamlit here (DESIGN.md section 3).

Public API (stable; notebooks and external checks use it):
    load_plan, Scenario, project, required_uplift_pp, required_sector_growth_pct,
    simulate, tornado.
"""

from model.goalseek import required_sector_growth_pct, required_uplift_pp
from model.plan import Plan, PlanError, Problem, Sector, load_plan
from model.projection import Projection, project
from model.risk import RiskResult, priority_map, simulate, tornado
from model.scenario import Repair, Scenario

__all__ = [
    "Plan", "PlanError", "Problem", "Projection", "Repair", "RiskResult", "Scenario", "Sector",
    "load_plan", "priority_map", "project", "required_sector_growth_pct", "required_uplift_pp",
    "simulate", "tornado",
]  # fmt: skip
