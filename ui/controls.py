"""The sidebar: every scenario input, each bound to its URL parameter (link contract v1).

Built once per run by app.py, so moving a slider updates whichever page is open. The
widget key is the URL parameter name; Streamlit leaves a value equal to its default
out of the address bar. The explicit share link (ui/session.share_link) has them all.
"""

from __future__ import annotations

import streamlit as st

from model import Plan, Repair, Scenario
from model.plan import GROWTH_RANGE
from model.scenario import HORIZON_LIMIT, NUMERIC_PARAMS
from ui import export, session
from ui.text import status_label, t

BIND = "query-params"


def language() -> str:
    return st.sidebar.radio(
        t("side.language", "vi"), ["vi", "en"], key="lang", bind=BIND, horizontal=True
    )  # fmt: skip


def sector_sliders(plan: Plan, lang: str) -> dict[str, str]:
    st.sidebar.markdown(f"**{t('side.growth', lang)}**")
    values = {}
    for s in plan.sectors:
        key = f"g.{s.id}"
        help_text = t("side.growth_help", lang, default=s.growth_pct, status=status_label(s.growth_prov.status, lang))
        values[key] = st.sidebar.slider(
            s.name(lang), min_value=GROWTH_RANGE[0], max_value=GROWTH_RANGE[1], value=float(s.growth_pct),
            step=0.1, format="%.1f%%", key=key, bind=BIND, help=help_text,
        )  # fmt: skip
    return {k: str(v) for k, v in values.items()}


def covid_controls(defaults: Scenario, lang: str) -> dict[str, str]:
    st.sidebar.markdown(f"**{t('side.covid', lang)}**")
    shock = st.sidebar.slider(
        t("side.shock", lang), 0.0, NUMERIC_PARAMS["shock"][1], value=defaults.shock, step=1.0, format="%.0f%%",
        key="shock", bind=BIND, help=t("side.shock_help", lang),
    )  # fmt: skip
    rec = st.sidebar.slider(
        t("side.rec", lang), 0, 5, value=defaults.rec, step=1,
        key="rec", bind=BIND, help=t("side.rec_help", lang),
    )  # fmt: skip
    return {"shock": str(shock), "rec": str(rec)}


def target_controls(plan: Plan, defaults: Scenario, lang: str) -> dict[str, str]:
    with st.sidebar.expander(t("side.target", lang)):
        target = st.number_input(
            t("side.target_value", lang), min_value=NUMERIC_PARAMS["target"][0], max_value=NUMERIC_PARAMS["target"][1],
            value=float(defaults.target), step=50.0, format="%.1f", key="target", bind=BIND,
        )  # fmt: skip
        ty = st.slider(t("side.ty", lang), plan.base_year + 1, HORIZON_LIMIT, value=defaults.ty, key="ty", bind=BIND)
        h = st.slider(t("side.h", lang), plan.base_year + 1, HORIZON_LIMIT, value=defaults.h, key="h", bind=BIND)
        base_years = list(range(plan.base_year, plan.latest_actual_year() + 1))
        base = st.selectbox(
            t("side.base", lang), base_years, index=0, key="base", bind=BIND,
            help=t("side.base_help", lang, plan_base=plan.base_year),
        )  # fmt: skip
    return {"target": str(target), "ty": str(ty), "h": str(h), "base": str(base)}


def uncertainty_controls(defaults: Scenario, lang: str) -> dict[str, str]:
    with st.sidebar.expander(t("side.uncertainty", lang)):
        unc = st.slider(t("side.unc", lang), 0.0, 3.0, value=defaults.unc, step=0.1, key="unc", bind=BIND,
                        help=t("side.unc_help", lang))  # fmt: skip
        rho = st.slider(t("side.rho", lang), 0.0, 1.0, value=defaults.rho, step=0.05, key="rho", bind=BIND,
                        help=t("side.rho_help", lang))  # fmt: skip
        n = st.number_input(t("side.n", lang), min_value=1_000, max_value=50_000, value=defaults.n, step=1_000,
                            key="n", bind=BIND)  # fmt: skip
        seed = st.number_input(t("side.seed", lang), min_value=0, max_value=NUMERIC_PARAMS["seed"][1],
                               value=defaults.seed, step=1, key="seed", bind=BIND, help=t("side.seed_help", lang))  # fmt: skip
    return {"unc": str(unc), "rho": str(rho), "n": str(n), "seed": str(seed)}


