"""Numbers in the reader's convention (vi: 2.700,5 — en: 2,700.5), written as Babel writes them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from model import Plan, Projection
from model.backtest import Backtest
from model.calibrate import Calibration
from model.params import BY_KEY, GROWTH, UNITS, Param
from model.plan import Actual
from model.record import Record
from model.risk import RiskResult
from model.scenario import SECTOR_KEY
from ui.text import one_line, status_label, t

LOCALES = {"vi": "vi_VN", "en": "en_US"}
# Dates and times are Vietnam's, whatever the server's clock (Vietnam has no daylight saving time).
VIETNAM = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # -0.0 is written 0 (and the cache, where -0.0 and 0.0 are one key, answers the same)
    return _number(0.0 if value == 0 else value, lang, decimals)


# A rerun formats hundreds of numbers, most of them the same as on the previous run (labels,
# tables): remember the recent ones.
@lru_cache(maxsize=8192)
def _number(value: float, lang: str, decimals: int) -> str:
    """What Babel writes for the pattern #,##0.0… in the language's locale, five times faster:
    Babel rounds the decimal the number prints as, half to even, and groups by thousands
    (a test compares the two on a large sample). Babel writes what is not finite."""
    if not math.isfinite(value):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "vi_VN"))
    rounded = Decimal(str(value)).quantize(_STEPS[decimals], rounding=ROUND_HALF_EVEN, context=_EVERY_FLOAT)
    rounded = rounded.copy_abs() if rounded.is_zero() else rounded  # -0.04 is written 0.0, not -0.0
    text = f"{rounded:,.{decimals}f}"
    return text.translate(_VI_SEPARATORS) if lang != "en" else text


_STEPS = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(10)}
# Digits enough for any float with its decimals (the largest has 309): the default context's
# 28 digits make quantize fail on 1e26 and above, which a figure must print, not break a page.
_EVERY_FLOAT = Context(prec=330)
_VI_SEPARATORS = str.maketrans(",.", ".,")  # vi: 2.700,5


def decimals_apart(a: float, b: float, lang: str, decimals: int = 1, most: int = 2) -> int:
    """The fewest decimals, from `decimals` up to `most`, at which `a` and `b` print differently
    and their difference does not print as zero: two figures shown with their difference must not
    read as equal beside a difference that is not zero ("14.2%, needed 14.2%, +0.1 points"),
    nor as different beside a zero one ("14.2%, needed 14.1%, +0.0 points")."""
    while (
        decimals < most
        and a != b
        and (
            number(a, lang, decimals) == number(b, lang, decimals)
            or number(a - b, lang, decimals) == number(0, lang, decimals)
        )
    ):
        decimals += 1
    return decimals


def growth_and_required(proj: Projection, lang: str) -> tuple[str, str, str]:
    """The scenario's average growth, the growth that just reaches the target and the
    difference in points, written with the same decimals wherever they are shown (the key
    figures, the chart's required path, the paper)."""
    growth, required = proj.implied_cagr_pct, proj.required_cagr_pct
    places = decimals_apart(growth, required, lang)
    return pct(growth, lang, places), pct(required, lang, places), pp(growth - required, lang, places)


def signed(value: float, lang: str, decimals: int = 1) -> str:
    text = number(value, lang, decimals)
    return text if text.startswith("-") else "+" + text  # by what is printed: -0.04 is "+0.0"


def difference(a: float, b: float, lang: str, decimals: int = 1) -> str:
    """a - b, signed, as the reader can check it from a and b printed beside it: the difference
    of the two printed figures (2.690,6 - 2.765,6 reads -75,0, where the unrounded values
    differ by -75,06 and would print -75,1)."""

    def printed(value: float) -> Decimal:
        return Decimal(str(value)).quantize(_STEPS[decimals], rounding=ROUND_HALF_EVEN, context=_EVERY_FLOAT)

    return signed(float(printed(a) - printed(b)), lang, decimals)


def unit_text(code: str, lang: str) -> str:
    """A unit in the reader's language (model/params.py UNITS): 'triệu USD', '%/năm', ..."""
    return UNITS[code][1 if lang == "en" else 0]


def musd(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)} {unit_text('musd', lang)}"


