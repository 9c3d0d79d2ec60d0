"""The planner in a real browser: deep links, sliders, page switches, the share link, English.

Each test has its own browser context (its own Streamlit session) on the shared server
(fixture `server`), except where a fresh server is the subject: a deep link or a shared
link as the first request to a server that has just started (fixture `start_server`).
The values asserted are the ones a user reads on screen or in the address bar, and the
expected figures come from the model (expected.py).
"""

from __future__ import annotations

import re

import expected
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEXTILES_VI = "Dệt may"
TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
TOTAL_EN = "Projected 2025"  # "Projected 2025 (million USD)"
NAV_VI = ["Tổng quan", "Kịch bản", "Rủi ro & độ nhạy", "So sánh", "Dữ liệu", "Phương pháp"]
NAV_EN = ["Overview", "Scenario", "Risk & sensitivity", "Compare", "Data", "Method"]
PLAN_SELECT_VI = "Tỉnh và bộ số liệu"
REPAIRED_VI = "đã được sửa"  # in the notice "Liên kết có tham số không hợp lệ, đã được sửa:"


def url_has(param: str, value: str) -> re.Pattern[str]:
    """The address bar holds param=value (a float may be written 8 or 8.0)."""
    return re.compile(rf"[?&]{re.escape(param)}={re.escape(value)}(\.0+)?(&|$)")


