"""The scenario as a JSON file (model/scenario_file.py): written with every parameter, read
back by the link's rules, and never a crash on a hostile file."""

from __future__ import annotations

import dataclasses
import json

import pytest

import model
from model.scenario_file import ERRORS, MAX_BYTES, SCHEMA, VERSION, read_scenario, write_scenario


def test_round_trip_default(plan, sc):
    data = write_scenario(sc)
    payload = json.loads(data)
    assert payload["schema"] == SCHEMA == "export-planner-scenario" and payload["v"] == VERSION == 1
    assert {k for k in payload if k not in ("schema", "v", "lang")} == set(sc.values()), "every parameter, explicitly"
    loaded, error = read_scenario(data, plan)
    assert error is None and loaded is not None
    assert loaded == sc and not loaded.repairs


def test_round_trip_changed_scenario(plan, sc):
    changed = dataclasses.replace(
        sc.with_growth({"textiles": 6.5, "seafood": -4.0}), shock=12.5, rec=3, ty=2030, target=4448.6,
        unc=1.5, rho=0.8, seed=7, n=5000, lang="en", perm=25.0, sy=2022,
    )  # fmt: skip
    loaded, error = read_scenario(write_scenario(changed), plan)
    assert error is None and loaded == changed


def test_a_file_with_a_bom_and_numbers_as_numbers_is_read(plan):
    data = "\ufeff" + json.dumps({"schema": SCHEMA, "v": 1, "shock": 12, "g.textiles": 6.5})
    loaded, error = read_scenario(data.encode("utf-8"), plan)
    assert error is None and loaded is not None
    assert loaded.shock == 12.0 and loaded.growth_map["textiles"] == 6.5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "bad_json"),
        (b"not json at all", "bad_json"),
        (b"{'schema': 'x'}", "bad_json"),
        (b"[" * 60_000, "bad_json"),
        (b"\xff\xfe\x00\x01", "not_text"),
        (b"[1, 2, 3]", "not_object"),
        (b'"a string"', "not_object"),
        (b"null", "not_object"),
        (b'{"v": 1, "shock": "5"}', "wrong_schema"),
        (b'{"schema": "other", "v": 1}', "wrong_schema"),
        (b'{"schema": "export-planner-scenario", "v": 2}', "bad_version"),
        (b'{"schema": "export-planner-scenario"}', "bad_version"),
        (b'{"schema": "export-planner-scenario", "v": true}', "bad_version"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": {"a": 1}}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": [5]}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": NaN}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": Infinity}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": null}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": true}', "bad_value"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": 10, "shock": 45}', "duplicate_key"),
        (b'{"schema": "export-planner-scenario", "v": 1, "shock": {"a": 1, "a": 2}}', "duplicate_key"),
        (b'{"schema": "export-planner-scenario", "v": 1, "x": "' + b"a" * MAX_BYTES + b'"}', "too_large"),
    ],
)
def test_a_hostile_file_gives_its_error_code(plan, data, code):
    loaded, error = read_scenario(data, plan)
    assert loaded is None and error == code
    assert code in ERRORS


@pytest.mark.parametrize(
    ("data", "code"),
    [(None, "not_text"), (42, "not_text"), (3.5, "not_text"), (["schema"], "not_text"), ({"schema": SCHEMA}, "not_text"),
     (bytearray(b"{}"), "wrong_schema"), (memoryview(b"[]"), "not_object")],
)  # fmt: skip
def test_odd_types_give_an_error_not_an_exception(plan, data, code):
    loaded, error = read_scenario(data, plan)
    assert loaded is None and error == code


def test_text_is_read_like_bytes(plan, sc):
    loaded, error = read_scenario(write_scenario(sc).decode("utf-8"), plan)
    assert error is None and loaded == sc


def test_out_of_range_values_are_repaired_by_the_link_rules_not_rejected(plan):
    data = json.dumps({"schema": SCHEMA, "v": 1, "shock": 99, "g.textiles": "abc", "zzz": "1", "target": "2800,5"})
    loaded, error = read_scenario(data.encode(), plan)
    assert error is None and loaded is not None
    assert loaded.shock == 50.0 and loaded.growth_map["textiles"] == plan.sector("textiles").growth_pct
    assert loaded.target == 2800.5, "a Vietnamese number is read as a link reads it"
    assert {r.code for r in loaded.repairs} == {"clamped", "not_a_number", "unknown_key", "read_as"}
    link = model.Scenario.from_query({"shock": "99", "g.textiles": "abc", "zzz": "1", "target": "2800,5"}, plan)
    assert loaded == link and loaded.repairs == link.repairs, "a file and a link are repaired alike"
