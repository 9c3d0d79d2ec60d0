"""Compare's tables, built without Streamlit: what differs from the first scenario is marked,
a sector one scenario's figures lack shows "–" and differs."""

from __future__ import annotations

from pathlib import Path

import pytest

import model
import model.upload
from model import Scenario
from model.compare import PARAMETER_ROWS, differs
from ui import comparison
from ui import format as fmt


def column(label: str, plan: model.Plan, query: dict[str, str]) -> comparison.Column:
    scenario = Scenario.from_query(query, plan)
    return comparison.Column(label, "", plan, scenario, model.project(plan, scenario))


def test_a_value_differs_beyond_rounding_and_a_missing_sector_differs_from_any_figure():
    assert not differs(12.8, 12.8 + 1e-12) and differs(12.8, 12.9)
    assert differs(None, 12.8) and differs(12.8, None) and not differs(None, None)


def test_parameters_mark_what_differs_from_the_first_and_show_a_missing_sector_as_a_dash():
    plan = model.load_plan()
    without_textiles, problems = model.upload.plan_with_tables(plan, sectors=plan.sectors_frame().iloc[1:])
    assert without_textiles is not None and not problems
    table = comparison.parameters(
        [column("A", plan, {}), column("B", plan, {"shock": "5"}), column("C", without_textiles, {})], "vi", plan
    )
    assert table.headers == ["A", "B", "C"]
    assert len(table.labels) == len(table.rows) == len(plan.sectors) + len(PARAMETER_ROWS)
    textiles = table.labels.index(fmt.param_label("g.textiles", "vi", plan))
    assert table.rows[textiles] == ["12,8", "12,8", "–"] and table.marks[textiles] == [False, False, True]
    shock = table.labels.index(fmt.param_label("shock", "vi", plan))
    assert table.marks[shock] == [False, True, False]
    differ = comparison.differing(table)
    assert differ is not None and differ.labels == [table.labels[textiles], table.labels[shock]]
    assert differ.marks == [[False, False, True], [False, True, False]]
    assert (
        comparison.differing(comparison.parameters([column("A", plan, {}), column("B", plan, {})], "vi", plan)) is None
    )


def test_the_verdict_row_says_uncertain_where_the_overview_does():
    """Hưng Yên's default: the central path reaches the 2030 target, about half the paths miss.
    The Overview says "CHƯA CHẮC ĐẠT"; Compare must not say "Đạt" beside it."""
    plan = model.load_plan(Path(model.plan.DEFAULT_PLAN_DIR).parent / "hung_yen")
    sc = Scenario.default(plan)
    proj, risk = model.project(plan, sc), model.simulate(plan, sc, n=sc.n, seed=sc.seed)
    assert proj.reachable and not fmt.firm(proj.reachable, risk.probability)
    split = comparison.Column("HY", "", plan, sc, proj, risk)
    assert comparison.outcome("reachable", split, "vi") == "Chưa chắc đạt 2030 (xác suất 50%)"
    assert comparison.outcome("reachable", split, "en") == "Uncertain 2030 (probability 50%)"
    # a firm answer keeps its word; without a simulation, the central path's
    firm = Scenario.from_query({"g.former_hung_yen": "17", "g.former_thai_binh": "19"}, plan)
    firm_column = comparison.Column("B", "", plan, firm, model.project(plan, firm), model.simulate(plan, firm, n=2000))
    assert comparison.outcome("reachable", firm_column, "vi") == "Đạt 2030"
    assert (
        comparison.outcome("reachable", comparison.Column("HY", "", plan, sc, proj), "vi")
        == "Đạt 2030 (đường trung tâm)"
    )
    # the saved list's cell is the same rule: a scenario saved before the store kept a probability
    assert comparison.verdict_cell(True, risk.probability, 2030, "vi") == "Chưa chắc đạt 2030 (xác suất 50%)"
    assert comparison.verdict_cell(False, None, 2030, "en") == "Missed 2030 (central path)"


