"""Uploads and edits of the user's own figures (model/upload.py, ui/problems.py).

The corpus in tests/corpus/ (made by tests/corpus/make_corpus.py) holds one file per
problem a user may hit, plus good files in every encoding and layout we accept. Each bad
file must give exactly the problems listed here and no plan (the caller keeps its plan);
each good file must give exactly the corpus figures. Rows are spreadsheet rows (header =
row 1). Property tests feed random bytes and random tables: nothing may escape.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import model
import model.upload as upload
from model.plan import ACTUAL_COLUMNS, SECTOR_COLUMNS, Actual, Problem, Provenance
from model.upload import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    PROBLEM_CODES,
    STATUS_VI,
    VI_HEADERS,
    canonical_column,
    detect_kind,
    format_number,
    neutralise_cell,
    parse_number,
    parse_table,
    plan_with_tables,
    plan_with_upload,
    template_csv,
    template_xlsx,
    unneutralise_cell,
)  # fmt: skip
from ui.problems import column_label, describe, describe_all
from ui.text import TEXT as CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
PLAN = model.load_plan()
PLAN_FINGERPRINT = PLAN.fingerprint
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = _load_corpus_module()
GOOD_SECTORS = [s[:6] for s in MAKE.SECTORS]
PLAIN_SECTORS = [(s[0], MAKE.plain(s[1]), *s[2:6]) for s in MAKE.SECTORS]
GOOD_STATUSES = [(s[0], s[6], s[7]) for s in MAKE.SECTORS]
GOOD_ACTUALS = sorted((y, s, v, st_) for y, s, v, st_ in MAKE.ACTUALS)

# Good files: the kind of table they replace and the sector figures they must give.
GOOD = {
    "sectors_en.csv": GOOD_SECTORS,
    "sectors_vi_diacritics.csv": GOOD_SECTORS,
    "sectors_vi_no_diacritics.csv": PLAIN_SECTORS,
    "sectors_decimal_comma.csv": GOOD_SECTORS,
    "sectors_semicolon.csv": GOOD_SECTORS,
    "sectors_utf8_bom.csv": GOOD_SECTORS,
    "sectors_utf16.txt": GOOD_SECTORS,
    "sectors_utf16be.csv": GOOD_SECTORS,
    "sectors_cp1258.csv": GOOD_SECTORS,
    "sectors_good.xlsx": GOOD_SECTORS,
    "actuals_thousands_en.csv": GOOD_ACTUALS,
    "actuals_thousands_vi.csv": GOOD_ACTUALS,
}

# Bad files: exactly these problems, as (code, row, column, value).
BAD = {
    "wrong_columns.csv": [("wrong_columns", 1, "", "Họ và tên, Ngày sinh, Địa chỉ")],
    "sectors_missing_growth.csv": [("missing_column", None, "growth_pct", "")],
    "sectors_missing_base.csv": [("missing_column", None, "base_musd", "")],
    "sectors_negative.csv": [("negative", 3, "base_musd", "-5")],
    "sectors_not_a_number.csv": [
        ("not_a_number", 2, "growth_pct", "--5"),
        ("not_a_number", 4, "base_musd", "abc"),
        ("not_a_number", 5, "base_musd", ""),
    ],
    "sectors_duplicate_id.csv": [("duplicate_sector", 4, "id", "textiles")],
    "sectors_bad_id.csv": [("bad_sector_id", 6, "id", "Mây tre")],
    "sectors_bad_status.csv": [("bad_status", 3, "base_status", "chắc chắn")],
    "sectors_out_of_range.csv": [
        ("growth_out_of_range", 2, "growth_pct", "75"),
        ("volatility_out_of_range", 3, "volatility_pp", "80"),
    ],
    "sectors_zero_total.csv": [("zero_total", None, "base_musd", "")],
    "sectors_duplicate_column.csv": [("duplicate_column", None, "id", "Mã ngành")],
    "sectors_header_only.csv": [("no_rows", None, "", "")],
    "empty.csv": [("empty_file", None, "", "")],
    "blank_lines.csv": [("empty_file", None, "", "")],
    "report_pdf.csv": [("not_a_table", None, "", "PDF")],
    "report.pdf": [("unsupported_type", None, "", ".pdf")],
    "chart_png.csv": [("not_a_table", None, "", "PNG")],
    "chart_png.xlsx": [("not_a_table", None, "", "PNG")],
    "junk.csv": [("not_a_table", None, "", "")],
    "prose.txt": [("not_a_table", None, "", "")],
    "legacy.xls": [("unsupported_type", None, "", ".xls")],
    "legacy_renamed.xlsx": [("unsupported_type", None, "", ".xls")],
    "macro.xlsm": [("unsupported_type", None, "", ".xlsm")],
    "sectors_formula.xlsx": [("excel_formula", 4, "base_musd", "=D2*2")],
    "sectors_two_sheets.xlsx": [("excel_several_sheets", None, "", "Ngành, Ghi chú")],
    "actuals_title_rows_negative.xlsx": [("negative", 8, "value_musd", "-2690.58")],
    "actuals_ambiguous.tsv": [
        ("ambiguous_number", 2, "value_musd", "2.138"),
        ("ambiguous_number", 3, "value_musd", "2,427"),
    ],
    "actuals_unknown_sector.csv": [("unknown_sector", 4, "sector", "ships")],
    "actuals_duplicate_year.csv": [("duplicate_year", 3, "year", "2021")],
    "actuals_bad_year.csv": [("bad_year", 2, "year", "2015"), ("bad_year", 3, "year", "2021.5")],
}


@pytest.fixture(autouse=True, scope="module")
def _internal_errors_raise():
    """An exception inside the parser fails the test: the users' last resort (Problem
    "unreadable") must not hide a bug, so every test here runs the parser with it off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upload, "RAISE_INTERNAL_ERRORS", True)
        yield


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def keys(problems: list[Problem]) -> list[tuple]:
    return [(p.code, p.row, p.column, p.value) for p in problems]


