"""Hostile input (tests/hostile/make_hostile.py): bombs, limits, Markdown payloads, long links.

Each upload is refused with one problem naming the limit it broke (never a plan, never an
exception: the parser runs with RAISE_INTERNAL_ERRORS), in the model and in the app,
where the last good data stays in use. Markdown in a link, a scenario file or a cell
shows as text. The bombs carry a timeout: the parser they were made against needed minutes.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import model
import model.upload as upload
from model.params import BY_KEY, HORIZON_LIMIT
from model.plan import PlanError, plan_from_dict, plan_to_dict
from model.upload import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, plan_with_upload, template_csv, template_xlsx
from tests.helpers import open_boxes, open_settings, read_table, run_app, shown, tables
from tests.hostile import make_hostile as hostile
from ui import link_limits, upload_limits
from ui.problems import describe

pytestmark = pytest.mark.usefixtures("isolated_store")  # each test has a store of its own
PLAN = model.load_plan()

# name -> (code, row, column, value) of the one problem it must give
EXPECTED = {
    "xfd_bomb.xlsx": ("too_many_rows", None, "", str(MAX_ROWS)),
    "xfd_value.xlsx": ("too_many_columns", 2, "XFD", str(MAX_COLUMNS)),
    "cells_bomb.xlsx": ("too_many_cells", None, "", str(MAX_CELLS)),
    "shared_strings_bomb.xlsx": ("too_many_cells", None, "", str(MAX_CELLS)),
    "dense_sheet.xlsx": (
        "not_a_number",
        2,
        "year",
        ("Số liệu ước tính theo báo cáo của Sở Công Thương tỉnh Thái Bình, " * 4).strip(),
    ),
    "billion_laughs.xlsx": ("unreadable", None, "", "DOCTYPE"),
    "blank_rows_bomb.xlsx": ("too_many_rows", None, "", str(MAX_ROWS)),
    "lying_zip_bomb.xlsx": ("unreadable", None, "", "xl/worksheets/sheet1.xml: BadZipFile"),
    "long_number.xlsx": ("unreadable", None, "", "number"),
    "bad_number.xlsx": ("unreadable", None, "", "number"),
    "huge_cell.xlsx": ("text_too_long", 2, "note", "1000000"),
    "huge_cell.csv": ("text_too_long", 2, "", ""),
    "wide.csv": ("too_many_columns", 2, "CW", str(MAX_COLUMNS)),
    "many_sectors.csv": ("too_many_rows", None, "", str(MAX_ROWS)),
    "actuals_2031.csv": ("bad_year", 7, "year", "2031"),
    "markdown_cells.csv": ("not_a_number", 2, "base_musd", hostile.LINK),
}
# What each message must name (the limit, in each language's number format).
NAMED = {
    "too_many_rows": ("1.000", "1,000"),
    "too_many_columns": ("100", "100"),
    "too_many_cells": ("300.000", "300,000"),
    "bad_year": ("2030", "2030"),
    "text_too_long": ("2.000", "2,000"),
}


@pytest.fixture(autouse=True, scope="module")
def _internal_errors_raise():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upload, "RAISE_INTERNAL_ERRORS", True)
        yield


def test_the_corpus_covers_every_upload_it_makes():
    assert set(EXPECTED) == set(hostile.UPLOADS)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_upload_is_refused_with_a_problem_naming_the_limit(name):
    plan, problems = plan_with_upload(PLAN, name, hostile.UPLOADS[name]())
    assert plan is None
    assert [(p.code, p.row, p.column, p.value) for p in problems][:1] == [EXPECTED[name]]
    vi, en = describe(problems[0], "vi"), describe(problems[0], "en")
    assert name in vi and name in en
    if problems[0].row is not None:
        assert f"dòng {problems[0].row}" in vi and f"row {problems[0].row}" in en
    if named := NAMED.get(problems[0].code):
        assert named[0] in vi and named[1] in en, (vi, en)


def test_the_time_budget_stops_the_reading_and_says_so(monkeypatch):
    monkeypatch.setattr(upload, "PARSE_SECONDS", -1.0)  # already over: the first check stops it
    csv_data = template_csv(PLAN, "actuals", "en")
    for name, data in (("a.csv", csv_data), ("a.xlsx", template_xlsx(PLAN, "actuals"))):
        plan, problems = plan_with_upload(PLAN, name, data)
        assert plan is None and [p.code for p in problems] == ["parse_timeout"], problems
    monkeypatch.setattr(upload, "PARSE_SECONDS", 3.0)
    assert plan_with_upload(PLAN, "a.csv", csv_data)[1] == []
    p = model.Problem("parse_timeout", "a.xlsx", None, "", "3")
    assert "sau 3 giây" in describe(p, "vi") and "after 3 seconds" in describe(p, "en")


def test_a_caller_that_no_longer_wants_the_result_stops_the_reading():
    for name, data in (("a.csv", template_csv(PLAN, "actuals", "en")), ("b.xlsx", hostile.xfd_bomb())):
        plan, problems = plan_with_upload(PLAN, name, data, cancelled=lambda: True)
        assert plan is None and [p.code for p in problems] == ["cancelled"]
        assert "phiên làm việc đã đóng" in describe(problems[0], "vi")


def test_empty_cells_beyond_the_columns_read_are_ignored():
    data = hostile.workbook(hostile.HEADER + '<row r="2"><c r="A2"><v>2024</v></c><c r="B2"><v>3100</v></c>'
                            '<c r="XFD2" s="0"/></row>')  # fmt: skip
    plan, problems = plan_with_upload(PLAN, "actuals.xlsx", data)
    assert problems == [] and [(a.year, a.value_musd) for a in plan.actuals] == [(2024, 3100.0)]


# --- years beyond the horizon ----------------------------------------------------------------


def test_years_are_bounded_by_the_horizon_in_the_model():
    plan, problems = plan_with_upload(PLAN, "a.csv", hostile.actuals_through(HORIZON_LIMIT))
    assert problems == [] and plan.latest_actual_year() == HORIZON_LIMIT  # an actual of the last year is fine
    assert BY_KEY["base"].bounds(plan, {}) == (PLAN.base_year, HORIZON_LIMIT - 1)  # a base leaves a target year
    sc = model.Scenario.from_query({"base": str(HORIZON_LIMIT)}, plan)
    assert (sc.base, sc.ty) == (HORIZON_LIMIT - 1, HORIZON_LIMIT)
    assert [r.code for r in sc.repairs] == ["clamped"]
    model.project(plan, sc)
    d = plan_to_dict(PLAN)
    for change in ({"base_year": HORIZON_LIMIT}, {"target": dict(d["target"], year=HORIZON_LIMIT + 1)},
                   {"horizon_max": HORIZON_LIMIT + 1}):  # fmt: skip
        with pytest.raises(PlanError):
            plan_from_dict(d | change)


def test_a_base_year_is_one_with_an_actual_total():
    plan, problems = plan_with_upload(PLAN, "a.csv", hostile.actuals_beyond_horizon(2027))  # 2025, 2026 missing
    assert problems == [] and plan.latest_actual_year() == 2027
    assert BY_KEY["base"].bounds(plan, {})[1] == 2024
    sc = model.Scenario.from_query({"base": "2026"}, plan)
    assert sc.base == 2024 and [r.code for r in sc.repairs] == ["clamped"]
    model.project(plan, sc)


# --- in the app ----------------------------------------------------------------------------------


def upload_file(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].upload(name, data, "application/octet-stream").run()
    assert not at.exception, at.exception
    return at


def assert_plain(markdown: str, *payloads: str) -> None:
    """The payloads are in the Markdown source as text: no link or image syntax survives."""
    for payload in payloads:
        assert payload in shown(markdown), (payload, markdown)
    assert "](" not in markdown and "![" not in markdown and "<" not in markdown, markdown


def test_an_xlsx_bomb_uploaded_in_the_app_is_refused_and_the_last_good_data_kept():
    at = upload_file(run_app(page="views/data.py"), "bomb.xlsx", hostile.xfd_bomb())
    message = shown(at.error[0].value)
    assert "“bomb.xlsx” có quá nhiều dòng (tối đa 1.000 dòng số liệu)" in message, message
    at.switch_page("views/overview.py").run()
    assert at.metric[0].value == "2.870,0" and not at.sidebar.warning


def test_actuals_beyond_the_horizon_are_refused_naming_the_row_and_the_last_good_data_kept():
    at = upload_file(open_settings(run_app(page="views/data.py")), "actuals.csv", hostile.actuals_beyond_horizon(2031))
    message = shown(at.error[0].value)
    assert "dòng 7, cột “Năm”: năm “2031” không hợp lệ" in message and "đến 2030" in message, message
    assert max(at.selectbox(key="base").options, key=int) == "2024"
    at.switch_page("views/overview.py").run()
    assert at.metric[0].value == "2.870,0" and not at.sidebar.warning


def test_actuals_of_the_last_year_leave_a_target_year_after_every_base_year():
    at = upload_file(
        open_settings(run_app(page="views/data.py")), "actuals.csv", hostile.actuals_through(HORIZON_LIMIT)
    )
    assert shown(at.success[0].value).startswith("Đã áp dụng dữ liệu mới")
    base = at.selectbox(key="base")
    assert max(base.options, key=int) == str(HORIZON_LIMIT - 1)
    base.set_value(HORIZON_LIMIT - 1).run()
    at.switch_page("views/overview.py").run()
    assert not at.exception and at.metric, "every page still draws"


@pytest.mark.parametrize("case", sorted(hostile.LINKS))
def test_markdown_in_a_link_shows_as_text(case):
    query, payload = hostile.LINKS[case]
    at = run_app(query, page="views/compare.py" if "cmp" in query else None)
    notices = [w.value for w in at.warning]
    assert any(payload in shown(n) for n in notices), notices
    for notice in notices:
        assert_plain(notice)


def test_markdown_in_a_scenario_file_shows_as_text():
    at = upload_file(run_app(page="views/scenario.py"), "sc.json", hostile.scenario_json())
    assert_plain(at.success[0].value, hostile.IMAGE, hostile.LINK)


def test_markdown_in_uploaded_cells_shows_as_text():
    at = upload_file(run_app(page="views/data.py"), "bad.csv", hostile.markdown_cells_csv())
    assert_plain(at.error[0].value, hostile.LINK)
    text = template_csv(PLAN, "sectors", "vi").decode("utf-8-sig").replace("Dệt may", hostile.IMAGE, 1)
    at = upload_file(run_app(page="views/data.py"), "sectors.csv", text.encode("utf-8-sig"))
    assert shown(at.success[0].value).startswith("Đã áp dụng dữ liệu mới")
    label = at.slider(key="g.textiles").label  # a label escapes less (ui.text.label_md), but enough
    assert hostile.IMAGE in shown(label)
    assert not re.search(r"(?<!\\)(!\[|\]\(|http:)", label), label  # no image or link syntax unescaped
    assert read_table(tables(at)[1])["Nhóm hàng"].iloc[0] == hostile.IMAGE  # the Data page's sectors: as typed


def test_a_note_across_lines_shows_as_one_line_and_a_name_across_lines_is_refused():
    text = template_csv(PLAN, "sectors", "vi").decode("utf-8-sig")
    note = '"Dòng một\n\n    dòng hai **đậm**"'  # a blank line and an indent: a code block in Markdown
    at = upload_file(
        run_app(page="views/data.py"),
        "sectors.csv",
        text.replace(
            "Đại diện: dệt may cả nước (số liệu VITAS, gồm cả xơ, sợi, vải), bình quân 2016–2018: (36 / 28,3)^(1/2) − 1 = 12,8%/năm",
            note,
            1,
        ).encode("utf-8-sig"),
    )
    assert shown(at.success[0].value).startswith("Đã áp dụng dữ liệu mới")
    notes = open_boxes(at, "sector_notes").expander[0].markdown[0].value
    assert "Dòng một dòng hai \\*\\*đậm\\*\\*" in notes and "\n\n" not in notes, notes
    at = upload_file(
        run_app(page="views/data.py"), "sectors.csv", text.replace(";Dệt may;", ';"Dệt\nmay";', 1).encode("utf-8-sig")
    )
    message = shown(at.error[0].value)
    assert "dòng 2, cột “Tên ngành”: tên ngành có ký tự điều khiển hoặc ký tự ẩn (U+000A)" in message, message
    assert at.slider(key="g.textiles").label.startswith("Dệt may"), "the last good data kept"


# --- links Streamlit would ignore --------------------------------------------------------------


@pytest.fixture
def _links_repaired():
    """As a server started by ui/serve.py (scripts/run.sh) has it from its first request."""
    link_limits.install()


def _streamlit_sanitize():
    """Streamlit's own query check, unwrapped."""
    from streamlit.runtime.state import query_params

    check = query_params.sanitize_query_string
    return check.__defaults__[0] if getattr(check, "repairs_links", False) else check


