"""The chart builders (ui/charts.py): pure functions, checked on their Vega-Lite specs.

What a projector needs and a spec can show: at most six stacked series with every sector
still named, text of 16 px or more, titles in lines that fit, the target and the required
path named on the chart, one colour per sector on every chart, distinct scenario lines,
labels on the priority map that do not overlap, and tooltips in the reader's convention.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import altair as alt
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import model
from model.plan import MAX_SECTORS
from tests.helpers import vega_drawn
from ui import charts, comparison
from ui import format as fmt

PLAN = model.load_plan()
SC = model.Scenario.default(PLAN)
PROJ = model.project(PLAN, SC)
RISK = model.simulate(PLAN, SC, n=2000, seed=1)


def builders(lang: str) -> dict:
    return {
        "overview": charts.overview_chart(PROJ, PLAN, SC, lang),
        "fan": charts.fan_chart(RISK, PROJ, PLAN, SC, lang),
        "distribution": charts.distribution_chart(RISK, SC, lang),
        "tornado": charts.tornado_chart(model.tornado(PLAN, SC), PLAN, SC, PROJ.target_year_total, 2.0, lang),
        "priority": charts.priority_chart(model.priority_map(PLAN, SC), PLAN, SC, lang),
        "compare": charts.compare_chart(
            {"A": PROJ.totals, "B": PROJ.totals * 1.1}, [(PROJ.target, str(PROJ.target_year))], lang
        ),
    }


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def texts(spec: dict) -> str:
    """Every string of the spec and its inline data (what the chart can show)."""
    return json.dumps(spec, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_is_a_valid_spec_with_projector_sized_text(lang):
    for name, chart in builders(lang).items():
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        config = spec["config"]
        sizes = [config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["legend"]["labelFontSize"],
                 config["legend"]["titleFontSize"], config["text"]["fontSize"], spec["title"]["fontSize"]]  # fmt: skip
        assert min(sizes) >= 16, name
        assert all(len(line) <= charts.TITLE_CHARS for line in spec["title"]["text"]), name
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x", name
        assert spec["usermeta"]["embedOptions"]["renderer"] == "svg", name
        assert config["locale"]["number"]["decimal"] == ("," if lang == "vi" else "."), name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_layers_are_joined_exactly_as_altair_joins_them(lang, monkeypatch):
    """charts._layer skips alt.layer's copies: every chart's spec is still alt.layer's."""
    fast = {name: chart.to_dict() for name, chart in builders(lang).items()}
    monkeypatch.setattr(charts, "_layer", alt.layer)
    assert fast == {name: chart.to_dict() for name, chart in builders(lang).items()}


def test_a_layer_with_parameters_is_refused():
    with pytest.raises(AssertionError):
        charts._layer(alt.Chart().mark_point().add_params(alt.selection_point()))


def test_a_long_title_is_wrapped_not_cut():
    lines = charts.title_lines("Độ nhạy: kim ngạch 2025 khi tăng trưởng từng nhóm ±2,0 điểm % trong mọi kịch bản")
    assert len(lines) == 2 and all(len(x) <= charts.TITLE_CHARS for x in lines)
    assert " ".join(lines).endswith("mọi kịch bản")


def test_overview_stacks_at_most_six_series_and_names_every_sector():
    spec = charts.overview_chart(PROJ, PLAN, SC, "vi").to_dict()
    areas = next(layer for layer in layers(spec) if layer["mark"]["type"] == "area")
    data = spec["datasets"][areas["data"]["name"]]
    series = list(dict.fromkeys(row["series"] for row in data))
    assert len(series) == charts.MAX_SERIES and series[-1] == "Các nhóm khác (6 nhóm)", "on top, last in the legend"
    assert set(series) - {"Các nhóm khác (6 nhóm)"} == {
        "Dệt may",
        "Da giày",
        "Xơ, sợi dệt",
        "Thủy sản",
        "Hàng hóa khác",
    }
    other_2025 = next(r for r in data if r["series"] == "Các nhóm khác (6 nhóm)" and r["year"] == 2025)
    for sid in ("steel", "ceramics", "paper", "wood", "handicraft", "electronics"):  # named in the tooltip
        name = PLAN.sector(sid).name("vi")
        assert f"{name} {fmt.number(PROJ.by_sector.loc[2025, sid], 'vi')}" in other_2025["what"]
    total_2025 = sum(r["value"] for r in data if r["year"] == 2025)
    assert total_2025 == pytest.approx(PROJ.totals.loc[2025])


