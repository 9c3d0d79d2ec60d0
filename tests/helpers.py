"""Small helpers shared by the AppTests: read what a user reads."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

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


# The verdict's headline (an H3 in the banner): "ĐẠT mục tiêu 2025 — dự báo nhìn từ năm 2020".
VERDICT = re.compile(r"^### ((CHƯA )?ĐẠT mục tiêu|Target \d{4} (NOT )?REACHED)")


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source whose data fields were escaped (ui.text.md)."""
    return re.sub(r"\\(.)", r"\1", markdown)


HIGHLIGHTED = re.compile(r":yellow-background\[\*\*(.*)\*\*\]", re.S)  # ui.components.HIGHLIGHT


def read_table(element) -> pd.DataFrame:
    """A st.table as a reader sees it: its headers, row labels and cells unescaped
    (ui.components.text_table escapes each as Markdown), a highlighted cell's text without its mark."""
    frame = element.value.map(lambda cell: shown(HIGHLIGHTED.sub(r"\1", cell)))
    frame.columns = [shown(str(c)) for c in frame.columns]
    frame.index = [shown(i) if isinstance(i, str) else i for i in frame.index]
    return frame


def highlighted(element) -> pd.DataFrame:
    """Which cells of a st.table are marked (ui.components.HIGHLIGHT), labelled as read_table labels them."""
    table = read_table(element)
    return pd.DataFrame(
        element.value.map(lambda cell: bool(HIGHLIGHTED.fullmatch(cell))).to_numpy(),
        index=table.index, columns=table.columns,
    )  # fmt: skip


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
