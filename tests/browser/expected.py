"""What the pages must show for a link, computed by the model and formatted as the pages
format it (ui.format): the browser tests compare the screen with these, not with each other."""

from __future__ import annotations

from collections.abc import Mapping

import model
from ui import format as fmt


def scenario(query: Mapping[str, str], plan: model.Plan | None = None) -> model.Scenario:
    plan = plan or model.load_plan()
    return model.Scenario.from_query(dict(query), plan)


def total(query: Mapping[str, str], lang: str = "vi", plan: model.Plan | None = None) -> str:
    """The target-year total of the key figures and the verdict: '2.870,0'."""
    plan = plan or model.load_plan()
    return fmt.number(model.project(plan, scenario(query, plan)).target_year_total, lang)


def reached(query: Mapping[str, str]) -> bool:
    """Whether the verdict says the target is reached."""
    plan = model.load_plan()
    return model.project(plan, scenario(query, plan)).reachable


def percent(query: Mapping[str, str], lang: str = "vi") -> str:
    """The share of simulated paths that reach the target: '70%'."""
    plan = model.load_plan()
    sc = scenario(query, plan)
    return fmt.probability_pct(model.simulate(plan, sc, n=sc.n, seed=sc.seed).probability, lang)


def probability(query: Mapping[str, str], lang: str = "vi") -> str:
    """The Risk page's heading: 'Xác suất đạt mục tiêu: 70%'."""
    label = "Probability of reaching the target" if lang == "en" else "Xác suất đạt mục tiêu"
    return f"{label}: {percent(query, lang)}"
