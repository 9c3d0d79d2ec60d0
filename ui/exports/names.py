"""File names for the exports, the date as the reader writes it, and the words for the data
a scenario uses.

A file name is the meeting's handle on the paper: the plan, the target year, the date and
the scenario's name, as a safe ASCII slug (thai-binh-2025-2026-11-27-phuong-an-a.pdf).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from model import Plan, Scenario
from ui.text import t

MAX_SLUG = 60  # characters of a name in a file name; the full name is inside the file


def slug(text: str | None, limit: int = MAX_SLUG) -> str:
    """Lowercase ASCII words joined by '-': diacritics stripped, đ -> d, anything else dropped.
    "Phương án Đồng bộ 2" -> "phuong-an-dong-bo-2". Cut at a word boundary within `limit`."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in text if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            return out or word[:limit]
        out = candidate
    return out


def file_stem(plan: Plan, sc: Scenario, today: dt.date, name: str | None = None) -> str:
    """plan id, target year, date and the scenario's name (when it has one)."""
    parts = [slug(plan.id) or "plan", str(sc.ty), today.isoformat(), slug(name)]
    return "-".join(p for p in parts if p)


def comparison_stem(plan: Plan, today: dt.date, lang: str) -> str:
    """plan id, date and the word "comparison" in the reader's language."""
    return "-".join([slug(plan.id) or "plan", today.isoformat(), t("export.file.comparison", lang)])


def date_text(day: dt.date, lang: str) -> str:
    """A date as the reader writes it: 27/11/2026, 27 November 2026."""
    if lang == "en":
        from babel.dates import format_date

        return format_date(day, format="d MMMM y", locale="en_GB")
    return day.strftime("%d/%m/%Y")