def assert_contract(result) -> None:
    """A plan and no problems, or no plan and at least one problem, each of them worded."""
    plan, problems = result
    assert (plan is None) == bool(problems), problems
    for p in problems:
        assert isinstance(p, Problem)
        for lang in ("vi", "en"):
            assert describe(p, lang).strip()


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_matches_its_generator_and_the_expectations():
    built = MAKE.build()
    stored = {p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py"}
    assert stored == set(built) == set(GOOD) | set(BAD)
    for name, data in built.items():
        assert corpus(name) == data, f"{name}: run tests/corpus/make_corpus.py"


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_exact_problems_and_no_plan(name):
    plan, problems = plan_with_upload(PLAN, name, corpus(name))
    assert plan is None  # the caller keeps the plan it had
    assert keys(problems) == BAD[name]
    assert all(p.file == name for p in problems)
    assert PLAN.fingerprint == PLAN_FINGERPRINT == model.load_plan().fingerprint
    for p in problems:
        vi, en = describe(p, "vi"), describe(p, "en")
        assert name in vi and name in en
        if p.row is not None:
            assert f"dòng {p.row}" in vi and f"row {p.row}" in en
        if p.column:
            assert f"“{column_label(p.column, 'vi')}”" in vi and f"“{p.column}”" in en
        if p.value and p.code not in ("too_large", "not_a_table"):
            assert p.value in vi and p.value in en


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_file_gives_the_figures(name):
    plan, problems = plan_with_upload(PLAN, name, corpus(name))
    assert problems == []
    assert plan is not None
    if name.startswith("sectors"):
        assert [(s.id, s.name_vi, s.name_en, s.base_musd, s.growth_pct, s.volatility_pp) for s in plan.sectors] == GOOD[
            name
        ]
        assert [(s.id, s.base_prov.status, s.growth_prov.status) for s in plan.sectors] == GOOD_STATUSES
        assert all(unicodedata.is_normalized("NFC", s.name_vi) for s in plan.sectors)
        assert plan.actuals == PLAN.actuals
    else:
        assert [(a.year, a.sector, a.value_musd, a.prov.status) for a in plan.actuals] == GOOD[name]
        assert plan.sectors == PLAN.sectors


def test_windows_1258_file_is_not_utf8_and_comes_out_with_proper_diacritics():
    data = corpus("sectors_cp1258.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\xf2" in data  # a combining dot below (as in "Dệt"): Windows-1258 decomposes tones
    plan, _ = plan_with_upload(PLAN, "sectors_cp1258.csv", data)
    assert plan.sector("textiles").name_vi == "Dệt may"
    assert plan.sector("handicraft").name_vi == "Mây tre, cói, thảm"
    frame, _ = parse_table("sectors_cp1258.csv", data)
    assert list(frame.columns)[:4] == ["Mã ngành", "Tên ngành", "Tên tiếng Anh", "Giá trị năm gốc (triệu USD)"]


def test_an_empty_extra_sheet_is_ignored_and_percent_cells_are_read_as_shown():
    book = openpyxl.load_workbook(io.BytesIO(corpus("sectors_good.xlsx")))
    assert book.sheetnames == ["Ngành", "Sheet2"]
    assert book["Ngành"]["F2"].value == pytest.approx(0.128) and "%" in book["Ngành"]["F2"].number_format
    plan, _ = plan_with_upload(PLAN, "sectors_good.xlsx", corpus("sectors_good.xlsx"))
    assert plan.sector("textiles").growth_pct == 12.8


def test_not_a_number_message_names_row_column_and_value():
    _, problems = plan_with_upload(PLAN, "sectors_not_a_number.csv", corpus("sectors_not_a_number.csv"))
    assert describe(problems[1], "vi") == (
        "Tệp “sectors_not_a_number.csv”, dòng 4, cột “Giá trị năm gốc (triệu USD)”: “abc” không phải là một số."
    )
    assert describe(problems[1], "en") == (
        "File “sectors_not_a_number.csv”, row 4, column “base_musd”: “abc” is not a number."
    )
    assert "trống" in describe(problems[2], "vi") and "empty" in describe(problems[2], "en")


def test_file_over_the_size_limit():
    row = "textiles,Dệt may,Textiles,903.64,derived,12.8,derived,5.2,S1,note\n".encode()
    data = b"id,name_vi,name_en,base_musd,base_status,growth_pct,growth_status,volatility_pp,base_source,base_note\n"
    data += row * (MAX_UPLOAD_BYTES // len(row) + 1)
    assert len(data) > MAX_UPLOAD_BYTES
    plan, problems = plan_with_upload(PLAN, "big.csv", data)
    assert plan is None
    assert keys(problems) == [("too_large", None, "", str(len(data)))]
    assert describe(problems[0], "vi") == "Tệp “big.csv” quá lớn (2,1 MB); tệp tải lên tối đa 2 MB."
    assert describe(problems[0], "en") == "The file “big.csv” is too large (2.1 MB); uploads are limited to 2 MB."
    assert keys(parse_table("big.xlsx", data)[1]) == [("too_large", None, "", str(len(data)))]


def test_too_many_rows():
    data = b"year,sector,value_musd\n" + b"2021,total,1\n" * (MAX_ROWS + 1)
    assert keys(plan_with_upload(PLAN, "many.csv", data)[1]) == [("too_many_rows", None, "", str(MAX_ROWS))]


def test_an_excel_file_that_unpacks_too_large():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(template_xlsx(PLAN, "sectors"))) as template:
            for info in template.infolist():
                archive.writestr(info, template.read(info))
        archive.writestr("xl/media/padding.bin", bytes(41 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < MAX_UPLOAD_BYTES
    plan, problems = plan_with_upload(PLAN, "bomb.xlsx", data)
    assert plan is None and [p.code for p in problems] == ["excel_too_large"]
    assert "40 MB" in describe(problems[0], "vi")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32"])
def test_other_unicode_encodings(encoding):
    text = "Năm\tGiá trị (triệu USD)\tNgành\r\n2022\t2427\ttổng\r\n2022\t1340,5\tDệt may\r\n"
    plan, problems = plan_with_upload(PLAN, "a.txt", text.encode(encoding))
    assert problems == []
    assert [(a.sector, a.value_musd) for a in plan.actuals] == [("textiles", 1340.5), ("total", 2427.0)]


def test_excel_separator_line_and_stray_control_characters():
    data = "sep=;\nyear;value_musd;note\n2022;2427;ghi\x07 chú\n".encode()
    frame, problems = parse_table("a.csv", data)
    assert problems == [] and list(frame.index) == [2] and frame.loc[2, "note"] == "ghi chú"
    plan, problems = plan_with_upload(PLAN, "a.csv", data)
    assert problems == [] and plan.actuals[0].prov.note == "ghi chú"


def test_a_file_with_no_extension():
    _, problems = plan_with_upload(PLAN, "sectors", corpus("sectors_en.csv"))
    assert keys(problems) == [("unsupported_type", None, "", "")]
    assert "phần mở rộng" in describe(problems[0], "vi")


# --- parse_table and detect_kind -----------------------------------------------------------------


def test_parse_table_gives_strings_indexed_by_spreadsheet_row():
    frame, problems = parse_table("t.xlsx", corpus("actuals_title_rows_negative.xlsx"))
    assert problems == []
    assert list(frame.columns) == ["Năm", "Ngành", "Giá trị (triệu USD)", "Trạng thái"]
    assert list(frame.index) == [4, 5, 6, 7, 8, 9]  # title on row 1, blank row 2, header on row 3
    assert frame.loc[4].tolist() == ["2020", "tổng", "1638.9", "suy ra"]
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())
    assert detect_kind(frame) == "actuals"


@pytest.mark.parametrize(
    "headers, kind",
    [
        (list(SECTOR_COLUMNS), "sectors"),
        (list(ACTUAL_COLUMNS), "actuals"),
        (list(VI_HEADERS["sectors"].values()), "sectors"),
        (["MÃ NGÀNH", "gia tri nam goc", "Tăng_trưởng (%)"], "sectors"),
        (["  Năm ", "Giá trị"], "actuals"),
        (["nam", "gia tri (trieu usd)", "nganh"], "actuals"),
        (["Họ tên", "Tuổi"], None),
        (["id", "year"], None),  # one required column of each kind: undecidable
    ],
)
def test_detect_kind(headers, kind):
    assert detect_kind(pd.DataFrame(columns=headers)) == kind


def test_every_vietnamese_header_maps_with_and_without_diacritics():
    for kind, headers in VI_HEADERS.items():
        for canon, header in headers.items():
            assert canonical_column(header, kind) == canon
            assert canonical_column(MAKE.plain(header).upper(), kind) == canon
            assert canonical_column(canon, kind) == canon


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, convention, value",
    [
        ("1.234,5", None, 1234.5),
        ("1,234.5", None, 1234.5),
        ("1234,5", None, 1234.5),
        ("1 234,5", None, 1234.5),
        ("1\u00a0234,5", None, 1234.5),
        ("12,8%", None, 12.8),
        ("12.8 %", None, 12.8),
        ("  7 ", None, 7.0),
        ("-3,5", None, -3.5),
        ("\u22123,5", None, -3.5),
        ("0,128", None, 0.128),
        ("1.234.567", None, 1234567.0),
        ("1,234,567.25", None, 1234567.25),
        ("1.5E+03", None, 1500.0),
        ("1,234", "en", 1234.0),
        ("1,234", "vi", 1.234),
        ("2.427", "vi", 2427.0),
        ("abc", None, None),
        ("", None, None),
        ("--5", None, None),
        ("1_000", None, None),
        ("nan", None, None),
        ("inf", None, None),
        ("1.23.4", None, None),
        ("12,34,5", None, None),
        ("9" * 400, None, None),
        ("٣", None, None),  # not an ASCII digit
    ],
)
def test_parse_number(text, convention, value):
    assert parse_number(text, convention) == value


def test_ambiguous_numbers_are_not_guessed():
    from model.upload import _AMBIGUOUS

    assert parse_number("1,234") is _AMBIGUOUS
    assert parse_number("2.427") is _AMBIGUOUS
    assert parse_number("2.021", integer_if_unsure=True) == 2021.0


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from(["vi", "en"]))
def test_format_number_reads_back_exactly_in_any_convention(value, lang):
    text = format_number(value, lang)
    assert parse_number(text, None) == value or (value == 0 and parse_number(text, None) == 0)


# --- templates -------------------------------------------------------------------------------------


def risky_plan():
    """The bundled plan with text a spreadsheet would run as a formula if not neutralised."""
    first, second, *rest = PLAN.sectors
    first = replace(
        first,
        base_prov=Provenance("derived", "@SUM(A1)", "=1+2"),
        growth_prov=replace(first.growth_prov, note="'=already quoted"),
    )
    second = replace(second, name_en="+84 shoes", volatility_prov=replace(second.volatility_prov, source="-S1"))
    actual = replace(PLAN.actuals[0], prov=Provenance("estimate", "+S1", '=HYPERLINK("http://x")'))
    return replace(PLAN, sectors=(first, second, *rest), actuals=(actual, *PLAN.actuals[1:]))


@pytest.mark.parametrize("kind", ["sectors", "actuals"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("which", ["bundled", "risky"])
def test_template_round_trip_gives_an_equal_plan(kind, lang, fmt, which):
    base = PLAN if which == "bundled" else risky_plan()
    data = (template_csv if fmt == "csv" else template_xlsx)(base, kind, lang)
    plan, problems = plan_with_upload(base, f"mau.{fmt}", data)
    assert problems == []
    assert plan == base and plan.fingerprint == base.fingerprint


def test_csv_template_is_utf8_with_bom_vietnamese_and_neutralised():
    plan = risky_plan()
    data = template_csv(plan, "sectors", "vi")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(VI_HEADERS["sectors"].values())
    first = plan.sectors[0]
    assert rows[1][:5] == [first.id, first.name_vi, first.name_en, format_number(first.base_musd, "vi"),
                           STATUS_VI[first.base_prov.status]]  # fmt: skip
    assert "," in rows[1][3] or "." not in rows[1][3]  # a decimal comma, never a point
    assert (rows[1][5], rows[1][6], rows[1][10]) == ("'@SUM(A1)", "'=1+2", "''=already quoted")
    assert rows[2][2] == "'+84 shoes" and rows[2][13] == "'-S1"
    assert not any(c[:1] in "=+-@\t" for r in rows[1:] for c in r)
    en = list(csv.reader(io.StringIO(template_csv(plan, "actuals", "en").decode("utf-8-sig"))))
    assert en[0] == list(ACTUAL_COLUMNS)
    assert en[1] == [str(plan.actuals[0].year), "total", format_number(plan.actuals[0].value_musd), "estimate",
                     "'+S1", "'=HYPERLINK(\"http://x\")", ""]  # fmt: skip


def test_xlsx_template_has_one_sheet_a_bold_header_and_no_formula():
    plan = risky_plan()
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(plan, "actuals", "vi")))
    assert len(book.worksheets) == 1
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(VI_HEADERS["actuals"].values())
    assert all(c.font.bold for c in sheet[1])
    first = plan.actuals[0]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["C2"].value) == (first.year, "tổng", first.value_musd)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value[:1] in "=+-@\t")
    assert sheet["F2"].value == '\'=HYPERLINK("http://x")'


