"""The sidebar: every scenario input, drawn from the parameter table (model/params.py).

Built once per run by app.py, so moving a slider updates whichever page is open. Each
widget's key is its link key. The sliders always in view (the sectors' growth, the COVID
shock) are bound to the address bar by Streamlit (bind="query-params"; a value equal to its
default is left out of it). The other settings are kept by this module: their value lives
in session state under the link key, seeded from the link, and this module writes it to the
address bar. They are the settings in the two sections that open on a click, drawn only
while open (a closed section's widgets would still be built on every slider move and drawn
on a first page; Streamlit drops a bound widget's value from the address bar when it is not
drawn), and the numbers that are typed (the target, the simulation number), text fields read
in the reader's own convention ("2.800" is two thousand eight hundred in Vietnamese).
The widgets hand typed values to the model (`Scenario.from_values`): no string round trip.
"""

from __future__ import annotations

import streamlit as st

from model import Plan, Scenario
from model.params import BY_KEY, GROUPS, GROWTH, HORIZON_LIMIT, Param, format_link_value, growth_key
from model.plan import GROWTH_RANGE
from model.scenario import LINK_COMPARE_KEY, LINK_DATA_KEY, LINK_PLAN_KEY, Repair
from model.upload import parse_number
from ui import format as fmt
from ui import link_limits, session
from ui.text import label_md, md, status_label, t, tmd

BIND = "query-params"


def language() -> str:
    return st.sidebar.radio(
        t("side.language", "vi"), ["vi", "en"], key="lang", bind=BIND, horizontal=True
    )  # fmt: skip


def plan_selector(lang: str) -> None:
    """Which province's plan, when more than one is bundled. The link carries its id (plan=<id>),
    written here: Streamlit would bind a select box to the shown name. The box has one key per
    language, because Streamlit keeps a select box's value as its shown name, which changes."""
    plans = session.bundled_plans()
    if len(plans) < 2:
        return
    names = {pid: session.bundled_plan(pid).province(lang) for pid in plans}
    key = f"_plan_select.{lang}"
    if st.session_state.get(key, session.selected_plan_id()) != session.selected_plan_id():
        st.session_state[key] = session.selected_plan_id()  # the plan was changed elsewhere (a dataset opened)
    st.sidebar.selectbox(
        t("side.plan", lang), list(plans), index=list(plans).index(session.selected_plan_id()),
        format_func=names.__getitem__, key=key, on_change=change_plan, args=(key,), help=t("side.plan_help", lang),
    )  # fmt: skip
    chosen = session.selected_plan_id()
    if chosen == session.default_plan_id():
        if LINK_PLAN_KEY in st.query_params:
            del st.query_params[LINK_PLAN_KEY]
    elif st.query_params.get(LINK_PLAN_KEY) != chosen:
        st.query_params[LINK_PLAN_KEY] = chosen


def _slider_format(param: Param) -> str:
    # The thumb is drawn by the browser, in the browser's own number convention; the figure
    # in the reader's convention is in the label (see _value_label). Years have no separator.
    return "%d" if param.unit == "year" else "localized"


def _widget_range(param: Param, plan: Plan) -> tuple[float, float]:
    """The widest range a parameter can have with this plan: a slider's range must not
    change between runs (Streamlit would reset it), so the model adjusts what contradicts."""
    loosest = {"base": plan.base_year, "ty": plan.base_year + 1, "h": HORIZON_LIMIT}
    return param.bounds(plan, loosest)


def _state_value(key: str, default: float) -> float:
    """What the widget will show this run: its state, or on a first run the (repaired) link."""
    value = st.session_state.get(key)
    if value is None and key in st.query_params:
        try:
            value = float(st.query_params[key])
        except ValueError:
            value = None
    return default if value is None else value


def _value_label(param: Param, lang: str, value: float, name: str | None = None) -> str:
    """The label with the current value in the reader's convention: 'Dệt may: 12,8%/năm'. Labels
    are the catalogue's text, shown as Markdown: a `name` from the data comes escaped (label_md)."""
    text = name if name is not None else param.label_for(lang)
    if param.unit == "year":
        return f"{text}: {int(value)}"
    unit = fmt.unit(param, lang)
    space = "" if unit.startswith("%") or not unit else " "
    return f"{text}: {fmt.param_value(param.key, value, lang)}{space}{unit}"