def test_a_plan_with_few_sectors_shows_each_of_them():
    few = model.load_plan("data/hung_yen")
    assert charts.main_sectors(few) == list(few.sector_ids)
    spec = charts.overview_chart(
        model.project(few, model.Scenario.default(few)), few, model.Scenario.default(few), "vi"
    )
    assert "Các nhóm khác" not in texts(spec.to_dict())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_target_and_required_path_are_named_on_the_chart(lang):
    for name in ("overview", "fan"):
        spec = builders(lang)[name].to_dict()
        marks = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"]
        shown = [row["text"] for m in marks for row in spec["datasets"][m["data"]["name"]]]
        target = fmt.musd(PROJ.target, lang, 0)
        assert any(target in s for s in shown), (name, shown)
        assert any(s.startswith(("Đường cần đạt", "Required path")) for s in shown), (name, shown)


def test_a_label_on_the_plot_hides_only_what_lies_under_its_letters():
    # A white box sized by an estimate of the text's width once hid a quarter of the band
    # beside the target's name in the browser, whose font is narrower than the estimate's.
    for name in ("overview", "fan", "distribution", "compare"):
        spec = builders("vi")[name].to_dict()
        assert all(layer["mark"]["type"] != "rect" for layer in layers(spec)), name
        labels = [(i, layer) for i, layer in enumerate(layers(spec)) if layer["mark"]["type"] == "text"]
        words = [(i, layer) for i, layer in labels if layer["mark"]["color"] != "white"]
        # the target's name in red, beside its line; the required path's in black
        colours = {w["mark"]["color"] for _, w in words}
        assert colours <= {charts.TARGET_COLOUR, charts.REQUIRED_COLOUR} and charts.TARGET_COLOUR in colours, name
        for i, layer in words:  # each drawn on its halo: the same text and place, in white, just before it
            halo = layers(spec)[i - 1]
            assert halo["mark"] == layer["mark"] | charts.HALO, name
            assert charts.HALO["color"] == charts.HALO["stroke"] == "white" and charts.HALO["strokeWidth"] >= 4
            assert (halo["encoding"], halo["data"]) == (layer["encoding"], layer["data"]), name


def test_fan_bands_are_named_in_the_legend():
    spec = charts.fan_chart(RISK, PROJ, PLAN, SC, "vi").to_dict()
    domain = layers(spec)[0]["encoding"]["color"]["scale"]["domain"]
    assert domain == ["8 trên 10 đường (10–90%)", "1 nửa số đường (25–75%)", "Trung vị"]


def test_one_colour_per_sector_and_colour_blind_safe_distinct_scenarios():
    colours = charts.sector_colour(PLAN)
    main = charts.main_sectors(PLAN)
    assert len({colours[s] for s in main}) == len(main), "the main sectors have colours of their own"
    assert {colours[s] for s in PLAN.sector_ids if s not in main} == {charts.OTHER_COLOUR}
    spec = charts.compare_chart(
        {"A": PROJ.totals, "B": PROJ.totals, "C": PROJ.totals}, [(PROJ.target, "2025")], "vi"
    ).to_dict()
    line = layers(spec)[0]["encoding"]
    assert (
        len(set(line["color"]["scale"]["range"])) == 3
        and len({str(d) for d in line["strokeDash"]["scale"]["range"]}) == 3
    )
    assert line["color"]["legend"]["columns"] == 1, "one name a line: long names are not squeezed into columns"


def test_tornado_names_the_target_red_and_the_scenario_black():
    spec = charts.tornado_chart(model.tornado(PLAN, SC), PLAN, SC, PROJ.target_year_total, 2.0, "vi").to_dict()
    scale = layers(spec)[1]["encoding"]["color"]["scale"]
    assert scale["domain"][0].startswith("Mục tiêu") and scale["range"][0] == charts.TARGET_COLOUR
    assert scale["domain"][1].startswith("Kịch bản") and scale["range"][1] == charts.REQUIRED_COLOUR
    assert fmt.musd(PROJ.target_year_total, "vi") in scale["domain"][1], "the total as the key figures write it"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tooltips_show_numbers_in_the_readers_convention(lang):
    for name, chart in builders(lang).items():
        spec = chart.to_dict()
        for layer in layers(spec):
            for tip in layer.get("encoding", {}).get("tooltip", []):
                assert tip["type"] in ("nominal", "ordinal"), (name, tip)  # preformatted text, or a year
    data = texts(builders("vi")["distribution"].to_dict())
    assert re.search(r'"count_label": "\d{1,3}(\.\d{3})*"', data)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] - 0.01 and b[2] < a[3] - 0.01


