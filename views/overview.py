"""Tổng quan / Overview: is the target reached, by how much, when, and how sure are we."""

import pandas as pd
import streamlit as st

from ui import charts, components, session
from ui import format as fmt
from ui.text import status_label, t

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang

st.title(t("app.title", lang, province=plan.province(lang)))
st.caption(t("app.subtitle", lang, target=fmt.musd(sc.target, lang), year=sc.ty) + f" · {plan.scheme(lang)}")
components.verdict_banner(proj, lang)
components.key_figures(ctx, ctx.risk())
components.chart(charts.overview_chart(proj, plan, sc, lang), "overview", lang)
st.caption(t("ov.actual_note", lang) + " " + t("status.legend", lang))

st.subheader(t("ov.sector_table", lang))
base_values = proj.by_sector.loc[sc.base]
table = pd.DataFrame({
    t("ov.col.sector", lang): [s.name(lang) for s in plan.sectors],
    t("ov.col.base", lang, base=sc.base): [fmt.number(base_values[s.id], lang) for s in plan.sectors],
    t("ov.col.base_status", lang): [status_label(s.base_prov.status if sc.base == plan.base_year else "derived", lang)
                                    for s in plan.sectors],
    t("ov.col.share", lang): [fmt.number(base_values[s.id] / base_values.sum() * 100, lang) for s in plan.sectors],
    t("ov.col.growth", lang): [fmt.number(g, lang) for _, g in sc.growth],
    t("ov.col.value_y", lang, year=sc.ty): [fmt.number(proj.by_sector.loc[sc.ty, s.id], lang) for s in plan.sectors],
    t("ov.col.contribution", lang): [fmt.number(proj.contributions[s.id], lang) for s in plan.sectors],
})  # fmt: skip
st.dataframe(table, hide_index=True, width="stretch")

components.downloads(ctx, ctx.risk())