def sector_sliders(plan: Plan, lang: str) -> dict[str, float]:
    st.sidebar.markdown(f"**{t('side.growth', lang)}**")
    values = {}
    for s in plan.sectors:
        key = growth_key(s.id)
        default_text = fmt.pct(s.growth_pct, lang)
        help_text = GROWTH.help_for(lang).format(default=default_text, status=status_label(s.growth_prov.status, lang))
        value = _state_value(key, s.growth_pct)
        values[key] = st.sidebar.slider(
            _value_label(GROWTH, lang, value, label_md(s.name(lang))), min_value=GROWTH_RANGE[0], max_value=GROWTH_RANGE[1],
            value=float(s.growth_pct), step=GROWTH.step, format=_slider_format(GROWTH), key=key, bind=BIND,
            help=md(help_text),
        )  # fmt: skip
    return values


def _control(param: Param, plan: Plan, defaults: Scenario, lang: str, *, bound: bool) -> float:
    """The parameter's widget. `bound`: Streamlit keeps its value in the address bar; else this module does."""
    default = getattr(defaults, param.key)
    low, high = _widget_range(param, plan)
    if param.widget == "number":
        return number_entry(param, plan, default, lang)
    if not bound:
        kept_value(param, plan, default)
    binding = dict(bind=BIND) if bound else dict(persist_state="session")
    if param.widget == "select":
        options = list(range(int(low), int(high) + 1))
        return st.selectbox(
            param.label_for(lang), options, index=options.index(int(default)), key=param.key, **binding,
            help=md(param.help_for(lang)) or None,
        )  # fmt: skip
    value = _state_value(param.key, default)
    return st.slider(
        _value_label(param, lang, value), param.kind(low), param.kind(high), value=param.kind(default),
        step=param.kind(param.step), format=_slider_format(param), key=param.key, **binding,
        help=md(param.help_for(lang)) or None,
    )  # fmt: skip


IN_VIEW = "covid"  # the group always in view: the scheme is about the post-COVID recovery
SECTIONS = tuple(group for group in GROUPS if group != IN_VIEW)  # the others open on a click


def open_key(name: str) -> str:
    """The key of an expander's or popover's open state (True while open)."""
    return f"open_{name}"


def built_when_open(name: str) -> dict[str, str]:
    """An expander's or popover's arguments for content built only while it is open (read its
    `.open`): a closed one's widgets would still be built on every slider move. Opening it
    reruns the page, which then builds the content."""
    return {"key": open_key(name), "on_change": "rerun"}


def group_controls(group: str, plan: Plan, defaults: Scenario, lang: str) -> dict[str, float]:
    keys = GROUPS[group]
    if group == IN_VIEW:
        with st.sidebar:
            st.markdown(f"**{t('side.covid', lang)}**")
            return {key: _control(BY_KEY[key], plan, defaults, lang, bound=True) for key in keys}
    # Drawn only while open: a closed section's values are what this module keeps.
    section = st.sidebar.expander(t(f"side.{group}", lang), **built_when_open(group))
    if not section.open:
        return {key: kept_value(BY_KEY[key], plan, getattr(defaults, key)) for key in keys}
    with section:
        return {key: _control(BY_KEY[key], plan, defaults, lang, bound=False) for key in keys}


MOVED_KEY = "_moved_by_figures"  # settings other figures moved into their range on this run


