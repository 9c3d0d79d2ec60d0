"""AppTests for saved datasets: the department's figures travel with links and saved scenarios.

Save, list, open, rename, delete and restore a dataset (Data page); a link with data= opens
the dataset in a fresh session, and one whose figures this server does not have says so and
shows the bundled plan; Compare computes each scenario on its own figures; the sidebar's save
box keeps what was typed when a save fails. Expected numbers come from the model.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import model
import model.upload
from model.plan import plan_to_dict
from model.store import ScenarioStore
from model.upload import plan_with_upload, template_csv
from tests.helpers import open_boxes, read_table, run_app, share_link, shown, tables
from ui import comparison, session
from ui import format as fmt
from ui.text import t

pytestmark = pytest.mark.usefixtures("isolated_store")  # each test has a store of its own
DATA_PAGE, COMPARE_PAGE, OVERVIEW = "views/data.py", "views/compare.py", "views/overview.py"
TEXTILES_BASE = "903,64"  # the textiles base value in the bundled Vietnamese sectors template
NAME = "Số liệu Sở Công Thương 2024"
NOTE = "Bản chính thức, gửi ngày 3/12"


def sectors_file(textiles_base: str = "1000,00") -> bytes:
    text = template_csv(model.load_plan(), "sectors", "vi")
    assert text.count(TEXTILES_BASE.encode()) == 1
    return text.replace(TEXTILES_BASE.encode(), textiles_base.encode())


def uploaded_plan(textiles_base: str = "1000,00") -> model.Plan:
    plan, problems = plan_with_upload(model.load_plan(), "sectors.csv", sectors_file(textiles_base))
    assert plan is not None, problems
    return plan


def upload(at: AppTest, textiles_base: str = "1000,00") -> None:
    at.get("file_uploader")[0].upload("sectors.csv", sectors_file(textiles_base), "text/csv").run()
    assert any(s.value.startswith("Đã áp dụng dữ liệu mới") for s in at.success), [e.value for e in at.error]


def total(plan: model.Plan, query: dict[str, str] | None = None) -> str:
    """The target-year total as the pages show it (Vietnamese)."""
    sc = model.Scenario.from_query(query or {}, plan)
    return fmt.number(model.project(plan, sc).target_year_total, "vi")


def texts(elements) -> list[str]:
    return [shown(e.value) for e in elements]


def notices(at: AppTest) -> list[str]:
    """The warnings a user reads, besides the verdict (amber when it is not a firm answer)."""
    return [w for w in texts(at.warning) if not w.startswith("### ")]


def data_in_use(at: AppTest) -> str:
    return next(x for x in texts(at.info) if x.startswith("Dữ liệu đang dùng:"))


def press(at: AppTest, label: str) -> None:
    [button] = [b for b in at.button if b.label == label]
    button.click().run()


def save_dataset(at: AppTest, name: str, note: str = "") -> None:
    at.text_input(key="dataset_name").input(name)
    at.text_area(key="dataset_note").input(note)
    press(at, "Lưu bộ dữ liệu")


def save_scenario(at: AppTest, name: str, note: str = "") -> None:
    open_boxes(at, "save").text_input(key="save_name").input(name)
    at.text_area(key="save_note").input(note)
    press(at, "Lưu")


def store() -> ScenarioStore:
    return ScenarioStore()


def save_on(plan: model.Plan, name: str, query: dict[str, str], **made_on) -> int:
    """A scenario saved straight into the store, as the save box saves it."""
    sc = model.Scenario.from_query(query, plan)
    proj = model.project(plan, sc)
    return store().save(name, "", sc.to_query(), proj.reachable, proj.target_year_total, sc.ty, **made_on).id


# --- the Data page: save, list, open, rename, delete, restore ---------------------------------------


def test_save_list_open_rename_delete_and_restore_a_dataset():
    figures = uploaded_plan()
    at = run_app(page=DATA_PAGE)
    assert "dataset_name" not in [w.key for w in at.text_input], "nothing to save on the bundled figures"
    assert any(c.startswith("Đang dùng bộ dữ liệu gốc: không cần lưu.") for c in texts(at.caption))
    upload(at)
    assert "chưa lưu" in data_in_use(at)
    save_dataset(at, NAME, NOTE)
    assert f"Đã lưu bộ dữ liệu «{NAME}» (mã {figures.fingerprint})." in texts(at.success)
    [saved] = store().list_datasets()
    assert (saved.name, saved.note, saved.source_plan_id, saved.fingerprint) == (
        NAME, NOTE, "thai-binh", figures.fingerprint,
    )  # fmt: skip
    assert data_in_use(at) == f"Dữ liệu đang dùng: bộ dữ liệu «{NAME}» (mã {figures.fingerprint})"
    listed = read_table(tables(at)[-1])
    assert listed.iloc[0].tolist() == [
        NAME, session.local_time(saved.created_at), NOTE, "Thái Bình", figures.fingerprint, "Có",
    ]  # fmt: skip
    assert list(listed.columns)[1] == "Lưu lúc (giờ Việt Nam)"

    # another user opens it by hand: it becomes that session's data
    other = run_app(page=DATA_PAGE)
    assert read_table(tables(other)[-1]).iloc[0, 0] == NAME
    assert read_table(tables(other)[-1]).iloc[0, -1] == "", "not in use there yet"
    other.button(key="open_dataset").click().run()
    assert f"Đang dùng bộ dữ liệu «{NAME}» (mã {figures.fingerprint})." in texts(other.success)
    assert data_in_use(other).endswith(f"«{NAME}» (mã {figures.fingerprint})")
    other.switch_page(OVERVIEW).run()
    assert other.metric[0].value == total(figures) != total(model.load_plan())
    assert f"data={figures.fingerprint}" in share_link(other)
    assert other.query_params["data"] == figures.fingerprint, "the address bar names the dataset too"

    # rename (the rules of scenario names), delete with confirmation, restore from the bin
    other.switch_page(DATA_PAGE).run()
    other.text_input(key=f"dataset_rename_{saved.id}").input("Số liệu [đã sửa](http://x)").run()
    other.button(key="rename_dataset").click().run()
    assert any("ký tự không được phép" in e for e in texts(other.error))
    other.text_input(key=f"dataset_rename_{saved.id}").input("Số liệu Sở, bản 2").run()
    other.button(key="rename_dataset").click().run()
    assert store().get_dataset(saved.id).name == "Số liệu Sở, bản 2"
    assert other.button(key="delete_dataset").disabled
    other.checkbox(key=f"dataset_confirm_{saved.id}").check().run()
    other.button(key="delete_dataset").click().run()
    assert store().get_dataset(saved.id).deleted
    assert any(s.startswith("Đã xóa bộ dữ liệu «Số liệu Sở, bản 2».") for s in texts(other.success))
    assert "chưa lưu" in data_in_use(other), "the figures stay in this session, no longer saved"
    assert not [b for b in other.button if (b.key or "").startswith("restore_")], "the bin: built when opened"
    open_boxes(other, "bin_restore_dataset").button(key=f"restore_dataset_{saved.id}").click().run()
    assert not store().get_dataset(saved.id).deleted
    assert "Đã khôi phục «Số liệu Sở, bản 2»." in texts(other.success)
    assert data_in_use(other).endswith(f"«Số liệu Sở, bản 2» (mã {figures.fingerprint})")


def test_dataset_downloads_are_workbooks_the_upload_reads_back():
    figures = uploaded_plan()
    store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
    at = run_app(page=DATA_PAGE)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert {"Bảng nhóm hàng (Excel)", "Bảng số thực tế (Excel)"} <= set(buttons)
    # the same bytes the buttons serve: read back by the upload, they give the same figures
    from model.upload import template_xlsx

    again, problems = plan_with_upload(model.load_plan(), "sectors.xlsx", template_xlsx(figures, "sectors", "vi"))
    assert problems == [] and again is not None and again.fingerprint == figures.fingerprint


def test_a_failed_dataset_save_keeps_the_name_and_note_and_identical_figures_name_their_dataset():
    at = run_app(page=DATA_PAGE)
    upload(at)
    save_dataset(at, "<b>x</b>", NOTE)
    assert any("ký tự không được phép" in e for e in texts(at.error))
    assert at.text_input(key="dataset_name").value == "<b>x</b>" and at.text_area(key="dataset_note").value == NOTE
    assert store().list_datasets() == []
    save_dataset(at, "\u0420hương án", NOTE)  # a Cyrillic Р: the message names it, the page goes on
    assert not at.exception
    assert any("ký tự thứ 1 «Р» (chữ Kirin)" in e for e in texts(at.error)), texts(at.error)
    assert at.text_input(key="dataset_name").value == "\u0420hương án" and store().list_datasets() == []

    # meanwhile a colleague saved exactly these figures: saving them again names that dataset
    store().save_dataset("Bản của chị Lan", "", plan_to_dict(uploaded_plan()), "thai-binh")
    save_dataset(at, NAME, NOTE)
    assert "Đã có bộ dữ liệu với đúng các số liệu này: «Bản của chị Lan»." in texts(at.error)
    assert [d.name for d in store().list_datasets()] == ["Bản của chị Lan"]
    assert "Số liệu đang dùng đã được lưu: «Bản của chị Lan»." in texts(at.info), "no form to save them again"
    # and a session with the same figures sees that they are saved, under that name
    fresh = run_app(page=DATA_PAGE)
    upload(fresh)
    assert "Số liệu đang dùng đã được lưu: «Bản của chị Lan»." in texts(fresh.info)


def test_a_full_store_names_its_limit_for_datasets_and_keeps_what_was_typed(monkeypatch):
    from model import store as store_module

    monkeypatch.setitem(store_module.MAX_LIVE, "datasets", 1)
    store().save_dataset("Bản của chị Lan", "", plan_to_dict(uploaded_plan("900,00")), "thai-binh")
    at = run_app(page=DATA_PAGE)
    upload(at)
    save_dataset(at, NAME, NOTE)
    assert "Kho đã có 1 bộ dữ liệu, mức tối đa: hãy xóa bớt một bộ dữ liệu trước." in texts(at.error)
    assert at.text_input(key="dataset_name").value == NAME and at.text_area(key="dataset_note").value == NOTE
    assert [d.name for d in store().list_datasets()] == ["Bản của chị Lan"]


def test_a_readonly_store_gives_the_plain_message_and_the_data_page_goes_on(tmp_path, monkeypatch):
    at = run_app(page=DATA_PAGE)
    upload(at)
    monkeypatch.setattr(ScenarioStore, "save_dataset", _readonly)
    save_dataset(at, NAME)
    assert "Kho kịch bản chỉ đọc: không lưu được. Các kịch bản đã lưu vẫn xem được." in texts(at.error)
    assert at.text_input(key="dataset_name").value == NAME
    assert "chưa lưu" in data_in_use(at)


def _readonly(*args, **kwargs):
    from model.store import StoreError

    raise StoreError("readonly")


def editors(at: AppTest) -> list[dict]:
    """The column settings of each data editor drawn on the page."""
    return [json.loads(d.proto.columns) for d in at.dataframe if d.proto.editing_mode]


def test_an_editor_is_drawn_only_while_its_section_is_open_and_its_edits_are_applied():
    at = run_app(page=DATA_PAGE)
    assert editors(at) == []  # closed sections: nothing built on a slider move
    assert at.button(key="apply_edits").disabled  # nothing to apply
    open_boxes(at, "edit_actuals")
    assert [set(e) >= {"year", "value_musd"} for e in editors(at)] == [True]
    lost_on_close = t("data.edit_lost_on_close", "vi")
    assert lost_on_close in texts(at.caption)
    assert at.button(key="apply_edits").disabled  # open, not edited: still nothing to apply
    at.slider(key="g.textiles").set_value(15.0).run()  # the section stays open through a slider move
    assert len(editors(at)) == 1
    open_boxes(at, "edit_sectors")
    assert [("base_musd" in e, "value_musd" in e) for e in editors(at)] == [(True, False), (False, True)]
    assert texts(at.caption).count(lost_on_close) == 2

    # An edit (what the grid sends when a cell is typed over): counted, then applied.
    plan = model.load_plan()
    edit = {"edited_rows": {0: {"base_musd": 1000.0}}, "added_rows": [], "deleted_rows": []}
    at.session_state[f"edit_sectors_{plan.fingerprint}"] = edit
    at.run()
    assert t("data.pending", "vi", n=1) in texts(at.caption)
    at.button(key="apply_edits").click().run()
    frame = plan.sectors_frame()
    frame.loc[0, "base_musd"] = 1000.0
    expected, problems = model.upload.plan_with_tables(plan, sectors=frame)
    assert expected is not None, problems
    assert texts(at.success) == [t("data.applied", "vi", fingerprint=expected.fingerprint)]
    assert f"(mã {expected.fingerprint})" in data_in_use(at)
    assert editors(at) and at.button(key="apply_edits").disabled  # a new editor, on the new figures


def test_the_data_editor_speaks_the_interface_language():
    for lang, base, status in (("vi", "Giá trị năm gốc (triệu USD)", "suy ra"), ("en", "Base-year value (million USD)",
                                                                                     "derived")):  # fmt: skip
        at = run_app({"lang": lang}, page=DATA_PAGE)
        open_boxes(at, "edit_sectors")
        open_boxes(at, "edit_actuals")
        drawn = editors(at)
        sectors, actuals = drawn
        assert sectors["base_musd"]["label"] == base
        labels = [c["label"] for e in drawn for name, c in e.items() if not name.startswith("_")]
        raw = {"id", "name_vi", "name_en", "base_musd", "base_status", "derived", "year", "value_musd", "bound"}
        assert not raw & set(labels), labels
        options = {o["value"]: o["label"] for o in sectors["base_status"]["type_config"]["options"]}
        assert options["derived"] == status
        sector_names = {o["value"]: o["label"] for o in actuals["sector"]["type_config"]["options"]}
        assert sector_names["textiles"] == ("Dệt may" if lang == "vi" else "Textiles & garments")
        assert not any("EXPORT_PLANNER" in c for c in texts(at.caption))


# --- links carry the data -------------------------------------------------------------------------


def test_a_link_with_data_opens_the_saved_dataset_in_a_fresh_session():
    figures = uploaded_plan()
    store().save_dataset(NAME, NOTE, plan_to_dict(figures), "thai-binh")
    query = {"plan": "thai-binh", "data": figures.fingerprint, "g.textiles": "9", "shock": "4"}
    at = run_app(query)
    assert at.metric[0].value == total(figures, query) != total(model.load_plan(), query)
    notice = texts(at.info)
    assert f"Dữ liệu: bộ dữ liệu «{NAME}» (mã {figures.fingerprint}) (mở theo liên kết)." in notice
    assert notices(at) == [], "a valid link is not repaired"
    link = share_link(at)
    assert f"data={figures.fingerprint}" in link and "plan=thai-binh" in link
    assert any(f"Liên kết mang theo bộ dữ liệu «{NAME}»" in c for c in texts(at.sidebar.caption))
    at.switch_page(DATA_PAGE).run()
    assert data_in_use(at) == f"Dữ liệu đang dùng: bộ dữ liệu «{NAME}» (mã {figures.fingerprint})"


@pytest.mark.parametrize("case", ["deleted", "unknown", "hostile"])
def test_a_link_whose_figures_are_not_here_says_so_and_shows_the_bundled_plan(case):
    figures = uploaded_plan()
    if case == "deleted":
        saved = store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
        store().delete_dataset(saved.id)
    code = {"deleted": figures.fingerprint, "unknown": "ffffffffffff", "hostile": "![x](http://e.vn/a.png)"}[case]
    at = run_app({"data": code, "shock": "4"})
    bundled = model.load_plan()
    assert at.metric[0].value == total(bundled, {"shock": "4"})
    [text] = notices(at)
    assert text.startswith("Liên kết này được tạo trên số liệu khác: ")
    assert text.endswith("Bạn đang xem bộ dữ liệu gốc của Thái Bình, nên các con số có thể khác với người gửi.")
    if case == "deleted":
        assert f"bộ dữ liệu «{NAME}» đã bị xóa (khôi phục được từ thùng rác ở trang Dữ liệu)" in text
    else:
        assert f"số liệu mã {code[:16]} không được lưu trên máy chủ này" in text
    [source] = [w.value for w in at.warning if not w.value.startswith("### ")]
    assert "![" not in source and "](" not in source, "the link's value is shown as plain text"
    assert "không hợp lệ" not in text and "sửa" not in text, "a link to other figures is not 'repaired'"
    assert "data" not in at.query_params, "the address bar no longer names figures that are not in use"


def test_a_link_made_on_an_unsaved_upload_says_plainly_that_the_figures_were_not_saved():
    at = run_app(page=DATA_PAGE)
    upload(at)
    fingerprint = uploaded_plan().fingerprint
    [warning] = texts(at.sidebar.warning)[:1]
    assert warning.startswith(f"Đang dùng dữ liệu tải lên (mã {fingerprint}) CHƯA ĐƯỢC LƯU: người mở liên kết")
    assert "sẽ thấy bộ dữ liệu gốc của Thái Bình, không phải số liệu của bạn" in warning
    link = share_link(at)
    query = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))
    colleague = run_app(query)
    assert colleague.metric[0].value == total(model.load_plan(), query)
    [notice] = notices(colleague)
    assert f"số liệu mã {fingerprint} không được lưu trên máy chủ này (ví dụ một tệp tải lên chưa lưu" in notice


# --- Compare: each scenario on its own figures -----------------------------------------------------


def test_compare_computes_each_scenario_on_its_own_figures_and_says_when_they_are_gone():
    bundled, figures = model.load_plan(), uploaded_plan()
    dataset = store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
    on_dataset = save_on(figures, "Phương án trên số liệu Sở", {"g.textiles": "8"},
                         plan_id="thai-binh", data_fingerprint=figures.fingerprint)  # fmt: skip
    on_bundled = save_on(bundled, "Phương án gốc", {"g.textiles": "8"}, plan_id="thai-binh",
                         data_fingerprint=bundled.fingerprint)  # fmt: skip
    before_datasets = save_on(bundled, "Phương án cũ", {"shock": "5"})  # schema 1: no plan, no fingerprint
    at = run_app({"cmp": f"{on_dataset},{on_bundled},{before_datasets}"}, page=COMPARE_PAGE)
    paper = read_table(tables(at)[0])  # the paper opens with each scenario's outcome
    assert list(paper.columns) == ["Phương án trên số liệu Sở", "Phương án gốc", "Phương án cũ"]
    totals = paper.loc["Kim ngạch năm mục tiêu (triệu USD)"].tolist()
    assert totals == [total(figures, {"g.textiles": "8"}), total(bundled, {"g.textiles": "8"}),
                      total(bundled, {"shock": "5"})]  # fmt: skip
    assert totals[0] != totals[1], "the same sliders on other figures give other numbers"
    data = paper.loc["Số liệu dùng"].tolist()
    assert data[0] == f"bộ dữ liệu «{NAME}» (mã {figures.fingerprint})"
    assert data[1] == data[2] == f"Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {bundled.fingerprint})"
    sc = model.Scenario.from_query({"g.textiles": "8"}, figures)
    risk = model.simulate(figures, sc, n=sc.n, seed=sc.seed)
    assert paper.loc["Xác suất đạt"].iloc[0] == fmt.probability_pct(risk.probability, "vi")
    reached = model.project(figures, sc).reachable
    assert paper.loc["Kết luận"].iloc[0] == comparison.verdict_cell(reached, risk.probability, 2025, "vi")
    differ = read_table(tables(at)[1])  # then the parameters that differ, only those
    assert list(differ.index) == [fmt.param_label(k, "vi", bundled) for k in ("g.textiles", "shock")]
    assert differ.loc[fmt.param_label("g.textiles", "vi", bundled)].tolist() == ["8,0", "8,0", "12,8"]
    assert any(c.startswith("Số liệu của từng kịch bản: Phương án trên số liệu Sở: bộ dữ liệu") for c in
               texts(at.caption))  # fmt: skip
    listed = read_table(tables(at)[-1])
    assert list(listed.columns)[1] == "Cập nhật (giờ Việt Nam)"
    assert sorted(listed["Số liệu dùng"]) == sorted([f"bộ dữ liệu «{NAME}»"] + ["Thái Bình, bộ dữ liệu gốc"] * 2)

    # the dataset deleted: its scenario says its figures are gone, never shown on others
    store().delete_dataset(dataset.id)
    at = run_app({"cmp": f"{on_dataset},{on_bundled}"}, page=COMPARE_PAGE)
    paper = read_table(tables(at)[0])
    assert paper.loc["Số liệu dùng"].iloc[0] == (
        f"Không tính: bộ dữ liệu «{NAME}» đã bị xóa (khôi phục được từ thùng rác ở trang Dữ liệu)."
    )
    assert paper.loc["Kim ngạch năm mục tiêu (triệu USD)"].tolist() == ["–", total(bundled, {"g.textiles": "8"})]
    at.selectbox(key="manage_pick").set_value(on_dataset).run()
    at.button(key="open_saved").click().run()
    assert any(e.startswith("Không mở được «Phương án trên số liệu Sở»: bộ dữ liệu") for e in texts(at.error))


def test_a_page_on_a_saved_dataset_reads_its_plan_once_not_on_every_run(monkeypatch):
    """Its figures are the same for ever (they are its fingerprint): the plan, up to 256 KB,
    is read and parsed once per server, not on each run of a page that names the dataset
    (Compare's list of scenarios made on it, any page while it is the data in use)."""
    figures = uploaded_plan("904,00")
    store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
    save_on(figures, "Phương án trên số liệu Sở", {"g.textiles": "8"},
            plan_id="thai-binh", data_fingerprint=figures.fingerprint)  # fmt: skip
    at = run_app({"data": figures.fingerprint}, page=COMPARE_PAGE)
    reads = []
    for method in ("get_dataset", "list_datasets"):
        real = getattr(ScenarioStore, method)
        monkeypatch.setattr(ScenarioStore, method, lambda *a, real=real, **k: reads.append(real) or real(*a, **k))
    at.slider(key="g.textiles").set_value(9.0).run()
    assert not at.exception and reads == []
    assert read_table(tables(at)[-1])["Số liệu dùng"].tolist() == [f"bộ dữ liệu «{NAME}»"], "the list names it"


def test_opening_a_saved_scenario_brings_its_figures():
    figures = uploaded_plan()
    store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
    scenario = save_on(figures, "Phương án trên số liệu Sở", {"g.textiles": "8"},
                       plan_id="thai-binh", data_fingerprint=figures.fingerprint)  # fmt: skip
    at = run_app(page=COMPARE_PAGE)
    at.selectbox(key="manage_pick").set_value(scenario).run()
    at.button(key="open_saved").click().run()
    assert f"Đã mở «Phương án trên số liệu Sở» trên bộ dữ liệu «{NAME}» (mã {figures.fingerprint})." in texts(
        at.success
    )
    at.switch_page(OVERVIEW).run()
    assert at.slider(key="g.textiles").value == 8.0
    assert at.metric[0].value == total(figures, {"g.textiles": "8"})


# --- the save box: every page, with its data -----------------------------------------------------


def test_the_save_box_keeps_what_was_typed_when_a_save_fails_and_names_the_saved_scenario():
    at = run_app({"g.textiles": "8"}, page="views/risk.py")
    save_scenario(at, "<b>x</b>", NOTE)
    assert any("ký tự không được phép" in e for e in texts(at.sidebar.error))
    assert at.text_input(key="save_name").value == "<b>x</b>" and at.text_area(key="save_note").value == NOTE
    save_scenario(at, "Phương án A", NOTE)
    bundled = model.load_plan()
    assert texts(at.sidebar.success) == [
        f"Đã lưu «Phương án A». Số liệu: Thái Bình — bộ dữ liệu gốc đi kèm ứng dụng (mã {bundled.fingerprint})."
    ]
    assert at.text_input(key="save_name").value == "" and at.text_area(key="save_note").value == ""
    [saved] = store().list()
    assert (saved.name, saved.note, saved.plan_id, saved.data_fingerprint) == (
        "Phương án A", NOTE, "thai-binh", bundled.fingerprint,
    )  # fmt: skip
    assert float(saved.query["g.textiles"]) == 8.0

    # on a saved dataset, the scenario records that dataset's figures
    figures = uploaded_plan()
    store().save_dataset(NAME, "", plan_to_dict(figures), "thai-binh")
    on_data = run_app({"data": figures.fingerprint})
    save_scenario(on_data, "Phương án B")
    assert store().list()[0].data_fingerprint == figures.fingerprint
    assert f"Số liệu: bộ dữ liệu «{NAME}»" in texts(on_data.sidebar.success)[0]


def test_a_save_on_unsaved_figures_warns_that_others_will_not_see_them():
    at = run_app(page=DATA_PAGE)
    upload(at)
    assert any(
        w.startswith("Số liệu đang dùng chưa được lưu: kịch bản vẫn lưu được")
        for w in texts(open_boxes(at, "save").sidebar.warning)
    )
    save_scenario(at, "Phương án nháp")
    assert store().list()[0].data_fingerprint == uploaded_plan().fingerprint


def test_the_save_box_says_when_the_store_cannot_be_opened(monkeypatch):
    monkeypatch.setenv("EXPORT_PLANNER_DB", "/proc/export-planner-test.sqlite3")
    at = open_boxes(run_app(), "save")
    assert not at.get("form")
    assert any(c.startswith("Chưa lưu được: kho không mở được (mã lỗi: readonly)") for c in texts(at.sidebar.caption))


def test_times_are_shown_in_vietnam_time():
    assert session.local_time("2026-11-27T17:30:00.000001+00:00") == "28/11/2026 00:30"
    assert t("cmp.col.updated", "en") == "Updated (Vietnam time)"


def test_a_dataset_of_another_province_brings_its_own_sliders_by_hand_and_by_link():
    hung_yen = model.load_plan("data/hung_yen")
    sectors = hung_yen.sectors_frame()
    sectors.loc[0, "base_musd"] = float(sectors.loc[0, "base_musd"]) + 500.0
    figures, problems = model.upload.plan_with_tables(hung_yen, sectors=sectors)
    assert figures is not None, problems
    store().save_dataset("Hưng Yên, số liệu Sở", "", plan_to_dict(figures), "hung-yen")
    at = run_app({"shock": "20"}, page=DATA_PAGE)
    at.button(key="open_dataset").click().run()
    assert at.selectbox(key="_plan_select.vi").value == "hung-yen"
    assert {s.key for s in at.slider if s.key.startswith("g.")} == {f"g.{i}" for i in figures.sector_ids}
    assert at.slider(key="shock").value == 0.0, "the other province's sliders start at its defaults"
    at.switch_page(OVERVIEW).run()
    assert at.metric[0].value == total(figures)
    link = share_link(at)
    query = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))
    colleague = run_app(query)
    assert colleague.selectbox(key="_plan_select.vi").value == "hung-yen"
    assert colleague.metric[0].value == total(figures, query)
    assert notices(colleague) == []
    # Compare: a scenario on those figures beside one on Thái Bình's, each with its own sectors
    bundled = model.load_plan()
    on_hy = save_on(figures, "Hưng Yên", {}, plan_id="hung-yen", data_fingerprint=figures.fingerprint)
    on_tb = save_on(bundled, "Thái Bình", {}, plan_id="thai-binh", data_fingerprint=bundled.fingerprint)
    compare = run_app({"cmp": f"{on_hy},{on_tb}"}, page=COMPARE_PAGE)
    paper, differ = read_table(tables(compare)[0]), read_table(tables(compare)[1])
    assert paper.loc["Kim ngạch năm mục tiêu (triệu USD)"].tolist() == [total(figures), total(bundled)]
    growth_rows = {fmt.param_label(f"g.{s.id}", "vi", p) for p in (figures, bundled) for s in p.sectors}
    assert growth_rows <= set(differ.index), "every sector of either plan, absent in the other: '–'"
    assert differ.loc[fmt.param_label("g.textiles", "vi", bundled)].tolist() == ["–", "12,8"]
