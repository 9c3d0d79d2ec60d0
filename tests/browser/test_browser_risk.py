"""Issue 3 in a real browser: the probability answers the correlation control, and a copied
link reproduces it exactly in a fresh session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UNCERTAINTY_VI = "Độ bất định (mô phỏng)"


def test_correlation_changes_the_probability_and_the_link_reproduces_it(app, new_app):
    app.open("/risk")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    probability = app.probability()
    expect(probability).to_have_text(re.compile(r"^Xác suất đạt mục tiêu: \d+%$"))
    app.wait_idle()
    before = probability.inner_text()

    app.open_expander(UNCERTAINTY_VI)
    rho = app.slider("rho")
    expect(rho.get_by_test_id("stWidgetLabel")).to_have_text(
        re.compile(r"^Mức cùng biến động giữa các nhóm hàng: 0,50$")
    )
    expect(app.thumb(rho)).to_have_value("0.5")
    app.set_slider("rho", ["Home"], "0,00", "0")  # no common shock: sector errors average out

    expect(probability).not_to_have_text(before)
    after = probability.inner_text()
    assert re.fullmatch(r"Xác suất đạt mục tiêu: \d+%", after), after

    link = app.share_link()
    assert re.search(r"[?&]rho=0(&|$)", link), link
    assert re.search(r"[?&]seed=\d+(&|$)", link), link  # the seed travels with the link

    fresh = new_app(app.base_url).open(link, absolute=True)  # a new session on the same server
    expect(fresh.title()).to_have_text("Rủi ro & độ nhạy")
    expect(fresh.probability()).to_have_text(after)
    fresh.open_expander(UNCERTAINTY_VI)
    expect(fresh.thumb(fresh.slider("rho"))).to_have_value("0")
