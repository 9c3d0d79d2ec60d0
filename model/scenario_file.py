"""The scenario as a small JSON file: written with every link parameter, read back by the
link's own rules.

A file is read through `Scenario.from_query`, so a file and a link are repaired the same
way: out-of-range numbers are clamped, unknown keys ignored, and each repair is recorded in
the scenario's `repairs`. Reading never raises; a file that is not a scenario file gives an
error code (the UI words it: text key "export.error.<code>").
"""

from __future__ import annotations

import json
import math
from typing import Any

from model.plan import Plan
from model.scenario import Scenario

SCHEMA = "export-planner-scenario"
VERSION = 1
MAX_BYTES = 100_000
ERRORS = (
    "too_large",
    "not_text",
    "bad_json",
    "not_object",
    "wrong_schema",
    "bad_version",
    "bad_value",
    "duplicate_key",
)


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: JSON would keep a repeated key's last value,
    and the file would set what its reader, reading the first, did not see."""
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _DuplicateKey
    return dict(pairs)


def write_scenario(sc: Scenario) -> bytes:
    """Every link parameter of the scenario, explicitly, as UTF-8 JSON."""
    payload: dict[str, Any] = {"schema": SCHEMA}
    payload.update(sc.to_query())
    payload["v"] = VERSION
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def read_scenario(data: object, plan: Plan) -> tuple[Scenario | None, str | None]:
    """A file made by `write_scenario`: (scenario, None), or (None, one of ERRORS). Never raises."""
    try:
        return _read_payload(data, plan)
    except Exception:  # noqa: BLE001 - the promise is "never raises" on any input
        return None, "bad_json"


def _read_payload(data: object, plan: Plan) -> tuple[Scenario | None, str | None]:
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return None, "not_text"
    if len(data) > MAX_BYTES:
        return None, "too_large"
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not_text"
    try:
        payload = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey:
        return None, "duplicate_key"
    except (ValueError, RecursionError):
        return None, "bad_json"
    if not isinstance(payload, dict):
        return None, "not_object"
    if payload.get("schema") != SCHEMA:
        return None, "wrong_schema"
    version = payload.get("v")
    if isinstance(version, bool) or str(version).strip() != str(VERSION):
        return None, "bad_version"
    params: dict[str, str] = {}
    for key, value in payload.items():
        if key == "schema":
            continue
        # Only what a link can hold: text and finite numbers, never lists, objects or null.
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, "bad_value"
        if isinstance(value, float) and not math.isfinite(value):
            return None, "bad_value"
        params[str(key)] = value if isinstance(value, str) else str(value)
    return Scenario.from_query(params, plan), None
