"""A user's own figures: reading an uploaded CSV or Excel file as data only, and templates.

Pure Python (no Streamlit). Every problem comes back as a `Problem` (see model/plan.py);
ui/problems.py words it in Vietnamese or English. A file's faults are problems; an
exception inside the parser is a bug, which users see as Problem("unreadable") and the
tests see raised (RAISE_INTERNAL_ERRORS).

Work is bounded. A file is read within MAX_UPLOAD_BYTES, MAX_ROWS data rows (and
_MAX_RECORDS rows in all), MAX_COLUMNS columns holding values, MAX_CELLS workbook cells and
PARSE_SECONDS of CPU time; going over any of them stops the reading with a problem naming
the limit. A caller may also stop it early (`cancelled`, e.g. when the session has closed).

Row numbers. For an uploaded file, `Problem.row` is the *spreadsheet row number* as Excel
shows it: the header is on its own row (row 1 in a plain file) and the first data row is
row 2, so "dòng 3" is the third row on screen. (Blank rows and title rows above the
header keep their numbers.) For tables edited in the app (`plan_with_tables`) there is no
header row: `row` is the 1-based position of the row in the table.

Columns. Headers may be the canonical English names of model/plan.py (SECTOR_COLUMNS,
ACTUAL_COLUMNS) or the Vietnamese template headers of VI_HEADERS, with or without
diacritics, in any case and spacing, with or without the unit in brackets. Problems about
a known column carry its canonical name; the UI shows the header in the user's language.

Numbers accept the Vietnamese (1.234,5) and English (1,234.5) conventions, spaces as
thousands separators (1 234,5) and a trailing percent sign (12,8%). A number that reads
differently in the two conventions ("1,234", "2.427") takes the convention the rest of the
file shows (or the delimiter suggests: ';' is what Excel writes in vi-VN); when nothing
decides, it is reported as `ambiguous_number` rather than guessed.

Data only. Excel files are streamed part by part (model/xlsx.py), nothing evaluated: a cell holding
a formula is reported (`excel_formula`, with its row, column and formula) rather than
read; a text cell that merely starts with '=' is text. A workbook must have one sheet with
data (empty extra sheets, which older Excel versions add, are ignored). Text cells come out
NFC-normalised, trimmed, without control characters, and with the quote that
`neutralise_cell` adds removed again, so template -> upload gives back the same plan.

Problem codes produced here (besides those of model/plan.py): see PROBLEM_CODES.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pandas as pd

from model.plan import (
    ACTUAL_COLUMNS,
    MAX_ACTUALS,
    MAX_PLAN_BYTES,
    SECTOR_COLUMNS,
    SECTOR_ID_PATTERN,
    STATUSES,
    TOTAL,
    Actual,
    Plan,
    Problem,
    Sector,
    actuals_from_frame,
    plan_json,
    sectors_from_frame,
)  # fmt: skip
from model.xlsx import Damaged, Deadline, Limit, Limits, read_sheets
from model.xlsx import column_letter as _letter

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = MAX_ACTUALS  # data rows: no more than a plan can hold (a dozen sectors, a few actuals a year)
MAX_COLUMNS = 100  # a value in a column beyond this is refused (empty cells there are ignored)
MAX_EXCEL_UNPACKED = 40 * 1024 * 1024  # an .xlsx is a zip: its unpacked size is capped too
MAX_CELLS = 300_000  # cells of a workbook, empty formatted ones and shared strings included
PARSE_SECONDS = 3.0  # reading one upload; a real table takes a small fraction of it
# Set by the tests: an exception inside the parser is raised, not worded as "unreadable".
RAISE_INTERNAL_ERRORS = False

TEXT_TYPES = (".csv", ".txt", ".tsv")
EXCEL_TYPES = (".xlsx",)
KINDS = ("sectors", "actuals")

# Upload problem codes (model/plan.py adds: not_a_number, bad_status, missing_column, no_rows,
# bad_sector_id, name_hidden_chars, name_unreadable, name_too_long, duplicate_sector, negative,
# value_too_large, growth_out_of_range, volatility_out_of_range, zero_total, unknown_sector,
# bad_year, duplicate_year).
PROBLEM_CODES = (
    "empty_file",  # no bytes, or only blanks
    "too_large",  # value: the size in bytes (limit MAX_UPLOAD_BYTES)
    "excel_too_large",  # value: the unpacked size in bytes (limit MAX_EXCEL_UNPACKED)
    "unsupported_type",  # value: the extension (".xls", ".xlsm", "" ...)
    "not_a_table",  # binary, PDF, image, prose; value: what it looks like, when known
    "excel_formula",  # row, column, value: the formula
    "excel_several_sheets",  # value: the names of the sheets with data
    "too_many_rows",  # value: the limit (MAX_ROWS)
    "too_many_columns",  # row, column: the first value beyond the limit; value: the limit (MAX_COLUMNS)
    "too_many_cells",  # value: the limit (MAX_CELLS)
    "parse_timeout",  # value: the time allowed in seconds (PARSE_SECONDS)
    "cancelled",  # the caller no longer wanted the result (its session closed)
    "text_too_long",  # row: a CSV record with a cell over the csv module's 128 K characters
    "no_rows",  # a header and no data row
    "wrong_columns",  # value: the headers found
    "duplicate_column",  # column: canonical name; value: the second header mapped to it
    "not_a_number",  # row, column, value
    "ambiguous_number",  # row, column, value ("1,234": 1234 or 1.234?)
    "sector_in_use",  # value: a sector id that actuals still use but the new table lacks
    "plan_too_large",  # value: the new plan's size in bytes, over what a dataset holds (MAX_PLAN_BYTES)
    "unreadable",  # value: what is damaged in a workbook, or the exception's type name (the last resort)
)

# The Vietnamese template headers, one per canonical column.
VI_HEADERS: dict[str, dict[str, str]] = {
    "sectors": {
        "id": "Mã ngành",
        "name_vi": "Tên ngành",
        "name_en": "Tên tiếng Anh",
        "base_musd": "Giá trị năm gốc (triệu USD)",
        "base_status": "Trạng thái giá trị gốc",
        "base_source": "Nguồn giá trị gốc",
        "base_note": "Ghi chú giá trị gốc",
        "growth_pct": "Tăng trưởng (%/năm)",
        "growth_status": "Trạng thái tăng trưởng",
        "growth_source": "Nguồn tăng trưởng",
        "growth_note": "Ghi chú tăng trưởng",
        "volatility_pp": "Độ biến động (điểm %)",
        "volatility_status": "Trạng thái độ biến động",
        "volatility_source": "Nguồn độ biến động",
        "volatility_note": "Ghi chú độ biến động",
    },
    "actuals": {
        "year": "Năm",
        "sector": "Ngành",
        "value_musd": "Giá trị (triệu USD)",
        "status": "Trạng thái",
        "source": "Nguồn",
        "note": "Ghi chú",
        "bound": "Cận (trên/dưới)",
    },
}
COLUMNS: dict[str, tuple[str, ...]] = {"sectors": SECTOR_COLUMNS, "actuals": ACTUAL_COLUMNS}
REQUIRED: dict[str, tuple[str, ...]] = {"sectors": ("id", "base_musd", "growth_pct"), "actuals": ("year", "value_musd")}
NUMERIC: dict[str, tuple[str, ...]] = {
    "sectors": ("base_musd", "growth_pct", "volatility_pp"),
    "actuals": ("year", "value_musd"),
}
STATUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "sectors": ("base_status", "growth_status", "volatility_status"),
    "actuals": ("status",),
}
STATUS_VI = {
    "official": "chính thức", "draft": "dự thảo", "estimate": "ước tính", "derived": "suy ra",
    "proxy": "đại diện", "assumption": "giả định",
}  # fmt: skip
BOUND_VI = {"": "", "upper": "cận trên", "lower": "cận dưới"}
TOTAL_VI = "tổng"

_STATUS_EXTRA = {"tinh toan": "derived", "uoc": "estimate", "uoc thuc hien": "estimate", "gia thiet": "assumption"}
_TOTAL_WORDS = ("total", "tong", "tong cong", "tong so", "toan tinh", "ca tinh")
_NEUTRALISE = ("=", "+", "-", "@", "\t", "\r")
_MAGIC = (
    (b"%PDF", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
    (b"PK\x03\x04", "ZIP"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"), (b"{\\rtf", "RTF"),
)  # fmt: skip
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_MAX_RECORDS = 20 * MAX_ROWS  # rows read, blank ones included: stop long before time or memory matter
_EXCEL_LIMITS = Limits(rows=MAX_ROWS, columns=MAX_COLUMNS, records=_MAX_RECORDS, cells=MAX_CELLS)
MAX_RAW_CHARS = 80  # of a damaged workbook's description


# --- small helpers ------------------------------------------------------------------------


def neutralise_cell(value):
    """A cell safe to put in a spreadsheet export: text starting with = + - @ (or a tab or
    carriage return) gets a leading single quote so that no spreadsheet runs it as a formula.

    Text that already starts with quotes before such a character gets one more, so that
    `unneutralise_cell` restores every text exactly. Non-text values are returned as they are.
    """
    if not isinstance(value, str):
        return value
    if value.lstrip("'")[:1] in _NEUTRALISE:
        return "'" + value
    return value


def unneutralise_cell(text: str) -> str:
    """The inverse of `neutralise_cell` for text read back from a file."""
    if text.startswith("'") and text.lstrip("'")[:1] in _NEUTRALISE:
        return text[1:]
    return text


def header_key(text: str) -> str:
    """A header (or a status word) reduced for matching: no diacritics, đ→d, lowercase,
    every run of other characters than a-z, 0-9 and % turned into one space."""
    text = unicodedata.normalize("NFD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(str.maketrans("đĐðÐ", "dDdD")).lower()
    return " ".join(re.findall(r"[a-z0-9%]+", text))


def _without_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(text))


def _keys(text: str) -> list[str]:
    return [k for k in (header_key(text), header_key(_without_brackets(text))) if k]


def _build_aliases(kind: str) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for canon in COLUMNS[kind]:
        for name in (canon, VI_HEADERS[kind][canon]):
            for key in _keys(name):
                aliases.setdefault(key, canon)
    return aliases


_ALIASES = {kind: _build_aliases(kind) for kind in KINDS}
_STATUS_ALIASES = {
    **{header_key(s): s for s in STATUSES},
    **{header_key(v): s for s, v in STATUS_VI.items()},
    **_STATUS_EXTRA,
}
_BOUND_ALIASES = {
    **{header_key(v): k for k, v in BOUND_VI.items() if v},
    "tren": "upper", "duoi": "lower", "upper bound": "upper", "lower bound": "lower", "at most": "upper",
    "at least": "lower", "toi da": "upper", "toi thieu": "lower",
}  # fmt: skip


def canonical_column(header: str, kind: str) -> str | None:
    """The canonical column a header stands for in a table of `kind`, or None."""
    for key in _keys(header):
        if key in _ALIASES[kind]:
            return _ALIASES[kind][key]
    return None


def _display(value) -> str:
    """A cell as the text a user would recognise (numbers without a needless '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value
    return str(value)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\ufeff\u200b]")


