"""A scenario: every input of the projection, and its link form (the link contract, v1).

Two ways in, one set of rules (the parameter table, model/params.py):
- `Scenario.from_query` reads a link. It never raises: unknown keys are ignored,
  unreadable values fall back to the default, out-of-range values are clamped, a decimal
  comma or a decimal in a whole-number field is read as the model reads it, and every such
  change is recorded in `repairs` so the app can say what it did.
- `Scenario.from_values` takes typed values (the sidebar's widgets) and applies the same
  ranges, so settings that contradict each other are adjusted the same way.
`to_query` writes every parameter explicitly, so a link stays exact when defaults change.
The contract is docs/design.md, "The link".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from model.params import BY_KEY, GROWTH, HORIZON_LIMIT, PARAMS, Param, format_link_value, growth_key
from model.plan import GROWTH_RANGE, Plan, Preset, load_plan

SCHEMA_VERSION = 1
LANGUAGES = ("vi", "en")
SECTOR_KEY = re.compile(r"^g\.([a-z][a-z0-9_]{0,23})$")
MAX_RAW_LENGTH = 64  # longer values are not parsed at all, and are cut in messages
# Link keys that are not scenario parameters: the plan and its figures (resolved before the
# scenario is read, ui/session.py) and the Compare page's selection.
LINK_PLAN_KEY = "plan"
LINK_DATA_KEY = "data"
LINK_COMPARE_KEY = "cmp"
LINK_KEYS = frozenset({"v", "lang", LINK_PLAN_KEY, LINK_DATA_KEY, LINK_COMPARE_KEY})

__all__ = ["HORIZON_LIMIT", "LANGUAGES", "LINK_DATA_KEY", "Repair", "Scenario", "SCHEMA_VERSION"]


@dataclass(frozen=True)
class Repair:
    """One change made to a link, to contradictory settings or to a setting new figures no
    longer allow; `code` says why (text key repair.<code>)."""

    key: str
    raw: str
    # unknown_key | unknown_sector | not_a_number | clamped | read_as | bad_choice | bad_version, and
    # outside_figures: a setting new figures no longer allow, moved into their range (ui/controls.py)
    code: str
    value: str = ""  # what was used instead ("" when the key was dropped)


@dataclass(frozen=True)
class Scenario:
    growth: tuple[tuple[str, float], ...]  # (sector id, annual growth %) in the plan's order
    shock: float = 0.0
    rec: int = 2
    base: int = 2020
    ty: int = 2025
    target: float = 2700.0
    h: int = 2030
    unc: float = 1.0
    rho: float = 0.5
    seed: int = 2021
    n: int = 10_000
    lang: str = "vi"
    v: int = SCHEMA_VERSION
    repairs: tuple[Repair, ...] = field(default=(), compare=False)
    perm: float = 0.0  # the permanent share of the shock, %
    sy: int = 2021  # the shock year (by default the year after the base)

    # --- construction -----------------------------------------------------------------

    @classmethod
    def default(cls, plan: Plan | None = None) -> Scenario:
        return cls.from_values({}, plan)

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]], plan: Plan | None = None) -> Scenario:
        plan = plan or load_plan()
        raw = {str(k): _last(v) for k, v in params.items()}
        repairs = _unknown_keys(raw, plan)
        values: dict[str, float] = {}
        for key in [growth_key(sid) for sid in plan.sector_ids] + [p.key for p in PARAMS]:
            if key in raw:
                value = _read_number(key, raw[key], _param(key), repairs)
                if value is not None:
                    values[key] = value
        lang = raw.get("lang", LANGUAGES[0])
        if lang not in LANGUAGES:
            repairs.append(Repair("lang", lang[:MAX_RAW_LENGTH], "bad_choice", LANGUAGES[0]))
            lang = LANGUAGES[0]
        if raw.get("v", str(SCHEMA_VERSION)).strip() != str(SCHEMA_VERSION):
            repairs.append(Repair("v", raw["v"][:MAX_RAW_LENGTH], "bad_version", str(SCHEMA_VERSION)))
        return _build(plan, values, lang, repairs, raws=raw)

    @classmethod
    def from_values(cls, values: Mapping[str, float], plan: Plan | None = None, lang: str = "vi") -> Scenario:
        """A scenario from typed values (missing ones take their defaults), clamped like a link."""
        plan = plan or load_plan()
        return _build(plan, dict(values), lang if lang in LANGUAGES else LANGUAGES[0], [])

    def to_query(self) -> dict[str, str]:
        """Every parameter, explicitly: a link stays exact even if defaults change."""
        query = {"v": str(self.v), "lang": self.lang}
        query.update({growth_key(sid): format_link_value(g, GROWTH.decimals) for sid, g in self.growth})
        query.update({p.key: format_link_value(getattr(self, p.key), p.decimals) for p in PARAMS})
        return query

    def values(self) -> dict[str, float]:
        """Every parameter's value by link key (growth as g.<sector>): what the widgets hold."""
        out: dict[str, float] = {growth_key(sid): g for sid, g in self.growth}
        out.update({p.key: getattr(self, p.key) for p in PARAMS})
        return out

    # --- derived views -------------------------------------------------------------------

    @property
    def growth_map(self) -> dict[str, float]:
        return dict(self.growth)

    def with_growth(self, changes: Mapping[str, float]) -> Scenario:
        return replace(self, growth=tuple((sid, float(changes.get(sid, g))) for sid, g in self.growth))

    def with_uplift(self, uplift_pp: float) -> Scenario:
        return replace(self, growth=tuple((sid, g + uplift_pp) for sid, g in self.growth))

    def with_preset(self, preset: Preset, plan: Plan) -> Scenario:
        growth = tuple((s.id, _clamp(round(preset.growth_for(s), 1), *GROWTH_RANGE)) for s in plan.sectors)
        return replace(self, growth=growth, shock=preset.shock, rec=preset.rec, perm=preset.perm, sy=self.base + 1)


