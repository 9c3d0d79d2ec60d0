"""Chart builders: pure functions from model results to charts (no Streamlit here): each a
ChartSpec, a Vega-Lite shape built with Altair once and kept, and this run's data.

Made for a projector at the back of a meeting room (1024×768 with the sidebar open leaves
a chart about 560 px wide): text of 16 px or more, titles wrapped onto lines instead of
cut, at most six series in a stacked chart (the smaller sectors as one "other sectors"
band, each of them still named in its tooltip and in the tables), the target and the
required path named on the chart itself, legends in one or two columns so that they fit
that width, and a colour-blind-safe palette in which a sector has the same colour on every
chart. Every tooltip shows numbers formatted in the reader's convention (`ui.format`).
"""

from __future__ import annotations

import math
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
from altair.utils import schemapi as altair_schemapi

from model import Plan, Projection, RiskResult, Scenario
from model.projection import reaching_total
from ui import format as fmt
from ui.text import status_label, t

FONT_SIZE = 16  # axis, legend and label text: readable from the back of the room
TITLE_SIZE = 20
TITLE_CHARS = 50  # a title line at 20 px that fits the narrowest chart
WIDTH = "container"
HEIGHT = 340  # the plot; with its title, axis and legend a chart fits one 768 px screen
NARROWEST_PLOT_PX = 460  # the plot area of a full-width chart at 1024 px with the sidebar open
MAX_SERIES = 6  # in a stacked chart: the five largest sectors and "other sectors"
LEGEND_LABEL_LIMIT = 250  # two legend columns fit the narrowest chart
# The compare chart's one column of scenario names, beside their line symbols, within the
# narrowest chart: a longer name (up to 80 characters) shows its start and end
# (fmt.middle_cut, about 44 characters fit); the tables give it whole. Vega ends a name
# still too wide in "…".
COMPARE_LABEL_LIMIT = NARROWEST_PLOT_PX - 60
COMPARE_LABEL_CHARS = 40

# Okabe & Ito's colour-blind-safe palette, without its vermillion (too close to the
# target's red) and its black (the reference lines); the smaller sectors share a grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442")
OTHER_COLOUR = "#9a9a9a"
TARGET_COLOUR = "#c0392b"
REQUIRED_COLOUR = "#222222"
ACTUAL_COLOUR = "#111111"
# Compare: up to four scenarios, told apart by colour (far apart in hue and lightness) and
# by the line's dash, so that they stay distinct in grey or for a colour-blind reader.
SCENARIO_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
SCENARIO_DASHES = ((1, 0), (10, 4), (3, 3), (14, 4, 3, 4))
BAND_COLOURS = ("#c6dbef", "#6baed6", "#08306b")  # fan chart: 10–90%, 25–75%, median
REACHED_COLOURS = ("#009E73", "#b5b5b5")

LOCALE_NUMBER = {
    "vi": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " USD"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " USD"]},
}


# --- a chart: a shape built once, and each run's data --------------------------------------

Named = Callable[[str], Any]  # a dataset's name -> a layer's data
Slot = Callable[[str], Any]  # a value's name -> what stands in the spec for it
TEMPLATES_KEPT = 256  # shapes kept per process (a few per plan, language and labels)


@dataclass(frozen=True)
class ChartSpec:
    """A chart: its shape, and this run's data and values.

    `build(named, slot)` makes the Altair chart, each layer's data being `named("a name")`
    and each number that follows the data (a scale's domain, tick values, an order) being
    `slot("a name")`; `key` names everything else the shape depends on (plan, language,
    titles, label texts). The shape becomes Vega-Lite once per key and is kept: a slider move
    only fills in `values` and hands the tables in `data` to Streamlit, where building and
    serialising the Altair chart used to take most of a rerun. The data are Arrow tables built
    from the columns (pandas' own Arrow conversion, which Streamlit uses for a frame, took
    about 0.2 ms a dataset, and the Risk page sends fifteen). `altair()` builds the same
    chart the Altair way, data included, for the exports and for the test that both are
    sent the same."""

    key: tuple
    build: Callable[[Named, Slot], alt.TopLevelMixin]
    data: dict[str, pa.Table]
    values: dict[str, Any] = field(default_factory=dict)
    # The shortest plot its direct labels stay clear on, in pixels (0: any): names placed
    # beside each other in pixels of a HEIGHT-tall plot need that height (an export draws a
    # chart given less room smaller, not shorter).
    shortest_px: int = 0

    def spec(self) -> dict:
        """The Vega-Lite spec without its data (its layers name their datasets): never change it."""
        return _template(self.key, self.build).fill(self.values)

    def altair(self) -> alt.TopLevelMixin:
        return self.build(self.data.__getitem__, self.values.__getitem__)

    def to_dict(self, validate: bool = True) -> dict:
        """The whole spec, data inline, as Altair writes it."""
        return self.altair().to_dict(validate=validate)


@dataclass(frozen=True)
class _Template:
    spec: dict  # shared by every run: filled by copying, never changed
    slots: tuple[tuple[str, tuple], ...]  # (a value's name, where it stands in the spec)

    def fill(self, values: dict[str, Any]) -> dict:
        spec = dict(self.spec)
        for name, path in self.slots:
            spec = _replaced(spec, path, values[name])
        return spec


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame's columns as an Arrow table (the index is not data)."""
    return pa.table({column: frame[column].to_numpy() for column in frame.columns})


def _marker(name: str) -> str:
    return f"\x00slot:{name}\x00"


def _replaced(node: Any, path: tuple, value: Any) -> Any:
    """`node` with the item at `path` replaced, the containers along the path copied."""
    if not path:
        return value
    copy = list(node) if isinstance(node, list) else dict(node)
    copy[path[0]] = _replaced(node[path[0]], path[1:], value)
    return copy


def _slots(node: Any, path: tuple = ()) -> list[tuple[str, tuple]]:
    """Where the markers stand in a spec."""
    if isinstance(node, str) and node.startswith("\x00slot:"):
        return [(node[len("\x00slot:") : -1], path)]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [found for key, child in items for found in _slots(child, (*path, key))]


# Altair's debug mode validates each part of a chart as it is built, for clearer errors while
# chart code is written; these charts are fixed code, validated by the tests.
altair_schemapi.disable_debug_mode()

_templates: OrderedDict[tuple, _Template] = OrderedDict()
_templates_lock = threading.Lock()


