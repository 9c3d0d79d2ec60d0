"""Make the upload corpus: good and malformed files a user might upload (tests/test_upload.py).

Run from the project root:  .venv/bin/python tests/corpus/make_corpus.py
It rewrites every file of the corpus in this folder. The expected outcome of each file is
in tests/test_upload.py (GOOD and BAD); the figures of the good files are SECTORS and ACTUALS here.
Only the file over the size limit is not stored (the test makes it).
"""

from __future__ import annotations

import csv
import io
import random
import re
import struct
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

# (id, name_vi, name_en, base_musd, growth_pct, volatility_pp, base_status, growth_status)
SECTORS = [
    ("textiles", "Dệt may", "Textiles & garments", 903.64, 12.8, 5.2, "derived", "derived"),
    ("footwear", "Da giày", "Footwear & leather", 325.53, 10.5, 11.7, "derived", "derived"),
    ("yarn", "Xơ, sợi dệt", "Fibres & yarn", 106.64, 12.8, 5.2, "derived", "assumption"),
    ("seafood", "Thủy sản", "Seafood", 19.22, 1.7, 10.0, "estimate", "derived"),
    ("handicraft", "Mây tre, cói, thảm", "Rattan, bamboo, sedge & carpets", 4.63, 10.5, 5.5, "derived", "assumption"),
    ("other", "Hàng hóa khác", "Other goods", 1234.56, 10.5, 5.5, "official", "assumption"),
]
# (year, sector, value_musd, status)
ACTUALS = [
    (2020, "total", 1638.9, "derived"),
    (2021, "total", 2138.33, "derived"),
    (2022, "total", 2427.0, "estimate"),
    (2022, "textiles", 1340.5, "estimate"),
    (2023, "total", 2690.58, "derived"),
    (2024, "total", 3000.0, "estimate"),
]

EN_SECTOR_HEADERS = ["id", "name_vi", "name_en", "base_musd", "base_status", "growth_pct", "growth_status",
                     "volatility_pp", "base_source", "base_note"]  # fmt: skip
VI_SECTOR_HEADERS = ["Mã ngành", "Tên ngành", "Tên tiếng Anh", "Giá trị năm gốc (triệu USD)",
                     "Trạng thái giá trị gốc", "Tăng trưởng (%/năm)", "Trạng thái tăng trưởng",
                     "Độ biến động (điểm %)", "Nguồn giá trị gốc", "Ghi chú giá trị gốc"]  # fmt: skip
PLAIN_SECTOR_HEADERS = ["MA NGANH", "ten_nganh", "Ten  tieng anh", "gia tri nam goc", "trang thai gia tri goc",
                        "Tang truong (%/nam)", "TRANG_THAI_TANG_TRUONG", "do bien dong (diem %)",
                        "nguon gia tri goc", "ghi chu gia tri goc"]  # fmt: skip
STATUS_VI = {"official": "chính thức", "estimate": "ước tính", "derived": "suy ra", "assumption": "giả định"}
NOTE = "Tỷ trọng 6 tháng đầu 2023, theo Cục Thống kê"


def plain(text: str) -> str:
    """Vietnamese without diacritics (as typed on a keyboard without a Vietnamese layout)."""
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")


def en_number(x: float, thousands: bool = False) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".") if thousands else repr(x).removesuffix(".0")


def vi_number(x: float, thousands: str = "") -> str:
    whole, _, frac = f"{x:.2f}".rstrip("0").rstrip(".").partition(".")
    if thousands:
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = thousands.join([whole, *groups])
    return whole + ("," + frac if frac else "")


def sector_rows(lang: str = "en", numbers=en_number, statuses: str = "en", growth_suffix: str = "") -> list[list]:
    rows = []
    for sid, name_vi, name_en, base, growth, vol, bst, gst in SECTORS:
        if lang == "plain":
            name_vi = plain(name_vi)
        status = (
            (lambda s: s)
            if statuses == "en"
            else (STATUS_VI.get if statuses == "vi" else (lambda s: plain(STATUS_VI[s])))
        )
        rows.append([sid, name_vi, name_en, numbers(base), status(bst), numbers(growth) + growth_suffix, status(gst),
                     numbers(vol), "S1;S2", NOTE])  # fmt: skip
    return rows


