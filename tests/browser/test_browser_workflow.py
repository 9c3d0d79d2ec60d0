"""Saved scenarios in a real browser: save options A and B, compare them, restart the server on the
same database and find them (and the comparison link) again; a download does not rerun.

The first and the restarted server share one EXPORT_PLANNER_DB file: start_server(db)
from conftest.py starts a server on the database of the test's choosing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import expected
import pytest
from compare_page import (
    CURRENT_VI,
    chosen,
    differing_table,
    expect_header,
    expect_row,
    expect_table,
    outcome_table,
    pick,
    save_scenario,
    saved_table,
    unpick,
)
from playwright.sync_api import expect

import model
from model.store import ScenarioStore

pytestmark = pytest.mark.browser

TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
NAME_A = "Phương án A – dệt may 8%"
NAME_B = "Phương án B"
# A note is free text: HTML typed into it is shown as typed in the saved list's table.
NOTE_A = 'Họp Sở Công Thương, phương án thận trọng <img src=x onerror="alert(1)"> & <b>không đậm</b>'
GROWTH_TEXTILES_ROW = "Tăng trưởng: Dệt may (%/năm)"
TOTAL_ROW = "Kim ngạch năm mục tiêu (triệu USD)"
DATA_ROW = "Số liệu dùng"
SAVED_HEADER = ["Tên", "Cập nhật (giờ Việt Nam)", "Kết luận", "Kim ngạch năm mục tiêu (triệu USD)", "Ghi chú",
                "Số liệu dùng"]  # fmt: skip
UPDATED = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$")  # when it was saved, in Vietnam time
BUNDLED_SHORT = "Thái Bình, bộ dữ liệu gốc"
BUNDLED_DATA = f"Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {model.load_plan().fingerprint})"


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

    # both in the list (most recent first), with verdict, target-year total and their data
    total_a, total_b = expected.total({"g.textiles": "8"}), expected.total({"g.textiles": "0"})
    # both miss: A not firmly (fewer than 80% of its paths miss), so its cell says "uncertain"
    # with the probability; B firmly (textiles flat), so its cell says "missed"
    verdict_a = f"Chưa chắc đạt 2025 (xác suất {expected.percent({'g.textiles': '8'})})"
    row_a = [NAME_A, UPDATED, verdict_a, total_a, NOTE_A, BUNDLED_SHORT]
    row_b = [NAME_B, UPDATED, "Chưa đạt 2025", total_b, "", BUNDLED_SHORT]
    expect_table(saved_table(app), [SAVED_HEADER, row_b, row_a])
    expect(saved_table(app).locator("img, b")).to_have_count(0)  # the note's HTML is text
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
    expect_compared_tables(app, total_a, total_b)
    link_box = app.main.get_by_test_id("stCode")
    expect(link_box).to_have_text(re.compile(rf"^{re.escape(first.url)}/compare\?.*cmp={id_a},{id_b}"))
    link = link_box.inner_text().strip()

    # restart: a new process on the same database file
    first.stop()
    second = start_server(db)
    assert second.port != first.port
    after = new_app(second.url).open("/compare")
    expect_table(saved_table(after), [SAVED_HEADER, row_b, row_a])

    # the comparison link, as the first request of a fresh session on the new server
    shared = new_app(second.url).open(after.relink(link, second.url), absolute=True)
    expect(shared.title()).to_have_text("So sánh")
    expect(chosen(shared)).to_have_text([NAME_A, NAME_B])
    expect_compared_tables(shared, total_a, total_b)
    expect(shared.main.get_by_test_id("stAlert").filter(has_text="không còn")).to_have_count(0)
    expect(shared.page.get_by_test_id("stException")).to_have_count(0)


def expect_compared_tables(app, total_a: str, total_b: str) -> None:
    """The paper opens with the data both scenarios share, said once, and each one's outcome,
    then only the parameter that differs."""
    expect(app.main.get_by_text(f"Mọi kịch bản đều tính trên số liệu: {BUNDLED_DATA}.")).to_be_visible()
    outcome = outcome_table(app)
    expect_header(outcome, ["", NAME_A, NAME_B])
    expect(outcome.get_by_text(DATA_ROW)).to_have_count(0)
    expect_row(outcome, TOTAL_ROW, [total_a, total_b])
    differing = differing_table(app)
    expect_table(differing, [["", NAME_A, NAME_B], [GROWTH_TEXTILES_ROW, "8,0", "0,0"]])


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
    button = (
        app.open_expander("Tải xuống", app.main).get_by_test_id("stDownloadButton").filter(has_text="Bảng dự báo (CSV)")
    )
    button.scroll_into_view_if_needed()
    app.wait_idle()
    app.page.evaluate(WATCH_RERUNS)
    before = len(app.sent.kinds)

    with app.page.expect_download() as download_info:
        button.get_by_role("button").click()
    download = download_info.value
    assert download.failure() is None
    # the plan, the target year, today's date in Vietnam, then the name of a saved scenario that
    # is exactly this one if another test on this shared server saved one (test_browser_meeting)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    assert re.fullmatch(rf"thai-binh-2025-{today}(-[a-z0-9-]+)?\.csv", download.suggested_filename), (
        download.suggested_filename
    )
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the diacritics
    # the Vietnamese convention, as Excel reads it in vi-VN: ';' between cells, ',' as decimal mark
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    headers = list(table[0])
    assert headers[0] == "Năm", headers
    assert "Dệt may (triệu USD)" in headers and "Tổng (triệu USD)" in headers, headers
    year_2025 = next(r for r in table if r["Năm"] == "2025")
    assert round(float(year_2025["Tổng (triệu USD)"].replace(",", "."))) == 2870, year_2025

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
