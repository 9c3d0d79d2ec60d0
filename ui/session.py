"""Per-session state: the plan in effect, the scenario read from the sidebar, cached results.

The sidebar widgets are bound to the URL (bind="query-params"), so the address bar is
always the scenario. Pages call `context()` and only draw.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

import model
from model import Plan, Projection, RiskResult, Scenario
from model.scenario import LINK_DATA_KEY as DATA_PARAM
from model.store import ScenarioStore, StoreError, default_store_path
from model.upload import plan_with_upload

PLAN_DIR_ENV = "EXPORT_PLANNER_PLAN"  # another province: a data folder with the same files
PLAN_KEY = "plan_override"  # a user's uploaded or edited plan, for this session only
CONTEXT_KEY = "_context"
REPAIRS_KEY = "_link_repairs"
COMPARE_PARAM = "cmp"  # the Compare page's selection: "current,12,15" (saved scenario ids)


@dataclass(frozen=True)
class Context:
    plan: Plan
    scenario: Scenario
    projection: Projection
    lang: str
    uses_bundled_plan: bool

    def risk(self) -> RiskResult:
        return simulate(self.plan, self.scenario)


def bundled_plan() -> Plan:
    return model.load_plan(os.environ.get(PLAN_DIR_ENV) or None)


def current_plan() -> Plan:
    return st.session_state.get(PLAN_KEY) or bundled_plan()


def set_plan(plan: Plan | None) -> None:
    """Replace the plan for this session (None: back to the bundled plan)."""
    if plan is None:
        st.session_state.pop(PLAN_KEY, None)
    else:
        st.session_state[PLAN_KEY] = plan


def _cache_key(plan: Plan, sc: Scenario) -> tuple:
    query = sc.to_query()
    query.pop("lang")
    return plan.fingerprint, tuple(sorted(query.items()))


@st.cache_data(max_entries=512, show_spinner=False)
def _project(key: tuple, _plan: Plan, _sc: Scenario) -> Projection:
    return model.project(_plan, _sc)


@st.cache_data(max_entries=128, show_spinner=False)
def _simulate(key: tuple, _plan: Plan, _sc: Scenario) -> RiskResult:
    return model.simulate(_plan, _sc, n=_sc.n, seed=_sc.seed)


def project(plan: Plan, sc: Scenario) -> Projection:
    return _project(_cache_key(plan, sc), plan, sc)


def simulate(plan: Plan, sc: Scenario) -> RiskResult:
    return _simulate(_cache_key(plan, sc), plan, sc)


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
        set_plan(None if new_plan.fingerprint == bundled_plan().fingerprint else new_plan)
        st.session_state[PLAN_RESULT_KEY] = ("applied", new_plan.fingerprint)


def reset_plan() -> None:
    set_plan(None)
    st.session_state[PLAN_RESULT_KEY] = ("reset", None)
