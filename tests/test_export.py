"""Tables and images (ui/exports/tables.py, images.py, names.py): the CSV in the reader's
convention, the workbook (its values, its backtest sheet, its print settings), spreadsheet
safety, chart images and file names. The PDF briefs: tests/test_brief.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` from anywhere, without a conftest
    sys.path.insert(0, str(ROOT))

import model  # noqa: E402
from model.plan import STATUSES  # noqa: E402
from model.upload import neutralise_cell  # noqa: E402
from ui import charts  # noqa: E402
from ui import format as fmt  # noqa: E402
from ui.exports import images, names, tables  # noqa: E402
from ui.text import status_label, t  # noqa: E402

TODAY = dt.date(2026, 11, 27)
LINK = "https://planner.example.vn/?v=1&lang=vi&g.textiles=12.8&shock=0&rec=2&seed=2021&data=abc"
DATA = "dữ liệu có sẵn của Thái Bình"
INJECTION = '=HYPERLINK("http://x")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def proj(plan, sc):
    return model.project(plan, sc)


@pytest.fixture(scope="module")
def risk(plan, sc):
    return model.simulate(plan, sc, n=2000, seed=1)


def _xlsx(plan, sc, proj, risk, lang="vi", link=LINK, name="Phương án A"):
    data = tables.projection_xlsx(plan, sc, proj, risk, lang, link, data_name=DATA, today=TODAY, name=name)
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def xlsx_vi(plan, sc, proj, risk):
    return _xlsx(plan, sc, proj, risk)


@pytest.fixture(scope="module")
def injected_plan(plan):
    first = dataclasses.replace(plan.sectors[0], name_vi=INJECTION, name_en=INJECTION)
    return dataclasses.replace(plan, sectors=(first, *plan.sectors[1:]))


def _rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


# --- the CSV: the reader's convention, the model's numbers --------------------------------------------

CSV_FORMS = {"vi": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_csv_parses_back_in_the_readers_convention_to_the_models_numbers(plan, sc, proj, lang):
    data = tables.projection_csv(plan, sc, proj, lang)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads the Vietnamese"
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **CSV_FORMS[lang]).set_index(t("word.year", lang))
    assert list(frame.index) == list(proj.totals.index)
    assert (frame[t("export.col.total", lang)] - proj.totals).abs().max() <= 0.005
    for s in plan.sectors:
        col = t("export.col.sector_musd", lang, name=s.name(lang))
        assert (frame[col] - proj.by_sector[s.id]).abs().max() <= 0.005, s.id
    assert (frame[t("export.col.target", lang, year=sc.ty)] == sc.target).all()
    required = [c for c in frame.columns if c.startswith(t("export.col.required", lang, rate="X").split("X")[0])]
    assert len(required) == 1 and (frame[required[0]] - proj.required_path).abs().max() <= 0.005
    actual, status = frame[t("data.col.actual", lang)], frame[t("export.col.actual_status", lang)]
    for year, a in plan.actual_totals().items():
        if year in frame.index:
            assert actual[year] == pytest.approx(a.value_musd, abs=0.005)
            assert status[year] == status_label(a.prov.status, lang)
    assert pd.isna(actual[sc.ty]), "no actual for 2025 in the bundled plan: an empty cell"


def test_csv_in_vietnamese_writes_a_decimal_comma_and_no_thousands_separator(plan, sc, proj):
    body = tables.projection_csv(plan, sc, proj, "vi").decode("utf-8-sig").splitlines()
    assert body[0].startswith("Năm;Dệt may (triệu USD);")
    assert body[1].startswith(f"{sc.base};903,64;"), body[1]
    assert ";1638,9" in body[1] and "1.638" not in body[1]
    english = tables.projection_csv(plan, sc, proj, "en").decode("utf-8-sig").splitlines()
    assert english[1].startswith(f"{sc.base},903.64,"), english[1]


# --- the workbook -----------------------------------------------------------------------------------------


def test_xlsx_sheets_in_order(xlsx_vi, plan, sc, proj):
    assert xlsx_vi.sheetnames == ["Dự báo", "Kịch bản", "Đối chiếu thực tế", "Số liệu và nguồn", "Số liệu thực tế",
                                  "Danh mục nguồn"]  # fmt: skip
    wb = _xlsx(plan, sc, proj, None, "en")
    assert wb.sheetnames == ["Projection", "Scenario", "Backtest", "Figures and their sources", "Actual figures",
                             "List of sources"]  # fmt: skip


def test_xlsx_projection_sheet_equals_the_model(plan, sc, proj, xlsx_vi):
    ws = xlsx_vi["Dự báo"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Năm" and all(c.font.bold for c in ws[1])
    col = {name: i for i, name in enumerate(header)}
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert [r[0] for r in rows] == list(proj.totals.index)
    for r in rows:
        assert abs(r[col["Tổng (triệu USD)"]] - proj.totals[r[0]]) <= 1e-9, "full precision, shown with a format"
        for s in plan.sectors:
            assert abs(r[col[f"{s.name_vi} (triệu USD)"]] - proj.by_sector.loc[r[0], s.id]) <= 1e-9
    assert ws.cell(row=2, column=2).number_format == "#,##0.0"
    assert all("triệu USD" in h for h in header[1:-1]), "units in the headers"


def test_xlsx_scenario_sheet_has_name_date_data_every_parameter_and_the_link(plan, sc, proj, risk, xlsx_vi):
    rows = _rows(xlsx_vi["Kịch bản"])
    values = {r[0]: r[1] for r in rows}
    assert len(values) == len(rows), "no two rows share a label"
    assert values["Tên kịch bản"] == "Phương án A"
    assert values["Ngày lập"].date() == TODAY
    assert values["Dữ liệu sử dụng"] == DATA
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
    labels = [r[0] for r in rows]
    assert labels.index("Thực tế (số liệu đã công bố)") < labels.index("Kết luận"), "the record first"
    assert values["Thực tế (số liệu đã công bố)"].startswith("Thực tế: mục tiêu 2.700 triệu USD đã được vượt năm 2024")
    assert values["Kết luận"].startswith(
        "Dự báo nhìn từ năm 2020: CHƯA CHẮC ĐẠT mục tiêu 2025: đường trung tâm đạt (2.870,0 triệu USD"
    )
    assert "nhưng chỉ 70% số đường mô phỏng đạt" in values["Kết luận"], (
        "the same verdict as the app, with its probability"
    )
    assert values[t("export.kpi.total", "vi", year=sc.ty)] == pytest.approx(proj.target_year_total)
    assert values[t("export.kpi.probability", "vi")] == pytest.approx(risk.probability * 100)


def test_xlsx_without_a_name_is_the_current_scenario(plan, sc, proj):
    wb = _xlsx(plan, sc, proj, None, "en", name=None)
    values = {r[0]: r[1] for r in _rows(wb["Scenario"])}
    assert values["Scenario name"] == "current scenario"
    assert t("export.kpi.probability", "en") not in values
    assert wb["Projection"]["B1"].value == "Textiles & garments (million USD)"


def test_xlsx_backtest_sheet_holds_each_record_against_the_projection(plan, sc, proj, risk, xlsx_vi):
    bt = model.backtest(plan, sc, proj, risk)
    ws = xlsx_vi["Đối chiếu thực tế"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Năm", "Dự báo từ 2020 (triệu USD)", "Thực tế (triệu USD)"]
    col = {h: i for i, h in enumerate(header)}
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert [r[0] for r in rows] == [2021, 2022, 2023, 2024]
    for r, expected in zip(rows, bt.table.itertuples(index=False), strict=True):
        assert r[col["Dự báo từ 2020 (triệu USD)"]] == pytest.approx(expected.scenario_musd)
        assert r[col["Thực tế (triệu USD)"]] == pytest.approx(expected.actual_musd)
        assert r[col["Sai lệch (triệu USD)"]] == pytest.approx(expected.actual_musd - expected.scenario_musd)
        assert r[col["Sai lệch (%)"]] == pytest.approx(expected.deviation_pct)
        assert r[col["Trong dải P10–P90"]] == "Không"
    by_year = {r[0]: r for r in rows}
    assert by_year[2024][col["Trạng thái"]] == "ước tính" and by_year[2024][col["Giới hạn"]] == "cận trên"
    assert by_year[2021][col["Giới hạn"]] is None
    sentence = [r[0] for r in _rows(ws) if isinstance(r[0], str) and r[0].startswith("Nhìn từ năm")]
    assert sentence == [
        "Nhìn từ năm 2020, dự báo thấp hơn thực tế: số thực tế 2021–2024 lệch khỏi dự báo bình quân 17,4% (sai lệch tuyệt đối, tính trên số dự báo); "
        "0/4 năm nằm trong dải 10–90%. Đánh giá: kém."
    ]


def test_xlsx_backtest_without_a_record_after_the_base_year_says_so(plan):
    sc = model.Scenario.from_query({"base": "2024"}, plan)
    proj = model.project(plan, sc)
    wb = _xlsx(plan, sc, proj, None)
    assert _rows(wb["Đối chiếu thực tế"]) == [("Chưa có số thực tế sau năm gốc 2024 để so sánh.",)]


def test_xlsx_sources_sheets_list_every_figure_with_a_status(plan, xlsx_vi):
    statuses = {status_label(s, "vi") for s in STATUSES}
    rows = _rows(xlsx_vi["Số liệu và nguồn"])
    for s in plan.sectors:
        mine = [r for r in rows if r[0] == s.name_vi]
        assert len(mine) == 3, s.id  # base, growth, volatility
        assert all(r[4] in statuses and r[5] for r in mine), s.id
    actuals = _rows(xlsx_vi["Số liệu thực tế"])
    for a in plan.actuals:
        assert any(r[0] == a.year and r[2] == pytest.approx(a.value_musd) and r[4] in statuses for r in actuals)
    assert {s.id for s in plan.sources} <= {r[0] for r in _rows(xlsx_vi["Danh mục nguồn"])}


def test_xlsx_prints_landscape_one_page_wide_with_the_header_on_every_page(xlsx_vi):
    for ws in xlsx_vi.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        margins = ws.page_margins
        assert 0.25 <= min(margins.left, margins.right, margins.top, margins.bottom) <= 1.0, ws.title
        assert "Phương án A" in ws.oddHeader.left.text and "27/11/2026" in ws.oddHeader.right.text
        assert "&P" in ws.oddFooter.right.text


def test_xlsx_header_escapes_an_ampersand_in_a_name(plan, sc, proj):
    wb = _xlsx(plan, sc, proj, None, name="A & B")
    assert "A && B" in wb.worksheets[0].oddHeader.left.text


# --- spreadsheet safety -----------------------------------------------------------------------------------


def test_formula_injection_is_neutralised_in_csv(injected_plan):
    sc = model.Scenario.default(injected_plan)
    proj = model.project(injected_plan, sc)
    for lang in ("vi", "en"):
        data = tables.projection_csv(injected_plan, sc, proj, lang)
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **CSV_FORMS[lang])
        assert frame.columns[1] == "'" + INJECTION + f" ({'triệu USD' if lang == 'vi' else 'million USD'})"
        for col in frame.columns:
            assert not str(col).startswith(FORMULA_STARTS)
            for v in frame[col]:
                assert not (isinstance(v, str) and v.startswith(FORMULA_STARTS))


def test_formula_injection_is_neutralised_in_xlsx(injected_plan):
    sc = model.Scenario.default(injected_plan)
    proj = model.project(injected_plan, sc)
    data = tables.projection_xlsx(injected_plan, sc, proj, None, "vi", "=cmd|' /C calc'!A0", data_name="@SUM(A1)",
                                  today=TODAY, name="-1+1")  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Dự báo"]["B1"].value == "'" + INJECTION + " (triệu USD)"
    assert any(r[0] == "'" + INJECTION for r in _rows(wb["Số liệu và nguồn"]))
    values = {r[0]: r[1] for r in _rows(wb["Kịch bản"])}
    assert values[t("export.p.link", "vi")] == "'=cmd|' /C calc'!A0"
    assert values["Tên kịch bản"] == "'-1+1" and values["Dữ liệu sử dụng"] == "'@SUM(A1)"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (ws.title, cell.coordinate, cell.value)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", INJECTION])
def test_neutralise_cell_prefixes_formula_starts(text):
    assert neutralise_cell(text) == "'" + text


# --- charts -------------------------------------------------------------------------------------------------


def test_chart_png_and_svg_offline_with_vietnamese_text(plan, sc, proj):
    chart = charts.overview_chart(proj, plan, sc, "vi")
    png = images.chart_png(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert images.png_size(png)[0] >= 2 * images.CHART_WIDTH  # fixed width, scale 2
    svg = images.chart_svg(chart).decode("utf-8")
    assert "<svg" in svg and "Kim ngạch xuất khẩu" in svg  # the title, diacritics kept as text
    assert 'font-family="DejaVu Sans"' in svg
    assert chart.to_dict()["width"] == "container", "the app's chart is not changed by exporting it"


def test_chart_size_is_the_whole_images_size_in_css_pixels(plan, sc, proj):
    chart = charts.overview_chart(proj, plan, sc, "vi")
    width, height = images.chart_size(chart, width=960, height=300)
    png = images.chart_png(chart, scale=2, width=960, height=300)
    assert (2 * width, 2 * height) == images.png_size(png)
    assert height > 300, "the title, axes and legend come on top of the plot's height"


# --- names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phương án A", "phuong-an-a"),
        ("Đồng bộ đường sắt — Đợt 2 (Sở Công Thương)", "dong-bo-duong-sat-dot-2-so-cong-thuong"),
        ("Kịch bản «lạc quan» 12,5%", "kich-ban-lac-quan-12-5"),
        ("../../etc/passwd", "etc-passwd"),
        ("计划", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_slug_is_safe_ascii_from_vietnamese(text, expected):
    assert names.slug(text) == expected


def test_slug_is_cut_at_a_word_boundary():
    assert names.slug("Phương án " + "rất dài " * 20) == "phuong-an" + "-rat-dai" * 6
    assert len(names.slug("x" * 200)) == names.MAX_SLUG


def test_file_stem_carries_plan_target_year_date_and_name(plan, sc):
    assert names.file_stem(plan, sc, TODAY, "Phương án A") == "thai-binh-2025-2026-11-27-phuong-an-a"
    assert names.file_stem(plan, sc, TODAY) == "thai-binh-2025-2026-11-27"
    assert names.file_stem(plan, sc, TODAY, "计划") == "thai-binh-2025-2026-11-27"
    assert names.comparison_stem(plan, TODAY, "vi") == "thai-binh-2026-11-27-so-sanh"
    assert names.comparison_stem(plan, TODAY, "en") == "thai-binh-2026-11-27-comparison"


def test_data_name_in_words(plan):
    assert (
        fmt.data_name(plan, "vi", bundled=True) == f"Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {plan.fingerprint})"
    )
    assert fmt.data_name(plan, "en", bundled=False).startswith("data you uploaded or edited, not saved")
    assert (
        fmt.data_name(plan, "vi", bundled=False, dataset="Số liệu Cục Thống kê 2025")
        == f"bộ dữ liệu «Số liệu Cục Thống kê 2025» (mã {plan.fingerprint})"
    )
