"""An A4 page made of blocks: text wrapped and measured before it is drawn, one-line cells
that shrink and cut their text to fit, tables, and the layout that stacks the blocks and
gives the chart the height they leave (see `place`).

fpdf2 with auto page break off: nothing here starts a second page, and `place` keeps every
block above the bottom margin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ui.exports import FONT_BOLD, FONT_REGULAR
from ui.format import VIETNAM

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
CONTENT_W = PAGE_W - 2 * MARGIN
TOP, BOTTOM = MARGIN, PAGE_H - MARGIN
FONT = "DejaVu"
LINE = 0.42  # line height in mm per point of type
GAP = 2.5  # mm between blocks
MIN_CHART_H = 75.0  # mm: below this the blocks are made denser
SMALLEST_CHART_H = 25.0  # mm: below this there is no chart rather than an unreadable one
SCALES = (1.0, 0.92, 0.84, 0.76)  # type size at each density level
CHARS_PER_LINE = 600  # more than a content-wide line holds at the smallest type

BLACK, GREY, RULE = (0, 0, 0), (90, 90, 90), (200, 200, 200)
HEAD_BG = (236, 241, 247)


# --- text: wrapped, measured, drawn ------------------------------------------------------


@dataclass
class Para:
    """Lines of text already wrapped to a width: its height is known before it is drawn."""

    lines: list[str]
    size: float
    style: str = ""
    colour: tuple[int, int, int] = BLACK
    align: str = "L"

    @property
    def line_h(self) -> float:
        return self.size * LINE

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_h

    def draw(self, pdf: Any, x: float, y: float, width: float, link: str | None = None) -> None:
        font(pdf, self.size, self.style, self.colour)
        for line in self.lines:
            pdf.set_xy(x, y)
            pdf.cell(width, self.line_h, line, align=self.align, link=link or "")
            y += self.line_h


def font(pdf: Any, size: float, style: str = "", colour: tuple[int, int, int] = BLACK) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)


def paragraph(
    pdf: Any, text: str, width: float, size: float, style: str = "", colour: tuple[int, int, int] = BLACK,
    max_lines: int = 1_000, chars: bool = False, align: str = "L",
) -> Para:  # fmt: skip
    """`text` wrapped to `width` (at words, or anywhere for a link), cut to `max_lines` with "…"."""
    from fpdf.enums import WrapMode

    font(pdf, size, style)
    wrap = WrapMode.CHAR if chars else WrapMode.WORD
    cut = text[: max_lines * CHARS_PER_LINE]  # bounded work: what could not be shown is not wrapped
    lines = [str(line) for line in pdf.multi_cell(width, size * LINE, cut, dry_run=True, output="LINES",
                                                   wrapmode=wrap)] or [""]  # fmt: skip
    if len(lines) > max_lines or len(cut) < len(text):
        lines = lines[:max_lines]
        lines[-1] = ellipsis(pdf, lines[-1], width - 2 * pdf.c_margin)
    return Para(lines, size, style, colour, align)


def ellipsis(pdf: Any, text: str, width: float) -> str:
    """`text` cut so that it and "…" fit `width` (in the current font)."""
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit_line(pdf: Any, text: str, width: float, size: float, min_size: float, style: str = "") -> tuple[str, float]:
    """One line: shrink the type (down to min_size), then cut with "…", so `text` fits `width`."""
    width -= 2 * pdf.c_margin
    pdf.set_font(FONT, style, size)
    while size > min_size and pdf.get_string_width(text) > width:
        size = max(min_size, size - 0.25)
        pdf.set_font(FONT, style, size)
    if pdf.get_string_width(text) > width:
        text = ellipsis(pdf, text, width)
    return text, size


def cell(pdf: Any, x: float, y: float, w: float, h: float, text: str, size: float, style: str = "",
         colour: tuple[int, int, int] = BLACK, align: str = "L", min_size: float = 4.5) -> None:  # fmt: skip
    """One line of text in a w x h cell, shrunk and then cut to fit."""
    text, size = fit_line(pdf, text, w, size, min_size, style)
    font(pdf, size, style, colour)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align=align)


# --- blocks and their layout ---------------------------------------------------------------


@dataclass
class Block:
    """A part of the page: its height, how to draw it with its top at y, and (for a block that
    can give up lines) a smaller version no taller than a given height, or None."""

    height: float
    draw: Callable[[float], None]
    shrink: Callable[[float], Block | None] | None = None
    gap: float = GAP


@dataclass
class ChartSlot:
    """The chart: made for the height the other blocks leave."""

    make: Callable[[float], Block]
    gap: float = GAP


Item = Block | ChartSlot


def room_left(items: Sequence[Item]) -> float:
    """The height left for the chart once every block and gap is placed."""
    used = sum((i.height if isinstance(i, Block) else 0.0) + i.gap for i in items) - items[-1].gap
    return BOTTOM - TOP - used


def place(blocks_at: Callable[[int], list[Item]]) -> None:
    """Stack the blocks from the top margin; the chart gets the height left. Denser levels,
    then cut blocks, until the chart has its minimum height or nothing more can give way.
    (At the densest level, with every plan limit at its maximum, the blocks leave room.)"""
    for level in range(len(SCALES)):
        items = blocks_at(level)
        if room_left(items) >= MIN_CHART_H:
            break
    for i in reversed(range(len(items))):  # the last blocks (sources, link) give way first
        item, short = items[i], MIN_CHART_H - room_left(items)
        if short <= 0:
            break
        if isinstance(item, Block) and item.shrink is not None:
            # The tallest version within the height asked for, else the smallest there is.
            items[i] = item.shrink(max(0.0, item.height - short)) or item
    room = room_left(items)
    y = TOP
    for item in items:
        if isinstance(item, ChartSlot):
            if room < SMALLEST_CHART_H:
                y -= item.gap  # no chart: no gap either
                room = 0.0
                continue
            block = item.make(room)
        else:
            block = item
        block.draw(y)
        y += block.height + block.gap


def new_pdf(title: str, author: str, lang: str, today: dt.date) -> Any:
    """An A4 document with the DejaVu fonts embedded, its metadata, and its one page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONT_REGULAR))
    pdf.add_font(FONT, "B", str(FONT_BOLD))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang("en" if lang == "en" else "vi")
    pdf.set_creation_date(dt.datetime.combine(today, dt.time(), tzinfo=VIETNAM))  # the day, in Vietnam
    pdf.add_page()
    return pdf


