"""Streamlit pieces several pages share: notices, the verdict, key figures, the share box."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import model
from model import Plan, RiskResult
from model import risk as risk_model
from model.goalseek import SECTOR_GROWTH_RANGE_PCT, UPLIFT_RANGE_PP, round_up
from model.plan import Preset
from model.record import record
from model.scenario_file import write_scenario
from ui import controls, session
from ui import format as fmt
from ui.charts import ChartSpec
from ui.exports import images, names, tables
from ui.exports.brief import BriefItem, brief_pdf
from ui.session import Context
from ui.table_html import LabelledTable, table_html
from ui.text import TEXT, md, one_line, t, tmd

CONTENT = Path(__file__).resolve().parent / "content"
_FIELD = re.compile(r"\{\{(\w+)\}\}")


@lru_cache(maxsize=8)
def content(name: str, lang: str) -> str:
    """The Markdown page ui/content/<name>.<lang>.md, with the model's figures written where it
    says {{field}}: the text and the searches it describes cannot disagree (an unknown field
    is a KeyError, which the pages' tests meet)."""
    fields = {
        "uplift_limit": fmt.number(UPLIFT_RANGE_PP[1], lang, 0),
        "sector_low": fmt.pct(SECTOR_GROWTH_RANGE_PCT[0], lang, 0),
        "sector_high": fmt.pct(SECTOR_GROWTH_RANGE_PCT[1], lang, 0),
    }
    text = (CONTENT / f"{name}.{lang}.md").read_text(encoding="utf-8")
    return _FIELD.sub(lambda field: fields[field.group(1)], text)


# A link or a scenario file can carry a thousand unknown keys: the notice names the first
# ones and counts the rest, so that it stays a notice.
MAX_REPAIR_LINES = 10


def repair_lines(repairs, lang: str, plan: Plan | None = None) -> list[str]:
    """One Markdown line per repair (the first MAX_REPAIR_LINES, then how many more); what
    came from the link or the file (key, raw value) is escaped: a link can carry Markdown
    links and images, which must show as text. With `plan`, the repairs are settings the
    sidebar's other settings moved, each named by its label (`_adjusted_line`)."""
    lines = [_adjusted_line(r, plan, lang) if plan is not None
             else tmd(f"repair.{r.code}", lang, key=one_line(r.key), raw=one_line(r.raw), value=r.value)
             for r in repairs[:MAX_REPAIR_LINES]]  # fmt: skip
    if len(repairs) > MAX_REPAIR_LINES:
        lines.append(t("repair.more", lang, n=fmt.number(len(repairs) - MAX_REPAIR_LINES, lang, 0)))
    return lines


def link_repairs_notice(lang: str) -> None:
    """What was repaired in the link this session opened with, until dismissed."""
    repairs = st.session_state.get(session.REPAIRS_KEY)
    if not repairs:
        return
    lines = repair_lines(repairs, lang)
    with st.container(border=True):
        st.warning(
            t("repair.title", lang) + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/warning:"
        )
        if st.button(t("repair.dismiss", lang), key="dismiss_repairs"):
            st.session_state.pop(session.REPAIRS_KEY, None)
            st.rerun()


def adjustments_notice(ctx: Context) -> None:
    """Settings in the sidebar that contradict each other, and what is used instead; and, on
    the run after new figures came in, the settings they moved (a base year the figures no
    longer have)."""
    repairs = st.session_state.pop(controls.MOVED_KEY, ()) + ctx.scenario.repairs
    if not repairs:
        return
    lines = repair_lines(repairs, ctx.lang, ctx.plan)
    st.info(t("adjust.title", ctx.lang) + "\n\n" + "\n".join(f"- {line}" for line in lines), icon=":material/info:")


def _adjusted_line(repair, plan: Plan, lang: str) -> str:
    """A setting the sidebar's other settings moved, named by its label ('Năm xảy ra cú sốc'),
    not its link key ('sy'): the user moved a slider, not a link."""
    try:
        label = fmt.param_label(repair.key, lang, plan, with_unit=False)
    except KeyError:  # not a parameter of the table: its key is all there is to name it by
        label = one_line(repair.key)
    key = f"adjust.{repair.code}"
    return tmd(key if key in TEXT else "adjust.other", lang, label=label, raw=one_line(repair.raw), value=repair.value)


def record_and_verdict(ctx: Context, risk: RiskResult) -> None:
    """The record first (what really happened), then the projection's verdict: each a short
    headline readable from the back of the room, its details in normal size below it. The
    verdict is labelled by its vantage point and carries its probability when uncertain."""
    rec = record(ctx.plan, ctx.projection, session.today())
    if parts := fmt.record_parts(rec, ctx.lang, ctx.plan.events, ctx.plan.sources):
        head, details = parts
        st.info(f"#### {md(head)}\n\n{md(details)}", icon=":material/history:")
    proj, lang = ctx.projection, ctx.lang
    head = md(fmt.verdict_headline(proj, lang, risk.probability))
    details = md(fmt.verdict_details(proj, lang, rec))
    shown = {"good": (st.success, ":material/check_circle:"), "bad": (st.error, ":material/cancel:"),
             "uncertain": (st.warning, ":material/help:")}  # fmt: skip
    alert, icon = shown[fmt.tone(proj, risk.probability)]
    alert(f"### {head}\n\n{details}", icon=icon)


def key_figures(ctx: Context, risk: RiskResult) -> None:
    """Five large figures for the projector, units in the labels. They sit in a row that
    wraps: three and two on a 1024 px screen with the sidebar open, five in a row on wider
    ones; each as wide as its label and figure, so that nothing is cut."""
    proj, sc, lang = ctx.projection, ctx.scenario, ctx.lang
    crossed = str(proj.year_reached) if proj.year_reached else t("kpi.not_crossed", lang, h=sc.h)
    growth, required, difference = fmt.growth_and_required(proj, lang)
    figures = [
        dict(label=t("kpi.total", lang, year=sc.ty), value=fmt.number(proj.target_year_total, lang)),
        dict(label=t("kpi.gap", lang), value=fmt.signed(proj.gap_musd, lang), delta=fmt.signed(proj.gap_pct, lang) + "%"),
        dict(label=t("kpi.growth", lang, required=required), value=growth, delta=difference,
             help=t("kpi.growth_help", lang, base=sc.base, year=sc.ty)),
        dict(label=t("kpi.crossed", lang), value=crossed),
        dict(label=t("kpi.probability", lang), value=fmt.probability_pct(risk.probability, lang),
             help=t("kpi.probability_help", lang, n=fmt.number(risk.n, lang, 0), year=sc.ty, seed=sc.seed)),
    ]  # fmt: skip
    with st.container(horizontal=True, gap="medium"):
        for figure in figures:
            st.metric(**figure, width="content")
    if risk.reduced:
        st.caption(reduced_paths_text(ctx, risk))


def reduced_paths_text(ctx: Context, risk: RiskResult) -> str:
    """Why fewer paths were simulated than asked (the memory budget), for a Markdown place."""
    return tmd(
        "risk.reduced", ctx.lang, n=fmt.number(risk.n, ctx.lang, 0),
        requested=fmt.number(risk.n_requested, ctx.lang, 0), sectors=len(ctx.plan.sectors),
        years=ctx.scenario.h - ctx.scenario.base, limit=fmt.number(risk_model.MAX_SIMULATION_NUMBERS, ctx.lang, 0),
    )  # fmt: skip


def share_box(ctx: Context) -> None:
    """The link to this scenario, behind a button, built only while its popover is open. The
    code box's highlighter (1.5 MB of JavaScript) loads only when the link is asked for: a
    first page on a projector's laptop draws about 0.2 s sooner, and the sidebar is shorter
    by the link's dozen lines."""
    box = st.sidebar.popover(
        t("side.share", ctx.lang), icon=":material/link:", width="stretch", **controls.built_when_open("share")
    )
    if box.open:
        with box:
            st.code(session.share_link(ctx), language=None, wrap_lines=True)
            st.caption(t("side.share_help", ctx.lang))
    # The link carries the figures' fingerprint: only saved ones can be opened by someone else.
    if ctx.dataset is not None:
        st.sidebar.caption(tmd("side.share_dataset", ctx.lang, name=ctx.dataset.name))
    elif not ctx.uses_bundled_plan:
        province = session.bundled_plan().province(ctx.lang)
        st.sidebar.warning(t("side.plan_other", ctx.lang, fingerprint=ctx.plan.fingerprint, province=province))


def chart(chart_obj: ChartSpec, name: str, lang: str) -> None:
    """A chart with PNG and SVG downloads, rendered offline only when clicked. Its shape is
    the kept Vega-Lite spec; only this run's data goes with it (see ui.charts.ChartSpec)."""
    st.vega_lite_chart(spec={**chart_obj.spec(), "datasets": dict(chart_obj.data)}, width="stretch")
    box = st.popover(t("dl.chart", lang), icon=":material/download:", **controls.built_when_open(f"chart_{name}"))
    if not box.open:
        return
    with box:
        for kind, render, mime in (("png", images.chart_png, "image/png"), ("svg", images.chart_svg, "image/svg+xml")):
            st.download_button(
                t(f"export.download.{kind}", lang), data=lambda render=render: render(chart_obj),
                file_name=f"{name}.{kind}", mime=mime, on_click="ignore", key=f"{kind}_{name}",
            )  # fmt: skip


def downloads(ctx: Context, risk: RiskResult) -> None:
    """The projection as CSV and Excel, the scenario as JSON, and the one-page brief, in a
    section that opens on a click (its buttons are built only while open)."""
    plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
    box = st.expander(t("dl.title", lang), icon=":material/download:", **controls.built_when_open("downloads"))
    if not box.open:
        return
    link = session.share_link(ctx)
    today = session.today()
    data_name = session.data_name(ctx, lang)
    name = session.scenario_name(ctx)
    stem = names.file_stem(plan, sc, today, name)
    box.caption(t("dl.caption", lang))
    files = [
        ("export.download.pdf", lambda: brief_pdf(BriefItem(plan, sc, proj, risk, data_name, name), lang, link, today),
         f"{stem}.pdf", "application/pdf"),
        ("export.download.xlsx",
         lambda: tables.projection_xlsx(plan, sc, proj, risk, lang, link, data_name=data_name, today=today, name=name),
         f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("export.download.csv", lambda: tables.projection_csv(plan, sc, proj, lang), f"{stem}.csv", "text/csv"),
        ("export.download.json", lambda: write_scenario(sc), f"{stem}.json", "application/json"),
    ]  # fmt: skip
    with box.container(horizontal=True):  # wraps onto a second line rather than cutting a label
        for label, make, file_name, mime in files:
            st.download_button(
                t(label, lang), data=make, file_name=file_name, mime=mime, on_click="ignore",
                key=f"download_{label}", icon=":material/download:",
            )  # fmt: skip


# --- the Scenario page's presets and growth table -----------------------------------------

# Cards in a row that wraps (st.container(horizontal=True)): the main area is about 560 px
# wide at 1024 px with the sidebar open and about 900 px at 1366 px.
CARD_WIDTH = 270  # two a row at 1024 px, three at 1366 px
WIDE_CARD_WIDTH = 430  # one a row at 1024 px, two at 1366 px


def preset_card(plan: Plan, preset: Preset, lang: str) -> None:
    """A preset: its name (and "hypothetical" when it did not happen), its basis, and how its
    path compares with what really happened since the base year."""
    st.markdown(f"**{md(preset.name(lang))}**")
    # One caption, a paragraph each: every element adds to every rerun, and the page has five cards.
    paragraphs = [f":orange-badge[{t('sc.hypothetical', lang)}]"] if preset.hypothetical else []
    paragraphs.append(md(preset.basis(lang)))
    if sentence := fmt.backtest_sentence(session.preset_backtest(plan, preset), lang, short=True):
        paragraphs.append(md(sentence))
    st.caption("\n\n".join(paragraphs))
    st.button(t("sc.apply", lang), key=f"preset_{preset.id}", on_click=controls.apply_preset, args=(plan, preset.id),
              width="stretch")  # fmt: skip


def calibrated_preset_card(plan: Plan, cal: model.Calibration, lang: str) -> None:
    """The preset fitted to the record: the fitted uplift and uncertainty, and the fit's quality."""
    st.markdown(f"**{t('sc.calibrated', lang)}**")
    st.caption(
        t("sc.calibrated_basis", lang, years=fmt.years(cal.years)) + "\n\n" + md(fmt.calibration_sentence(cal, lang))
    )
    fitted = cal.scenario(model.Scenario.default(plan))
    st.button(t("sc.apply", lang), key="preset_calibrated", on_click=controls.apply_scenario_values,
              args=(fitted, ("unc", "shock", "perm")), width="stretch")  # fmt: skip


def growth_editor(plan: Plan, sc: model.Scenario, lang: str) -> None:
    """Every sector's growth as text in the reader's convention, bound to the sidebar's sliders:
    an edit moves the slider, a slider move shows here on the next run."""
    # A frame, not a list of rows: Streamlit turns rows into one anyway, at twice the cost.
    rows = pd.DataFrame({
        t("word.sector", lang): [s.name(lang) for s in plan.sectors],
        t("sc.col.growth", lang): [fmt.number(g, lang) for _, g in sc.growth],
    })  # fmt: skip
    # As tall as its rows (model.plan.MAX_SECTORS at most): Streamlit's default shows ten and scrolls the rest.
    st.data_editor(
        rows, key=controls.growth_editor_key(), hide_index=True, width="stretch", height="content", num_rows="fixed",
        disabled=[t("word.sector", lang)], on_change=controls.read_growth_edits, args=(plan, lang),
    )  # fmt: skip
    if message := st.session_state.pop(controls.GROWTH_EDIT_MESSAGE, None):
        st.warning(message)


def backtest_section(ctx: Context, risk: RiskResult) -> None:
    """The projection beside the record, year by year: how good the view from the base year was."""
    check = model.backtest(ctx.plan, ctx.scenario, ctx.projection, risk)
    lang = ctx.lang
    st.subheader(t("backtest.title", lang, base=ctx.scenario.base))
    if check.verdict is None:
        st.caption(t("backtest.none", lang, base=ctx.scenario.base))
        return
    st.write(md(fmt.backtest_sentence(check, lang) or ""))
    text_table(fmt.backtest_rows(check, lang))
    st.caption(t("backtest.units", lang, base=ctx.scenario.base))
    base = ctx.plan.actual_totals().get(ctx.scenario.base)
    if base is not None and base.prov.status == "derived":  # the grade then says as much about that figure
        figure = fmt.musd(base.value_musd, lang)
        st.caption(t("backtest.base_derived", lang, base=ctx.scenario.base, figure=figure))


def target_button(
    where: DeltaGenerator,
    sc: model.Scenario,
    lang: str,
    label: str,
    target: tuple[float, int, int],
    help: str | None = None,
) -> None:
    """A button that sets the target, its year and base year (`target`), greyed out while the
    scenario already uses them: a button that does nothing must not look as if it would."""
    in_use = controls.target_in_use(sc, *target)
    where.button(label, on_click=controls.apply_target, args=target, disabled=in_use,
                 help=t("sc.target_in_use", lang) if in_use else help)  # fmt: skip


def sector_needs(
    plan: Plan, sc: model.Scenario, needed: dict[str, float | None], anyway: dict[str, bool], lang: str
) -> tuple[list[dict[str, str]], bool]:
    """The Scenario page's table of the growth each sector alone would need (`needed`, None
    where there is none; `anyway`: reached even at the lowest rate), and whether a need lies
    beyond the slider: such a need is marked *, and the page says what the mark means."""
    rows, beyond = [], False
    for s in plan.sectors:
        need = needed[s.id]
        if need is None:
            cell = t("sc.any_rate" if anyway[s.id] else "sc.not_alone", lang)
        else:
            outside = controls.slider_holds_instead(round_up(need)) is not None
            beyond |= outside
            cell = fmt.number(need, lang, 2) + ("*" if outside else "")
        rows.append({
            t("word.sector", lang): s.name(lang),
            t("sc.col.current", lang): fmt.number(sc.growth_map[s.id], lang, 2),  # as the need beside it
            t("sc.col.needed", lang): cell,
        })  # fmt: skip
    return rows, beyond


def text_table(table: list[dict[str, str]] | LabelledTable) -> None:
    """A read-only table whose cells wrap to the page's width, so a projector at 1024 px shows
    every figure, name and note without a sideways scroll or a cut cell. Rows given as dicts
    have no row labels. Every text shows exactly its characters (ui.table_html)."""
    if isinstance(table, LabelledTable):
        st.html(table_html(table.headers, table.rows, table.labels, table.marks))
        return
    headers = list(dict.fromkeys(key for row in table for key in row))
    st.html(table_html(headers, [[row.get(h, "") for h in headers] for row in table]))