def _clean_text(text: str) -> str:
    """A text cell: NFC, no control characters (nor BOM, zero-width space), trimmed."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    return unneutralise_cell(text)


def _filled(value) -> bool:
    return not (isinstance(value, str) and not value.strip()) and value is not None


def _file_name(filename: str) -> str:
    return str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


# --- numbers --------------------------------------------------------------------------------

_AMBIGUOUS = object()
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})


def _reading(s: str, thousands: str, decimal: str) -> float | None:
    t, d = re.escape(thousands), re.escape(decimal)
    if (
        re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{t}[0-9]{{3}})+(?:{d}[0-9]+)?", s)
        or re.fullmatch(rf"[0-9]+(?:{d}[0-9]+)?", s)
        or re.fullmatch(rf"{d}[0-9]+", s)
    ):
        return float(s.replace(thousands, "").replace(decimal, "."))
    return None


def _readings(text: str) -> tuple[float | None, float | None]:
    """The value of a number written in the English and in the Vietnamese convention
    (None where it is not a number in that convention)."""
    s = text.translate(_SPACES).strip()
    if s.endswith("%"):
        s = s[:-1].rstrip()
    sign = 1.0
    if s[:1] in ("+", "-", "\u2212"):
        sign, s = (1.0 if s[0] == "+" else -1.0), s[1:]
    if " " in s:
        if not re.fullmatch(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:[.,][0-9]+)?", s):
            return None, None
        s = s.replace(" ", "")
    if m := re.fullmatch(r"([0-9]+(?:[.,][0-9]+)?)[eE]([+-]?[0-9]{1,3})", s):
        value = _finite(float(m.group(1).replace(",", ".") + "e" + m.group(2)), sign)
        return value, value
    en, vi = _reading(s, ",", "."), _reading(s, ".", ",")
    return _finite(en, sign), _finite(vi, sign)


def _finite(value: float | None, sign: float) -> float | None:
    return None if value is None or not math.isfinite(value) else sign * value


def _evidence(text: str) -> str | None:
    en, vi = _readings(text)
    if en is not None and vi is None:
        return "en"
    if vi is not None and en is None:
        return "vi"
    return None


def number_convention(texts, delimiter: str | None = None) -> str | None:
    """'vi' or 'en' when the numbers of a file settle it (or the delimiter hints it), else None."""
    seen = {_evidence(t) for t in texts}
    if "vi" in seen and "en" not in seen:
        return "vi"
    if "en" in seen and "vi" not in seen:
        return "en"
    if not seen - {None}:
        return {";": "vi", ",": "en"}.get(delimiter or "")
    return None


def parse_number(text: str, convention: str | None = None, integer_if_unsure: bool = False):
    """A number typed by a person: a float, None when it is not a number, or `_AMBIGUOUS`
    when the two conventions read it differently and `convention` does not settle it."""
    en, vi = _readings(text)
    if en is None and vi is None:
        return None
    if en is None or vi is None or en == vi:
        value = en if vi is None else vi
    elif convention in ("en", "vi"):
        value = en if convention == "en" else vi
    elif integer_if_unsure and (en == int(en)) != (vi == int(vi)):
        value = en if en == int(en) else vi
    else:
        return _AMBIGUOUS
    return value


def format_number(value: float | int, lang: str = "en") -> str:
    """A figure as exact text for a CSV template: no thousands separator, '.' (en) or ','
    (vi) as decimal mark, and never a string the other convention would read differently."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = format(Decimal(repr(float(value))).normalize(), "f")
    if re.fullmatch(r"-?[1-9][0-9]{0,2}\.[0-9]{3}", text):
        text += "0"  # "1.234" could be read as 1234; "1.2340" cannot
    return text.replace(".", ",") if lang == "vi" else text


