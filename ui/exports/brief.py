"""The meeting's paper: a one-page A4 brief of a scenario, and a one-page comparison of 2-4.

The brief states the record before the projection, in the sentences the app shows
(ui.format.record_sentence, then ui.format.verdict, its box coloured by ui.format.tone).

A page is built from blocks (title, record, verdict, key figures, chart, tables, backtest,
sources, link). Each block measures itself and draws itself; page.place stacks them and
gives the chart the height left. When the blocks leave the chart too little, they are
rebuilt one density level smaller (smaller type, tighter rows); at the smallest level the
blocks that can give up lines (the record, the sources, the link) are cut with "…". So
nothing is ever drawn below the page's margin, whatever the plan or the names hold.

Fonts: the DejaVu fonts shipped in ui/fonts/, embedded (Vietnamese diacritics render in
any viewer). Charts are rendered offline by vl-convert (images.py).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from model import Plan, Projection, RiskResult, Scenario, backtest
from model.backtest import Backtest
from model.compare import differs
from model.params import GROUPS, PARAMS, growth_key
from model.plan import Source
from model.record import Record, record
from ui import format as fmt
from ui.exports.images import chart_png, chart_size, png_size
from ui.exports.names import date_text
from ui.exports.page import (
    CONTENT_W,
    GREY,
    HEAD_BG,
    MARGIN,
    PAGE_W,
    RULE,
    SCALES,
    Block,
    ChartSlot,
    Grid,
    Item,
    cell,
    font,
    new_pdf,
    paragraph,
    place,
    rows_fit,
    section_title,
)  # fmt: skip
from ui.exports.tables import backtest_summary
from ui.text import status_label, t

if TYPE_CHECKING:  # ui.charts (Altair) is imported only when a chart is drawn
    from ui.charts import ChartSpec

LINK_BLUE = (5, 99, 193)
RECORD_BG, RECORD_FG, RECORD_BAR = (232, 240, 250), (23, 55, 94), (66, 120, 190)
# ui.format.tone -> (background, text): green, amber, red, as the app's boxes.
TONES = {
    "good": ((226, 242, 228), (22, 101, 52)),
    "uncertain": ((255, 243, 205), (133, 77, 14)),
    "bad": ((252, 228, 228), (153, 27, 27)),
}
MAX_COMPARED = 4
HEAD_CHARS_PER_MM = 1.2  # what two lines of a table's bold column head hold, about, per mm of width


@dataclass(frozen=True)
class BriefItem:
    """One scenario as a paper shows it: its name (None: the current scenario), the data it
    uses in words (ui.format.data_name), and what the model made of it."""

    plan: Plan
    scenario: Scenario
    projection: Projection
    risk: RiskResult | None
    data_name: str
    name: str | None = None

    def title(self, lang: str) -> str:
        return self.name or t("export.current", lang)


# --- the blocks ------------------------------------------------------------------------------


def _title_block(pdf: Any, title: str, below: list[str], today: dt.date, lang: str, s: float) -> Block:
    """The title (at most two lines) with the date on its right, then grey lines under it."""
    date = t("export.brief.date", lang, date=date_text(today, lang))
    font(pdf, 9 * s)
    date_w = pdf.get_string_width(date) + 3
    title_w = CONTENT_W - date_w - 2
    size = 15 * s
    head = paragraph(pdf, title, title_w, size, "B")
    while len(head.lines) > 1 and size > 11 * s:
        size -= 0.5
        head = paragraph(pdf, title, title_w, size, "B")
    head = paragraph(pdf, title, title_w, size, "B", max_lines=2)
    subs = [paragraph(pdf, text, CONTENT_W, 7.5 * s, colour=GREY, max_lines=2) for text in below]
    height = head.height + 1 + sum(p.height for p in subs)

    def draw(y: float) -> None:
        head.draw(pdf, MARGIN, y, title_w)
        cell(pdf, PAGE_W - MARGIN - date_w, y, date_w, head.line_h, date, 9 * s, colour=GREY, align="R")
        y += head.height + 1
        for p in subs:
            p.draw(pdf, MARGIN, y, CONTENT_W)
            y += p.height

    return Block(height, draw)


def _box_block(
    pdf: Any, text: str, size: float, style: str, bg: tuple, fg: tuple, bar: tuple | None, max_lines: int,
    min_lines: int | None = None,
) -> Block:  # fmt: skip
    """Text in a coloured box (the record, the verdict). A box with `min_lines` can give up
    lines down to that many, cut with "…" (the whole sentence is in the app)."""
    pad_x, pad_y = 2.5, 1.6
    para = paragraph(pdf, text, CONTENT_W - 2 * pad_x, size, style, fg, max_lines)
    height = para.height + 2 * pad_y

    def draw(y: float) -> None:
        pdf.set_fill_color(*bg)
        pdf.rect(MARGIN, y, CONTENT_W, height, style="F")
        if bar is not None:
            pdf.set_fill_color(*bar)
            pdf.rect(MARGIN, y, 1.0, height, style="F")
        para.draw(pdf, MARGIN + pad_x, y + pad_y, CONTENT_W - 2 * pad_x)

    def shrink(max_h: float) -> Block | None:
        assert min_lines is not None
        lines = max(min_lines, int((max_h - 2 * pad_y) / para.line_h))
        return _box_block(pdf, text, size, style, bg, fg, bar, lines, min_lines) if lines < len(para.lines) else None

    return Block(height, draw, shrink if min_lines is not None else None)


def _record_block(pdf: Any, sentence: str | None, s: float) -> Block | None:
    if not sentence:
        return None
    return _box_block(pdf, sentence, 8.5 * s, "", RECORD_BG, RECORD_FG, RECORD_BAR, max_lines=8, min_lines=2)


def _verdict_block(pdf: Any, item: BriefItem, rec: Record, lang: str, s: float) -> Block:
    probability = item.risk.probability if item.risk is not None else None
    bg, fg = TONES[fmt.tone(item.projection, probability)]
    text = fmt.verdict(item.projection, lang, probability, rec)
    return _box_block(pdf, text, 10.5 * s, "B", bg, fg, None, max_lines=5)


def _crossed(proj: Projection, sc: Scenario, lang: str) -> str:
    return str(proj.year_reached) if proj.year_reached else t("kpi.not_crossed", lang, h=sc.h)


def _figures_block(pdf: Any, item: BriefItem, lang: str, s: float) -> Block:
    """Key figures in boxes whose widths are weighted by what they hold."""
    proj, sc, risk, unit = item.projection, item.scenario, item.risk, fmt.unit_text("musd", lang)
    kpis = [
        (t("export.kpi.total", lang, year=sc.ty), fmt.musd(proj.target_year_total, lang), 1.15),
        (t("export.kpi.gap", lang), f"{fmt.signed(proj.gap_musd, lang)} {unit} ({fmt.signed(proj.gap_pct, lang)}%)", 1.45),
        (t("export.kpi.growth", lang), " / ".join(fmt.growth_and_required(proj, lang)[:2]), 1.0),
        (t("kpi.crossed", lang), _crossed(proj, sc, lang), 0.8),
    ]  # fmt: skip
    if risk is not None:
        kpis.append((t("export.kpi.probability", lang), fmt.probability_pct(risk.probability, lang), 0.9))
    gap_w, box_h = 2.0, 13.0 * s
    unit_w = (CONTENT_W - gap_w * (len(kpis) - 1)) / sum(k[2] for k in kpis)
    note = t("export.brief.probability_note", lang, n=fmt.number(risk.n, lang, 0), seed=risk.seed) if risk else ""
    note_h = 3.0 * s if note else 0.0

    def draw(y: float) -> None:
        x = MARGIN
        pdf.set_draw_color(*RULE)
        for label, value, weight in kpis:
            box_w = unit_w * weight
            pdf.rect(x, y, box_w, box_h)
            cell(pdf, x + 0.5, y + 1.0 * s, box_w - 1, 4 * s, label, 7.5 * s, colour=GREY)
            cell(pdf, x + 0.5, y + 5.8 * s, box_w - 1, 6 * s, value, 11 * s, "B", min_size=6.5)
            x += box_w + gap_w
        if note:
            cell(pdf, MARGIN, y + box_h + 0.3, CONTENT_W, note_h, note, 6.5 * s, colour=GREY, align="R")

    return Block(box_h + note_h + 0.3, draw)


SHORTEST_PLOT_PX = 120  # a chart's plot on the paper: shorter, its paths cannot be read


def _chart_slot(pdf: Any, chart: ChartSpec, alt_text: str) -> ChartSlot:
    """The chart, rendered for the height it is given: measured once (as SVG, which is quicker
    than a PNG) to learn what its title, axes and legend take, then rendered as a PNG with a
    plot as tall as the room allows (offline, vl-convert), and never shorter than its labels
    need (`ChartSpec.shortest_px`): a chart given less room is drawn smaller, all of it."""
    shortest_px = max(SHORTEST_PLOT_PX, chart.shortest_px)

    def make(room: float) -> Block:
        px_width, px_height = 960, 300
        w_css, h_css = chart_size(chart, width=px_width, height=px_height)
        css_px_per_mm = w_css / CONTENT_W
        wanted = int(px_height + (room - CONTENT_W * h_css / w_css) * css_px_per_mm)
        png = chart_png(chart, scale=2, width=px_width, height=max(shortest_px, min(620, wanted)))
        w_px, h_px = png_size(png)
        height = min(room, CONTENT_W * h_px / w_px)
        width = height * w_px / h_px

        def draw(y: float) -> None:
            pdf.image(io.BytesIO(png), x=MARGIN + (CONTENT_W - width) / 2, y=y, w=width, h=height, alt_text=alt_text)

        return Block(height, draw)

    return ChartSlot(make)


def _sector_table(item: BriefItem, lang: str, row_h: float, size: float) -> Grid:
    plan, sc, proj = item.plan, item.scenario, item.projection
    growth = sc.growth_map
    cols = [(44.0, "L"), (22.0, "R"), (20.0, "R"), (24.0, "R")]
    header = [t("word.sector", lang), t("ov.col.base", lang, base=sc.base), t("sc.col.growth", lang),
              t("ov.col.value_y", lang, year=sc.ty)]  # fmt: skip
    rows = [
        [s.name(lang), fmt.number(float(proj.by_sector.loc[sc.base, s.id]), lang),
         fmt.number(growth.get(s.id, s.growth_pct), lang), fmt.number(float(proj.by_sector.loc[sc.ty, s.id]), lang)]
        for s in plan.sectors
    ]  # fmt: skip
    total = [t("word.total", lang), fmt.number(float(proj.totals[sc.base]), lang),
             fmt.pct(proj.implied_cagr_pct, lang), fmt.number(proj.target_year_total, lang)]  # fmt: skip
    return Grid(cols, header, rows, row_h, size, total)


def _brief_params(sc: Scenario, risk: RiskResult | None, lang: str) -> list[tuple[str, str]]:
    """Every parameter but the sectors' growth (in the sector table), with its unit; the
    simulation's only when there is a simulation."""
    values = sc.values() | ({"n": risk.n, "seed": risk.seed} if risk is not None else {})
    return [
        (fmt.param_label(p.key, lang), fmt.param_value(p.key, values[p.key], lang))
        for p in PARAMS
        if risk is not None or p.key not in GROUPS["uncertainty"]
    ]