def target_musd(value: float, lang: str) -> str:
    """A target as a scenario holds it (to the target parameter's decimals): whole millions
    without decimals ("2.700 triệu USD", as a plan states it), otherwise with its decimal
    ("4.448,1 triệu USD"), so that one target reads the same in every heading, sentence,
    table and chart label."""
    param = BY_KEY["target"]
    held = param.held(value)
    return musd(held, lang, 0 if held == round(held) else param.decimals)


def target_line(plan: Plan, target: float, year: int, lang: str) -> str:
    """Which target the page measures against, and whose: the plan's (with its status: a
    draft's, an assumption) or one the user set, beside the plan's, so that a typed target
    is never credited to the scheme."""
    for stated in (plan.target, plan.target_2030):
        if stated is not None and (BY_KEY["target"].held(stated.value_musd), stated.year) == (target, year):
            status = status_label(stated.prov.status, lang)
            return t("app.subtitle", lang, status=status, target=target_musd(target, lang), year=year)
    own = plan.target
    return t("app.subtitle_own", lang, target=target_musd(target, lang), year=year,
             status=status_label(own.prov.status, lang), plan_target=target_musd(own.value_musd, lang),
             plan_year=own.year)  # fmt: skip


def pct(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)}%"


def pp(value: float | None, lang: str, decimals: int = 1) -> str:
    return f"{signed(value, lang, decimals) if value is not None else '–'} {unit_text('pp', lang)}"


def pp_change(new: float, old: float, lang: str, decimals: int = 1) -> str:
    """The change from `old` to `new` (both in %), in points, signed: what a metric's delta shows."""
    return pp(new - old, lang, decimals)


def first_few(items: list[str], shown: int, more_key: str, lang: str) -> str:
    """The first `shown` items of a list, and how many more there are in words ("… và 3 ký
    tự khác"): a sentence that goes on after the list never reads "…."."""
    text = ", ".join(items[:shown])
    rest = len(items) - shown
    return t(more_key, lang, items=text, n=number(rest, lang, 0)) if rest > 0 else text


def shown_percent(probability: float) -> int:
    """A probability (0 to 1) as the whole percentage it is shown as. The words beside it
    follow that number, not the unrounded share: 79.96% of paths, shown as "80%", are as
    firm an answer as 80% (never "Đạt (xác suất 80%)" beside a plain "Đạt" at 80%)."""
    return round(probability * 100)


