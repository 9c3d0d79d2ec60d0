"""Compare's tables, built without Streamlit: what differs from the first scenario is marked,
a sector one scenario's figures lack shows "–" and differs."""

from __future__ import annotations

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