def section_title(pdf: Any, x: float, y: float, w: float, text: str, s: float) -> float:
    """A bold heading over a rule; returns its height."""
    cell(pdf, x, y, w, 4.5 * s, text, 8.5 * s, "B")
    pdf.set_draw_color(*RULE)
    pdf.line(x, y + 4.7 * s, x + w, y + 4.7 * s)
    return 5.5 * s


@dataclass
class Grid:
    """A table: a header of up to two wrapped lines, body rows, an optional bold total row.
    cols: (width, align); cell text is shrunk, then cut, to fit its width."""

    cols: list[tuple[float, str]]
    header: list[str]
    rows: list[list[str]]
    row_h: float
    size: float
    total: list[str] | None = None

    @property
    def height(self) -> float:
        return (2 + len(self.rows) + (1 if self.total else 0)) * self.row_h

    def draw(self, pdf: Any, x: float, y: float) -> None:
        width = sum(w for w, _ in self.cols)
        pdf.set_fill_color(*HEAD_BG)
        pdf.rect(x, y, width, 2 * self.row_h, style="F")
        head = max(4.5, self.size - 0.6)
        cx = x
        for (w, align), label in zip(self.cols, self.header, strict=True):
            para = paragraph(pdf, label, w, head, "B", max_lines=2, align=align)
            para.draw(pdf, cx, y + max(0.0, (2 * self.row_h - para.height) / 2), w)
            cx += w
        y += 2 * self.row_h
        body = self.rows + ([self.total] if self.total else [])
        for r, row in enumerate(body):
            is_total = r == len(self.rows)
            if is_total:
                pdf.set_draw_color(*RULE)
                pdf.line(x, y, x + width, y)
            cx = x
            for (w, align), value in zip(self.cols, row, strict=True):
                cell(pdf, cx, y, w, self.row_h, value, self.size, "B" if is_total else "", align=align)
                cx += w
            y += self.row_h


def rows_fit(n_lines: int, level: int, budget: float) -> tuple[float, float]:
    """Row height (mm) and type size (pt) for a table of n_lines within `budget` mm."""
    row_h = min((4.0, 3.7, 3.4, 3.1)[level], budget / max(1, n_lines))
    return row_h, max(4.5, min(7.5, row_h * 1.75))