@pytest.mark.usefixtures("_links_repaired")
def test_a_link_with_more_than_a_thousand_parameters_keeps_the_known_ones_and_says_so():
    junk = {f"utm{i}": "x" for i in range(1_500)}
    at = run_app({"shock": "20", "g.textiles": "7.5", "lang": "en", **junk})
    assert at.slider(key="shock").value == 20.0 and at.slider(key="g.textiles").value == 7.5
    assert at.radio(key="lang").value == "en"
    notice = shown(at.warning[0].value)
    assert "The link has 1503 parameters, more than the server reads: the app kept the 3 it knows" in notice
    assert dict(at.query_params) == {"shock": "20", "g.textiles": "7.5", "lang": "en"}


@pytest.mark.usefixtures("_links_repaired")
def test_a_link_too_long_to_read_opens_the_default_scenario_and_says_so():
    at = run_app({"shock": "20", "x": "a" * 600_000})
    assert at.slider(key="shock").value == 0.0
    assert re.search(r"Liên kết dài \d{6} ký tự, quá dài để đọc: mở kịch bản mặc định\.", shown(at.warning[0].value))
    assert link_limits.MARKER not in at.query_params


def test_a_link_of_many_unknown_keys_is_repaired_in_one_address_with_a_short_notice(monkeypatch):
    from streamlit.runtime.state.query_params import QueryParams

    sent: list[str] = []  # each address sent to the browser, whole
    send = QueryParams._send_query_param_msg
    monkeypatch.setattr(QueryParams, "_send_query_param_msg", lambda self: (sent.append(str(self)), send(self)))
    at = run_app({**{f"k{i}": "x" for i in range(200)}, "shock": "20"})
    assert dict(at.query_params) == {"shock": "20"} and at.slider(key="shock").value == 20.0
    assert len(sent) <= 2, f"{len(sent)} addresses sent"  # a key at a time sent 200, 1.6 MB of them
    notice = shown(at.warning[0].value).splitlines()
    assert "- «k9» không phải tham số của ứng dụng: bỏ qua." in notice and "- … và 190 chỗ sửa khác." in notice
    assert len(notice) < 15, notice