def _template(key: tuple, build: Callable[[Named, Slot], alt.TopLevelMixin]) -> _Template:
    """The shape for `key` as Vega-Lite, made on first use: the chart as st.altair_chart writes
    it (without Altair's default theme: Streamlit sets its own), its layers naming their data."""
    with _templates_lock:
        if (found := _templates.get(key)) is not None:
            _templates.move_to_end(key)
            return found
    chart = build(lambda name: alt.NamedData(name=name), _marker)
    spec = chart.to_dict(validate=False, context={"top_level": False})
    spec["$schema"] = alt.SCHEMA_URL
    made = _Template(spec, tuple(_slots(spec)))
    with _templates_lock:
        _templates[key] = made
        while len(_templates) > TEMPLATES_KEPT:
            _templates.popitem(last=False)
    return made


# --- sectors: which are shown on their own, and their colours ------------------------------


def main_sectors(plan: Plan) -> list[str]:
    """The sectors shown on their own in a stacked chart, in the plan's order: all of them
    when there are at most six, else the five largest in the base year."""
    if len(plan.sectors) <= MAX_SERIES:
        return list(plan.sector_ids)
    largest = {s.id for s in sorted(plan.sectors, key=lambda s: -s.base_musd)[: MAX_SERIES - 1]}
    return [s.id for s in plan.sectors if s.id in largest]


def other_label(plan: Plan, lang: str) -> str:
    return t("chart.other_sectors", lang, n=len(plan.sectors) - len(main_sectors(plan)))


def series_names(plan: Plan, lang: str) -> dict[str, str]:
    """Sector id -> the series it is drawn in: its own name, or "other sectors"."""
    main = set(main_sectors(plan))
    other = other_label(plan, lang)
    return {s.id: s.name(lang) if s.id in main else other for s in plan.sectors}


def series_order(plan: Plan, lang: str) -> list[str]:
    """The stacked chart's series, bottom to top: the main sectors in the plan's order, then
    "other sectors" (when there is such a band)."""
    names = list(dict.fromkeys(series_names(plan, lang).values()))
    other = other_label(plan, lang)
    return [n for n in names if n != other] + ([other] if other in names else [])


def sector_colour(plan: Plan) -> dict[str, str]:
    """Sector id -> its colour, the same on every chart: the main sectors in palette order,
    the others grey."""
    main = main_sectors(plan)
    return {sid: PALETTE[main.index(sid) % len(PALETTE)] if sid in main else OTHER_COLOUR for sid in plan.sector_ids}


def sector_colours(plan: Plan, lang: str, grouped: bool = False) -> alt.Scale:
    """The colour scale by sector name (grouped: by series, "other sectors" last)."""
    colours = sector_colour(plan)
    if grouped:
        domain = series_order(plan, lang)
        by_name = {series_names(plan, lang)[sid]: colours[sid] for sid in plan.sector_ids}
        return alt.Scale(domain=domain, range=[by_name[n] for n in domain])
    return alt.Scale(domain=[s.name(lang) for s in plan.sectors], range=[colours[s.id] for s in plan.sectors])


# --- common pieces -----------------------------------------------------------------------


def title_lines(text: str, width: int = TITLE_CHARS) -> list[str]:
    """A title broken into lines that fit the narrowest chart (Vega would cut it with '…'). A
    lone "%" stays with the word before it ("điểm %" is one unit): a no-break space, which
    textwrap does not break at."""
    return textwrap.wrap(_KEPT_PERCENT.sub("\u00a0%", text), width=width, break_long_words=False) or [text]


_KEPT_PERCENT = re.compile(r" %(?=\s|$)")


def _finish(chart: alt.TopLevelMixin, title: str, lang: str) -> alt.TopLevelMixin:
    """The chart's title, size and configuration, set on the chart itself: Altair's chained
    `.properties()` / `.configure_*()` would copy a layered chart deeply at every step (most of
    a rerun's chart time), and the chart is new on every run, so nothing else holds it."""
    chart.title = alt.TitleParams(title_lines(title), anchor="start", fontSize=TITLE_SIZE, limit=0)
    chart.width, chart.height = WIDTH, HEIGHT
    # Fit the width only: the plot keeps its height and the legends add theirs below it.
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    # SVG: text stays text (crisp on a projector, and measurable by the layout tests).
    chart.usermeta = {"embedOptions": {"renderer": "svg"}}
    chart.config = alt.Config(
        locale={"number": LOCALE_NUMBER.get(lang, LOCALE_NUMBER["vi"])},
        axis=alt.AxisConfig(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=300),
        text=alt.MarkConfig(fontSize=FONT_SIZE),
        legend=alt.LegendConfig(
            labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom", labelLimit=LEGEND_LABEL_LIMIT,
            symbolSize=160, columnPadding=16, rowPadding=6,
            # Several legends go one under the other, never side by side past the chart's edge.
            layout=alt.ExprRef("{bottom: {anchor: 'start', direction: 'vertical', margin: 10}}"),
        ),
    )  # fmt: skip
    return chart


class _Layers(alt.LayerChart):
    """A layered chart that does not merge its layers' selection parameters (these charts have
    none): alt.LayerChart does it by deep-copying every layer, at construction and again on
    every copy, and to_dict() copies the chart, so that was a large share of a rerun's chart
    time. Nothing else differs: each layer keeps its own data, size and view are set on the
    layered chart (_finish); a test checks that every chart's spec is alt.layer's."""

    def __init__(self, data: Any = alt.Undefined, layer: Sequence[alt.Chart] = (), **kwargs: Any) -> None:
        assert all(chart.params is alt.Undefined for chart in layer), "a layer with parameters: use alt.layer"
        super(alt.LayerChart, self).__init__(data=data, layer=list(layer), **kwargs)


def _layer(*layers: alt.Chart) -> alt.LayerChart:
    return _Layers(layer=layers)


def _independent(chart: alt.LayerChart, **channels: str) -> alt.LayerChart:
    """`chart.resolve_scale(...)` without the copy (see _finish)."""
    chart.resolve = alt.Resolve(scale=alt.ScaleResolveMap(**channels))
    return chart


def _year_axis(lang: str, title: bool = True) -> alt.X:
    return alt.X(
        "year:Q", title=t("word.year", lang) if title else None, scale=alt.Scale(nice=False, zero=False),
        axis=alt.Axis(format="d", labelAngle=0, tickMinStep=1, labelOverlap=True, labelFlush=True, grid=False),
    )  # fmt: skip


