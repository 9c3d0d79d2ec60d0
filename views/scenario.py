"""Kịch bản / Scenario: presets with their basis, the target in use, and goal seek."""

import pandas as pd
import streamlit as st

import model
from model.goalseek import growth_with_uplift, round_up
from ui import controls, session
from ui import format as fmt
from ui.text import status_label, t

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang

st.title(t("word.scenario", lang))

st.subheader(t("sc.presets", lang))
st.caption(t("sc.presets_help", lang))
for column, preset in zip(st.columns(len(plan.presets)), plan.presets, strict=True):
    with column.container(border=True):
        st.markdown(f"**{preset.name(lang)}**")
        st.caption(preset.basis(lang))
        st.button(
            t("sc.apply", lang), key=f"preset_{preset.id}", on_click=controls.apply_preset, args=(plan, preset.id),
            width="stretch",
        )  # fmt: skip

st.file_uploader(
    t("export.load_json", lang), type=["json"], key=controls.JSON_UPLOAD_KEY,
    on_change=controls.load_scenario_file, args=(plan,),
)  # fmt: skip
if result := st.session_state.pop(controls.JSON_RESULT_KEY, None):
    status, error, repairs = result
    if status == "error":
        st.error(t(f"export.error.{error}", lang))
    else:
        lines = [t(f"repair.{r.code}", lang, key=r.key, raw=r.raw, value=r.value) for r in repairs]
        st.success("\n".join([t("export.loaded", lang), *(f"- {line}" for line in lines)]))

st.subheader(t("sc.targets", lang))
st.write(t("sc.targets_text", lang, target=fmt.musd(sc.target, lang), year=sc.ty, base=sc.base, h=sc.h))
left, right = st.columns(2)
if plan.target_2030 is not None:
    t2030 = plan.target_2030
    left.button(
        t("sc.target_2030", lang, value=fmt.musd(t2030.value_musd, lang), status=status_label(t2030.prov.status, lang)),
        on_click=controls.apply_target, args=(t2030.value_musd, t2030.year, plan.latest_actual_year()),
        help=t2030.note(lang),
    )  # fmt: skip
right.button(
    t("sc.target_2025", lang, year=plan.target.year),
    on_click=controls.apply_target, args=(plan.target.value_musd, plan.target.year, plan.base_year),
)  # fmt: skip

st.subheader(t("sc.goal", lang))
uplift_col, sector_col = st.columns(2)
with uplift_col.container(border=True):
    st.markdown(f"**{t('sc.uplift', lang)}**")
    uplift = model.required_uplift_pp(plan, sc)
    if uplift is None:
        st.warning(t("sc.uplift_none", lang))
    else:
        st.metric(t("sc.uplift", lang), fmt.pp(uplift, lang, 2))
        st.write(
            t("sc.uplift_text", lang, target=fmt.musd(sc.target, lang), year=sc.ty, uplift=fmt.pp(uplift, lang, 2))
        )
        st.button(
            t("sc.apply_uplift", lang), key="apply_uplift", type="primary",
            on_click=controls.apply_growth, args=(growth_with_uplift(sc, uplift),),
        )  # fmt: skip

needed_by_sector = {sid: model.required_sector_growth_pct(plan, sc, sid) for sid in plan.sector_ids}
with sector_col.container(border=True):
    st.markdown(f"**{t('sc.one_sector', lang)}**")
    names = {s.id: s.name(lang) for s in plan.sectors}
    chosen = st.selectbox(t("word.sector", lang), plan.sector_ids, format_func=names.get, key="goal_sector")
    needed = needed_by_sector[chosen]
    current = sc.growth_map[chosen]
    if needed is None:
        st.warning(t("sc.sector_none", lang, sector=names[chosen]))
    else:
        st.metric(
            names[chosen], fmt.pct(needed, lang, 2), delta=fmt.pp_change(needed, current, lang, 2), delta_color="off"
        )
        st.write(
            t(
                "sc.sector_text",
                lang,
                sector=names[chosen],
                growth=fmt.pct(needed, lang, 2),
                current=fmt.pct(current, lang),
            )
        )
        if (held := controls.slider_holds_instead(round_up(needed))) is not None:
            st.warning(t("sc.sector_clamped", lang, value=fmt.pct(held, lang)))
        st.button(
            t("sc.apply_sector", lang, sector=names[chosen]), key="apply_sector", type="primary",
            on_click=controls.apply_growth, args=({chosen: round_up(needed)},),
        )  # fmt: skip

st.markdown(f"**{t('sc.all_table', lang)}**")
rows = []
for s in plan.sectors:
    needed = needed_by_sector[s.id]
    rows.append({
        t("word.sector", lang): s.name(lang),
        t("sc.col.current", lang): fmt.number(sc.growth_map[s.id], lang),
        t("sc.col.needed", lang): fmt.number(needed, lang, 2) if needed is not None else t("sc.not_alone", lang),
    })  # fmt: skip
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
