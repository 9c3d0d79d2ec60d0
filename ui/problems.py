"""Problems with a plan, an upload or an edit, as one clear sentence in Vietnamese or English.

Pure text (no Streamlit): `describe(problem, lang)` names the file, the row (as the
spreadsheet shows it, see model/upload.py), the column (the Vietnamese template header
when lang='vi', the canonical English name otherwise) and the value. The page shows the
sentences as plain text, never as HTML.
"""

from __future__ import annotations

import math
import re

from model.plan import (
    GROWTH_RANGE,
    LIST_LIMITS,
    MAX_PLAN_BYTES,
    MAX_SECTORS,
    MAX_TEXT_CHARS,
    STATUSES,
    VOLATILITY_RANGE,
    Problem,
)
from model.upload import MAX_EXCEL_UNPACKED, MAX_UPLOAD_BYTES, REQUIRED, STATUS_VI, VI_HEADERS

MAX_VALUE_CHARS = 60  # longer cell values are cut in messages

# code -> (Vietnamese, English). Fields: {where} (file, row and column, capitalised when it
# starts the sentence), {file}, {row}, {column}, {value}, and the extras of _fields().
MESSAGES: dict[str, tuple[str, str]] = {
    # --- model/plan.py
    "not_a_number": ("{where}: “{value}” không phải là một số.", "{where}: “{value}” is not a number."),
    "not_a_number.empty": (
        "{where}: ô này đang trống, cần nhập một số.",
        "{where}: the cell is empty; a number is needed.",
    ),
    "bad_status": (
        "{where}: trạng thái “{value}” không hợp lệ; hãy dùng một trong: {statuses_vi}.",
        "{where}: the status “{value}” is not valid; use one of: {statuses_en}.",
    ),
    "missing_column": ("{file_cap} thiếu cột “{column}”.", "{file_cap} has no column “{column}”."),
    "no_rows": (
        "{file_cap} không có dòng số liệu nào (chỉ có dòng tiêu đề).",
        "{file_cap} has no data rows (only the header row).",
    ),
    "bad_sector_id": (
        "{where}: mã ngành “{value}” không hợp lệ; mã gồm chữ thường không dấu, chữ số hoặc dấu gạch dưới, "
        "bắt đầu bằng một chữ cái, tối đa 24 ký tự (ví dụ: textiles).",
        "{where}: the sector id “{value}” is not valid; use lowercase ASCII letters, digits or underscores, "
        "starting with a letter, 24 characters at most (e.g. textiles).",
    ),
    "duplicate_sector": (
        "{where}: mã ngành “{value}” trùng với một dòng phía trên.",
        "{where}: the sector id “{value}” repeats an earlier row.",
    ),
    "negative": (
        "{where}: giá trị “{value}” bị âm; giá trị xuất khẩu phải từ 0 trở lên.",
        "{where}: the value “{value}” is negative; an export value must be 0 or more.",
    ),
    "growth_out_of_range": (
        "{where}: tăng trưởng “{value}” nằm ngoài khoảng cho phép (từ {growth_low} đến {growth_high} %/năm).",
        "{where}: the growth “{value}” is outside the allowed range ({growth_low} to {growth_high}% a year).",
    ),
    "volatility_out_of_range": (
        "{where}: độ biến động “{value}” nằm ngoài khoảng cho phép (từ {vol_low} đến {vol_high} điểm %).",
        "{where}: the volatility “{value}” is outside the allowed range ({vol_low} to {vol_high} points).",
    ),
    "zero_total": (
        "Trong {file_lower}, tổng cột “{column}” của các ngành bằng 0; cần ít nhất một ngành có giá trị năm gốc "
        "lớn hơn 0.",
        "In {file_lower}, the column “{column}” adds up to 0; at least one sector needs a base value above 0.",
    ),
    "unknown_sector": (
        "{where}: ngành “{value}” không có trong bảng ngành của kế hoạch; hãy dùng mã ngành, "
        "hoặc “tổng” cho tổng toàn tỉnh.",
        "{where}: the sector “{value}” is not in the plan's sector table; use a sector id, "
        "or “total” for the province total.",
    ),
    "bad_year": (
        "{where}: năm “{value}” không hợp lệ; năm phải là số nguyên, từ năm gốc của kế hoạch đến 2100.",
        "{where}: the year “{value}” is not valid; a year is a whole number from the plan's base year to 2100.",
    ),
    "bad_bound": (
        "{where}: “{value}” không hợp lệ; để trống, hoặc ghi “cận trên” (số là mức tối đa) hay “cận dưới” (mức tối thiểu).",
        "{where}: “{value}” is not valid; leave it empty, or write “upper” (the value is at most) or “lower” (at least).",
    ),
    "duplicate_year": (
        "{where}: năm {value} đã có ở một dòng phía trên (cùng ngành).",
        "{where}: the year {value} repeats an earlier row (same sector).",
    ),
    "missing_field": ("{where}: thiếu giá trị bắt buộc.", "{where}: a required value is missing."),
    "bad_field": ("{where}: giá trị “{value}” không hợp lệ.", "{where}: the value “{value}” is not valid."),
    "bad_date": (
        "{where}: “{value}” không phải là một ngày hợp lệ; hãy viết theo dạng năm-tháng-ngày, ví dụ 2025-07-01.",
        "{where}: “{value}” is not a valid date; write it as year-month-day, e.g. 2025-07-01.",
    ),
    # --- limits (model/plan.py: a plan is user input, so its size is bounded)
    "too_many_items": (
        "{file_cap} có {count} {items_vi}; tối đa {item_limit} {items_vi}.",
        "{file_cap} has {count} {items_en}; at most {item_limit} are allowed.",
    ),
    "too_many_items.other": ("{file_cap} có quá nhiều mục ({count}).", "{file_cap} has too many items ({count})."),
    "text_too_long": (
        "{where}: nội dung dài quá {max_text} ký tự; hãy rút gọn.",
        "{where}: the text is longer than {max_text} characters; shorten it.",
    ),
    "plan_too_large": (
        "Bộ dữ liệu quá lớn ({size}); tối đa {plan_limit}.",
        "The dataset is too large ({size}); {plan_limit} at most.",
    ),
    # --- model/upload.py
    "empty_file": ("{file_cap} trống, không có dữ liệu.", "{file_cap} is empty."),
    "too_large": (
        "{file_cap} quá lớn ({size}); tệp tải lên tối đa {limit}.",
        "{file_cap} is too large ({size}); uploads are limited to {limit}.",
    ),
    "excel_too_large": (
        "{file_cap} chứa quá nhiều dữ liệu ({size} sau khi giải nén; tối đa {unpacked_limit}).",
        "{file_cap} holds too much data ({size} unpacked; {unpacked_limit} at most).",
    ),
    "unsupported_type": (
        "{file_cap} có định dạng “{value}” không được hỗ trợ; hãy tải lên tệp CSV (.csv) hoặc Excel (.xlsx).",
        "{file_cap} has the unsupported type “{value}”; upload a CSV (.csv) or Excel (.xlsx) file.",
    ),
    "unsupported_type.none": (
        "{file_cap} không có phần mở rộng; hãy tải lên tệp CSV (.csv) hoặc Excel (.xlsx).",
        "{file_cap} has no extension; upload a CSV (.csv) or Excel (.xlsx) file.",
    ),
    "not_a_table": (
        "{file_cap} không phải là một bảng số liệu{what_vi}; hãy tải lên tệp CSV (UTF-8, UTF-16 hoặc Windows-1258) "
        "hoặc Excel (.xlsx) có một dòng tiêu đề và các dòng số liệu.",
        "{file_cap} is not a table{what_en}; upload a CSV (UTF-8, UTF-16 or Windows-1258) or Excel (.xlsx) file "
        "with a header row and data rows.",
    ),
    "excel_formula": (
        "{where}: ô chứa công thức “{value}”; chỉ nhận số liệu, hãy sao chép và dán dưới dạng giá trị.",
        "{where}: the cell holds the formula “{value}”; only data is accepted, so copy and paste it as values.",
    ),
    "excel_several_sheets": (
        "{file_cap} có nhiều trang tính chứa dữ liệu ({value}); hãy để số liệu trong một trang tính duy nhất.",
        "{file_cap} has several sheets with data ({value}); keep the figures on a single sheet.",
    ),
    "too_many_rows": (
        "{file_cap} có quá nhiều dòng (tối đa {count} dòng số liệu).",
        "{file_cap} has too many rows ({count} data rows at most).",
    ),
    "wrong_columns": (
        "{where}: dòng tiêu đề không có các cột cần thiết (tìm thấy: {value}). Bảng ngành cần các cột "
        "{expected_sectors}; bảng số thực tế cần các cột {expected_actuals}.",
        "{where}: the header row does not have the columns needed (found: {value}). A sector table needs "
        "{expected_sectors}; an actuals table needs {expected_actuals}.",
    ),
    "duplicate_column": (
        "{file_cap} có hai cột cho cùng mục “{column}” (cột thừa: “{value}”); hãy xoá một trong hai cột.",
        "{file_cap} has two columns for “{column}” (the extra one: “{value}”); delete one of them.",
    ),
    "ambiguous_number": (
        "{where}: không rõ “{value}” là số nguyên có dấu phân cách hàng nghìn hay số thập phân; "
        "hãy viết số nguyên không có dấu phân cách (1234) hoặc thêm một chữ số 0 vào số thập phân (1,2340).",
        "{where}: “{value}” could be a whole number with a thousands separator or a decimal; "
        "write whole numbers without a separator (1234) or add a zero to the decimal (1.2340).",
    ),
    "sector_in_use": (
        "{file_cap} không còn ngành “{value}” nhưng số thực tế vẫn dùng ngành này; hãy giữ ngành đó "
        "hoặc xoá số thực tế của nó trước.",
        "{file_cap} drops the sector “{value}”, which the actuals still use; keep the sector or remove its "
        "actuals first.",
    ),
    "unreadable": (
        "Không đọc được {file_lower} (lỗi {value}); hãy mở tệp và lưu lại dưới dạng .xlsx hoặc CSV UTF-8.",
        "Could not read {file_lower} ({value}); open it and save it again as .xlsx or UTF-8 CSV.",
    ),
    "unknown": ("{where}: lỗi “{code}” (giá trị “{value}”).", "{where}: problem “{code}” (value “{value}”)."),
}

