"""Exports: the projection as CSV and Excel, the scenario as JSON, charts as PNG/SVG and a
one-page PDF brief (issue 4, "Export" and "Brief").

Pure functions returning bytes: no Streamlit here. Everything is made offline: charts
with vl-convert (its bundled Vega), the workbook with openpyxl, the brief with fpdf2 and
the DejaVu fonts shipped in ui/fonts/ (embedded, so Vietnamese diacritics render).

Spreadsheet safety: every text cell that starts with =, +, -, @, a tab or a carriage
return gets a leading apostrophe, so a name such as =HYPERLINK(...) is shown as text
and never runs as a formula (CSV and Excel alike).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from model import Plan, Projection, RiskResult, Scenario
from model.params import GROUPS, PARAMS
from model.plan import Source
from model.upload import neutralise_cell
from ui import format as fmt
from ui.text import status_label, t

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
CHART_FONT = "DejaVu Sans"  # the family name of the shipped font, used in exported charts
CHART_WIDTH = 900  # px: exported charts replace width="container" with this

JSON_SCHEMA = "export-planner-scenario"
JSON_VERSION = 1
JSON_MAX_BYTES = 100_000

NUMBER_FORMAT = "#,##0.0"


# --- spreadsheet safety ----------------------------------------------------------------


def _xlsx_text(value: Any) -> Any:
    """Neutralised, and without the control characters an .xlsx file cannot hold."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


# --- the projection table ----------------------------------------------------------------


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
    rate = fmt.pct(proj.required_cagr_pct, lang)
    data[t("export.col.required", lang, rate=rate)] = [float(proj.required_path[y]) for y in years]
    data[t("data.col.actual", lang)] = [float(actuals[y].value_musd) if y in actuals else math.nan for y in years]
    data[t("export.col.actual_status", lang)] = [
        status_label(actuals[y].prov.status, lang) if y in actuals else "" for y in years
    ]
    return pd.DataFrame(data)


def _neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in frame.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = [neutralise_cell(v) for v in out[col]]
    return out


def projection_csv(plan: Plan, sc: Scenario, proj: Projection, lang: str) -> bytes:
    """The projection table as CSV: UTF-8 with a BOM (so Excel reads the Vietnamese),
    comma-separated, plain machine numbers with '.' decimals rounded to 0.01."""
    frame = _neutralised_frame(projection_frame(plan, sc, proj, lang))
    numeric = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    frame[numeric] = frame[numeric].round(2)
    text = frame.to_csv(index=False, lineterminator="\r\n", float_format=_plain_float)
    return ("\ufeff" + text).encode("utf-8")