def _musd_axis(lang: str, field: str = "value", stack: str | None = None, top: Any = None) -> alt.Y:
    """The million-USD axis; from 0 to `top` when given (the layers share it)."""
    scale = alt.Scale(domain=[0, top], nice=False) if top is not None else alt.Undefined
    return alt.Y(f"{field}:Q", title=t("chart.musd", lang), stack=stack, axis=alt.Axis(format=",.0f"), scale=scale)


def _tip(field: str, title: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:N", title=title)


def _text_width_px(text: str, size: int = FONT_SIZE, bold: bool = False) -> float:
    """A generous estimate of a text's width (DejaVu, the exports' font, is the widest)."""
    return len(text) * size * (0.64 if bold else 0.58) + 8


def _label_frame(x: float, y: float, text: str) -> pa.Table:
    return pa.table({"year": [x], "value": [y], "text": [text]})


# A direct label's halo: the same text drawn first in white with a wide white outline, so the
# label reads over bands and areas while hiding only what lies under its letters, in whichever
# font draws it (the browser's or the exports').
HALO = {"color": "white", "stroke": "white", "strokeWidth": 6, "strokeJoin": "round", "opacity": 0.9}
LABEL_OFFSET = (8, 6)  # a direct label's distance from its point, in pixels: across, up or down
LINE_PX = FONT_SIZE + 4  # a line of direct labels: how far Place.away moves a label
MARKER_SIZE = 170  # a recorded year's marker: its area in square pixels
MARKER_PX = 9  # half its width (about 13 px), with its white outline and a pixel to spare
# The y axis of the charts with a target (overview, fan) runs from 0 to this much above the
# highest figure drawn, set rather than left to Vega-Lite's rounding: the labels are placed
# on this axis, and it leaves room above a target that is the highest line for its name.
Y_HEADROOM = 1.2


def _haloed(words: alt.Chart, **mark: Any) -> list[alt.Chart]:
    """A text layer `words` (its mark's settings in `mark`) on its halo."""
    halo = words.mark_text(**{**mark, **HALO})
    return [halo, words.mark_text(**mark)]


class Place(NamedTuple):
    """Where a direct label stands from its point."""

    right: bool = False  # to its left, ending at it (else to its right)
    below: bool = False  # under it (else above)
    away: int = 0  # lines of text further up or down, to clear what is beside the point

    def offset(self) -> tuple[int, int]:
        """The label's (dx, dy) from its point, in pixels."""
        dy = LABEL_OFFSET[1] + self.away * LINE_PX
        return -LABEL_OFFSET[0] if self.right else LABEL_OFFSET[0], dy if self.below else -dy


def _label(data: Any, colour: str, place: Place) -> list[alt.Chart]:
    """A direct label on a halo, beside its point (`data`: one row of year, value and text,
    see _label_frame), as `place` says; never wider than the narrowest plot (Vega ends a
    longer one in "…" rather than running it past the chart's edge)."""
    words = alt.Chart(data).encode(x=alt.X("year:Q"), y=alt.Y("value:Q"), text=alt.Text("text:N"))
    dx, dy = place.offset()
    return _haloed(words, align="right" if place.right else "left", baseline="top" if place.below else "bottom",
                   dx=dx, dy=dy, color=colour, fontWeight="bold", fontSize=FONT_SIZE,
                   limit=NARROWEST_PLOT_PX - LABEL_OFFSET[0])  # fmt: skip


def _actual_points(plan: Plan, sc: Scenario, lang: str) -> pa.Table:
    shown = [(y, a) for y, a in sorted(plan.actual_totals().items()) if sc.base < y <= sc.h]
    return pa.table({
        "year": [y for y, _ in shown], "value": [float(a.value_musd) for _, a in shown],
        "label": [fmt.musd(a.value_musd, lang) for _, a in shown],
        "status": [fmt.with_bound(status_label(a.prov.status, lang), a.bound, lang) for _, a in shown],
        "note": [a.prov.note for _, a in shown], "series": [t("chart.actual", lang)] * len(shown),
    })  # fmt: skip


# Where the target's name may go, in order: first ending at the right edge above the line,
# away from the recorded years' points, which mostly lie below the target on the left; where a
# point or the required path's name is in the way (a short chart ending in a recorded year near
# the target), below the line, then at the left edge, then a line of text further away.
TARGET_PLACES = tuple(
    Place(right, below, away) for away in (0, 1) for right in (True, False) for below in (False, True)
)


@dataclass(frozen=True)
class _Reference:
    """The target line and the required path, each named on the chart, and the actual points:
    their data, and what their shape depends on (`key`)."""

    data: dict[str, pa.Table]
    key: tuple
    top: float  # the y axis's top: the labels were placed on an axis up to here


Box = tuple[float, float, float, float]  # left, right, top, bottom, in pixels from the top left


def _label_box(x: float, y: float, text: str, place: Place) -> Box:
    """Where `_label` draws `text` for a point at pixel (x, y)."""
    width, (dx, dy) = _text_width_px(text, bold=True), place.offset()
    x, y = x + dx, y + dy
    left, right = (x - width, x) if place.right else (x, x + width)
    top, bottom = (y, y + FONT_SIZE) if place.below else (y - FONT_SIZE, y)
    return left, right, top, bottom


def _apart(a: Box, b: Box) -> bool:
    return a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]


@dataclass(frozen=True)
class _Pixels:
    """Where a (year, value) lands on the narrowest plot (NARROWEST_PLOT_PX × HEIGHT), its y
    axis from 0 to Y_HEADROOM above the highest figure drawn: the most crowded the chart can
    be, so that labels placed clear here are clear on any screen."""

    first: int
    end: int
    highest: float

    def __call__(self, year: float, value: float) -> tuple[float, float]:
        x = (year - self.first) / (self.end - self.first) * NARROWEST_PLOT_PX
        return x, HEIGHT * (1 - value / (self.highest * Y_HEADROOM))


