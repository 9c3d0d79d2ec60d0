"""The PDF briefs (ui/exports/brief.py): what a reader reads, in the order they read it, and
everything on one page inside the printable area.

A page check reads every text run with its position and colour from the PDF's content
stream (pypdf's visitors), measures it with the same font, and checks it lies inside the
printable area: page count alone cannot see text drawn below the page's edge, because auto
page break is off and such text is still in the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import model  # noqa: E402
from model.record import record  # noqa: E402
from tests.helpers import vega_drawn  # noqa: E402
from ui import format as fmt  # noqa: E402
from ui.exports import FONT_BOLD, FONT_REGULAR, names  # noqa: E402
from ui.exports.brief import TONES, BriefItem, brief_pdf, comparison_brief_pdf  # noqa: E402
from ui.exports.page import CONTENT_W  # noqa: E402
from ui.text import status_label  # noqa: E402

TODAY = dt.date(2026, 11, 27)
LINK = "https://planner.example.vn/?v=1&lang=vi&g.textiles=12.8&shock=0&rec=2&seed=2021&data=abc"
PT_PER_MM = 72 / 25.4
PRINTABLE_MM = 10.0  # what an office printer reliably prints: everything lies at least this far inside the edge
A4_PT = (210 * PT_PER_MM, 297 * PT_PER_MM)
READABLE_CHART_MM = 60.0  # a chart shorter than this does not show a meeting its paths: the text gives way first
LONG_NAMES = [
    "Phương án A: đẩy mạnh dệt may, da giày và xơ sợi theo các hiệp định thương mại tự do",
    "Phương án B: phục hồi chậm sau đại dịch, các nhóm hàng chủ lực tăng trưởng chậm hơn",
    "Phương án C: đồng bộ hạ tầng khu công nghiệp, mở rộng thị trường thủy sản và gốm sứ",
    "Phương án Đặc biệt: mục tiêu cao hơn theo đề xuất của Sở Công Thương tỉnh Thái Bình",
]


@dataclass
class Run:
    text: str
    x: float  # pt from the left edge
    y: float  # baseline, pt from the bottom edge
    size: float
    bold: bool
    colour: tuple[int, int, int] | None  # the fill colour text is painted with (None: black by default)


@dataclass
class Page:
    runs: list[Run]
    images: list[tuple[float, float, float, float]]  # x0, y0, x1, y1 in pt
    rects: list[tuple[float, float, float, float]]
    pages: int

    @property
    def chart_mm(self) -> float:
        """The height of the (one) chart image, in mm."""
        assert len(self.images) == 1, self.images
        x0, y0, x1, y1 = self.images[0]
        return (y1 - y0) / PT_PER_MM

    @property
    def chart_width_mm(self) -> float:
        x0, y0, x1, y1 = self.images[0]
        return (x1 - x0) / PT_PER_MM

    @property
    def text(self) -> str:
        return " ".join(" ".join(r.text for r in self.runs).split())

    def runs_with(self, words: str) -> list[Run]:
        return [r for r in self.runs if words in r.text]


def _read(data: bytes) -> Page:
    """Every text run, image and rectangle of the first page, with its position (pypdf)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    runs: list[Run] = []
    images: list = []
    rects: list = []
    colours: list = [None]  # the graphics state's fill colour, saved by q and restored by Q

    def before(op: bytes, args: list, cm: list, tm: list) -> None:
        if op == b"q":
            colours.append(colours[-1])
        elif op == b"Q" and len(colours) > 1:
            colours.pop()
        elif op == b"rg":
            colours[-1] = tuple(round(float(a) * 255) for a in args)
        elif op == b"Do":
            images.append((cm[4], cm[5], cm[4] + cm[0], cm[5] + cm[3]))
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            rects.append((min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)))

    def visit(text: str, cm: list, tm: list, font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        bold = "Bold" in str(font.get("/BaseFont", "")) if font else False
        runs.append(Run(text, x, y, size * tm[3] * (cm[3] or 1), bold, colours[-1]))

    reader.pages[0].extract_text(visitor_operand_before=before, visitor_text=visit)
    return Page(runs, images, rects, len(reader.pages))


_measure: Any = None


def _width_pt(run: Run) -> float:
    """The run's width with the font it is set in (DejaVu, as embedded)."""
    global _measure
    if _measure is None:
        from fpdf import FPDF

        _measure = FPDF(unit="pt")
        _measure.add_font("D", "", str(FONT_REGULAR))
        _measure.add_font("D", "B", str(FONT_BOLD))
    _measure.set_font("D", "B" if run.bold else "", run.size)
    return float(_measure.get_string_width(run.text.rstrip()))


def outside_printable_area(page: Page) -> list[str]:
    """What lies outside the printable area: text (from its baseline's descent to its ascent,
    from its start to its measured end), images and filled boxes."""
    low, high_x, high_y = (
        PRINTABLE_MM * PT_PER_MM,
        A4_PT[0] - PRINTABLE_MM * PT_PER_MM,
        A4_PT[1] - PRINTABLE_MM * PT_PER_MM,
    )
    out = []
    for r in page.runs:
        x0, x1 = r.x, r.x + _width_pt(r)
        y0, y1 = r.y - 0.25 * r.size, r.y + 0.8 * r.size
        if x0 < low - 0.5 or x1 > high_x + 0.5 or y0 < low - 0.5 or y1 > high_y + 0.5:
            out.append(f"text {r.text[:40]!r} at x {x0:.0f}-{x1:.0f}, y {y0:.0f}-{y1:.0f} pt")
    for kind, boxes in (("image", page.images), ("box", page.rects)):
        for x0, y0, x1, y1 in boxes:
            if x0 < low - 0.5 or x1 > high_x + 0.5 or y0 < low - 0.5 or y1 > high_y + 0.5:
                out.append(f"{kind} at x {x0:.0f}-{x1:.0f}, y {y0:.0f}-{y1:.0f} pt")
    return out


def assert_one_page_inside(data: bytes) -> Page:
    assert data.startswith(b"%PDF")
    page = _read(data)
    assert page.pages == 1
    assert outside_printable_area(page) == []
    return page


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def item(plan, sc):
    proj = model.project(plan, sc)
    risk = model.simulate(plan, sc, n=2000, seed=1)
    return BriefItem(plan, sc, proj, risk, fmt.data_name(plan, "vi", bundled=True), "Phương án A")


@pytest.fixture(scope="module")
def brief_vi(item):
    return brief_pdf(item, "vi", LINK, TODAY)


@pytest.fixture(scope="module")
def crowded_plan(plan):
    """Twice as many sectors, with long names."""
    many = tuple(
        dataclasses.replace(s, id=f"{s.id}_{k}", name_vi=f"{s.name_vi} — nhóm phụ số {k} rất dài")
        for k in range(2) for s in plan.sectors
    )  # fmt: skip
    return dataclasses.replace(plan, sectors=many)


def _item(plan, name=None, risk=True, **changes) -> BriefItem:
    sc = dataclasses.replace(model.Scenario.default(plan), **changes)
    proj = model.project(plan, sc)
    return BriefItem(plan, sc, proj, model.simulate(plan, sc, n=2000, seed=1) if risk else None, "dữ liệu thử", name)


# --- the brief: what a reader reads -------------------------------------------------------------------


def test_brief_reads_the_record_before_the_verdict(item, brief_vi):
    page = assert_one_page_inside(brief_vi)
    assert page.chart_mm >= READABLE_CHART_MM
    assert page.chart_width_mm >= 0.97 * CONTENT_W, "rendered for its room, the chart spans the page"
    rec = record(item.plan, item.projection, TODAY)
    sentence = fmt.record_sentence(rec, "vi", item.plan.events)
    verdict = fmt.verdict(item.projection, "vi", item.risk.probability, rec)
    # Written out too, so that a change in the shared sentences shows here.
    assert sentence is not None and sentence.startswith(
        "Thực tế: mục tiêu 2.700 triệu USD đã được vượt năm 2024, theo số liệu 3.000,0 triệu USD (ước tính, cận trên)."
    )
    assert verdict.startswith(
        "Dự báo nhìn từ năm 2020: CHƯA CHẮC ĐẠT mục tiêu 2025: đường trung tâm đạt (2.870,0 triệu USD, vượt 170,0 "
        "triệu USD, 6,3%), nhưng chỉ 70% số đường mô phỏng đạt."
    )
    text = page.text
    assert sentence in text and verdict in text
    assert text.index(sentence) < text.index(verdict)
    record_top = max(r.y for r in page.runs_with("Thực tế: mục tiêu"))
    verdict_top = max(r.y for r in page.runs_with("Dự báo nhìn từ năm 2020"))
    assert record_top > verdict_top, "the record is printed above the verdict"


def test_brief_title_carries_the_scenario_name_and_the_date(brief_vi):
    page = _read(brief_vi)
    title = max(page.runs, key=lambda r: r.size)  # the largest type on the page, in its first line
    assert title.text.startswith("Thái Bình — Kịch bản xuất khẩu: Phương án A") and title.bold
    assert title.y >= max(r.y for r in page.runs) - title.size
    assert "Ngày 27/11/2026" in page.text
    assert "Dữ liệu: Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã " in page.text
    assert pypdf.PdfReader(io.BytesIO(brief_vi)).metadata.title == "Thái Bình — Kịch bản xuất khẩu: Phương án A"


def test_brief_without_a_name_is_the_current_scenario_in_english(plan):
    page = assert_one_page_inside(brief_pdf(_item(plan), "en", LINK, TODAY))
    assert "Thai Binh — Export scenario: current scenario" in page.text
    assert "27 November 2026" in page.text and "2,870.0" in page.text
    assert page.text.index("The record:") < page.text.index("Projection as seen from 2020")


def test_brief_shows_figures_sectors_parameters_sources_and_the_link(item, brief_vi):
    text = _read(brief_vi).text
    assert "2.870,0 triệu USD" in text and "70%" in text  # the probability, seed 1, 2,000 paths
    for s in item.plan.sectors:
        assert s.name_vi in text
    assert "Năm gốc" in text and "Mã lượt mô phỏng" in text
    assert "S1" in text and status_label("derived", "vi") in text
    assert "https://planner.example.vn/" in text
    resources: Any = pypdf.PdfReader(io.BytesIO(brief_vi)).pages[0]["/Resources"]
    fonts = {str(f.get_object()["/BaseFont"]) for f in resources["/Font"].values()}
    assert fonts and all("DejaVu" in f for f in fonts), fonts


def test_brief_backtest_table_and_sentence(item, brief_vi):
    page = _read(brief_vi)
    assert "Dự báo từ năm 2020 so với thực tế" in page.text
    for year, projected, recorded in (("2021", "1.832,6", "2.138,3"), ("2024", "2.564,9", "3.000,0")):
        row = [r for r in page.runs if abs(r.y - page.runs_with(projected)[0].y) < 0.5]
        assert {year, projected, recorded} <= {r.text.strip() for r in row}, [r.text for r in row]
    assert "ước tính, cận trên" in page.text
    assert ("Nhìn từ năm 2020, dự báo thấp hơn thực tế: số thực tế 2021–2024 lệch khỏi dự báo bình quân 17,4% (sai lệch tuyệt đối, tính trên số dự báo); "
            "0/4 năm nằm trong dải 10–90%. Đánh giá: kém.") in page.text  # fmt: skip


def test_brief_without_a_record_after_the_base_year_says_so(plan):
    text = assert_one_page_inside(brief_pdf(_item(plan, base=2024, sy=2025), "vi", LINK, TODAY)).text
    assert "Chưa có số thực tế sau năm gốc 2024 để so sánh." in text
    assert "Sai lệch (triệu USD)" not in text, "no empty table"


@pytest.mark.parametrize(
    ("changes", "tone"),
    [({}, "uncertain"), ({"shock": 30.0, "rec": 0}, "bad"), ({"target": 2000.0}, "good")],
)
def test_the_verdict_is_printed_in_its_tones_colour(plan, changes, tone):
    item = _item(plan, **changes)
    assert fmt.tone(item.projection, item.risk.probability) == tone
    page = _read(brief_pdf(item, "vi", LINK, TODAY))
    runs = page.runs_with("Dự báo nhìn từ năm 2020")
    assert runs and all(r.colour == TONES[tone][1] for r in runs), [r.colour for r in runs]
    background, text = TONES[tone]
    red, green, blue = text
    assert {"good": green > red, "bad": red > 2 * green, "uncertain": red > green > blue}[tone], text


def test_brief_fits_one_page_when_crowded(crowded_plan):
    """Twice the sectors with long names, a missed target, no simulation and a very long link."""
    sc = dataclasses.replace(model.Scenario.default(crowded_plan), shock=30.0, rec=0, target=6000.0)
    proj = model.project(crowded_plan, sc)
    link = "https://planner.example.vn/?" + "&".join(f"g.{s.id}={s.growth_pct}" for s in crowded_plan.sectors) * 3
    item = BriefItem(crowded_plan, sc, proj, None, "dữ liệu thử", "Đ" * 80)
    page = assert_one_page_inside(brief_pdf(item, "vi", link, TODAY))
    assert "CHƯA ĐẠT mục tiêu 2025" in page.text
    assert page.chart_mm >= READABLE_CHART_MM, "denser type and rows leave the chart its room"


def test_brief_fits_one_page_at_the_plans_limits(plan):
    """A record sentence with a hundred long events, forty sectors with long names: the
    blocks give way (the record and the sources are cut with "…"), nothing leaves the page."""
    from model.plan import MAX_EVENTS, MAX_SECTORS, MAX_TEXT_CHARS

    event = dataclasses.replace(plan.events[0], text_vi="Sự kiện rất dài " * (MAX_TEXT_CHARS // 17))
    sectors = tuple(
        dataclasses.replace(plan.sectors[k % len(plan.sectors)], id=f"s{k}", name_vi=f"Nhóm hàng thứ {k} " * 6)
        for k in range(MAX_SECTORS)
    )  # fmt: skip
    huge = dataclasses.replace(plan, events=(event,) * MAX_EVENTS, sectors=sectors)
    page = assert_one_page_inside(brief_pdf(_item(huge, name="X" * 80), "vi", LINK + "&x=" + "9" * 3000, TODAY))
    assert "…" in page.text and "Dự báo nhìn từ năm 2020" in page.text
    assert page.chart_mm >= READABLE_CHART_MM, "the record and the sources are cut, the chart keeps its room"


def test_brief_takes_hostile_names_as_plain_text(plan):
    item = _item(plan, name='=HYPERLINK("x") & <b>計画</b> **bold**', risk=False)
    page = assert_one_page_inside(
        brief_pdf(dataclasses.replace(item, data_name="[a](javascript:x)"), "vi", LINK, TODAY)
    )
    assert '=HYPERLINK("x") & <b>' in page.text and "**bold**" in page.text and "[a](javascript:x)" in page.text


def test_brief_file_name(item):
    assert (
        names.file_stem(item.plan, item.scenario, TODAY, item.name) + ".pdf"
        == "thai-binh-2025-2026-11-27-phuong-an-a.pdf"
    )


# --- the comparison -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def four(plan):
    changes = [{}, {"shock": 15.0, "rec": 4}, {"unc": 1.5, "seed": 7}, {"target": 3200.0}]
    items = []
    for k, (name, change) in enumerate(zip(LONG_NAMES, changes, strict=True)):
        item = _item(plan, name, **change)
        sc = item.scenario.with_growth({"textiles": 8.0 + k})
        proj = model.project(plan, sc)
        risk = model.simulate(plan, sc, n=2000, seed=1)
        items.append(dataclasses.replace(item, scenario=sc, projection=proj, risk=risk,
                                         data_name=f"Bộ dữ liệu của Sở Công Thương, bản số {k + 1}"))  # fmt: skip
    return items


@pytest.fixture(scope="module")
def comparison_vi(four):
    return comparison_brief_pdf(four, "vi", LINK + "&cmp=current,1,2,3", TODAY)


def test_comparison_of_four_long_names_is_one_page_inside_the_printable_area(comparison_vi):
    page = assert_one_page_inside(comparison_vi)
    assert page.chart_mm >= READABLE_CHART_MM, "the paths chart"


def test_comparison_chart_keeps_the_names_of_close_targets_inside_its_plot(plan, monkeypatch):
    """Four scenarios with close targets: their names are stacked above the highest line, on
    a plot of charts.HEIGHT. With four long names the table above leaves the chart little
    room, and the paper drew its plot shorter than that: the top name rose out of the plot."""
    import ui.exports.brief as brief
    from ui.charts import HEIGHT
    from ui.exports.images import chart_spec

    drawn: list[dict] = []
    render = brief.chart_png

    def recorded(chart, scale=2, width=960, height=None):
        drawn.append(chart_spec(chart, width, height))
        return render(chart, scale=scale, width=width, height=height)

    monkeypatch.setattr(brief, "chart_png", recorded)
    items = [_item(plan, name, target=4000.0 + 10 * k) for k, name in enumerate(LONG_NAMES)]  # above every path
    assert_one_page_inside(comparison_brief_pdf(items, "vi", LINK, TODAY))
    [spec] = drawn
    assert spec["height"] >= HEIGHT
    rules, words = vega_drawn(spec)
    names = {(text, top, bottom) for text, top, bottom in words if text.startswith("Mục tiêu")}  # halo and text
    assert len(rules) == len(names) == 4
    assert all(0 <= top and bottom <= spec["height"] for _, top, bottom in names), names
    # One target, one name: the chart is drawn for its room and spans the page, as the brief's does
    same = [_item(plan, name) for name in LONG_NAMES]
    assert _read(comparison_brief_pdf(same, "vi", LINK, TODAY)).chart_width_mm >= 0.97 * CONTENT_W


def test_comparison_swatches_have_the_colours_of_the_chart_lines(comparison_vi):
    """Each scenario's swatch beside its name is the colour of its line in the chart (the
    swatches kept an old palette after the chart's changed, and scenarios 3 and 4 could not
    be matched to their lines)."""
    import re

    from ui.charts import SCENARIO_COLOURS

    content = pypdf.PdfReader(io.BytesIO(comparison_vi)).pages[0].get_contents().get_data().decode("latin-1")
    fills = [tuple(round(float(v) * 255) for v in m.split()) for m in re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", content)]
    lines = [tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5)) for colour in SCENARIO_COLOURS]
    swatches = [fill for fill in fills if fill in lines]  # in the order they are drawn, top to bottom
    assert swatches == lines, "swatch k has line k's colour"


def test_comparison_of_names_that_share_a_long_start_tells_them_apart(plan):
    """Names from one department share their first 70 characters: the table of scenarios gives
    each whole, and the column heads of the parameters that differ show each one's end."""
    start = "Phương án Sở Công Thương: dệt may, da giày tăng tốc nhờ EVFTA, CPTPP"
    names = [f"{start} - mức thấp", f"{start} - mức cao", f"{start} 2021–2025", "Hiện tại"]
    items = [_item(plan, name, shock=float(k)) for k, name in enumerate(names)]
    text = assert_one_page_inside(comparison_brief_pdf(items, "vi", LINK, TODAY)).text
    flat = " ".join(text.split())
    for name, end in zip(names[:3], ("… mức thấp", "… mức cao", "… 2021–2025"), strict=True):
        assert name in flat, name  # whole in its card
        assert end in flat, "its column head: its start and its end"


def test_comparison_shows_each_scenario_with_its_data_verdict_and_figures(four, comparison_vi):
    page = _read(comparison_vi)
    text = page.text
    assert "Thái Bình — So sánh kịch bản" in text and "Ngày 27/11/2026" in text
    for item in four:
        assert item.name in text, item.name
        assert item.data_name in text
        probability = item.risk.probability
        verdict = fmt.verdict(item.projection, "vi", probability, record(item.plan, item.projection, TODAY))
        assert verdict in text
        total = fmt.number(item.projection.target_year_total, "vi")
        assert f"{item.scenario.ty}: {total}" in text
        assert fmt.pct(probability * 100.0, "vi", 0) in text
    # each verdict in its tone's colour (its first line, in the scenarios' order)
    first_lines = page.runs_with("Dự báo nhìn từ năm")
    assert [r.colour for r in first_lines] == [
        TONES[fmt.tone(item.projection, item.risk.probability)][1] for item in four
    ]
    assert text.index("Thực tế: mục tiêu 2.700 triệu USD") < text.index("Dự báo nhìn từ năm 2020"), "the record first"
    assert "Thực tế: số liệu đã có chưa đạt mục tiêu 3.200 triệu USD" in text, "the other target's record, too"


def test_comparison_lists_only_the_parameters_that_differ(four, comparison_vi):
    text = _read(comparison_vi).text
    assert "Thông số khác nhau giữa các kịch bản" in text
    for label in ("Tăng trưởng: Dệt may (%/năm)", "Mức sụt giảm khi có cú sốc (%)", "Số năm phục hồi (năm)",
                  "Mức độ bất định (lần)", "Mã lượt mô phỏng", "Mục tiêu (triệu USD)"):  # fmt: skip
        assert label in text, label
    for label in ("Tăng trưởng: Da giày", "Năm gốc", "Năm mục tiêu", "Số đường mô phỏng"):
        assert label not in text, label


def test_comparison_of_the_same_parameters_says_so(plan):
    a, b = _item(plan, "A"), _item(plan, "B")
    page = assert_one_page_inside(comparison_brief_pdf([a, b], "en", LINK, TODAY))
    assert "The scenarios share every parameter." in page.text
    # the column heads break between words, never inside one ("Probabilit / y"), and are whole
    assert {"Probability", "(million", "USD)"} <= {run.text.strip() for run in page.runs}


def test_comparison_across_two_datasets_names_each_record_by_its_data(plan):
    other = model.load_plan(ROOT / "data" / "hung_yen")
    a, b = _item(plan, "Thái Bình A"), _item(other, "Hưng Yên B")
    a, b = dataclasses.replace(a, data_name="dữ liệu Thái Bình"), dataclasses.replace(b, data_name="dữ liệu Hưng Yên")
    page = assert_one_page_inside(comparison_brief_pdf([a, b], "vi", LINK, TODAY))
    for item in (a, b):
        sentence = fmt.record_sentence(record(item.plan, item.projection, TODAY), "vi", item.plan.events)
        assert sentence and f"{item.data_name}: {sentence}" in page.text
    only_a = fmt.param_label(f"g.{plan.sectors[0].id}", "vi", plan)
    row = [r.text.strip() for r in page.runs if abs(r.y - page.runs_with(only_a)[0].y) < 0.5]
    assert "–" in row, "a sector the other plan does not have"
