"""The risk page in a real browser: the probability answers the correlation control, and a copied
link reproduces it exactly in a fresh session."""

from __future__ import annotations

import re

import expected
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UNCERTAINTY_VI = "Độ bất định (mô phỏng)"
RHO_VI = "Mức cùng biến động giữa các nhóm hàng"


def test_correlation_changes_the_probability_and_the_link_reproduces_it(app, new_app):
    app.open("/risk")
    expect(app.title()).to_have_text("Rủi ro & độ nhạy")
    probability = app.probability()
    before, after = expected.probability({}), expected.probability({"rho": "0"})
    assert before != after, "the setup: no common shock must change the probability"
    expect(probability).to_have_text(before)

    app.open_expander(UNCERTAINTY_VI)
    rho = app.slider("rho")
    expect(app.label(rho)).to_have_text(f"{RHO_VI}: 0,50")
    expect(app.thumb(rho)).to_have_value("0.5")
    app.set_slider("rho", ["Home"], "0,00", "0")  # no common shock: sector errors average out
    expect(probability).to_have_text(after)

    # the seed travels with the link
    app.expect_share_link(re.compile(r"[?&]rho=0(&|$)"), re.compile(r"[?&]seed=\d+(&|$)"))
    link = app.share_link()

    fresh = new_app(app.base_url).open(link, absolute=True)  # a new session on the same server
    expect(fresh.title()).to_have_text("Rủi ro & độ nhạy")
    expect(fresh.probability()).to_have_text(after)
    fresh.open_expander(UNCERTAINTY_VI)
    expect(fresh.thumb(fresh.slider("rho"))).to_have_value("0")
    expect(fresh.label(fresh.slider("rho"))).to_have_text(f"{RHO_VI}: 0,00")