def _reference(proj: Projection, plan: Plan, sc: Scenario, lang: str, drawn_top: float = 0.0) -> _Reference:
    """`drawn_top`: the highest figure the chart draws besides the projection, the target and
    the record (the fan chart's upper band)."""
    target_name = t("chart.target_label", lang, value=fmt.target_musd(proj.target, lang))
    path = proj.required_path
    required_name = t("chart.required", lang, rate=fmt.growth_and_required(proj, lang)[1])
    actual = _actual_points(plan, sc, lang)
    data = {
        "target": pa.table({"value": [float(proj.target)], "series": [target_name]}),
        "required": pa.table({"year": path.index.to_numpy(), "value": path.to_numpy(dtype=float),
                              "label": [fmt.musd(v, lang) for v in path.values], "series": [required_name] * len(path)}),
    }  # fmt: skip
    points = list(zip(actual.column("year").to_pylist(), actual.column("value").to_pylist(), strict=True))
    px = _Pixels(int(proj.totals.index[0]), int(proj.totals.index[-1]),
                 max(float(proj.totals.max()), proj.target, float(path.max()), drawn_top, *(v for _, v in points)))  # fmt: skip
    required_at, required_place = _required_label(px, proj, sc.ty, required_name)
    data["required_label"] = _label_frame(*required_at, required_name)
    taken = [_label_box(*px(*required_at), required_name, required_place)]
    taken += [(x - MARKER_PX, x + MARKER_PX, y - MARKER_PX, y + MARKER_PX) for x, y in (px(*p) for p in points)]
    target_place = next(
        (place for place in TARGET_PLACES if _free(_label_box(*px(_target_year(px, place), proj.target), target_name,
                                                              place), taken)),
        TARGET_PLACES[0],
    )  # fmt: skip
    data["target_label"] = _label_frame(_target_year(px, target_place), float(proj.target), target_name)
    if actual.num_rows:
        data["actual"] = actual
    return _Reference(data, (lang, actual.num_rows > 0, required_place, target_place), px.highest * Y_HEADROOM)


def _required_label(px: _Pixels, proj: Projection, ty: int, name: str) -> tuple[tuple[float, float], Place]:
    """Where the required path's name goes: the path ends on the target line in the target
    year, so its name goes under the line at the right edge when it fits after the path's
    end there; otherwise (the path comes up to the line near the right edge) under the path's
    start."""
    after_end = Place(right=True, below=True)
    if _label_box(*px(px.end, proj.target), name, after_end)[0] >= px(ty, proj.target)[0] + LABEL_OFFSET[0]:
        return (px.end, proj.target), after_end
    path = proj.required_path
    return (float(path.index[0]), float(path.values[0])), Place(below=True)


def _target_year(px: _Pixels, place: Place) -> int:
    """The target's name ends at the chart's right edge, or begins at its left (TARGET_PLACES)."""
    return px.end if place.right else px.first


def _free(box: Box, taken: list[Box]) -> bool:
    """Inside the plot and clear of every box `taken`."""
    inside = 0 <= box[0] and box[1] <= NARROWEST_PLOT_PX and 0 <= box[2] and box[3] <= HEIGHT
    return inside and all(_apart(box, other) for other in taken)


def _reference_layers(named: Named, key: tuple) -> list[alt.Chart]:
    """The reference's layers (shared by the overview and the fan chart), the actual points
    by status, in a legend."""
    lang, has_actual, required_place, target_place = key
    target_rule = (
        alt.Chart(named("target"))
        .mark_rule(color=TARGET_COLOUR, strokeWidth=3, strokeDash=[10, 5])
        .encode(y=alt.Y("value:Q"), tooltip=[_tip("series", t("chart.series", lang))])
    )
    required_line = (
        alt.Chart(named("required"))
        .mark_line(color=REQUIRED_COLOUR, strokeDash=[2, 3], strokeWidth=3)
        .encode(x=alt.X("year:Q"), y=alt.Y("value:Q"), tooltip=[
            _tip("series", t("chart.series", lang)), alt.Tooltip("year:O", title=t("word.year", lang)),
            _tip("label", t("word.value", lang))])
    )  # fmt: skip
    layers = [target_rule, required_line, *_label(named("target_label"), TARGET_COLOUR, target_place)]
    layers += _label(named("required_label"), REQUIRED_COLOUR, required_place)
    if has_actual:
        layers.append(
            alt.Chart(named("actual"))
            .mark_point(filled=True, size=MARKER_SIZE, color=ACTUAL_COLOUR, stroke="white", strokeWidth=1.5, opacity=1)
            .encode(
                x=alt.X("year:Q"), y=alt.Y("value:Q"),
                shape=alt.Shape("status:N", title=t("chart.actual", lang), legend=alt.Legend(columns=2)),
                tooltip=[_tip("series", t("chart.series", lang)), alt.Tooltip("year:O", title=t("word.year", lang)),
                         _tip("label", t("word.value", lang)), _tip("status", t("word.status", lang)),
                         _tip("note", t("word.note", lang))],
            )
        )  # fmt: skip
    return layers


# --- the charts --------------------------------------------------------------------------


def overview_frame(proj: Projection, plan: Plan, lang: str) -> pa.Table:
    """The stacked areas' data: one row per series and year; the "other sectors" row names
    each of its sectors with its value in its tooltip text."""
    series = series_names(plan, lang)
    names = {s.id: s.name(lang) for s in plan.sectors}
    # [years, sectors], the plan's order; by position: selecting the columns by name cost a quarter of this function
    columns = proj.by_sector.columns.tolist()
    values = proj.by_sector.to_numpy(dtype=float)[:, [columns.index(sid) for sid in plan.sector_ids]]
    years = [int(y) for y in proj.by_sector.index]
    unit = fmt.unit_text("musd", lang)
    groups = [(name, [k for k, sid in enumerate(plan.sector_ids) if series[sid] == name])
              for name in series_order(plan, lang)]  # fmt: skip
    columns: dict[str, list] = {"year": [], "series": [], "order": [], "value": [], "label": [], "what": []}
    for year_index, year in enumerate(years):
        for i, (name, members) in enumerate(groups):
            total = float(values[year_index, members].sum())
            what = name
            if len(members) > 1 or names[plan.sector_ids[members[0]]] != name:
                detail = " · ".join(
                    f"{names[plan.sector_ids[k]]} {fmt.number(float(values[year_index, k]), lang)}" for k in members
                )
                what = f"{name}: {detail} ({unit})"
            for column, value in zip(
                columns.values(), (year, name, i, total, fmt.musd(total, lang), what), strict=True
            ):
                column.append(value)
    return pa.table(columns)


def overview_chart(proj: Projection, plan: Plan, sc: Scenario, lang: str) -> ChartSpec:
    """Stacked areas by sector (at most six series), the target, the required path and the
    actual points."""
    ref = _reference(proj, plan, sc, lang)
    title = t("chart.main_title", lang, base=sc.base, h=sc.h)

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        areas = (
            alt.Chart(named("areas"))
            .mark_area(opacity=0.9)
            .encode(
                x=_year_axis(lang), y=_musd_axis(lang, stack="zero", top=slot("y_top")),
                color=alt.Color("series:N", title=t("word.sector", lang), scale=sector_colours(plan, lang, grouped=True),
                                legend=alt.Legend(columns=2, symbolType="square")),
                order=alt.Order("order:Q", sort="ascending"),
                tooltip=[_tip("what", t("word.sector", lang)), alt.Tooltip("year:O", title=t("word.year", lang)),
                         _tip("label", t("word.value", lang))],
            )
        )  # fmt: skip
        chart = _independent(_layer(areas, *_reference_layers(named, ref.key)), shape="independent")
        return _finish(chart, title, lang)

    data = {"areas": overview_frame(proj, plan, lang), **ref.data}
    return ChartSpec(("overview", plan.fingerprint, title, *ref.key), build, data, {"y_top": ref.top})


