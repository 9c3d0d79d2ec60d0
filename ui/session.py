"""Per-session state: the plan in effect, the scenario read from the sidebar, cached results.

The sidebar widgets are bound to the URL (bind="query-params"), so the address bar is
always the scenario. Pages call `context()` and only draw.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

import model
from model import Backtest, Plan, Projection, Repair, RiskResult, Scenario
from model.plan import DEFAULT_PLAN_DIR, Preset
from model.scenario import LINK_COMPARE_KEY, LINK_DATA_KEY, LINK_PLAN_KEY, MAX_RAW_LENGTH
from model.store import DatasetEntry, ScenarioStore, StoreError, default_store_path
from model.upload import plan_with_upload
from ui import format as fmt
from ui.shared import shared_results
from ui.text import t

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
    dataset: DatasetEntry | None = None  # the saved dataset holding exactly these figures, if any

    def risk(self) -> RiskResult:
        return self._risk

    @cached_property
    def _risk(self) -> RiskResult:  # once a run, however many parts of the page ask
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
    return _plan_in(bundled_plans()[plan_id or selected_plan_id()])


@lru_cache(maxsize=8)
def _plan_in(folder: Path) -> Plan:
    """A bundled plan by its (resolved) folder: a run asks several times, and model.load_plan
    resolves the path on the disk at every call before its own cache."""
    return model.load_plan(folder)


def plan_notes(plan: Plan, lang: str) -> str | None:
    """The notes on a bundled plan's figures (notes.<lang>.md in its folder), if it has them."""
    folder = bundled_plans().get(plan.id)
    path = folder / f"notes.{lang}.md" if folder is not None else None
    return path.read_text(encoding="utf-8") if path is not None and path.exists() else None


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


def _cache_key(plan: Plan, sc: Scenario) -> str:
    """The figures and every parameter, as one string: Streamlit hashes a string at once, a
    tuple of tuples item by item (a noticeable part of a rerun)."""
    query = sc.to_query()
    query.pop("lang")
    return plan.fingerprint + "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items()))


# Shared by every session: a link opened by many people is computed once. A slider move is
# a new key; the simulation then reuses the cached random numbers (model/risk.py), so a miss
# costs arithmetic only. Kept as objects, not copies (st.cache_data would pickle each result
# when storing it and unpickle it on every use): results are read, never changed. Bounded in
# entries: a projection is a few kB; a simulation keeps one value per path, 400 kB at the
# largest (50,000 paths), so at most 16 MB, and its plan and scenario (to simulate its paths
# again for every year's quantiles): an uploaded plan, at most a few hundred kB, outlives its
# session while a result made on it is kept.
@shared_results(entries=512)
def _project(key: str, plan: Plan, sc: Scenario) -> Projection:
    return model.project(plan, sc)


@shared_results(entries=40)
def _simulate(key: str, plan: Plan, sc: Scenario) -> RiskResult:
    return model.simulate(plan, sc, n=sc.n, seed=sc.seed)


def project(plan: Plan, sc: Scenario) -> Projection:
    return _project(_cache_key(plan, sc), plan, sc)


def simulate(plan: Plan, sc: Scenario) -> RiskResult:
    return _simulate(_cache_key(plan, sc), plan, sc)


@shared_results(entries=64)  # shared, read-only, like the simulations; asked for by five cards a run
def _preset_backtest(key: str, plan: Plan, preset: Preset) -> Backtest:
    sc = Scenario.default(plan).with_preset(preset, plan)
    return model.backtest(plan, sc, project(plan, sc), simulate(plan, sc))


def preset_backtest(plan: Plan, preset: Preset) -> Backtest:
    """How a preset's path compares with the record since the base year. A preset starts from
    the plan's defaults, whatever the sliders say: one answer per plan and preset."""
    return _preset_backtest(f"{plan.fingerprint}/{preset.id}", plan, preset)


def today() -> dt.date:
    """Today in Vietnam (the period is over or not, times shown): the server may run on UTC."""
    return dt.datetime.now(fmt.VIETNAM).date()


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


_store_lock = threading.Lock()


@lru_cache(maxsize=8)  # a store per path, shared by every session (a failed open is not kept)
def _store_at(path: str) -> ScenarioStore:
    return ScenarioStore(path)


def store() -> tuple[ScenarioStore | None, StoreError | None]:
    """The shared scenario store, or the reason it cannot be opened (the app goes on without it).
    Asked for twice a run: a plain cached call under a lock (one store per path, made once),
    where st.cache_resource's lookup cost 0.13 ms a call."""
    try:
        with _store_lock:
            return _store_at(str(default_store_path())), None
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
    new_plan, problems = plan_with_upload(current_plan(), uploaded.name, uploaded.getvalue(), session_closed())
    accept_plan(new_plan, problems)