def _box(x: float, y: float, align: str, text: str, gap: float) -> tuple[float, float, float, float]:
    w = charts._text_width_px(text)
    left = x - 12 - w if align == "right" else x + 12
    return left, left + w, y - gap / 2, y + gap / 2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 460), st.floats(0, 340), st.text("abcdefgh ", min_size=1, max_size=30)),
        min_size=1, max_size=MAX_SECTORS,
    )
)  # fmt: skip
def test_priority_labels_never_overlap_each_other(points):
    gap = charts.FONT_SIZE + 6
    spots = charts.place_labels(points, 460, 340, gap)
    boxes = [_box(x, y, align, text, gap) for (x, y, align), (_, _, text) in zip(spots, points, strict=True)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlaps(a, b), (a, b)


@pytest.mark.parametrize("growth", [None, -30.0, 50.0])
def test_no_leader_line_of_the_priority_map_strikes_through_a_label(growth):
    # the bundled plan's small sectors crowd the map's lower left: their labels move, and the
    # thin line from each point to its moved label must pass beside the other labels
    sc = SC if growth is None else SC.with_growth(dict.fromkeys(PLAN.sector_ids, growth))
    frame, gap = model.priority_map(PLAN, sc), charts.FONT_SIZE + 6
    names = {s.id: s.name("vi") for s in PLAN.sectors}
    points = charts._priority_points(frame, names)  # where the chart draws them
    spots = charts.place_labels(points, charts.NARROWEST_PLOT_PX, charts.HEIGHT)
    boxes = [_box(x, y, align, text, gap) for (x, y, align), (_, _, text) in zip(spots, points, strict=True)]
    for i, ((x, y, _), (_, label_y, _)) in enumerate(zip(points, spots, strict=True)):
        line = (x - 0.5, x + 0.5, min(y, label_y), max(y, label_y))
        for k, box in enumerate(boxes):
            assert k == i or not _overlaps(line, box), (points[i][2], points[k][2])
    assert all(0 <= label_y <= charts.HEIGHT for _, label_y, _ in spots), "every name inside the plot"


def test_priority_map_of_the_bundled_plan_has_no_overlapping_label():
    frame = model.priority_map(PLAN, SC)
    spec = charts.priority_chart(frame, PLAN, SC, "vi").to_dict()
    assert texts(spec).count('"align": "') >= 1
    names = {s.id: s.name("vi") for s in PLAN.sectors}
    assert sorted(r["sector_name"] for r in spec["datasets"][layers(spec)[0]["data"]["name"]]) == sorted(names.values())


def test_the_histogram_leaves_out_the_farthest_paths_and_says_how_many_it_holds():
    spec = charts.distribution_chart(RISK, SC, "vi").to_dict()
    bars = next(data for name, data in spec["datasets"].items() if "count" in data[0])
    counts = [bar["count"] for bar in bars]
    values = RISK.target_year_values
    low, high = bars[0]["start"], bars[-1]["end"]
    inside = int(((values >= low) & (values <= high)).sum())
    # the farthest paths are in no bar, not piled into the end bars as a bump at each end
    assert sum(counts) == inside < RISK.n
    title = " ".join(spec["title"]["text"])
    assert f"{fmt.number(inside, 'vi', 0)} trên {fmt.number(RISK.n, 'vi', 0)} đường mô phỏng" in title
    assert f"(bỏ {RISK.n - inside} đường xa nhất)" in title
    # with no uncertainty every path is the same: none is left out, and the title does not say so
    still = model.simulate(PLAN, dataclasses.replace(SC, unc=0.0), n=2000, seed=1)
    title = " ".join(charts.distribution_chart(still, SC, "vi").to_dict()["title"]["text"])
    assert title == "Phân bố kim ngạch năm 2025: 2.000 đường mô phỏng", title


def test_a_target_far_from_the_paths_does_not_squeeze_them_into_one_bar():
    narrow = model.simulate(PLAN, dataclasses.replace(SC, unc=0.1), n=2000, seed=1)  # 2.786–2.949 (99%)

    def drawn(target: float, risk=RISK) -> tuple[list[dict], list[dict], dict]:
        spec = charts.distribution_chart(risk, dataclasses.replace(SC, target=target), "vi").to_dict()
        bars = next(data for data in spec["datasets"].values() if "count" in data[0])
        marks = [layer["mark"]["type"] for layer in layers(spec)]
        target_data = next(data for data in spec["datasets"].values() if "label" in data[0])
        return bars, target_data, {"rule": marks.count("rule")}

    for risk, target, side in ((RISK, 16000.0, "phải"), (narrow, 1500.0, "trái")):
        values = risk.target_year_values
        bars, label, marks = drawn(target, risk)
        assert sum(bar["count"] > 0 for bar in bars) >= 20  # the paths still spread over the bars
        assert bars[0]["start"] <= float(np.median(values)) <= bars[-1]["end"]
        assert marks["rule"] == 0  # no line for a target that is not on the axis
        edge = bars[-1]["end"] if side == "phải" else bars[0]["start"]
        assert label[0]["value"] == edge and f"xa hơn về bên {side}" in label[0]["label"]
        assert fmt.target_musd(target, "vi") in label[0]["label"]
    # a target near the paths is drawn where it is, with its line
    bars, label, marks = drawn(SC.target)
    assert label[0]["value"] == SC.target and marks["rule"] == 1 and "xa hơn" not in label[0]["label"]


def test_the_sensitivity_bars_are_not_shrunk_by_a_far_target():
    def domain_and_names(target: float) -> tuple[list[float], str]:
        sc = dataclasses.replace(SC, target=target)
        total = model.project(PLAN, sc).target_year_total
        spec = charts.tornado_chart(model.tornado(PLAN, sc, delta_pp=1.0), PLAN, sc, total, 1.0, "vi").to_dict()
        bars = layers(spec)[0]
        return bars["encoding"]["x"]["scale"]["domain"], texts(spec)

    swings = model.tornado(PLAN, SC, delta_pp=1.0)
    low, high = swings["low_musd"].min(), swings["high_musd"].max()
    domain, names = domain_and_names(9000.0)  # far right of bars spanning about 2.780–2.945
    assert domain[0] <= low and domain[1] < 3000 and "Mục tiêu 9.000 triệu USD: xa hơn về bên phải" in names
    domain, names = domain_and_names(SC.target)  # 2.700, near: on the axis, with its line
    assert domain[0] == SC.target and domain[1] >= high and "xa hơn" not in names
    # a small sector's bar is a sliver: its row gives its swing in figures
    smallest = swings.iloc[-1]
    name = PLAN.sector(smallest["sector"]).name("vi")
    assert f"{name} ({fmt.number(smallest['swing_musd'], 'vi')})" in names


WIDTH, HEIGHT = charts.NARROWEST_PLOT_PX, charts.HEIGHT  # the plot, at its narrowest


def plot_axes(spec: dict) -> tuple[float, float, float]:
    """The first and last year, and the top of the y axis the chart sets (from 0), checked to
    hold everything drawn: a stacked area's top (the sum of its series in a year), a fan's
    upper band, every line, point and target."""
    rows = [row for data in spec["datasets"].values() for row in data]
    years = [row["year"] for row in rows if "year" in row and "value" in row]
    [domain] = [layer["encoding"]["y"]["scale"]["domain"] for layer in layers(spec)
                if "scale" in layer.get("encoding", {}).get("y", {})]  # fmt: skip
    stacked: dict[float, float] = {}
    for row in rows:
        if "order" in row and "value" in row:  # a stacked area's series
            stacked[row["year"]] = stacked.get(row["year"], 0.0) + row["value"]
    drawn = [*stacked.values(), *(row[k] for row in rows for k in ("value", "p90") if k in row and "order" not in row)]
    assert domain[0] == 0 and max(drawn) <= domain[1], (max(drawn), domain)
    return min(years), max(years), domain[1]


def label_boxes(
    spec: dict, width: float = WIDTH, height: float = HEIGHT
) -> list[tuple[str, float, float, float, float]]:
    """Each direct label's (text, left, right, top, bottom) in pixels of a plot `width` ×
    `height`, placed as its text mark says (the halos left out: they are the same boxes)."""
    x0, x1, y1 = plot_axes(spec)
    boxes = []
    for layer in layers(spec):
        mark = layer["mark"]
        if not isinstance(mark, dict) or mark["type"] != "text" or mark.get("color") == "white":
            continue
        for row in spec["datasets"][layer["data"]["name"]]:
            x = (row["year"] - x0) / (x1 - x0) * width + mark["dx"]
            y = height - row["value"] / y1 * height + mark["dy"]
            w = charts._text_width_px(row["text"], bold=True)
            left, right = (x - w, x) if mark["align"] == "right" else (x, x + w)
            top, bottom = (y - mark["fontSize"], y) if mark["baseline"] == "bottom" else (y, y + mark["fontSize"])
            boxes.append((row["text"], left, right, top, bottom))
    return boxes


@pytest.mark.parametrize("plan_id", ["thai_binh", "hung_yen"])
def test_the_target_and_the_required_path_are_named_apart_and_inside_the_chart(plan_id):
    plan = PLAN if plan_id == "thai_binh" else model.load_plan(Path(model.plan.DEFAULT_PLAN_DIR).parent / "hung_yen")
    base = model.Scenario.default(plan)
    for ty in range(base.base + 1, base.h + 1):  # the target year anywhere on the chart
        sc = dataclasses.replace(base, ty=ty)
        for lang in ("vi", "en"):
            spec = charts.overview_chart(model.project(plan, sc), plan, sc, lang).to_dict()
            boxes = label_boxes(spec)
            assert len(boxes) == 2, boxes
            (_, l1, r1, t1, b1), (_, l2, r2, t2, b2) = boxes
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (ty, boxes)  # apart
            assert all(0 <= left and right <= WIDTH for _, left, right, _, _ in boxes), (ty, boxes)
            # the required path's name clear of the path (sampled every pixel along it)
            for x, y in path_pixels(spec, boxes[1][0]):
                assert not (l2 < x < r2 and t2 < y < b2), (ty, lang, boxes[1], x, y)


def path_pixels(spec: dict, name: str) -> list[tuple[float, float]]:
    """The required path (named `name`) as points a pixel apart, in label_boxes' pixels."""
    x0, x1, y1 = plot_axes(spec)
    rows = [row for data in spec["datasets"].values() for row in data if row.get("series") == name and "year" in row]
    years, values = [r["year"] for r in rows], [r["value"] for r in rows]
    xs = np.linspace(years[0], years[-1], int((years[-1] - years[0]) / (x1 - x0) * WIDTH) + 1)
    return [
        ((x - x0) / (x1 - x0) * WIDTH, HEIGHT - v / y1 * HEIGHT)
        for x, v in zip(xs, np.interp(xs, years, values), strict=True)
    ]


def marker_boxes(spec: dict, width: float = WIDTH, height: float = HEIGHT) -> list[tuple[float, float, float, float]]:
    """Each recorded year's marker as (left, right, top, bottom), in label_boxes' pixels."""
    x0, x1, y1 = plot_axes(spec)
    points = [row for data in spec["datasets"].values() for row in data if "status" in row]
    half = 8  # a marker of size 170 is about 13 px across, with its outline
    return [((p["year"] - x0) / (x1 - x0) * width - half, (p["year"] - x0) / (x1 - x0) * width + half,
             height - p["value"] / y1 * height - half, height - p["value"] / y1 * height + half) for p in points]  # fmt: skip


@pytest.mark.parametrize("plan_id", ["thai_binh", "hung_yen"])
def test_the_target_is_named_clear_of_the_recorded_years_on_a_short_chart(plan_id):
    """A chart that ends a year or two after the last record, with a target near a recorded
    figure: the recorded points lie at the right edge, where the target's name would go."""
    plan = PLAN if plan_id == "thai_binh" else model.load_plan(Path(model.plan.DEFAULT_PLAN_DIR).parent / "hung_yen")
    base = model.Scenario.default(plan)
    recorded = {year: float(a.value_musd) for year, a in plan.actual_totals().items() if year > base.base}
    last = max(recorded)
    for h in (last, last + 1, last + 2, base.h):
        for value in recorded.values():
            for target in (value * 0.97, value, value * 1.03):
                sc = dataclasses.replace(base, h=max(h, base.ty), target=round(target, 1))
                proj = model.project(plan, sc)
                wide = dataclasses.replace(sc, unc=3.0)  # the widest band: the fan's axis at its tallest
                fan = charts.fan_chart(model.simulate(plan, wide, n=500, seed=1), proj, plan, wide, "vi")
                for spec in (charts.overview_chart(proj, plan, sc, "vi").to_dict(), fan.to_dict()):
                    boxes = label_boxes(spec)
                    assert len(boxes) == 2, boxes
                    (name, l1, r1, t1, b1), (_, l2, r2, t2, b2) = boxes
                    assert name.startswith("Mục tiêu")
                    assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, (sc.h, target, boxes)  # apart
                    for left, right, top, bottom in marker_boxes(spec):
                        assert r1 <= left or right <= l1 or b1 <= top or bottom <= t1, (sc.h, target, name)
                    assert all(0 <= left and right <= WIDTH for _, left, right, _, _ in boxes), (sc.h, target)


def _drawn(chart: charts.ChartSpec) -> tuple[float, list[tuple[str, float, float]]]:
    """The chart as Vega draws it on the narrowest plot: the target line's y, and each text
    on the plot with its top and bottom (in pixels from the plot's top)."""
    rules, words = vega_drawn(chart.altair().properties(width=WIDTH).to_dict())
    [target_y] = rules
    return target_y, words


@pytest.mark.parametrize("which", ["overview", "fan"])
def test_the_chart_draws_its_axis_as_the_labels_were_placed_on_it(which):
    """The labels are placed on a model of the y axis (0 to Y_HEADROOM above the highest
    figure). Vega-Lite rounds an axis of its own up to a round number: a round target above
    every figure then ran along the plot's top edge and its name, placed above the line,
    into the title. Drawn by Vega, the target lies where the model put it, and every name
    lies inside the plot."""
    sc = dataclasses.replace(SC, h=2026, target=4000.0)  # above every figure drawn, missed
    proj = model.project(PLAN, sc)
    chart = (charts.overview_chart(proj, PLAN, sc, "vi") if which == "overview"
             else charts.fan_chart(model.simulate(PLAN, sc, n=500, seed=1), proj, PLAN, sc, "vi"))  # fmt: skip
    _, _, top = plot_axes(chart.to_dict())
    target_y, words = _drawn(chart)
    assert target_y == pytest.approx(HEIGHT * (1 - 4000.0 / top), abs=0.5)
    assert target_y > 2 * charts.FONT_SIZE, "room above the line for its name"
    assert words and all(0 <= top and bottom <= HEIGHT for _, top, bottom in words), words


def test_scenarios_of_two_targets_are_compared_each_with_its_own():
    hung_yen = model.load_plan(Path(model.plan.DEFAULT_PLAN_DIR).parent / "hung_yen")
    hy = model.Scenario.default(hung_yen)
    columns = [comparison.Column(label, "", plan, sc, model.project(plan, sc))
               for label, plan, sc in (("A", PLAN, SC), ("B", PLAN, SC), ("HY", hung_yen, hy))]  # fmt: skip
    assert comparison.targets(columns, "vi") == [(SC.target, "Thái Bình 2025"), (hy.target, "Hưng Yên 2030")]
    paths = {c.label: c.projection.totals for c in columns}
    spec = charts.compare_chart(paths, comparison.targets(columns, "vi"), "vi").to_dict()
    # two provinces: each target line says whose it is
    assert "Mục tiêu Thái Bình 2025: 2.700 triệu USD" in texts(spec)
    assert "Mục tiêu Hưng Yên 2030: 23.246,2 triệu USD" in texts(spec)
    assert "Target Hung Yen 2030: 23,246.2 million USD" in texts(
        charts.compare_chart(paths, comparison.targets(columns, "en"), "en").to_dict()
    )
    rules = next(data for data in spec["datasets"].values() if "label" in data[0] and "year" not in data[0])
    assert [row["value"] for row in rules] == [SC.target, hy.target]
    # one province's scenarios with two targets: named by their years alone
    other = comparison.Column("C", "", PLAN, dataclasses.replace(SC, target=2800.0), PROJ)
    assert comparison.targets([columns[0], other], "vi") == [(SC.target, "2025"), (2800.0, "2025")]
    # one target: named as on every other chart
    one = charts.compare_chart({"A": PROJ.totals}, comparison.targets(columns[:2], "vi"), "vi").to_dict()
    assert "Mục tiêu 2.700 triệu USD" in texts(one) and "Mục tiêu 2025:" not in texts(one)
    # the same target in two years: one line, one name giving both years
    same = charts.compare_chart({"A": PROJ.totals}, [(2700.0, "2025"), (2700.0, "2028")], "vi").to_dict()
    assert "Mục tiêu 2025, 2028: 2.700 triệu USD" in texts(same)
    assert [
        row["value"] for row in next(d for d in same["datasets"].values() if "label" in d[0] and "year" not in d[0])
    ] == [2700.0]


def test_the_compare_legend_tells_apart_names_that_share_a_long_start():
    """Names of up to 80 characters from one department ("Phương án Sở Công Thương: …") ended
    alike in the legend where Vega cut them, and their lines could not be told apart."""
    start = "Phương án Sở Công Thương: dệt may, da giày tăng tốc nhờ EVFTA, CPTPP"
    paths = {f"{start} - mức thấp": PROJ.totals, f"{start} - mức cao": PROJ.totals * 1.01, "Hiện tại": PROJ.totals}
    spec = charts.compare_chart(paths, [(SC.target, "2025")], "vi").to_dict()
    shown = {row["scenario"] for data in spec["datasets"].values() for row in data if "scenario" in row}
    assert shown == {"Phương án Sở Công Thương: … - mức thấp", "Phương án Sở Công Thương: … - mức cao", "Hiện tại"}
    assert all(len(name) <= charts.COMPARE_LABEL_CHARS for name in shown)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(100, 600).map(lambda v: v * 10.0), min_size=1, max_size=4, unique=True))