def test_a_link_value_across_lines_shows_on_one_line_in_the_notice():
    at = run_app({"shock": "x\n\n    y **z**"})
    notice = at.warning[0].value
    assert "«shock=x y \\*\\*z\\*\\*»" in notice and "\n\n    y" not in notice, notice


def test_known_params_keeps_the_last_value_of_known_keys_only():
    query = "&".join(["shock=5", "zzz=1", "g.textiles=3", "g.cars=1", "shock=7"] + ["a=b"] * 1_000)
    kept, repair = link_limits.known_params(query, {"textiles"})
    assert kept == {"shock": "7", "g.textiles": "3"}
    assert (repair.code, repair.raw, repair.value) == ("too_many_params", "1005", "2")
    assert link_limits.repaired_query(query, {"textiles"}) == "shock=7&g.textiles=3&_link_limits=1005.2"
    assert link_limits.ignored_by_streamlit(query) and not link_limits.ignored_by_streamlit("shock=5")
    long_query = "x=" + "a" * link_limits.MAX_LINK_CHARS
    assert link_limits.known_params(long_query, ())[0] is None
    assert link_limits.repaired_query(long_query, ()) == f"_link_limits=long.{len(long_query)}"


def test_streamlit_still_drops_such_links_where_the_app_repairs_them():
    """If this fails, Streamlit reads long links itself now (or elsewhere): see ui/link_limits.py."""
    from streamlit.runtime import app_session
    from streamlit.runtime.state import query_params

    assert query_params.CLIENT_STATE_QUERY_STRING_MAX_FIELDS == link_limits.STREAMLIT_MAX_FIELDS
    assert query_params.CLIENT_STATE_QUERY_STRING_MAX_LENGTH == link_limits.STREAMLIT_MAX_CHARS
    assert _streamlit_sanitize()("&".join(["a=1"] * 1_001)) == ""
    link_limits.install()
    for module in (app_session, query_params):
        assert module.sanitize_query_string("&".join(["shock=2"] * 1_001)) == "shock=2&_link_limits=1001.1"
        assert module.sanitize_query_string("shock=2") == "shock=2"