def fan_chart(risk: RiskResult, proj: Projection, plan: Plan, sc: Scenario, lang: str) -> ChartSpec:
    """The 10–90% and 25–75% bands and the median, each named in the legend; the target,
    the required path and the actual points."""
    quantiles = risk.quantiles
    names = [t("chart.band_80", lang), t("chart.band_50", lang), t("chart.median", lang)]
    columns: dict[str, Any] = {"year": quantiles.index.to_numpy()}
    columns |= {col: quantiles[col].to_numpy() for col in ("p10", "p25", "p50", "p75", "p90")}
    columns |= {band: [name] * len(quantiles) for band, name in zip(("band80", "band50", "median"), names, strict=True)}
    columns |= {
        f"{col}_label": [fmt.musd(v, lang) for v in quantiles[col]] for col in ("p10", "p25", "p50", "p75", "p90")
    }
    ref = _reference(proj, plan, sc, lang, drawn_top=float(quantiles["p90"].max()))
    title = t("chart.fan_title", lang, n=fmt.number(risk.n, lang, 0))

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        percentiles = {
            "p90": "chart.p90",
            "p75": "chart.p75",
            "p50": "chart.p50",
            "p25": "chart.p25",
            "p10": "chart.p10",
        }
        tips = [alt.Tooltip("year:O", title=t("word.year", lang))] + [
            _tip(f"{c}_label", t(key, lang)) for c, key in percentiles.items()
        ]
        colour = alt.Scale(domain=names, range=list(BAND_COLOURS))
        legend = alt.Legend(title=None, columns=2, symbolType="square")
        base = alt.Chart(named("bands")).encode(x=_year_axis(lang))
        outer = base.mark_area().encode(
            y=_musd_axis(lang, "p10", top=slot("y_top")), y2=alt.Y2("p90:Q"),
            color=alt.Color("band80:N", scale=colour, legend=legend), tooltip=tips,
        )  # fmt: skip
        inner = base.mark_area().encode(
            y=alt.Y("p25:Q"), y2=alt.Y2("p75:Q"), color=alt.Color("band50:N", scale=colour, legend=legend), tooltip=tips
        )
        median = base.mark_line(strokeWidth=3).encode(
            y=alt.Y("p50:Q"), color=alt.Color("median:N", scale=colour, legend=legend), tooltip=tips
        )
        chart = _layer(outer, inner, median, *_reference_layers(named, ref.key))
        return _finish(_independent(chart, shape="independent"), title, lang)

    data = {"bands": pa.table(columns), **ref.data}
    return ChartSpec(("fan", plan.fingerprint, title, *ref.key), build, data, {"y_top": ref.top})