def _tables_block(pdf: Any, item: BriefItem, lang: str, level: int, s: float) -> Block:
    """The sector table (left) and the scenario's parameters (right)."""
    params = _brief_params(item.scenario, item.risk, lang)
    row_h, size = rows_fit(len(item.plan.sectors) + 3, level, 100.0)  # sectors, the total, a two-line header
    param_h, param_size = rows_fit(len(params), level, 100.0)
    grid = _sector_table(item, lang, row_h, size)
    left_w = sum(w for w, _ in grid.cols)
    right_x, right_w = MARGIN + left_w + 6, CONTENT_W - left_w - 6
    head_h = 5.5 * s

    def draw(y: float) -> None:
        section_title(pdf, MARGIN, y, left_w, t("export.brief.sectors", lang), s)
        section_title(pdf, right_x, y, right_w, t("export.brief.params", lang), s)
        y += head_h
        grid.draw(pdf, MARGIN, y)
        value_w = 22.0
        for r, (label, value) in enumerate(params):
            row_y = y + r * param_h
            cell(pdf, right_x, row_y, right_w - value_w, param_h, label, param_size, colour=GREY)
            cell(pdf, right_x + right_w - value_w, row_y, value_w, param_h, value, param_size, "B", align="R")

    return Block(head_h + max(grid.height, len(params) * param_h), draw)


