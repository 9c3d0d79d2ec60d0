"""Reading and driving the Compare page and the sidebar's save box, as a user does.

The Compare page's tables are plain <table>s whose cells wrap (ui.table_html). Every read
below is an `expect`, so it waits for the page's redraw instead of reading a table that is
about to change.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from ui.table_html import FRAME

TABLE = f".{FRAME}"  # a read-only table's box

CURRENT_VI = "Kịch bản hiện tại"


def table_rows(dataframe):
    """The rows of a read-only table, header first."""
    return dataframe.locator("table").first.locator("tr")


def expect_table(dataframe, rows: list[list]) -> None:
    """The table reads exactly `rows` (header first), cell by cell (a cell may be a pattern)."""
    found = table_rows(dataframe)
    expect(found).to_have_count(len(rows))
    for i, row in enumerate(rows):
        expect(found.nth(i).locator("th, td")).to_have_text(row)


def expect_row(dataframe, label: str, values: list[str]) -> None:
    """The row whose first cell is `label` reads `values` after it."""
    row = table_rows(dataframe).filter(has_text=re.compile(rf"^\s*{re.escape(label)}"))
    expect(row.locator("th, td")).to_have_text([label, *values])


def expect_header(dataframe, names: list[str]) -> None:
    expect(table_rows(dataframe).first.locator("th, td")).to_have_text(names)


def saved_table(app):
    """The "Kịch bản đã lưu" table (the last table of the Compare page)."""
    return app.main.locator(TABLE).last


def outcome_table(app):
    """The paper's first table: each scenario's data, verdict and key figures."""
    return app.main.locator(TABLE).first


def differing_table(app):
    """The parameters that differ from the first scenario (the table after the chart)."""
    return app.main.locator(TABLE).nth(1)


def save_scenario(app, name: str, note: str = "") -> None:
    """The sidebar's save box (on every page); a save empties it."""
    form = app.save_form()
    app.type_in(form.get_by_label("Tên kịch bản"), name)
    if note:
        app.type_in(form.get_by_label("Ghi chú (không bắt buộc)"), note)
    form.get_by_role("button", name="Lưu", exact=True).click()
    expect(app.sidebar.get_by_test_id("stAlert").filter(has_text=f"Đã lưu «{name}».")).to_be_visible()
    app.wait_idle()
    expect(form.get_by_label("Tên kịch bản")).to_have_value("")


def expect_compared(app, ids: list[str]) -> None:
    """The server has run with this selection: the page writes it to the address bar (cmp=)."""
    expect(app.page).to_have_url(re.compile(rf"[?&]cmp={'(,|%2C)'.join(map(re.escape, ids))}(&|$)"))
    app.wait_idle()


def pick(app, label: str, then: list[str]) -> None:
    """Add one option to the comparison multiselect (typing filters the list); wait until the
    server has run with the selection `then` (ids), so that the next action meets a still page."""
    combo = app.main.get_by_test_id("stMultiSelect").get_by_role("combobox")
    combo.click()
    combo.fill(label)
    app.page.get_by_test_id("stMultiSelectDropdown").get_by_role("option").filter(
        has_text=re.compile(f"^{re.escape(label)}$")
    ).click()
    app.page.keyboard.press("Escape")
    expect_compared(app, then)


def unpick(app, label: str, then: list[str]) -> None:
    app.main.get_by_test_id("stMultiSelect").get_by_role("button", name=f"Remove {label}").click()
    expect_compared(app, then)


def chosen(app):
    """The options chosen in the comparison's multiselect, as tags (expect them to_have_text)."""
    tags = app.main.get_by_test_id("stMultiSelect").get_by_test_id("stMultiSelectTagsContainer")
    return tags.locator("[data-tag]")