@given(st.text(max_size=20))
def test_neutralise_is_safe_and_reversible(text):
    safe = neutralise_cell(text)
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert unneutralise_cell(safe) == text


def test_neutralise_examples():
    assert neutralise_cell("=1+2") == "'=1+2"
    assert neutralise_cell("+84 912") == "'+84 912"
    assert neutralise_cell("-x") == "'-x"
    assert neutralise_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_cell("Dệt may") == "Dệt may"
    assert neutralise_cell(-5.0) == -5.0


# --- all or nothing ------------------------------------------------------------------------------


def plan_with_sector_actual():
    extra = Actual(2022, "seafood", 20.5, Provenance("estimate", "S5"))
    return replace(PLAN, actuals=tuple(sorted(PLAN.actuals + (extra,), key=lambda a: (a.year, a.sector))))


def test_new_sectors_must_keep_the_sectors_actuals_use():
    plan = plan_with_sector_actual()
    rows = [r for r in PLAN.sectors_frame().to_dict("records") if r["id"] != "seafood"]
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    new, problems = plan_with_upload(plan, "sectors.csv", data)
    assert new is None
    assert keys(problems) == [("sector_in_use", None, "id", "seafood")]
    assert "seafood" in describe(problems[0], "vi")
    new, problems = plan_with_tables(plan, sectors=pd.DataFrame(rows))
    assert new is None and keys(problems) == [("sector_in_use", None, "id", "seafood")]
    # dropping the sector's actuals in the same edit is fine
    actuals = plan.actuals_frame()
    new, problems = plan_with_tables(plan, pd.DataFrame(rows), actuals[actuals["sector"] != "seafood"])
    assert problems == [] and "seafood" not in new.sector_ids and new.actuals == PLAN.actuals