def session_closed() -> Callable[[], bool] | None:
    """A check that is true once this browser session has gone: work done for it (reading an
    upload) stops then, instead of running to its time limit. None outside a server."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    runtime, session_id = Runtime.instance(), ctx.session_id
    return lambda: not runtime.is_active_session(session_id)


def accept_plan(new_plan: Plan | None, problems: list) -> None:
    """Use `new_plan` for this session, or keep the current one and record why not."""
    if new_plan is None:
        st.session_state[PLAN_RESULT_KEY] = ("problems", problems)
    else:
        changed = new_plan.fingerprint != current_plan().fingerprint
        set_plan(None if new_plan.fingerprint == bundled_plan().fingerprint else new_plan)
        st.session_state[PLAN_RESULT_KEY] = ("applied" if changed else "unchanged", new_plan.fingerprint)


def pending_changes(editor_key: str) -> int:
    """Cells edited, rows added and rows deleted in a data editor, not yet applied."""
    state = st.session_state.get(editor_key) or {}
    cells = sum(len(row) for row in state.get("edited_rows", {}).values())
    return cells + len(state.get("added_rows", [])) + len(state.get("deleted_rows", []))


def reset_plan() -> None:
    set_plan(None)
    st.session_state[PLAN_RESULT_KEY] = ("reset", None)


# --- the data in use: bundled, a saved dataset, or this session's own figures ------------

LINK_DATA_CHECKED_KEY = "_link_data_checked"
LINK_DATA_NOTICE_KEY = "_link_data_notice"  # what the link's data= led to: (kind, SavedData, provinces)


@st.cache_resource(max_entries=32, show_spinner=False)
def _dataset_plan(fingerprint: str, _store: ScenarioStore, _dataset_id: int) -> Plan:
    plan = _store.get_dataset(_dataset_id).plan()
    if plan.fingerprint != fingerprint:  # a row changed behind the store's back: not these figures
        raise StoreError("bad_dataset", f"dataset {_dataset_id}: its figures do not match its fingerprint")
    return plan


def dataset_plan(store_: ScenarioStore, dataset: DatasetEntry) -> Plan:
    """A saved dataset's plan, read and parsed once per server (its figures never change: they
    are its fingerprint); StoreError if unreadable."""
    return _dataset_plan(dataset.fingerprint, store_, dataset.id)


def dataset_in_use(plan: Plan) -> DatasetEntry | None:
    """The live saved dataset that holds exactly these figures: None for the bundled plan, for
    figures nobody saved, or when the store cannot be read (the figures are the same either way)."""
    if plan.id in bundled_plans() and plan.fingerprint == bundled_plan(plan.id).fingerprint:
        return None
    store_, _ = store()
    if store_ is None:
        return None
    try:
        return store_.entry_by_fingerprint(plan.fingerprint)
    except StoreError:
        return None


def describe_data(plan: Plan, dataset: DatasetEntry | None, bundled: bool, lang: str) -> str:
    """Figures named for a reader (plain text): the bundled ones, a saved dataset, or unsaved ones."""
    return fmt.data_name(plan, lang, bundled=bundled, dataset=dataset.name if dataset is not None else None)


def data_name(ctx: Context, lang: str) -> str:
    """The data this session's figures are computed on, as the share box, the Data and Compare
    pages, the exports and the brief name it (plain text: escape it where Markdown is rendered)."""
    return describe_data(ctx.plan, ctx.dataset, ctx.uses_bundled_plan, lang)


def scenario_name(ctx: Context) -> str | None:
    """The name of the saved scenario that is exactly the one on screen (same parameters, same
    figures), for the brief's title and file name; None when the sliders have moved since."""
    store_, _ = store()
    if store_ is None:
        return None
    try:
        return store_.name_of(ctx.scenario.to_query(), ctx.plan.id, ctx.plan.fingerprint, ignoring="lang")
    except StoreError:
        return None


MISSING_REASONS = ("no_plan", "deleted", "not_here", "unreadable", "store")  # text keys data.missing.<reason>


@dataclass(frozen=True)
class SavedData:
    """The data a saved scenario (or a link) names, as this server has it."""

    plan: Plan | None  # None: not available here; `missing` says why
    dataset: DatasetEntry | None = None
    bundled: bool = False
    missing: str = ""  # one of MISSING_REASONS
    detail: str = ""  # the plan id, the deleted dataset's name, or the fingerprint

    def describe(self, lang: str) -> str:
        if self.plan is not None:
            return describe_data(self.plan, self.dataset, self.bundled, lang)
        return t(f"data.missing.{self.missing}", lang, detail=self.detail)

    def short(self, lang: str) -> str:
        """A few words for a list (the code and the reason are on the Compare paper)."""
        if self.plan is None:
            return t("data.short.missing", lang)
        if self.dataset is not None and not self.bundled:
            return t("data.short.saved", lang, name=self.dataset.name)
        return t("data.short.bundled", lang, province=self.plan.province(lang))


