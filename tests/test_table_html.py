"""The read-only tables' HTML: every text shows exactly its characters, whatever a user typed."""

from __future__ import annotations

import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.helpers import highlighted, read_table, tables
from ui.table_html import table_html

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "</td></tr></table><b>out</b>",
    "&lt;already escaped&gt; &amp; \"quoted\" 'single'",
    "**bold** [link](http://evil.example) $x^2$ :red[red]",
]


class _Shown:
    """What AppTest gives of an st.html element: its body."""

    def __init__(self, body: str) -> None:
        self.value = body


def test_every_text_is_escaped_and_reads_back_as_typed():
    page = table_html(HOSTILE, [HOSTILE, list(reversed(HOSTILE))], row_labels=HOSTILE[:2])
    body = page.split("</style>", 1)[1]
    # No tag but the table's own: nothing typed opens an element or an attribute.
    assert set(re.findall(r"<(/?\w+)", body)) <= {"div", "/div", "table", "/table", "thead", "/thead", "tbody",
                                                   "/tbody", "tr", "/tr", "th", "/th", "td", "/td"}  # fmt: skip
    read = read_table(_Shown(page))
    assert list(read.columns) == HOSTILE
    assert list(read.index) == HOSTILE[:2]
    assert read.to_numpy().tolist() == [HOSTILE, list(reversed(HOSTILE))]


def test_marked_cells_and_tables_without_row_labels():
    page = _Shown(table_html(["a", "b"], [["1", "<2>"], ["3", "4"]], marks=[[False, True], [False, False]]))
    assert read_table(page).to_numpy().tolist() == [["1", "<2>"], ["3", "4"]]
    assert list(read_table(page).index) == [0, 1]
    assert highlighted(page).to_numpy().tolist() == [[False, True], [False, False]]
    assert "<mark>&lt;2&gt;</mark>" in page.value


def test_a_page_draws_it_as_one_html_element():
    def page():
        from ui.components import text_table
        from ui.table_html import LabelledTable

        text_table([{"Tên": "<b>x</b>", "Giá trị": "1,5"}, {"Tên": "y"}])
        text_table(LabelledTable(["v"], ["r1", "r2"], [["1"], ["2"]], [[True], [False]]))

    at = AppTest.from_function(page).run()
    assert not at.exception and len(at.table) == 0
    first, second = tables(at)
    assert read_table(first).to_numpy().tolist() == [["<b>x</b>", "1,5"], ["y", ""]]
    assert read_table(second).to_dict() == {"v": {"r1": "1", "r2": "2"}}
    assert highlighted(second).to_dict() == {"v": {"r1": True, "r2": False}}
    pd.testing.assert_index_equal(read_table(second).columns, pd.Index(["v"]))
