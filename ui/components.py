"""Streamlit pieces several pages share: notices, the verdict, key figures, the share box."""

from __future__ import annotations

from datetime import date

import streamlit as st
from altair.utils import schemapi as altair_schemapi

from model import RiskResult
from model import risk as risk_model
from model.record import record
from ui import export, session
from ui import format as fmt
from ui.session import Context
from ui.text import md, t, tmd


def link_repairs_notice(lang: str) -> None:
    """What was repaired in the link this session opened with, until dismissed."""
    repairs = st.session_state.get(session.REPAIRS_KEY)
    if not repairs:
        return
    lines = [t(f"repair.{r.code}", lang, key=r.key, raw=r.raw, value=r.value) for r in repairs]
    with st.container(border=True):
        st.warning(
            t("repair.title", lang) + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/warning:"
        )
        if st.button(t("repair.dismiss", lang), key="dismiss_repairs"):
            st.session_state.pop(session.REPAIRS_KEY, None)
            st.rerun()


def adjustments_notice(ctx: Context) -> None:
    """Settings in the sidebar that contradict each other, and what is used instead."""
    if not ctx.scenario.repairs:
        return
    lines = [t(f"repair.{r.code}", ctx.lang, key=r.key, raw=r.raw, value=r.value) for r in ctx.scenario.repairs]
    st.info(t("adjust.title", ctx.lang) + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/info:")


def record_and_verdict(ctx: Context, risk: RiskResult) -> None:
    """The record first (what really happened), then the projection's verdict, labelled by its
    vantage point, with its probability when it is not a firm answer."""
    rec = record(ctx.plan, ctx.projection, session.today())
    if sentence := fmt.record_sentence(rec, ctx.lang, ctx.plan.events):
        st.info(f"**{md(sentence)}**", icon=":material/history:")
    text = md(fmt.verdict(ctx.projection, ctx.lang, risk.probability, rec))
    shown = {"good": (st.success, ":material/check_circle:"), "bad": (st.error, ":material/cancel:"),
             "uncertain": (st.warning, ":material/help:")}  # fmt: skip
    alert, icon = shown[fmt.tone(ctx.projection, risk.probability)]
    alert(f"### {text}", icon=icon)


def key_figures(ctx: Context, risk: RiskResult) -> None:
    """Five large figures for the projector: short numbers, units in the labels."""
    proj, sc, lang = ctx.projection, ctx.scenario, ctx.lang
    cols = st.columns(5)
    cols[0].metric(t("kpi.total", lang, year=sc.ty), fmt.number(proj.target_year_total, lang))
    cols[1].metric(t("kpi.gap", lang), fmt.signed(proj.gap_musd, lang), delta=fmt.signed(proj.gap_pct, lang) + "%")
    cols[2].metric(
        t("kpi.growth", lang, required=fmt.pct(proj.required_cagr_pct, lang)),
        fmt.pct(proj.implied_cagr_pct, lang),
        delta=fmt.pp(proj.implied_cagr_pct - proj.required_cagr_pct, lang),
        help=t("kpi.growth_help", lang, base=sc.base, year=sc.ty),
    )
    crossed = str(proj.year_reached) if proj.year_reached else t("kpi.not_crossed", lang, h=sc.h)
    cols[3].metric(t("kpi.crossed", lang), crossed)
    cols[4].metric(
        t("kpi.probability", lang),
        fmt.pct(risk.probability * 100, lang, 0),
        help=t("kpi.probability_help", lang, n=fmt.number(risk.n, lang, 0), year=sc.ty, seed=sc.seed),
    )
    if risk.reduced:
        cols[4].caption(reduced_paths_text(ctx, risk))


def reduced_paths_text(ctx: Context, risk: RiskResult) -> str:
    """Why fewer paths were simulated than asked (the memory budget), for a Markdown place."""
    return tmd(
        "risk.reduced", ctx.lang, n=fmt.number(risk.n, ctx.lang, 0),
        requested=fmt.number(risk.n_requested, ctx.lang, 0), sectors=len(ctx.plan.sectors),
        years=ctx.scenario.h - ctx.scenario.base, limit=fmt.number(risk_model.MAX_SIMULATION_NUMBERS, ctx.lang, 0),
    )  # fmt: skip


def share_box(ctx: Context) -> None:
    st.sidebar.markdown(f"**{t('side.share', ctx.lang)}**")
    st.sidebar.code(session.share_link(ctx), language=None, wrap_lines=True)
    st.sidebar.caption(t("side.share_help", ctx.lang))
    if not ctx.uses_bundled_plan:
        st.sidebar.warning(t("side.plan_other", ctx.lang, fingerprint=ctx.plan.fingerprint))


# Altair's debug mode validates each part of a chart as it is built, for clearer errors
# while chart code is written; the app's charts are fixed code, validated by the tests.
altair_schemapi.disable_debug_mode()


class _Unvalidated:
    """An Altair chart whose to_dict() skips Altair's schema validation (tens of milliseconds
    a chart, on every rerun). st.altair_chart turns a chart into its spec by calling to_dict()
    under its own theme and data settings; everything else is the chart's own. The specs
    the chart builders make are validated by the tests, which also check that the chart
    sent is the one st.altair_chart sends for the chart itself."""

    def __init__(self, chart_obj) -> None:
        self._chart = chart_obj

    def to_dict(self, validate: bool = True, **kwargs) -> dict:
        return self._chart.to_dict(validate=False, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._chart, name)


def chart(chart_obj, name: str, lang: str) -> None:
    """An Altair chart with PNG and SVG downloads, rendered offline only when clicked."""
    st.altair_chart(_Unvalidated(chart_obj), width="stretch")
    with st.popover(t("dl.chart", lang), icon=":material/download:"):
        for kind, render, mime in (("png", export.chart_png, "image/png"), ("svg", export.chart_svg, "image/svg+xml")):
            st.download_button(
                t(f"export.download.{kind}", lang), data=lambda render=render: render(chart_obj),
                file_name=f"{name}.{kind}", mime=mime, on_click="ignore", key=f"{kind}_{name}",
            )  # fmt: skip


def downloads(ctx: Context, risk: RiskResult) -> None:
    """The projection as CSV and Excel, the scenario as JSON, and the one-page brief."""
    plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
    link = session.share_link(ctx)
    stem = f"{plan.id}-{sc.ty}"
    st.subheader(t("dl.title", lang))
    st.caption(t("dl.caption", lang))
    files = [
        ("export.download.pdf", lambda: export.brief_pdf(plan, sc, proj, risk, lang, link, date.today()),
         f"{stem}-brief.pdf", "application/pdf"),
        ("export.download.xlsx", lambda: export.projection_xlsx(plan, sc, proj, risk, lang, link), f"{stem}.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("export.download.csv", lambda: export.projection_csv(plan, sc, proj, lang), f"{stem}.csv", "text/csv"),
        ("export.download.json", lambda: export.scenario_json(sc), f"{stem}-scenario.json", "application/json"),
    ]  # fmt: skip
    for column, (label, make, file_name, mime) in zip(st.columns(len(files)), files, strict=True):
        column.download_button(
            t(label, lang), data=make, file_name=file_name, mime=mime, on_click="ignore",
            key=f"download_{file_name}", width="stretch",
        )  # fmt: skip
