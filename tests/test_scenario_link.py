"""The link is the scenario: round trip, hostile links, repairs."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.scenario import Repair, Scenario

PLAN = model.load_plan()
DEFAULT = Scenario.default(PLAN)
IDS = PLAN.sector_ids
LATEST = PLAN.latest_actual_year()  # 2024 on the bundled plan
FAST = settings(max_examples=150, deadline=None)


def codes(sc: Scenario) -> dict[str, str]:
    return {r.key: r.code for r in sc.repairs}


def repair(sc: Scenario, key: str) -> Repair:
    found = [r for r in sc.repairs if r.key == key]
    assert len(found) == 1, sc.repairs
    return found[0]


# --- round trip ------------------------------------------------------------------------


def test_default_round_trip():
    query = DEFAULT.to_query()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query.items())
    assert query["v"] == "1" and query["lang"] == "vi"
    assert query["g.textiles"] == "12.8"
    back = Scenario.from_query(query, PLAN)
    assert back == DEFAULT
    assert back.repairs == ()


def test_empty_query_is_default():
    sc = Scenario.from_query({}, PLAN)
    assert sc == DEFAULT
    assert sc.repairs == ()


def test_from_query_without_plan_uses_bundled_plan():
    assert Scenario.from_query({"shock": "5"}) == replace(DEFAULT, shock=5.0)


@st.composite
def scenarios(draw) -> Scenario:
    base = draw(st.integers(PLAN.base_year, LATEST))
    ty = draw(st.integers(base + 1, 2030))
    h = draw(st.integers(ty, 2030))
    sy = draw(st.integers(base + 1, h))
    return Scenario(
        growth=tuple((sid, draw(st.integers(-300, 500)) / 10) for sid in IDS),
        shock=draw(st.integers(0, 500)) / 10,
        rec=draw(st.integers(0, 5)),
        base=base, ty=ty, h=h,
        target=draw(st.integers(1, 10_000_000)) / 10,
        unc=draw(st.integers(0, 300)) / 100,
        rho=draw(st.integers(0, 100)) / 100,
        seed=draw(st.integers(0, 2**31 - 1)),
        n=draw(st.integers(1_000, 50_000)),
        lang=draw(st.sampled_from(["vi", "en"])),
        perm=draw(st.integers(0, 1000)) / 10, sy=sy,
    )  # fmt: skip


@FAST
@given(scenarios())
def test_round_trip_any_valid_scenario(sc):
    back = Scenario.from_query(sc.to_query(), PLAN)
    assert back == sc
    assert back.repairs == ()


# --- hostile links ---------------------------------------------------------------------

KNOWN_KEYS = ["v", "lang", "base", "ty", "h", "shock", "rec", "unc", "rho", "seed", "n", "target", "perm", "sy"]
HOSTILE_VALUES = [
    "", " ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "1e-400",
    "9" * 63, "9" * 64, "9" * 65, "8,5", "1,234.5", "0x10", "1_000", "−5", "２０２５", "٣", "\x00",
    "true", "None", "[]", "2025.5", "-0", "0.05", "2.0e3", " 12 ", "12abc", "🙂", "vi", "en", "1",
]  # fmt: skip
keys = st.one_of(
    st.sampled_from(KNOWN_KEYS + [f"g.{sid}" for sid in IDS] + ["g.", "g.cars", "g.TEXTILES", "page", ""]),
    st.text(max_size=30),
)
scalar_values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=80),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
values = st.one_of(scalar_values, st.lists(scalar_values, max_size=3))


def assert_in_documented_range(sc: Scenario) -> None:
    assert sc.v == 1
    assert sc.lang in ("vi", "en")
    assert [sid for sid, _ in sc.growth] == list(IDS)
    for _, g in sc.growth:
        assert isinstance(g, float) and math.isfinite(g)
        assert -30.0 <= g <= 50.0
        assert round(g, 1) == g
    assert 0.0 <= sc.shock <= 50.0 and math.isfinite(sc.shock)
    assert isinstance(sc.rec, int) and 0 <= sc.rec <= 5
    assert isinstance(sc.base, int) and PLAN.base_year <= sc.base <= LATEST
    assert isinstance(sc.ty, int) and sc.base + 1 <= sc.ty <= 2030
    assert isinstance(sc.h, int) and sc.ty <= sc.h <= 2030
    assert math.isfinite(sc.target) and 0.0 < sc.target <= 1_000_000.0
    assert 0.0 <= sc.unc <= 3.0
    assert 0.0 <= sc.rho <= 1.0
    assert isinstance(sc.seed, int) and 0 <= sc.seed <= 2**31 - 1
    assert isinstance(sc.n, int) and 1_000 <= sc.n <= 50_000
    assert 0.0 <= sc.perm <= 100.0 and math.isfinite(sc.perm)
    assert isinstance(sc.sy, int) and sc.base + 1 <= sc.sy <= sc.h
    for r in sc.repairs:
        assert r.code in {
            "unknown_key", "unknown_sector", "not_a_number", "clamped", "read_as", "bad_choice", "bad_version"
        }  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, max_size=12))
def test_from_query_never_raises_and_stays_in_range(params):
    sc = Scenario.from_query(params, PLAN)
    assert_in_documented_range(sc)
    # a repaired link is a valid link: writing it out and reading it back changes nothing
    again = Scenario.from_query(sc.to_query(), PLAN)
    assert again == sc
    assert again.repairs == ()
    # and the model runs on it
    out = model.project(PLAN, sc)
    assert math.isfinite(out.target_year_total)


@pytest.mark.parametrize(
    ("params", "key", "code", "value"),
    [
        ({"foo": "1"}, "foo", "unknown_key", ""),
        ({"page": "risk"}, "page", "unknown_key", ""),
        ({"g.TEXTILES": "8"}, "g.TEXTILES", "unknown_key", ""),
        ({"g.cars": "5"}, "g.cars", "unknown_sector", ""),
        ({"shock": "abc"}, "shock", "not_a_number", "0"),
        ({"shock": "nan"}, "shock", "not_a_number", "0"),
        ({"unc": "inf"}, "unc", "not_a_number", "1"),
        ({"target": ""}, "target", "not_a_number", "2700"),
        ({"g.textiles": "1e309"}, "g.textiles", "not_a_number", "12.8"),
        ({"seed": "9" * 65}, "seed", "not_a_number", "2021"),
        ({"shock": "1_0"}, "shock", "not_a_number", "0"),  # Python's float() reads these
        ({"g.textiles": "１５"}, "g.textiles", "not_a_number", "12.8"),
        ({"perm": "٥٠"}, "perm", "not_a_number", "0"),
        ({"shock": "99"}, "shock", "clamped", "50"),
        ({"shock": "-5"}, "shock", "clamped", "0"),
        ({"g.footwear": "1e308"}, "g.footwear", "clamped", "50"),
        ({"g.footwear": "-80"}, "g.footwear", "clamped", "-30"),
        ({"rec": "7"}, "rec", "clamped", "5"),
        ({"base": "2019"}, "base", "clamped", "2020"),
        ({"base": "2031"}, "base", "clamped", str(LATEST)),
        ({"ty": "2020"}, "ty", "clamped", "2021"),
        ({"h": "2040"}, "h", "clamped", "2030"),
        ({"target": "0"}, "target", "clamped", "0.1"),
        ({"target": "-2700"}, "target", "clamped", "0.1"),
        ({"n": "10"}, "n", "clamped", "1000"),
        ({"rho": "1.5"}, "rho", "clamped", "1"),
        ({"seed": "-1"}, "seed", "clamped", "0"),
        ({"lang": "fr"}, "lang", "bad_choice", "vi"),
        ({"lang": "EN"}, "lang", "bad_choice", "vi"),
        ({"lang": ""}, "lang", "bad_choice", "vi"),
        ({"v": "2"}, "v", "bad_version", "1"),
        ({"v": "abc"}, "v", "bad_version", "1"),
    ],
)
def test_each_repair_is_recorded(params, key, code, value):
    sc = Scenario.from_query(params, PLAN)
    r = repair(sc, key)
    assert r.code == code
    assert r.value == value
    assert r.raw == params[key][:64]  # what the user sent, cut to 64 characters for display
    assert_in_documented_range(sc)


def test_negative_zero_is_zero_in_the_link():
    sc = Scenario.from_query({"g.yarn": "-0", "unc": "-0.0", "shock": "-0", "g.seafood": "-0.04"}, PLAN)
    query = sc.to_query()
    assert (query["g.yarn"], query["unc"], query["shock"], query["g.seafood"]) == ("0", "0", "0", "0")
    assert not sc.repairs


def test_repairs_use_the_repaired_value():
    sc = Scenario.from_query({"shock": "99", "g.textiles": "nan", "rec": "7", "lang": "fr", "v": "9"}, PLAN)
    assert sc.shock == 50.0
    assert sc.growth_map["textiles"] == 12.8  # the plan default
    assert sc.rec == 5
    assert sc.lang == "vi"
    assert sc.v == 1
    assert codes(sc) == {
        "shock": "clamped", "g.textiles": "not_a_number", "rec": "clamped", "lang": "bad_choice", "v": "bad_version"
    }  # fmt: skip


def test_valid_values_record_no_repair():
    params = {"v": "1", "lang": "en", "g.yarn": "7.5", "shock": "10", "rec": "0", "base": "2022", "ty": "2026",
              "h": "2028", "target": "3000", "unc": "0.5", "rho": "0", "seed": "0", "n": "20000"}  # fmt: skip
    sc = Scenario.from_query(params, PLAN)
    assert sc.repairs == ()
    assert (sc.lang, sc.growth_map["yarn"], sc.shock, sc.rec) == ("en", 7.5, 10.0, 0)
    assert (sc.base, sc.ty, sc.h) == (2022, 2026, 2028)
    assert (sc.target, sc.unc, sc.rho, sc.seed, sc.n) == (3000.0, 0.5, 0.0, 0, 20_000)


def test_unknown_keys_are_ignored():
    sc = Scenario.from_query({"utm_source": "zalo", "g.cars": "40"}, PLAN)
    assert sc == DEFAULT
    assert codes(sc) == {"utm_source": "unknown_key", "g.cars": "unknown_sector"}


@pytest.mark.parametrize(("raw", "expected"), [("8,5", 8.5), (" 8,5 ", 8.5), ("-2,3", -2.3)])
def test_comma_decimal_is_read_and_announced(raw, expected):
    # Streamlit's own reading of the address bar drops "8,5" silently: the app says how it read it.
    sc = Scenario.from_query({"g.textiles": raw}, PLAN)
    assert sc.growth_map["textiles"] == expected
    assert sc.repairs == (Repair("g.textiles", raw, "read_as", str(expected)),)


def test_comma_decimal_other_keys():
    sc = Scenario.from_query({"shock": "12,5", "unc": "1,25", "target": "2700,5", "perm": "33,3"}, PLAN)
    assert (sc.shock, sc.unc, sc.target, sc.perm) == (12.5, 1.25, 2700.5, 33.3)
    assert codes(sc) == {"shock": "read_as", "unc": "read_as", "target": "read_as", "perm": "read_as"}
    assert [r.value for r in sc.repairs] == ["2700.5", "12.5", "33.3", "1.25"]  # the table's reading order


@pytest.mark.parametrize(
    ("key", "raw", "expected"), [("base", "2021.0", 2021), ("ty", "2026,0", 2026), ("rec", "2.4", 2)]
)
def test_decimal_in_a_whole_number_field_is_rounded_and_announced(key, raw, expected):
    sc = Scenario.from_query({key: raw}, PLAN)
    assert getattr(sc, key) == expected
    assert sc.repairs == (Repair(key, raw, "read_as", str(expected)),)


def test_plain_numbers_are_not_announced():
    assert (
        Scenario.from_query({"g.textiles": "10", "shock": "+5", "base": "2021", "target": "2800.0"}, PLAN).repairs == ()
    )


def test_growth_rounded_to_one_decimal():
    assert Scenario.from_query({"g.textiles": "8.46"}, PLAN).growth_map["textiles"] == 8.5


def test_list_value_uses_the_last():
    sc = Scenario.from_query({"shock": ["5", "7"], "lang": ["vi", "en"]}, PLAN)
    assert (sc.shock, sc.lang) == (7.0, "en")
    assert Scenario.from_query({"shock": []}, PLAN).shock == 0.0


def test_year_keys_depend_on_each_other():
    # base 2024 (latest actual): ty must be later; the default 2025 is kept
    sc = Scenario.from_query({"base": "2024"}, PLAN)
    assert (sc.base, sc.ty, sc.h) == (2024, 2025, 2030)
    # ty before base is clamped to base + 1
    sc = Scenario.from_query({"base": "2023", "ty": "2022"}, PLAN)
    assert (sc.base, sc.ty) == (2023, 2024)
    assert codes(sc)["ty"] == "clamped"
    # h before ty is clamped to ty
    sc = Scenario.from_query({"ty": "2028", "h": "2026"}, PLAN)
    assert (sc.ty, sc.h) == (2028, 2028)
    assert codes(sc)["h"] == "clamped"
    # a later ty pulls the default horizon along
    assert Scenario.from_query({"ty": "2030"}, PLAN).h == 2030


def test_long_raw_values_are_truncated_in_repairs():
    # Repairs echo the user's text back on screen; the model cuts keys and values to 64
    # characters (MAX_RAW_LENGTH) so a hostile link cannot flood the message.
    params = {"x" * 500: "y" * 500, "g.cars": "z" * 500, "lang": "z" * 500, "shock": "1" * 500}
    sc = Scenario.from_query(params, PLAN)
    assert sorted(r.code for r in sc.repairs) == ["bad_choice", "not_a_number", "unknown_key", "unknown_sector"]
    for r in sc.repairs:
        assert len(r.key) <= 64, r.code
        assert len(r.raw) <= 64, r.code


# --- monotonicity ----------------------------------------------------------------------

growth_value = st.integers(-300, 500).map(lambda x: x / 10)


@st.composite
def projection_scenarios(draw) -> Scenario:
    base = draw(st.integers(PLAN.base_year, LATEST))
    ty = draw(st.integers(base + 1, 2030))
    return replace(
        DEFAULT,
        growth=tuple((sid, draw(growth_value)) for sid in IDS),
        shock=draw(st.integers(0, 500)) / 10, rec=draw(st.integers(0, 5)),
        base=base, ty=ty, h=draw(st.integers(ty, 2030)),
    )  # fmt: skip


@FAST
@given(projection_scenarios(), st.sampled_from(IDS), st.integers(1, 200))
def test_raising_a_sector_growth_never_lowers_total(sc, sid, step):
    g = sc.growth_map[sid]
    higher = sc.with_growth({sid: min(g + step / 10, 50.0)})
    before, after = model.project(PLAN, sc), model.project(PLAN, higher)
    assert after.target_year_total >= before.target_year_total
    assert (after.totals >= before.totals).all()


@FAST
@given(projection_scenarios(), st.integers(1, 500))
def test_raising_the_shock_never_raises_total(sc, step):
    harder = replace(sc, shock=min(sc.shock + step / 10, 50.0))
    before, after = model.project(PLAN, sc), model.project(PLAN, harder)
    assert after.target_year_total <= before.target_year_total
    assert (after.totals <= before.totals).all()
    assert after.totals[sc.base] == before.totals[sc.base]


@FAST
@given(projection_scenarios(), st.integers(1, 4))
def test_faster_recovery_never_lowers_total(sc, rec):
    # R = 1..5: a shorter recovery leaves every year at least as high; R = 0 (never) is the lowest
    fast = model.project(PLAN, replace(sc, rec=rec)).totals
    slow = model.project(PLAN, replace(sc, rec=rec + 1)).totals
    never = model.project(PLAN, replace(sc, rec=0)).totals
    assert (fast >= slow).all()
    assert (slow >= never).all()
