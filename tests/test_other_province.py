"""Another province is another data folder: the model and the app follow the plan's files."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import model
from tests.helpers import verdict

FOLDER = Path(__file__).resolve().parent / "fixtures" / "test_province"
APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_another_plan_folder_loads_and_projects():
    plan = model.load_plan(FOLDER)
    assert plan.province_vi == "Tỉnh Thử Nghiệm" and plan.sector_ids == ("rice", "shrimp")
    sc = model.Scenario.default(plan)
    out = model.project(plan, sc)
    # 60 x 1.1^5 + 40 x 1.2^5 = 96.6306 + 99.5328 = 196.1634
    assert out.totals[2025] == pytest.approx(60 * 1.1**5 + 40 * 1.2**5)
    assert not out.reachable and out.gap_musd == pytest.approx(196.1634 - 200, abs=1e-3)
    assert model.Scenario.from_query({"g.textiles": "5"}, plan).repairs[0].code == "unknown_sector"


def test_the_app_takes_the_province_name_and_sectors_from_the_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORT_PLANNER_PLAN", str(FOLDER))
    monkeypatch.setenv("EXPORT_PLANNER_DB", str(tmp_path / "s.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Kịch bản xuất khẩu Tỉnh Thử Nghiệm"
    assert {s.key for s in at.slider if s.key.startswith("g.")} == {"g.rice", "g.shrimp"}
    assert verdict(at)[1].startswith("CHƯA CHẮC ĐẠT mục tiêu 2025: xác suất đạt 42%")
    assert "dự báo nhìn từ năm 2020. Kim ngạch dự báo năm 2025: 196,2 triệu USD" in verdict(at)[1]
    at.switch_page("views/data.py").run()
    assert not at.exception


def test_a_plan_target_finer_than_a_scenario_holds_reads_and_acts_as_the_scenario_holds_it(tmp_path, monkeypatch):
    # 200.05 million USD: a scenario holds a target to 0.1, so it is 200.1 (or 200.0) everywhere,
    # and the button back to it is greyed out while the scenario uses it
    import shutil

    from tests.helpers import read_table, shown, tables
    from ui import format as fmt

    folder = tmp_path / "plan"
    shutil.copytree(FOLDER, folder)
    toml = folder / "plan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("value_musd = 200\n", "value_musd = 200.05\n"), "utf-8")
    monkeypatch.setenv("EXPORT_PLANNER_PLAN", str(folder))
    monkeypatch.setenv("EXPORT_PLANNER_DB", str(tmp_path / "s.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    held = model.Scenario.default(model.load_plan(folder)).target
    assert held in (200.0, 200.1)
    at.switch_page("views/scenario.py").run()
    assert not at.exception
    back = next(b for b in at.button if shown(b.label).startswith("Trở lại mục tiêu 2025"))
    assert back.disabled, "the scenario already uses the plan's target"
    at.switch_page("views/data.py").run()
    targets = read_table(tables(at)[0])
    assert (
        targets["Giá trị"].iloc[0]
        == fmt.target_musd(held, "vi")
        == ("200 triệu USD" if held == 200 else "200,1 triệu USD")
    )
