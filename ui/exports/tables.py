"""The projection as tables: a CSV file in the reader's convention and a workbook that prints.

CSV: UTF-8 with a BOM (so Excel reads the Vietnamese); in Vietnamese ';' between cells and
',' as decimal mark (what Excel reads in the vi-VN locale, like the upload template), in
English ',' and '.'; no thousands separators, numbers rounded to 0.01.

Workbook (openpyxl): the projection, the scenario (its name, date, data, every parameter,
the record and the verdict), the backtest, the figures with their sources, the actuals and
the list of sources, one table per sheet. Cells stay numbers with number formats. Every
sheet prints landscape on A4, one page wide, with its header row repeated on every page.

Spreadsheet safety: every text cell that starts with =, +, -, @, a tab or a carriage return
gets a leading apostrophe (model.upload.neutralise_cell), so a name such as
=HYPERLINK(...) is shown as text and never runs as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

import model
from model import Plan, Projection, RiskResult, Scenario
from model.record import record
from model.upload import format_number, neutralise_cell
from ui import format as fmt
from ui.exports.names import date_text
from ui.text import status_label, t

NUMBER_FORMAT = "#,##0.0"
PCT_FORMAT = "+0.0;-0.0;0.0"
HEADER_FILL = "DCE6F1"
LINK_COLOUR = "0563C1"
LINE_PT, MAX_ROW_PT = 13.0, 409.0  # a line of the default font (Calibri 11); the tallest row a sheet holds
CHARS_PER_WIDTH = 1.1  # characters of running text per unit of column width (measured in LibreOffice)


# --- the projection table ---------------------------------------------------------------


def _unit(lang: str) -> str:
    return fmt.unit_text("musd", lang)


def _sector_headers(plan: Plan, lang: str) -> dict[str, str]:
    """Sector id -> column header; made unique if two sectors share a name."""
    headers: dict[str, str] = {}
    used: set[str] = set()
    for s in plan.sectors:
        header = t("export.col.sector_musd", lang, name=s.name(lang))
        if header in used:
            header = t("export.col.sector_musd", lang, name=f"{s.name(lang)} [{s.id}]")
        used.add(header)
        headers[s.id] = header
    return headers


def projection_frame(plan: Plan, sc: Scenario, proj: Projection, lang: str) -> pd.DataFrame:
    """One row per year: the year, each sector, the total, the target, the required path,
    and the actual total with its status where one is known. Headers in `lang`, with units."""
    headers = _sector_headers(plan, lang)
    years = [int(y) for y in proj.totals.index]
    actuals = plan.actual_totals()
    data: dict[str, list] = {t("word.year", lang): years}
    for sid, header in headers.items():
        data[header] = [float(proj.by_sector.loc[y, sid]) for y in years]
    data[t("export.col.total", lang)] = [float(proj.totals[y]) for y in years]
    data[t("export.col.target", lang, year=proj.target_year)] = [float(proj.target)] * len(years)
    rate = fmt.growth_and_required(proj, lang)[1]
    data[t("export.col.required", lang, rate=rate)] = [float(proj.required_path.get(y, math.nan)) for y in years]
    data[t("data.col.actual", lang)] = [float(actuals[y].value_musd) if y in actuals else math.nan for y in years]
    data[t("export.col.actual_status", lang)] = [
        status_label(actuals[y].prov.status, lang) if y in actuals else "" for y in years
    ]
    return pd.DataFrame(data)


def projection_csv(plan: Plan, sc: Scenario, proj: Projection, lang: str) -> bytes:
    """The projection table as CSV in the reader's convention (see the module's docstring)."""
    frame = projection_frame(plan, sc, proj, lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "vi" else ",", lineterminator="\r\n")
    writer.writerow([neutralise_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v, lang) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Any, lang: str) -> str:
    if isinstance(value, str):
        return neutralise_cell(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else format_number(round(value, 2) + 0.0, lang)  # + 0.0: no "-0"
    return str(value)


# --- the workbook ---------------------------------------------------------------------------


def _crossed(proj: Projection, sc: Scenario, lang: str) -> str:
    return str(proj.year_reached) if proj.year_reached else t("kpi.not_crossed", lang, h=sc.h)


def _scenario_rows(
    plan: Plan, sc: Scenario, proj: Projection, risk: RiskResult | None, lang: str, link: str,
    name: str | None, data_name: str, today: dt.date,
) -> list[tuple[str, Any, str]]:  # fmt: skip
    """(label, value, unit) for the scenario's name, date and data, every parameter, the record
    and the outcome: what the brief says, as a table."""
    u_pct, u_year, u_musd = fmt.unit_text("pct", lang), fmt.unit_text("pct_year", lang), _unit(lang)
    rec = record(plan, proj, today)
    probability = risk.probability if risk is not None else None
    rows: list[tuple[str, Any, str]] = [
        (t("cmp.name", lang), name or t("export.current", lang), ""),
        (t("export.p.date", lang), today, ""),
        (t("export.p.data", lang), data_name, t("export.p.fingerprint", lang, code=plan.fingerprint)),
        (t("export.p.province", lang), plan.province(lang), ""),
        (t("export.p.scheme", lang), plan.scheme(lang), ""),
        (t("export.p.plan", lang), f"{plan.id} {plan.version}".strip(), ""),
    ]
    used = {"n": risk.n, "seed": risk.seed} if risk is not None else {}  # the simulation may use fewer paths
    for key, value in (sc.values() | used).items():
        param = fmt.param(key)
        typed = int(value) if param.kind is int else float(value)
        rows.append((fmt.param_label(key, lang, plan, with_unit=False), typed, fmt.unit(param, lang)))
    if sentence := fmt.record_sentence(rec, lang, plan.events):
        rows.append((t("export.p.record", lang), sentence, ""))
    rows += [
        (t("word.verdict", lang), fmt.verdict(proj, lang, probability, rec), ""),
        (t("export.kpi.total", lang, year=sc.ty), float(proj.target_year_total), u_musd),
        (t("export.kpi.gap", lang), float(proj.gap_musd), u_musd),
        (t("export.p.gap_pct", lang), float(proj.gap_pct), u_pct),
        (t("export.p.implied", lang, base=sc.base, year=sc.ty), float(proj.implied_cagr_pct), u_year),
        (t("export.p.required", lang, base=sc.base, year=sc.ty), float(proj.required_cagr_pct), u_year),
        (t("kpi.crossed", lang), _crossed(proj, sc, lang), ""),
    ]  # fmt: skip
    if probability is not None:
        rows.append((t("export.kpi.probability", lang), float(probability * 100.0), u_pct))
    rows.append((t("export.p.link", lang), link, ""))
    return rows


def backtest_summary(bt: model.Backtest, lang: str) -> str:
    """The backtest's sentence, as the app says it, or that there is no record to check yet."""
    return fmt.backtest_sentence(bt, lang) or t("backtest.none", lang, base=bt.base_year)


