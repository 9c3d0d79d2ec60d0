"""Issue 2 in a real browser: deep links, sliders, page switches, the share link, English.

Each test gets a freshly started Streamlit server (fixture `server`) and its own browser
context; the values asserted are the ones a user reads on screen or in the address bar.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEXTILES_VI = "Dệt may"
TOTAL_VI = "Dự báo 2025"  # the key figure "Dự báo 2025 (triệu USD)"
TOTAL_EN = "Projected 2025"  # "Projected 2025 (million USD)"
NAV_VI = ["Tổng quan", "Kịch bản", "Rủi ro & độ nhạy", "So sánh", "Dữ liệu", "Phương pháp"]
NAV_EN = ["Overview", "Scenario", "Risk & sensitivity", "Compare", "Data", "Method"]
REPAIRED_VI = "đã được sửa"  # in the notice "Liên kết có tham số không hợp lệ, đã được sửa:"


def url_has(param: str, value: str) -> re.Pattern[str]:
    """The address bar holds param=value (a float may be written 8 or 8.0)."""
    return re.compile(rf"[?&]{re.escape(param)}={re.escape(value)}(\.0+)?(&|$)")


def nav_links(app):
    return app.page.get_by_test_id("stTopNav").get_by_test_id("stTopNavLink")


def test_deep_link_is_the_first_request_to_a_fresh_server(app):
    """DESIGN.md section 7: a deep link as the first request must not run the page alone."""
    app.open("/risk?g.textiles=8&shock=10&rec=3&lang=en")

    # the shared sidebar, with the link's values in its sliders
    expect(app.sidebar).to_be_visible()
    textiles = app.slider("g.textiles")
    expect(textiles.get_by_test_id("stWidgetLabel")).to_have_text(re.compile(r"^Textiles & garments: \d+\.\d% a year$"))
    expect(app.value_label(textiles)).to_contain_text(": 8.0% a year")
    expect(app.thumb(textiles)).to_have_value("8")
    expect(app.value_label(app.slider("shock"))).to_contain_text(": 10.0%")
    expect(app.value_label(app.slider("rec"))).to_contain_text(": 3 years")
    expect(app.sidebar.get_by_test_id("stRadio").get_by_role("radio", name="en")).to_be_checked()

    # the top navigation, in English, with Risk as the current page
    expect(nav_links(app)).to_have_text(NAV_EN)
    expect(nav_links(app).filter(has_text="Risk & sensitivity")).to_have_attribute("aria-current", "page")

    # the Risk page itself, in English, with its probability
    expect(app.title()).to_have_text("Risk & sensitivity")
    expect(app.probability()).to_have_text(re.compile(r"^Probability of reaching the target: \d+%$"))
    assert app.path() == "/risk"
    assert app.query().get("g.textiles") in (["8"], ["8.0"]), app.url
    assert app.share_link().startswith(f"{app.base_url}/risk?"), app.share_link()


def test_moving_a_slider_changes_the_verdict_and_the_url(app):
    app.open("/")
    verdict = app.verdict()
    expect(verdict).to_have_text(re.compile(r"^Dự báo nhìn từ năm 2020: ĐẠT mục tiêu 2025"))
    total = app.metric_value(TOTAL_VI)
    total_before = total.inner_text()
    assert "g.textiles" not in app.url  # a default value is left out of the address bar

    textiles = app.slider_by_label(TEXTILES_VI)
    app.press(textiles, "Home")  # the slider's minimum: -30% a year

    expect(app.value_label(textiles)).to_contain_text(": -30,0%/năm")
    expect(app.page).to_have_url(url_has("g.textiles", "-30"))
    expect(verdict).to_have_text(re.compile(r"^Dự báo nhìn từ năm 2020: CHƯA ĐẠT mục tiêu 2025"))
    app.wait_scenario(**{"g.textiles": "-30"})
    total_after = total.inner_text()
    assert total_after != total_before
    assert app.number(total_after) < 2_700 < app.number(total_before), (total_before, total_after)


def test_switching_page_keeps_the_scenario(app):
    app.open("/")
    app.set_slider("shock", ["ArrowRight"] * 5, "5,0%", "5")  # 0% -> 5%
    total = app.metric_value(TOTAL_VI).inner_text()

    app.nav("Rủi ro & độ nhạy")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    app.wait_idle()
    assert app.path() == "/risk"
    expect(app.page).to_have_url(url_has("shock", "5"))
    expect(app.value_label(app.slider("shock"))).to_contain_text(": 5,0%")
    expect(app.thumb(app.slider("shock"))).to_have_value("5")
    expect(app.share_link_locator()).to_have_text(re.compile(r"/risk\?.*[?&]shock=5(&|$)"))

    app.nav("Tổng quan")
    expect(app.verdict()).to_be_visible()
    app.wait_idle()
    assert app.path() == "/"
    expect(app.page).to_have_url(url_has("shock", "5"))
    expect(app.value_label(app.slider("shock"))).to_contain_text(": 5,0%")
    expect(app.metric_value(TOTAL_VI)).to_have_text(total)


def test_share_link_reproduces_the_scenario_on_a_freshly_started_server(start_server, new_app):
    first = start_server()
    app = new_app(first.url).open("/")
    settings = {  # key: (keys pressed, value on the thumb, value in the link)
        "g.textiles": (["ArrowLeft"] * 5, "12,3%/năm", "12.3"),
        "g.seafood": (["ArrowRight"] * 3, "2,0%/năm", "2"),
        "shock": (["ArrowRight"] * 8, "8,0%", "8"),
        "rec": (["End"], "5 năm", "5"),
    }
    for key, (keys, shown, value) in settings.items():
        app.set_slider(key, keys, shown, value)
    app.wait_scenario(**{key: value for key, (_, _, value) in settings.items()})
    total = app.metric_value(TOTAL_VI).inner_text()
    verdict = app.verdict().inner_text()

    app.nav("Rủi ro & độ nhạy")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    expect(app.share_link_locator()).to_have_text(re.compile(r"/risk\?"))
    app.wait_idle()
    probability = app.probability().inner_text()
    link = app.share_link()
    assert link.startswith(f"{first.url}/risk?"), link
    for key, (_, _, value) in settings.items():
        assert url_has(key, value).search(link), (key, link)

    first.stop()
    second = start_server()
    assert second.port != first.port
    other = new_app(second.url).open(app.relink(link, second.url), absolute=True)  # its first request

    expect(other.title()).to_have_text("Rủi ro & độ nhạy")
    assert other.path() == "/risk"
    expect(other.probability()).to_have_text(probability)
    for key, (_, shown, _) in settings.items():
        expect(other.value_label(other.slider(key))).to_contain_text(f": {shown}")
    expect(other.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)).to_have_count(0)

    other.nav("Tổng quan")
    expect(other.verdict()).to_have_text(verdict)
    other.wait_idle()
    expect(other.metric_value(TOTAL_VI)).to_have_text(total)


def test_english_switch_changes_text_and_number_format(app):
    app.open("/")
    expect(app.verdict()).to_have_text(
        re.compile(r"^Dự báo nhìn từ năm 2020: ĐẠT mục tiêu 2025 \(\d\.\d{3},\d triệu USD")
    )
    vi_value = re.search(r"mục tiêu 2025 \(([\d.,]+) triệu USD", app.verdict().inner_text()).group(1)  # e.g. 2.870,0
    en_value = vi_value.replace(".", "#").replace(",", ".").replace("#", ",")  # e.g. 2,870.0
    expect(app.metric_value(TOTAL_VI)).to_have_text(vi_value)

    app.language("en")
    expect(app.page).to_have_url(url_has("lang", "en"))
    app.wait_scenario(lang="en")
    expect(app.verdict()).to_have_text(
        re.compile(rf"^Projection as seen from 2020: target 2025 REACHED \({re.escape(en_value)} million USD")
    )
    expect(app.title()).to_have_text("Thai Binh export scenarios")
    expect(nav_links(app)).to_have_text(NAV_EN)
    expect(app.metric_value(TOTAL_EN)).to_have_text(en_value)
    expect(app.slider("g.textiles").get_by_test_id("stWidgetLabel")).to_have_text(re.compile(r"^Textiles & garments: "))

    app.language("vi")
    app.wait_scenario(lang="vi")
    expect(app.verdict()).to_have_text(
        re.compile(rf"^Dự báo nhìn từ năm 2020: ĐẠT mục tiêu 2025 \({re.escape(vi_value)} triệu USD")
    )
    assert "lang=en" not in app.url, app.url
    expect(app.title()).to_have_text("Kịch bản xuất khẩu Thái Bình")
    expect(nav_links(app)).to_have_text(NAV_VI)
    expect(app.metric_value(TOTAL_VI)).to_have_text(vi_value)


def test_hostile_link_is_repaired_with_a_notice(app, default_growth):
    app.open("/?g.textiles=abc&shock=999&zzz=1")

    notice = app.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("shock")
    expect(notice).to_contain_text("zzz")
    expect(notice).to_contain_text("g.textiles")
    expect(app.verdict()).to_be_visible()  # the app still works
    expect(app.metric_value(TOTAL_VI)).to_have_text(re.compile(r"^\d{1,3}(\.\d{3})*,\d$"))

    # the address bar no longer carries the bad values; the widgets show what is used
    expect(app.value_label(app.slider("shock"))).to_contain_text(": 50,0%")
    expect(app.value_label(app.slider("g.textiles"))).to_contain_text(
        f": {default_growth['textiles']:.1f}%/năm".replace(".", ",")
    )
    app.wait_scenario(shock="50")
    expect(app.page).not_to_have_url(re.compile(r"shock=999"))
    assert "zzz" not in app.url, app.url
    assert "abc" not in app.url, app.url


def test_address_bar_carries_the_repaired_values(app):
    """After a repair, the address bar must be the scenario on screen (DESIGN.md section 4:
    "the address bar is always a shareable link that reproduces the scenario")."""
    app.open("/?shock=999&g.textiles=99")
    expect(app.main.get_by_test_id("stAlert").filter(has_text=REPAIRED_VI)).to_be_visible()
    expect(app.value_label(app.slider("shock"))).to_contain_text(": 50,0%")  # clamped, as the notice says
    expect(app.value_label(app.slider("g.textiles"))).to_contain_text(": 50,0%/năm")
    app.wait_scenario(**{"shock": "50", "g.textiles": "50"})  # the share link has them

    # Copying the address bar must give the same scenario, so it must hold the clamped values
    # (neither is the default, so Streamlit's binding keeps them in the URL).
    expect(app.page).to_have_url(url_has("shock", "50"))
    expect(app.page).to_have_url(url_has("g.textiles", "50"))


def test_a_link_to_the_other_plan_is_the_first_request_to_a_fresh_server(app):
    """plan= in a shared link opens that province's plan even as a fresh server's first request."""
    app.open("/?plan=hung-yen&g.former_thai_binh=15")
    expect(app.title()).to_contain_text("Hưng Yên")
    expect(app.value_label(app.slider("g.former_thai_binh"))).to_contain_text(": 15,0%/năm")
    expect(app.slider("g.textiles")).to_have_count(0)
    expect(app.verdict()).to_have_text(re.compile(r"^Dự báo nhìn từ năm 2020: (CHƯA )?ĐẠT mục tiêu 2030"))
    record = app.main.get_by_test_id("stAlert").filter(has_text="Thực tế:")
    expect(record).to_contain_text("năm 2025: 11.968,0 triệu USD (ước tính)")
    expect(app.share_link_locator()).to_have_text(re.compile(r"[?&]plan=hung-yen(&|$)"))
