"""Numbers in the reader's convention (vi: 2.700,5 — en: 2,700.5), via Babel."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

from model import Plan, Projection
from model.params import BY_KEY, GROWTH, UNITS, Param
from model.plan import Actual
from model.record import Record
from model.scenario import SECTOR_KEY
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


def unit_text(code: str, lang: str) -> str:
    """A unit in the reader's language (model/params.py UNITS): 'triệu USD', '%/năm', ..."""
    return UNITS[code][1 if lang == "en" else 0]


def musd(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)} {unit_text('musd', lang)}"


def pct(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)}%"


def pp(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{signed(value, lang, decimals) if value is not None else '–'} {unit_text('pp', lang)}"


def pp_change(new: float, old: float, lang: str, decimals: int = 1) -> str:
    """The change from `old` to `new` (both in %), in points, signed: what a metric's delta shows."""
    return pp(new - old, lang, decimals)


def probability_pct(probability: float, lang: str, decimals: int = 0) -> str:
    """A probability (0 to 1) as a percentage: 0.734 -> '73%'."""
    return pct(probability * 100, lang, decimals)


# Below this probability a "reached" is not stated without its probability (and above
# 1 minus it, a "not reached"): a coin-flip must not read like a firm answer on a projector.
CONFIDENT = 0.8


def tone(proj: Projection, probability: float | None) -> str:
    """'good' (reached, and likely), 'bad' (missed, and likely missed) or 'uncertain'."""
    if probability is None:
        return "good" if proj.reachable else "bad"
    if proj.reachable and probability >= CONFIDENT:
        return "good"
    if not proj.reachable and probability <= 1 - CONFIDENT:
        return "bad"
    return "uncertain"


def verdict(proj: Projection, lang: str, probability: float | None = None, rec: Record | None = None) -> str:
    """The verdict, labelled by its vantage point: reached or not, the projected total and the
    margin; its probability when it is not a firm answer; and where it disagrees with the record."""
    fields = dict(
        base=proj.base_year, year=proj.target_year, value=musd(proj.target_year_total, lang),
        gap=musd(abs(proj.gap_musd), lang), gap_pct=pct(abs(proj.gap_pct), lang),
    )  # fmt: skip
    text = t("verdict.reached" if proj.reachable else "verdict.missed", lang, **fields)
    if probability is not None and tone(proj, probability) == "uncertain":
        text += " " + t("verdict.probability", lang, p=pct(probability * 100, lang, 0))
    if rec is not None and rec.passed is not None and rec.crossing in ("later", "earlier", "never"):
        text += " " + t(f"verdict.record.{rec.crossing}", lang, year=proj.year_reached, record_year=rec.passed.year)
    return text


def _figure(actual: Actual, lang: str) -> str:
    """A recorded figure with its status, and 'upper bound' when it was stated as "nearly"."""
    status = t(f"status.{actual.prov.status}", lang)
    bound = t(f"record.bound.{actual.bound}", lang) if actual.bound else ""
    return f"{musd(actual.value_musd, lang)} ({status}{bound})"


def record_sentence(rec: Record, lang: str, events: tuple = ()) -> str | None:
    """What the record says about the target, first; None when there is no record yet."""
    if rec.latest is None:
        return None
    target = musd(rec.target, lang)
    if rec.passed is not None:
        text = t("record.passed", lang, target=target, year=rec.passed.year, figure=_figure(rec.passed, lang))
        if rec.passed_is_upper_bound:
            text += " " + t("record.confirm", lang)
    else:
        text = t("record.not_passed", lang, target=target, year=rec.latest.year, figure=_figure(rec.latest, lang))
    if rec.period_over and not rec.target_year_reported:
        text += " " + t("record.no_target_year", lang, year=rec.target_year)
    for event in events:
        text += " " + event.text(lang)
    return text


# --- scenario parameters, from their table (model/params.py) ---------------------------------


def param(key: str) -> Param:
    """The table's line for a link key (g.<sector> is the growth line)."""
    return GROWTH if key == GROWTH.key or SECTOR_KEY.match(key) else BY_KEY[key]


def unit(param: Param, lang: str) -> str:
    return unit_text(param.unit, lang)


def param_label(key: str, lang: str, plan: Plan | None = None, with_unit: bool = True) -> str:
    """A parameter's label, with its unit in brackets: 'Mục tiêu (triệu USD)'. A sector's
    growth is labelled with the sector's name: 'Tăng trưởng: Dệt may (%/năm)'."""
    line = param(key)
    text = line.label_for(lang)
    if match := SECTOR_KEY.match(key):
        name = plan.sector(match.group(1)).name(lang) if plan is not None else match.group(1)
        text = f"{text}: {name}"
    shown_unit = unit(line, lang)
    return f"{text} ({shown_unit})" if with_unit and shown_unit else text


def param_value(key: str, value: float, lang: str) -> str:
    """A parameter's value in the reader's convention, at the table's precision (years plain)."""
    line = param(key)
    if line.unit in ("year", "none"):
        return str(int(value))
    return number(float(value), lang, line.decimals if line.kind is float else 0)
