"""The plan: a province's base-year figures, defaults, target and actuals, each with provenance.

A plan is a folder of plain files (see data/thai_binh/): plan.toml, sectors.csv,
actuals.csv and sources.csv. Loading validates every figure and raises PlanError with
machine-readable problems (the UI turns them into Vietnamese or English sentences).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

DEFAULT_PLAN_DIR = Path(__file__).resolve().parent.parent / "data" / "thai_binh"

# How far to trust a figure, from most to least: published final (official), published in a
# draft document not known to be adopted (draft), an official estimate (estimate), computed
# from sourced figures with the formula in its note (derived), a national series standing in
# for a provincial one (proxy), a modelling choice (assumption).
STATUSES = ("official", "draft", "estimate", "derived", "proxy", "assumption")
# An actual stated as a bound ("nearly 3 billion": at most 3,000; "more than 2 billion").
BOUNDS = ("", "upper", "lower")
SECTOR_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")

SECTOR_COLUMNS = (
    "id", "name_vi", "name_en",
    "base_musd", "base_status", "base_source", "base_note",
    "growth_pct", "growth_status", "growth_source", "growth_note",
    "volatility_pp", "volatility_status", "volatility_source", "volatility_note",
)  # fmt: skip
ACTUAL_COLUMNS = ("year", "sector", "value_musd", "status", "source", "note", "bound")
TOTAL = "total"  # the `sector` value of a province-wide actual total

GROWTH_RANGE = (-30.0, 50.0)
VOLATILITY_RANGE = (0.0, 50.0)


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from and how far to trust it."""

    status: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Sector:
    id: str
    name_vi: str
    name_en: str
    base_musd: float
    growth_pct: float
    volatility_pp: float
    base_prov: Provenance
    growth_prov: Provenance
    volatility_prov: Provenance

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Actual:
    year: int
    sector: str  # a sector id, or TOTAL
    value_musd: float
    prov: Provenance
    bound: str = ""  # "" (the value itself), "upper" (at most) or "lower" (at least)


@dataclass(frozen=True)
class Preset:
    id: str
    name_vi: str
    name_en: str
    basis_vi: str
    basis_en: str
    shock: float = 0.0
    rec: int = 0
    growth_all: float | None = None
    growth_add: tuple[tuple[str, float], ...] = ()

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def basis(self, lang: str) -> str:
        return self.basis_en if lang == "en" else self.basis_vi

    def growth_for(self, sector: Sector) -> float:
        if self.growth_all is not None:
            return self.growth_all
        return sector.growth_pct + dict(self.growth_add).get(sector.id, 0.0)


@dataclass(frozen=True)
class Target:
    year: int
    value_musd: float
    prov: Provenance
    note_vi: str = ""
    note_en: str = ""

    def note(self, lang: str) -> str:
        return self.note_en if lang == "en" and self.note_en else self.note_vi


