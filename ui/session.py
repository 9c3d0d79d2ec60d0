"""Per-session state: the plan in effect, the scenario read from the sidebar, cached results.

The sidebar widgets are bound to the URL (bind="query-params"), so the address bar is
always the scenario. Pages call `context()` and only draw.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

import model
from model import Plan, Projection, Repair, RiskResult, Scenario
from model.params import PARAMS
from model.plan import DEFAULT_PLAN_DIR
from model.scenario import LINK_COMPARE_KEY, LINK_DATA_KEY, LINK_PLAN_KEY, MAX_RAW_LENGTH
from model.store import ScenarioStore, StoreError, default_store_path
from model.upload import plan_with_upload

VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no daylight saving time
PLAN_DIR_ENV = "EXPORT_PLANNER_PLAN"  # the default plan: a data folder with the same files
DATA_DIR = DEFAULT_PLAN_DIR.parent  # every folder here with a plan.toml is a bundled plan
PLAN_KEY = "plan_override"  # a user's uploaded or edited plan, for this session only
CONTEXT_KEY = "_context"
REPAIRS_KEY = "_link_repairs"
PLAN_PARAM, DATA_PARAM, COMPARE_PARAM = LINK_PLAN_KEY, LINK_DATA_KEY, LINK_COMPARE_KEY  # link keys the pages use


@dataclass(frozen=True)
class Context:
    plan: Plan
    scenario: Scenario
    projection: Projection
    lang: str
    uses_bundled_plan: bool

    def risk(self) -> RiskResult:
        return simulate(self.plan, self.scenario)


# --- which plan: the bundled ones, the one chosen, a session's own figures ----------------


def bundled_plans() -> dict[str, Path]:
    """Plan id -> folder: every bundled plan, the default first (the one EXPORT_PLANNER_PLAN
    names, else Thái Bình's scheme)."""
    return _bundled_plans(os.environ.get(PLAN_DIR_ENV, ""))


@lru_cache(maxsize=4)
def _bundled_plans(default_dir: str) -> dict[str, Path]:
    default = Path(default_dir or DEFAULT_PLAN_DIR).resolve()
    folders = [default] + sorted(f.parent.resolve() for f in DATA_DIR.glob("*/plan.toml"))
    plans: dict[str, Path] = {}
    for folder in dict.fromkeys(folders):
        plans.setdefault(model.load_plan(folder).id, folder)
    return plans


def default_plan_id() -> str:
    return next(iter(bundled_plans()))


def selected_plan_id() -> str:
    """The plan chosen in the sidebar, else the link's (once checked), else the default."""
    chosen = st.session_state.get(PLAN_PARAM) or st.query_params.get(PLAN_PARAM)
    return chosen if chosen in bundled_plans() else default_plan_id()


def bundled_plan(plan_id: str | None = None) -> Plan:
    return model.load_plan(bundled_plans()[plan_id or selected_plan_id()])


def current_plan() -> Plan:
    """The plan in use: this session's own figures for the chosen plan, or the bundled one."""
    override = st.session_state.get(PLAN_KEY)
    if override is not None and override.id == selected_plan_id():
        return override
    return bundled_plan()


def set_plan(plan: Plan | None) -> None:
    """Replace the plan for this session (None: back to the bundled plan)."""
    if plan is None:
        st.session_state.pop(PLAN_KEY, None)
    else:
        st.session_state[PLAN_KEY] = plan


def plan_repairs() -> list[Repair]:
    """The link's plan id, checked once before any widget binds: an unknown one is dropped."""
    raw = st.query_params.get(PLAN_PARAM)
    if raw is None or raw in bundled_plans():
        return []
    del st.query_params[PLAN_PARAM]
    return [Repair(PLAN_PARAM, raw[:MAX_RAW_LENGTH], "unknown_plan", bundled_plan(default_plan_id()).province("vi"))]


def change_plan() -> None:
    """on_change of the plan selector: the new plan's defaults, not the old plan's sliders."""
    keep = {PLAN_PARAM, "lang"}
    for key in [k for k in st.query_params if k not in keep]:
        del st.query_params[key]
    for key in [k for k in st.session_state if str(k).startswith("g.") or str(k) in SCENARIO_STATE_KEYS]:
        del st.session_state[key]
    set_plan(None)


SCENARIO_STATE_KEYS = frozenset({p.key for p in PARAMS} | {f"{p.key}.text" for p in PARAMS})


def _cache_key(plan: Plan, sc: Scenario) -> tuple:
    query = sc.to_query()
    query.pop("lang")
    return plan.fingerprint, tuple(sorted(query.items()))


# Shared by every session: a link opened by many people is computed once. Bounded in
# entries and in bytes (a simulation keeps one value per path: ~80 kB at 10,000 paths).
# A slider move is a new key; the simulation then reuses the cached random numbers
# (model/risk.py), so a miss costs arithmetic only.
@st.cache_data(max_entries=512, max_size="4MB", show_spinner=False)
def _project(key: tuple, _plan: Plan, _sc: Scenario) -> Projection:
    return model.project(_plan, _sc)


@st.cache_data(max_entries=128, max_size="16MB", show_spinner=False)
def _simulate(key: tuple, _plan: Plan, _sc: Scenario) -> RiskResult:
    return model.simulate(_plan, _sc, n=_sc.n, seed=_sc.seed)


def project(plan: Plan, sc: Scenario) -> Projection:
    return _project(_cache_key(plan, sc), plan, sc)


def simulate(plan: Plan, sc: Scenario) -> RiskResult:
    return _simulate(_cache_key(plan, sc), plan, sc)


def today() -> dt.date:
    """Today in Vietnam (the period is over or not, times shown): the server may run on UTC."""
    return dt.datetime.now(VIETNAM).date()


def set_context(ctx: Context) -> None:
    st.session_state[CONTEXT_KEY] = ctx


def context() -> Context:
    return st.session_state[CONTEXT_KEY]


def share_link(ctx: Context) -> str:
    """The current page's address with the whole scenario, explicitly, and the data's fingerprint."""
    base = st.context.url or ""
    if base.count("/") == 2:  # the app's root: "http://host:port" -> "http://host:port/"
        base += "/"
    query = ctx.scenario.to_query()
    query[PLAN_PARAM] = ctx.plan.id
    query[DATA_PARAM] = ctx.plan.fingerprint
    return f"{base}?{urlencode(query)}"


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> ScenarioStore:
    return ScenarioStore(path)


def store() -> tuple[ScenarioStore | None, StoreError | None]:
    """The shared scenario store, or the reason it cannot be opened (the app goes on without it)."""
    try:
        return _open_store(str(default_store_path())), None
    except StoreError as error:
        return None, error


# --- replacing the plan (Data page) ---------------------------------------------------

UPLOAD_KEY = "plan_upload"
PLAN_RESULT_KEY = "_plan_result"


def upload_plan_file() -> None:
    """on_change of the Data page's uploader: apply the file as a whole, or keep the plan."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        return
    new_plan, problems = plan_with_upload(current_plan(), uploaded.name, uploaded.getvalue())
    accept_plan(new_plan, problems)


def accept_plan(new_plan: Plan | None, problems: list) -> None:
    """Use `new_plan` for this session, or keep the current one and record why not."""
    if new_plan is None:
        st.session_state[PLAN_RESULT_KEY] = ("problems", problems)
    else:
        changed = new_plan.fingerprint != current_plan().fingerprint
        set_plan(None if new_plan.fingerprint == bundled_plan().fingerprint else new_plan)
        st.session_state[PLAN_RESULT_KEY] = ("applied" if changed else "unchanged", new_plan.fingerprint)


def reset_plan() -> None:
    set_plan(None)
    st.session_state[PLAN_RESULT_KEY] = ("reset", None)