# What a list of a plan holds, by the problem's column, and how many it may hold.
_ITEMS = {
    "sectors": ("ngành", "sectors", MAX_SECTORS), "actuals": ("dòng số thực tế", "actual rows", LIST_LIMITS["actuals"]),
    "sources": ("nguồn", "sources", LIST_LIMITS["sources"]),
    "presets": ("kịch bản dựng sẵn", "presets", LIST_LIMITS["presets"]),
    "events": ("sự kiện", "events", LIST_LIMITS["events"]),
    "presets.growth_add": ("mức tăng thêm theo ngành", "per-sector additions", MAX_SECTORS),
}  # fmt: skip

_WHAT = {"PDF": ("tài liệu PDF", "a PDF document"), "PNG": ("ảnh PNG", "a PNG image"), "JPEG": ("ảnh JPEG", "a JPEG image"),
         "GIF": ("ảnh GIF", "a GIF image"), "ZIP": ("tệp nén ZIP", "a ZIP archive"),
         "OLE2": ("tệp Office cũ", "a legacy Office file"), "RTF": ("văn bản RTF", "an RTF document")}  # fmt: skip


def column_label(column: str, lang: str) -> str:
    """A column as the user knows it: the Vietnamese template header (vi) or the canonical name."""
    if lang == "vi":
        for headers in VI_HEADERS.values():
            if column in headers:
                return headers[column]
    return column