# --- reading -----------------------------------------------------------------------------


def _last(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def _param(key: str) -> Param:
    return GROWTH if SECTOR_KEY.match(key) else BY_KEY[key]


def _unknown_keys(raw: Mapping[str, str], plan: Plan) -> list[Repair]:
    repairs = []
    for key, value in raw.items():
        match = SECTOR_KEY.match(key)
        if match and match.group(1) not in plan.sector_ids:
            repairs.append(Repair(key[:MAX_RAW_LENGTH], value[:MAX_RAW_LENGTH], "unknown_sector"))
        elif not match and key not in BY_KEY and key not in LINK_KEYS:
            repairs.append(Repair(key[:MAX_RAW_LENGTH], value[:MAX_RAW_LENGTH], "unknown_key"))
    return repairs


# What a link's number may look like: ASCII digits, a decimal point or comma, an exponent.
# Python's float() also reads "1_0", full-width and other scripts' digits, which the typed
# target and the uploads refuse; a link refuses them too (the default is used, and said).
_LINK_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?", re.ASCII)


def _read_number(key: str, raw: str, param: Param, repairs: list[Repair]) -> float | None:
    """The number a link value stands for, or None (not a number: the default is used).

    A decimal comma (10,5) is read as a decimal point, and a decimal in a whole-number field
    (2021.0) is rounded; both are announced, because Streamlit's own reading of the address
    bar would silently drop them.
    """
    text = raw.strip()
    try:
        if len(raw) > MAX_RAW_LENGTH or not _LINK_NUMBER.fullmatch(text):
            raise ValueError
        value = float(text.replace(",", "."))
        if not math.isfinite(value):
            raise ValueError
    except ValueError:
        repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "not_a_number"))
        return None
    if "," in text or (param.kind is int and not re.fullmatch(r"[+-]?\d+", text)):
        shown = float(round(value)) if param.kind is int else round(value, param.decimals)
        repairs.append(Repair(key, raw, "read_as", format_link_value(shown, param.decimals)))
    return value


def _build(
    plan: Plan, values: dict[str, float], lang: str, repairs: list[Repair], raws: Mapping[str, str] | None = None
) -> Scenario:
    """Apply the table's ranges in reading order; clamp and record what was changed."""
    raws = raws or {}
    done: dict[str, float] = {}
    for param in PARAMS:
        done[param.key] = _settle(param, param.key, values, plan, done, raws, repairs)
    growth = []
    for s in plan.sectors:
        key = growth_key(s.id)
        growth.append((s.id, _settle(GROWTH, key, values, plan, done, raws, repairs, default=s.growth_pct)))
    for r in repairs:  # a link value that was not a number falls back to the default now known
        if r.code == "not_a_number" and not r.value:
            repairs[repairs.index(r)] = replace(r, value=_shown(r.key, done, dict(growth)))
    kwargs = {p.key: (int(done[p.key]) if p.kind is int else float(done[p.key])) for p in PARAMS}
    return Scenario(growth=tuple(growth), lang=lang, repairs=tuple(repairs), **kwargs)  # type: ignore[arg-type]


def _settle(
    param: Param, key: str, values: Mapping[str, float], plan: Plan, done: Mapping[str, float],
    raws: Mapping[str, str], repairs: list[Repair], default: float | None = None,
) -> float:  # fmt: skip
    low, high = param.bounds(plan, done)
    if key not in values:
        value = param.default_for(plan, done) if default is None else default
        return _clamp(param.held(value), low, high)
    value = param.held(values[key])
    clamped = _clamp(value, low, high)
    if clamped != value:
        raw = raws.get(key, format_link_value(values[key], param.decimals))
        repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "clamped", format_link_value(clamped, param.decimals)))
    return clamped


def _shown(key: str, done: Mapping[str, float], growth: Mapping[str, float]) -> str:
    match = SECTOR_KEY.match(key)
    value = growth[match.group(1)] if match else done[key]
    return format_link_value(value, _param(key).decimals)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