def to_csv(headers: list, rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters (with ^, breve, horn) plus
    combining tone marks where the code page has no precomposed letter."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = [m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m not in tones))
        out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


def xlsx(sheets: dict[str, list[list]], percent_column: int | None = None, formulas: tuple[str, ...] = ()) -> bytes:
    """A workbook; text starting with '=' stays text (a string cell) except in the cells
    named in `formulas`, which hold real formulas."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and cell.coordinate not in formulas:
                    cell.data_type = "s"
        if rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        if percent_column is not None:
            for row in sheet.iter_rows(min_row=2, min_col=percent_column, max_col=percent_column):
                for cell in row:
                    cell.number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return _reproducible(out.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The same workbook bytes on every run: fixed zip entry times and document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pdf() -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (Bao cao xuat khau Thai Binh) Tj ET"
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n"
        b"4 0 obj\n<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
    )
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def actual_rows(numbers=en_number, sector_total: str = "total", statuses: str = "en") -> list[list]:
    status = (lambda s: s) if statuses == "en" else STATUS_VI.get
    return [[year, sector_total if sector == "total" else sector, numbers(value), status(st), "S5", ""]
            for year, sector, value, st in ACTUALS]  # fmt: skip


def build() -> dict[str, bytes]:
    """Every corpus file: name -> bytes."""
    files: dict[str, bytes] = {}
    en_csv = to_csv(EN_SECTOR_HEADERS, sector_rows())
    vi_csv = to_csv(VI_SECTOR_HEADERS, sector_rows(statuses="vi"))

    # --- good files
    files["sectors_en.csv"] = en_csv.encode("utf-8")
    files["sectors_vi_diacritics.csv"] = vi_csv.encode("utf-8")
    files["sectors_vi_no_diacritics.csv"] = to_csv(
        PLAIN_SECTOR_HEADERS, sector_rows(lang="plain", statuses="plain")
    ).encode("utf-8")
    files["sectors_decimal_comma.csv"] = to_csv(
        VI_SECTOR_HEADERS, sector_rows(numbers=vi_number, statuses="vi", growth_suffix="%")
    ).encode("utf-8")
    files["sectors_semicolon.csv"] = to_csv(
        VI_SECTOR_HEADERS, sector_rows(numbers=lambda x: vi_number(x, "."), statuses="vi"), ";"
    ).encode("utf-8")
    files["sectors_utf8_bom.csv"] = vi_csv.encode("utf-8-sig")
    files["sectors_utf16.txt"] = to_csv(VI_SECTOR_HEADERS, sector_rows(statuses="vi"), "\t").encode("utf-16")
    files["sectors_utf16be.csv"] = b"\xfe\xff" + vi_csv.encode("utf-16-be")
    files["sectors_cp1258.csv"] = cp1258(vi_csv)
    files["actuals_thousands_en.csv"] = to_csv(
        ["year", "sector", "value_musd", "status", "source", "note"],
        actual_rows(numbers=lambda x: en_number(x, thousands=True)),
    ).encode("utf-8")
    files["actuals_thousands_vi.csv"] = to_csv(
        ["Năm", "Ngành", "Giá trị (triệu USD)", "Trạng thái", "Nguồn", "Ghi chú"],
        actual_rows(numbers=lambda x: vi_number(x, "." if x < 2500 else " "), sector_total="tổng", statuses="vi"),
        ";",
    ).encode("utf-8")
    xlsx_rows = [VI_SECTOR_HEADERS] + [
        [sid, vi, en, base, STATUS_VI[bst], growth / 100, STATUS_VI[gst], vol, "S1;S2", "= tỷ trọng × tổng"]
        for sid, vi, en, base, growth, vol, bst, gst in SECTORS
    ]  # growth typed as a percentage in Excel: 12,8% is stored as 0.128
    files["sectors_good.xlsx"] = xlsx({"Ngành": xlsx_rows, "Sheet2": []}, percent_column=6)

    # --- bad files
    files["wrong_columns.csv"] = "Họ và tên,Ngày sinh,Địa chỉ\r\nNguyễn Văn An,1990-01-01,Thái Bình\r\n".encode()
    drop = lambda headers, rows, name: (  # noqa: E731 - a table without one column
        [h for h in headers if h != name],
        [[c for h, c in zip(headers, r, strict=True) if h != name] for r in rows],
    )
    files["sectors_missing_growth.csv"] = to_csv(*drop(EN_SECTOR_HEADERS, sector_rows(), "growth_pct")).encode()
    files["sectors_missing_base.csv"] = to_csv(
        *drop(VI_SECTOR_HEADERS, sector_rows(statuses="vi"), "Giá trị năm gốc (triệu USD)")
    ).encode()
    rows = sector_rows()
    rows[1][3] = "-5"
    files["sectors_negative.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    rows[0][5], rows[2][3], rows[3][3] = "--5", "abc", ""
    files["sectors_not_a_number.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    rows[2][0] = "textiles"
    files["sectors_duplicate_id.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    rows[4][0] = "Mây tre"
    files["sectors_bad_id.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    rows[1][4] = "chắc chắn"
    files["sectors_bad_status.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    rows[0][5], rows[1][7] = "75", "80"
    files["sectors_out_of_range.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    rows = sector_rows()
    for row in rows:
        row[3] = "0"
    files["sectors_zero_total.csv"] = to_csv(EN_SECTOR_HEADERS, rows).encode()
    files["sectors_duplicate_column.csv"] = to_csv(
        ["id", *EN_SECTOR_HEADERS[1:], "Mã ngành"], [[*r, r[0]] for r in sector_rows()]
    ).encode()
    files["sectors_header_only.csv"] = to_csv(VI_SECTOR_HEADERS, []).encode("utf-8-sig")
    files["empty.csv"] = b""
    files["blank_lines.csv"] = b"\r\n   \r\n;;;\r\n"
    files["report_pdf.csv"] = pdf()
    files["report.pdf"] = pdf()
    files["chart_png.xlsx"] = png()
    files["chart_png.csv"] = png()
    files["junk.csv"] = random.Random(5).randbytes(3000)
    files["prose.txt"] = (
        "Kính gửi Sở Công Thương tỉnh Thái Bình\n\n"
        "Đề án phát triển xuất khẩu giai đoạn 2021–2025 đặt mục tiêu kim ngạch đạt 2,7 tỷ USD.\n"
        "Báo cáo này tóm tắt tình hình thực hiện trong năm qua.\n"
    ).encode()
    files["legacy.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files["legacy_renamed.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    files["macro.xlsm"] = xlsx({"Ngành": xlsx_rows})
    formula_rows = [list(r) for r in xlsx_rows]
    formula_rows[3][3] = "=D2*2"  # a real formula in D4 (base value of the third sector)
    files["sectors_formula.xlsx"] = xlsx({"Ngành": formula_rows}, percent_column=6, formulas=("D4",))
    files["sectors_two_sheets.xlsx"] = xlsx({"Ngành": xlsx_rows, "Ghi chú": [["Nguồn", "Cục Thống kê"]]})
    title_rows = [["Số thực tế xuất khẩu tỉnh Thái Bình"], [], ["Năm", "Ngành", "Giá trị (triệu USD)", "Trạng thái"]]
    title_rows += [[y, "tổng" if s == "total" else s, v, STATUS_VI[st]] for y, s, v, st in ACTUALS]
    title_rows[7][2] = -2690.58  # spreadsheet row 8: the 2023 total
    files["actuals_title_rows_negative.xlsx"] = xlsx({"Thực hiện": title_rows})
    files["actuals_ambiguous.tsv"] = (
        "Năm\tNgành\tGiá trị (triệu USD)\r\n2021\ttổng\t2.138\r\n2022\ttổng\t2,427\r\n".encode()
    )
    files["actuals_unknown_sector.csv"] = (
        "year,sector,value_musd\r\n2021,total,2138.33\r\n2022,Dệt may,1340.5\r\n2022,ships,20.5\r\n".encode()
    )
    files["actuals_duplicate_year.csv"] = b"year,sector,value_musd\r\n2021,total,2138.33\r\n2021,total,2140.5\r\n"
    files["actuals_bad_year.csv"] = b"year,sector,value_musd\r\n2015,total,1000.5\r\n2021.5,total,2138.33\r\n"
    return files


def main(folder: Path = HERE) -> None:
    for name, data in build().items():
        (folder / name).write_bytes(data)
    print(f"wrote {len(build())} files to {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