@dataclass(frozen=True)
class Plan:
    id: str
    version: str
    province_vi: str
    province_en: str
    scheme_vi: str
    scheme_en: str
    base_year: int
    horizon_max: int
    target: Target
    required_growth_pct: float
    required_growth_prov: Provenance
    target_2030: Target | None
    sectors: tuple[Sector, ...]
    actuals: tuple[Actual, ...]
    presets: tuple[Preset, ...]
    sources: tuple[tuple[str, str, str], ...] = field(default=())  # (id, title, url)
    required_growth_note_en: str = ""

    def required_growth_note(self, lang: str) -> str:
        if lang == "en" and self.required_growth_note_en:
            return self.required_growth_note_en
        return self.required_growth_prov.note

    def province(self, lang: str) -> str:
        return self.province_en if lang == "en" else self.province_vi

    def scheme(self, lang: str) -> str:
        return self.scheme_en if lang == "en" else self.scheme_vi

    def provenances(self) -> list[Provenance]:
        """The provenance of every figure in the plan."""
        provs = [p for s in self.sectors for p in (s.base_prov, s.growth_prov, s.volatility_prov)]
        provs += [a.prov for a in self.actuals] + [self.target.prov, self.required_growth_prov]
        if self.target_2030 is not None:
            provs.append(self.target_2030.prov)
        return provs

    @property
    def sector_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sectors)

    def sector(self, sector_id: str) -> Sector:
        for s in self.sectors:
            if s.id == sector_id:
                return s
        raise KeyError(sector_id)

    def actual_totals(self) -> dict[int, Actual]:
        """Province-wide actual totals by year (the base year included when listed)."""
        return {a.year: a for a in self.actuals if a.sector == TOTAL}

    def latest_actual_year(self) -> int:
        years = [y for y in self.actual_totals() if y >= self.base_year]
        return max(years, default=self.base_year)

    def base_values(self, base_year: int) -> dict[str, float]:
        """Sector values in `base_year`.

        The plan's own base year uses the sector table. A later base year uses that
        year's per-sector actuals where given, and otherwise splits the year's actual
        total in the base-year structure (a derived figure; see the Method page).
        """
        if base_year == self.base_year:
            return {s.id: s.base_musd for s in self.sectors}
        totals = self.actual_totals()
        if base_year not in totals:
            raise ValueError(f"no actual total for base year {base_year}")
        known = {a.sector: a.value_musd for a in self.actuals if a.year == base_year and a.sector != TOTAL}
        rest_total = totals[base_year].value_musd - sum(known.values())
        rest_base = sum(s.base_musd for s in self.sectors if s.id not in known)
        values = {}
        for s in self.sectors:
            if s.id in known:
                values[s.id] = known[s.id]
            else:
                values[s.id] = rest_total * s.base_musd / rest_base if rest_base > 0 else 0.0
        return values

    @property
    def fingerprint(self) -> str:
        """A short hash of every figure: equal plans have equal fingerprints."""
        payload = json.dumps(_plan_payload(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]

    def sectors_frame(self) -> pd.DataFrame:
        return pd.DataFrame([_sector_row(s) for s in self.sectors], columns=list(SECTOR_COLUMNS))

    def actuals_frame(self) -> pd.DataFrame:
        rows = [
            {"year": a.year, "sector": a.sector, "value_musd": a.value_musd, "status": a.prov.status,
             "source": a.prov.source, "note": a.prov.note, "bound": a.bound}
            for a in self.actuals
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=list(ACTUAL_COLUMNS))


def _sector_row(s: Sector) -> dict:
    return {
        "id": s.id, "name_vi": s.name_vi, "name_en": s.name_en,
        "base_musd": s.base_musd, "base_status": s.base_prov.status,
        "base_source": s.base_prov.source, "base_note": s.base_prov.note,
        "growth_pct": s.growth_pct, "growth_status": s.growth_prov.status,
        "growth_source": s.growth_prov.source, "growth_note": s.growth_prov.note,
        "volatility_pp": s.volatility_pp, "volatility_status": s.volatility_prov.status,
        "volatility_source": s.volatility_prov.source, "volatility_note": s.volatility_prov.note,
    }  # fmt: skip


def _plan_payload(plan: Plan) -> dict:
    return {
        "base_year": plan.base_year,
        "target": [plan.target.year, plan.target.value_musd],
        "sectors": [[s.id, s.base_musd, s.growth_pct, s.volatility_pp] for s in plan.sectors],
        "actuals": [[a.year, a.sector, a.value_musd] for a in plan.actuals],
    }


# --- validation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan or an upload, as data: the UI words it.

    code names the kind of problem (see ui/text.py, keys "problem.<code>");
    row is 1-based as a spreadsheet user counts data rows (None for the whole file).
    """

    code: str
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""


class PlanError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.code} {p.file} row={p.row} col={p.column} value={p.value!r}" for p in problems))


def _number(raw, problems: list[Problem], file: str, row: int, column: str) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(Problem("not_a_number", file, row, column, str(raw)))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem("not_a_number", file, row, column, str(raw)))
        return None
    return value


def _status(raw, problems: list[Problem], file: str, row: int, column: str) -> str:
    status = str(raw).strip().lower()
    if status not in STATUSES:
        problems.append(Problem("bad_status", file, row, column, str(raw)))
    return status


def _text(raw) -> str:
    return "" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw).strip()


def sectors_from_frame(frame: pd.DataFrame, file: str = "sectors.csv") -> tuple[tuple[Sector, ...], list[Problem]]:
    """Build sectors from a table with SECTOR_COLUMNS; return them with every problem found."""
    problems: list[Problem] = []
    missing = [c for c in ("id", "base_musd", "growth_pct") if c not in frame.columns]
    if missing:
        return (), [Problem("missing_column", file, None, c) for c in missing]
    if frame.empty:
        return (), [Problem("no_rows", file)]
    sectors, seen = [], set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        sid = _text(rec.get("id"))
        if not SECTOR_ID_PATTERN.match(sid):
            problems.append(Problem("bad_sector_id", file, i, "id", sid))
        elif sid in seen:
            problems.append(Problem("duplicate_sector", file, i, "id", sid))
        seen.add(sid)
        base = _number(rec.get("base_musd"), problems, file, i, "base_musd")
        if base is not None and base < 0:
            problems.append(Problem("negative", file, i, "base_musd", str(rec.get("base_musd"))))
        growth = _number(rec.get("growth_pct"), problems, file, i, "growth_pct")
        if growth is not None and not GROWTH_RANGE[0] <= growth <= GROWTH_RANGE[1]:
            problems.append(Problem("growth_out_of_range", file, i, "growth_pct", str(rec.get("growth_pct"))))
        vol_raw = rec.get("volatility_pp", 5.0)
        vol = _number(vol_raw if _text(vol_raw) else 5.0, problems, file, i, "volatility_pp")
        if vol is not None and not VOLATILITY_RANGE[0] <= vol <= VOLATILITY_RANGE[1]:
            problems.append(Problem("volatility_out_of_range", file, i, "volatility_pp", str(vol_raw)))
        provs = {}
        for part in ("base", "growth", "volatility"):
            raw_status = rec.get(f"{part}_status")
            status = _status(raw_status if _text(raw_status) else "assumption", problems, file, i, f"{part}_status")
            provs[part] = Provenance(status, _text(rec.get(f"{part}_source")), _text(rec.get(f"{part}_note")))
        if base is None or growth is None or vol is None:
            continue
        name_vi = _text(rec.get("name_vi")) or sid
        sectors.append(
            Sector(sid, name_vi, _text(rec.get("name_en")) or name_vi, base, growth, vol,
                   provs["base"], provs["growth"], provs["volatility"])
        )  # fmt: skip
    if not problems and sum(s.base_musd for s in sectors) <= 0:
        problems.append(Problem("zero_total", file, None, "base_musd"))
    return tuple(sectors), problems


def actuals_from_frame(
    frame: pd.DataFrame, sector_ids: tuple[str, ...], base_year: int, file: str = "actuals.csv"
) -> tuple[tuple[Actual, ...], list[Problem]]:
    problems: list[Problem] = []
    missing = [c for c in ("year", "value_musd") if c not in frame.columns]
    if missing:
        return (), [Problem("missing_column", file, None, c) for c in missing]
    actuals, seen = [], set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        year_f = _number(rec.get("year"), problems, file, i, "year")
        value = _number(rec.get("value_musd"), problems, file, i, "value_musd")
        sector = _text(rec.get("sector")) or TOTAL
        if sector != TOTAL and sector not in sector_ids:
            problems.append(Problem("unknown_sector", file, i, "sector", sector))
            continue
        if year_f is None or value is None:
            continue
        year = int(year_f)
        if year != year_f or not base_year <= year <= 2100:
            problems.append(Problem("bad_year", file, i, "year", _text(rec.get("year"))))
            continue
        if value < 0:
            problems.append(Problem("negative", file, i, "value_musd", _text(rec.get("value_musd"))))
            continue
        if (year, sector) in seen:
            problems.append(Problem("duplicate_year", file, i, "year", str(year)))
            continue
        seen.add((year, sector))
        raw_status = rec.get("status")
        status = _status(raw_status if _text(raw_status) else "estimate", problems, file, i, "status")
        bound = _text(rec.get("bound")).lower()
        if bound not in BOUNDS:
            problems.append(Problem("bad_bound", file, i, "bound", _text(rec.get("bound"))))
            continue
        prov = Provenance(status, _text(rec.get("source")), _text(rec.get("note")))
        actuals.append(Actual(year, sector, value, prov, bound))
    actuals.sort(key=lambda a: (a.year, a.sector))
    return tuple(actuals), problems


def _target(raw: dict) -> Target:
    return Target(
        int(raw["year"]), float(raw["value_musd"]),
        Provenance(raw.get("status", "assumption"), raw.get("source", ""), raw.get("note_vi", "")),
        raw.get("note_vi", ""), raw.get("note_en", ""),
    )  # fmt: skip


def _preset(raw: dict) -> Preset:
    return Preset(
        id=raw["id"], name_vi=raw["name_vi"], name_en=raw.get("name_en", raw["name_vi"]),
        basis_vi=raw.get("basis_vi", ""), basis_en=raw.get("basis_en", ""),
        shock=float(raw.get("shock", 0)), rec=int(raw.get("rec", 0)),
        growth_all=None if raw.get("growth_all") is None else float(raw["growth_all"]),
        growth_add=tuple((k, float(v)) for k, v in raw.get("growth_add", {}).items()),
    )  # fmt: skip


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan folder (the bundled Thái Bình plan by default)."""
    folder = Path(path) if path is not None else DEFAULT_PLAN_DIR
    return _load_plan_cached(folder.resolve())


@lru_cache(maxsize=8)
def _load_plan_cached(folder: Path) -> Plan:
    meta = tomllib.loads((folder / "plan.toml").read_text(encoding="utf-8"))
    base_year = int(meta["base_year"])
    sectors, problems = sectors_from_frame(read_table(folder / "sectors.csv"))
    actuals, actual_problems = actuals_from_frame(
        read_table(folder / "actuals.csv"), tuple(s.id for s in sectors), base_year
    )
    problems += actual_problems
    if problems:
        raise PlanError(problems)
    sources: tuple[tuple[str, str, str], ...] = ()
    if (folder / "sources.csv").exists():
        src = read_table(folder / "sources.csv")
        sources = tuple((r["source_id"], r["title"], r.get("url", "")) for r in src.to_dict("records"))
    req = meta["required_growth"]
    return Plan(
        id=meta["id"], version=str(meta.get("version", "")),
        province_vi=meta["province_vi"], province_en=meta.get("province_en", meta["province_vi"]),
        scheme_vi=meta.get("scheme_vi", ""), scheme_en=meta.get("scheme_en", meta.get("scheme_vi", "")),
        base_year=base_year, horizon_max=int(meta.get("horizon_max", 2030)),
        target=_target(meta["target"]),
        required_growth_pct=float(req["value_pct"]),
        required_growth_prov=Provenance(req.get("status", "assumption"), req.get("source", ""), req.get("note_vi", "")),
        target_2030=_target(meta["target_2030"]) if "target_2030" in meta else None,
        sectors=sectors, actuals=actuals,
        presets=tuple(_preset(p) for p in meta.get("presets", [])),
        sources=sources, required_growth_note_en=req.get("note_en", ""),
    )  # fmt: skip
