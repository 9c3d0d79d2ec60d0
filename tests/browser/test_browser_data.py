"""Uploads in a real browser: upload a good sectors file and see the numbers change, upload a
bad one and see the message (row, column, value) with the last good numbers kept; other
sessions keep the bundled plan; a link made on uploaded data says so when opened elsewhere.

The expected numbers come from the model (model.upload.plan_with_upload, model.project),
formatted the way the page formats them (ui.format, Vietnamese).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import model
from model.upload import plan_with_tables, plan_with_upload, template_csv
from ui import format as fmt

pytestmark = pytest.mark.browser

TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
BUNDLED_TOTAL = "2.870,0"
TEXTILES_BASE = "903,64"  # the textiles base value in the bundled plan's Vietnamese template
UPLOADED_NOTICE = "Đang dùng dữ liệu tải lên"  # sidebar: "Đang dùng dữ liệu tải lên (mã …), ..."
CSV_NAME = "nhom-hang-so-chinh-thuc.csv"


def sectors_csv(base_textiles: str) -> bytes:
    """The bundled plan's Vietnamese sectors template with the textiles base replaced."""
    template = template_csv(model.load_plan(), "sectors", "vi")
    assert template.count(TEXTILES_BASE.encode()) == 1, "the template no longer holds the textiles base"
    return template.replace(TEXTILES_BASE.encode(), base_textiles.encode("utf-8"))


def expected_after_upload(data: bytes, query: dict[str, str] | None = None) -> tuple[str, str]:
    """(fingerprint, 2025 total as the overview shows it) of the bundled plan with `data` uploaded."""
    new_plan, problems = plan_with_upload(model.load_plan(), CSV_NAME, data)
    assert new_plan is not None, problems
    sc = model.Scenario.from_query(query or {}, new_plan)
    return new_plan.fingerprint, fmt.number(model.project(new_plan, sc).totals[2025], "vi")


def upload(app, data: bytes, name: str = CSV_NAME) -> None:
    uploader = app.main.get_by_test_id("stFileUploader").filter(has_text="Tải lên tệp CSV hoặc Excel")
    uploader.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def sidebar_notice(app):
    return app.sidebar.get_by_test_id("stAlert").filter(has_text=UPLOADED_NOTICE)


def go_overview(app) -> None:
    app.nav("Tổng quan")
    expect(app.verdict()).to_be_visible()
    app.wait_idle()  # the page has run to its end before the test acts on it


def go_data(app) -> None:
    app.nav("Dữ liệu")
    expect(app.title()).to_have_text("Dữ liệu")
    app.wait_idle()


def test_upload_good_then_bad_file_and_another_session_keeps_the_bundled_plan(app, new_app):
    good = sectors_csv("1000,00")
    fingerprint, uploaded_total = expected_after_upload(good)
    assert uploaded_total == "3.046,0"  # what the numbers must become (a sanity check of the setup)
    bundled = model.load_plan()
    assert fingerprint != bundled.fingerprint

    app.open("/")
    expect(app.metric_value(TOTAL_VI)).to_have_text(BUNDLED_TOTAL)
    expect(sidebar_notice(app)).to_have_count(0)

    # a good file: applied, announced, and the overview's numbers change
    go_data(app)
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Dữ liệu đang dùng")).to_contain_text(
        f"bộ dữ liệu gốc đi kèm ứng dụng (mã {bundled.fingerprint})"
    )
    upload(app, good)
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Đã áp dụng")).to_have_text(
        f"Đã áp dụng dữ liệu mới (mã {fingerprint})."
    )
    app.wait_idle()
    expect(sidebar_notice(app)).to_contain_text(f"(mã {fingerprint})")
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Dữ liệu đang dùng")).to_contain_text(
        f"(mã {fingerprint})"
    )
    go_overview(app)
    expect(app.metric_value(TOTAL_VI)).to_have_text(uploaded_total)
    expect(app.verdict()).to_have_text(app.verdict_text(True, uploaded_total))

    # a bad file: refused with row, column and value; the last good data stays in effect
    go_data(app)
    upload(app, sectors_csv("abc"), "nhom-hang-loi.csv")
    error = app.main.get_by_test_id("stAlert").filter(has_text="Chưa áp dụng")
    expect(error).to_contain_text("Chưa áp dụng: dữ liệu có 1 lỗi. Dữ liệu đang dùng được giữ nguyên.")
    expect(error).to_contain_text("dòng 2")
    expect(error).to_contain_text("Giá trị năm gốc (triệu USD)")
    expect(error).to_contain_text("“abc”")
    expect(error).to_contain_text("nhom-hang-loi.csv")
    app.wait_idle()
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Đã áp dụng")).to_have_count(0)
    expect(sidebar_notice(app)).to_contain_text(f"(mã {fingerprint})")
    go_overview(app)
    expect(app.metric_value(TOTAL_VI)).to_have_text(uploaded_total)

    # another user (a fresh session on the same server) still sees the bundled plan
    other = new_app(app.base_url).open("/")
    expect(other.metric_value(TOTAL_VI)).to_have_text(BUNDLED_TOTAL)
    expect(other.verdict()).to_have_text(other.verdict_text(True, BUNDLED_TOTAL))
    expect(sidebar_notice(other)).to_have_count(0)
    go_data(other)
    expect(other.main.get_by_test_id("stAlert").filter(has_text="Dữ liệu đang dùng")).to_contain_text(
        f"bộ dữ liệu gốc đi kèm ứng dụng (mã {bundled.fingerprint})"
    )
    # ... while the first session still has its own upload
    app.set_slider("shock", ["ArrowRight"], "1,0%", "1")
    _, uploaded_total_shock = expected_after_upload(good, {"shock": "1"})
    expect(app.metric_value(TOTAL_VI)).to_have_text(uploaded_total_shock)
    expect(sidebar_notice(app)).to_contain_text(f"(mã {fingerprint})")
    for page in (app.page, other.page):
        expect(page.get_by_test_id("stException")).to_have_count(0)