def test_actuals_may_name_sectors_by_name():
    data = "Năm,Ngành,Giá trị (triệu USD)\n2022,Dệt may,1340.5\n2022,Tổng,2427\n".encode()
    plan, problems = plan_with_upload(PLAN, "a.csv", data)
    assert problems == []
    assert [(a.year, a.sector, a.value_musd) for a in plan.actuals] == [
        (2022, "textiles", 1340.5),
        (2022, "total", 2427.0),
    ]


def test_plan_with_tables_edits():
    sectors = PLAN.sectors_frame().astype({"growth_pct": object})
    sectors.loc[0, "base_musd"] = 1000.0
    sectors.loc[1, "growth_pct"] = "9,5"  # typed as text in the editor
    new, problems = plan_with_tables(PLAN, sectors=sectors)
    assert problems == []
    assert new.sector("textiles").base_musd == 1000.0 and new.sector("footwear").growth_pct == 9.5
    assert new.actuals == PLAN.actuals and PLAN.sector("textiles").base_musd == 903.64

    actuals = PLAN.actuals_frame()
    actuals.loc[len(actuals)] = [2025, "total", 3300.0, "estimate", "", "", ""]
    new, problems = plan_with_tables(PLAN, actuals=actuals)
    assert problems == [] and new.actual_totals()[2025].value_musd == 3300.0