def _short(value: str) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


def _decimal(value: float, lang: str, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def _range_number(value: float, lang: str) -> str:
    text = _decimal(value, lang, 0) if value == int(value) else _decimal(value, lang, 1)
    return text.replace("-", "−")


def _size(raw: str, lang: str) -> str:
    """A size in KB or MB, rounded up (a file just over the limit must not read as equal to it)."""
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        return _short(raw)
    size = int(raw)
    unit, scale = ("KB", 1024) if size < 1024 * 1024 else ("MB", 1024 * 1024)
    value = math.ceil(size * 10 / scale) / 10
    return f"{_decimal(value, lang, 0 if value == int(value) else 1)} {unit}"


def _file_phrase(file: str, lang: str) -> str:
    file = _short(file)
    if lang == "vi":
        return f"tệp “{file}”" if file else "bảng"
    return f"the file “{file}”" if file else "the table"


def _where(p: Problem, lang: str) -> str:
    parts = []
    if p.file:
        parts.append(f"Tệp “{_short(p.file)}”" if lang == "vi" else f"File “{_short(p.file)}”")
    if p.row is not None:
        parts.append(f"dòng {p.row}" if lang == "vi" else f"row {p.row}")
    if p.column:
        label = _short(column_label(p.column, lang))
        parts.append(f"cột “{label}”" if lang == "vi" else f"column “{label}”")
    if not parts:
        return "Bảng" if lang == "vi" else "The table"
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def _fields(p: Problem, lang: str) -> dict[str, str]:
    file_phrase = _file_phrase(p.file, lang)
    what = _WHAT.get(p.value)
    items = _ITEMS.get(p.column, ("", "", 0))
    headers = {kind: [column_label(c, lang) if lang == "vi" else c for c in REQUIRED[kind]] for kind in REQUIRED}
    return {
        "where": _where(p, lang),
        "file": _short(p.file),
        "file_cap": file_phrase[0].upper() + file_phrase[1:],
        "file_lower": file_phrase,
        "row": "" if p.row is None else str(p.row),
        "column": _short(column_label(p.column, lang)),
        "value": _short(p.value),
        "code": p.code,
        "size": _size(p.value, lang),
        "count": _decimal(int(p.value), lang, 0) if re.fullmatch(r"[0-9]{1,18}", p.value) else _short(p.value),
        "limit": _size(str(MAX_UPLOAD_BYTES), lang),
        "unpacked_limit": _size(str(MAX_EXCEL_UNPACKED), lang),
        "statuses_vi": ", ".join(STATUS_VI[s] for s in STATUSES),
        "statuses_en": ", ".join(STATUSES),
        "growth_low": _range_number(GROWTH_RANGE[0], lang),
        "growth_high": _range_number(GROWTH_RANGE[1], lang),
        "vol_low": _range_number(VOLATILITY_RANGE[0], lang),
        "vol_high": _range_number(VOLATILITY_RANGE[1], lang),
        "items_vi": items[0],
        "items_en": items[1],
        "item_limit": _decimal(items[2], lang, 0),
        "max_text": _decimal(MAX_TEXT_CHARS, lang, 0),
        "plan_limit": _size(str(MAX_PLAN_BYTES), lang),
        "what_vi": f" (đây là {what[0]})" if what else "",
        "what_en": f" (it is {what[1]})" if what else "",
        "expected_sectors": ", ".join(f"“{h}”" for h in headers["sectors"]),
        "expected_actuals": ", ".join(f"“{h}”" for h in headers["actuals"]),
    }


def describe(problem: Problem, lang: str) -> str:
    """One sentence in Vietnamese (lang='vi', the default for anything else) or English."""
    lang = "en" if lang == "en" else "vi"
    key = problem.code
    if key == "not_a_number" and not str(problem.value).strip():
        key = "not_a_number.empty"
    elif key == "unsupported_type" and not problem.value:
        key = "unsupported_type.none"
    elif key == "too_many_items" and problem.column not in _ITEMS:
        key = "too_many_items.other"
    elif key not in MESSAGES:
        key = "unknown"
    template = MESSAGES[key][0 if lang == "vi" else 1]
    return template.format(**_fields(problem, lang))


def describe_all(problems: list[Problem], lang: str, limit: int = 20) -> list[str]:
    """The sentences for the first `limit` problems, and one more saying how many are left."""
    lines = [describe(p, lang) for p in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        lines.append(f"… và {rest} lỗi khác." if lang != "en" else f"… and {rest} more problem(s).")
    return lines