def _backtest_block(pdf: Any, item: BriefItem, bt: Backtest, lang: str, level: int, s: float) -> Block:
    """The projection against each record since the base year (a compact table) and the
    sentence that judges it; or the sentence that there is no record yet."""
    head_h = 5.5 * s
    summary = backtest_summary(bt, lang)
    title = t("backtest.title", lang, base=bt.base_year)
    if bt.verdict is None:
        para = paragraph(pdf, summary, CONTENT_W, 7.5 * s, max_lines=3)

        def draw_none(y: float) -> None:
            section_title(pdf, MARGIN, y, CONTENT_W, title, s)
            para.draw(pdf, MARGIN, y + head_h, CONTENT_W)

        return Block(head_h + para.height, draw_none)

    totals = item.plan.actual_totals()
    rows = []
    for r in bt.table.itertuples(index=False):
        bound = totals[int(r.year)].bound
        status = fmt.with_bound(status_label(str(r.status), lang), bound, lang)
        rows.append([str(int(r.year)), fmt.number(float(r.scenario_musd), lang), fmt.number(float(r.actual_musd), lang),
                     status, fmt.difference(float(r.actual_musd), float(r.scenario_musd), lang), fmt.signed(float(r.deviation_pct), lang),
                     t("yes" if r.inside else "no", lang)])  # fmt: skip
    row_h, size = rows_fit(len(rows) + 2, level, 45.0)
    cols = [(10.0, "L"), (20.0, "R"), (20.0, "R"), (27.0, "L"), (20.0, "R"), (15.0, "R"), (16.0, "R")]
    header = [t("word.year", lang), t("backtest.col.projection", lang, base=bt.base_year), t("data.col.actual", lang),
              t("word.status", lang), t("backtest.col.error_musd", lang), t("backtest.col.error_pct", lang),
              t("backtest.col.inside", lang)]  # fmt: skip
    grid = Grid(cols, header, rows, row_h, size)
    table_w = sum(w for w, _ in cols)
    text_x, text_w = MARGIN + table_w + 5, CONTENT_W - table_w - 5
    sentence = paragraph(pdf, summary, text_w, 8 * s, "B", max_lines=7)
    note = paragraph(pdf, t("backtest.error_note", lang), text_w, 6.5 * s, colour=GREY, max_lines=3)

    def draw(y: float) -> None:
        section_title(pdf, MARGIN, y, CONTENT_W, title, s)
        y += head_h
        grid.draw(pdf, MARGIN, y)
        sentence.draw(pdf, text_x, y, text_w)
        note.draw(pdf, text_x, y + sentence.height + 1, text_w)

    return Block(head_h + max(grid.height, sentence.height + 1 + note.height), draw)


