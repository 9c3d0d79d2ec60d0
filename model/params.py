"""The scenario's parameters: one declared table.

Each parameter is a line of `PARAMS`: its link key (also the `Scenario` attribute and the
widget key), its type, range, widget step, decimals, unit and its label and help in
Vietnamese and English. Everything that reads, writes, shows or exports a parameter goes
through this table: the link reader and writer (model/scenario.py), the sidebar
(ui/controls.py), Compare, the workbook and the brief. A new parameter is one more line.

Years depend on each other (the target year comes after the base year, the horizon after
the target year, the shock within the projection), so their ranges are functions of the
plan and of the parameters read before them: `PARAMS` is in reading order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from model.plan import GROWTH_RANGE, HORIZON_LIMIT, PERM_RANGE, RECOVERY_RANGE, SHOCK_RANGE, TARGET_RANGE, Plan

# A bound or a default that depends on the plan and on the values read before it.
Dependent = Callable[[Plan, Mapping[str, float]], float]


@dataclass(frozen=True)
class Param:
    key: str
    kind: type  # int or float
    low: float | Dependent
    high: float | Dependent
    default: float | Dependent
    step: float
    decimals: int  # in links, tables and exports
    unit: str  # a key of UNITS
    label: tuple[str, str]  # (vi, en), without the unit
    help: tuple[str, str] = ("", "")
    widget: str = "slider"  # slider | select | number (typed in the reader's convention)

    def bounds(self, plan: Plan, values: Mapping[str, float]) -> tuple[float, float]:
        low = self.low(plan, values) if callable(self.low) else self.low
        high = self.high(plan, values) if callable(self.high) else self.high
        return low, high

    def default_for(self, plan: Plan, values: Mapping[str, float]) -> float:
        return self.default(plan, values) if callable(self.default) else self.default

    def label_for(self, lang: str) -> str:
        return self.label[1] if lang == "en" else self.label[0]

    def held(self, value: float) -> float:
        """`value` as a scenario holds it: whole for a count, else to this parameter's decimals."""
        held = float(round(value)) if self.kind is int else round(float(value), self.decimals)
        return held + 0.0  # -0.04 rounds to -0.0, which a link would write "-0"

    def help_for(self, lang: str) -> str:
        return self.help[1] if lang == "en" else self.help[0]


# Units: (vi, en) as shown after a value or in a label's brackets.
UNITS: dict[str, tuple[str, str]] = {
    "pct": ("%", "%"),
    "pct_year": ("%/năm", "% a year"),
    "pp": ("điểm\u00a0%", "points"),  # a no-break space: a lone "%" starting a line reads as nothing
    "musd": ("triệu USD", "million USD"),
    "years": ("năm", "years"),
    "year": ("", ""),
    "times": ("lần", "×"),
    "share": ("", ""),
    "paths": ("đường", "paths"),
    "none": ("", ""),
}


def _target_year_default(plan: Plan, v: Mapping[str, float]) -> float:
    return plan.target.year if plan.target.year > v["base"] else min(v["base"] + 1, HORIZON_LIMIT)


def _horizon_default(plan: Plan, v: Mapping[str, float]) -> float:
    return max(min(plan.horizon_max, HORIZON_LIMIT), plan.target.year, v["ty"])


# The sectors' growth: one parameter per sector, `g.<sector id>`, labelled by the sector's name.
GROWTH = Param(
    key="g", kind=float, low=GROWTH_RANGE[0], high=GROWTH_RANGE[1], default=0.0, step=0.1, decimals=1,
    unit="pct_year", label=("Tăng trưởng", "Growth"),
    help=("Tốc độ tăng kim ngạch mỗi năm của nhóm hàng. Mặc định: {default} ({status}).",
          "Annual export growth of the sector. Default: {default} ({status})."),
)  # fmt: skip