def _plain_float(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- the workbook ---------------------------------------------------------------------------


def _crossed(proj: Projection, sc: Scenario, lang: str) -> str:
    return str(proj.year_reached) if proj.year_reached else t("kpi.not_crossed", lang, h=sc.h)


def _scenario_rows(
    plan: Plan, sc: Scenario, proj: Projection, risk: RiskResult | None, lang: str, link: str
) -> list[tuple[str, Any, str]]:
    """(label, value, unit) for every parameter and outcome of the scenario."""
    u_pct, u_year, u_musd = fmt.unit_text("pct", lang), fmt.unit_text("pct_year", lang), _unit(lang)
    rows: list[tuple[str, Any, str]] = [
        (t("export.p.province", lang), plan.province(lang), ""),
        (t("export.p.scheme", lang), plan.scheme(lang), ""),
        (t("export.p.plan", lang), f"{plan.id} {plan.version}".strip(), t("export.p.fingerprint", lang, code=plan.fingerprint)),
    ]  # fmt: skip
    used = {"n": risk.n, "seed": risk.seed} if risk is not None else {}  # the simulation may use fewer paths
    for key, value in (sc.values() | used).items():
        param = fmt.param(key)
        typed = int(value) if param.kind is int else float(value)
        rows.append((fmt.param_label(key, lang, plan, with_unit=False), typed, fmt.unit(param, lang)))
    rows += [
        (t("word.verdict", lang), fmt.verdict(proj, lang), ""),
        (t("export.kpi.total", lang, year=sc.ty), float(proj.target_year_total), u_musd),
        (t("export.kpi.gap", lang), float(proj.gap_musd), u_musd),
        (t("export.p.gap_pct", lang), float(proj.gap_pct), u_pct),
        (t("export.p.implied", lang, base=sc.base, year=sc.ty), float(proj.implied_cagr_pct), u_year),
        (t("export.p.required", lang, base=sc.base, year=sc.ty), float(proj.required_cagr_pct), u_year),
        (t("kpi.crossed", lang), _crossed(proj, sc, lang), ""),
    ]  # fmt: skip
    if risk is not None:
        rows.append((t("export.kpi.probability", lang), float(risk.probability * 100.0), u_pct))
    rows.append((t("export.p.link", lang), link, ""))
    return rows


def _source_sections(plan: Plan, lang: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(section title, header, rows) for the Sources sheet: every figure's provenance."""
    base_unit, year_unit, pp_unit = _unit(lang), fmt.unit_text("pct_year", lang), fmt.unit_text("pp", lang)
    fig_header = [
        t("word.sector", lang), t("export.src.col.figure", lang), t("word.value", lang),
        t("export.src.col.unit", lang), t("word.status", lang), t("export.src.col.source", lang),
        t("data.col.note", lang),
    ]  # fmt: skip
    fig_rows: list[list[Any]] = []
    for s in plan.sectors:
        for label, value, unit, prov in (
            (t("export.fig.base", lang, year=plan.base_year), s.base_musd, base_unit, s.base_prov),
            (t("export.fig.growth", lang), s.growth_pct, year_unit, s.growth_prov),
            (t("export.fig.volatility", lang), s.volatility_pp, pp_unit, s.volatility_prov),
        ):
            fig_rows.append(
                [s.name(lang), label, float(value), unit, status_label(prov.status, lang), prov.source, prov.note]
            )
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
        fig_rows.append([total_label, label, float(value), unit, status_label(prov.status, lang), prov.source, note])

    names = {s.id: s.name(lang) for s in plan.sectors}
    act_header = [
        t("word.year", lang), t("word.sector", lang), t("word.value", lang),
        t("export.src.col.unit", lang), t("word.status", lang), t("export.src.col.source", lang),
        t("data.col.note", lang),
    ]  # fmt: skip
    act_rows = [
        [int(a.year), names.get(a.sector, total_label), float(a.value_musd), base_unit,
         status_label(a.prov.status, lang), a.prov.source, a.prov.note]
        for a in plan.actuals
    ]  # fmt: skip
    list_header = [t("word.id", lang), t("word.source", lang), t("export.src.col.url", lang)]
    list_rows = [[s.id, s.title, s.url] for s in plan.sources]
    return [
        (t("export.src.figures", lang), fig_header, fig_rows),
        (t("export.src.actuals", lang), act_header, act_rows),
        (t("export.src.list", lang), list_header, list_rows),
    ]


def projection_xlsx(plan: Plan, sc: Scenario, proj: Projection, risk: RiskResult | None, lang: str, link: str) -> bytes:
    """A formatted workbook: the projection, the scenario's parameters and outcome, and
    the provenance of every figure, each on its own sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    # Sheet 1: the projection
    ws = wb.active
    ws.title = t("export.sheet.projection", lang)
    frame = projection_frame(plan, sc, proj, lang)
    ws.append([_xlsx_text(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([_xlsx_cell(v) for v in row])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = bold, header_fill, Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "B2"
    numeric = {i for i, c in enumerate(frame.columns, start=1) if pd.api.types.is_float_dtype(frame[c])}
    for i in range(1, len(frame.columns) + 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = 8 if i == 1 else (16 if i in numeric else 20)
        for cell in ws[letter][1:]:
            cell.number_format = NUMBER_FORMAT if i in numeric else ("0" if i == 1 else "@")

    # Sheet 2: the scenario
    ws = wb.create_sheet(t("word.scenario", lang))
    ws.append([t("export.col.parameter", lang), t("word.value", lang), t("export.col.unit", lang)])
    for cell in ws[1]:
        cell.font, cell.fill = bold, header_fill
    link_label = t("export.p.link", lang)
    for label, value, unit in _scenario_rows(plan, sc, proj, risk, lang, link):
        ws.append([_xlsx_text(label), _xlsx_cell(value), _xlsx_text(unit)])
        cell = ws.cell(row=ws.max_row, column=2)
        if isinstance(value, float):
            cell.number_format = NUMBER_FORMAT if unit == _unit(lang) else "0.0#"
        elif isinstance(value, int):
            cell.number_format = "0"
        else:
            cell.alignment = wrap
        if label == link_label and isinstance(value, str) and value.startswith(("https://", "http://")):
            cell.hyperlink = value
            cell.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 22

    # Sheet 3: the sources
    ws = wb.create_sheet(t("export.sheet.sources", lang))
    for n, (title, header, rows) in enumerate(_source_sections(plan, lang)):
        if n:
            ws.append([])
        ws.append([_xlsx_text(title)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append([_xlsx_text(h) for h in header])
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = bold, header_fill
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.0#"
                elif isinstance(cell.value, str):
                    cell.alignment = wrap
                    if cell.value.startswith(("https://", "http://")) and " " not in cell.value:
                        cell.hyperlink = cell.value
    for letter, width in zip("ABCDEFG", (26, 26, 12, 14, 14, 12, 70), strict=True):
        ws.column_dimensions[letter].width = width

    for sheet in wb.worksheets:
        sheet.sheet_view.zoomScale = 110
    wb.properties.title = t("export.title", lang, province=plan.province(lang))
    wb.properties.creator = "export-planner"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return _xlsx_text(value)


# --- the scenario as JSON --------------------------------------------------------------------


def scenario_json(sc: Scenario) -> bytes:
    """The scenario's link parameters (every one, explicitly) as a small JSON file."""
    payload: dict[str, Any] = {"schema": JSON_SCHEMA}
    payload.update(sc.to_query())
    payload["v"] = JSON_VERSION
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def load_scenario_json(data: bytes, plan: Plan) -> tuple[Scenario | None, str | None]:
    """Read a file made by scenario_json. Never raises: returns (scenario, None) or
    (None, error code); codes: too_large, not_text, bad_json, not_object, wrong_schema,
    bad_version, bad_value (see ui/text.py "export.error.<code>").

    Values are read through Scenario.from_query, so out-of-range numbers are clamped and
    unknown keys ignored, and each repair is recorded in the scenario's `repairs`.
    """
    try:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            if isinstance(data, str):
                data = data.encode("utf-8", "replace")
            else:
                return None, "not_text"
        if len(data) > JSON_MAX_BYTES:
            return None, "too_large"
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, "not_text"
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):
            return None, "bad_json"
        if not isinstance(payload, dict):
            return None, "not_object"
        if payload.get("schema") != JSON_SCHEMA:
            return None, "wrong_schema"
        version = payload.get("v")
        if isinstance(version, bool) or str(version).strip() != str(JSON_VERSION):
            return None, "bad_version"
        params: dict[str, str] = {}
        for key, value in payload.items():
            if key == "schema":
                continue
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return None, "bad_value"
            if isinstance(value, float) and not math.isfinite(value):
                return None, "bad_value"
            params[str(key)] = value if isinstance(value, str) else str(value)
        return Scenario.from_query(params, plan), None
    except Exception:  # noqa: BLE001 - the promise is "never raises" on any input
        return None, "bad_json"


# --- charts ------------------------------------------------------------------------------------

_fonts_lock = threading.Lock()
_fonts_registered = False


def _ensure_fonts() -> None:
    """Register ui/fonts/ with vl-convert once per process (offline, no system fonts needed)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if not _fonts_registered:
            import vl_convert

            vl_convert.register_font_directory(str(FONT_DIR))
            _fonts_registered = True


def _fixed_size(spec: Any, width: int, height: int | None) -> Any:
    """Replace width/height "container" (anywhere in the spec) with fixed pixels."""
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            if key == "width" and value == "container":
                out[key] = width
            elif key == "height" and value == "container":
                out[key] = height or 420
            elif key in ("data", "datasets"):
                out[key] = value
            else:
                out[key] = _fixed_size(value, width, height)
        return out
    if isinstance(spec, list):
        return [_fixed_size(v, width, height) for v in spec]
    return spec


def chart_spec(chart: Any, width: int = CHART_WIDTH, height: int | None = None) -> dict:
    """The chart's Vega-Lite spec ready for offline export: a fixed size, the shipped
    DejaVu font for every text (so diacritics render in one typeface) and legend labels
    long enough for the sector names."""
    spec = _fixed_size(chart.to_dict() if hasattr(chart, "to_dict") else copy.deepcopy(chart), width, height)
    if height is not None and isinstance(spec.get("height"), (int, float)):
        spec["height"] = height
    config = dict(spec.get("config") or {})
    config["font"] = CHART_FONT
    legend = dict(config.get("legend") or {})
    legend.setdefault("labelLimit", 320)
    config["legend"] = legend
    spec["config"] = config
    spec.setdefault("background", "white")
    return spec


def chart_png(chart: Any, scale: float = 2, width: int = CHART_WIDTH, height: int | None = None) -> bytes:
    """The chart as a PNG image, rendered offline by vl-convert."""
    import vl_convert

    _ensure_fonts()
    return bytes(vl_convert.vegalite_to_png(chart_spec(chart, width, height), scale=scale))


def chart_svg(chart: Any, width: int = CHART_WIDTH, height: int | None = None) -> bytes:
    """The chart as SVG (text kept as text, font family DejaVu Sans), made offline."""
    import vl_convert

    _ensure_fonts()
    return vl_convert.vegalite_to_svg(chart_spec(chart, width, height)).encode("utf-8")


# --- the one-page brief -------------------------------------------------------------------------

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 11.0
CONTENT_W = PAGE_W - 2 * MARGIN
FONT = "DejaVu"
GREY = (90, 90, 90)
GREEN_BG, GREEN_FG = (226, 242, 228), (22, 101, 52)
RED_BG, RED_FG = (252, 228, 228), (153, 27, 27)
RULE = (200, 200, 200)
MIN_CHART_H = 55.0


def _date_text(today: dt.date, lang: str) -> str:
    if lang == "en":
        from babel.dates import format_date

        return format_date(today, format="d MMMM y", locale="en_GB")
    return today.strftime("%d/%m/%Y")


def _status_counts(plan: Plan) -> Counter:
    """How many of the plan's figures carry each status."""
    return Counter(p.status for p in plan.provenances())


def _referenced_sources(plan: Plan) -> list[Source]:
    """The plan's sources that some figure cites (all of them when none is cited by id)."""
    cited: set[str] = set()
    for p in plan.provenances():
        cited.update(part.strip() for part in p.source.replace(",", ";").split(";") if part.strip())
    listed = [src for src in plan.sources if src.id in cited]
    return listed or list(plan.sources)


def _fit(pdf: Any, text: str, width: float, size: float, min_size: float, style: str = "") -> tuple[str, float]:
    """Shrink the font (down to min_size) and then truncate so `text` fits `width`."""
    pdf.set_font(FONT, style, size)
    while size > min_size and pdf.get_string_width(text) > width:
        size -= 0.25
        pdf.set_font(FONT, style, size)
    if pdf.get_string_width(text) > width:
        while text and pdf.get_string_width(text + "…") > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text, size


def brief_pdf(
    plan: Plan,
    sc: Scenario,
    proj: Projection,
    risk: RiskResult | None,
    lang: str,
    link: str,
    today: dt.date,
) -> bytes:
    """A one-page A4 brief for leadership: verdict, key figures, the main chart, the
    sector table, the parameters, the data's sources and statuses, and the link."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode
    from fpdf.util import Padding

    from ui.charts import overview_chart

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONT_REGULAR))
    pdf.add_font(FONT, "B", str(FONT_BOLD))
    title = t("export.title", lang, province=plan.province(lang))
    pdf.set_title(title)
    pdf.set_author(plan.province(lang))
    pdf.set_lang("en" if lang == "en" else "vi")
    pdf.set_creation_date(dt.datetime.combine(today, dt.time(12, 0), tzinfo=dt.UTC))
    pdf.add_page()
    bottom = PAGE_H - MARGIN

    # Title and date
    pdf.set_xy(MARGIN, MARGIN)
    date_text = t("export.brief.date", lang, date=_date_text(today, lang))
    pdf.set_font(FONT, "", 9)
    date_w = pdf.get_string_width(date_text) + 1
    text, size = _fit(pdf, title, CONTENT_W - date_w - 4, 16, 11, "B")
    pdf.cell(CONTENT_W - date_w, 8, text, new_x="RIGHT", new_y="TOP")
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(date_w, 8, date_text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 7.5)
    pdf.multi_cell(CONTENT_W, 3.4, plan.scheme(lang), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5)

    # Verdict
    bg, fg = (GREEN_BG, GREEN_FG) if proj.reachable else (RED_BG, RED_FG)
    pdf.set_fill_color(*bg)
    pdf.set_text_color(*fg)
    pdf.set_font(FONT, "B", 11.5)
    pdf.multi_cell(CONTENT_W, 6, fmt.verdict(proj, lang), align="L", fill=True, padding=Padding(1.5, 2.5, 1.5, 2.5),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    # Key figures (box widths weighted by what they hold)
    kpis = [
        (t("export.kpi.total", lang, year=sc.ty), fmt.musd(proj.target_year_total, lang), 1.15),
        (t("export.kpi.gap", lang), f"{fmt.signed(proj.gap_musd, lang)} {_unit(lang)} ({fmt.signed(proj.gap_pct, lang)}%)", 1.45),
        (t("export.kpi.growth", lang), f"{fmt.pct(proj.implied_cagr_pct, lang)} / {fmt.pct(proj.required_cagr_pct, lang)}", 1.0),
        (t("kpi.crossed", lang), _crossed(proj, sc, lang), 0.8),
    ]  # fmt: skip
    if risk is not None:
        kpis.append((t("export.kpi.probability", lang), fmt.pct(risk.probability * 100.0, lang, 0), 0.9))
    gap_w, box_h = 2.0, 13.0
    unit_w = (CONTENT_W - gap_w * (len(kpis) - 1)) / sum(k[2] for k in kpis)
    y0, x = pdf.get_y(), MARGIN
    pdf.set_draw_color(*RULE)
    for label, value, weight in kpis:
        box_w = unit_w * weight
        pdf.rect(x, y0, box_w, box_h)
        pdf.set_text_color(*GREY)
        text, _ = _fit(pdf, label, box_w - 3, 7.5, 5.5)
        pdf.set_xy(x + 1.5, y0 + 1.2)
        pdf.cell(box_w - 3, 4, text)
        pdf.set_text_color(0, 0, 0)
        text, _ = _fit(pdf, value, box_w - 3, 11, 7.5, "B")
        pdf.set_xy(x + 1.5, y0 + 6)
        pdf.cell(box_w - 3, 6, text)
        x += box_w + gap_w
    y = y0 + box_h + 1
    if risk is not None:
        pdf.set_font(FONT, "", 6.5)
        pdf.set_text_color(*GREY)
        pdf.set_xy(MARGIN, y)
        pdf.cell(CONTENT_W, 3, t("export.brief.probability_note", lang, n=fmt.number(risk.n, lang, 0), seed=risk.seed),
                 align="R")  # fmt: skip
        pdf.set_text_color(0, 0, 0)
        y += 3
    chart_top = y + 1

    # The blocks below the chart are measured first; the chart takes the space left.
    param_rows = _brief_params(sc, risk, lang)
    n_lines = max(len(plan.sectors) + 1 + 2, len(param_rows))  # sectors + total + a two-line header
    row_h = min(4.4, 78.0 / n_lines)
    table_font = max(4.8, min(7.5, row_h * 1.75))
    tables_h = 5.5 + n_lines * row_h

    counts = _status_counts(plan)
    counts_text = " · ".join(
        f"{status_label(s, lang)}: {counts[s]}" for s in ("official", "estimate", "derived", "assumption") if counts[s]
    )
    counts_line = t("export.brief.status_counts", lang, counts=counts_text)
    sources = _referenced_sources(plan)
    source_size = 6.2
    sources_text = "  ".join(f"[{s.id}] {s.title}" for s in sources)

    def measure(size: float, text: str) -> float:
        pdf.set_font(FONT, "", size)
        height = pdf.multi_cell(CONTENT_W, size * 0.45, text, align="L", dry_run=True, output="HEIGHT",
                                wrapmode=WrapMode.CHAR if text == link else WrapMode.WORD)  # fmt: skip
        return float(height)  # type: ignore[arg-type]

    def lower_height() -> float:
        return 5.0 + measure(6.8, counts_line) + measure(source_size, sources_text) + 2.0 + 3.5 + measure(6.8, link)

    available = bottom - chart_top - 3 - tables_h - 3 - lower_height()
    while available < MIN_CHART_H and (source_size > 4.6 or len(sources) > 1):
        if source_size > 4.6:
            source_size -= 0.4
        else:
            sources = sources[:-1]
            sources_text = "  ".join(f"[{s.id}] {s.title}" for s in sources) + "  …"
        available = bottom - chart_top - 3 - tables_h - 3 - lower_height()

    # The main chart, re-rendered taller when there is room so it fills the page width.
    chart = overview_chart(proj, plan, sc, lang)
    px_width, px_height = 960, 330
    png = chart_png(chart, scale=2, width=px_width, height=px_height)
    natural_h = CONTENT_W * _png_size(png)[1] / _png_size(png)[0]
    if available - natural_h > 8:
        css_px_per_mm = _png_size(png)[0] / 2 / CONTENT_W
        px_height = min(520, int(px_height + (available - natural_h - 2) * css_px_per_mm))
        png = chart_png(chart, scale=2, width=px_width, height=px_height)
    w_px, h_px = _png_size(png)
    chart_h = min(CONTENT_W * h_px / w_px, max(20.0, available))
    chart_w = chart_h * w_px / h_px
    pdf.image(io.BytesIO(png), x=MARGIN + (CONTENT_W - chart_w) / 2, y=chart_top, w=chart_w, h=chart_h,
              alt_text=t("chart.main_title", lang, base=sc.base, h=sc.h))  # fmt: skip
    y = chart_top + chart_h + 3

    # Sector table (left) and parameters (right)
    left_w, right_w = 114.0, CONTENT_W - 114.0 - 6.0
    _section_title(pdf, MARGIN, y, left_w, t("export.brief.sectors", lang))
    _section_title(pdf, MARGIN + left_w + 6, y, right_w, t("export.brief.params", lang))
    y += 5.5
    cols = [
        (t("word.sector", lang), 45.0, "L"),
        (t("ov.col.base", lang, base=sc.base), 23.0, "R"),
        (t("sc.col.growth", lang), 21.0, "R"),
        (t("ov.col.value_y", lang, year=sc.ty), 25.0, "R"),
    ]
    growth = sc.growth_map
    body = [
        [s.name(lang), fmt.number(float(proj.by_sector.loc[sc.base, s.id]), lang),
         fmt.number(growth.get(s.id, s.growth_pct), lang), fmt.number(float(proj.by_sector.loc[sc.ty, s.id]), lang)]
        for s in plan.sectors
    ]  # fmt: skip
    total_row = [t("word.total", lang), fmt.number(float(proj.totals[sc.base]), lang),
                 fmt.pct(proj.implied_cagr_pct, lang), fmt.number(proj.target_year_total, lang)]  # fmt: skip
    _table(pdf, MARGIN, y, cols, body, total_row, row_h, table_font)
    _key_values(pdf, MARGIN + left_w + 6, y, right_w, param_rows, row_h, table_font)
    y += n_lines * row_h + 3

    # Sources and statuses
    _section_title(pdf, MARGIN, y, CONTENT_W, t("export.brief.sources", lang))
    pdf.set_xy(MARGIN, y + 5)
    pdf.set_font(FONT, "", 6.8)
    pdf.multi_cell(CONTENT_W, 6.8 * 0.45, counts_line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", source_size)
    pdf.multi_cell(CONTENT_W, source_size * 0.45, sources_text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    # The link
    pdf.set_font(FONT, "B", 6.8)
    pdf.cell(CONTENT_W, 3.5, t("export.brief.link", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 6.8)
    pdf.set_text_color(5, 99, 193)
    is_web = link.startswith(("https://", "http://"))
    pdf.multi_cell(CONTENT_W, 6.8 * 0.45, link, align="L", wrapmode=WrapMode.CHAR, link=link if is_web else None,
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header (IHDR)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _brief_params(sc: Scenario, risk: RiskResult | None, lang: str) -> list[tuple[str, str]]:
    """Every parameter but the sectors' growth (in the sector table), with its unit; the
    simulation's only when there is a simulation."""
    values = sc.values() | ({"n": risk.n, "seed": risk.seed} if risk is not None else {})
    return [
        (fmt.param_label(p.key, lang), fmt.param_value(p.key, values[p.key], lang))
        for p in PARAMS
        if risk is not None or p.key not in GROUPS["uncertainty"]
    ]


def _section_title(pdf: Any, x: float, y: float, w: float, text: str) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 8.5)
    pdf.cell(w, 4.5, text)
    pdf.set_draw_color(*RULE)
    pdf.line(x, y + 4.7, x + w, y + 4.7)