def _status_counts(plan: Plan) -> Counter:
    return Counter(p.status for p in plan.provenances())


def _referenced_sources(plan: Plan) -> list[Source]:
    """The plan's sources that some figure cites (all of them when none is cited by id)."""
    cited: set[str] = set()
    for p in plan.provenances():
        cited.update(p.source_ids)
    listed = [src for src in plan.sources if src.id in cited]
    return listed or list(plan.sources)


def _sources_block(pdf: Any, plans: list[Plan], lang: str, s: float, keep: int | None = None) -> Block:
    """How many input figures carry each status, and the sources they cite. It gives way by
    listing fewer sources ("…")."""
    counts: Counter = Counter()
    sources: list[Source] = []
    for plan in plans:
        counts += _status_counts(plan)
        sources += [src for src in _referenced_sources(plan) if src not in sources]
    order = ("official", "draft", "estimate", "derived", "proxy", "assumption")
    counts_text = " · ".join(f"{status_label(k, lang)}: {counts[k]}" for k in order if counts[k])
    counts_line = paragraph(
        pdf, t("export.brief.status_counts", lang, counts=counts_text), CONTENT_W, 6.8 * s, max_lines=2
    )
    shown = sources if keep is None else sources[:keep]
    listing = "  ".join(f"[{src.id}] {src.title}" for src in shown) + ("  …" if len(shown) < len(sources) else "")
    listing_para = paragraph(pdf, listing, CONTENT_W, 6.0 * s, colour=GREY, max_lines=12)
    head_h = 5.5 * s
    height = head_h + counts_line.height + listing_para.height

    def draw(y: float) -> None:
        section_title(pdf, MARGIN, y, CONTENT_W, t("export.brief.sources", lang), s)
        counts_line.draw(pdf, MARGIN, y + head_h, CONTENT_W)
        listing_para.draw(pdf, MARGIN, y + head_h + counts_line.height, CONTENT_W)

    def shrink(max_h: float) -> Block | None:
        smaller = None
        for n in range(len(shown) - 1, -1, -1):
            smaller = _sources_block(pdf, plans, lang, s, keep=n)
            if smaller.height <= max_h:
                break
        return smaller if smaller is not None and smaller.height < height else None

    return Block(height, draw, shrink)


