"""Issue 4 in a real browser: save options A and B, compare them, restart the server on the
same database and find them (and the comparison link) again; a download does not rerun.

The first and the restarted server share one EXPORT_PLANNER_DB file: start_server(db)
from conftest.py starts a server on the database of the test's choosing.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import expected
import pytest
from playwright.sync_api import expect

from model.store import ScenarioStore

pytestmark = pytest.mark.browser

TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
NAME_A = "Phương án A – dệt may 8%"
NAME_B = "Phương án B"
NOTE_A = "Họp Sở Công Thương, phương án thận trọng"
CURRENT_VI = "Kịch bản hiện tại"
GROWTH_TEXTILES_ROW = "Tăng trưởng: Dệt may (%/năm)"
GROWTH_FOOTWEAR_ROW = "Tăng trưởng: Da giày (%/năm)"
TOTAL_ROW = "Kim ngạch năm mục tiêu (triệu USD)"
SAVED_HEADER = ["Tên", "Cập nhật (UTC)", "Kết luận", "Kim ngạch năm mục tiêu (triệu USD)", "Ghi chú"]
UPDATED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$")  # when it was saved, in UTC


# --- reading the Compare page ---------------------------------------------------------------
#
# A st.dataframe is drawn on a canvas; beside it the grid keeps an accessible <table> that
# it redraws a moment after the script has finished. Every read below is an `expect`, so it
# waits for the redraw instead of reading a table that is about to change.


def table_rows(dataframe):
    """The rows of a st.dataframe's accessible table, header first."""
    return dataframe.locator("table").first.locator("tr")


def expect_table(dataframe, rows: list[list[str]]) -> None:
    """The table reads exactly `rows` (header first), cell by cell."""
    found = table_rows(dataframe)
    expect(found).to_have_count(len(rows))
    for i, row in enumerate(rows):
        expect(found.nth(i).locator("th, td")).to_have_text(row)


def expect_row(dataframe, label: str, values: list[str]) -> None:
    """The row whose first cell is `label` reads `values` after it."""
    row = table_rows(dataframe).filter(has_text=re.compile(rf"^\s*{re.escape(label)}"))
    expect(row.locator("th, td")).to_have_text([label, *values])


def saved_table(app):
    """The "Kịch bản đã lưu" table (the first dataframe of the Compare page)."""
    return app.main.get_by_test_id("stDataFrame").first


def comparison_table(app):
    """The side-by-side table (the dataframe after the comparison chart)."""
    return app.main.get_by_test_id("stDataFrame").last


def save_scenario(app, name: str, note: str = "") -> None:
    form = app.main.get_by_test_id("stForm")
    form.get_by_label("Tên kịch bản").fill(name)
    if note:
        form.get_by_label("Ghi chú (không bắt buộc)").fill(note)
    form.get_by_role("button", name="Lưu", exact=True).click()
    expect(app.main.get_by_test_id("stAlert").filter(has_text=f"Đã lưu «{name}».")).to_be_visible()
    app.wait_idle()
    expect(form.get_by_label("Tên kịch bản")).to_have_value("")  # the form was cleared


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


# --- the tests ------------------------------------------------------------------------------


