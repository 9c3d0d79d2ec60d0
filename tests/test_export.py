"""Exports (ui/export.py, issue 4): CSV, Excel, JSON, chart images and the one-page brief."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pypdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` from anywhere, without a conftest
    sys.path.insert(0, str(ROOT))

import model  # noqa: E402
from model.plan import STATUSES  # noqa: E402
from ui import charts  # noqa: E402
from ui import export as ex  # noqa: E402
from ui.text import status_label, t  # noqa: E402

TODAY = dt.date(2026, 6, 5)
LINK = "https://planner.example.vn/?v=1&lang=vi&g.textiles=12.8&shock=0&rec=2&seed=2021&data=abc"
INJECTION = '=HYPERLINK("http://x")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan():
    return model.load_plan()


@pytest.fixture(scope="module")
def sc(plan):
    return model.Scenario.default(plan)


@pytest.fixture(scope="module")
def proj(plan, sc):
    return model.project(plan, sc)


@pytest.fixture(scope="module")
def risk(plan, sc):
    return model.simulate(plan, sc, n=2000, seed=1)


@pytest.fixture(scope="module")
def xlsx_vi(plan, sc, proj, risk):
    return openpyxl.load_workbook(io.BytesIO(ex.projection_xlsx(plan, sc, proj, risk, "vi", LINK)))


@pytest.fixture(scope="module")
def injected_plan(plan):
    first = dataclasses.replace(plan.sectors[0], name_vi=INJECTION, name_en=INJECTION)
    return dataclasses.replace(plan, sectors=(first, *plan.sectors[1:]))


def _pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


# The default scenario's verdict as a reader reads it (written out, not rebuilt with the code under test).
VERDICT = {
    "vi": "Dự báo nhìn từ năm 2020: ĐẠT mục tiêu 2025 (2.870,0 triệu USD, vượt 170,0 triệu USD, 6,3%).",
    "en": "Projection as seen from 2020: target 2025 REACHED (2,870.0 million USD, 170.0 million USD above, 6.3%).",
}


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


# --- the projection table: CSV and Excel equal the model ----------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_csv_values_equal_the_model(plan, sc, proj, lang):
    data = ex.projection_csv(plan, sc, proj, lang)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads the Vietnamese"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    year_col = t("word.year", lang)
    frame = frame.set_index(year_col)
    assert list(frame.index) == list(proj.totals.index)
    total_col = t("export.col.total", lang)
    assert (frame[total_col] - proj.totals).abs().max() <= 0.01
    for s in plan.sectors:
        col = t("export.col.sector_musd", lang, name=s.name(lang))
        assert (frame[col] - proj.by_sector[s.id]).abs().max() <= 0.01, s.id
    assert (frame[t("export.col.target", lang, year=sc.ty)] == sc.target).all()
    required = [c for c in frame.columns if c.startswith(t("export.col.required", lang, rate="X").split("X")[0])]
    assert len(required) == 1 and (frame[required[0]] - proj.required_path).abs().max() <= 0.01
    # the actuals where known, with their status
    actual = frame[t("data.col.actual", lang)]
    status = frame[t("export.col.actual_status", lang)]
    for year, a in plan.actual_totals().items():
        if year in frame.index:
            assert actual[year] == pytest.approx(a.value_musd, abs=0.01)
            assert status[year] == status_label(a.prov.status, lang)
    assert actual[sc.ty] != actual[sc.ty]  # NaN: no actual for 2025 in the bundled plan
    # machine numbers: '.' decimals, no thousands separators, at most two decimals
    body = data.decode("utf-8-sig").splitlines()[1]
    assert body.startswith(f"{sc.base},903.64,")


def test_xlsx_projection_sheet_equals_the_model(plan, sc, proj, xlsx_vi):
    assert xlsx_vi.sheetnames == ["Dự báo", "Kịch bản", "Nguồn"]
    ws = xlsx_vi["Dự báo"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Năm"
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes in ("A2", "B2")
    col = {name: i for i, name in enumerate(header)}
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert [r[0] for r in rows] == list(proj.totals.index)
    for r in rows:
        year = r[0]
        assert abs(r[col["Tổng (triệu USD)"]] - proj.totals[year]) <= 0.01
        for s in plan.sectors:
            assert abs(r[col[f"{s.name_vi} (triệu USD)"]] - proj.by_sector.loc[year, s.id]) <= 0.01
    assert ws.cell(row=2, column=2).number_format == "#,##0.0"
    assert all("triệu USD" in h for h in header[1:-1]), "units in the headers"


def test_xlsx_scenario_sheet_has_every_parameter_and_the_link(plan, sc, proj, risk, xlsx_vi):
    rows = _rows(xlsx_vi["Kịch bản"])
    values = {r[0]: r[1] for r in rows}
    assert LINK in values.values()
    for s in plan.sectors:
        assert values[f"Tăng trưởng: {s.name_vi}"] == pytest.approx(sc.growth_map[s.id])
    for label, expected in [
        ("Mức sụt giảm khi có cú sốc", sc.shock), ("Số năm phục hồi", sc.rec), ("Năm gốc", sc.base),
        ("Năm mục tiêu", sc.ty), ("Mục tiêu", sc.target), ("Hiển thị đến năm", sc.h),
        ("Mức độ bất định", sc.unc), ("Mức cùng biến động giữa các nhóm hàng", sc.rho),
        ("Mã lượt mô phỏng", risk.seed), ("Số đường mô phỏng", risk.n), ("Phần mất vĩnh viễn", sc.perm),
        ("Năm xảy ra cú sốc", sc.sy),
    ]:  # fmt: skip
        assert values[label] == pytest.approx(expected), label
    assert len(values) == len(set(r[0] for r in rows)), "no two rows share a label"
    assert values[t("word.verdict", "vi")].startswith(VERDICT["vi"])
    assert values[t("export.kpi.total", "vi", year=sc.ty)] == pytest.approx(proj.target_year_total, abs=0.01)
    assert values[t("export.kpi.gap", "vi")] == pytest.approx(proj.gap_musd, abs=0.01)
    assert values[t("export.kpi.probability", "vi")] == pytest.approx(risk.probability * 100)


def test_xlsx_sources_sheet_lists_every_sector_with_a_status(plan, xlsx_vi):
    rows = _rows(xlsx_vi["Nguồn"])
    statuses = {status_label(s, "vi") for s in STATUSES}
    for s in plan.sectors:
        mine = [r for r in rows if r[0] == s.name_vi]
        assert len(mine) == 3, s.id  # base, growth, volatility
        assert all(r[4] in statuses and r[5] for r in mine), s.id
    ids = {r[0] for r in rows}
    assert {s.id for s in plan.sources} <= ids
    for a in plan.actuals:
        assert any(r[0] == a.year and r[2] == pytest.approx(a.value_musd) and r[4] in statuses for r in rows)


def test_xlsx_without_risk_in_english(plan, sc, proj):
    wb = openpyxl.load_workbook(io.BytesIO(ex.projection_xlsx(plan, sc, proj, None, "en", LINK)))
    assert wb.sheetnames == ["Projection", "Scenario", "Sources"]
    labels = [r[0] for r in _rows(wb["Scenario"])]
    assert t("export.kpi.probability", "en") not in labels
    assert wb["Projection"]["B1"].value == "Textiles & garments (million USD)"


# --- spreadsheet safety --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", INJECTION])
def test_neutralise_cell_prefixes_formula_starts(text):
    assert ex.neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Dệt may", "", "1=1", 5, -3.2, None])
def test_neutralise_cell_leaves_the_rest(value):
    assert ex.neutralise_cell(value) == value


def test_formula_injection_is_neutralised_in_csv(injected_plan):
    sc = model.Scenario.default(injected_plan)
    proj = model.project(injected_plan, sc)
    data = ex.projection_csv(injected_plan, sc, proj, "vi")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert frame.columns[1] == "'" + INJECTION + " (triệu USD)"
    for col in frame.columns:
        assert not str(col).startswith(FORMULA_STARTS)
        for v in frame[col]:
            assert not (isinstance(v, str) and v.startswith(FORMULA_STARTS))


def test_formula_injection_is_neutralised_in_xlsx(injected_plan):
    sc = model.Scenario.default(injected_plan)
    proj = model.project(injected_plan, sc)
    data = ex.projection_xlsx(injected_plan, sc, proj, None, "vi", "=cmd|' /C calc'!A0")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Dự báo"]["B1"].value == "'" + INJECTION + " (triệu USD)"
    assert any(r[0] == "'" + INJECTION for r in _rows(wb["Nguồn"]))
    link_row = [r for r in _rows(wb["Kịch bản"]) if r[0] == t("export.p.link", "vi")][0]
    assert link_row[1] == "'=cmd|' /C calc'!A0"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (ws.title, cell.coordinate, cell.value)


# --- the scenario as JSON --------------------------------------------------------------------


def test_json_round_trip_default(plan, sc):
    data = ex.scenario_json(sc)
    payload = json.loads(data)
    assert payload["schema"] == "export-planner-scenario" and payload["v"] == 1
    loaded, error = ex.load_scenario_json(data, plan)
    assert error is None and loaded is not None
    assert loaded == sc and not loaded.repairs


def test_json_round_trip_changed_scenario(plan, sc):
    changed = dataclasses.replace(
        sc.with_growth({"textiles": 6.5, "seafood": -4.0}), shock=12.5, rec=3, ty=2030, target=4448.6,
        unc=1.5, rho=0.8, seed=7, n=5000, lang="en",
    )  # fmt: skip
    loaded, error = ex.load_scenario_json(ex.scenario_json(changed), plan)
    assert error is None and loaded == changed


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "bad_json"),
        (b"not json at all", "bad_json"),
        (b"{'schema': 'x'}", "bad_json"),
        (b"[" * 60_000, "bad_json"),
        (b"\xff\xfe\x00\x01", "not_text"),
        (b"[1, 2, 3]", "not_object"),
        (b'"a string"', "not_object"),
        (b"null", "not_object"),
        (b'{"v": 1, "shock": "5"}', "wrong_schema"),
        (b'{"schema": "other", "v": 1}', "wrong_schema"),
        (b'{"schema": "export-planner-scenario", "v": 2}', "bad_version"),
        (b'{"schema": "export-planner-scenario"}', "bad_version"),
        (b'{"schema": "export-planner-scenario", "v": true}', "bad_version"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": {"a": 1}}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": [5]}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": NaN}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": null}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "x": "' + b"a" * 100_001 + b'"}', "too_large"),
    ],
)
def test_bad_json_returns_an_error_code(plan, data, code):
    loaded, error = ex.load_scenario_json(data, plan)
    assert loaded is None and error == code
    assert t(f"export.error.{code}", "vi") and t(f"export.error.{code}", "en")


@pytest.mark.parametrize("data", [None, 42, "text", bytearray(b"{}"), memoryview(b"[]")])
def test_load_scenario_json_never_raises_on_odd_types(plan, data):
    loaded, error = ex.load_scenario_json(data, plan)
    assert loaded is None and isinstance(error, str)


def test_json_out_of_range_values_are_repaired_not_rejected(plan):
    data = json.dumps({"schema": "export-planner-scenario", "v": 1, "shock": 99, "g.textiles": "abc", "zzz": "1"})
    loaded, error = ex.load_scenario_json(data.encode(), plan)
    assert error is None and loaded is not None
    assert loaded.shock == 50.0 and loaded.growth_map["textiles"] == plan.sector("textiles").growth_pct
    assert {r.code for r in loaded.repairs} == {"clamped", "not_a_number", "unknown_key"}


# --- charts -------------------------------------------------------------------------------------


def test_chart_png_and_svg_offline_with_vietnamese_text(plan, sc, proj):
    chart = charts.overview_chart(proj, plan, sc, "vi")
    png = ex.chart_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") >= 2 * ex.CHART_WIDTH  # fixed width, scale 2
    svg = ex.chart_svg(chart).decode("utf-8")
    assert "<svg" in svg
    assert "Kim ngạch xuất khẩu" in svg  # the title, diacritics kept as text
    assert 'font-family="DejaVu Sans"' in svg
    assert chart.to_dict()["width"] == "container", "the app's chart is not changed by exporting it"


# --- the one-page brief ------------------------------------------------------------------------------


def test_brief_pdf_vietnamese(plan, sc, proj, risk):
    data = ex.brief_pdf(plan, sc, proj, risk, "vi", LINK, TODAY)
    assert data.startswith(b"%PDF")
    pages, text = _pdf_text(data)
    assert pages == 1
    assert VERDICT["vi"] in text
    assert "ĐẠT mục tiêu 2025" in text and "2.870,0" in text and "2.870,0 triệu USD" in text
    assert "05/06/2026" in text and "Thái Bình" in text and "Kịch bản xuất khẩu" in text
    for s in plan.sectors:
        assert s.name_vi in text
    assert "70%" in text  # the probability, seed 1, 2,000 paths
    assert "S1" in text and status_label("derived", "vi") in text
    resources: Any = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]
    fonts = {str(f.get_object()["/BaseFont"]) for f in resources["/Font"].values()}
    assert all("DejaVu" in f for f in fonts), fonts


def test_brief_pdf_english(plan, sc, proj, risk):
    pages, text = _pdf_text(ex.brief_pdf(plan, sc, proj, risk, "en", LINK, TODAY))
    assert pages == 1
    assert "2,870.0" in text and VERDICT["en"] in text
    assert "Export scenario" in text and "5 June 2026" in text


def test_brief_pdf_fits_one_page_when_crowded(plan):
    """Many sectors with long names, a missed target, no risk and a very long link."""
    many = tuple(
        dataclasses.replace(s, id=f"{s.id}_{k}", name_vi=f"{s.name_vi} — nhóm phụ số {k} rất dài")
        for k in range(2) for s in plan.sectors
    )  # fmt: skip
    crowded = dataclasses.replace(plan, sectors=many)
    sc = dataclasses.replace(model.Scenario.default(crowded), shock=30.0, rec=0, target=6000.0)
    proj = model.project(crowded, sc)
    assert not proj.reachable
    link = "https://planner.example.vn/?" + "&".join(f"g.{s.id}={s.growth_pct}" for s in many) * 3
    data = ex.brief_pdf(crowded, sc, proj, None, "vi", link, TODAY)
    pages, text = _pdf_text(data)
    assert pages == 1
    assert "CHƯA ĐẠT mục tiêu 2025" in text
