"""Tổng quan / Overview: is the target reached, by how much, when, and how sure are we."""

import streamlit as st

from model.projection import sector_summary
from ui import charts, components, session
from ui import format as fmt
from ui.text import status_label, t

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang

st.title(t("app.title", lang, province=plan.province(lang)))
st.caption(fmt.target_line(plan, sc.target, sc.ty, lang) + f" · {plan.scheme(lang)}")
components.record_and_verdict(ctx, ctx.risk())
components.key_figures(ctx, ctx.risk())
components.chart(charts.overview_chart(proj, plan, sc, lang), "overview", lang)
grouped = len(charts.main_sectors(plan)) < len(plan.sectors)
notes = [t("ov.other_note", lang, other=charts.other_label(plan, lang))] if grouped else []
st.caption(" ".join([*notes, t("ov.actual_note", lang), t("status.legend", lang)]))

components.backtest_section(ctx, ctx.risk())

st.subheader(t("ov.sector_table", lang))
summary = sector_summary(proj)
growth = sc.growth_map
names = [s.name(lang) for s in plan.sectors] + [t("word.total", lang)]
base_status = [status_label(status, lang) for status in plan.base_statuses(sc.base).values()]
# The base figures' status: one sentence when all sectors share it (the table then fits a
# projector's width), else a column beside the figures.
one_status = len(set(base_status)) == 1
columns = {
    t("word.sector", lang): names,
    t("ov.col.base", lang, base=sc.base): [fmt.number(v, lang) for v in summary["base_musd"]],
    **({} if one_status else {t("word.status", lang): [*base_status, ""]}),
    t("ov.col.share", lang): [fmt.number(v, lang) for v in summary["share_pct"]],
    t("ov.col.growth", lang): [*(fmt.number(growth[s.id], lang) for s in plan.sectors), ""],
    t("ov.col.value_y", lang, year=sc.ty): [fmt.number(v, lang) for v in summary["target_year_musd"]],
    t("ov.col.contribution", lang): [fmt.number(v, lang) for v in summary["contribution_musd"]],
}  # fmt: skip
components.text_table([dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)])
notes = [t("ov.table_units", lang, base=sc.base, year=sc.ty)]
if one_status:
    notes.append(t("ov.one_status", lang, status=base_status[0]))
st.caption(" ".join(notes))

components.downloads(ctx, ctx.risk())