def test_save_compare_restart_and_find_them_again(start_server, new_app, tmp_path):
    db = tmp_path / "meeting.sqlite3"
    first = start_server(db)
    app = new_app(first.url).open("/compare?g.textiles=8")
    expect(app.title()).to_have_text("So sánh")
    expect(app.main.get_by_text("Chưa có kịch bản nào được lưu.")).to_be_visible()

    save_scenario(app, NAME_A, NOTE_A)
    app.set_slider("g.textiles", ["PageDown"], "0,0%/năm", "0")  # 8.0 -> 0.0 (a tenth of the range)
    save_scenario(app, NAME_B)

    # both in the list (most recent first), with verdict and target-year total
    total_a, total_b = expected.total({"g.textiles": "8"}), expected.total({"g.textiles": "0"})
    rows_a = [NAME_A, "Chưa đạt 2025", total_a, NOTE_A]
    rows_b = [NAME_B, "Chưa đạt 2025", total_b, ""]
    saved = saved_table(app)
    expect_table(saved, [SAVED_HEADER, rows_b[:1] + [UPDATED] + rows_b[1:], rows_a[:1] + [UPDATED] + rows_a[1:]])
    stored = {s.name: s for s in ScenarioStore(db).list()}
    assert set(stored) == {NAME_A, NAME_B}
    assert float(stored[NAME_A].query["g.textiles"]) == 8.0, stored[NAME_A].query
    assert float(stored[NAME_B].query["g.textiles"]) == 0.0, stored[NAME_B].query
    id_a, id_b = stored[NAME_A].id, stored[NAME_B].id

    # compare A and B (not the current scenario): the selection is in the address bar
    pick(app, NAME_A, then=["current", str(id_a)])
    pick(app, NAME_B, then=["current", str(id_a), str(id_b)])
    unpick(app, CURRENT_VI, then=[str(id_a), str(id_b)])
    expect(chosen(app)).to_have_text([NAME_A, NAME_B])
    expect(app.main.get_by_test_id("stVegaLiteChart").or_(app.main.locator(".vega-embed")).first).to_be_visible()
    comparison = comparison_table(app)
    expect(table_rows(comparison).first.locator("th, td")).to_have_text(["", NAME_A, NAME_B])
    expect_row(comparison, GROWTH_TEXTILES_ROW, ["8,0", "0,0"])
    expect_row(comparison, TOTAL_ROW, [total_a, total_b])
    expect_row(comparison, GROWTH_FOOTWEAR_ROW, ["10,5", "10,5"])  # the same where not changed
    link_box = app.main.get_by_test_id("stCode")
    expect(link_box).to_have_text(re.compile(rf"^{re.escape(first.url)}/compare\?.*cmp={id_a},{id_b}"))
    link = link_box.inner_text().strip()

    # restart: a new process on the same database file
    first.stop()
    second = start_server(db)
    assert second.port != first.port
    after = new_app(second.url).open("/compare")
    expect_table(
        saved_table(after),
        [SAVED_HEADER, rows_b[:1] + [UPDATED] + rows_b[1:], rows_a[:1] + [UPDATED] + rows_a[1:]],
    )

    # the comparison link, as the first request of a fresh session on the new server
    shared = new_app(second.url).open(after.relink(link, second.url), absolute=True)
    expect(shared.title()).to_have_text("So sánh")
    expect(chosen(shared)).to_have_text([NAME_A, NAME_B])
    comparison = comparison_table(shared)
    expect(table_rows(comparison).first.locator("th, td")).to_have_text(["", NAME_A, NAME_B])
    expect_row(comparison, GROWTH_TEXTILES_ROW, ["8,0", "0,0"])
    expect_row(comparison, TOTAL_ROW, [total_a, total_b])
    expect(shared.main.get_by_test_id("stAlert").filter(has_text="không còn")).to_have_count(0)
    expect(shared.page.get_by_test_id("stException")).to_have_count(0)


WATCH_RERUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__scriptStates = [];
    window.__statusWidgetSeen = false;
    new MutationObserver(() => {
        window.__scriptStates.push(app.dataset.testScriptState);
        if (document.querySelector('[data-testid="stStatusWidget"]')) window.__statusWidgetSeen = true;
    }).observe(document.body, {attributes: true, childList: true, subtree: true,
                               attributeFilter: ['data-test-script-state', 'data-stale']});
}"""


def test_csv_download_has_vietnamese_headers_and_does_not_rerun(new_app, server):
    app = new_app(server).open("/")
    total = app.metric_value(TOTAL_VI)
    expect(total).to_have_text(expected.total({}))
    expect(app.verdict()).to_have_text(app.verdict_text(True, expected.total({})))
    button = app.main.get_by_test_id("stDownloadButton").filter(has_text="Bảng dự báo (CSV)")
    button.scroll_into_view_if_needed()
    app.wait_idle()
    app.page.evaluate(WATCH_RERUNS)
    before = len(app.sent.kinds)

    with app.page.expect_download() as download_info:
        button.get_by_role("button").click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith("-2025.csv"), download.suggested_filename
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the diacritics
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    headers = list(table[0])
    assert headers[0] == "Năm", headers
    assert "Dệt may (triệu USD)" in headers and "Tổng (triệu USD)" in headers, headers
    year_2025 = next(r for r in table if r["Năm"] == "2025")
    assert round(float(year_2025["Tổng (triệu USD)"])) == 2870, year_2025
    assert "2870" in raw.decode("utf-8-sig")

    # The click asked the server for the file and for no rerun. A rerun request would leave in
    # the click's own handler, before the file (which needs a round trip to the server), so
    # the messages sent until the download arrived are all the click sent: no waiting needed.
    clicked = app.sent.kinds[before:]
    assert "rerun_script" not in clicked, clicked
    assert "backend_operation_request" in clicked, clicked  # the file was asked for: the watch works
    states = app.page.evaluate("() => window.__scriptStates")
    assert "running" not in states, states
    assert app.page.evaluate("() => window.__statusWidgetSeen") is False
    expect(app.main.locator('[data-stale="true"]')).to_have_count(0)
    expect(total).to_have_text(expected.total({}))
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