def kept_value(param: Param, plan: Plan, default: float) -> float:
    """A setting this module keeps: its value in session state (seeded from the link, which was
    repaired before any widget), written to the address bar. Its widget, when drawn, reads and
    writes the same session state (persist_state keeps it while the widget is not drawn).

    Kept within what its widget offers with this plan: other figures (an upload, a reset)
    change the years a setting may take while its section is closed, and a value outside
    them would be reset by the widget when the section opens, changing the scenario then."""
    key = param.key
    if key not in st.session_state:
        st.session_state[key] = _from_address_bar(param, default)
    low, high = _widget_range(param, plan)
    value = param.kind(min(max(st.session_state[key], low), high))
    if value != st.session_state[key]:  # said once, on the run that moved it (adjustments_notice)
        moved = Repair(key, format_link_value(st.session_state[key], param.decimals), "outside_figures",
                       format_link_value(value, param.decimals))  # fmt: skip
        st.session_state[MOVED_KEY] = (*st.session_state.get(MOVED_KEY, ()), moved)
        st.session_state[key] = value
    _write_address_bar(param, value, default)
    return value


def scenario_from_sidebar(plan: Plan, lang: str) -> Scenario:
    """Draw every control and read the scenario they describe.

    Settings that contradict each other (a target year before the base year) are adjusted
    by the model and listed in `repairs`, exactly as a link would be.
    """
    defaults = Scenario.default(plan)
    values = sector_sliders(plan, lang)
    for group in GROUPS:
        values |= group_controls(group, plan, defaults, lang)
    return Scenario.from_values(values, plan, lang)


# --- typed numbers ---------------------------------------------------------------------------

ENTRY_MESSAGE = "_entry_message.{key}"
ENTRY_SHOWN = "_entry_shown.{key}"  # the (value, language) the text field was last written for


def _text_key(key: str) -> str:
    return f"{key}.text"


def number_entry(param: Param, plan: Plan, default: float, lang: str) -> float:
    """A text field for a number in the reader's convention, echoing how it was read.

    A value that cannot be read keeps the last good one and says why; a value outside the
    parameter's range is clamped and says so. The typed value goes to the address bar.
    """
    key = param.key
    value = kept_value(param, plan, default)
    if st.session_state.get(ENTRY_SHOWN.format(key=key)) != (value, lang):
        st.session_state[_text_key(key)] = _entry_text(param, value, lang)
        st.session_state[ENTRY_SHOWN.format(key=key)] = (value, lang)
    st.text_input(
        fmt.param_label(key, lang), key=_text_key(key), max_chars=32, on_change=_read_entry, args=(param, lang),
        help=md(param.help_for(lang)) or None, persist_state="session",
    )  # fmt: skip
    if message := st.session_state.get(ENTRY_MESSAGE.format(key=key)):
        kind, text = message
        (st.caption if kind == "ok" else st.warning)(text)
    return value


def _entry_text(param: Param, value: float, lang: str) -> str:
    decimals = param.decimals if param.kind is float and value != int(value) else 0
    return fmt.number(value, lang, decimals) if param.unit != "none" else str(int(value))


def _from_address_bar(param: Param, default: float) -> float:
    raw = st.query_params.get(param.key)
    try:
        return param.kind(float(raw)) if raw is not None else default
    except ValueError:  # the link was repaired before this run: this only guards odd states
        return default


def _write_address_bar(param: Param, value: float, default: float) -> None:
    text = format_link_value(value, param.decimals)
    if value == default:
        if param.key in st.query_params:
            del st.query_params[param.key]
    elif st.query_params.get(param.key) != text:
        st.query_params[param.key] = text


def _read_entry(param: Param, lang: str) -> None:
    """on_change: read the typed text in the reader's convention; keep the last good value if unreadable."""
    key = param.key
    text = str(st.session_state.get(_text_key(key), "")).strip()
    message_key = ENTRY_MESSAGE.format(key=key)
    number = parse_number(text, convention=lang) if text else None
    if not isinstance(number, float):
        last = _entry_text(param, st.session_state[key], lang)
        st.session_state[message_key] = ("error", tmd("entry.unreadable", lang, text=text, last=last))
        st.session_state[ENTRY_SHOWN.format(key=key)] = None  # write the last good value back into the field
        return
    low, high = param.low, param.high
    assert not callable(low) and not callable(high)  # typed numbers have fixed ranges
    value = param.kind(min(max(round(number, param.decimals), low), high))
    shown = _entry_text(param, value, lang)
    unit = fmt.unit(param, lang)
    code = "entry.read" if value == round(number, param.decimals) else "entry.clamped"
    kind = "ok" if code == "entry.read" else "error"
    st.session_state[message_key] = (kind, tmd(code, lang, value=f"{shown} {unit}".strip(), text=text))
    st.session_state[key] = value