PARAMS: tuple[Param, ...] = (
    Param(
        "base", int, lambda p, v: p.base_year, lambda p, v: p.latest_base_year(), lambda p, v: p.base_year,
        step=1, decimals=0, unit="year", widget="select",
        label=("Năm gốc", "Base year"),
        help=("Năm gốc sau năm gốc của kế hoạch dùng tổng kim ngạch thực tế của năm đó, chia theo cơ cấu năm gốc.",
              "A base year after the plan's own uses that year's actual total, split in the plan's structure."),
    ),
    Param(
        "ty", int, lambda p, v: min(v["base"] + 1, HORIZON_LIMIT), HORIZON_LIMIT, _target_year_default,
        step=1, decimals=0, unit="year", label=("Năm mục tiêu", "Target year"),
    ),
    Param(
        "h", int, lambda p, v: v["ty"], HORIZON_LIMIT, _horizon_default,
        step=1, decimals=0, unit="year", label=("Hiển thị đến năm", "Show up to year"),
    ),
    Param(
        "target", float, *TARGET_RANGE, lambda p, v: p.target.value_musd,
        step=50.0, decimals=1, unit="musd", widget="number", label=("Mục tiêu", "Target"),
        help=("Gõ theo cách viết của Việt Nam: 2.800 hoặc 2.800,5.", "Type it as 2,800 or 2,800.5."),
    ),
    Param(
        "shock", float, *SHOCK_RANGE, 0.0, step=1.0, decimals=1, unit="pct",
        label=("Mức sụt giảm khi có cú sốc", "Drop in the shock year"),
        help=("Năm bị sốc thấp hơn xu hướng bao nhiêu phần trăm.",
              "How far below trend exports fall in the shock year, in percent."),
    ),
    Param(
        "sy", int, lambda p, v: v["base"] + 1, lambda p, v: v["h"], lambda p, v: v["base"] + 1,
        step=1, decimals=0, unit="year", label=("Năm xảy ra cú sốc", "Shock year"),
        help=("Các năm trước đó không bị ảnh hưởng.", "The years before it are not affected."),
    ),
    Param(
        "rec", int, *RECOVERY_RANGE, 2, step=1, decimals=0, unit="years",
        label=("Số năm phục hồi", "Years to recover"),
        help=("1 = phục hồi ngay năm sau (hình chữ V); 2–5 = phục hồi dần (chữ U); "
              "0 = không bao giờ phục hồi: toàn bộ mức sụt giảm mất hẳn (chữ L), bất kể phần mất vĩnh viễn.",
              "1 = back on track the next year (V); 2–5 = a gradual recovery (U); "
              "0 = never recovers: the whole drop is lost for good (L), whatever the permanent share."),
    ),
    Param(
        "perm", float, *PERM_RANGE, 0.0, step=5.0, decimals=1, unit="pct",
        label=("Phần mất vĩnh viễn", "Permanent share of the drop"),
        help=("Phần của mức sụt giảm không bao giờ lấy lại được: 0% = phục hồi hoàn toàn, "
              "100% = mất hẳn (chữ L).",
              "The part of the drop that is never made up: 0% = a full recovery, 100% = lost for good (L)."),
    ),
    Param(
        "unc", float, 0.0, 3.0, 1.0, step=0.01, decimals=2, unit="times",
        label=("Mức độ bất định", "Uncertainty level"),
        help=("Nhân độ biến động của mọi nhóm hàng: 0 = chắc chắn, 1 = như lịch sử, 2 = gấp đôi.",
              "Multiplies every sector's volatility: 0 = certain, 1 = as in history, 2 = double."),
    ),
    Param(
        "rho", float, 0.0, 1.0, 0.5, step=0.05, decimals=2, unit="share",
        label=("Mức cùng biến động giữa các nhóm hàng", "How much sectors move together"),
        help=("0 = các nhóm hàng biến động độc lập; 1 = cùng lên cùng xuống.",
              "0 = sectors move independently; 1 = they all move together."),
    ),
    Param(
        "n", int, 1_000, 50_000, 10_000, step=1_000, decimals=0, unit="paths",
        label=("Số đường mô phỏng", "Simulated paths"),
    ),
    Param(
        "seed", int, 0, 2**31 - 1, 2021, step=1, decimals=0, unit="none", widget="number",
        label=("Mã lượt mô phỏng", "Simulation number"),
        help=("Cùng mã cho cùng kết quả: liên kết chia sẻ tái tạo đúng xác suất.",
              "The same number gives the same result: a shared link reproduces the probability."),
    ),
)  # fmt: skip

BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}

# How the sidebar groups them, in display order (every parameter in exactly one group).
GROUPS: dict[str, tuple[str, ...]] = {
    "covid": ("shock", "sy", "rec", "perm"),
    "target": ("target", "ty", "h", "base"),
    "uncertainty": ("unc", "rho", "n", "seed"),
}


def growth_key(sector_id: str) -> str:
    return f"{GROWTH.key}.{sector_id}"


def format_link_value(value: float, decimals: int) -> str:
    """A value as the link writes it: machine format, '.' decimals, no needless zeros."""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
