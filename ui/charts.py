"""Chart builders: pure functions from model results to Altair charts (no Streamlit here).

Every chart: a readable title, axis units, labels in the reader's language, a tooltip
with formatted numbers, and one colour per sector that is the same on every page.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from model import Plan, Projection, RiskResult, Scenario
from ui import format as fmt
from ui.text import status_label, t

# Colour-blind-safe and distinct on a projector (Tableau 10 and a few extras).
PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
)  # fmt: skip
TARGET_COLOUR = "#c0392b"
REQUIRED_COLOUR = "#222222"
ACTUAL_COLOUR = "#111111"
WIDTH = "container"
HEIGHT = 420

LOCALE_NUMBER = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " USD"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " USD"]},
}


def sector_colours(plan: Plan, lang: str) -> alt.Scale:
    names = [s.name(lang) for s in plan.sectors]
    return alt.Scale(domain=names, range=[PALETTE[i % len(PALETTE)] for i in range(len(names))])


def _finish(chart: alt.TopLevelMixin, title: str, lang: str) -> alt.TopLevelMixin:
    return (
        chart.properties(title=alt.TitleParams(title, anchor="start", fontSize=18), width=WIDTH, height=HEIGHT)
        .configure(locale={"number": LOCALE_NUMBER.get(lang, LOCALE_NUMBER["vi"])})
        .configure_axis(labelFontSize=14, titleFontSize=14)
        .configure_legend(labelFontSize=13, titleFontSize=13, orient="bottom", columns=4)
    )


def _year_axis(lang: str) -> alt.X:
    return alt.X("year:O", title=t("word.year", lang), axis=alt.Axis(labelAngle=0))


def _musd_axis(lang: str, field: str = "value", stack: str | None = None) -> alt.Y:
    return alt.Y(f"{field}:Q", title=t("chart.musd", lang), stack=stack, axis=alt.Axis(format=",.0f"))


def _actual_points(plan: Plan, sc: Scenario, lang: str) -> pd.DataFrame:
    rows = [
        {"year": y, "value": a.value_musd, "label": fmt.musd(a.value_musd, lang),
         "status": status_label(a.prov.status, lang), "note": a.prov.note, "series": t("chart.actual", lang)}
        for y, a in sorted(plan.actual_totals().items())
        if sc.base < y <= sc.h
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["year", "value", "label", "status", "note", "series"])


def _reference_layers(proj: Projection, plan: Plan, sc: Scenario, lang: str) -> list[alt.Chart]:
    """The target line, the required path and the actual points: shared by several charts."""
    target = pd.DataFrame(
        {
            "value": [proj.target],
            "label": [fmt.musd(proj.target, lang)],
            "series": [fmt.param_label("target", lang, with_unit=False)],
        }
    )
    target_rule = (
        alt.Chart(target)
        .mark_rule(color=TARGET_COLOUR, strokeWidth=2.5, strokeDash=[8, 4])
        .encode(y="value:Q", tooltip=[alt.Tooltip("series:N", title=t("chart.series", lang)),
                                      alt.Tooltip("label:N", title=t("word.value", lang))])
    )  # fmt: skip
    required = pd.DataFrame({
        "year": proj.required_path.index, "value": proj.required_path.values,
        "label": [fmt.musd(v, lang) for v in proj.required_path.values],
        "series": t("chart.required", lang, rate=fmt.pct(proj.required_cagr_pct, lang)),
    })  # fmt: skip
    required_line = (
        alt.Chart(required)
        .mark_line(color=REQUIRED_COLOUR, strokeDash=[3, 3], strokeWidth=2)
        .encode(x="year:O", y="value:Q", tooltip=[
            alt.Tooltip("series:N", title=t("chart.series", lang)), alt.Tooltip("year:O", title=t("word.year", lang)),
            alt.Tooltip("label:N", title=t("word.value", lang))])
    )  # fmt: skip
    layers = [target_rule, required_line]
    actual = _actual_points(plan, sc, lang)
    if not actual.empty:
        layers.append(
            alt.Chart(actual)
            .mark_point(filled=True, size=140, color=ACTUAL_COLOUR, stroke="white", strokeWidth=1.5)
            .encode(
                x="year:O", y="value:Q",
                shape=alt.Shape("status:N", title=t("chart.actual", lang), legend=alt.Legend(orient="bottom")),
                tooltip=[alt.Tooltip("series:N", title=t("chart.series", lang)),
                         alt.Tooltip("year:O", title=t("word.year", lang)),
                         alt.Tooltip("label:N", title=t("word.value", lang)),
                         alt.Tooltip("status:N", title=t("word.status", lang)),
                         alt.Tooltip("note:N", title=t("word.note", lang))],
            )
        )  # fmt: skip
    return layers


def overview_chart(proj: Projection, plan: Plan, sc: Scenario, lang: str) -> alt.TopLevelMixin:
    """Stacked areas by sector, the target, the required path and the actual points."""
    names = {s.id: s.name(lang) for s in plan.sectors}
    order = {s.id: i for i, s in enumerate(plan.sectors)}
    long = proj.by_sector.reset_index().melt(id_vars="year", var_name="sector_id", value_name="value")
    long["sector"] = long["sector_id"].map(names)
    long["order"] = long["sector_id"].map(order)
    long["label"] = [fmt.musd(v, lang) for v in long["value"]]
    areas = (
        alt.Chart(long)
        .mark_area(opacity=0.85)
        .encode(
            x=_year_axis(lang), y=_musd_axis(lang, stack="zero"),
            color=alt.Color("sector:N", title=t("word.sector", lang), scale=sector_colours(plan, lang)),
            order=alt.Order("order:Q", sort="descending"),
            tooltip=[alt.Tooltip("sector:N", title=t("word.sector", lang)),
                     alt.Tooltip("year:O", title=t("word.year", lang)),
                     alt.Tooltip("label:N", title=t("word.value", lang))],
        )
    )  # fmt: skip
    chart = alt.layer(areas, *_reference_layers(proj, plan, sc, lang)).resolve_scale(shape="independent")
    return _finish(chart, t("chart.main_title", lang, base=sc.base, h=sc.h), lang)


def fan_chart(risk: RiskResult, proj: Projection, plan: Plan, sc: Scenario, lang: str) -> alt.TopLevelMixin:
    """10–90% and 25–75% bands, the median, the target and the actual points."""
    q = risk.quantiles.reset_index()
    q["band80"] = t("chart.band_80", lang)
    q["band50"] = t("chart.band_50", lang)
    for col in ("p10", "p25", "p50", "p75", "p90"):
        q[f"{col}_label"] = [fmt.musd(v, lang) for v in q[col]]
    tips = [alt.Tooltip("year:O", title=t("word.year", lang))] + [
        alt.Tooltip(f"{c}_label:N", title=c.upper()) for c in ("p10", "p25", "p50", "p75", "p90")
    ]
    base = alt.Chart(q).encode(x=_year_axis(lang))
    outer = base.mark_area(color="#4e79a7", opacity=0.25).encode(
        y=alt.Y("p10:Q", title=t("chart.musd", lang), axis=alt.Axis(format=",.0f")), y2="p90:Q", tooltip=tips
    )
    inner = base.mark_area(color="#4e79a7", opacity=0.45).encode(y="p25:Q", y2="p75:Q", tooltip=tips)
    median = base.mark_line(color="#1f3b5c", strokeWidth=3).encode(y="p50:Q", tooltip=tips)
    layers = [outer, inner, median, *_reference_layers(proj, plan, sc, lang)]
    chart = alt.layer(*layers)
    return _finish(chart, t("chart.fan_title", lang, n=fmt.number(risk.n, lang, 0)), lang)


def distribution_chart(risk: RiskResult, sc: Scenario, lang: str, bins: int = 40) -> alt.TopLevelMixin:
    """Histogram of the target-year total, bars coloured by reaching the target."""
    values = risk.target_year_values
    counts, edges = np.histogram(values, bins=bins)
    frame = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts})
    frame["reached"] = np.where(frame["start"] >= sc.target, t("yes", lang), t("no", lang))
    frame["range"] = [
        f"{fmt.number(a, lang, 0)} – {fmt.number(b, lang, 0)}"
        for a, b in zip(frame["start"], frame["end"], strict=True)
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("start:Q", bin="binned", title=t("chart.musd", lang), axis=alt.Axis(format=",.0f")),
            x2="end:Q",
            y=alt.Y("count:Q", title=fmt.param_label("n", lang, with_unit=False)),
            color=alt.Color("reached:N", title=fmt.param_label("target", lang, with_unit=False),
                            scale=alt.Scale(domain=[t("yes", lang), t("no", lang)], range=["#59a14f", "#bab0ac"])),
            tooltip=[alt.Tooltip("range:N", title=t("chart.musd", lang)), alt.Tooltip("count:Q", title=fmt.param_label("n", lang, with_unit=False))],
        )
    )  # fmt: skip
    target = pd.DataFrame({"value": [sc.target], "label": [fmt.musd(sc.target, lang)]})
    rule = (
        alt.Chart(target)
        .mark_rule(color=TARGET_COLOUR, strokeWidth=2.5, strokeDash=[8, 4])
        .encode(x="value:Q", tooltip=[alt.Tooltip("label:N", title=fmt.param_label("target", lang, with_unit=False))])
    )
    return _finish(alt.layer(bars, rule), t("chart.dist_title", lang, year=sc.ty), lang)


def tornado_chart(
    frame: pd.DataFrame, plan: Plan, sc: Scenario, base_total: float, delta: float, lang: str
) -> alt.TopLevelMixin:
    """One bar per sector from V_Y(g−Δ) to V_Y(g+Δ), sorted by swing, the target as a line."""
    names = {s.id: s.name(lang) for s in plan.sectors}
    data = frame.assign(sector_name=frame["sector"].map(names))
    data["low_label"] = [fmt.musd(v, lang) for v in data["low_musd"]]
    data["high_label"] = [fmt.musd(v, lang) for v in data["high_musd"]]
    data["swing_label"] = [fmt.musd(v, lang) for v in data["swing_musd"]]
    order = list(data["sector_name"])
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.7})
        .encode(
            y=alt.Y("sector_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("low_musd:Q", title=t("chart.musd", lang), scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f")),
            x2="high_musd:Q",
            color=alt.Color("sector_name:N", scale=sector_colours(plan, lang), legend=None),
            tooltip=[alt.Tooltip("sector_name:N", title=t("word.sector", lang)),
                     alt.Tooltip("low_label:N", title=t("chart.low", lang, delta=fmt.number(delta, lang))),
                     alt.Tooltip("high_label:N", title=t("chart.high", lang, delta=fmt.number(delta, lang))),
                     alt.Tooltip("swing_label:N", title=t("chart.swing", lang))],
        )
    )  # fmt: skip
    refs = pd.DataFrame({
        "value": [sc.target, base_total],
        "what": [fmt.param_label("target", lang, with_unit=False), t("word.scenario", lang)],
        "label": [fmt.musd(sc.target, lang), fmt.musd(base_total, lang)],
    })  # fmt: skip
    lines = (
        alt.Chart(refs)
        .mark_rule(strokeWidth=2.5)
        .encode(
            x="value:Q",
            color=alt.Color("what:N", title=None, scale=alt.Scale(range=[TARGET_COLOUR, REQUIRED_COLOUR])),
            strokeDash=alt.StrokeDash("what:N", legend=None),
            tooltip=[alt.Tooltip("what:N", title=t("chart.series", lang)), alt.Tooltip("label:N", title=t("word.value", lang))],
        )
    )  # fmt: skip
    chart = alt.layer(bars, lines).resolve_scale(color="independent")
    title = t("chart.tornado_title", lang, year=sc.ty, delta=fmt.number(delta, lang))
    return _finish(chart, title, lang)


def priority_chart(frame: pd.DataFrame, plan: Plan, sc: Scenario, lang: str) -> alt.TopLevelMixin:
    """Each sector placed by its share and by what one extra point of its growth adds."""
    names = {s.id: s.name(lang) for s in plan.sectors}
    data = frame.assign(sector_name=frame["sector"].map(names))
    data["share_label"] = [fmt.pct(v, lang) for v in data["share_pct"]]
    data["effect_label"] = [fmt.musd(v, lang) for v in data["effect_musd_per_pp"]]
    base = alt.Chart(data).encode(
        x=alt.X("share_pct:Q", title=t("chart.share", lang), scale=alt.Scale(type="symlog", constant=1)),
        y=alt.Y("effect_musd_per_pp:Q", title=t("chart.effect", lang, year=sc.ty), scale=alt.Scale(type="symlog", constant=1)),
        tooltip=[alt.Tooltip("sector_name:N", title=t("word.sector", lang)),
                 alt.Tooltip("share_label:N", title=t("chart.share", lang)),
                 alt.Tooltip("effect_label:N", title=t("chart.effect", lang, year=sc.ty))],
    )  # fmt: skip
    points = base.mark_circle(size=260, opacity=0.9).encode(
        color=alt.Color("sector_name:N", scale=sector_colours(plan, lang), legend=None)
    )
    labels = base.mark_text(align="left", dx=12, fontSize=13).encode(text="sector_name:N")
    return _finish(alt.layer(points, labels), t("chart.priority_title", lang), lang)


def compare_chart(paths: dict[str, pd.Series], target: float, lang: str) -> alt.TopLevelMixin:
    """Total paths of several scenarios overlaid, with the target."""
    frames = [
        pd.DataFrame(
            {"year": s.index, "value": s.values, "scenario": name, "label": [fmt.musd(v, lang) for v in s.values]}
        )
        for name, s in paths.items()
    ]
    data = pd.concat(frames, ignore_index=True)
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=_year_axis(lang), y=_musd_axis(lang),
            color=alt.Color("scenario:N", title=t("word.scenario", lang), sort=list(paths)),
            tooltip=[alt.Tooltip("scenario:N", title=t("word.scenario", lang)),
                     alt.Tooltip("year:O", title=t("word.year", lang)),
                     alt.Tooltip("label:N", title=t("word.value", lang))],
        )
    )  # fmt: skip
    rule = (
        alt.Chart(pd.DataFrame({"value": [target], "label": [fmt.musd(target, lang)]}))
        .mark_rule(color=TARGET_COLOUR, strokeWidth=2.5, strokeDash=[8, 4])
        .encode(y="value:Q", tooltip=[alt.Tooltip("label:N", title=fmt.param_label("target", lang, with_unit=False))])
    )
    return _finish(alt.layer(lines, rule), t("chart.compare_title", lang), lang)