# --- programmatic changes (button callbacks: they run before the sidebar is drawn) -----


def _set(key: str, value: float | int) -> None:
    st.session_state[key] = value
    st.session_state.pop(ENTRY_MESSAGE.format(key=key), None)  # a typed number's message is about its old value


def change_plan(selector_key: str) -> None:
    """on_change of the plan selector: every control takes the new plan's defaults (the old
    plan's sectors go), and this session's own figures for the old plan are dropped."""
    st.session_state[LINK_PLAN_KEY] = st.session_state[selector_key]
    for other in [k for k in st.session_state if str(k).startswith("_plan_select.") and k != selector_key]:
        del st.session_state[other]  # the other language's box opens on the new plan
    plan = session.bundled_plan(st.session_state[LINK_PLAN_KEY])
    for key in [k for k in st.session_state if str(k).startswith(f"{GROWTH.key}.") and not str(k).endswith(".text")]:
        del st.session_state[key]
    apply_scenario(Scenario.default(plan))
    session.set_plan(None)


def apply_growth(changes: dict[str, float]) -> None:
    """Move sector sliders; values are clamped to the slider's range and its 0.1 step."""
    for sector_id, growth in changes.items():
        _set(growth_key(sector_id), slider_growth(growth))


def slider_growth(growth: float) -> float:
    return round(min(max(growth, GROWTH_RANGE[0]), GROWTH_RANGE[1]), 1)


def slider_holds_instead(growth: float) -> float | None:
    """What a growth slider holds when set to `growth` (its range, its step), or None when it holds `growth`."""
    held = slider_growth(growth)
    return None if held == growth else held


def apply_preset(plan: Plan, preset_id: str) -> None:
    preset = next(p for p in plan.presets if p.id == preset_id)
    apply_growth({s.id: preset.growth_for(s) for s in plan.sectors})
    _set("shock", float(preset.shock))
    _set("rec", int(preset.rec))
    _set("perm", float(preset.perm))
    _set("sy", int(st.session_state.get("base", plan.base_year)) + 1)  # presets describe a shock after the base


def apply_scenario_values(sc: Scenario, keys: tuple[str, ...]) -> None:
    """Set every sector's growth to `sc`'s, and the parameters named in `keys`."""
    apply_growth(sc.growth_map)
    for key in keys:
        _set(key, BY_KEY[key].kind(getattr(sc, key)))


GROWTH_EDIT_MESSAGE = "_growth_edit_message"
_GROWTH_EDITOR_VERSION = "_growth_editor_version"


def growth_editor_key() -> str:
    """The growth table's widget key: a new one after each applied edit, so the table shows
    the sliders' values again instead of keeping its own copy of what was typed."""
    return f"growth_editor_{st.session_state.get(_GROWTH_EDITOR_VERSION, 0)}"


def read_growth_edits(plan: Plan, lang: str) -> None:
    """on_change of the growth table: read each typed value in the reader's convention and move
    its slider; a value that cannot be read keeps the slider where it was and says which row."""
    edits = st.session_state.get(growth_editor_key(), {}).get("edited_rows", {})
    column = t("sc.col.growth", lang)
    problems = []
    for row, change in edits.items():
        if column not in change or not 0 <= int(row) < len(plan.sectors):
            continue
        sector = plan.sectors[int(row)]
        text = str(change[column] or "").strip()
        value = parse_number(text, convention=lang) if text else None
        if not isinstance(value, float):
            problems.append(t("sc.growth_unreadable", lang, sector=sector.name(lang), text=text))
            continue
        if slider_growth(value) != round(value, 1):
            problems.append(t("sc.growth_clamped", lang, sector=sector.name(lang), text=text,
                              value=fmt.number(slider_growth(value), lang)))  # fmt: skip
        _set(growth_key(sector.id), slider_growth(value))
    if problems:
        st.session_state[GROWTH_EDIT_MESSAGE] = "\n".join(f"- {md(p)}" for p in problems)
    st.session_state[_GROWTH_EDITOR_VERSION] = st.session_state.get(_GROWTH_EDITOR_VERSION, 0) + 1


