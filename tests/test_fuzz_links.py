"""Fuzzing the link contract: generated links through the model, and through every page of
the app. Nothing may escape; every repair is reported; every figure is finite; every
parameter lies within its range in the parameter table (model/params.py), so a parameter
added to the table is checked here without editing this file.

The suite runs a few hundred links; `tests/benchmarks/fuzz.py` runs these same tests at full
size (EXPORT_PLANNER_FUZZ=full: 10,000 links through the model, 100 through the pages).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import model
from model.params import GROWTH, HORIZON_LIMIT, PARAMS, Param, growth_key
from model.scenario import LINK_KEYS
from tests.helpers import examples

PLAN = model.load_plan()

# Every key the table declares, the other link keys, and keys that look like them.
KEYS = [*sorted(LINK_KEYS), *(p.key for p in PARAMS), *(growth_key(sid) for sid in PLAN.sector_ids)]
KEYS += ["g.cars", "G.textiles", "g.", "zzz", "", "<b>"]
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.integers(1990, 2040).map(str),  # years near the ranges, so that the years' order is exercised
    st.integers(-100, 120).map(str),
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
FUZZ_SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)


def assert_param(param: Param, key: str, value: object, earlier: Mapping[str, float]) -> None:
    """One value: of the table's type, finite, within the table's range given the values
    read before it, and with no more decimals than the link writes."""
    low, high = param.bounds(PLAN, earlier)
    assert type(value) is param.kind, (key, value, param.kind)
    assert isinstance(value, (int, float)) and math.isfinite(value), (key, value)
    assert low <= value <= high, (key, value, (low, high))
    assert round(value, param.decimals) == value, (key, value, param.decimals)


def assert_in_contract(sc: model.Scenario) -> None:
    """Every parameter of the table, in the table's reading order (a year's range depends on
    the years read before it), then every sector's growth."""
    earlier: dict[str, float] = {}
    for param in PARAMS:
        value = getattr(sc, param.key)
        assert_param(param, param.key, value, earlier)
        earlier[param.key] = value
    assert [sid for sid, _ in sc.growth] == list(PLAN.sector_ids)
    for sid, g in sc.growth:
        assert_param(GROWTH, growth_key(sid), g, earlier)
    # The years' order, stated on its own: a range in the table that lost it must fail too.
    assert PLAN.base_year <= sc.base <= PLAN.latest_actual_year()
    assert sc.base < sc.ty <= sc.h <= HORIZON_LIMIT
    assert sc.base < sc.sy <= sc.h
    assert sc.lang in ("vi", "en") and sc.v == 1


# Every parameter of the table and every sector's growth, with its line of the table.
EVERY_KEY = [(p, p.key) for p in PARAMS] + [(GROWTH, growth_key(sid)) for sid in PLAN.sector_ids]


@pytest.mark.parametrize("raw", ["-1e12", "1e12"])
@pytest.mark.parametrize(("param", "key"), EVERY_KEY, ids=[key for _, key in EVERY_KEY])
def test_every_parameter_is_clamped_to_its_range_in_the_table(param, key, raw):
    sc = model.Scenario.from_query({key: raw}, PLAN)
    assert_in_contract(sc)
    value = sc.growth_map[key.split(".", 1)[1]] if param is GROWTH else getattr(sc, key)
    low, high = param.bounds(PLAN, {p.key: getattr(sc, p.key) for p in PARAMS})
    assert value == (low if raw.startswith("-") else high)
    assert any(r.key == key and r.code == "clamped" for r in sc.repairs), sc.repairs


@settings(max_examples=examples(300, 10_000), **FUZZ_SETTINGS)
@given(LINKS)
def test_generated_links_are_repaired_never_raised(link):
    sc = model.Scenario.from_query(link, PLAN)
    assert_in_contract(sc)
    if "lang" in link and not any(r.key == "lang" for r in sc.repairs):
        assert sc.lang == link["lang"]  # a language kept without a repair is the one asked for
    proj = model.project(PLAN, sc)
    assert all(math.isfinite(v) for v in proj.totals)
    assert model.Scenario.from_query(sc.to_query(), PLAN) == sc


@settings(max_examples=examples(100, 300), **FUZZ_SETTINGS)
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


@pytest.mark.parametrize("page", PAGES)
@settings(max_examples=examples(2, 17), **FUZZ_SETTINGS)  # 6 pages: 12 links in the suite, 102 in full
@given(link=LINKS)
def test_generated_links_through_every_page(page, link):
    link = {k: v for k, v in link.items() if k}  # a URL query has no empty keys
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(link)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, (link, page, at.exception)
    sc = model.Scenario.from_query(link, PLAN)  # the page may announce more (plan, data, cmp), never less
    if sc.repairs:
        assert at.warning, "every repaired link is announced"
    assert at.title, "the page still renders"
