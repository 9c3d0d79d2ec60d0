"""Problems with a plan, an upload or an edit, as one clear sentence in Vietnamese or English.

Pure text (no Streamlit): `describe(problem, lang)` fills the catalogue's sentence for the
problem's code (text keys problem.<code>) with the file, the row (as the spreadsheet shows
it, see model/upload.py), the column (the Vietnamese template header when lang='vi', the
canonical English name otherwise) and the value. Pages show the sentences escaped
(ui.text.md): a cell's content is never Markdown or HTML.
"""

from __future__ import annotations

import math
import re

from model.plan import (
    GROWTH_RANGE,
    HORIZON_LIMIT,
    LIST_LIMITS,
    MAX_PLAN_BYTES,
    MAX_SECTOR_NAME_CHARS,
    MAX_SECTORS,
    MAX_TEXT_CHARS,
    MIN_BASE_TOTAL_MUSD,
    STATUSES,
    VALUE_LIMIT_MUSD,
    VOLATILITY_RANGE,
    Problem,
)
from model.upload import MAX_EXCEL_UNPACKED, MAX_UPLOAD_BYTES, REQUIRED, STATUS_VI, VI_HEADERS
from ui.text import TEXT, t

MAX_VALUE_CHARS = 60  # longer cell values are cut in messages
# The catalogue's problem.<code> sentences use these fields: {where} (file, row and column,
# capitalised when it starts the sentence), {file}, {row}, {column}, {value}, and those of _fields().


# What a list of a plan holds, by the problem's column (the words: problem.items.<column>),
# and how many it may hold.
_ITEM_LIMITS = {
    "sectors": MAX_SECTORS, "actuals": LIST_LIMITS["actuals"], "sources": LIST_LIMITS["sources"],
    "presets": LIST_LIMITS["presets"], "events": LIST_LIMITS["events"], "presets.growth_add": MAX_SECTORS,
}  # fmt: skip


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
    return _decimal(value, lang, 0) if value == int(value) else _decimal(value, lang, 1)


def _size(raw: str, lang: str) -> str:
    """A size in KB or MB, rounded up (a file just over the limit must not read as equal to it)."""
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        return _short(raw)
    size = int(raw)
    unit, scale = ("KB", 1024) if size < 1024 * 1024 else ("MB", 1024 * 1024)
    value = math.ceil(size * 10 / scale) / 10
    return f"{_decimal(value, lang, 0 if value == int(value) else 1)} {unit}"


def _file_phrase(file: str, lang: str) -> str:
    return t("problem.part.file", lang, file=_short(file)) if file else t("problem.part.table", lang)


def _where(p: Problem, lang: str) -> str:
    parts = []
    if p.file:
        parts.append(t("problem.where.file", lang, file=_short(p.file)))
    if p.row is not None:
        parts.append(t("problem.where.row", lang, row=p.row))
    if p.column:
        parts.append(t("problem.where.column", lang, column=_short(column_label(p.column, lang))))
    if not parts:
        return t("problem.where.table", lang)
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def _fields(p: Problem, lang: str) -> dict[str, str]:
    file_phrase = _file_phrase(p.file, lang)
    what_key = f"problem.what.{p.value}"
    items_key = f"problem.items.{p.column}"
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
        "statuses": ", ".join(STATUS_VI[s] if lang == "vi" else s for s in STATUSES),
        "growth_low": _range_number(GROWTH_RANGE[0], lang),
        "growth_high": _range_number(GROWTH_RANGE[1], lang),
        "vol_low": _range_number(VOLATILITY_RANGE[0], lang),
        "vol_high": _range_number(VOLATILITY_RANGE[1], lang),
        "value_limit": _range_number(VALUE_LIMIT_MUSD, lang),
        "min_total": _decimal(MIN_BASE_TOTAL_MUSD, lang, 2),
        "name_limit": _decimal(MAX_SECTOR_NAME_CHARS, lang, 0),
        "what": t("problem.part.what", lang, what=t(what_key, lang)) if what_key in TEXT else "",
        "items": t(items_key, lang) if items_key in TEXT else "",
        "item_limit": _decimal(_ITEM_LIMITS.get(p.column, 0), lang, 0),
        "max_text": _decimal(MAX_TEXT_CHARS, lang, 0),
        "plan_limit": _size(str(MAX_PLAN_BYTES), lang),
        "horizon": str(HORIZON_LIMIT),
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
    elif key == "too_many_items" and problem.column not in _ITEM_LIMITS:
        key = "too_many_items.other"
    elif f"problem.{key}" not in TEXT:
        key = "unknown"
    return t(f"problem.{key}", lang, **_fields(problem, lang))


def describe_all(problems: list[Problem], lang: str, limit: int = 20) -> list[str]:
    """The sentences for the first `limit` problems, and one more saying how many are left."""
    lines = [describe(p, lang) for p in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        lines.append(t("problem.part.more", lang, n=rest))
    return lines
