"""Faults in a real browser:

(a) the server is killed (SIGKILL, the whole process group) in the middle of a series of
    saves; a server restarted on the same database shows every scenario whose "Đã lưu"
    message the user saw, and the store passes SQLite's integrity check;
(b) the store's path cannot be created or written (it lies under a regular file, or on a
    read-only file system): the Compare page says so plainly, and the rest of the app
    goes on working.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import expected
import pytest
from compare_page import expect_table, save_scenario, saved_table
from playwright.sync_api import expect
from test_browser_workflow import BUNDLED_SHORT, SAVED_HEADER, UPDATED

from model.store import ScenarioStore

pytestmark = pytest.mark.browser

TOTAL_VI = "Dự báo 2025"
SAVES = 8  # at most; the server is killed during the fourth
KILL_DURING = 4


def name(i: int) -> str:
    return f"Phương án họp số {i}"


def test_server_killed_during_saves_keeps_every_confirmed_scenario(start_server, new_app, tmp_path):
    db = tmp_path / "killed.sqlite3"
    first = start_server(db)
    app = new_app(first.url).open("/compare?g.textiles=9")
    form = app.save_form()  # the save box, on every page
    seen: list[str] = []  # saves whose success message the user saw
    sent: list[str] = []  # saves submitted (the last one may or may not have been committed)
    for i in range(1, SAVES + 1):
        app.type_in(form.get_by_label("Tên kịch bản"), name(i))
        if i == KILL_DURING:
            # once the save request has left the browser (it is on its way or being written),
            # kill -9 the whole server
            with app.sent.expect("rerun_script"):
                form.get_by_role("button", name="Lưu", exact=True).click()
            sent.append(name(i))
            os.killpg(first.proc.pid, signal.SIGKILL)
            first.proc.wait(timeout=10)
            break
        form.get_by_role("button", name="Lưu", exact=True).click()
        sent.append(name(i))
        expect(app.sidebar.get_by_test_id("stAlert").filter(has_text=f"Đã lưu «{name(i)}».")).to_be_visible()
        app.wait_idle()
        seen.append(name(i))
    assert seen == [name(i) for i in range(1, KILL_DURING)]
    assert first.proc.returncode == -signal.SIGKILL

    # the page notices the server is gone (it does not pretend to be connected)
    app.page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testConnectionState !== 'CONNECTED'"
    )

    second = start_server(db)
    store = ScenarioStore(db)
    assert store.integrity_check(), "the store is damaged after kill -9"
    names = [s.name for s in store.list()]
    assert set(seen) <= set(names), (seen, names)  # every confirmed save survived
    assert set(names) <= set(sent), (sent, names)  # and nothing else appeared
    assert len(names) == len(set(names))
    for saved in store.list():
        assert float(saved.query["g.textiles"]) == 9.0, saved.query

    # what the user sees after the restart: the confirmed scenarios, in the list
    after = new_app(second.url).open("/compare")
    total, verdict = (
        expected.total({"g.textiles": "9"}),
        f"Chưa chắc đạt 2025 (xác suất {expected.percent({'g.textiles': '9'})})",
    )
    rows = [[name, UPDATED, verdict, total, "", BUNDLED_SHORT] for name in names]  # the store's order: latest first
    expect_table(saved_table(after), [SAVED_HEADER, *rows])
    save_scenario(after, "Sau khi khởi động lại")  # ... and saving works again on the recovered store
    assert "Sau khi khởi động lại" in [s.name for s in ScenarioStore(db).list()]
    assert ScenarioStore(db).integrity_check()


@pytest.mark.parametrize(
    ("where", "code", "reason"),
    [
        # As root, chmod does not stop writes: a path under a regular FILE cannot be created
        # by anyone, and /proc is a file system where no file can be created.
        ("under-a-regular-file", "write_failed", "không tạo hay ghi được tệp (ổ đĩa đầy hoặc đường dẫn sai)."),
        ("read-only-file-system", "readonly", "ổ đĩa hoặc thư mục chỉ cho đọc."),
    ],
)
def test_store_that_cannot_be_created_gives_a_message_and_the_app_keeps_working(
    start_server, new_app, tmp_path, where, code, reason
):
    blocker = tmp_path / "afile"
    blocker.write_text("a regular file where the store's folder should be\n")
    db = blocker / "scenarios.sqlite3" if where == "under-a-regular-file" else Path("/proc/export-planner.sqlite3")
    server = start_server(db)
    app = new_app(server.url).open("/compare")

    expect(app.title()).to_have_text("So sánh")
    error = app.main.get_by_test_id("stAlert").filter(has_text="Không mở được kho kịch bản")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        f"Không mở được kho kịch bản: {reason} Các trang khác vẫn dùng bình thường nhưng chưa lưu hay so sánh "
        f"được kịch bản đã lưu; hãy báo quản trị viên (mã lỗi: {code})."
    )
    expect(app.main.get_by_text("Chưa có kịch bản nào được lưu.")).to_have_count(0)
    expect(app.main.get_by_test_id("stForm")).to_have_count(0)  # no save form that would fail
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
    assert not db.exists()
    # the page is drawn to its end: the comparison section offers the current scenario only
    expect(app.main.get_by_text("Chọn ít nhất 2 kịch bản.")).to_be_visible()

    # the rest of the app: the overview answers the sliders
    app.nav("Tổng quan")
    expect(app.verdict()).to_have_text(app.verdict_text(True, expected.total({})))
    expect(app.metric_value(TOTAL_VI)).to_have_text(expected.total({}))
    app.wait_idle()
    app.set_slider("g.textiles", ["Home"], "-30,0%/năm", "-30")
    low = expected.total({"g.textiles": "-30"})
    expect(app.verdict()).to_have_text(app.verdict_text(False, low))
    expect(app.metric_value(TOTAL_VI)).to_have_text(low)
    app.nav("Rủi ro & độ nhạy")
    expect(app.probability()).to_have_text(expected.probability({"g.textiles": "-30"}))
    app.wait_idle()
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
    assert server.proc.poll() is None, "the server died"