def saved_data(plan_id: str | None, fingerprint: str | None) -> SavedData:
    """The figures a scenario was saved on (or a link was made on): the bundled plan of its id
    when the fingerprint is that plan's, else the saved dataset with this fingerprint. A scenario
    saved before datasets existed (no fingerprint) was made on the bundled plan of its id (no id:
    the default plan). Never other figures: when they are gone, `missing` says why."""
    plan_id = plan_id or default_plan_id()
    if fingerprint is None:
        if plan_id not in bundled_plans():
            return SavedData(None, missing="no_plan", detail=plan_id)
        return SavedData(bundled_plan(plan_id), bundled=True)
    if plan_id in bundled_plans() and bundled_plan(plan_id).fingerprint == fingerprint:
        return SavedData(bundled_plan(plan_id), bundled=True)
    store_, _ = store()
    if store_ is None:
        return SavedData(None, missing="store", detail=fingerprint[:16])
    try:
        dataset = store_.entry_by_fingerprint(fingerprint)
    except StoreError as error:
        if error.code != "not_found":
            return SavedData(None, missing="store", detail=fingerprint[:16])
        if error.existing is None:
            return SavedData(None, missing="not_here", detail=fingerprint[:16])
        try:
            name = store_.get_dataset(error.existing).name
        except StoreError:
            name = fingerprint
        return SavedData(None, missing="deleted", detail=name)
    try:
        plan = dataset_plan(store_, dataset)
    except StoreError:
        return SavedData(None, dataset=dataset, missing="unreadable", detail=dataset.name)
    if plan.id not in bundled_plans():  # the sliders and presets come from a plan folder
        return SavedData(None, dataset=dataset, missing="no_plan", detail=plan.id)
    return SavedData(plan, dataset=dataset)


def open_link_data() -> None:
    """On a session's first run, before the plan is read: the figures the link names (data=).

    A saved dataset on this server becomes this session's data, and the app says so; figures
    this server does not have (never saved, or deleted) are named, and the bundled plan is
    used. Nothing here is a repair: a link made on other figures is a valid link."""
    if st.session_state.get(LINK_DATA_CHECKED_KEY):
        return
    st.session_state[LINK_DATA_CHECKED_KEY] = True
    fingerprint = st.query_params.get(DATA_PARAM)
    if not fingerprint:
        return
    linked_plan = st.query_params.get(PLAN_PARAM)
    data = saved_data(linked_plan if linked_plan in bundled_plans() else None, fingerprint)
    if data.bundled:
        return
    if data.plan is None:
        province = bundled_plan().province("vi"), bundled_plan().province("en")
        st.session_state[LINK_DATA_NOTICE_KEY] = ("warning", data, province)
        return
    st.session_state[PLAN_PARAM] = data.plan.id  # the dataset decides the plan (and its sliders)
    if linked_plan is not None and linked_plan != data.plan.id:
        del st.query_params[PLAN_PARAM]
    set_plan(data.plan)
    st.session_state[LINK_DATA_NOTICE_KEY] = ("info", data, ())


def link_data_notice(lang: str) -> tuple[str, str] | None:
    """(kind, plain text) of what the link's data= led to, or None."""
    notice = st.session_state.get(LINK_DATA_NOTICE_KEY)
    if notice is None:
        return None
    kind, data, province = notice
    if kind == "info":
        return kind, t("link.data_opened", lang, data=data.describe(lang))
    return kind, t("link.data_missing", lang, data=data.describe(lang), province=province[lang == "en"])


def sync_data_param(ctx: Context) -> None:
    """The address bar names a saved dataset in use (data=<fingerprint>), so that reloading the
    page, or copying the address, opens the same figures; otherwise it has no data=."""
    wanted = ctx.plan.fingerprint if ctx.dataset is not None else None
    if wanted is None:
        if DATA_PARAM in st.query_params:
            del st.query_params[DATA_PARAM]
    elif st.query_params.get(DATA_PARAM) != wanted:
        st.query_params[DATA_PARAM] = wanted


def local_time(iso_utc: str) -> str:
    """A stored UTC time as Vietnam's wall clock, 'dd/mm/yyyy hh:mm' (what the meeting's clock says)."""
    try:
        moment = dt.datetime.fromisoformat(iso_utc)
    except ValueError:
        return iso_utc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(fmt.VIETNAM).strftime("%d/%m/%Y %H:%M")
