"""Small helpers shared by the AppTests: read what a user reads."""

from __future__ import annotations

import os
import re

from streamlit.testing.v1 import AppTest

# Long property runs and fuzzing: a sample in the suite, every example in the fuzz benchmark
# (tests/benchmarks/fuzz.py sets EXPORT_PLANNER_FUZZ=full).
FUZZ_FULL = os.environ.get("EXPORT_PLANNER_FUZZ") == "full"


def examples(suite: int, full: int) -> int:
    """How many generated examples: `suite` in the test suite, `full` in the fuzz benchmark."""
    return full if FUZZ_FULL else suite


VERDICT = re.compile(r"^### (Dự báo nhìn từ năm|Projection as seen from) \d{4}")


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source whose data fields were escaped (ui.text.md)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def verdict(at: AppTest) -> tuple[str, str]:
    """(the alert's kind: success, warning or error; the verdict as a reader sees it)."""
    for kind in ("success", "warning", "error"):
        for alert in getattr(at, kind):
            if VERDICT.match(alert.value):
                return kind, shown(alert.value)[4:]
    raise AssertionError("no verdict on the page")


def record(at: AppTest) -> str:
    """The record box (what really happened), as a reader sees it."""
    for alert in at.info:
        text = shown(alert.value).strip("*")
        if text.startswith(("Thực tế:", "The record:")):
            return text
    raise AssertionError("no record on the page")