# --- reading a file into a table ----------------------------------------------------------------


@dataclass
class _Table:
    frame: pd.DataFrame  # index: spreadsheet row numbers; cells: str, or int/float from Excel
    delimiter: str | None  # None for Excel
    header_row: int


def _guard(filename, function, *args):
    """Call `function`; any exception becomes Problem('unreadable'), the users' last resort.

    An exception here is a bug, not a property of the file (limits, damaged workbooks and
    unreadable text have their own problems): with RAISE_INTERNAL_ERRORS set, as the tests
    set it, it is raised instead, so that no test can pass by hiding one.
    """
    try:
        return function(*args)
    except Exception as exc:
        if RAISE_INTERNAL_ERRORS:
            raise
        file = _file_name(filename) if isinstance(filename, str) else ""
        return None, [Problem("unreadable", file, None, "", type(exc).__name__)]


def parse_table(
    filename: str, data: bytes, cancelled: Callable[[], bool] | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read an uploaded CSV/TXT/TSV or XLSX file as data only.

    Returns the table — columns the header texts as written (NFC), index the spreadsheet
    row number of each data row, every cell a string — and no problems; or None and the
    problems (empty_file, too_large, unsupported_type, not_a_table, excel_formula,
    excel_several_sheets, too_many_rows, too_many_columns, too_many_cells, parse_timeout,
    no_rows, unreadable ...). Reading stops after PARSE_SECONDS, or as soon as
    `cancelled()` is true (checked as often as the time).
    """
    table, problems = _guard(filename, _read, filename, data, Deadline(PARSE_SECONDS, cancelled))
    if table is None:
        return None, problems
    return table.frame.map(_display), problems


def _read(filename: str, data: bytes, deadline: Deadline) -> tuple[_Table | None, list[Problem]]:
    file = _file_name(filename)
    try:
        return _read_file(file, bytes(data or b""), deadline)
    except Limit as limit:
        column = _letter(limit.column) if limit.column is not None else ""
        return None, [Problem(limit.code, file, limit.row, column, limit.value)]


def _read_file(file: str, data: bytes, deadline: Deadline) -> tuple[_Table | None, list[Problem]]:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return None, [Problem("empty_file", file)]
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [Problem("too_large", file, None, "", str(len(data)))]
    ext = _extension(file)
    if ext in EXCEL_TYPES:
        return _read_excel(file, data, deadline)
    if ext not in TEXT_TYPES:
        return None, [Problem("unsupported_type", file, None, "", ext)]
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return None, [Problem("not_a_table", file, None, "", name)]
    return _read_text(file, data, deadline)


def _decode(data: bytes) -> str | None:
    """Text from bytes: BOMs first (UTF-32, UTF-8, UTF-16), then strict UTF-8, then UTF-16
    without a BOM (ASCII-heavy text with every other byte zero), then Windows-1258."""
    attempts: list[tuple[bytes, str]] = []
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        attempts.append((data, "utf-32"))
    if data.startswith(codecs.BOM_UTF8):
        attempts.append((data, "utf-8-sig"))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        attempts.append((data, "utf-16"))
    else:
        attempts.append((data, "utf-8"))
        if len(data) >= 4 and len(data) % 2 == 0 and b"\x00" in data:
            even, odd = data[0::2], data[1::2]
            if odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
                attempts.append((data, "utf-16-le"))
            elif even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
                attempts.append((data, "utf-16-be"))
        attempts.append((data, "cp1258"))
    for raw, encoding in attempts:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, UnicodeError):
            continue
    return None


def _looks_binary(text: str) -> bool:
    """Binary data decoded as text: a NUL, or more than a few stray control characters."""
    if "\x00" in text:
        return True
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def _sniff(text: str) -> str:
    """The delimiter (',', ';' or tab) that splits the first records most consistently."""
    best, best_score = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
            widths = []
            for cells in reader:
                if len(cells) > 1 or any(c.strip() for c in cells):
                    widths.append(len(cells))
                if len(widths) >= 50:
                    break
        except csv.Error:
            continue
        wide = [w for w in widths if w >= 2]
        if not wide:
            continue
        mode = max(set(wide), key=lambda w: (wide.count(w), w))
        score = wide.count(mode) * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(file: str, data: bytes, deadline: Deadline) -> tuple[_Table | None, list[Problem]]:
    text = _decode(data)
    if text is None or _looks_binary(text):
        return None, [Problem("not_a_table", file)]
    text = unicodedata.normalize("NFC", text.rstrip("\x1a")).lstrip("\ufeff")
    if not text.strip():
        return None, [Problem("empty_file", file)]
    delimiter, first_row = None, 1
    if m := re.match(r"sep=(.)[ \t]*(\r\n|\n|\r)", text):  # Excel's delimiter line, not shown as a row
        delimiter, text = m.group(1), text[m.end() :]
    delimiter = delimiter or _sniff(text)
    rows: list[tuple[int, list]] = []
    number = first_row - 1
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, cells in enumerate(reader, start=first_row):
            if number % 1024 == 1:  # the first record and every 1,024th
                deadline.check()
            if number > _MAX_RECORDS or len(rows) > MAX_ROWS + 10:
                return None, [Problem("too_many_rows", file, None, "", str(MAX_ROWS))]
            if any(c.strip() for c in cells):
                _check_width(cells, number)
                rows.append((number, [_clean_text(c) for c in cells[:MAX_COLUMNS]]))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # one cell of more than 128 K characters
            return None, [Problem("text_too_long", file, number + 1, "", "")]
        return None, [Problem("not_a_table", file)]
    return _build(file, rows, delimiter, [])


def _check_width(cells: list[str], number: int) -> None:
    """A filled cell beyond MAX_COLUMNS stops the reading (empty ones are ignored)."""
    for j in range(MAX_COLUMNS, len(cells)):
        if cells[j].strip():
            raise Limit("too_many_columns", number, j, str(MAX_COLUMNS))


def _read_excel(file: str, data: bytes, deadline: Deadline) -> tuple[_Table | None, list[Problem]]:
    if data.startswith(_OLE2):
        return None, [Problem("unsupported_type", file, None, "", ".xls")]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        kind = next((name for magic, name in _MAGIC if data.startswith(magic)), "")
        return None, [Problem("not_a_table", file, None, "", kind)]
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_EXCEL_UNPACKED:
        return None, [Problem("excel_too_large", file, None, "", str(unpacked))]
    names = {i.filename for i in infos}
    if not any(n.startswith("xl/") for n in names):
        return None, [Problem("not_a_table", file, None, "", "ZIP")]
    if "xl/vbaProject.bin" in names:
        return None, [Problem("unsupported_type", file, None, "", ".xlsm")]
    try:
        sheets = read_sheets(data, _EXCEL_LIMITS, deadline, _excel_value, _filled)
    except Damaged as exc:  # a damaged workbook: the user's file, not a bug here
        return None, [Problem("unreadable", file, None, "", str(exc)[:MAX_RAW_CHARS])]
    if not sheets:
        return None, [Problem("empty_file", file)]
    if len(sheets) > 1:
        return None, [Problem("excel_several_sheets", file, None, "", ", ".join(s.name for s in sheets))]
    return _build(file, sheets[0].rows, None, sheets[0].formulas)


def _excel_value(value, number_format: str):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if "%" in str(number_format or ""):  # 12,8% typed in Excel is stored as 0.128
            return float(f"{value * 100:.12g}")
        return value
    if isinstance(value, str):
        return _clean_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _clean_text(str(value))


def _known_headers(cells: list) -> int:
    return sum(
        1 for c in cells if isinstance(c, str) and any(canonical_column(c, kind) for kind in KINDS)
    )  # fmt: skip


def _build(
    file: str, rows: list[tuple[int, list]], delimiter: str | None, formulas: list[tuple[int, int, str]]
) -> tuple[_Table | None, list[Problem]]:
    """Header, data rows and checks common to text and Excel files (rows: non-empty only)."""
    if not rows:
        return None, [Problem("empty_file", file)]
    # The header is the first row naming at least two known columns (title rows above it are
    # skipped), or else the first non-empty row.
    at = next((i for i, (_, cells) in enumerate(rows[:10]) if _known_headers(cells) >= 2), 0)
    header_row, header = rows[at]
    data = rows[at + 1 :]
    width = max(len(cells) for _, cells in rows[at:])
    names = [_display(header[j]).strip() if j < len(header) else "" for j in range(width)]
    if formulas:
        return None, [Problem("excel_formula", file, r, _column_name(names, j), text) for r, j, text in formulas]
    keep = [j for j in range(width) if names[j] or any(j < len(c) and _filled(c[j]) for _, c in data)]
    named = [j for j in keep if names[j]]
    if len(named) < 2:
        return None, [Problem("not_a_table", file)]
    if not _known_headers(names):
        # Headers nobody knows: a table with the wrong columns, or prose split at its commas.
        same = sum(1 for _, cells in data if len([c for c in cells if _filled(c)]) >= 2)
        if data and same < len(data) / 2:
            return None, [Problem("not_a_table", file)]
    if not data:
        return None, [Problem("no_rows", file)]
    if len(data) > MAX_ROWS:
        return None, [Problem("too_many_rows", file, None, "", str(MAX_ROWS))]
    columns = [names[j] or _letter(j) for j in keep]
    body = [[cells[j] if j < len(cells) else "" for j in keep] for _, cells in data]
    frame = pd.DataFrame(body, columns=columns, index=pd.Index([n for n, _ in data], dtype="int64"), dtype=object)
    return _Table(frame, delimiter, header_row), []


def _column_name(names: list[str], j: int) -> str:
    """A column for a problem: its canonical name when the header is known, else the header
    as written, else the spreadsheet letter."""
    name = names[j] if j < len(names) else ""
    if not name:
        return _letter(j)
    return next((c for kind in KINDS if (c := canonical_column(name, kind))), name)


# --- what the table is, and into the plan ------------------------------------------------------


def _match(headers: list, kind: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """canonical column -> position of its header, and (canonical, header) for duplicates."""
    mapping: dict[str, int] = {}
    duplicates: list[tuple[str, str]] = []
    for pos, header in enumerate(headers):
        canon = canonical_column(_display(header), kind)
        if canon is None:
            continue
        if canon in mapping:
            duplicates.append((canon, _display(header)))
        else:
            mapping[canon] = pos
    return mapping, duplicates


def detect_kind(frame: pd.DataFrame | None) -> str | None:
    """'sectors' or 'actuals' from a table's headers (canonical or Vietnamese), or None."""
    if frame is None:
        return None
    headers = list(frame.columns)
    scores = {}
    for kind in KINDS:
        mapping, _ = _match(headers, kind)
        scores[kind] = (sum(1 for c in REQUIRED[kind] if c in mapping), len(mapping))
    best = max(KINDS, key=lambda k: scores[k])
    others = [k for k in KINDS if k != best]
    if scores[best][0] == 0 or any(scores[k] == scores[best] for k in others):
        return None
    return best


def _cell(value):
    """A cell of a table edited in the app: str, float, or '' for a blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value
    try:
        return float(value)  # numpy numbers
    except (TypeError, ValueError):
        return _clean_text(str(value))


@dataclass
class _Canonical:
    frame: pd.DataFrame  # canonical columns only, positional index
    rows: list[int]  # the row number to report for each position
    raw: dict[tuple[int, str], str]  # (1-based position, column) -> the cell as written
    mine: set[tuple[int, str]]  # cells this module already reported
    problems: list[Problem]


def _canonical(
    frame: pd.DataFrame, rows: list[int], kind: str, file: str, delimiter: str | None, sectors: tuple[Sector, ...]
) -> _Canonical:
    mapping, duplicates = _match(list(frame.columns), kind)
    problems = [Problem("duplicate_column", file, None, canon, header) for canon, header in duplicates]
    columns: dict[str, list[Any]] = {c: frame.iloc[:, pos].tolist() for c, pos in mapping.items()}
    raw: dict[tuple[int, str], str] = {}
    mine: set[tuple[int, str]] = set()
    numeric = [c for c in NUMERIC[kind] if c in columns]
    convention = number_convention([v for c in numeric for v in columns[c] if isinstance(v, str) and v], delimiter)
    for c in numeric:
        values: list[Any] = []
        for i, v in enumerate(columns[c], start=1):
            if isinstance(v, str):
                if not v:
                    values.append("")
                    continue
                raw[(i, c)] = v
                n = parse_number(v, convention, integer_if_unsure=c == "year")
                if n is None or n is _AMBIGUOUS:
                    code = "not_a_number" if n is None else "ambiguous_number"
                    problems.append(Problem(code, file, rows[i - 1], c, v))
                    mine.add((i, c))
                    values.append("")
                else:
                    values.append(n)
            else:
                raw[(i, c)] = _display(v)
                try:
                    values.append(float(v))
                except (OverflowError, TypeError, ValueError):
                    problems.append(Problem("not_a_number", file, rows[i - 1], c, _display(v)))
                    mine.add((i, c))
                    values.append("")
        columns[c] = values
    for c in STATUS_COLUMNS[kind]:
        if c in columns:
            columns[c] = [_STATUS_ALIASES.get(header_key(_display(v)), _display(v)) for v in columns[c]]
    if kind == "actuals" and "sector" in columns:
        columns["sector"] = [_sector_id(_display(v), sectors) for v in columns["sector"]]
    if kind == "actuals" and "bound" in columns:
        columns["bound"] = [_BOUND_ALIASES.get(header_key(_display(v)), _display(v)) for v in columns["bound"]]
    for c in columns:
        if c not in numeric and c not in STATUS_COLUMNS[kind] and c not in ("sector", "bound"):
            columns[c] = [_display(v) for v in columns[c]]
    canon = pd.DataFrame(columns, index=range(len(rows)), columns=list(columns), dtype=object)
    return _Canonical(canon, rows, raw, mine, problems)


def _sector_id(text: str, sectors: tuple[Sector, ...]) -> str:
    """A sector cell of an actuals table: a sector id, 'total', or the text unchanged."""
    key = header_key(text)
    if not text or key in _TOTAL_WORDS:
        return TOTAL if text else ""
    for s in sectors:
        if text == s.id:
            return s.id
    for s in sectors:
        if key in (header_key(s.id), header_key(s.name_vi), header_key(s.name_en)):
            return s.id
    return text


def _finish(c: _Canonical, found: list[Problem]) -> list[Problem]:
    """The validator's problems in the file's terms: spreadsheet rows, the cells as written,
    and no second report for a cell already reported here."""
    out = list(c.problems)
    for p in found:
        if p.row is not None and (p.row, p.column) in c.mine:
            continue
        if p.row is not None:
            value = c.raw.get((p.row, p.column), p.value)
            row = c.rows[p.row - 1] if 0 < p.row <= len(c.rows) else p.row
            p = replace(p, row=row, value=value)
        out.append(p)
    return sorted(out, key=lambda p: p.row or 0)


def _sectors(c: _Canonical, file: str) -> tuple[tuple[Sector, ...], list[Problem], set[str] | None]:
    items, found = sectors_from_frame(c.frame, file)
    ids = {str(v).strip() for v in c.frame["id"]} if "id" in c.frame.columns else None
    return items, _finish(c, found), ids


def _actuals(c: _Canonical, file: str, sector_ids, base_year: int) -> tuple[tuple[Actual, ...], list[Problem]]:
    items, found = actuals_from_frame(c.frame, tuple(sector_ids), base_year, file)
    return items, _finish(c, found)


def _in_use(actuals: tuple[Actual, ...], ids: set[str] | None, file: str) -> list[Problem]:
    if ids is None:  # no id column: already reported as missing
        return []
    used = sorted({a.sector for a in actuals if a.sector != TOTAL and a.sector not in ids})
    return [Problem("sector_in_use", file, None, "id", sid) for sid in used]


def plan_with_upload(
    plan: Plan, filename: str, data: bytes, cancelled: Callable[[], bool] | None = None
) -> tuple[Plan | None, list[Problem]]:
    """The plan with its sectors or its actuals replaced by an uploaded file's, or None and
    every problem found. Never a half-applied plan; never an exception. Reading stops
    after PARSE_SECONDS or when `cancelled()` is true (see `parse_table`)."""
    return _guard(filename, _plan_with_upload, plan, filename, data, Deadline(PARSE_SECONDS, cancelled))


def _plan_with_upload(plan: Plan, filename: str, data: bytes, deadline: Deadline) -> tuple[Plan | None, list[Problem]]:
    file = _file_name(filename)
    table, problems = _read(filename, data, deadline)
    if table is None:
        return None, problems
    kind = detect_kind(table.frame)
    if kind is None:
        found = ", ".join(str(h) for h in table.frame.columns)
        return None, [Problem("wrong_columns", file, table.header_row, "", found)]
    rows = [int(r) for r in table.frame.index]
    c = _canonical(table.frame, rows, kind, file, table.delimiter, plan.sectors)
    if kind == "sectors":
        sectors, problems, ids = _sectors(c, file)
        problems += _in_use(plan.actuals, ids, file)
        return (None, problems) if problems else _savable(replace(plan, sectors=sectors))
    actuals, problems = _actuals(c, file, plan.sector_ids, plan.base_year)
    return (None, problems) if problems else _savable(replace(plan, actuals=actuals))


def _savable(plan: Plan) -> tuple[Plan | None, list[Problem]]:
    """The plan, if a dataset can hold it: figures a user could work on but never save would
    be lost with the session (and a server keeps every session's plan in memory)."""
    size = len(plan_json(plan).encode("utf-8"))
    return (plan, []) if size <= MAX_PLAN_BYTES else (None, [Problem("plan_too_large", "", None, "", str(size))])


def plan_with_tables(
    plan: Plan, sectors: pd.DataFrame | None = None, actuals: pd.DataFrame | None = None
) -> tuple[Plan | None, list[Problem]]:
    """The plan with tables edited in the app (canonical columns; None = unchanged), or None
    and every problem (rows: 1-based positions in the table; file: ""). All or nothing."""
    return _guard("", _plan_with_tables, plan, "", sectors, actuals)


def _editor_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(frame)
    return pd.DataFrame(
        [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)],
        columns=[_display(c) for c in frame.columns], dtype=object,
    )  # fmt: skip


def _plan_with_tables(plan: Plan, file: str, sectors, actuals) -> tuple[Plan | None, list[Problem]]:
    problems: list[Problem] = []
    changes: dict = {}
    sector_items = plan.sectors
    ids: set[str] | None = set(plan.sector_ids)
    if sectors is not None:
        frame = _editor_frame(sectors)
        c = _canonical(frame, list(range(1, len(frame) + 1)), "sectors", file, None, plan.sectors)
        sector_items, found, ids = _sectors(c, file)
        problems += found
        changes["sectors"] = sector_items
        if actuals is None:
            problems += _in_use(plan.actuals, ids, file)
    if actuals is not None:
        frame = _editor_frame(actuals)
        known = sector_items if sectors is None or len(sector_items) else plan.sectors
        c = _canonical(frame, list(range(1, len(frame) + 1)), "actuals", file, None, known)
        usable = tuple(i for i in (ids or ()) if SECTOR_ID_PATTERN.match(i))
        actual_items, found = _actuals(c, file, usable, plan.base_year)
        problems += found
        changes["actuals"] = actual_items
    if problems:
        return None, problems
    return _savable(replace(plan, **changes))


# --- templates ----------------------------------------------------------------------------------


def template_table(plan: Plan, kind: str, lang: str = "vi") -> tuple[list[str], list[list]]:
    """Headers and rows of a template pre-filled with the plan's figures (numbers as numbers;
    statuses and the province total in the language of the headers)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    frame = plan.sectors_frame() if kind == "sectors" else plan.actuals_frame()
    columns = list(COLUMNS[kind])
    headers = [VI_HEADERS[kind][c] if lang == "vi" else c for c in columns]
    rows = []
    for rec in frame.to_dict("records"):
        row = []
        for c in columns:
            v = rec[c]
            if c in STATUS_COLUMNS[kind] and lang == "vi":
                v = STATUS_VI.get(v, v)
            elif c == "bound" and lang == "vi":
                v = BOUND_VI.get(v, v)
            elif c == "sector" and v == TOTAL and lang == "vi":
                v = TOTAL_VI
            elif c == "year":
                v = int(v)
            elif c in NUMERIC[kind]:
                v = float(v)
            row.append(v)
        rows.append(row)
    return headers, rows


def template_csv(plan: Plan, kind: str, lang: str = "vi") -> bytes:
    """A CSV template, UTF-8 with a BOM (so Excel reads the Vietnamese right).

    lang='vi': Vietnamese headers, ';' between cells and ',' as decimal mark (what Excel
    reads and writes in the vi-VN locale); lang='en': canonical headers, ',' and '.'.
    Text cells are neutralised (see `neutralise_cell`).
    """
    headers, rows = template_table(plan, kind, lang)
    numeric = {i for i, c in enumerate(COLUMNS[kind]) if c in NUMERIC[kind]}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "vi" else ",", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([format_number(v, lang) if i in numeric else neutralise_cell(v) for i, v in enumerate(row)])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(plan: Plan, kind: str, lang: str = "vi") -> bytes:
    """An Excel template: one sheet, bold header row, the plan's figures (numbers as numbers,
    text cells neutralised)."""
    import openpyxl
    from openpyxl.styles import Font

    headers, rows = template_table(plan, kind, lang)
    numeric = {i for i, c in enumerate(COLUMNS[kind]) if c in NUMERIC[kind]}
    book = openpyxl.Workbook()
    sheet = book.active
    titles = {("sectors", "vi"): "Ngành", ("actuals", "vi"): "Thực hiện"}
    sheet.title = titles.get((kind, lang), kind.capitalize())
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([v if i in numeric or not isinstance(v, str) else neutralise_cell(_CONTROL.sub("", v))
                      for i, v in enumerate(row)])  # fmt: skip
    for i, header in enumerate(headers):
        longest = max([len(header)] + [len(_display(r[i])) for r in rows])
        sheet.column_dimensions[_letter(i)].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