def test_plan_with_tables_bad_edit_reports_table_positions_and_changes_nothing():
    sectors = PLAN.sectors_frame()
    sectors.loc[2, "base_musd"] = float("nan")  # row 3 of the table, emptied
    sectors.loc[4, "id"] = "textiles"
    actuals = PLAN.actuals_frame()
    actuals.loc[1, "value_musd"] = -1.0
    new, problems = plan_with_tables(PLAN, sectors, actuals)
    assert new is None
    assert keys(problems) == [
        ("not_a_number", 3, "base_musd", ""),
        ("duplicate_sector", 5, "id", "textiles"),
        ("negative", 2, "value_musd", "-1"),
    ]
    assert (
        describe(problems[0], "vi") == "Dòng 3, cột “Giá trị năm gốc (triệu USD)”: ô này đang trống, cần nhập một số."
    )
    assert plan_with_tables(PLAN) == (PLAN, [])


def test_an_exception_inside_becomes_a_problem_for_users_and_fails_the_tests(monkeypatch):
    def boom(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(upload, "_read_text", boom)
    with pytest.raises(RuntimeError):  # as every test here runs the parser: a bug fails the test
        plan_with_upload(PLAN, "x.csv", b"a,b\n1,2\n")
    monkeypatch.setattr(upload, "RAISE_INTERNAL_ERRORS", False)  # as users run it
    assert keys(plan_with_upload(PLAN, "x.csv", b"a,b\n1,2\n")[1]) == [("unreadable", None, "", "RuntimeError")]
    assert keys(parse_table("x.csv", b"a,b\n1,2\n")[1]) == [("unreadable", None, "", "RuntimeError")]
    monkeypatch.setattr(upload, "sectors_from_frame", boom)
    assert keys(plan_with_tables(PLAN, PLAN.sectors_frame())[1]) == [("unreadable", None, "", "RuntimeError")]


# --- the messages --------------------------------------------------------------------------------


def produced_codes() -> set[str]:
    """Every problem code written as Problem("<code>", ...) in model/, plus upload's list."""
    codes = set(PROBLEM_CODES)
    for path in (ROOT / "model").glob("*.py"):
        codes |= set(re.findall(r"Problem\(\s*[\"']([a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    return codes


def test_every_code_has_a_vietnamese_and_an_english_sentence():
    plan_codes = {"not_a_number", "bad_status", "missing_column", "no_rows", "bad_sector_id", "name_hidden_chars", "name_unreadable", "name_too_long", "duplicate_sector",
                  "negative", "value_too_large", "growth_out_of_range", "volatility_out_of_range", "zero_total", "unknown_sector",
                  "bad_year", "duplicate_year"}  # fmt: skip
    codes = produced_codes()
    assert plan_codes <= codes
    upload_source = (ROOT / "model" / "upload.py").read_text(encoding="utf-8")
    assert set(re.findall(r"Problem\(\s*\"([a-z_]+)\"", upload_source)) <= set(PROBLEM_CODES)
    for code in sorted(codes):
        assert f"problem.{code}" in CATALOGUE, code
        p = Problem(code, "tệp.csv", 3, "base_musd", "x")
        vi, en = describe(p, "vi"), describe(p, "en")
        assert vi and en and vi != en, code
        assert re.search(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", vi.lower()), code
        assert not re.search(r"\{[a-z_]+\}", vi + en), code  # every field filled
        assert vi.endswith(".") and en.endswith("."), code


@given(
    st.sampled_from(
        sorted({k.split(".")[1] for k in CATALOGUE if k.startswith("problem.") and k.count(".") == 1}) + ["nonsense"]
    ),
    TEXT,
    st.one_of(st.none(), st.integers()),
    st.one_of(TEXT, st.sampled_from(list(SECTOR_COLUMNS) + list(ACTUAL_COLUMNS))),
    st.one_of(TEXT, st.sampled_from(["PDF", "9" * 400, "²", "12", ""])),
)
def test_describe_never_raises(code, file, row, column, value):
    for lang in ("vi", "en", "fr"):
        assert describe(Problem(code, file, row, column, value), lang)


def test_messages_name_the_column_in_the_users_language_and_shorten_long_values():
    p = Problem("not_a_number", "a.csv", 7, "value_musd", "x" * 500)
    vi = describe(p, "vi")
    assert "dòng 7" in vi and "“Giá trị (triệu USD)”" in vi and "…" in vi and len(vi) < 200
    assert "column “value_musd”" in describe(p, "en")
    assert describe(Problem("not_a_number", "a.csv", 2, "Cột lạ", "q"), "vi").startswith(
        "Tệp “a.csv”, dòng 2, cột “Cột lạ”"
    )
    assert "khong_co_ma" in describe(Problem("khong_co_ma", "a.csv"), "vi")
    lines = describe_all([Problem("empty_file", "a.csv")] * 25, "vi", limit=20)
    assert len(lines) == 21 and lines[-1] == "… và 5 lỗi khác."


def test_ui_problems_imports_no_streamlit():
    source = (ROOT / "ui" / "problems.py").read_text(encoding="utf-8") + (ROOT / "model" / "upload.py").read_text(
        encoding="utf-8"
    )
    assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.M)


# --- properties: nothing escapes -----------------------------------------------------------------

PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            b"id,base_musd,growth_pct\n", "Năm;Giá trị\n".encode("utf-16")]  # fmt: skip
EXTENSIONS = [".csv", ".txt", ".tsv", ".xlsx", ".xls", ".xlsm", "", ".CSV"]


@settings(max_examples=350, deadline=None)
@given(st.sampled_from(PREFIXES), st.binary(max_size=1500), st.sampled_from(EXTENSIONS))
def test_random_bytes_never_raise(prefix, body, ext):
    assert_contract(plan_with_upload(PLAN, "upload" + ext, prefix + body))
    frame, problems = parse_table("upload" + ext, prefix + body)
    assert (frame is None) == bool(problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                        "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml"]),
                       st.binary(max_size=200), min_size=1))  # fmt: skip
