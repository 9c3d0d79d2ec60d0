"""Issue 4 in a real browser: save options A and B, compare them, restart the server on the
same database and find them (and the comparison link) again; a download does not rerun.

The first and the restarted server share one EXPORT_PLANNER_DB file: start_server(db)
from conftest.py starts a server on the database of the test's choosing.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

import model
from model.store import ScenarioStore
from ui import format as fmt

pytestmark = pytest.mark.browser

TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
NAME_A = "Phương án A – dệt may 8%"
NAME_B = "Phương án B"
NOTE_A = "Họp Sở Công Thương, phương án thận trọng"
CURRENT_VI = "Kịch bản hiện tại"
GROWTH_TEXTILES_ROW = "Tăng trưởng: Dệt may (%/năm)"
TOTAL_ROW = "Kim ngạch năm mục tiêu (triệu USD)"
SAVED_HEADER = ["Tên", "Cập nhật (giờ Việt Nam)", "Kết luận", "Kim ngạch năm mục tiêu (triệu USD)", "Ghi chú",
                "Số liệu dùng"]  # fmt: skip
BUNDLED_DATA = f"Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {model.load_plan().fingerprint})"


# --- a server on a database file of our choosing (the restart must find the same file) ---


# --- reading the Compare page ---------------------------------------------------------------


def table_rows(dataframe, header: list[str], until=None) -> list[list[str]]:
    """A st.dataframe's header and body as text, from the grid's accessible table, once its
    header row reads `header` and its rows satisfy `until` (the grid redraws a moment after
    the script has finished)."""
    expect(dataframe.locator("table [role=row]").first).to_be_attached()
    deadline = time.monotonic() + 15
    while True:
        rows = dataframe.locator("table").first.evaluate(
            """t => [...t.querySelectorAll('[role=row]')].map(
                   r => [...r.querySelectorAll('th, td, [role=gridcell], [role=columnheader]')]
                           .filter((c, i, all) => !all.some(o => o !== c && o.contains(c)))
                           .map(c => c.innerText.trim()))"""
        )
        ready = rows and rows[0] == header and (until is None or until(rows))
        if ready or time.monotonic() > deadline:
            assert rows and rows[0] == header, rows
            return rows
        time.sleep(0.1)


def saved_table(app):
    """The "Kịch bản đã lưu" table (the last dataframe of the Compare page)."""
    return app.main.get_by_test_id("stDataFrame").last


def outcome_table(app):
    """The paper's first table: each scenario's data, verdict and key figures."""
    return app.main.get_by_test_id("stDataFrame").first


def differing_table(app):
    """The parameters that differ from the first scenario (the dataframe after the chart)."""
    return app.main.get_by_test_id("stDataFrame").nth(1)


def save_scenario(app, name: str, note: str = "") -> None:
    """The sidebar's save box (on every page)."""
    form = app.sidebar.get_by_test_id("stForm")
    form.get_by_label("Tên kịch bản").fill(name)
    if note:
        form.get_by_label("Ghi chú (không bắt buộc)").fill(note)
    form.get_by_role("button", name="Lưu", exact=True).click()
    expect(app.sidebar.get_by_test_id("stAlert").filter(has_text=f"Đã lưu «{name}».")).to_be_visible()
    app.wait_idle()
    expect(form.get_by_label("Tên kịch bản")).to_have_value("")  # the form was cleared


def pick(app, label: str) -> None:
    """Add one option to the comparison multiselect (typing filters the list)."""
    combo = app.main.get_by_test_id("stMultiSelect").get_by_role("combobox")
    combo.click()
    combo.fill(label)
    app.page.get_by_test_id("stMultiSelectDropdown").get_by_role("option").filter(
        has_text=re.compile(f"^{re.escape(label)}$")
    ).click()
    app.page.keyboard.press("Escape")
    app.wait_idle()


def unpick(app, label: str) -> None:
    app.main.get_by_test_id("stMultiSelect").get_by_role("button", name=f"Remove {label}").click()
    app.wait_idle()


def chosen(app) -> list[str]:
    tags = app.main.get_by_test_id("stMultiSelect").get_by_test_id("stMultiSelectTagsContainer")
    expect(tags.locator("[data-tag]").first).to_be_attached()  # drawn (every use has a choice)
    return tags.locator("[data-tag]").all_inner_texts()


def row(rows: list[list[str]], label: str) -> list[str]:
    found = [r for r in rows if r and r[0] == label]
    assert found, f"no row {label!r} in {rows}"
    return found[0]


def model_total(query: dict[str, str]) -> str:
    plan = model.load_plan()
    return fmt.number(model.project(plan, model.Scenario.from_query(query, plan)).target_year_total, "vi")


# --- the tests ------------------------------------------------------------------------------