@pytest.mark.parametrize(
    ("reachable", "probability", "cell"),
    [
        (True, 0.9, "Đạt 2030"),
        (True, 0.8, "Đạt 2030"),  # the Overview's 80%: firm at exactly that, either way
        (False, 0.2, "Chưa đạt 2030"),
        (False, 0.1, "Chưa đạt 2030"),
        # not firm: uncertain, whichever side of the target the central path ends on
        (True, 0.79, "Chưa chắc đạt 2030 (xác suất 79%)"),
        (False, 0.21, "Chưa chắc đạt 2030 (xác suất 21%)"),
        (True, 0.55, "Chưa chắc đạt 2030 (xác suất 55%)"),
        (True, 0.51, "Chưa chắc đạt 2030 (xác suất 51%)"),
        (False, 0.49, "Chưa chắc đạt 2030 (xác suất 49%)"),
        (True, 0.45, "Chưa chắc đạt 2030 (xác suất 45%)"),
        (False, 0.6, "Chưa chắc đạt 2030 (xác suất 60%)"),
        # the words follow the percentage shown: 79.96% reads "80%", as firm as 80%
        (True, 0.7996, "Đạt 2030"),
        (False, 0.2004, "Chưa đạt 2030"),
        (True, 0.7949, "Chưa chắc đạt 2030 (xác suất 79%)"),
        (False, 0.2051, "Chưa chắc đạt 2030 (xác suất 21%)"),
    ],
)
def test_a_verdict_cell_gives_its_probability_unless_the_answer_is_firm(reachable, probability, cell):
    """The saved list has no probability column: the cell must not make a coin-flip read firm,
    and the rule is the Overview's (its headline, its box's colour)."""
    assert comparison.verdict_cell(reachable, probability, 2030, "vi") == cell


def test_a_comparison_link_is_read_in_order_each_id_once_and_the_missing_ones_named():
    link = comparison.from_link("12,current,99,12,,abc", ["current", "12", "15"])
    assert (link.chosen, link.missing, link.named, link.cut) == (["12", "current"], ["99", "abc"], 4, False)
    assert link.missing_text("vi") == "99, abc"
    assert comparison.from_link("", ["current"]) == comparison.LinkChoice([], [], 0)
    # Repeats and empty pieces are not ids: they neither count nor take the place of one.
    padded = comparison.from_link("12" + "," * 200 + ",12" * 100 + ",15", ["current", "12", "15"])
    assert (padded.chosen, padded.named, padded.cut) == (["12", "15"], 2, False)


def test_a_hostile_comparison_link_is_read_within_bounds():
    """Up to Streamlit's 512 Ki characters of ids: only the first LINK_IDS_READ are read, and
    the message names a few, each cut to a readable length."""
    raw = ",".join(["15", "x" * 5_000] + [str(1000 + i) for i in range(100_000)])
    link = comparison.from_link(raw, ["current", "15"])
    assert link.chosen == ["15"] and len(link.missing) == comparison.LINK_IDS_READ - 1
    assert link.cut and link.named == 100_002
    shown = link.missing_text("vi")
    assert shown.startswith("x" * comparison.ID_CHARS_NAMED + "…, 1000, 1001,")
    assert shown.endswith(", 1008 và 39 kịch bản khác"), "how many more, not a bare '…'"
    assert link.missing_text("en").endswith(", 1008 and 39 more")
    assert len(shown) < 150


def test_a_long_name_keeps_its_start_and_end_in_the_pickers_chip():
    name = "Phục hồi chậm sau COVID: dệt may, da giày tăng 6%/năm nhờ EVFTA, CPTPP 2021–2025"  # 80, the most
    assert comparison.chip_label(name) == "Phục hồi chậm sau COVID: dệt may, da … CPTPP 2021–2025"
    assert len(comparison.chip_label("x" * 80)) == comparison.CHIP_CHARS  # no spaces: cut where it must
    short = "Phương án cơ sở"
    assert comparison.chip_label(short) == short and comparison.chip_label("y" * 60) == "y" * 60


def test_names_that_share_a_long_start_stay_apart_when_shortened():
    """The compare chart's legend and the paper's column heads show long names shortened: cut
    at their ends, three names from one department read the same."""
    start = "Phương án Sở Công Thương: dệt may, da giày tăng tốc nhờ EVFTA, CPTPP"
    names = [f"{start} - mức thấp", f"{start} - mức cao", f"{start} 2021–2025", "Hiện tại"]
    shown = fmt.short_names(names, 40)
    assert shown == ["Phương án Sở Công Thương: … - mức thấp", "Phương án Sở Công Thương: … - mức cao",
                     "Phương án Sở Công Thương: … 2021–2025", "Hiện tại"]  # fmt: skip
    assert all(len(name) <= 40 for name in shown)
    # two that differ only in the middle come out the same: numbered by their place
    middle = [f"{start} A bản cuối", f"{start} B bản cuối"]
    numbered = fmt.short_names(["Hiện tại", *middle], 30)
    assert numbered[0] == "Hiện tại" and numbered[1].endswith(" (2)") and numbered[2].endswith(" (3)")
    assert numbered[1][:-4] == numbered[2][:-4] and all(len(name) <= 30 for name in numbered), numbered
