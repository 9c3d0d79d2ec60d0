"""Several scenarios side by side for the Compare page, each computed on its own figures.

Pure Streamlit-free shaping of what the page shows: the columns (a scenario, the figures it
is computed on, its projection and simulation), the outcome table that opens the paper and
the parameter table with what differs from the first scenario highlighted.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model import Plan, Projection, RiskResult, Scenario
from model.compare import OUTCOME_ROWS, PARAMETER_ROWS, differs
from model.params import growth_key
from ui import format as fmt
from ui.table_html import LabelledTable
from ui.text import t

if TYPE_CHECKING:
    from ui.exports.brief import BriefItem

CURRENT = "current"  # the scenario on screen, beside the saved ones (their ids)
# A comparison link (cmp=current,12,15) is user input, up to Streamlit's 512 Ki characters:
# only its first ids are read, and a message names only a few of those not on offer.
LINK_IDS_READ = 50
LINK_IDS_NAMED = 10
ID_CHARS_NAMED = 60  # a saved scenario's id is a number; a longer "id" is shown cut
OUTCOME_LABELS = {
    "reachable": "word.verdict", "target_year_total": "cmp.col.total", "gap_musd": "kpi.gap",
    "gap_pct": "row.gap_pct", "year_reached": "row.year_reached", "implied_cagr_pct": "row.implied_cagr_pct",
    "probability": "row.probability",
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One scenario compared: its label, the figures it is computed on and what they give."""

    label: str
    data: str  # the figures, named for the reader
    plan: Plan | None = None  # None: its figures are not available here (`data` says why)
    scenario: Scenario | None = None
    projection: Projection | None = None
    risk: RiskResult | None = None


def unique(labels: dict[str, str]) -> dict[str, str]:
    """Labels that are column headers: a repeated one gets its key (a saved name may equal another's)."""
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {key: f"{label} (#{key})" if seen[label] > 1 else label for key, label in labels.items()}


# A picked scenario's chip in the picker holds about 70 characters at 1024 px; a longer name
# (up to 80) is cut by the browser where its end no longer shows. Cut here instead, in the
# middle, so that its start and its end (often the years) both show.
CHIP_CHARS = 60


def chip_label(label: str) -> str:
    """`label` as the picker's chip shows it: whole, or its start and end around an ellipsis."""
    return fmt.middle_cut(label, CHIP_CHARS)


def computed(
    label: str, data: str, plan: Plan, scenario: Scenario,
    project: Callable[[Plan, Scenario], Projection], simulate: Callable[[Plan, Scenario], RiskResult],
) -> Column:  # fmt: skip
    return Column(label, data, plan, scenario, project(plan, scenario), simulate(plan, scenario))


def targets(columns: Iterable[Column] | Iterable[BriefItem], lang: str) -> list[tuple[float, str]]:
    """Each distinct target of the scenarios (Compare's columns, or the comparison paper's
    items), in their order, with what names it on a chart: its year, and its province when
    the scenarios are of more than one ("Hưng Yên 2030"): two provinces' targets are not one
    target, and a line named only "2025" does not say whose it is."""
    shown = [c for c in columns if c.scenario is not None and c.plan is not None]
    provinces = len({c.plan.id for c in shown}) > 1  # type: ignore[union-attr]
    return list(dict.fromkeys(
        (c.scenario.target, f"{c.plan.province(lang)} {c.scenario.ty}" if provinces else str(c.scenario.ty))  # type: ignore[union-attr]
        for c in shown
    ))  # fmt: skip


def verdict_cell(reachable: bool, probability: float | None, year: int, lang: str) -> str:
    """A verdict in a table cell, by the Overview's rules: "Đạt 2030" or "Chưa đạt 2030" only
    when it is a firm answer, else "Chưa chắc đạt 2030" with its probability ("Chưa chắc đạt
    2030 (xác suất 55%)"), so a coin-flip never reads like a firm "Đạt". Without a
    probability (a scenario saved before the store kept one) it is the central path's, and
    says so."""
    if probability is None:
        return t("cmp.reached.central" if reachable else "cmp.missed.central", lang, year=year)
    if fmt.firm(reachable, probability):
        return t("cmp.reached" if reachable else "cmp.missed", lang, year=year)
    text = t("cmp.uncertain", lang, year=year)
    return t("cmp.with_probability", lang, verdict=text, p=fmt.probability_pct(probability, lang))


def outcome(row: str, c: Column, lang: str) -> str:
    """One outcome of a computed scenario, in the reader's convention ("–" when there is none)."""
    p, risk = c.projection, c.risk
    assert p is not None and c.scenario is not None
    if row == "reachable":
        return verdict_cell(p.reachable, None if risk is None else risk.probability, c.scenario.ty, lang)
    if row == "year_reached":
        return str(p.year_reached) if p.year_reached else "–"
    if row == "probability":
        return fmt.probability_pct(risk.probability, lang) if risk is not None else "–"
    if row in ("gap_musd", "gap_pct"):  # signed, as the key figures write a gap: above or short
        return fmt.signed(float(getattr(p, row)), lang)
    return fmt.number(float(getattr(p, row)), lang, 1)