def middle_cut(text: str, chars: int) -> str:
    """`text` whole, or its start and end around an ellipsis in `chars` characters, cut at
    word breaks where there are any (a word cut in two reads as another word): names that
    share a long start ("Phương án Sở Công Thương: … mức thấp", "… mức cao") stay apart."""
    if len(text) <= chars:
        return text
    head = text[: chars * 2 // 3]
    tail = text[len(head) + 3 - chars :]
    head = head.rsplit(" ", 1)[0] if " " in head.strip() else head
    tail = tail.split(" ", 1)[1] if " " in tail.strip() else tail
    return f"{head.rstrip()} … {tail.lstrip()}"


def short_names(names: list[str], chars: int) -> list[str]:
    """Distinct names cut in the middle to `chars` (`middle_cut`), still distinct: two that
    come out the same are numbered by their place in the list, within the same `chars`."""
    cut = [middle_cut(name, chars) for name in names]
    return [f"{middle_cut(name, chars - 4)} ({i + 1})" if cut.count(c) > 1 else c
            for i, (name, c) in enumerate(zip(names, cut, strict=True))]  # fmt: skip


def probability_pct(probability: float, lang: str) -> str:
    """A probability (0 to 1) as a whole percentage: 0.734 -> '73%'. Only no path or every
    path reads 0% or 100%: 9,996 paths of 10,000 read '>99%', not a certainty they are not."""
    text = pct(shown_percent(probability), lang, 0)
    if 0 < probability < 1 and text in (pct(0, lang, 0), pct(100, lang, 0)):
        return ("<" + pct(1, lang, 0)) if probability < 0.5 else (">" + pct(99, lang, 0))
    return text


def simulation_error(risk: RiskResult, lang: str) -> str:
    """How far the simulated share may be from the model's own probability. The standard
    error, with the decimals that keep it from reading zero; when no path or every path
    reaches the target that error is zero, and the sentence gives instead the "rule of three"
    bound (3/n at 95% confidence) on how far the model's probability may lie from 0 or 1."""
    k, n = risk.paths_reaching, risk.n
    if 0 < k < n:
        se = risk.probability_error_pp
        return t("risk.error", lang, se=number(se, lang, decimals_apart(se, 0.0, lang, 1, 3)))
    bound = risk.probability_bound_pp
    shown = number(bound, lang, decimals_apart(bound, 0.0, lang, 1, 3))
    if k == 0:
        return t("risk.error_none", lang, n=number(n, lang, 0), bound=shown + "%")
    return t("risk.error_all", lang, n=number(n, lang, 0), bound=shown + "%")


# Below this probability (a whole percentage, as shown) a "reached" is not stated without its
# probability (nor a "not reached" above 100 minus it): a coin-flip must not read like a firm
# answer on a projector.
CONFIDENT = 80


def firm(reachable: bool, probability: float) -> bool:
    """The simulated paths agree with the central path firmly enough to state its answer alone,
    judged on the percentage shown."""
    shown = shown_percent(probability)
    return (shown if reachable else 100 - shown) >= CONFIDENT


def tone(proj: Projection, probability: float | None) -> str:
    """'good' (reached, and likely), 'bad' (missed, and likely missed) or 'uncertain'."""
    if probability is not None and not firm(proj.reachable, probability):
        return "uncertain"
    return "good" if proj.reachable else "bad"


def verdict(proj: Projection, lang: str, probability: float | None = None, rec: Record | None = None) -> str:
    """The verdict, labelled by its vantage point: reached or not, the projected total and the
    margin; "CHƯA CHẮC ĐẠT" with the probability when it is not a firm answer; and where it
    disagrees with the record."""
    fields = dict(
        base=proj.base_year, year=proj.target_year, value=musd(proj.target_year_total, lang),
        gap=musd(abs(proj.gap_musd), lang), gap_pct=pct(abs(proj.gap_pct), lang),
    )  # fmt: skip
    if probability is not None and not firm(proj.reachable, probability):
        text = t("verdict.uncertain.reached" if proj.reachable else "verdict.uncertain.missed", lang,
                 p=probability_pct(probability, lang), **fields)  # fmt: skip
    else:
        text = t("verdict.reached" if proj.reachable else "verdict.missed", lang, **fields)
    return text + _record_caveat(proj, lang, rec)


def _record_caveat(proj: Projection, lang: str, rec: Record | None) -> str:
    """Where the projection disagrees with the record ("" when it does not)."""
    if rec is not None and rec.passed is not None and rec.crossing in ("later", "earlier", "never"):
        return " " + t(f"verdict.record.{rec.crossing}", lang, year=proj.year_reached, record_year=rec.passed.year)
    return ""


def with_status(figure: str, status: str, lang: str) -> str:
    """A figure with its status in one cell: '903,64 (giả định)'."""
    return f"{figure} ({status_label(status, lang)})"


def with_bound(status: str, bound: str, lang: str) -> str:
    """A status with the figure's bound: 'ước tính, cận trên'."""
    return f"{status}, {t(f'bound.{bound}', lang)}" if bound else status


def verdict_headline(proj: Projection, lang: str, probability: float | None = None) -> str:
    """The verdict in a few words, for the back of the room: reached or not, the target year,
    and the vantage point; "CHƯA CHẮC ĐẠT" with the probability when it is not a firm answer,
    whichever side of the target the central path ends on (the details say which). Its
    words follow its colour (`tone`): amber is never read as "ĐẠT" or "CHƯA ĐẠT"."""
    fields = dict(year=proj.target_year, base=proj.base_year)
    if probability is not None and not firm(proj.reachable, probability):
        return t("headline.uncertain", lang, p=probability_pct(probability, lang), **fields)
    return t("headline.reached" if proj.reachable else "headline.missed", lang, **fields)


def verdict_details(proj: Projection, lang: str, rec: Record | None = None) -> str:
    """What the headline leaves out, in normal size below it: the projected total and the
    margin, and where the projection disagrees with the record. With the headline it says
    all that `verdict` says."""
    fields = dict(
        year=proj.target_year, value=musd(proj.target_year_total, lang), gap=musd(abs(proj.gap_musd), lang),
        gap_pct=pct(abs(proj.gap_pct), lang),
    )  # fmt: skip
    text = t("headline.figures.reached" if proj.reachable else "headline.figures.missed", lang, **fields)
    return text + _record_caveat(proj, lang, rec)


def _status(actual: Actual, lang: str) -> str:
    """A recorded figure's status, and its bound: 'ước tính, cận trên'."""
    return with_bound(t(f"status.{actual.prov.status}", lang), actual.bound, lang)


def _figure(actual: Actual, lang: str) -> str:
    """A recorded figure with its status and bound: '3.000,0 triệu USD (ước tính, cận trên)'."""
    return f"{musd(actual.value_musd, lang)} ({_status(actual, lang)})"


def _record_notes(rec: Record, lang: str, events: tuple) -> list[str]:
    """What follows the record's first statement: a bound to confirm, a missing figure, events."""
    notes = []
    if rec.passed is not None and rec.passed_is_upper_bound:
        # How far above the target the bound lies is what tells the reader how much the real
        # figure may fall short of the bound before the target is not passed after all.
        above = float(rec.passed.value_musd) - rec.target
        share = above / rec.target * 100
        shown = pct(share, lang) if share >= 0.05 else "<" + pct(0.1, lang)  # never "0,0%" above
        gap = musd(above, lang, decimals_apart(above, 0.0, lang, 1, 3))  # never "0,0 triệu USD" above
        notes.append(t("record.confirm", lang, margin=f"{gap} ({shown})"))
    if rec.period_over and not rec.target_year_reported:
        notes.append(t("record.no_target_year", lang, year=rec.target_year))
    return notes + [event.text(lang) for event in events]


def record_sentence(rec: Record, lang: str, events: tuple = ()) -> str | None:
    """What the record says about the target, first; None when there is no record yet."""
    if rec.latest is None:
        return None
    target = target_musd(rec.target, lang)
    if rec.passed is not None:
        text = t("record.passed", lang, target=target, year=rec.passed.year, figure=_figure(rec.passed, lang))
    else:
        text = t("record.not_passed", lang, target=target, year=rec.latest.year, figure=_figure(rec.latest, lang))
    return " ".join([text, *_record_notes(rec, lang, events)])


def record_parts(rec: Record, lang: str, events: tuple = (), sources: tuple = ()) -> tuple[str, str] | None:
    """The record as a short headline and its details (the same facts as `record_sentence`,
    and where the figure comes from: `sources`, the plan's), for the screen; None when there
    is no record yet."""
    if rec.latest is None:
        return None
    target = target_musd(rec.target, lang)
    if rec.passed is not None:
        head = t("record.head.passed", lang, target=target, year=rec.passed.year, status=_status(rec.passed, lang))
        figure = t(
            "record.figure", lang, year=rec.passed.year, figure=musd(rec.passed.value_musd, lang)
        )  # status: above
    else:
        head = t("record.head.not_passed", lang, target=target)
        figure = t("record.latest", lang, year=rec.latest.year, figure=_figure(rec.latest, lang))
    source = _record_source(rec.passed or rec.latest, sources, lang)
    return head, " ".join([figure, *([source] if source else []), *_record_notes(rec, lang, events)])


RECORD_QUOTE_CHARS = 200  # the record box's quoted passage: its start and end past this


def _record_source(actual: Actual, sources: tuple, lang: str) -> str:
    """Where the record's figure comes from: its sources' publishers and dates, and the
    passage quoted when there is one source ("gần 3 tỷ USD" is why 3.000 is an upper bound).
    A derived figure was stated by no source: it names what it was worked out from, with
    no quote (the passage is about another figure)."""
    by_id = {s.id: s for s in sources}
    cited = [by_id[i] for i in actual.prov.source_ids if i in by_id]
    if not cited:
        return ""
    # a data file's source may hold only its id; a name or a passage on one line (a line break
    # in the box would start a new paragraph), a long passage cut in the middle
    names = "; ".join(one_line(", ".join(p for p in (s.publisher or s.title, s.date) if p) or s.id) for s in cited)
    if actual.prov.status == "derived":
        return t("record.source_derived", lang, source=names)
    if len(cited) == 1 and cited[0].quote:
        quote = middle_cut(one_line(cited[0].quote), RECORD_QUOTE_CHARS)
        return t("record.source_quote", lang, source=names, quote=quote)
    return t("record.source", lang, source=names)


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


# --- the record against the plan: backtest and calibration -----------------------------------


def years(values: tuple[int, ...] | list[int]) -> str:
    """Years as a reader writes them: '2021–2024' when consecutive, else '2021, 2023, 2024'."""
    values = sorted(values)
    if len(values) > 2 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


def backtest_sentence(bt: Backtest, lang: str, short: bool = False) -> str | None:
    """How good the plan's view was, in one sentence (None: no record after the base year)."""
    v = bt.verdict
    if v is None:
        return None
    fields = dict(
        base=bt.base_year, years=years([int(row["year"]) for row in bt.rows]),
        direction=t(f"backtest.direction.{v.direction}", lang), error=pct(v.mean_abs_error_pct, lang),
        inside=v.inside, n=v.n, grade=t(f"backtest.grade.{v.grade}", lang),
    )  # fmt: skip
    return t("backtest.short" if short else "backtest.sentence", lang, **fields)


def calibration_sentence(cal: Calibration, lang: str) -> str:
    """The fitted values with their standard errors and how much of the record the band holds."""
    return t(
        "sc.calibrated_fit", lang, uplift=pp(cal.uplift_pp, lang), uplift_se=number(cal.uplift_se_pp, lang),
        unc=number(cal.unc, lang, 2), unc_se=number(cal.unc_se, lang, 2), inside=cal.inside, n=cal.n,
    )  # fmt: skip


def room(uplift_pp: float, lang: str) -> str:
    """How many points every sector's growth could lose and still reach the target."""
    return f"{number(abs(uplift_pp), lang, 2)} {unit_text('pp', lang)}"


def backtest_rows(bt: Backtest, lang: str) -> list[dict[str, str]]:
    """The backtest table as a reader reads it: every figure formatted, statuses and bounds in
    words; short headers (units in `backtest.units`) so that it fits a projector's width."""
    rows = []
    for r in bt.rows:
        status = with_bound(t(f"status.{r['status']}", lang), r.get("bound", ""), lang)
        rows.append({
            t("word.year", lang): str(int(r["year"])),
            t("backtest.head.actual", lang): number(r["actual_musd"], lang),
            t("word.status", lang): status,
            t("backtest.head.projection", lang): number(r["scenario_musd"], lang),
            t("backtest.head.error", lang): difference(r["actual_musd"], r["scenario_musd"], lang),
            t("backtest.head.band", lang): f"{number(r['p10_musd'], lang, 0)}–{number(r['p90_musd'], lang, 0)}",
            t("backtest.head.inside", lang): t("yes" if r["inside"] else "no", lang),
        })  # fmt: skip
    return rows


def data_name(plan: Plan, lang: str, *, bundled: bool, dataset: str | None = None) -> str:
    """The figures a scenario is computed on, named for a reader (plain text): the bundled plan,
    a saved dataset (by its name) or figures uploaded or edited and not saved."""
    if bundled:
        return t("data.name.bundled", lang, province=plan.province(lang), fingerprint=plan.fingerprint)
    if dataset is not None:
        return t("data.name.saved", lang, name=dataset, fingerprint=plan.fingerprint)
    return t("data.name.unsaved", lang, province=plan.province(lang), fingerprint=plan.fingerprint)
