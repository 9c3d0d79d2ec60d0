"""Small helpers shared by the AppTests: read what a user reads."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui import table_html

# Long property runs and fuzzing: a sample in the suite, every example in the fuzz benchmark
# (tests/benchmarks/fuzz.py sets EXPORT_PLANNER_FUZZ=full).
FUZZ_FULL = os.environ.get("EXPORT_PLANNER_FUZZ") == "full"

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def examples(suite: int, full: int) -> int:
    """How many generated examples: `suite` in the test suite, `full` in the fuzz benchmark."""
    return full if FUZZ_FULL else suite


def run_app(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """Run the app as a first visit with this link's query, then switch to `page` (a path
    under views/); fail on any exception the page shows."""
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def open_boxes(at: AppTest, *names: str) -> AppTest:
    """Open sections and popovers whose content is built only while open (by the name given to
    ui.controls.built_when_open), as clicks on their titles do, and rerun."""
    from ui.controls import open_key

    for name in names:
        at.session_state[open_key(name)] = True
    return at.run()


def open_settings(at: AppTest) -> AppTest:
    """Open the sidebar's settings sections: their widgets are drawn only while open."""
    from ui.controls import SECTIONS

    return open_boxes(at, *SECTIONS)


def share_link(at: AppTest) -> str:
    """The sidebar's share link, its popover opened as a user opens it."""
    return open_boxes(at, "share").sidebar.code[0].value


# The verdict's headline (an H3 in the banner): "ĐẠT mục tiêu 2025 — dự báo nhìn từ năm 2020", or
# "CHƯA CHẮC ĐẠT mục tiêu 2025: …" when it is not a firm answer.
VERDICT = re.compile(r"^### ((CHƯA (CHẮC )?)?ĐẠT mục tiêu|Target \d{4} ((NOT )?REACHED|UNCERTAIN))")


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source whose data fields were escaped (ui.text.md)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def tables(at) -> list:
    """The read-only tables (ui.table_html) of an AppTest or a block, in page order."""
    return [element for element in at.html if f'class="{table_html.CLASS}"' in element.value]


class _TableReader(HTMLParser):
    """A table_html table's rows as (text, is a row label, is marked) cells, header row first."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, bool, bool]]] = []
        self._cell: list[str] | None = None
        self._row_label = self._marked = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._row_label, self._marked = [], ("scope", "row") in attrs, False
        elif tag == table_html.MARK:
            self._marked = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._row_label, self._marked))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _cells(element) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the texts, which are marked) of a table_html table, labelled as a reader reads it:
    its headers as columns, its row labels (when it has them) as the index."""
    reader = _TableReader()
    reader.feed(element.value)
    header, *rows = reader.rows
    labelled = rows[0][0][1] if rows else header[0][0] == ""  # row labels: an empty corner above them
    columns = [text for text, _, _ in (header[1:] if labelled else header)]
    index = [row[0][0] for row in rows] if labelled else None
    body = [row[1:] if labelled else row for row in rows]
    texts = pd.DataFrame([[c[0] for c in row] for row in body], columns=columns, index=index)
    marks = pd.DataFrame([[c[2] for c in row] for row in body], columns=columns, index=index)
    return texts, marks


def read_table(element) -> pd.DataFrame:
    """A read-only table (ui.table_html) as a reader sees it: its cells' texts."""
    return _cells(element)[0]


def highlighted(element) -> pd.DataFrame:
    """Which cells of a read-only table are marked, labelled as read_table labels them."""
    return _cells(element)[1]


def _read(markdown: str) -> str:
    """A headline and its details as one text, the way they are read: "Headline. Details"."""
    head, _, details = shown(markdown).lstrip("#").strip().strip("*").partition("\n\n")
    return f"{head}. {details}" if details else head


def verdict(at: AppTest) -> tuple[str, str]:
    """(the alert's kind: success, warning or error; the verdict as a reader sees it: its
    headline, then its details)."""
    for kind in ("success", "warning", "error"):
        for alert in getattr(at, kind):
            if VERDICT.match(alert.value):
                return kind, _read(alert.value)
    raise AssertionError("no verdict on the page")


def record(at: AppTest) -> str:
    """The record box (what really happened), as a reader sees it: its headline, then its details."""
    for alert in at.info:
        text = _read(alert.value)
        if text.startswith(("Thực tế:", "The record:")):
            return text
    raise AssertionError("no record on the page")


def vega_drawn(spec: dict) -> tuple[list[float], list[tuple[str, float, float]]]:
    """A Vega-Lite chart as Vega draws it (vl-convert's scenegraph): the y of each horizontal
    rule on the plot, and each text on the plot with its top and bottom, in pixels from the
    plot's top."""
    import json

    import vl_convert

    rules: list[float] = []
    words: list[tuple[str, float, float]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("marktype") == "rule" and (node.get("name") or "").endswith("_marks"):
                rules.extend(item["y"] for item in node["items"] if "y2" not in item)
            if node.get("marktype") == "text" and (node.get("name") or "").endswith("_marks"):
                for item in node["items"]:
                    size, y = item["fontSize"], item["y"] + item.get("dy", 0)
                    top = y - size if item.get("baseline") == "bottom" else y
                    words.append((item["text"], top, top + size))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(vl_convert.vegalite_to_scenegraph(json.dumps(spec)))
    return rules, words