def shared_data(columns: list[Column]) -> str | None:
    """The data every scenario is computed on, when they share it (None when they differ)."""
    data = {c.data for c in columns}
    return data.pop() if len(data) == 1 and all(c.projection is not None for c in columns) else None


def summary(columns: list[Column], lang: str) -> LabelledTable:
    """The paper's first table: for each scenario, its verdict and key figures, and its data
    when the scenarios' data differ (the same data in every column, four or five lines each,
    would push the verdicts down a projected page: the page says it once instead)."""
    labels = [t(OUTCOME_LABELS[row], lang) for row in OUTCOME_ROWS]
    rows = [[outcome(row, c, lang) if c.projection else "–" for c in columns] for row in OUTCOME_ROWS]
    if shared_data(columns) is None:
        labels, rows = [t("cmp.data", lang), *labels], [[c.data for c in columns], *rows]
    return LabelledTable([c.label for c in columns], labels, rows)


def parameters(columns: list[Column], lang: str, fallback: Plan) -> LabelledTable:
    """Every parameter of the computed scenarios (each sector of each one's plan: their plans may
    differ), shown in the reader's convention, the values that differ from the first scenario's
    marked."""
    owner: dict[str, Plan] = {}  # a sector's growth row -> the first plan that has the sector (its name)
    for c in columns:
        assert c.plan is not None
        for s in c.plan.sectors:
            owner.setdefault(growth_key(s.id), c.plan)
    keys = list(owner) + list(PARAMETER_ROWS)
    values = [c.scenario.values() for c in columns]  # type: ignore[union-attr]
    cells = [[v.get(key) for v in values] for key in keys]  # None: a sector another plan lacks
    labels = unique({key: fmt.param_label(key, lang, owner.get(key, fallback)) for key in keys})
    return LabelledTable(
        [c.label for c in columns],
        [labels[key] for key in keys],
        [[fmt.param_value(key, v, lang) if v is not None else "–" for v in row] for key, row in zip(keys, cells, strict=True)],
        [[i > 0 and differs(v, row[0]) for i, v in enumerate(row)] for row in cells],
    )  # fmt: skip


def differing(table: LabelledTable) -> LabelledTable | None:
    """Only the rows where some scenario differs from the first (None: they share everything)."""
    assert table.marks is not None
    keep = [any(row) for row in table.marks]
    return table.only(keep) if any(keep) else None


def is_current(key: str) -> bool:
    """The column is the scenario on screen (the others are saved scenarios' ids)."""
    return key == CURRENT


@dataclass(frozen=True)
class LinkChoice:
    """What a comparison link asks for: the ids on offer (in the link's order, each once),
    those not on offer (deleted, or saved on another server), and how many distinct ids it
    named."""

    chosen: list[str]
    missing: list[str]
    named: int

    @property
    def cut(self) -> bool:
        """The link named more distinct ids than are read."""
        return self.named > LINK_IDS_READ

    def missing_text(self, lang: str) -> str:
        """The missing ids for a message: the first few, each cut to a readable length."""
        cut = [x if len(x) <= ID_CHARS_NAMED else x[:ID_CHARS_NAMED] + "…" for x in self.missing]
        return fmt.first_few(cut, LINK_IDS_NAMED, "cmp.missing_more", lang)


def first_choice(saved: list, plan_id: str, default_plan_id: str) -> list[str]:
    """Without a selection in the link: the scenario on screen and the newest saved one (the
    list is newest first) of the same province: one of another province beside it would
    compare two different targets. A scenario saved before plans were recorded is the
    default plan's, as its figures are read."""
    return [CURRENT, *[str(s.id) for s in saved if (s.plan_id or default_plan_id) == plan_id][:1]]


def distinct(picked: list[str]) -> list[str]:
    """The picker's choice, each scenario once, in order. A browser never repeats one, but a
    program speaking Streamlit's protocol may send the same option thousands of times (within
    the 2 MB a message may carry), and the choice is written into the page's address."""
    return list(dict.fromkeys(picked))


def from_link(raw: str, options: list[str]) -> LinkChoice:
    """The scenarios a comparison link names: its first LINK_IDS_READ distinct ids, in order.
    (Counting them all is linear in the link, which Streamlit bounds at 512 Ki characters.)"""
    named = dict.fromkeys(x for x in raw.split(",") if x)  # in order, each once
    ids, offered = list(itertools.islice(named, LINK_IDS_READ)), set(options)
    return LinkChoice(
        chosen=[x for x in ids if x in offered], missing=[x for x in ids if x not in offered], named=len(named)
    )