# --- what a session may keep uploaded ----------------------------------------------------------


def test_a_session_keeps_only_its_newest_uploads_within_the_bound():
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    upload_limits.install()
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    for i in range(10):
        manager.add_file("hostile", UploadedFileRec(f"f{i}", "x.csv", "text/csv", bytes(2_000_000)))
    manager.add_file("other", UploadedFileRec("o", "y.csv", "text/csv", b"1"))
    kept = manager.file_storage["hostile"]
    assert list(kept) == ["f7", "f8", "f9"]  # 3 x 2 MB within 6 MB; the newest always kept
    assert len(manager.get_files("other", ["o"])) == 1
    stats = manager.get_stats()
    assert sum(s.byte_length for s in next(iter(stats.values()))) == 6_000_001
    assert upload_limits.over_budget([("a", 10**9)], "a") == []  # the newest alone stays, whatever its size


def test_reading_an_upload_stops_when_its_session_has_gone(monkeypatch):
    """The check the Data page passes to the parser asks Streamlit whether the session lives."""
    from types import SimpleNamespace

    from streamlit.runtime import Runtime

    from ui import session

    assert session.session_closed() is None  # outside a server: no check
    alive = {"s1"}
    runtime = SimpleNamespace(is_active_session=lambda sid: sid in alive)
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: True))
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    monkeypatch.setattr(
        "streamlit.runtime.scriptrunner.get_script_run_ctx", lambda *a, **k: SimpleNamespace(session_id="s1")
    )
    closed = session.session_closed()
    assert closed is not None and not closed()
    alive.clear()  # the browser went away
    assert closed()
    assert callable(Runtime.is_active_session)  # the real one exists (Streamlit's upload handler uses it)
    plan, problems = plan_with_upload(PLAN, "b.xlsx", hostile.xfd_bomb(), closed)
    assert plan is None and [p.code for p in problems] == ["cancelled"]
