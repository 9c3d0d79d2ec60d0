"""Exports, made on click, offline, as bytes (no Streamlit here):

- tables.py: the projection table as CSV (in the reader's convention) and the workbook
  (projection, scenario, backtest, figures, actuals, sources; set up to print);
- brief.py: the one-page PDF brief of a scenario and the one-page comparison of 2-4,
  laid out by page.py (blocks that measure and draw themselves; the chart takes the rest);
- images.py: charts as PNG and SVG, rendered by vl-convert with the shipped fonts;
- names.py: file names (ASCII slugs) and the words for the data a scenario uses.

The scenario's JSON file belongs with the scenario: model/scenario_file.py.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
