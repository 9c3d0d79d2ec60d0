"""Kịch bản / Scenario: presets (checked against the record), growth typed exactly, the
target in use, and what it would take."""

import streamlit as st

import model
from model import goalseek
from model.goalseek import SECTOR_GROWTH_RANGE_PCT, UPLIFT_RANGE_PP, growth_with_uplift, round_up
from model.plan import GROWTH_RANGE
from ui import components, controls, session
from ui import format as fmt
from ui.text import md, status_label, t, tmd

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang

st.title(t("word.scenario", lang))

# --- presets, each with how it compares with what really happened
st.subheader(t("sc.presets", lang))
st.caption(t("sc.presets_help", lang))
calibration = model.calibrate(plan, model.Scenario.default(plan))
cards = list(plan.presets) + ([calibration] if calibration is not None else [])
with st.container(horizontal=True):  # cards of a readable width: two a row at 1024 px, three at 1366 px
    for card in cards:
        with st.container(border=True, width=components.CARD_WIDTH):
            if isinstance(card, model.Calibration):
                components.calibrated_preset_card(plan, card, lang)
            else:
                components.preset_card(plan, card, lang)

st.file_uploader(
    t("export.load_json", lang), type=["json"], key=controls.JSON_UPLOAD_KEY,
    on_change=controls.load_scenario_file, args=(plan,),
)  # fmt: skip
if result := st.session_state.pop(controls.JSON_RESULT_KEY, None):
    status, error, repairs = result
    if status == "error":
        st.error(t(f"export.error.{error}", lang))
    else:
        lines = components.repair_lines(repairs, lang)
        st.success("\n".join([t("export.loaded", lang), *(f"- {line}" for line in lines)]))

# --- growth typed exactly: the same values as the sidebar's sliders
st.subheader(t("sc.growth_table", lang))
slider_low, slider_high = (fmt.pct(v, lang, 0) for v in GROWTH_RANGE)
st.caption(t("sc.growth_table_help", lang, low=slider_low, high=slider_high))
components.growth_editor(plan, sc, lang)

# --- the target in use
st.subheader(t("sc.targets", lang))
st.write(tmd("sc.targets_text", lang, target=fmt.target_musd(sc.target, lang), year=sc.ty, base=sc.base, h=sc.h))
buttons = st.container(horizontal=True)  # each button as wide as its label, wrapping to a new line
if plan.target_2030 is not None:
    t2030 = plan.target_2030
    components.target_button(
        buttons, sc, lang,
        md(t("sc.target_2030", lang, value=fmt.target_musd(t2030.value_musd, lang), status=status_label(t2030.prov.status, lang))),
        (t2030.value_musd, t2030.year, plan.latest_base_year()), help=md(t2030.note(lang)),
    )  # fmt: skip
components.target_button(
    buttons, sc, lang,
    md(t("sc.target_plan", lang, year=plan.target.year, status=status_label(plan.target.prov.status, lang))),
    (plan.target.value_musd, plan.target.year, plan.base_year),
)  # fmt: skip

# --- what would it take (or, when the target is already beaten, how much room there is)
st.subheader(t("sc.goal", lang))
st.caption(t("sc.goal_central", lang, risk=t("page.risk", lang)))
goal = st.container(horizontal=True)  # side by side when there is room, else one under the other
with goal.container(border=True, width=components.WIDE_CARD_WIDTH):
    st.markdown(f"**{t('sc.every_sector', lang)}**")
    uplift = model.required_uplift_pp(plan, sc)
    if uplift is None and goalseek.uplift_reaches_anyway(plan, sc):  # reached even with the largest cut tried
        st.info(t("sc.uplift_any", lang, cut=fmt.number(goalseek.LARGEST_CUT_PP, lang, 0)))
    elif uplift is None:  # not reached even with the largest rise tried
        low, high = (fmt.signed(v, lang, 0) for v in UPLIFT_RANGE_PP)
        st.warning(t("sc.uplift_none", lang, low=low, high=high))
    elif proj.reachable:  # already reached: the uplift is how much slower every sector could grow
        st.metric(t("sc.room", lang), fmt.room(uplift, lang))
        st.write(
            tmd("sc.room_text", lang, target=fmt.target_musd(sc.target, lang), year=sc.ty, room=fmt.room(uplift, lang))
        )
    else:
        st.metric(t("sc.uplift", lang), fmt.pp(uplift, lang, 2))
        st.write(
            tmd(
                "sc.uplift_text",
                lang,
                target=fmt.target_musd(sc.target, lang),
                year=sc.ty,
                uplift=fmt.pp(uplift, lang, 2),
            )
        )
        st.button(
            t("sc.apply_uplift", lang), key="apply_uplift", type="primary",
            on_click=controls.apply_growth, args=(growth_with_uplift(sc, uplift),),
        )  # fmt: skip

needed_by_sector = {sid: model.required_sector_growth_pct(plan, sc, sid) for sid in plan.sector_ids}
names = {s.id: s.name(lang) for s in plan.sectors}
tried_low, tried_high = (fmt.pct(v, lang, 0) for v in SECTOR_GROWTH_RANGE_PCT)
# For a sector with no solution in range: reached even at its lowest growth tried, or not at its highest
anyway = {sid: goalseek.sector_reaches_anyway(plan, sc, sid) for sid, need in needed_by_sector.items() if need is None}
with goal.container(border=True, width=components.WIDE_CARD_WIDTH):
    st.markdown(f"**{t('sc.one_sector', lang)}**")
    # one key per language: Streamlit keeps a select box's value as its shown name
    chosen = st.selectbox(
        t("word.sector", lang), plan.sector_ids, format_func=names.__getitem__, key=f"goal_sector.{lang}"
    )
    needed, current = needed_by_sector[chosen], sc.growth_map[chosen]
    if needed is None and anyway[chosen]:
        st.info(tmd("sc.sector_any", lang, sector=names[chosen], low=tried_low))
    elif needed is None:
        st.warning(tmd("sc.sector_none", lang, sector=names[chosen], low=tried_low, high=tried_high))
    elif proj.reachable:
        st.metric(md(names[chosen]), fmt.pct(needed, lang, 2))
        st.write(tmd("sc.sector_room", lang, sector=names[chosen], growth=fmt.pct(needed, lang, 2),
                     current=fmt.pct(current, lang)))  # fmt: skip
    else:
        st.metric(
            md(names[chosen]),
            fmt.pct(needed, lang, 2),
            delta=fmt.pp_change(needed, current, lang, 2),
            delta_color="off",
        )
        st.write(tmd("sc.sector_text", lang, sector=names[chosen], growth=fmt.pct(needed, lang, 2),
                     current=fmt.pct(current, lang)))  # fmt: skip
        if (held := controls.slider_holds_instead(round_up(needed))) is not None:
            st.warning(tmd("sc.sector_clamped", lang, value=fmt.pct(held, lang), low=slider_low, high=slider_high))
        st.button(
            md(t("sc.apply_sector", lang, sector=names[chosen])), key="apply_sector", type="primary",
            on_click=controls.apply_growth, args=({chosen: round_up(needed)},),
        )  # fmt: skip

st.markdown(f"**{t('sc.all_table', lang)}**")
needs, beyond_slider = components.sector_needs(plan, sc, needed_by_sector, anyway, lang)
components.text_table(needs)
if beyond_slider:
    st.caption(t("sc.beyond_slider", lang, low=slider_low, high=slider_high))