def target_in_use(sc: Scenario, value: float, year: int, base: int) -> bool:
    """The scenario already uses this target, year and base: a button offering it would do nothing.
    The target is compared as the scenario would hold it (a plan's 2.700,05 is held as 2.700,1)."""
    return (sc.target, sc.ty, sc.base) == (BY_KEY["target"].held(value), int(year), int(base))


def apply_target(value: float, year: int, base: int | None = None) -> None:
    _set("target", float(value))
    _set("ty", int(year))
    _set("h", max(int(year), int(st.session_state.get("h", year))))
    if base is not None:
        _set("base", int(base))


def widget_values(sc: Scenario) -> dict[str, float]:
    """The value each scenario control must hold to show `sc` (typed as the widget returns it)."""
    return {key: (BY_KEY[key].kind(v) if key in BY_KEY else float(v)) for key, v in sc.values().items()}


def apply_scenario(sc: Scenario) -> None:
    """Set every sidebar control to a saved scenario (the language stays as it is)."""
    for key, value in widget_values(sc).items():
        _set(key, value)


# --- links that need repair -------------------------------------------------------------

LINK_CHECKED_KEY = "_link_checked"


def repair_link_once(plan: Plan) -> None:
    """On a session's first run, repair the link it was opened with (docs/design.md, "The link").

    Streamlit drops an invalid bound value back to the widget's default; the contract says
    clamp it (or fall back to the default) and say so. So the query is rewritten to its
    repaired form before any widget binds, and the widgets are told to seed from it: the
    sliders, the model and the address bar then all hold the repaired scenario.
    """
    if st.session_state.get(LINK_CHECKED_KEY):
        return
    st.session_state[LINK_CHECKED_KEY] = True
    query = st.query_params.to_dict()
    # Not scenario parameters: the plan is checked below, the figures (data=) were resolved by
    # session.open_link_data before the plan was read, the Compare selection by its page.
    raw = {k: v for k, v in query.items() if k not in (LINK_COMPARE_KEY, LINK_PLAN_KEY, LINK_DATA_KEY)}
    sc = Scenario.from_query(raw, plan)
    canonical = sc.to_query()
    repaired = {k: canonical.get(k, v) for k, v in query.items() if k not in raw or k in canonical}
    if repaired != query:
        # In one assignment: each change sends the browser the whole address, so a key at a
        # time made a link of a thousand unknown keys a thousand addresses (megabytes, seconds).
        st.query_params.from_dict(repaired)
    _seed_widgets_from_current_query()
    repairs = link_limits.repairs() + list(session.plan_repairs()) + list(sc.repairs)
    if repairs:
        st.session_state[session.REPAIRS_KEY] = tuple(repairs)


def _seed_widgets_from_current_query() -> None:
    """Make bound widgets seed from the repaired query, not the one the page was opened with.

    Streamlit 1.67 seeds bound widgets from a snapshot of the opening URL and offers no
    public call to refresh it; this is the call its own page transitions use. Pinned in
    requirements.txt and guarded by tests (AppTest and a browser test of a repaired link).
    """
    from streamlit.runtime.state import get_session_state

    with get_session_state().query_params() as query_params:
        query_params.set_initial_query_params_from_current()


JSON_UPLOAD_KEY = "scenario_json_upload"
JSON_RESULT_KEY = "_scenario_json_result"


def load_scenario_file(plan: Plan) -> None:
    """on_change of the JSON uploader: open the file's scenario in the sidebar, or say why not."""
    from model.scenario_file import read_scenario

    uploaded = st.session_state.get(JSON_UPLOAD_KEY)
    if uploaded is None:
        return
    sc, error = read_scenario(uploaded.getvalue(), plan)
    if sc is None:
        st.session_state[JSON_RESULT_KEY] = ("error", error, ())
        return
    apply_scenario(sc)
    st.session_state[JSON_RESULT_KEY] = ("ok", None, sc.repairs)
