"""A read-only table as one piece of HTML: every header, row label and cell escaped, so each
shows exactly its characters (names, sources and notes come from what users type or upload).

Why not `st.table`: it renders every header and cell through Streamlit's Markdown renderer
in the browser, one renderer per cell. On a first page that held back the sidebar's sliders
as well as the tables (the browser shows the page's elements together): the Overview's two
tables, about a hundred cells, cost its first page about 0.1 s. One HTML element costs one
sanitised `innerHTML`. Streamlit's sanitiser still runs on it (no script, no event handler
would survive), but it has nothing to remove: the text is escaped here.

No Streamlit here: the pages draw it with `ui.components.text_table`, the tests read it back.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

CLASS = "text-table"
FRAME = f"{CLASS}-frame"  # the box around a table (rounded; scrolls if a table ever cannot wrap)
MARK = "mark"  # a cell that differs (Compare's parameter tables)

# Streamlit's own table look (a light frame with rounded corners, faded headers, small text),
# its colours mixed from the theme's text colour, which the table inherits (.streamlit/config.toml
# stays the one place for it). Cells wrap between words, so a projector at 1024 px shows every
# figure, name and note without a sideways scroll (breaking inside words, a pasted address
# would not widen a table, but the browser then broke short words in narrow columns too:
# "Trạng thái" over three lines). A marked cell: bold on yellow (the background alone is faint
# on a projector). Sent with each table: st.html keeps a <style> beside its content.
_LINE = "1px solid color-mix(in srgb, currentColor 10%, transparent)"
STYLE = f"""<style>
.{FRAME} {{ border: {_LINE}; border-radius: 0.5rem; overflow-x: auto; }}
table.{CLASS} {{ width: 100%; border-collapse: separate; border-spacing: 0; font-size: 0.875rem;
  line-height: 1.5; }}
.{CLASS} th, .{CLASS} td {{ padding: 0.25rem 0.375rem; text-align: left; vertical-align: middle;
  font-weight: 400; border-bottom: {_LINE}; border-right: {_LINE}; }}
.{CLASS} th {{ color: color-mix(in srgb, currentColor 70%, transparent); }}
.{CLASS} tr > :last-child {{ border-right: none; }}
.{CLASS} tbody tr:last-child > * {{ border-bottom: none; }}
.{CLASS} {MARK} {{ background: rgba(255, 210, 0, 0.45); color: inherit; font-weight: 700; padding: 0 0.125rem; }}
</style>"""


@dataclass(frozen=True)
class LabelledTable:
    """A table whose rows have labels (Compare's): headers, each row's label and cells, and
    the cells to mark (None: none)."""

    headers: list[str]
    labels: list[str]
    rows: list[list[str]]
    marks: list[list[bool]] | None = None

    def only(self, keep: Sequence[bool]) -> LabelledTable:
        """The rows `keep` says to keep."""
        pick = [i for i, k in enumerate(keep) if k]
        marks = None if self.marks is None else [self.marks[i] for i in pick]
        return LabelledTable(self.headers, [self.labels[i] for i in pick], [self.rows[i] for i in pick], marks)


def table_html(
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    row_labels: Sequence[object] | None = None,
    marks: Sequence[Sequence[bool]] | None = None,
) -> str:
    """The table: `headers` above, each row's label (when given) as its first cell, the cells
    `marks` says are marked in <mark>."""
    head = ([""] if row_labels is not None else []) + [_text(h) for h in headers]
    lines = [STYLE, f'<div class="{FRAME}"><table class="{CLASS}"><thead><tr>']
    lines.append("".join(f'<th scope="col">{h}</th>' for h in head))
    lines.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        label = f'<th scope="row">{_text(row_labels[i])}</th>' if row_labels is not None else ""
        marked = marks[i] if marks is not None else [False] * len(row)
        cells = (
            f"<td><{MARK}>{_text(v)}</{MARK}></td>" if m else f"<td>{_text(v)}</td>"
            for v, m in zip(row, marked, strict=True)
        )
        lines.append(f"<tr>{label}{''.join(cells)}</tr>")
    lines.append("</tbody></table></div>")
    return "".join(lines)


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)