def _link_block(pdf: Any, link: str, label: str, s: float, max_lines: int = 6) -> Block:
    """The link that opens the same view; the whole address is the click target even when
    the text is cut."""
    head = paragraph(pdf, label, CONTENT_W, 6.8 * s, "B", max_lines=1)
    body = paragraph(pdf, link, CONTENT_W, 6.8 * s, colour=LINK_BLUE, max_lines=max_lines, chars=True)
    is_web = link.startswith(("https://", "http://"))

    def draw(y: float) -> None:
        head.draw(pdf, MARGIN, y, CONTENT_W)
        body.draw(pdf, MARGIN, y + head.height, CONTENT_W, link=link if is_web else None)

    def shrink(max_h: float) -> Block | None:
        lines = max(1, int((max_h - head.height) / body.line_h))
        return _link_block(pdf, link, label, s, lines) if lines < len(body.lines) else None

    return Block(head.height + body.height, draw, shrink, gap=0.0)


# --- the one-page brief of a scenario ---------------------------------------------------------------


def brief_pdf(item: BriefItem, lang: str, link: str, today: dt.date) -> bytes:
    """One A4 page for the meeting: the title with the scenario's name and the date, the data
    it uses; the record, then the verdict; key figures, the main chart, the sectors and the
    parameters, the backtest, the sources and statuses, and the link.

    `today` is the date in Vietnam (ui.session.today()); file name: names.file_stem(...) + ".pdf".
    """
    from ui.charts import overview_chart

    plan, sc, proj = item.plan, item.scenario, item.projection
    title = t("export.brief.title", lang, province=plan.province(lang), name=item.title(lang))
    pdf = new_pdf(title, plan.province(lang), lang, today)
    rec = record(plan, proj, today)
    bt = backtest(plan, sc, proj, item.risk)
    sentence = fmt.record_sentence(rec, lang, plan.events)
    data_line = t("export.brief.data", lang, data=item.data_name)  # the name carries the code
    chart = _chart_slot(pdf, overview_chart(proj, plan, sc, lang), t("chart.main_title", lang, base=sc.base, h=sc.h))

    def blocks(level: int) -> list[Item]:
        s = SCALES[level]
        items = [
            _title_block(pdf, title, [plan.scheme(lang), data_line], today, lang, s),
            _record_block(pdf, sentence, s),
            _verdict_block(pdf, item, rec, lang, s),
            _figures_block(pdf, item, lang, s),
            chart,
            _tables_block(pdf, item, lang, level, s),
            _backtest_block(pdf, item, bt, lang, level, s),
            _sources_block(pdf, [plan], lang, s),
            _link_block(pdf, link, t("export.brief.link", lang), s),
        ]
        return [i for i in items if i is not None]

    place(blocks)
    return bytes(pdf.output())


# --- the one-page comparison of 2-4 scenarios ----------------------------------------------------------


def _unique_names(items: Sequence[BriefItem], lang: str) -> list[str]:
    """The scenarios' names, made unique (the chart tells its lines apart by name)."""
    names: list[str] = []
    for item in items:
        name, k = item.title(lang), 2
        while name in names:
            name, k = f"{item.title(lang)} ({k})", k + 1
        names.append(name)
    return names


def _comparison_record(items: Sequence[BriefItem], lang: str, today: dt.date) -> str:
    """The record first, once per set of figures: each distinct sentence (scenarios with other
    targets read the record differently), the plan's events once, after its last sentence;
    named by the data when the scenarios use different data."""
    by_data: dict[str, tuple[BriefItem, dict[str, Record]]] = {}
    for item in items:
        rec = record(item.plan, item.projection, today)
        entry = by_data.setdefault(item.plan.fingerprint, (item, {}))
        entry[1].setdefault(fmt.record_sentence(rec, lang) or "", rec)  # one per distinct sentence
    paragraphs = []
    for item, recs in by_data.values():
        sentences = [fmt.record_sentence(rec, lang, item.plan.events if k == len(recs) - 1 else ())
                     for k, rec in enumerate(recs.values())]  # fmt: skip
        text = " ".join(s for s in sentences if s)
        if text:
            paragraphs.append(f"{item.data_name}: {text}" if len(by_data) > 1 else text)
    return "\n".join(paragraphs)