def backtest_rows(plan: Plan, bt: model.Backtest, lang: str) -> list[dict[str, Any]]:
    """The backtest table with its words: per recorded year the projection, the record with its
    status, bound and source, the error (million USD and %) and whether it lies in P10-P90."""
    totals = plan.actual_totals()
    rows = []
    for r in bt.table.itertuples(index=False):
        bound = totals[int(r.year)].bound
        rows.append({
            "year": int(r.year), "projection": float(r.scenario_musd), "record": float(r.actual_musd),
            "status": status_label(str(r.status), lang), "bound": t(f"bound.{bound}", lang) if bound else "",
            "source": str(r.source), "error_musd": float(r.deviation_musd), "error_pct": float(r.deviation_pct),
            "p10": float(r.p10_musd), "p90": float(r.p90_musd), "inside": t("yes" if r.inside else "no", lang),
        })  # fmt: skip
    return rows


BACKTEST_HEADERS = {
    "year": "word.year", "projection": "backtest.col.projection", "record": "data.col.actual",
    "status": "word.status", "bound": "backtest.col.bound", "source": "word.source",
    "error_musd": "backtest.col.error_musd", "error_pct": "backtest.col.error_pct",
    "p10": "backtest.col.p10", "p90": "backtest.col.p90", "inside": "backtest.col.inside",
}  # fmt: skip