def distribution_chart(risk: RiskResult, sc: Scenario, lang: str, bins: int = 24) -> ChartSpec:
    """Histogram of the target-year total, bars coloured by reaching the target. The range
    leaves out the thinnest 0.5% tails on each side (so that the bars stay wide), and takes
    in the target unless it lies too far away (`_target_beyond`). The paths outside the range
    are left out, not piled into the end bars (which would draw a bump at each end that the
    distribution does not have), and the title says how many paths the bars hold."""
    values = risk.target_year_values
    low, high = np.quantile(values, [0.005, 0.995])
    beyond = _target_beyond(float(low), float(high), sc.target)
    if not beyond:
        low, high = min(low, sc.target), max(high, sc.target)
    edges = np.linspace(low, high, bins + 1)
    counts, _ = np.histogram(values, bins=edges)  # the paths outside [low, high] are in no bar
    frame = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "count": counts})
    reached, missed = t("chart.reached", lang), t("chart.missed", lang)
    frame["reached"] = np.where(frame["start"] >= reaching_total(sc.target), reached, missed)
    frame["range"] = [
        f"{fmt.number(a, lang, 0)} – {fmt.number(b, lang, 0)}" for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    frame["count_label"] = [fmt.number(c, lang, 0) for c in counts]
    name = _target_name(sc.target, beyond, lang)
    right = bool(sc.target > (low + high) / 2)  # the name goes on the side with more room
    shown, n = int(counts.sum()), len(values)
    title = t("chart.dist_title_cut" if shown < n else "chart.dist_title", lang, year=sc.ty, n=fmt.number(n, lang, 0),
              shown=fmt.number(shown, lang, 0), cut=fmt.number(n - shown, lang, 0))  # fmt: skip

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        paths = fmt.unit_text("paths", lang).capitalize()
        bars = (
            alt.Chart(named("bars"))
            .mark_bar(stroke="white", strokeWidth=1)
            .encode(
                x=alt.X("start:Q", bin="binned", title=t("chart.musd", lang), axis=alt.Axis(format=",.0f", labelFlush=True),
                        scale=alt.Scale(domain=slot("x_domain"), nice=True)),
                x2=alt.X2("end:Q"),
                y=alt.Y("count:Q", title=t("chart.paths", lang), axis=alt.Axis(format=",.0f"),
                        scale=alt.Scale(domain=slot("y_domain"))),  # room for the target's name
                color=alt.Color("reached:N", title=None, scale=alt.Scale(domain=[reached, missed], range=list(REACHED_COLOURS)),
                                legend=alt.Legend(columns=2, symbolType="square")),
                tooltip=[_tip("range", t("chart.musd", lang)), _tip("count_label", paths)],
            )
        )  # fmt: skip
        rule = (
            alt.Chart(named("target"))
            .mark_rule(color=TARGET_COLOUR, strokeWidth=3, strokeDash=[10, 5])
            .encode(x=alt.X("value:Q"), tooltip=[_tip("label", t("chart.series", lang))])
        )
        words = alt.Chart(named("target")).encode(x=alt.X("value:Q"), text=alt.Text("label:N"))
        labels = _haloed(words, align="right" if right else "left", baseline="top", dx=-8 if right else 8, y=6,
                         color=TARGET_COLOUR, fontWeight="bold")  # fmt: skip
        return _finish(_layer(bars, *([] if beyond else [rule]), *labels), title, lang)

    # A target beyond the bars has no line: its name stands at the edge it lies past.
    at = float(sc.target) if not beyond else float(high if beyond == "right" else low)
    data = {"bars": _arrow(frame), "target": pa.table({"value": [at], "label": [name]})}
    domains = {"x_domain": [float(low), float(high)], "y_domain": [0, int(counts.max() * 1.15) + 1]}
    return ChartSpec(("distribution", lang, title, right, beyond), build, data, domains)


# How far past the paths a target may lie and still be drawn on the histogram: within
# twice the paths' own width, the bars keep at least a third of the chart.
TARGET_REACH = 2.0


def _target_beyond(low: float, high: float, target: float) -> str:
    """ "right" or "left" when the target lies so far past the paths' range [low, high]
    that taking it in would squeeze every path into a bar or two; "" otherwise, and when
    the paths have no spread (no uncertainty): their one bar then reaches to the target."""
    reach = TARGET_REACH * (high - low)
    if reach <= abs(high) * 1e-9:
        return ""
    if target > high + reach:
        return "right"
    return "left" if target < low - reach else ""


def _target_name(target: float, beyond: str, lang: str) -> str:
    """The target's name; for one beyond the chart (`_target_beyond`), the side it lies on."""
    key = {"right": "chart.target_right", "left": "chart.target_left"}.get(beyond, "chart.target_label")
    return t(key, lang, value=fmt.target_musd(target, lang))


def tornado_chart(
    frame: pd.DataFrame, plan: Plan, sc: Scenario, base_total: float, delta: float, lang: str
) -> ChartSpec:
    """One bar per sector from V_Y(g−Δ) to V_Y(g+Δ), sorted by swing; the target and the
    scenario's total as named lines."""
    names = {s.id: s.name(lang) for s in plan.sectors}
    data = frame.assign(sector_name=frame["sector"].map(names))
    data["low_label"] = [fmt.musd(v, lang) for v in data["low_musd"]]
    data["high_label"] = [fmt.musd(v, lang) for v in data["high_musd"]]
    data["swing_label"] = [fmt.musd(v, lang) for v in data["swing_musd"]]
    # A small sector's bar is a sliver beside the largest: its row says its swing in figures.
    data["row_label"] = [
        f"{name} ({fmt.number(v, lang)})" for name, v in zip(data["sector_name"], data["swing_musd"], strict=True)
    ]
    shown_delta = fmt.number(delta, lang)
    # The bars' span, and the scenario's total they straddle; the target too unless it lies
    # so far away that the bars would shrink to slivers (it keeps its name in the legend).
    low = float(min(data["low_musd"].min(), base_total))
    high = float(max(data["high_musd"].max(), base_total))
    beyond = _target_beyond(low, high, sc.target)
    target_name = _target_name(sc.target, beyond, lang)
    scenario_name = t("chart.scenario_total", lang, value=fmt.musd(base_total, lang))  # as the key figures write it
    title = t("chart.tornado_title", lang, year=sc.ty, delta=shown_delta)
    domain = [low, high] if beyond else [min(low, sc.target), max(high, sc.target)]

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        bars = (
            alt.Chart(named("bars"))
            .mark_bar(height={"band": 0.7})
            .encode(
                y=alt.Y("row_label:N", sort=slot("order"), title=None, axis=alt.Axis(labelLimit=300)),
                x=alt.X("low_musd:Q", title=t("chart.tornado_axis", lang), scale=alt.Scale(domain=slot("x_domain"), nice=True),
                        axis=alt.Axis(format=",.0f")),
                x2=alt.X2("high_musd:Q"),
                color=alt.Color("sector_name:N", scale=sector_colours(plan, lang), legend=None),
                tooltip=[_tip("sector_name", t("word.sector", lang)),
                         _tip("low_label", t("chart.low", lang, delta=shown_delta)),
                         _tip("high_label", t("chart.high", lang, delta=shown_delta)),
                         _tip("swing_label", t("chart.swing", lang))],
            )
        )  # fmt: skip
        lines = (
            alt.Chart(named("refs"))
            .mark_rule(strokeWidth=3, clip=True)  # a target beyond the domain is not drawn
            .encode(
                x=alt.X("value:Q"),
                color=alt.Color("what:N", title=None, legend=alt.Legend(columns=1, labelLimit=520),  # one column: room for a far target's name
                                scale=alt.Scale(domain=slot("refs"), range=[TARGET_COLOUR, REQUIRED_COLOUR])),
                strokeDash=alt.StrokeDash("what:N", legend=None,
                                          scale=alt.Scale(domain=slot("refs"), range=[[10, 5], [1, 0]])),
                tooltip=[_tip("what", t("chart.series", lang))],
            )
        )  # fmt: skip
        return _finish(_independent(_layer(bars, lines), color="independent"), title, lang)

    refs = pa.table({"value": [float(sc.target), float(base_total)], "what": [target_name, scenario_name]})
    order = {"order": list(data["row_label"]), "refs": [target_name, scenario_name], "x_domain": domain}
    return ChartSpec(("tornado", plan.fingerprint, lang, title), build, {"bars": _arrow(data), "refs": refs}, order)


# --- the priority map: labels that do not overlap -----------------------------------------


def _symlog(v: float) -> float:
    return math.copysign(math.log1p(abs(v)), v)


def _symexp(v: float) -> float:
    return math.copysign(math.expm1(abs(v)), v)


def place_labels(
    points: list[tuple[float, float, str]], width: float, height: float, gap: float = FONT_SIZE + 6
) -> list[tuple[float, float, str]]:
    """Label positions (x, y of the label's middle, in pixels from the top left, and its
    alignment) for labelled points in pixels, so that no label overlaps another label, a point
    or a leader (the thin line from a point up or down to a label that had to move): each
    label sits beside its point (right of it, or left of it near the right edge); one that
    would overlap moves up or down past what it meets, whichever is the shorter move that
    stays inside the plot.

    Labels are placed from the rightmost point leftwards. A leader runs straight up or down
    from its point, and a label placed later belongs to a point further left and avoids the
    leaders already drawn; its own leader, further left, cannot reach the labels already
    placed, which start to the right of their points. So a leader strikes through no label
    (labels set to the left of their points, near the plot's right edge, aside), unless a
    crowded map has no room inside the plot beside the leaders: then a label may cross a
    leader rather than leave the plot."""
    radius = 10  # the points are obstacles too
    dots = [(x - radius, x + radius, y - radius, y + radius) for x, y, _ in points]  # left, right, top, bottom
    labels: list[Box] = []
    leaders: list[Box] = []
    out: list[tuple[float, float, str]] = [(0.0, 0.0, "left")] * len(points)
    for i in sorted(range(len(points)), key=lambda k: (-points[k][0], -points[k][1])):
        x, y, text = points[i]
        w = _text_width_px(text)
        align = "right" if x + 12 + w > width else "left"
        left, right = (x - 12 - w, x - 12) if align == "right" else (x + 12, x + 12 + w)

        def nearest_free(obstacles: list[Box], left: float = left, right: float = right, y: float = y) -> list[float]:
            """The nearest free places up and down (a label's top) among `obstacles`. A box that
            only touches another does not clash (to a hundredth of a pixel, so that rounding
            cannot make a label bounce on the same box for ever)."""
            places = []
            for direction in (-1, 1):
                top = y - gap / 2
                while hits := [p for p in obstacles
                               if left < p[1] and p[0] < right and top < p[3] - 0.01 and p[2] < top + gap - 0.01]:  # fmt: skip
                    top = min(p[2] for p in hits) - gap if direction < 0 else max(p[3] for p in hits)
                places.append(top)
            return places

        def inside(top: float) -> bool:
            return -gap / 2 <= top <= height - gap / 2

        wanted, candidates = y - gap / 2, nearest_free(dots + labels + leaders)
        if not any(map(inside, candidates)):  # no room beside the leaders: cross one rather than leave the plot
            candidates = nearest_free(dots + labels)
        top = min(candidates, key=lambda c: (not inside(c), abs(c - wanted)))
        labels.append((left, right, top, top + gap))
        if abs(top - wanted) > 0.01:  # moved: its leader, from the point to the label's middle
            leaders.append((x - 0.5, x + 0.5, min(y, top + gap / 2), max(y, top + gap / 2)))
        out[i] = (x, top + gap / 2, align)
    return out


def _priority_bounds(frame: pd.DataFrame) -> tuple[float, float, float]:
    """The priority map's x_max, y_min and y_max on its symmetric-log scales."""
    share, effect = frame["share_pct"].to_numpy(dtype=float), frame["effect_musd_per_pp"].to_numpy(dtype=float)
    x_max = _symlog(max(float(share.max()), 1.0) * 1.15)
    y_max = _symlog(max(float(effect.max()), 1.0) * 1.3)
    return x_max, min(0.0, _symlog(float(effect.min()))), y_max


def _priority_points(frame: pd.DataFrame, names: dict[str, str]) -> list[tuple[float, float, str]]:
    """Each sector's point on the narrowest plot, in pixels from the top left, and its name."""
    x_max, y_min, y_max = _priority_bounds(frame)
    rows = zip(frame["sector"], frame["share_pct"], frame["effect_musd_per_pp"], strict=True)
    return [(_symlog(float(a)) / x_max * NARROWEST_PLOT_PX,
             (1 - (_symlog(float(b)) - y_min) / (y_max - y_min)) * HEIGHT, names[sid]) for sid, a, b in rows]  # fmt: skip


def priority_chart(frame: pd.DataFrame, plan: Plan, sc: Scenario, lang: str) -> ChartSpec:
    """Each sector placed by its share and by what one extra point of its growth adds (both
    on symmetric-log scales), labelled without overlaps, a thin line to a label moved away."""
    names = {s.id: s.name(lang) for s in plan.sectors}
    sectors = frame["sector"].tolist()
    share, effect = frame["share_pct"].to_numpy(dtype=float), frame["effect_musd_per_pp"].to_numpy(dtype=float)
    x_max, y_min, y_max = _priority_bounds(frame)
    spots = place_labels(_priority_points(frame, names), NARROWEST_PLOT_PX, HEIGHT)
    data = pa.table({
        "sector": sectors, "share_pct": share, "effect_musd_per_pp": effect,
        "sector_name": [names[sid] for sid in sectors],
        "share_label": [fmt.pct(v, lang) for v in share], "effect_label": [fmt.musd(v, lang) for v in effect],
        "label_y": [_symexp(y_min + (1 - y / HEIGHT) * (y_max - y_min)) for _, y, _ in spots],
        "align": [a for _, _, a in spots],
    })  # fmt: skip
    steps = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
    scales = {
        "x_domain": [0, _symexp(x_max)], "y_domain": [_symexp(y_min), _symexp(y_max)],
        "x_ticks": [v for v in steps if v <= _symexp(x_max)], "y_ticks": [v for v in steps if v <= _symexp(y_max)],
    }  # fmt: skip
    title = t("chart.priority_title", lang)

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        x_scale = alt.Scale(type="symlog", constant=1, domain=slot("x_domain"), nice=False)
        y_scale = alt.Scale(type="symlog", constant=1, domain=slot("y_domain"), nice=False)
        tooltip = [_tip("sector_name", t("word.sector", lang)), _tip("share_label", t("chart.share", lang)),
                   _tip("effect_label", t("chart.effect", lang, year=sc.ty))]  # fmt: skip
        x = alt.X("share_pct:Q", title=t("chart.share", lang), scale=x_scale,
                  axis=alt.Axis(format=",.0f", values=slot("x_ticks")))  # fmt: skip
        y = alt.Y("effect_musd_per_pp:Q", title=title_lines(t("chart.effect", lang, year=sc.ty), 30), scale=y_scale,
                  axis=alt.Axis(format=",.0f", values=slot("y_ticks")))  # fmt: skip
        base = alt.Chart(named("sectors")).encode(x=x, tooltip=tooltip)
        leaders = base.mark_rule(color="#777777", strokeWidth=1).encode(y=y, y2=alt.Y2("label_y:Q"))
        points_layer = base.mark_circle(size=280, opacity=0.95, stroke="white", strokeWidth=1).encode(
            y=y, color=alt.Color("sector_name:N", scale=sector_colours(plan, lang), legend=None)
        )
        layers = [leaders, points_layer]
        for align, dx in (("left", 12), ("right", -12)):
            layers.append(
                alt.Chart(named(f"labels_{align}"))
                .mark_text(align=align, baseline="middle", dx=dx, fontSize=FONT_SIZE)
                .encode(x=x, y=alt.Y("label_y:Q", scale=y_scale), text=alt.Text("sector_name:N"), tooltip=tooltip)
            )
        return _finish(_layer(*layers), title, lang)

    aligned = data["align"].to_pylist()
    frames = {"sectors": data, **{f"labels_{a}": data.take(pa.array([i for i, b in enumerate(aligned) if b == a], pa.int64()))
                                  for a in ("left", "right")}}  # fmt: skip
    return ChartSpec(("priority", plan.fingerprint, lang, sc.ty), build, frames, scales)


def compare_chart(paths: dict[str, pd.Series], targets: list[tuple[float, str]], lang: str) -> ChartSpec:
    """Total paths of several scenarios, told apart by colour and dash, and their targets
    (`targets`: each distinct target and whose it is, "2025" or "Hưng Yên 2030", in the
    scenarios' order; scenarios with another target have their own line, named so at the left
    edge, close targets' names stacked in their lines' order: `_compare_places`). The legend
    has one name a line, a long one shown by its start and end (`fmt.short_names`): names that
    share a long start stay apart."""
    values = [float(v) for s in paths.values() for v in s.to_numpy()]
    names = fmt.short_names(list(paths), COMPARE_LABEL_CHARS)
    lines = pa.table({
        "year": pa.array([int(y) for s in paths.values() for y in s.index], pa.int64()),
        "value": pa.array(values, pa.float64()),
        "scenario": [name for name, s in zip(names, paths.values(), strict=True) for _ in range(len(s))],
        "label": [fmt.musd(v, lang) for v in values],
    })  # fmt: skip
    # One line a target value; its name says whose it is when the scenarios have several targets
    # (two targets of the same value in different years would draw one line and two names on it).
    whose: dict[float, list[str]] = {}
    for value, who in targets:
        whose.setdefault(value, []).append(who)
    several = len(targets) > 1
    target_names = [t("chart.target_label_whose" if several else "chart.target_label", lang,
                      value=fmt.target_musd(value, lang), whose=", ".join(owners)) for value, owners in whose.items()]  # fmt: skip
    target_values = [float(v) for v in whose]
    years = [int(y) for s in paths.values() for y in s.index] or [0, 1]
    px = _compare_pixels(min(years), max(years), max([*values, *target_values, 1.0]), target_values)
    places = _compare_places(px, target_values)

    def build(named: Named, slot: Slot) -> alt.TopLevelMixin:
        colours = [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(len(names))]
        dashes = [list(SCENARIO_DASHES[i % len(SCENARIO_DASHES)]) for i in range(len(names))]
        legend = alt.Legend(columns=1, labelLimit=COMPARE_LABEL_LIMIT, symbolType="stroke", symbolStrokeWidth=3.5,
                            symbolSize=900)  # fmt: skip
        lines = (
            alt.Chart(named("lines"))
            .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=3.5)
            .encode(
                x=_year_axis(lang), y=_musd_axis(lang, top=slot("y_top")),
                color=alt.Color("scenario:N", title=t("word.scenario", lang), scale=alt.Scale(domain=names, range=colours),
                                legend=legend),
                strokeDash=alt.StrokeDash("scenario:N", title=t("word.scenario", lang),
                                          scale=alt.Scale(domain=names, range=dashes), legend=legend),
                tooltip=[_tip("scenario", t("word.scenario", lang)), alt.Tooltip("year:O", title=t("word.year", lang)),
                         _tip("label", t("word.value", lang))],
            )
        )  # fmt: skip
        rule = (
            alt.Chart(named("target"))
            .mark_rule(color=TARGET_COLOUR, strokeWidth=3, strokeDash=[10, 5])
            .encode(y=alt.Y("value:Q"), tooltip=[_tip("label", t("chart.series", lang))])
        )
        labels = [
            layer
            for i, (_, place) in enumerate(places)
            for layer in _label(named(f"target_label_{i}"), TARGET_COLOUR, place)
        ]
        return _finish(_layer(lines, rule, *labels), t("chart.compare_title", lang), lang)

    data = {
        "lines": lines,
        "target": pa.table({"value": target_values, "label": target_names}),
        **{f"target_label_{i}": _label_frame(px.first, at, name)
           for i, (name, (at, _)) in enumerate(zip(target_names, places, strict=True))},
    }  # fmt: skip
    key = ("compare", lang, tuple(names), tuple(place for _, place in places))
    # Several target lines: their names were kept apart from each other and from the lines
    # in pixels of a HEIGHT-tall plot, which a shorter one would bring together.
    return ChartSpec(key, build, data, {"y_top": px.highest * Y_HEADROOM}, HEIGHT if len(target_values) > 1 else 0)