def test_random_zip_files_never_raise(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    assert_contract(plan_with_upload(PLAN, "upload.xlsx", out.getvalue()))


XML_TOKENS = [b"<", b">", b'"', b"</c>", b"<c>", b'r="XFD7"', b't="s"', b't="inlineStr"', b't="b"', b't="e"',
              b't="d"', b"<f>A1</f>", b"<v>", b"</v>", b's="99"', b"-1", b"\xb2", b"12abc", b"1e999", b"<row/>",
              b'<row r="0">', b'si="0" t="shared"', b"<is><t>x</t></is>", b"<!DOCTYPE x>", b"&amp;", b"\x00",
              b"<sheet/>", b'r:id="rId9"']  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["sectors", "actuals"]), st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(XML_TOKENS)),
                                                        min_size=1, max_size=6), st.sampled_from(
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"]))  # fmt: skip
def test_workbooks_with_damaged_xml_never_raise(kind, edits, part):
    """A real template with tokens inserted into one of its parts: a problem, never an exception."""
    source = zipfile.ZipFile(io.BytesIO(template_xlsx(PLAN, kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = bytearray(source.read(info))
            if info.filename == part:
                for at, token in edits:
                    data[at % (len(data) + 1) : at % (len(data) + 1)] = token
            archive.writestr(info.filename, bytes(data))
    assert_contract(plan_with_upload(PLAN, "upload.xlsx", out.getvalue()))


def test_a_row_inside_a_cell_is_a_damaged_file():
    """Found by the test above: a <row/> between a cell's start and end had no column to fill."""
    source = zipfile.ZipFile(io.BytesIO(template_xlsx(PLAN, "sectors")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell_opened = data.index(b">", data.index(b"<c ")) + 1
                data = data[:cell_opened] + b"<row/>" + data[cell_opened:]
            archive.writestr(info.filename, data)
    result = plan_with_upload(PLAN, "upload.xlsx", out.getvalue())
    assert_contract(result)
    new_plan, problems = result
    assert new_plan is None and problems


HEADERS = sorted(
    set(SECTOR_COLUMNS) | set(ACTUAL_COLUMNS) | {h for hs in VI_HEADERS.values() for h in hs.values()}
    | {MAKE.plain(h) for hs in VI_HEADERS.values() for h in hs.values()}
)  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(["", "abc", "--5", "1,234", "1.234,5", "12,8%", "-3", "2021", "2.021", "tổng", "total",
                     "textiles", "chính thức", "giả định", "=SUM(A1)", "'=x", "1e400", "0", "Dệt may"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    TEXT,
)  # fmt: skip


def _serialise(headers, rows, how, delimiter) -> tuple[str, bytes]:
    if how == "xlsx":
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook()
        for row in [headers, *rows]:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        out = io.BytesIO()
        book.save(out)
        return "t.xlsx", out.getvalue()
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([headers, *rows])
    text = out.getvalue()
    encoded = {
        "utf-8": lambda: text.encode("utf-8"),
        "utf-8-sig": lambda: text.encode("utf-8-sig"),
        "utf-16": lambda: text.encode("utf-16"),
        "cp1258": lambda: unicodedata.normalize("NFC", text).encode("cp1258", errors="replace"),
    }[how]()
    return "t.csv", encoded


NUMBERS = st.one_of(
    st.floats(min_value=-100, max_value=5000, allow_nan=False).map(lambda x: format_number(x, "en")),
    st.floats(min_value=-100, max_value=5000, allow_nan=False).map(lambda x: format_number(x, "vi")),
    st.integers(min_value=2015, max_value=2031).map(str),
    st.sampled_from(["1.234,5", "1,234.5", "12,8%", "1 234", "2.427", "7", "0"]),
)
PLAUSIBLE = {  # cells a real table might hold, per canonical column
    "id": st.sampled_from(PLAN.sector_ids + ("Dệt may", "x", "")),
    "sector": st.sampled_from(PLAN.sector_ids + ("tổng", "total", "Tong", "Dệt may", "ships", "")),
    "year": st.one_of(st.integers(min_value=2018, max_value=2031).map(str), NUMBERS),
    **{c: st.sampled_from(["official", "chính thức", "uoc tinh", "Suy ra", "giả định", "", "??"])
       for c in ("status", "base_status", "growth_status", "volatility_status")},
}  # fmt: skip


@st.composite
def plausible_tables(draw):
    """Tables that look like a sector or actuals table (known headers, typed cells), with noise."""
    kind = draw(st.sampled_from(["sectors", "actuals"]))
    columns = draw(st.lists(st.sampled_from(list(VI_HEADERS[kind])), min_size=1, max_size=8, unique=True))
    columns = (
        list(dict.fromkeys(["id", "base_musd", "growth_pct"] if kind == "sectors" else ["year", "value_musd"]))[
            : draw(st.integers(1, 3))
        ]
        + columns
    )
    columns = list(dict.fromkeys(columns))
    style = draw(st.sampled_from(["canon", "vi", "plain"]))
    headers = [c if style == "canon" else VI_HEADERS[kind][c] if style == "vi" else MAKE.plain(VI_HEADERS[kind][c])
               for c in columns]  # fmt: skip
    if draw(st.booleans()):
        headers.append(draw(TEXT))
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = [draw(PLAUSIBLE.get(c, NUMBERS if c.endswith(("_musd", "_pct", "_pp")) else TEXT)) for c in columns]
        if draw(st.integers(0, 9)) == 0:
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        rows.append(row)
    return headers, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        plausible_tables(),
        st.tuples(st.lists(st.one_of(st.sampled_from(HEADERS), TEXT), min_size=1, max_size=6),
                  st.lists(st.lists(CELLS, max_size=7), max_size=6)),
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "xlsx"]),
    st.sampled_from([",", ";", "\t"]),
)  # fmt: skip
def test_random_tables_never_raise(table, how, delimiter):
    headers, rows = table
    name, data = _serialise(headers, rows, how, delimiter)
    result = plan_with_upload(PLAN, name, data)
    assert_contract(result)
    assert not any(p.code == "unreadable" for p in result[1])  # no bug hidden by the last resort


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(list(SECTOR_COLUMNS) + list(ACTUAL_COLUMNS) + ["x"]), min_size=1, max_size=6, unique=True),
    st.lists(st.lists(st.one_of(CELLS, st.none(), st.floats(), st.integers(), st.booleans()), min_size=6, max_size=6),
             max_size=5),
    st.booleans(),
)  # fmt: skip
def test_random_edited_tables_never_raise(columns, rows, as_sectors):
    frame = pd.DataFrame([r[: len(columns)] for r in rows], columns=columns)
    result = plan_with_tables(PLAN, frame, None) if as_sectors else plan_with_tables(PLAN, None, frame)
    assert_contract(result)


def test_an_upload_a_dataset_could_not_hold_is_refused_before_it_is_worked_on():
    # 40 sectors with every text cell at its limit: each cell is allowed, the whole is not
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SECTOR_COLUMNS)
    text = "ghi chú dài " * 200
    for i in range(40):
        writer.writerow([f"s{i}", f"Ngành {i}", f"Sector {i}", "10", "official", text[:2000], text[:2000], "5",
                         "official", text[:2000], text[:2000], "5", "official", text[:2000], text[:2000]])  # fmt: skip
    plan, problems = plan_with_upload(model.load_plan(), "sectors.csv", out.getvalue().encode())
    assert plan is None and [p.code for p in problems] == ["plan_too_large"]
    assert "Bộ dữ liệu quá lớn" in describe(problems[0], "vi") and "256 KB" in describe(problems[0], "vi")
    fewer, problems = plan_with_upload(
        model.load_plan(), "sectors.csv", out.getvalue().encode()[: 200 * 1024].rsplit(b"\n", 1)[0]
    )
    assert problems == [] and fewer is not None, "a smaller one is taken"
