"""The department's figures travel, in a real browser: session A uploads a sectors file, saves
it as a dataset and saves a scenario on it; session B (a fresh browser context) opens A's share
link and sees the same numbers and the dataset's name; Compare in B shows A's scenario with A's
numbers beside a scenario on the bundled plan; after a restart on the same database, a fresh
session opening the links sees the same.

Expected numbers come from the model (model.upload.plan_with_upload, model.project), formatted
as the pages format them (ui.format, Vietnamese).
"""

from __future__ import annotations

import re

import pytest
from compare_page import expect_header, expect_row, outcome_table, pick, unpick
from playwright.sync_api import expect
from test_browser_data import CSV_NAME, sectors_csv, upload

import model
from model.store import ScenarioStore
from model.upload import plan_with_upload
from ui import format as fmt

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]  # two servers, three sessions

TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
DATASET = "Số liệu Sở Công Thương 2024"
SCENARIO = "Phương án Sở – dệt may 9%"
ON_BUNDLED = "Phương án trên số liệu gốc"
QUERY = {"g.textiles": "9", "shock": "4"}
TOTAL_ROW, DATA_ROW = "Kim ngạch năm mục tiêu (triệu USD)", "Số liệu dùng"


def projected(plan: model.Plan) -> str:
    return fmt.number(model.project(plan, model.Scenario.from_query(QUERY, plan)).target_year_total, "vi")


def expect_paper(app, on_bundled: str, on_figures: str, bundled_text: str, dataset_text: str) -> None:
    """Compare's first table: each scenario with its own figures, named."""
    outcome = outcome_table(app)
    expect_header(outcome, ["", ON_BUNDLED, SCENARIO])
    expect_row(outcome, TOTAL_ROW, [on_bundled, on_figures])
    expect_row(outcome, DATA_ROW, [bundled_text, dataset_text])


def opened_notice(app):
    return app.main.get_by_test_id("stAlert").filter(has_text="(mở theo liên kết)")


def test_a_saved_dataset_and_its_scenario_travel_by_link_to_another_session_and_survive_a_restart(
    start_server, new_app, tmp_path
):
    bundled = model.load_plan()
    figures, problems = plan_with_upload(bundled, CSV_NAME, sectors_csv("1000,00"))
    assert figures is not None, problems
    on_figures, on_bundled = projected(figures), projected(bundled)
    assert on_figures != on_bundled
    dataset_text = f"bộ dữ liệu «{DATASET}» (mã {figures.fingerprint})"
    bundled_text = f"Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {bundled.fingerprint})"
    db = tmp_path / "department.sqlite3"
    first = start_server(db)

    # A: upload, save the figures as a dataset, save a scenario on them (the sidebar's save box)
    a = new_app(first.url).open("/data?" + "&".join(f"{k}={v}" for k, v in QUERY.items()))
    upload(a, sectors_csv("1000,00"))
    expect(a.main.get_by_test_id("stAlert").filter(has_text="Đã áp dụng")).to_be_visible()
    a.wait_idle()
    form = a.main.get_by_test_id("stForm")
    a.type_in(form.get_by_label("Tên bộ dữ liệu"), DATASET)
    a.type_in(form.get_by_label("Ghi chú (không bắt buộc)"), "Bản chính thức")
    form.get_by_role("button", name="Lưu bộ dữ liệu").click()
    expect(a.main.get_by_test_id("stAlert").filter(has_text="Đã lưu bộ dữ liệu")).to_have_text(
        f"Đã lưu bộ dữ liệu «{DATASET}» (mã {figures.fingerprint})."
    )
    a.wait_idle()
    box = a.save_form()
    a.type_in(box.get_by_label("Tên kịch bản"), SCENARIO)
    box.get_by_role("button", name="Lưu", exact=True).click()
    expect(a.sidebar.get_by_test_id("stAlert").filter(has_text="Đã lưu")).to_have_text(
        f"Đã lưu «{SCENARIO}». Số liệu: {dataset_text}."
    )
    a.nav("Tổng quan")
    expect(a.metric_value(TOTAL_VI)).to_have_text(on_figures)
    a.wait_scenario(data=figures.fingerprint, **QUERY)
    link = a.share_link()
    assert f"data={figures.fingerprint}" in link and "plan=thai-binh" in link, link
    store = ScenarioStore(db)
    [saved] = store.list()
    assert (saved.name, saved.data_fingerprint) == (SCENARIO, figures.fingerprint)
    # a scenario on the bundled plan, saved by someone else
    sc = model.Scenario.from_query(QUERY, bundled)
    proj = model.project(bundled, sc)
    other = store.save(ON_BUNDLED, "", sc.to_query(), proj.reachable, proj.target_year_total, sc.ty,
                       plan_id=bundled.id, data_fingerprint=bundled.fingerprint)  # fmt: skip

    # B: a fresh session opens A's link: the same figures, named, and no "repaired" notice
    b = new_app(first.url).open(link, absolute=True)
    expect(opened_notice(b)).to_contain_text(f"Dữ liệu: {dataset_text} (mở theo liên kết).")
    expect(b.metric_value(TOTAL_VI)).to_have_text(on_figures)
    expect(b.main.get_by_text(re.compile("không hợp lệ|đã được sửa"))).to_have_count(0)
    b.nav("So sánh")
    expect(b.title()).to_have_text("So sánh")
    b.wait_idle()
    pick(b, SCENARIO, then=["current", str(other.id), str(saved.id)])  # beside the most recent, chosen by default
    unpick(b, "Kịch bản hiện tại", then=[str(other.id), str(saved.id)])
    expect_paper(b, on_bundled, on_figures, bundled_text, dataset_text)

    # a restart on the same database: a fresh session opening the link sees the same
    first.stop()
    second = start_server(db)
    c = new_app(second.url).open(b.relink(link, second.url), absolute=True)
    expect(opened_notice(c)).to_contain_text(f"Dữ liệu: {dataset_text} (mở theo liên kết).")
    expect(c.metric_value(TOTAL_VI)).to_have_text(on_figures)
    c.nav("So sánh")
    expect(c.title()).to_have_text("So sánh")
    c.wait_idle()
    pick(c, SCENARIO, then=["current", str(other.id), str(saved.id)])
    unpick(c, "Kịch bản hiện tại", then=[str(other.id), str(saved.id)])
    expect_paper(c, on_bundled, on_figures, bundled_text, dataset_text)
    for app in (a, b, c):
        expect(app.page.get_by_test_id("stException")).to_have_count(0)
