"""Meeting-ready, in a real browser: numbers typed the Vietnamese way (and the English way), a
growth typed exactly in the Scenario page's table, and the meeting's paper: the brief named
after the saved scenario on screen, and the one-page comparison of saved scenarios.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import expected
import pypdf
import pytest
from compare_page import chosen, save_scenario
from playwright.sync_api import expect

from model.store import ScenarioStore

pytestmark = pytest.mark.browser

TARGET_BOX_VI, TARGET_BOX_EN = "Mục tiêu và thời gian", "Target and years"
TARGET_VI, TARGET_EN = "Mục tiêu (triệu USD)", "Target (million USD)"


def type_target(app, box: str, label: str, text: str) -> None:
    app.open_expander(box)
    field = app.sidebar.get_by_role("textbox", name=label, exact=True)
    field.fill(text)
    field.press("Enter")


def download_pdf(app, label: str, section: str | None = None) -> tuple[str, int, str]:
    """Click the main area's download button `label`, in the section `section` (opened first)
    if it is in one: (the file's name, its pages, its text)."""
    root = app.open_expander(section, app.main) if section else app.main
    button = root.get_by_test_id("stDownloadButton").filter(has_text=label)
    button.scroll_into_view_if_needed()
    with app.page.expect_download() as info:
        button.get_by_role("button").click()
    reader = pypdf.PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    return info.value.suggested_filename, len(reader.pages), text


def test_a_target_typed_the_vietnamese_way_is_read_as_a_vietnamese_reads_it(new_app, server):
    app = new_app(server).open("/")
    type_target(app, TARGET_BOX_VI, TARGET_VI, "2.800")  # two thousand eight hundred, not 2.8
    expect(app.sidebar.get_by_text("Đã đọc là 2.800 triệu USD.")).to_be_visible()
    app.wait_scenario(target="2800")
    expect(app.verdict()).to_contain_text("vượt mục tiêu 70,0 triệu USD")  # 2.870,0 against 2.800
    expect(app.sidebar.get_by_role("textbox", name=TARGET_VI, exact=True)).to_have_value("2.800")

    type_target(app, TARGET_BOX_VI, TARGET_VI, "hai nghìn")  # not a number: the last good one stays
    expect(app.sidebar.get_by_test_id("stAlert").filter(has_text="Không đọc được «hai nghìn»")).to_contain_text(
        "giữ giá trị 2.800"
    )
    expect(app.sidebar.get_by_role("textbox", name=TARGET_VI, exact=True)).to_have_value("2.800")
    app.expect_share_link(re.compile(r"[?&]target=2800(&|$)"))


def test_a_target_typed_the_english_way_in_english(new_app, server):
    app = new_app(server).open("/?lang=en")
    type_target(app, TARGET_BOX_EN, TARGET_EN, "2,800.5")
    expect(app.sidebar.get_by_text("Read as 2,800.5 million USD.")).to_be_visible()
    app.wait_scenario(target="2800.5")
    expect(app.verdict()).to_contain_text("69.5 million USD above the target")


def test_a_growth_typed_in_the_scenario_table_moves_the_sidebar_slider(new_app, server):
    app = new_app(server).open("/scenario")
    grid = app.main.get_by_test_id("stDataFrame").filter(has=app.page.get_by_text("Tăng trưởng (%/năm)")).first
    expect(grid).to_be_visible()
    # every sector's row in view (the bundled plan has eleven), none behind a scroll inside the table
    scroller = grid.locator(".dvn-scroller")
    expect(scroller).to_be_visible()
    app.page.wait_for_function("s => s.scrollHeight <= s.clientHeight + 1", arg=scroller.element_handle())
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # The grid is drawn on a canvas: its first body row sits under a 35 px header, and the
    # growth column is the right-hand one (the table has two columns: sector, growth).
    app.page.mouse.dblclick(box["x"] + box["width"] - 30, box["y"] + 35 + 17)
    editor = app.page.locator("textarea.gdg-input")  # the cell's editor, drawn over the canvas
    expect(editor).to_have_value("12,8")  # the textiles row, in the Vietnamese convention
    editor.fill("14,5")
    editor.press("Enter")
    expect(app.label(app.slider("g.textiles"))).to_contain_text(": 14,5%/năm")
    app.wait_scenario(**{"g.textiles": "14.5"})


def test_the_brief_carries_the_saved_scenarios_name_and_the_comparison_fits_one_page(start_server, new_app, tmp_path):
    db = tmp_path / "paper.sqlite3"
    server = start_server(db)
    app = new_app(server.url).open("/?g.textiles=9")
    save_scenario(app, "Phương án họp Sở")
    name, pages, text = download_pdf(app, "Bản tóm tắt một trang (PDF)", "Tải xuống")
    # the plan, the target year, today in Vietnam and the scenario's name, without diacritics
    assert re.fullmatch(r"thai-binh-2025-\d{4}-\d\d-\d\d-phuong-an-hop-so\.pdf", name)
    assert pages == 1 and "Phương án họp Sở" in text and expected.total({"g.textiles": "9"}) in text

    app.set_slider("g.textiles", ["PageUp"], "17,0%/năm", "17")  # another option, saved too
    save_scenario(app, "Phương án cao")
    ids = [str(s.id) for s in sorted(ScenarioStore(db).list(), key=lambda s: s.id)]
    app.open(f"/compare?cmp={','.join(ids)}")
    expect(chosen(app)).to_have_text(["Phương án họp Sở", "Phương án cao"])
    name, pages, text = download_pdf(app, "Bản so sánh một trang (PDF)")
    assert re.fullmatch(r"thai-binh-\d{4}-\d\d-\d\d-so-sanh\.pdf", name)
    assert pages == 1 and "Phương án họp Sở" in text and "Phương án cao" in text
    assert expected.total({"g.textiles": "17"}) in text


def test_the_method_page_lists_every_source_without_a_scroll_of_its_own(new_app, server):
    app = new_app(server).open("/method")
    grid = app.main.get_by_test_id("stDataFrame").last
    expect(grid).to_be_visible()
    scroller = grid.locator(".dvn-scroller")
    expect(scroller).to_be_visible()
    # the bundled plan's fifteen sources, each row in view: none behind a scroll inside the table
    app.page.wait_for_function("s => s.scrollHeight <= s.clientHeight + 1", arg=scroller.element_handle())