@example([5970.0, 5980.0, 5990.0, 6000.0])  # four close targets above every path: the axis grows for their names
def test_compared_targets_are_named_in_the_order_of_their_lines(targets):
    """Compare draws a line per target. Close targets (a saved 2.800 beside the plan's 2.700)
    wrote their names over each other, or a name sat between two lines and read as the other
    one's. Every name is inside the plot, clear of the other names and of every line, and the
    names from top to bottom name the lines from top to bottom."""
    spec = charts.compare_chart({"A": PROJ.totals}, [(v, str(2025 + i)) for i, v in enumerate(targets)], "vi")
    spec = spec.to_dict()
    _, _, top = plot_axes(spec)
    line_of = {
        row["label"]: row["value"]
        for data in spec["datasets"].values()
        for row in data
        if "label" in row and "year" not in row
    }
    boxes = label_boxes(spec)
    assert sorted(text for text, *_ in boxes) == sorted(line_of)
    for i, (text, left, right, top_px, bottom) in enumerate(boxes):
        assert 0 <= left and right <= WIDTH and 0 <= top_px and bottom <= HEIGHT, (text, targets)
        for other in boxes[i + 1 :]:
            assert _overlaps((left, right, top_px, bottom), other[1:]) is False, (text, other[0], targets)
        for value in line_of.values():
            y = HEIGHT - value / top * HEIGHT
            assert not top_px < y < bottom, (text, value, targets)  # no line through a name
    by_height = [line_of[text] for text, *_ in sorted(boxes, key=lambda box: box[3])]
    assert by_height == sorted(line_of.values(), reverse=True), targets


def test_a_target_reads_as_it_was_set_on_every_chart():
    # a whole target without decimals, as a plan states it; a typed 2.800,5 not rounded to 2.800
    assert fmt.target_musd(2700.0, "vi") == "2.700 triệu USD" and fmt.target_musd(4448.1, "en") == "4,448.1 million USD"
    sc = dataclasses.replace(SC, target=2800.5)
    proj = model.project(PLAN, sc)
    for chart in (charts.overview_chart(proj, PLAN, sc, "vi"), charts.distribution_chart(RISK, sc, "vi"),
                  charts.compare_chart({"A": proj.totals}, [(2800.5, "2025")], "vi")):  # fmt: skip
        assert "Mục tiêu 2.800,5 triệu USD" in texts(chart.to_dict())


def test_a_title_never_breaks_a_unit_from_its_percent_sign():
    lines = charts.title_lines("Ảnh hưởng tới kim ngạch 2025 của 1 điểm % tăng trưởng (triệu USD)", 30)
    assert not any(line.startswith("%") for line in lines), lines
    assert [line.replace("\u00a0", " ") for line in lines] == [
        "Ảnh hưởng tới kim ngạch 2025", "của 1 điểm % tăng trưởng", "(triệu USD)"
    ]  # fmt: skip