def _comparison_table_block(pdf: Any, items: Sequence[BriefItem], names: list[str], today: dt.date, lang: str,
                            level: int, s: float) -> Block:  # fmt: skip
    """Per scenario: its colour and name with the data it uses, the verdict in its tone's
    colour, the target-year total, the gap and the probability."""
    cols = [(46.0, "L"), (80.0, "L"), (20.0, "R"), (20.0, "R"), (20.0, "R")]
    header = [t("word.scenario", lang), t("word.verdict", lang), t("export.compare.col.total", lang),
              t("kpi.gap", lang), t("export.kpi.probability", lang)]  # fmt: skip
    size = 7.4 * s
    head = max(4.5, size - 0.6)
    header_paras = [
        paragraph(pdf, h, w - 1, head, "B", max_lines=4, align=a) for (w, a), h in zip(cols, header, strict=True)
    ]
    header_h = max(p.height for p in header_paras) + 1.5
    cards = []
    for k, (item, name) in enumerate(zip(items, names, strict=True)):
        proj, risk = item.projection, item.risk
        probability = risk.probability if risk is not None else None
        bg, fg = TONES[fmt.tone(proj, probability)]
        rec = record(item.plan, proj, today)
        name_p = paragraph(pdf, name, cols[0][0] - 5, size + 0.6, "B", max_lines=6)  # 80 characters, in full
        data_p = paragraph(pdf, item.data_name, cols[0][0] - 5, size - 1.2, colour=GREY, max_lines=2)
        verdict_p = paragraph(
            pdf, fmt.verdict(proj, lang, probability, rec), cols[1][0] - 2, size, "B", fg, max_lines=6
        )
        figures = [f"{item.scenario.ty}: {fmt.number(proj.target_year_total, lang)}",
                   f"{fmt.signed(proj.gap_musd, lang)} ({fmt.signed(proj.gap_pct, lang)}%)",
                   fmt.probability_pct(probability, lang) if probability is not None else "–"]  # fmt: skip
        figure_ps = [paragraph(pdf, f, w - 0.5, size, "B", max_lines=2, align=a)
                     for (w, a), f in zip(cols[2:], figures, strict=True)]  # fmt: skip
        height = max(name_p.height + 0.5 + data_p.height, verdict_p.height, *(p.height for p in figure_ps)) + 2.4
        cards.append((k, name_p, data_p, verdict_p, figure_ps, bg, height))
    height = header_h + sum(c[-1] for c in cards)

    def draw(y: float) -> None:
        pdf.set_fill_color(*HEAD_BG)
        pdf.rect(MARGIN, y, CONTENT_W, header_h, style="F")
        x = MARGIN
        for (w, _), para in zip(cols, header_paras, strict=True):
            para.draw(pdf, x + 0.5, y + 0.75, w - 1)
            x += w
        y += header_h
        pdf.set_draw_color(*RULE)
        for k, name_p, data_p, verdict_p, figure_ps, bg, h in cards:
            pdf.set_fill_color(*_scenario_colour(k))
            pdf.rect(MARGIN + 0.5, y + 1.4, 3.0, 3.0, style="F")
            name_p.draw(pdf, MARGIN + 4.5, y + 1.2, cols[0][0] - 5)
            data_p.draw(pdf, MARGIN + 4.5, y + 1.2 + name_p.height + 0.5, cols[0][0] - 5)
            x = MARGIN + cols[0][0]
            pdf.set_fill_color(*bg)
            pdf.rect(x, y + 0.6, cols[1][0], h - 1.2, style="F")
            verdict_p.draw(pdf, x + 1, y + 1.2, cols[1][0] - 2)
            x += cols[1][0]
            for (w, _), para in zip(cols[2:], figure_ps, strict=True):
                para.draw(pdf, x + 0.25, y + 1.2, w - 0.5)
                x += w
            y += h
            pdf.line(MARGIN, y, MARGIN + CONTENT_W, y)

    return Block(height, draw)


