"""Rủi ro & độ nhạy / Risk and sensitivity: how sure we are, which sectors matter."""

import streamlit as st

import model
from model.risk import TORNADO_STEPS_PP
from ui import charts, components, session
from ui import format as fmt
from ui.text import t, tmd

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
risk = ctx.risk()
names = {s.id: s.name(lang) for s in plan.sectors}

st.title(t("page.risk", lang))

st.subheader(t("risk.uncertainty", lang))
st.markdown(f"## {t('risk.probability', lang, p=fmt.probability_pct(risk.probability, lang))}")
st.write(
    t("risk.probability_text", lang, n=fmt.number(risk.n, lang, 0), seed=sc.seed, k=fmt.number(risk.paths_reaching, lang, 0),
      target=fmt.target_musd(sc.target, lang), year=sc.ty) + " " + fmt.simulation_error(risk, lang)
)  # fmt: skip
if risk.reduced:
    st.warning(components.reduced_paths_text(ctx, risk), icon=":material/memory:")
final = risk.quantiles.loc[sc.ty]
st.write(t("risk.range_text", lang, year=sc.ty, p50=fmt.musd(final["p50"], lang), p10=fmt.musd(final["p10"], lang),
           p90=fmt.musd(final["p90"], lang)))  # fmt: skip
st.caption(t("risk.controls_note", lang) + " " + t("risk.volatility_note", lang))
# One chart a row: at 1024 px with the sidebar open, two side by side would be too narrow to read.
components.chart(charts.fan_chart(risk, proj, plan, sc, lang), "fan", lang)
components.chart(charts.distribution_chart(risk, sc, lang), "distribution", lang)

st.subheader(t("risk.sensitivity", lang))
# Not bound to the link: the options can carry labels in the reader's convention ("±2,0 điểm %").
delta = st.select_slider(
    t("risk.delta", lang),
    TORNADO_STEPS_PP,
    value=2.0,
    key="tornado_delta",
    format_func=lambda v: f"±{fmt.number(v, lang)} {fmt.unit_text('pp', lang)}",
)
swings = model.tornado(plan, sc, delta_pp=delta)
top = swings.iloc[0]
st.write(tmd("risk.most", lang, sector=names[top["sector"]], delta=fmt.number(delta, lang), year=sc.ty,
           swing=fmt.musd(top["swing_musd"], lang)))  # fmt: skip
components.chart(charts.tornado_chart(swings, plan, sc, proj.target_year_total, delta, lang), "tornado", lang)

st.subheader(t("risk.priority", lang))
priorities = model.priority_map(plan, sc)
leaders = priorities.head(3)
st.write(tmd("risk.priority_text", lang, sectors=", ".join(names[s] for s in leaders["sector"]),
           top=names[leaders.iloc[0]["sector"]], effect=fmt.musd(leaders.iloc[0]["effect_musd_per_pp"], lang),
           year=sc.ty))  # fmt: skip
components.chart(charts.priority_chart(priorities, plan, sc, lang), "priority", lang)
