"""Fuzzing the link contract: 10,000 generated links through the model, and a sample through
every page of the app. Nothing may escape; every repair is reported; every figure is finite."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import model
from model.scenario import HORIZON_LIMIT

PLAN = model.load_plan()
KEYS = ["v", "lang", "shock", "rec", "base", "ty", "target", "h", "unc", "rho", "seed", "n", "data", "cmp"]
KEYS += [f"g.{sid}" for sid in PLAN.sector_ids] + ["g.cars", "G.textiles", "g.", "zzz", "", "<b>"]
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(-1000, 1000, places=3).map(str),
    st.decimals(-100, 100, places=1).map(lambda d: str(d).replace(".", ",")),
)
JUNK = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["", " ", "nan", "inf", "-inf", "1e308", "0x10", "8,5,6", "١٢", "<script>alert(1)</script>", "vi", "en"]
    ),
)
LINKS = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12), NUMBERS | JUNK, max_size=25)
ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(f"views/{path.name}" for path in (ROOT / "views").glob("*.py"))


def assert_in_contract(sc: model.Scenario) -> None:
    assert all(-30 <= g <= 50 for _, g in sc.growth)
    assert 0 <= sc.shock <= 50 and 0 <= sc.rec <= 5
    assert PLAN.base_year <= sc.base <= PLAN.latest_actual_year() < sc.ty <= HORIZON_LIMIT or sc.base < sc.ty
    assert sc.ty <= sc.h <= HORIZON_LIMIT
    assert sc.target > 0 and 0 <= sc.unc <= 3 and 0 <= sc.rho <= 1 and sc.seed >= 0 and 1000 <= sc.n <= 50_000
    assert sc.lang in ("vi", "en") and sc.v == 1


@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(LINKS)
def test_ten_thousand_links_are_repaired_never_raised(link):
    sc = model.Scenario.from_query(link, PLAN)
    assert_in_contract(sc)
    if "lang" in link and not any(r.key == "lang" for r in sc.repairs):
        assert sc.lang == link["lang"]  # a language kept without a repair is the one asked for
    proj = model.project(PLAN, sc)
    assert all(math.isfinite(v) for v in proj.totals)
    assert model.Scenario.from_query(sc.to_query(), PLAN) == sc


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(LINKS)
def test_generated_links_simulate_and_goal_seek_without_error(link):
    sc = model.Scenario.from_query(link, PLAN)
    risk = model.simulate(PLAN, sc, n=500, seed=sc.seed)
    assert 0.0 <= risk.probability <= 1.0
    uplift = model.required_uplift_pp(PLAN, sc)
    assert uplift is None or -60 <= uplift <= 60


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("EXPORT_PLANNER_DB", str(tmp_path_factory.mktemp("db") / "s.sqlite3"))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(LINKS, st.sampled_from(PAGES))
def test_generated_links_through_every_page(link, page):
    link = {k: v for k, v in link.items() if k}  # a URL query has no empty keys
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(link)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, (link, page, at.exception)
    sc = model.Scenario.from_query({k: v for k, v in link.items() if k not in ("data", "cmp")}, PLAN)
    if sc.repairs:
        assert at.warning, "every repaired link is announced"
    assert at.title, "the page still renders"