def _scenario_colour(k: int) -> tuple[int, int, int]:
    """The colour of the k-th scenario's line in charts.compare_chart, as (r, g, b): the swatch
    beside its name in the comparison paper."""
    from ui.charts import SCENARIO_COLOURS

    colour = SCENARIO_COLOURS[k % len(SCENARIO_COLOURS)].lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def _differing_params(items: Sequence[BriefItem], lang: str) -> list[tuple[str, list[str]]]:
    """(label, a value per scenario) for each parameter whose value is not the same in all
    of them: the sectors' growth first, then the table's order; "–" where a plan lacks it."""
    keys: list[str] = []
    for item in items:
        keys += [growth_key(sid) for sid in item.plan.sector_ids if growth_key(sid) not in keys]
    keys += [p.key for p in PARAMS]
    rows = []
    for key in keys:
        values = [item.scenario.values().get(key) for item in items]
        if not any(differs(v, values[0]) for v in values[1:]):
            continue
        plan = next(item.plan for item in items if key in item.scenario.values())
        label = fmt.param_label(key, lang, plan)
        rows.append((label, ["–" if v is None else fmt.param_value(key, float(v), lang) for v in values]))
    return rows


def _params_block(pdf: Any, items: Sequence[BriefItem], names: list[str], lang: str, level: int, s: float) -> Block:
    rows = _differing_params(items, lang)
    title = t("export.compare.params", lang)
    head_h = 5.5 * s
    if not rows:
        para = paragraph(pdf, t("export.compare.same", lang), CONTENT_W, 7.5 * s)

        def draw_same(y: float) -> None:
            section_title(pdf, MARGIN, y, CONTENT_W, title, s)
            para.draw(pdf, MARGIN, y + head_h, CONTENT_W)

        return Block(head_h + para.height, draw_same)
    label_w = 66.0
    value_w = (CONTENT_W - label_w) / len(items)
    row_h, size = rows_fit(len(rows) + 2, level, 70.0)
    # A column head has two lines: a long name shows its start and end, so that names sharing
    # a long start stay apart (the table of scenarios above gives each whole).
    heads = fmt.short_names(names, int(value_w * HEAD_CHARS_PER_MM))
    grid = Grid([(label_w, "L")] + [(value_w, "R")] * len(items), ["", *heads], [[label, *v] for label, v in rows],
                row_h, size)  # fmt: skip

    def draw(y: float) -> None:
        section_title(pdf, MARGIN, y, CONTENT_W, title, s)
        grid.draw(pdf, MARGIN, y + head_h)

    return Block(head_h + grid.height, draw)


def comparison_brief_pdf(items: Sequence[BriefItem], lang: str, link: str, today: dt.date) -> bytes:
    """One A4 page comparing 2-4 scenarios: the record; per scenario its name, the data it uses,
    the verdict in its tone's colour, the target-year total, the gap and the probability;
    their paths overlaid with the target; the parameters that differ; and the link.

    More than four are cut to the first four (a page holds four). File name:
    names.comparison_stem(plan, today, lang) + ".pdf".
    """
    from ui.charts import compare_chart
    from ui.comparison import targets

    items = list(items)[:MAX_COMPARED]
    if not items:
        raise ValueError("a comparison needs at least one scenario")
    first = items[0]
    province = first.plan.province(lang)
    title = t("export.compare.title", lang, province=province)
    pdf = new_pdf(title, province, lang, today)
    names = _unique_names(items, lang)
    record_text = _comparison_record(items, lang, today)
    paths = {name: item.projection.totals for name, item in zip(names, items, strict=True)}
    chart = _chart_slot(pdf, compare_chart(paths, targets(items, lang), lang), t("chart.compare_title", lang))
    plans = list({id(i.plan): i.plan for i in items}.values())

    def blocks(level: int) -> list[Item]:
        s = SCALES[level]
        parts = [
            _title_block(pdf, title, [first.plan.scheme(lang)], today, lang, s),
            _record_block(pdf, record_text, s),
            _comparison_table_block(pdf, items, names, today, lang, level, s),
            chart,
            _params_block(pdf, items, names, lang, level, s),
            _sources_block(pdf, plans, lang, s),
            _link_block(pdf, link, t("export.compare.link", lang), s),
        ]
        return [p for p in parts if p is not None]

    place(blocks)
    return bytes(pdf.output())