def scenario_from_sidebar(plan: Plan, lang: str) -> Scenario:
    """Draw every control and read the scenario they describe.

    The values go through Scenario.from_query, the same reader a link goes through, so
    settings that contradict each other (a target year before the base year) are
    repaired the same way and listed in `repairs`.
    """
    defaults = Scenario.default(plan)
    query = {"lang": lang}
    query |= sector_sliders(plan, lang)
    query |= covid_controls(defaults, lang)
    query |= target_controls(plan, defaults, lang)
    query |= uncertainty_controls(defaults, lang)
    return Scenario.from_query(query, plan)


# --- programmatic changes (button callbacks: they run before the sidebar is drawn) -----


def _set(key: str, value: float | int) -> None:
    st.session_state[key] = value


def apply_growth(changes: dict[str, float]) -> None:
    """Move sector sliders; values are clamped to the slider's range and its 0.1 step."""
    for sector_id, growth in changes.items():
        _set(f"g.{sector_id}", slider_growth(growth))


def slider_growth(growth: float) -> float:
    return round(min(max(growth, GROWTH_RANGE[0]), GROWTH_RANGE[1]), 1)


def apply_preset(plan: Plan, preset_id: str) -> None:
    preset = next(p for p in plan.presets if p.id == preset_id)
    apply_growth({s.id: preset.growth_for(s) for s in plan.sectors})
    _set("shock", float(preset.shock))
    _set("rec", int(preset.rec))


def apply_target(value: float, year: int, base: int | None = None) -> None:
    _set("target", float(value))
    _set("ty", int(year))
    _set("h", max(int(year), int(st.session_state.get("h", year))))
    if base is not None:
        _set("base", int(base))


FLOAT_KEYS = ("shock", "unc", "rho", "target")
INT_KEYS = ("rec", "ty", "h", "base", "n", "seed")


def widget_values(sc: Scenario) -> dict[str, object]:
    """The value each scenario control must hold to show `sc` (typed as the widget returns it)."""
    values: dict[str, object] = {f"g.{sid}": float(g) for sid, g in sc.growth}
    values |= {key: float(getattr(sc, key)) for key in FLOAT_KEYS}
    values |= {key: int(getattr(sc, key)) for key in INT_KEYS}
    return values


def apply_scenario(sc: Scenario) -> None:
    """Set every sidebar control to a saved scenario (the language stays as it is)."""
    for key, value in widget_values(sc).items():
        _set(key, value)


# --- links that need repair -------------------------------------------------------------

LINK_CHECKED_KEY = "_link_checked"


def repair_link_once(plan: Plan) -> None:
    """On a session's first run, repair the link it was opened with (DESIGN.md section 4).

    Streamlit drops an invalid bound value back to the widget's default; the contract says
    clamp it (or fall back to the default) and say so. So the query is rewritten to its
    repaired form before any widget binds, and the widgets are told to seed from it: the
    sliders, the model and the address bar then all hold the repaired scenario.
    """
    if st.session_state.get(LINK_CHECKED_KEY):
        return
    st.session_state[LINK_CHECKED_KEY] = True
    raw = st.query_params.to_dict()
    link_data = raw.pop(session.DATA_PARAM, None)
    raw.pop(session.COMPARE_PARAM, None)
    sc = Scenario.from_query(raw, plan)
    canonical = sc.to_query()
    for key, value in raw.items():
        if key not in canonical:
            del st.query_params[key]
        elif _differs(value, canonical[key]):
            st.query_params[key] = canonical[key]
    if link_data is not None:
        del st.query_params[session.DATA_PARAM]
    _seed_widgets_from_current_query()
    repairs = list(sc.repairs)
    if link_data and link_data != plan.fingerprint:
        repairs.append(Repair(session.DATA_PARAM, link_data[:16], "data_mismatch", plan.province(sc.lang)))
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


def _differs(raw: str, value: object) -> bool:
    try:
        return float(raw.replace(",", ".")) != float(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return raw != str(value)


JSON_UPLOAD_KEY = "scenario_json_upload"
JSON_RESULT_KEY = "_scenario_json_result"


def load_scenario_file(plan: Plan) -> None:
    """on_change of the JSON uploader: open the file's scenario in the sidebar, or say why not."""
    uploaded = st.session_state.get(JSON_UPLOAD_KEY)
    if uploaded is None:
        return
    sc, error = export.load_scenario_json(uploaded.getvalue(), plan)
    if sc is None:
        st.session_state[JSON_RESULT_KEY] = ("error", error, ())
        return
    apply_scenario(sc)
    st.session_state[JSON_RESULT_KEY] = ("ok", None, sc.repairs)