def _table(pdf: Any, x: float, y: float, cols: list, body: list, total: list, row_h: float, size: float) -> None:
    """A header of two wrapped lines, the body rows, and a bold total row."""
    pdf.set_fill_color(236, 241, 247)
    header_h = 2 * row_h
    pdf.rect(x, y, sum(c[1] for c in cols), header_h, style="F")
    cx = x
    head_size = max(4.5, size - 0.8)
    for label, w, align in cols:
        pdf.set_font(FONT, "B", head_size)
        lines = pdf.multi_cell(w - 1.5, head_size * 0.42, label, dry_run=True, output="LINES")
        line_h = head_size * 0.42
        pdf.set_xy(cx + 0.75, y + max(0.0, (header_h - line_h * min(len(lines), 2)) / 2))
        for line in lines[:2]:
            pdf.cell(w - 1.5, line_h, line, align=align, new_x="LEFT", new_y="NEXT")
        cx += w
    for r, row in enumerate(body + [total]):
        pdf.set_xy(x, y + header_h + r * row_h)
        is_total = r == len(body)
        for (_, w, align), value in zip(cols, row, strict=True):
            text, _ = _fit(pdf, value, w - 1.5, size, 4.5, "B" if is_total else "")
            pdf.cell(w, row_h, text, align=align, border="T" if is_total else 0)


def _key_values(pdf: Any, x: float, y: float, w: float, rows: list, row_h: float, size: float) -> None:
    value_w = 24.0
    for r, (label, value) in enumerate(rows):
        pdf.set_xy(x, y + r * row_h)
        pdf.set_text_color(*GREY)
        text, _ = _fit(pdf, label, w - value_w - 1, size, 4.8)
        pdf.cell(w - value_w, row_h, text)
        pdf.set_text_color(0, 0, 0)
        text, _ = _fit(pdf, value, value_w, size, 4.8, "B")
        pdf.cell(value_w, row_h, text, align="R")


__all__ = [
    "brief_pdf", "chart_png", "chart_spec", "chart_svg", "load_scenario_json", "neutralise_cell",
    "projection_csv", "projection_frame", "projection_xlsx", "scenario_json",
]  # fmt: skip