def _figure_rows(plan: Plan, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Every input figure of the plan with its unit, status, source and note."""
    base_unit, year_unit, pp_unit = _unit(lang), fmt.unit_text("pct_year", lang), fmt.unit_text("pp", lang)
    header = [
        t("word.sector", lang), t("export.src.col.figure", lang), t("word.value", lang),
        t("export.src.col.unit", lang), t("word.status", lang), t("export.src.col.source", lang),
        t("data.col.note", lang),
    ]  # fmt: skip
    rows: list[list[Any]] = []
    for s in plan.sectors:
        for label, value, unit, prov in (
            (t("export.fig.base", lang, year=plan.base_year), s.base_musd, base_unit, s.base_prov),
            (t("export.fig.growth", lang), s.growth_pct, year_unit, s.growth_prov),
            (t("export.fig.volatility", lang), s.volatility_pp, pp_unit, s.volatility_prov),
        ):
            rows.append([s.name(lang), label, float(value), unit, status_label(prov.status, lang), prov.source,
                         prov.note])  # fmt: skip
    targets = [(t("export.fig.target", lang, year=plan.target.year), plan.target.value_musd, base_unit, plan.target.prov,
                plan.target.note(lang)),
               (t("export.fig.required", lang), plan.required_growth_pct, year_unit, plan.required_growth_prov,
                plan.required_growth_note(lang))]  # fmt: skip
    if plan.target_2030 is not None:
        t30 = plan.target_2030
        targets.append((t("export.fig.target", lang, year=t30.year), t30.value_musd, base_unit, t30.prov,
                        t30.note(lang)))  # fmt: skip
    total_label = t("export.src.total", lang)
    for label, value, unit, prov, note in targets:
        rows.append([total_label, label, float(value), unit, status_label(prov.status, lang), prov.source, note])
    return header, rows


def _actual_rows(plan: Plan, lang: str) -> tuple[list[str], list[list[Any]]]:
    names = {s.id: s.name(lang) for s in plan.sectors}
    header = [
        t("word.year", lang), t("word.sector", lang), t("word.value", lang),
        t("export.src.col.unit", lang), t("word.status", lang), t("export.src.col.source", lang),
        t("data.col.note", lang),
    ]  # fmt: skip
    total_label = t("export.src.total", lang)
    rows = [
        [int(a.year), names.get(a.sector, total_label), float(a.value_musd), _unit(lang),
         status_label(a.prov.status, lang), a.prov.source, a.prov.note]
        for a in plan.actuals
    ]  # fmt: skip
    return header, rows


def _source_rows(plan: Plan, lang: str) -> tuple[list[str], list[list[Any]]]:
    header = [t("word.id", lang), t("word.source", lang), t("export.src.col.url", lang)]
    return header, [[s.id, s.title, s.url] for s in plan.sources]


def projection_xlsx(
    plan: Plan,
    sc: Scenario,
    proj: Projection,
    risk: RiskResult | None,
    lang: str,
    link: str,
    *,
    data_name: str,
    today: dt.date,
    name: str | None = None,
) -> bytes:
    """The workbook (see the module's docstring). `name` is the scenario's name (None: the
    current scenario), `data_name` the data it uses in words, `today` the date in Vietnam."""
    from openpyxl import Workbook

    wb = Workbook()
    book = _Book(wb, lang)
    wb.remove(wb.active)
    _projection_sheet(book, plan, sc, proj)
    _scenario_sheet(book, _scenario_rows(plan, sc, proj, risk, lang, link, name, data_name, today), link)
    _backtest_sheet(book, plan, model.backtest(plan, sc, proj, risk))
    for title, (header, rows) in (
        (t("export.src.figures", lang), _figure_rows(plan, lang)),
        (t("export.src.actuals", lang), _actual_rows(plan, lang)),
        (t("export.src.list", lang), _source_rows(plan, lang)),
    ):
        _provenance_sheet(book, title, header, rows)
    title = t("export.brief.title", lang, province=plan.province(lang), name=name or t("export.current", lang))
    for sheet in wb.worksheets:
        book.print_setup(sheet, title, date_text(today, lang))
        sheet.sheet_view.zoomScale = 110
    wb.properties.title = _xlsx_text(title)
    wb.properties.creator = "export-planner"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _projection_sheet(book: _Book, plan: Plan, sc: Scenario, proj: Projection) -> None:
    ws = book.wb.create_sheet(t("export.sheet.projection", book.lang))
    frame = projection_frame(plan, sc, proj, book.lang)
    numeric = [pd.api.types.is_float_dtype(frame[c]) for c in frame.columns]
    formats = ["0"] + [NUMBER_FORMAT if n else "@" for n in numeric[1:]]
    widths = [7.0] + [11.0 if n else 14.0 for n in numeric[1:]]
    book.table(ws, list(frame.columns), [list(r) for r in frame.itertuples(index=False)], formats, widths)
    ws.row_dimensions[1].height = 60
    ws.freeze_panes = "B2"


def _scenario_sheet(book: _Book, rows: list[tuple[str, Any, str]], link: str) -> None:
    lang = book.lang
    ws = book.wb.create_sheet(t("word.scenario", lang))
    header = [t("export.col.parameter", lang), t("word.value", lang), t("export.col.unit", lang)]
    book.table(ws, header, [list(r) for r in rows], [None, None, "@"], [44, 70, 22])
    for r, (_, value, unit) in enumerate(rows, start=2):
        cell = ws.cell(row=r, column=2)
        if isinstance(value, dt.date):
            cell.number_format = "d mmm yyyy" if lang == "en" else "dd/mm/yyyy"
            cell.alignment = book.left
        elif isinstance(value, float):
            cell.number_format = NUMBER_FORMAT if unit == _unit(lang) else "0.0#"
        elif isinstance(value, int):
            cell.number_format = "0"
        if isinstance(value, str) and value == link and value.startswith(("https://", "http://")):
            book.hyperlink(cell, value)


def _backtest_sheet(book: _Book, plan: Plan, bt: model.Backtest) -> None:
    """The backtest table and its sentence; only the sentence when there is no record yet."""
    lang = book.lang
    ws = book.wb.create_sheet(t("export.sheet.backtest", lang))
    keys = list(BACKTEST_HEADERS)
    body = [[row[k] for k in keys] for row in backtest_rows(plan, bt, lang)]
    if not body:
        ws.append([_xlsx_text(backtest_summary(bt, lang))])
        ws.column_dimensions["A"].width = 100
        return
    formats = ["0", NUMBER_FORMAT, NUMBER_FORMAT, "@", "@", "@", "+#,##0.0;-#,##0.0;0.0", PCT_FORMAT,
               NUMBER_FORMAT, NUMBER_FORMAT, "@"]  # fmt: skip
    widths = [7.0, 13.0, 13.0, 12.0, 12.0, 10.0, 13.0, 11.0, 12.0, 12.0, 12.0]
    book.table(ws, [t(BACKTEST_HEADERS[k], lang, base=bt.base_year) if k == "projection" else t(BACKTEST_HEADERS[k], lang)
                    for k in keys], body, formats, widths)  # fmt: skip
    ws.row_dimensions[1].height = 45
    book.note_below(ws, backtest_summary(bt, lang), len(keys))


def _provenance_sheet(book: _Book, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Figures, actuals or sources: text wrapped, values and years as numbers, addresses as links."""
    ws = book.wb.create_sheet(title)
    numbers = {t("word.value", book.lang): "#,##0.0#", t("word.year", book.lang): "0"}
    widths = {3: [10.0, 60.0, 60.0], 7: [26.0, 26.0, 12.0, 14.0, 14.0, 12.0, 70.0]}[len(header)]
    book.table(ws, header, rows, [numbers.get(h) for h in header], widths)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value:
                book.hyperlink(cell, value)


class _Book:
    """The workbook's shared look: header rows, wrapped text, links, print settings."""

    def __init__(self, wb: Any, lang: str) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb, self.lang = wb, lang
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.left = Alignment(horizontal="left", vertical="top")
        self.top = Alignment(vertical="top")
        self.head = Alignment(wrap_text=True, vertical="center")
        self.link_font = Font(color=LINK_COLOUR, underline="single")

    def table(
        self, ws: Any, header: list[str], rows: list[list[Any]], formats: Sequence[str | None], widths: Sequence[float]
    ) -> None:
        """A bold header row and the rows below it; numbers formatted, text wrapped."""
        from openpyxl.utils import get_column_letter

        ws.append([_xlsx_text(str(h)) for h in header])
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = self.bold, self.fill, self.head
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
            for cell, number_format in zip(ws[ws.max_row], formats, strict=False):
                cell.alignment = self.wrap if isinstance(cell.value, str) else self.top
                if number_format and not isinstance(cell.value, str):
                    cell.number_format = number_format
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for r in range(2, ws.max_row + 1):
            lines = max(_lines(cell.value, widths[c]) for c, cell in enumerate(ws[r][: len(widths)]))
            if lines > 1:
                ws.row_dimensions[r].height = min(MAX_ROW_PT, lines * LINE_PT)
        if ws.freeze_panes is None:
            ws.freeze_panes = "A2"

    def note_below(self, ws: Any, text: str, columns: int) -> None:
        """A sentence under the table, across its columns, wrapped."""
        from openpyxl.utils import get_column_letter

        row = ws.max_row + 2
        ws.cell(row=row, column=1, value=_xlsx_text(text)).alignment = self.wrap
        ws.cell(row=row, column=1).font = self.bold
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, columns + 1))
        ws.row_dimensions[row].height = min(MAX_ROW_PT, _lines(text, width) * LINE_PT)

    def hyperlink(self, cell: Any, url: str) -> None:
        cell.hyperlink = url
        cell.font = self.link_font

    def print_setup(self, ws: Any, title: str, date_text: str) -> None:
        """A4 landscape, one page wide (as many pages tall as needed), the header row on every
        page, margins a printer can hold, and the title, date and page number in the margins."""
        from openpyxl.worksheet.page import PageMargins

        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # 0: as many pages as the rows need
        ws.print_title_rows = "1:1"
        ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
        ws.print_options.gridLines = True
        # Header and footer text uses & as its escape character: a name's own & is doubled.
        ws.oddHeader.left.text = _header_text(title)
        ws.oddHeader.right.text = _header_text(date_text)
        ws.oddFooter.left.text = _header_text(ws.title)
        ws.oddFooter.right.text = t("export.print.page", self.lang)


def _lines(value: Any, width: float) -> int:
    """How many lines a wrapped text cell takes at a column width (in characters of the
    default font): spreadsheets do not size rows to wrapped text they did not write."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(1.0, width * CHARS_PER_WIDTH)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def _header_text(text: str) -> str:
    return text[:100].replace("&", "&&")  # a header holds 255 characters at most


def _xlsx_text(value: Any) -> Any:
    """Neutralised, and without the control characters an .xlsx file cannot hold."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return _xlsx_text(value)
