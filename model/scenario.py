"""A scenario: every input of the projection, and its URL form (the link contract, v1).

`Scenario.from_query` never raises: unknown keys are ignored, unparsable values fall
back to the default, out-of-range values are clamped, and every repair is recorded
in `repairs` so the app can say what it changed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from model.plan import GROWTH_RANGE, RECOVERY_RANGE, SHOCK_RANGE, TARGET_RANGE, Plan, Preset, load_plan

SCHEMA_VERSION = 1
LANGUAGES = ("vi", "en")
HORIZON_LIMIT = 2030
SECTOR_KEY = re.compile(r"^g\.([a-z][a-z0-9_]{0,23})$")

# key: (low, high, decimals). Defaults are Scenario.default(plan)'s; the year keys
# (base, ty, h) have ranges that depend on each other and are read separately.
NUMERIC_PARAMS: dict[str, tuple[float, float, int]] = {
    "shock": (*SHOCK_RANGE, 1),
    "rec": (*RECOVERY_RANGE, 0),
    "unc": (0.0, 3.0, 2),
    "rho": (0.0, 1.0, 2),
    "seed": (0, 2**31 - 1, 0),
    "n": (1_000, 50_000, 0),
    "target": (*TARGET_RANGE, 1),
}
MAX_RAW_LENGTH = 64  # longer values are not parsed at all
# A link may carry the fingerprint of the plan it was made on; the app compares it with
# the plan in effect (ui/session.py). It is not part of the scenario itself.
LINK_DATA_KEY = "data"


@dataclass(frozen=True)
class Repair:
    """One change `from_query` made to a link: `code` says why (see ui/text.py)."""

    key: str
    raw: str
    code: str  # unknown_key | not_a_number | clamped | bad_choice | bad_version | unknown_sector
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

    # --- construction -----------------------------------------------------------------

    @classmethod
    def default(cls, plan: Plan | None = None) -> Scenario:
        plan = plan or load_plan()
        return cls(
            growth=tuple((s.id, s.growth_pct) for s in plan.sectors),
            base=plan.base_year, ty=plan.target.year, target=plan.target.value_musd,
            h=max(plan.target.year, min(plan.horizon_max, HORIZON_LIMIT)),
        )  # fmt: skip

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]], plan: Plan | None = None) -> Scenario:
        plan = plan or load_plan()
        return _QueryReader(params, plan).scenario()

    def to_query(self) -> dict[str, str]:
        """Every parameter, explicitly: a link stays exact even if defaults change."""
        query = {"v": str(self.v), "lang": self.lang}
        query.update({f"g.{sid}": _fmt(g, 1) for sid, g in self.growth})
        query.update(
            shock=_fmt(self.shock, 1), rec=str(self.rec), base=str(self.base), ty=str(self.ty),
            target=_fmt(self.target, 1), h=str(self.h), unc=_fmt(self.unc, 2), rho=_fmt(self.rho, 2),
            seed=str(self.seed), n=str(self.n),
        )  # fmt: skip
        return query

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
        return replace(self, growth=growth, shock=preset.shock, rec=preset.rec)


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class _QueryReader:
    """Reads a URL query into a Scenario, recording each repair."""

    def __init__(self, params: Mapping[str, str | list[str]], plan: Plan):
        self.plan = plan
        self.repairs: list[Repair] = []
        self.raw = {str(k): self._last(v) for k, v in params.items()}

    @staticmethod
    def _last(value) -> str:
        if isinstance(value, (list, tuple)):
            return str(value[-1]) if value else ""
        return str(value)

    def scenario(self) -> Scenario:
        d = Scenario.default(self.plan)
        known = {"v", "lang", "base", "ty", "h", LINK_DATA_KEY, *NUMERIC_PARAMS}
        for key, raw in self.raw.items():
            match = SECTOR_KEY.match(key)
            if match and match.group(1) not in self.plan.sector_ids:
                self.repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "unknown_sector"))
            elif not match and key not in known:
                self.repairs.append(Repair(key[:MAX_RAW_LENGTH], raw[:MAX_RAW_LENGTH], "unknown_key"))
        growth = tuple((s.id, self.number(f"g.{s.id}", *GROWTH_RANGE, s.growth_pct, 1)) for s in self.plan.sectors)
        base = int(self.number("base", self.plan.base_year, self.plan.latest_actual_year(), d.base, 0))
        ty_default = d.ty if d.ty > base else min(base + 1, HORIZON_LIMIT)
        ty = int(self.number("ty", min(base + 1, HORIZON_LIMIT), HORIZON_LIMIT, ty_default, 0))
        h = int(self.number("h", ty, HORIZON_LIMIT, max(d.h, ty), 0))
        values = {k: self.number(k, lo, hi, getattr(d, k), dec) for k, (lo, hi, dec) in NUMERIC_PARAMS.items()}
        return Scenario(
            growth=growth, shock=values["shock"], rec=int(values["rec"]), base=base, ty=ty,
            target=values["target"], h=h, unc=values["unc"], rho=values["rho"],
            seed=int(values["seed"]), n=int(values["n"]), lang=self.choice("lang", LANGUAGES),
            v=self.version(), repairs=tuple(self.repairs),
        )  # fmt: skip

    def number(self, key: str, low: float, high: float, default: float, decimals: int) -> float:
        if key not in self.raw:
            return default
        raw = self.raw[key]
        try:
            if len(raw) > MAX_RAW_LENGTH:
                raise ValueError
            value = float(raw.strip().replace(",", "."))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            self.repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "not_a_number", _fmt(default, decimals)))
            return default
        value = round(value, decimals) if decimals else float(round(value))
        clamped = _clamp(value, low, high)
        if clamped != value:
            self.repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "clamped", _fmt(clamped, decimals)))
        return clamped

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        raw = self.raw.get(key, options[0])
        if raw not in options:
            self.repairs.append(Repair(key, raw[:MAX_RAW_LENGTH], "bad_choice", options[0]))
            return options[0]
        return raw

    def version(self) -> int:
        raw = self.raw.get("v", str(SCHEMA_VERSION))
        if raw.strip() != str(SCHEMA_VERSION):
            self.repairs.append(Repair("v", raw[:MAX_RAW_LENGTH], "bad_version", str(SCHEMA_VERSION)))
        return SCHEMA_VERSION