def _stacks(px: _Pixels, values: list[float]) -> list[list[float]]:
    """The target values, highest first, in groups whose names are stacked together above the
    group's highest line: a group takes in the next line down while that line's own stack
    would not fit between the two (a name between close lines reads as either's)."""
    stacks: list[list[float]] = []
    for value in sorted(set(values), reverse=True):
        if stacks and px(px.first, value)[1] - px(px.first, stacks[-1][-1])[1] < LABEL_OFFSET[1] + LINE_PX:
            stacks[-1].append(value)
        else:
            stacks.append([value])
    merged = True
    while merged:  # a stack grown tall may now reach the line above it
        merged = False
        for k in range(1, len(stacks)):
            room = px(px.first, stacks[k][0])[1] - px(px.first, stacks[k - 1][-1])[1]
            if room < LABEL_OFFSET[1] + len(stacks[k]) * LINE_PX:
                stacks[k - 1] += stacks.pop(k)
                merged = True
                break
    return stacks


def _compare_pixels(first: int, end: int, highest: float, values: list[float]) -> _Pixels:
    """The compare chart's axis: Y_HEADROOM above its highest figure, or more when the stack of
    names over the highest targets needs it (up to four close targets: four lines of names)."""
    px = _Pixels(first, end, highest)
    for _ in range(4):  # a taller axis brings lines closer, which can make a stack taller
        top = _stacks(px, values)[0] if values else []
        need = LABEL_OFFSET[1] + len(top) * LINE_PX + 2
        if not top or px(first, top[0])[1] >= need:
            return px
        px = _Pixels(first, end, top[0] / (1 - need / HEIGHT) / Y_HEADROOM)
    return px


def _compare_places(px: _Pixels, values: list[float]) -> list[tuple[float, Place]]:
    """Per target: the value its name stands on and its place, at the left edge (the paths start
    low and apart there). Names of close targets are stacked above the highest of them, in the
    lines' order, so that each name's place among the names is its line's among the lines."""
    where: dict[float, tuple[float, Place]] = {}
    for stack in _stacks(px, values):
        for rank, value in enumerate(stack):
            where[value] = (stack[0], Place(away=len(stack) - 1 - rank))
    return [where[value] for value in values]