def test_save_compare_restart_and_find_them_again(start_server, new_app, tmp_path):
    db = tmp_path / "meeting.sqlite3"
    first = start_server(db)
    app = new_app(first.url).open("/compare?g.textiles=8")
    expect(app.title()).to_have_text("So sánh")
    expect(app.main.get_by_text("Chưa có kịch bản nào được lưu.")).to_be_visible()

    save_scenario(app, NAME_A, NOTE_A)
    app.set_slider("g.textiles", ["ArrowLeft"] * 20, "6,0%/năm", "6")  # 8.0 -> 6.0
    save_scenario(app, NAME_B)

    # both in the list (most recent first), with verdict and target-year total
    total_a, total_b = model_total({"g.textiles": "8"}), model_total({"g.textiles": "6"})
    rows = table_rows(saved_table(app), SAVED_HEADER, until=lambda rows: len(rows) == 3)
    listed = {r[0]: r for r in rows[1:]}
    assert list(listed) == [NAME_B, NAME_A], rows
    assert listed[NAME_A][2:] == ["Chưa đạt 2025", total_a, NOTE_A, "Thái Bình, bộ dữ liệu gốc"], rows
    assert listed[NAME_B][2:] == ["Chưa đạt 2025", total_b, "", "Thái Bình, bộ dữ liệu gốc"], rows
    stored = {s.name: s for s in ScenarioStore(db).list()}
    assert set(stored) == {NAME_A, NAME_B}
    assert float(stored[NAME_A].query["g.textiles"]) == 8.0, stored[NAME_A].query
    assert float(stored[NAME_B].query["g.textiles"]) == 6.0, stored[NAME_B].query
    id_a, id_b = stored[NAME_A].id, stored[NAME_B].id

    # compare A and B (not the current scenario): the selection is in the address bar
    pick(app, NAME_A)
    pick(app, NAME_B)
    unpick(app, CURRENT_VI)
    assert chosen(app) == [NAME_A, NAME_B]
    expect(app.page).to_have_url(re.compile(rf"[?&]cmp={id_a}(,|%2C){id_b}(&|$)"))
    assert app.query()["cmp"] == [f"{id_a},{id_b}"], app.url
    expect(app.main.get_by_test_id("stVegaLiteChart").or_(app.main.locator(".vega-embed")).first).to_be_visible()
    rows = table_rows(outcome_table(app), ["", NAME_A, NAME_B])
    assert row(rows, TOTAL_ROW)[1:] == [total_a, total_b], rows
    assert row(rows, "Số liệu dùng")[1:] == [BUNDLED_DATA, BUNDLED_DATA], rows
    rows = table_rows(differing_table(app), ["", NAME_A, NAME_B])
    assert [r[0] for r in rows[1:]] == [GROWTH_TEXTILES_ROW], rows  # only what differs
    assert row(rows, GROWTH_TEXTILES_ROW)[1:] == ["8,0", "6,0"], rows
    link_box = app.main.get_by_test_id("stCode")
    expect(link_box).to_contain_text(f"cmp={id_a},{id_b}")
    link = link_box.inner_text().strip()
    assert link.startswith(f"{first.url}/compare?"), link

    # restart: a new process on the same database file
    first.stop()
    second = start_server(db)
    assert second.port != first.port
    after = new_app(second.url).open("/compare")
    rows = table_rows(saved_table(after), SAVED_HEADER)
    assert [r[0] for r in rows[1:]] == [NAME_B, NAME_A], rows
    assert {r[0]: r[3] for r in rows[1:]} == {NAME_A: total_a, NAME_B: total_b}, rows

    # the comparison link, as the first request of a fresh session on the new server
    shared = new_app(second.url).open(after.relink(link, second.url), absolute=True)
    expect(shared.title()).to_have_text("So sánh")
    assert chosen(shared) == [NAME_A, NAME_B]
    rows = table_rows(outcome_table(shared), ["", NAME_A, NAME_B])
    assert row(rows, TOTAL_ROW)[1:] == [total_a, total_b], rows
    rows = table_rows(differing_table(shared), ["", NAME_A, NAME_B])
    assert row(rows, GROWTH_TEXTILES_ROW)[1:] == ["8,0", "6,0"], rows
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


def test_csv_download_has_vietnamese_headers_and_does_not_rerun(start_server, new_app, tmp_path):
    server = start_server(tmp_path / "downloads.sqlite3")
    app = new_app(server.url).open("/")
    total = app.metric_value(TOTAL_VI)
    expect(total).to_have_text("2.870,0")
    expect(app.verdict()).to_have_text(re.compile(r"^Dự báo nhìn từ năm 2020: ĐẠT mục tiêu 2025 \(2\.870,0 triệu USD"))
    button = app.main.get_by_test_id("stDownloadButton").filter(has_text="Bảng dự báo (CSV)")
    button.scroll_into_view_if_needed()
    app.wait_idle()
    app.page.evaluate(WATCH_RERUNS)

    with app.page.expect_download() as download_info:
        button.get_by_role("button").click()
    download = download_info.value
    assert download.failure() is None
    # the plan, the target year and today's date in Vietnam
    assert re.fullmatch(r"thai-binh-2025-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename), (
        download.suggested_filename
    )
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the diacritics
    # Vietnamese convention, as Excel reads it in vi-VN: ';' between cells, ',' as decimal mark
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    headers = list(table[0])
    assert headers[0] == "Năm", headers
    assert "Dệt may (triệu USD)" in headers and "Tổng (triệu USD)" in headers, headers
    year_2025 = next(r for r in table if r["Năm"] == "2025")
    assert round(float(year_2025["Tổng (triệu USD)"].replace(",", "."))) == 2870, year_2025

    # the click did not rerun the script: no 'running' state, no status widget, nothing stale
    app.page.wait_for_timeout(1500)  # a rerun would have started by now
    states = app.page.evaluate("() => window.__scriptStates")
    assert "running" not in states, states
    assert app.page.evaluate("() => window.__statusWidgetSeen") is False
    expect(app.main.locator('[data-stale="true"]')).to_have_count(0)
    app.wait_idle()
    expect(total).to_have_text("2.870,0")
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
