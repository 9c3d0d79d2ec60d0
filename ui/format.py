"""Numbers in the reader's convention (vi: 2.700,5 — en: 2,700.5), via Babel."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from model import Projection
from ui.text import t

LOCALES = {"vi": "vi_VN", "en": "en_US"}


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "vi_VN"))


def signed(value: float, lang: str, decimals: int = 1) -> str:
    text = number(value, lang, decimals)
    return text if value < 0 or text.startswith("-") else "+" + text


def musd(value: float | None, lang: str, decimals: int = 1) -> str:
    unit = "million USD" if lang == "en" else "triệu USD"
    return f"{number(value, lang, decimals)} {unit}"


def pct(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)}%"


def pp(value: float | None, lang: str, decimals: int = 1) -> str:
    unit = "points" if lang == "en" else "điểm %"
    return f"{signed(value, lang, decimals) if value is not None else '–'} {unit}"


def verdict(proj: Projection, lang: str) -> str:
    """The one-sentence verdict: reached or not, the projected total and the margin."""
    fields = dict(
        year=proj.target_year, value=musd(proj.target_year_total, lang),
        gap=musd(abs(proj.gap_musd), lang), gap_pct=pct(abs(proj.gap_pct), lang),
    )  # fmt: skip
    return t("verdict.reached" if proj.reachable else "verdict.missed", lang, **fields)