def on_page(path: str) -> re.Pattern[str]:
    """The address bar is on page `path` ('/' or '/risk'), with or without a query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?|$)")


def nav_links(app):
    return app.page.get_by_test_id("stTopNav").get_by_test_id("stTopNavLink")


def test_deep_link_is_the_first_request_to_a_fresh_server(start_server, new_app):
    """A deep link as the first request must not run the page alone."""
    app = new_app(start_server().url).open("/risk?g.textiles=8&shock=10&rec=3&lang=en")

    # the shared sidebar, with the link's values in its sliders
    expect(app.sidebar).to_be_visible()
    textiles = app.slider("g.textiles")
    expect(app.label(textiles)).to_have_text("Textiles & garments: 8.0% a year")
    expect(app.thumb(textiles)).to_have_value("8")
    expect(app.label(app.slider("shock"))).to_have_text(re.compile(r": 10\.0%$"))
    expect(app.label(app.slider("rec"))).to_have_text(re.compile(r": 3 years$"))
    expect(app.sidebar.get_by_test_id("stRadio").get_by_role("radio", name="en")).to_be_checked()

    # the top navigation, in English, with Risk as the current page
    expect(nav_links(app)).to_have_text(NAV_EN)
    expect(nav_links(app).filter(has_text="Risk & sensitivity")).to_have_attribute("aria-current", "page")

    # the Risk page itself, in English, with the model's probability
    expect(app.title()).to_have_text("Risk & sensitivity")
    query = {"g.textiles": "8", "shock": "10", "rec": "3"}
    expect(app.probability()).to_have_text(expected.probability(query, "en"))
    expect(app.page).to_have_url(on_page("/risk"))
    expect(app.page).to_have_url(url_has("g.textiles", "8"))
    app.expect_share_link(re.compile(rf"^{re.escape(app.base_url)}/risk\?"))


def test_moving_a_slider_changes_the_verdict_and_the_url(app):
    app.open("/")
    verdict, total = app.verdict(), app.metric_value(TOTAL_VI)
    expect(verdict).to_have_text(app.verdict_text(True, expected.total({})))
    expect(total).to_have_text(expected.total({}))
    expect(app.page).not_to_have_url(re.compile(r"g\.textiles="))  # a default value is left out of the address bar

    textiles = app.slider_by_label(TEXTILES_VI)
    app.press(textiles, "Home")  # the slider's minimum: -30% a year

    expect(app.thumb(textiles)).to_have_value("-30")
    expect(app.page).to_have_url(url_has("g.textiles", "-30"))
    app.wait_scenario(**{"g.textiles": "-30"})
    expect(app.label(textiles)).to_have_text("Dệt may: -30,0%/năm")
    low = expected.total({"g.textiles": "-30"})
    expect(verdict).to_have_text(app.verdict_text(False, low))
    expect(total).to_have_text(low)


def test_switching_page_keeps_the_scenario(app):
    app.open("/")
    app.set_slider("shock", ["PageUp"], "5,0%", "5")  # 0% -> 5% (a tenth of the range)
    total = expected.total({"shock": "5"})
    expect(app.metric_value(TOTAL_VI)).to_have_text(total)

    app.nav("Rủi ro & độ nhạy")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    expect(app.page).to_have_url(on_page("/risk"))
    expect(app.page).to_have_url(url_has("shock", "5"))
    expect(app.label(app.slider("shock"))).to_have_text(re.compile(r": 5,0%$"))
    expect(app.thumb(app.slider("shock"))).to_have_value("5")
    app.expect_share_link(re.compile(r"/risk\?.*[?&]shock=5(&|$)"))
    expect(app.probability()).to_have_text(expected.probability({"shock": "5"}))

    app.nav("Tổng quan")
    expect(app.page).to_have_url(on_page("/"))
    expect(app.page).to_have_url(url_has("shock", "5"))
    expect(app.label(app.slider("shock"))).to_have_text(re.compile(r": 5,0%$"))
    expect(app.verdict()).to_have_text(app.verdict_text(True, total))
    expect(app.metric_value(TOTAL_VI)).to_have_text(total)


def test_share_link_reproduces_the_scenario_on_a_freshly_started_server(server, start_server, new_app):
    app = new_app(server).open("/")
    settings = {  # key: (key pressed, value in the label, value in the link); PageUp/Down: a tenth of the range
        "g.textiles": (["PageDown"], "4,8%/năm", "4.8"),
        "g.seafood": (["PageUp"], "9,7%/năm", "9.7"),
        "shock": (["PageUp"], "5,0%", "5"),
        "rec": (["End"], "5 năm", "5"),
    }
    for key, (keys, shown, value) in settings.items():
        app.set_slider(key, keys, shown, value)
    query = {key: value for key, (_, _, value) in settings.items()}
    app.wait_scenario(**query)
    total, reached = expected.total(query), expected.reached(query)
    expect(app.metric_value(TOTAL_VI)).to_have_text(total)
    expect(app.verdict()).to_have_text(app.verdict_text(reached, total))

    app.nav("Rủi ro & độ nhạy")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    app.expect_share_link(re.compile(rf"^{re.escape(server)}/risk\?"), *(url_has(k, v) for k, v in query.items()))
    expect(app.probability()).to_have_text(expected.probability(query))
    link = app.share_link()

    fresh = start_server()
    other = new_app(fresh.url).open(app.relink(link, fresh.url), absolute=True)  # its first request

    expect(other.title()).to_have_text("Rủi ro & độ nhạy")
    expect(other.page).to_have_url(on_page("/risk"))
    expect(other.probability()).to_have_text(expected.probability(query))
    for key, (_, shown, _) in settings.items():
        expect(other.label(other.slider(key))).to_have_text(re.compile(rf": {re.escape(shown)}$"))
    expect(other.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)).to_have_count(0)

    other.nav("Tổng quan")
    expect(other.verdict()).to_have_text(other.verdict_text(reached, total))
    expect(other.metric_value(TOTAL_VI)).to_have_text(total)


def test_english_switch_changes_text_and_number_format(app):
    app.open("/")
    vi_value, en_value = expected.total({}, "vi"), expected.total({}, "en")  # 2.870,0 and 2,870.0
    expect(app.verdict()).to_have_text(app.verdict_text(True, vi_value))
    expect(app.metric_value(TOTAL_VI)).to_have_text(vi_value)

    app.language("en")
    expect(app.page).to_have_url(url_has("lang", "en"))
    app.wait_scenario(lang="en")
    expect(app.verdict()).to_have_text(app.verdict_text(True, en_value, lang="en"))
    expect(app.title()).to_have_text("Thai Binh export scenarios")
    expect(nav_links(app)).to_have_text(NAV_EN)
    expect(app.metric_value(TOTAL_EN)).to_have_text(en_value)
    expect(app.label(app.slider("g.textiles"))).to_have_text("Textiles & garments: 12.8% a year")

    app.language("vi")
    app.wait_scenario(lang="vi")
    expect(app.verdict()).to_have_text(app.verdict_text(True, vi_value))
    expect(app.page).not_to_have_url(re.compile(r"lang=en"))
    expect(app.title()).to_have_text("Kịch bản xuất khẩu Thái Bình")
    expect(nav_links(app)).to_have_text(NAV_VI)
    expect(app.metric_value(TOTAL_VI)).to_have_text(vi_value)
    expect(app.label(app.slider("g.textiles"))).to_have_text("Dệt may: 12,8%/năm")


def test_hostile_link_is_repaired_with_a_notice(app, default_growth):
    app.open("/?g.textiles=abc&shock=999&zzz=1")

    notice = app.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("shock")
    expect(notice).to_contain_text("zzz")
    expect(notice).to_contain_text("g.textiles")
    expect(app.verdict()).to_be_visible()  # the app still works
    expect(app.metric_value(TOTAL_VI)).to_have_text(expected.total({"shock": "50"}))

    # the address bar no longer carries the bad values; the widgets show what is used
    expect(app.label(app.slider("shock"))).to_have_text(re.compile(r": 50,0%$"))
    textiles = f"{default_growth['textiles']:.1f}".replace(".", ",")
    expect(app.label(app.slider("g.textiles"))).to_have_text(f"Dệt may: {textiles}%/năm")
    app.wait_scenario(shock="50")
    expect(app.page).not_to_have_url(re.compile(r"shock=999|zzz|abc"))


def test_address_bar_carries_the_repaired_values(app):
    """After a repair, the address bar must be the scenario on screen (the address bar
    is always a shareable link that reproduces the scenario)."""
    app.open("/?shock=999&g.textiles=99")
    expect(app.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)).to_be_visible()
    expect(app.label(app.slider("shock"))).to_have_text(re.compile(r": 50,0%$"))  # clamped, as the notice says
    expect(app.label(app.slider("g.textiles"))).to_have_text("Dệt may: 50,0%/năm")
    app.wait_scenario(**{"shock": "50", "g.textiles": "50"})  # the share link has them

    # Copying the address bar must give the same scenario, so it must hold the clamped values
    # (neither is the default, so Streamlit's binding keeps them in the URL).
    expect(app.page).to_have_url(url_has("shock", "50"))
    expect(app.page).to_have_url(url_has("g.textiles", "50"))


def test_the_plan_in_a_link_opens_that_province_on_a_fresh_server(start_server, new_app):
    """plan= as a fresh server's first request: the merged province's plan, named in the selector
    and kept in the share link; an unknown plan is repaired with a notice, on the default plan."""
    server = start_server()
    app = new_app(server.url).open("/?plan=hung-yen")
    expect(app.title()).to_have_text("Kịch bản xuất khẩu Hưng Yên")
    expect(app.sidebar.get_by_role("combobox", name=PLAN_SELECT_VI)).to_have_value("Hưng Yên")
    app.wait_scenario(plan="hung-yen")
    expect(app.page.get_by_test_id("stException")).to_have_count(0)

    other = new_app(server.url).open("/?plan=nam-dinh")
    notice = other.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)
    expect(notice).to_contain_text("«plan=nam-dinh»: không có bộ số liệu này trên máy chủ")
    expect(other.title()).to_have_text("Kịch bản xuất khẩu Thái Bình")
    expect(other.sidebar.get_by_role("combobox", name=PLAN_SELECT_VI)).to_have_value("Thái Bình")


def test_the_app_works_offline_with_its_own_tab_icon(app, server):
    # Every browser test refuses and reports a request off this machine (conftest.OUTSIDE):
    # here, what each page fetches for itself, the tab's icon included.
    for path, title in (
        ("/", "Kịch bản xuất khẩu Thái Bình"),
        ("/risk", "Rủi ro & độ nhạy"),
        ("/method", "Phương pháp"),
    ):
        app.open(path)
        expect(app.title()).to_have_text(title)
        icon = app.page.locator("link[rel~='icon']").first
        expect(icon).to_have_attribute("href", re.compile(r"^(/|" + re.escape(server) + r"/)media/"))
