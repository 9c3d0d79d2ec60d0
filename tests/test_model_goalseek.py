"""Goal seek: the answers, plugged back into the projection, just reach the target."""

from __future__ import annotations

from dataclasses import replace

import pytest

import model
from model import goalseek
from model.projection import reaching_total
from model.scenario import Scenario

PLAN = model.load_plan()
DEFAULT = Scenario.default(PLAN)


def v_y(sc: Scenario) -> float:
    return model.project(PLAN, sc).target_year_total


@pytest.mark.parametrize(
    "changes",
    [
        {},  # default growth overshoots 2700: a negative uplift
        {"shock": 15.0, "rec": 0},  # an L-shaped loss: a positive uplift
        {"target": 4000.0},
        {"ty": 2030, "target": 4448.6},
        {"base": 2022, "target": 3500.0, "shock": 5.0, "rec": 3},
    ],
)
def test_required_uplift_plugged_back_gives_target(changes):
    sc = replace(DEFAULT, **changes)
    u = model.required_uplift_pp(PLAN, sc)
    assert u is not None
    assert -60.0 <= u <= 60.0
    assert v_y(sc.with_uplift(u)) == pytest.approx(reaching_total(sc.target), abs=1e-6)


def test_required_uplift_sign():
    # default growth gives 2870 > 2700 in 2025: every sector could grow less
    assert model.required_uplift_pp(PLAN, DEFAULT) < 0
    assert model.required_uplift_pp(PLAN, replace(DEFAULT, target=3000.0)) > 0


def test_required_uplift_zero_for_scheme_preset():
    preset = next(p for p in PLAN.presets if p.id == "scheme")
    sc = DEFAULT.with_preset(preset, PLAN)
    # 10.5 % everywhere gives 2700.0005: the uplift is ~0
    assert model.required_uplift_pp(PLAN, sc) == pytest.approx(0.0, abs=1e-4)


@pytest.mark.parametrize(
    ("sector", "changes"),
    [
        ("textiles", {}),
        ("textiles", {"target": 3000.0}),
        ("footwear", {"shock": 10.0, "rec": 4}),
        ("other", {"target": 2900.0}),
        ("textiles", {"base": 2022, "target": 3200.0}),
    ],
)
def test_required_sector_growth_plugged_back_gives_target(sector, changes):
    sc = replace(DEFAULT, **changes)
    g = model.required_sector_growth_pct(PLAN, sc, sector)
    assert g is not None
    assert goalseek.SECTOR_GROWTH_RANGE_PCT[0] <= g <= goalseek.SECTOR_GROWTH_RANGE_PCT[1]
    assert v_y(sc.with_growth({sector: g})) == pytest.approx(reaching_total(sc.target), abs=1e-6)
    # the other sectors stayed as set
    solved = sc.with_growth({sector: g}).growth_map
    for sid, growth in sc.growth:
        if sid != sector:
            assert solved[sid] == growth


@pytest.mark.parametrize("above", [0.003, 0.004999, 0.0, -0.003, 0.006, 0.01])
def test_goal_seek_agrees_with_the_verdict_within_its_rounding(above):
    # A target a few thousandths of a million USD above or below the projection: the verdict
    # rounds it, and goal seek must say the same, for the uplift and for every sector alone.
    sc = replace(DEFAULT, target=v_y(DEFAULT) + above)
    reached = model.project(PLAN, sc).reachable
    assert reached == (above <= 0.005)
    u = model.required_uplift_pp(PLAN, sc)
    assert u is not None and (u <= 0) == reached
    for sector in PLAN.sector_ids:
        g = model.required_sector_growth_pct(PLAN, sc, sector)
        if g is None:
            assert goalseek.sector_reaches_anyway(PLAN, sc, sector) == reached, sector
        else:
            assert (g <= sc.growth_map[sector]) == reached, sector


def test_required_sector_growth_direction():
    # more target → textiles alone must grow faster than it does by default
    g = model.required_sector_growth_pct(PLAN, replace(DEFAULT, target=3000.0), "textiles")
    assert g > PLAN.sector("textiles").growth_pct


def test_infeasible_single_sector_returns_none():
    # electronics is 1.40 million USD: even at +100 % a year it adds 1.4 × 2^5 = 44.8 by 2025,
    # far from a 1000 million USD shortfall.
    sc = replace(DEFAULT, target=v_y(DEFAULT) + 1000.0)
    assert model.required_sector_growth_pct(PLAN, sc, "electronics") is None


def test_infeasible_single_sector_overshoot_returns_none():
    # the others alone already beat a tiny target: no electronics growth in SECTOR_GROWTH_RANGE_PCT lowers V_Y to it
    sc = replace(DEFAULT, target=100.0)
    assert model.required_sector_growth_pct(PLAN, sc, "electronics") is None
    assert goalseek.sector_reaches_anyway(PLAN, sc, "electronics")


def test_which_way_a_goal_seek_without_solution_fails():
    short = replace(DEFAULT, target=v_y(DEFAULT) + 1000.0)  # electronics alone cannot close it
    assert not goalseek.sector_reaches_anyway(PLAN, short, "electronics")
    # reached by default: textiles can undo it (a solution exists), electronics cannot
    assert not goalseek.sector_reaches_anyway(PLAN, DEFAULT, "textiles")
    assert goalseek.sector_reaches_anyway(PLAN, DEFAULT, "electronics")
    assert goalseek.uplift_reaches_anyway(PLAN, replace(DEFAULT, target=0.1))
    assert not goalseek.uplift_reaches_anyway(PLAN, replace(DEFAULT, target=1e6))


def test_uplift_beyond_range_returns_none():
    # 1e6 million USD in 2025: even +60 points everywhere gives ~25,000
    assert model.required_uplift_pp(PLAN, replace(DEFAULT, target=1e6)) is None
    # 0.1 million USD: even −60 points everywhere leaves more than that
    assert model.required_uplift_pp(PLAN, replace(DEFAULT, target=0.1)) is None


def test_goal_seek_on_hostile_link_does_not_raise():
    sc = Scenario.from_query({"target": "1e308", "shock": "50", "rec": "0"}, PLAN)
    assert model.required_uplift_pp(PLAN, sc) is None
    for sid in PLAN.sector_ids:
        assert model.required_sector_growth_pct(PLAN, sc, sid) is None