def test_link_made_on_uploaded_data_shows_a_notice_in_a_fresh_session(app, new_app):
    good = sectors_csv("1000,00")
    query = {"g.textiles": "9", "shock": "4"}
    fingerprint, uploaded_total = expected_after_upload(good, query)
    bundled = model.load_plan()
    bundled_total = fmt.number(model.project(bundled, model.Scenario.from_query(query, bundled)).totals[2025], "vi")
    assert bundled_total != uploaded_total

    app.open("/data?g.textiles=9&shock=4")
    upload(app, good)
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Đã áp dụng")).to_be_visible()
    app.wait_idle()
    go_overview(app)
    expect(app.metric_value(TOTAL_VI)).to_have_text(uploaded_total)
    app.wait_scenario(**{"g.textiles": "9", "shock": "4", "data": fingerprint})  # the link says which data
    link = app.share_link()

    fresh = new_app(app.base_url).open(link, absolute=True)
    notice = fresh.main.get_by_test_id("stAlert").filter(has_text="số liệu khác")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"Liên kết này được tạo trên số liệu khác: số liệu mã {fingerprint} không được lưu")
    expect(notice).to_contain_text(
        "Bạn đang xem bộ dữ liệu gốc của Thái Bình, nên các con số có thể khác với người gửi."
    )
    # the numbers shown are the bundled plan's for the same scenario, said to be so
    expect(fresh.metric_value(TOTAL_VI)).to_have_text(bundled_total)
    expect(fresh.label(fresh.slider("g.textiles"))).to_have_text("Dệt may: 9,0%/năm")
    expect(sidebar_notice(fresh)).to_have_count(0)
    expect(fresh.page.get_by_test_id("stException")).to_have_count(0)


def test_a_figure_edited_in_the_table_is_applied_and_the_projection_follows(app):
    # What the edit must give: the bundled sectors table with the textiles base at 1,000.
    plan = model.load_plan()
    edited = plan.sectors_frame()
    edited.loc[edited["id"] == "textiles", "base_musd"] = 1000.0
    new_plan, problems = plan_with_tables(plan, sectors=edited)
    assert new_plan is not None, problems
    total = fmt.number(model.project(new_plan, model.Scenario.default(new_plan)).totals[2025], "vi")
    assert total == "3.046,0"  # the same figures as the uploaded file above: a sanity check

    app.open("/")
    expect(app.metric_value(TOTAL_VI)).to_have_text(BUNDLED_TOTAL)
    go_data(app)
    apply = app.main.get_by_role("button", name="Áp dụng các thay đổi")
    expect(apply).to_be_disabled()  # no table open: nothing to apply
    section = app.main.get_by_test_id("stExpander").filter(has_text="Sửa bảng nhóm hàng")
    section.locator("summary").click()
    grid = section.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()  # drawn once the section is open (it is not built while closed)
    expect(section).to_contain_text("Các thay đổi chưa áp dụng mất đi khi đóng mục này")
    app.wait_idle()
    # The grid is a canvas: click the first body row's id (textiles, under a 35 px header, right
    # of the rows' 32 px selection boxes), step right to the base-year value (id, Vietnamese
    # name, English name, base) and open it. A locator's click waits until the section has
    # finished opening (the grid no longer moves).
    assert list(edited.columns[:4]) == ["id", "name_vi", "name_en", "base_musd"]
    assert edited["id"].iloc[0] == "textiles"
    grid.click(position={"x": 70, "y": 35 + 17})
    for _ in range(3):
        app.page.keyboard.press("ArrowRight")
    app.page.keyboard.press("Enter")
    cell = app.page.locator(".gdg-input")  # the cell's editor, drawn over the canvas
    expect(cell).to_have_value("903,64")  # the textiles base (in the browser's convention): the cell meant
    cell.fill("1000")
    cell.press("Enter")
    # The server has the edit (the grid sends it a moment after the cell closes): counted, and
    # Apply, disabled while there is nothing to apply, is enabled.
    expect(section).to_contain_text("Thay đổi chưa áp dụng: 1.")
    expect(apply).to_be_enabled()
    app.wait_idle()
    apply.click()
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Đã áp dụng")).to_have_text(
        f"Đã áp dụng dữ liệu mới (mã {new_plan.fingerprint})."
    )
    expect(sidebar_notice(app)).to_contain_text(f"(mã {new_plan.fingerprint})")
    go_overview(app)
    expect(app.metric_value(TOTAL_VI)).to_have_text(total)
