"""The plan: a province's base-year figures, defaults, target and actuals, each with provenance.

A plan is a folder of plain files (see data/thai_binh/): plan.toml, sectors.csv,
actuals.csv and sources.csv. The folder is read into one plain dict (plan.toml's tables,
and each CSV as a list of rows) and built by `plan_from_dict`, the only construction path:
a saved dataset goes through exactly the same validators. Problems raise PlanError with
machine-readable problems (the UI turns them into Vietnamese or English sentences).
`plan_to_dict` is the inverse: a canonical, JSON-safe, self-contained dict of every field.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
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
# A sector's name labels its slider, its chart colour and a row on every page and paper:
# a few words (the bundled plans' longest has 22 characters), with a letter or digit to see.
# Control and format characters (a newline, a right-to-left override, a zero-width space)
# are refused: they would reorder or hide the app's own text around the name.
MAX_SECTOR_NAME_CHARS = 60

SECTOR_COLUMNS = (
    "id", "name_vi", "name_en",
    "base_musd", "base_status", "base_source", "base_note",
    "growth_pct", "growth_status", "growth_source", "growth_note",
    "volatility_pp", "volatility_status", "volatility_source", "volatility_note",
)  # fmt: skip
ACTUAL_COLUMNS = ("year", "sector", "value_musd", "status", "source", "note", "bound")
TOTAL = "total"  # the `sector` value of a province-wide actual total

SOURCE_COLUMNS = ("source_id", "title", "publisher", "date", "url", "quote")
EVENT_KEYS = ("date", "kind", "text_vi", "text_en", "source", "status")
# The files of a plan folder; a problem names the one its cell belongs to.
PLAN_FILE, SECTORS_FILE, ACTUALS_FILE, SOURCES_FILE = "plan.toml", "sectors.csv", "actuals.csv", "sources.csv"
PLAN_SCHEMA = 1  # plan.toml's `schema`, and the "schema" of plan_to_dict's dict

GROWTH_RANGE = (-30.0, 50.0)
VOLATILITY_RANGE = (0.0, 50.0)
# A preset's post-COVID shock (%) and recovery (years), and a target (million USD): the
# ranges the scenario controls accept (model/scenario.py reads them from here).
SHOCK_RANGE = (0.0, 50.0)
PERM_RANGE = (0.0, 100.0)  # the permanent share of a shock, %
RECOVERY_RANGE = (0, 5)
TARGET_RANGE = (0.1, 1_000_000.0)
# An export figure (a base value, a record) in million USD: above a trillion USD, more than
# Vietnam's whole exports, a figure is a unit mistake (thousands of USD, or a spreadsheet
# cell formatted to hide digits), and the sectors' base total below the 0.01 the app shows
# (base values carry two decimals) would make the growth to a target overflow.
VALUE_LIMIT_MUSD = TARGET_RANGE[1]
MIN_BASE_TOTAL_MUSD = 0.01
YEAR_RANGE = (1900, 2100)  # dates of events
HORIZON_LIMIT = 2030  # the scheme's horizon: no projection, actual or target goes further

# Limits. A plan is user input (an upload, an edit, a saved dataset shared with others), so
# the work and memory it can cause are bounded; going over a limit is a Problem, reported
# before any table is built. Generous for real data: a province has about a dozen sector
# groups (the bundled plan 11), a few actuals a year, fifteen sources and four presets, and
# its canonical JSON is 15 KB.
MAX_SECTORS = 40  # sector groups; the scenario page has one slider each
MAX_ACTUALS = 1_000  # actual rows: 40 years x 25 series
MAX_SOURCES = 200
MAX_PRESETS = 8  # the scenario page shows the presets side by side
MAX_EVENTS = 100
MAX_TEXT_CHARS = 2_000  # one cell or value: a note with its formula, a source's quote
MAX_PLAN_BYTES = 256 * 1024  # the canonical JSON (UTF-8) of the whole plan, as a dataset stores it
LIST_LIMITS = {"sectors": MAX_SECTORS, "actuals": MAX_ACTUALS, "sources": MAX_SOURCES,
               "presets": MAX_PRESETS, "events": MAX_EVENTS}  # fmt: skip
LIST_FILES = {"sectors": SECTORS_FILE, "actuals": ACTUALS_FILE, "sources": SOURCES_FILE,
              "presets": PLAN_FILE, "events": PLAN_FILE}  # fmt: skip
# Problem codes of the limits (the store reports them as one "dataset_too_large").
LIMIT_CODES = frozenset({"too_many_items", "text_too_long", "plan_too_large"})
# A source's link is shown as a link: only web addresses.
URL_PATTERN = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
ISO_DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from and how far to trust it."""

    status: str
    source: str
    note: str = ""

    @property
    def source_ids(self) -> list[str]:
        """The ids `source` cites ("S1;S2", "S1, S2"), each once, in their order."""
        return list(dict.fromkeys(part.strip() for part in self.source.replace(",", ";").split(";") if part.strip()))


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
    perm: float = 0.0  # the permanent share of its shock, %
    hypothetical: bool = False  # a path that did not happen (e.g. a shock that never came): said so

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

    def __post_init__(self) -> None:
        # The provenance's note is the Vietnamese note, one fact: plan_to_dict (and so the
        # fingerprint) writes it once, as note_vi.
        if self.prov.note != self.note_vi:
            raise ValueError("a target's provenance note must be its note_vi")

    def note(self, lang: str) -> str:
        return self.note_en if lang == "en" and self.note_en else self.note_vi


@dataclass(frozen=True)
class Source:
    """One row of sources.csv: a document the figures cite by id."""

    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""  # as the document gives it: "2021-11-26", "2022-01", "không rõ ngày"
    url: str = ""  # empty, or an http(s) address
    quote: str = ""  # the passage the figures come from


@dataclass(frozen=True)
class Event:
    """Something that happened to the province or its plan (e.g. a merger), with its source."""

    date: datetime.date
    kind: str  # e.g. "merger"
    text_vi: str
    text_en: str
    source: str
    status: str

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text_vi


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
    sources: tuple[Source, ...] = field(default=())
    required_growth_note_en: str = ""
    events: tuple[Event, ...] = field(default=())

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

    @cached_property  # asked for in loops (a chart's rows, goal seek): kept with the plan
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

    def latest_base_year(self) -> int:
        """The last year a projection can start from: every year from the plan's base year to
        it has an actual total (a base year needs one), and a target year comes after it."""
        totals, year = self.actual_totals(), self.base_year
        while year + 1 in totals and year + 1 < HORIZON_LIMIT:
            year += 1
        return year

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

    def base_statuses(self, base_year: int) -> dict[str, str]:
        """Each sector's status in `base_year` (in the plan's order), as `base_values` makes its
        value: the sector table's in the plan's own base year; later, the sector's own actual's
        where given, and "derived" where the year's total is split in the base-year structure."""
        if base_year == self.base_year:
            return {s.id: s.base_prov.status for s in self.sectors}
        known = {a.sector: a.prov.status for a in self.actuals if a.year == base_year and a.sector != TOTAL}
        return {s.id: known.get(s.id, "derived") for s in self.sectors}

    @cached_property
    def fingerprint(self) -> str:
        """The first 12 hex digits of the SHA-256 of `plan_json(self)`: every field, status,
        note, name, preset, event and source counts; equal plans have equal fingerprints.
        (Cached: a plan is immutable, and the app asks for it on every rerun.)"""
        return hashlib.sha256(plan_json(self).encode("utf-8")).hexdigest()[:12]

    def sectors_frame(self) -> pd.DataFrame:
        return pd.DataFrame([_sector_row(s) for s in self.sectors], columns=list(SECTOR_COLUMNS))

    def actuals_frame(self) -> pd.DataFrame:
        return pd.DataFrame([_actual_row(a) for a in self.actuals], columns=list(ACTUAL_COLUMNS))


# --- the dict form --------------------------------------------------------------------


def _float(value: float) -> float:
    """A float as the dict holds it: a Python float, and 0.0 for -0.0 (equal plans must
    give equal JSON, and -0.0 == 0.0 while their texts differ)."""
    return float(value) + 0.0


def _sector_row(s: Sector) -> dict:
    return {
        "id": s.id, "name_vi": s.name_vi, "name_en": s.name_en,
        "base_musd": _float(s.base_musd), "base_status": s.base_prov.status,
        "base_source": s.base_prov.source, "base_note": s.base_prov.note,
        "growth_pct": _float(s.growth_pct), "growth_status": s.growth_prov.status,
        "growth_source": s.growth_prov.source, "growth_note": s.growth_prov.note,
        "volatility_pp": _float(s.volatility_pp), "volatility_status": s.volatility_prov.status,
        "volatility_source": s.volatility_prov.source, "volatility_note": s.volatility_prov.note,
    }  # fmt: skip


def _actual_row(a: Actual) -> dict:
    return {"year": int(a.year), "sector": a.sector, "value_musd": _float(a.value_musd), "status": a.prov.status,
            "source": a.prov.source, "note": a.prov.note, "bound": a.bound}  # fmt: skip


def _target_dict(t: Target) -> dict:
    return {"year": int(t.year), "value_musd": _float(t.value_musd), "status": t.prov.status,
            "source": t.prov.source, "note_vi": t.note_vi, "note_en": t.note_en}  # fmt: skip


def _preset_dict(p: Preset) -> dict:
    return {
        "id": p.id, "name_vi": p.name_vi, "name_en": p.name_en, "basis_vi": p.basis_vi, "basis_en": p.basis_en,
        "shock": _float(p.shock), "rec": int(p.rec),
        "growth_all": None if p.growth_all is None else _float(p.growth_all),
        "growth_add": {sid: _float(v) for sid, v in p.growth_add},
        "perm": _float(p.perm), "hypothetical": bool(p.hypothetical),
    }  # fmt: skip


def plan_to_dict(plan: Plan) -> dict:
    """Every field of the plan as a canonical, JSON-safe, self-contained dict.

    Shaped like a plan folder: plan.toml's keys and tables (with "events" and "presets"
    as lists), and "sectors", "actuals" and "sources" as lists of CSV rows with every
    column. Numbers are Python ints and floats, text is as validated (trimmed), an absent
    2030 target or preset growth is None. `plan_from_dict(plan_to_dict(p)) == p`.
    """
    req = plan.required_growth_prov
    return {
        "schema": PLAN_SCHEMA, "id": plan.id, "version": plan.version,
        "province_vi": plan.province_vi, "province_en": plan.province_en,
        "scheme_vi": plan.scheme_vi, "scheme_en": plan.scheme_en,
        "base_year": int(plan.base_year), "horizon_max": int(plan.horizon_max),
        "target": _target_dict(plan.target),
        "required_growth": {"value_pct": _float(plan.required_growth_pct), "status": req.status,
                            "source": req.source, "note_vi": req.note, "note_en": plan.required_growth_note_en},
        "target_2030": None if plan.target_2030 is None else _target_dict(plan.target_2030),
        "presets": [_preset_dict(p) for p in plan.presets],
        "events": [{"date": e.date.isoformat(), "kind": e.kind, "text_vi": e.text_vi, "text_en": e.text_en,
                    "source": e.source, "status": e.status} for e in plan.events],
        "sectors": [_sector_row(s) for s in plan.sectors],
        "actuals": [_actual_row(a) for a in plan.actuals],
        "sources": [{"source_id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date,
                     "url": s.url, "quote": s.quote} for s in plan.sources],
    }  # fmt: skip


def plan_json(plan: Plan) -> str:
    """The canonical JSON of `plan_to_dict(plan)`: keys sorted, no spaces, text as UTF-8
    (not escaped), floats exactly (Python writes the shortest text that reads back as the
    same float). What the fingerprint hashes and what a saved dataset stores."""
    return json.dumps(plan_to_dict(plan), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


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


def _shown(raw: object) -> str:
    """A cell's value for a message: text as it is (cells are at most MAX_TEXT_CHARS long),
    a number as written, anything else by its kind (a table, a list: never its content)."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, float) or (isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) < 10**100):
        return str(raw)
    return _kind(raw)


def _number(raw, problems: list[Problem], file: str, row: int | None, column: str) -> float | None:
    try:
        if isinstance(raw, bool):  # True is not 1 here
            raise TypeError
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        problems.append(Problem("not_a_number", file, row, column, _shown(raw)))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem("not_a_number", file, row, column, _shown(raw)))
        return None
    return value


def _name_problems(name: str, file: str, row: int, column: str) -> list[Problem]:
    """Why a sector's name cannot be shown as it is: none, or one problem ("" is no name: the id stands in)."""
    if not name:
        return []
    hidden = sorted({ch for ch in name if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")})
    if hidden:
        return [Problem("name_hidden_chars", file, row, column, ", ".join(f"U+{ord(ch):04X}" for ch in hidden))]
    if not any(unicodedata.category(ch)[0] in "LN" for ch in name):
        return [Problem("name_unreadable", file, row, column, name)]
    if len(name) > MAX_SECTOR_NAME_CHARS:
        return [Problem("name_too_long", file, row, column, str(len(name)))]
    return []


def _value_problems(value: float, file: str, row: int, column: str, raw: str) -> list[Problem]:
    """Why an export figure (million USD) cannot be used: none, or one problem."""
    if value < 0:
        return [Problem("negative", file, row, column, raw)]
    return [Problem("value_too_large", file, row, column, raw)] if value > VALUE_LIMIT_MUSD else []


def _status(raw, problems: list[Problem], file: str, row: int | None, column: str) -> str:
    status = str(raw).strip().lower()
    if status not in STATUSES:
        problems.append(Problem("bad_status", file, row, column, str(raw)))
    return status


def _text(raw) -> str:
    return "" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw).strip()


def _long_cells(rec: Mapping, columns: tuple[str, ...], file: str, row: int | None) -> list[Problem]:
    """A problem for each cell longer than MAX_TEXT_CHARS (checked before the cell is used)."""
    return [
        Problem("text_too_long", file, row, c, str(len(rec[c])))
        for c in columns
        if isinstance(rec.get(c), str) and len(rec[c]) > MAX_TEXT_CHARS
    ]


def _too_many(count: int, key: str) -> list[Problem]:
    if count > LIST_LIMITS[key]:
        return [Problem("too_many_items", LIST_FILES[key], None, key, str(count))]
    return []


def sectors_from_frame(frame: pd.DataFrame, file: str = "sectors.csv") -> tuple[tuple[Sector, ...], list[Problem]]:
    """Build sectors from a table with SECTOR_COLUMNS; return them with every problem found."""
    problems: list[Problem] = []
    missing = [c for c in ("id", "base_musd", "growth_pct") if c not in frame.columns]
    if missing:
        return (), [Problem("missing_column", file, None, c) for c in missing]
    if frame.empty:
        return (), [Problem("no_rows", file)]
    if too_many := _too_many(len(frame), "sectors"):
        return (), [replace(p, file=file) for p in too_many]
    sectors, seen = [], set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if long := _long_cells(rec, SECTOR_COLUMNS, file, i):
            problems += long
            continue
        sid = _text(rec.get("id"))
        if not SECTOR_ID_PATTERN.match(sid):
            problems.append(Problem("bad_sector_id", file, i, "id", sid))
        elif sid in seen:
            problems.append(Problem("duplicate_sector", file, i, "id", sid))
        seen.add(sid)
        base = _number(rec.get("base_musd"), problems, file, i, "base_musd")
        if base is not None:
            problems += _value_problems(base, file, i, "base_musd", str(rec.get("base_musd")))
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
        for column in ("name_vi", "name_en"):
            problems += _name_problems(_text(rec.get(column)), file, i, column)
        if base is None or growth is None or vol is None:
            continue
        name_vi = _text(rec.get("name_vi")) or sid
        sectors.append(
            Sector(sid, name_vi, _text(rec.get("name_en")) or name_vi, base, growth, vol,
                   provs["base"], provs["growth"], provs["volatility"])
        )  # fmt: skip
    if not problems and sum(s.base_musd for s in sectors) < MIN_BASE_TOTAL_MUSD:
        problems.append(Problem("zero_total", file, None, "base_musd"))
    return tuple(sectors), problems


def actuals_from_frame(
    frame: pd.DataFrame, sector_ids: tuple[str, ...], base_year: int, file: str = "actuals.csv"
) -> tuple[tuple[Actual, ...], list[Problem]]:
    problems: list[Problem] = []
    missing = [c for c in ("year", "value_musd") if c not in frame.columns]
    if missing:
        return (), [Problem("missing_column", file, None, c) for c in missing]
    if too_many := _too_many(len(frame), "actuals"):
        return (), [replace(p, file=file) for p in too_many]
    actuals, seen = [], set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if long := _long_cells(rec, ACTUAL_COLUMNS, file, i):
            problems += long
            continue
        year_f = _number(rec.get("year"), problems, file, i, "year")
        value = _number(rec.get("value_musd"), problems, file, i, "value_musd")
        sector = _text(rec.get("sector")) or TOTAL
        if sector != TOTAL and sector not in sector_ids:
            problems.append(Problem("unknown_sector", file, i, "sector", sector))
            continue
        if year_f is None or value is None:
            continue
        year = int(year_f)
        if year != year_f or not base_year <= year <= HORIZON_LIMIT:
            problems.append(Problem("bad_year", file, i, "year", _text(rec.get("year"))))
            continue
        if wrong := _value_problems(value, file, i, "value_musd", _text(rec.get("value_musd"))):
            problems += wrong
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


# --- building a plan from its dict ---------------------------------------------------


def _kind(value: object) -> str:
    """What a value of the wrong kind is, for a message (never its content: it may be huge)."""
    return type(value).__name__


def _scalar(value: object) -> bool:
    """A cell or a plan.toml value: text or a number (not a bool, not a table or a list, not
    an integer too long to be a figure or to be written out)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < 10**100
    return isinstance(value, (str, float))


class _Table:
    """Typed reading of one table of plan.toml (the top level, [target], a preset, an event),
    collecting problems instead of raising. `where` prefixes the key in a problem's column
    ("target.year"); `row` is the 1-based position in a list of tables (presets, events)."""

    def __init__(self, raw: object, problems: list[Problem], where: str = "", row: int | None = None):
        self.problems, self.where, self.row = problems, where, row
        self.raw: Mapping = raw if isinstance(raw, Mapping) else {}
        self.broken = False
        if not isinstance(raw, Mapping):
            self.problem("bad_field", "", _kind(raw))
            self.broken = True  # one problem says it all: its keys are not reported missing

    def problem(self, code: str, key: str, value: str = "") -> None:
        if not self.broken:
            self.problems.append(Problem(code, PLAN_FILE, self.row, self._column(key), value))

    def text(self, key: str, default: str = "", required: bool = False) -> str:
        raw = self.raw.get(key)
        if raw is not None and not _scalar(raw):
            self.problem("bad_field", key, _kind(raw))
            return default
        if isinstance(raw, str) and len(raw) > MAX_TEXT_CHARS:
            self.problem("text_too_long", key, str(len(raw)))
            return default
        value = _text(raw)
        if not value and required:
            self.problem("missing_field", key)
        return value or default

    def number(self, key: str, low: float, high: float, code: str = "bad_field") -> float | None:
        if key not in self.raw or self.raw[key] is None or self.raw[key] == "":
            self.problem("missing_field", key)
            return None
        if isinstance(self.raw[key], str) and len(self.raw[key]) > MAX_TEXT_CHARS:
            self.problem("text_too_long", key, str(len(self.raw[key])))
            return None
        value = _number(self.raw[key], self.problems, PLAN_FILE, self.row, self._column(key))
        if value is not None and not low <= value <= high:
            self.problem(code, key, _text(self.raw[key])[:40])
            return None
        return value

    def integer(self, key: str, low: int, high: int, code: str = "bad_field") -> int | None:
        value = self.number(key, low, high, code)
        if value is None:
            return None
        if value != int(value):
            self.problem(code, key, _text(self.raw[key])[:40])
            return None
        return int(value)

    def flag(self, key: str) -> bool:
        """A true/false setting (absent: false)."""
        raw = self.raw.get(key, False)
        if not isinstance(raw, bool):
            self.problem("bad_field", key, _kind(raw))
            return False
        return raw

    def status(self, key: str = "status") -> str:
        return _status(self.text(key, "assumption"), self.problems, PLAN_FILE, self.row, self._column(key))

    def _column(self, key: str) -> str:
        return ".".join(part for part in (self.where, key) if part)


def _target_from(raw: object, problems: list[Problem], where: str, base_year: int) -> Target:
    t = _Table(raw, problems, where)
    note_vi = t.text("note_vi")
    return Target(
        year=t.integer("year", base_year + 1, HORIZON_LIMIT, "bad_year") or 0,
        value_musd=t.number("value_musd", *TARGET_RANGE) or 0.0,
        prov=Provenance(t.status(), t.text("source"), note_vi),
        note_vi=note_vi, note_en=t.text("note_en"),
    )  # fmt: skip


def _preset_from(raw: object, problems: list[Problem], row: int) -> Preset:
    t = _Table(raw, problems, "presets", row)
    name_vi = t.text("name_vi", required=True)
    growth_all = None
    if t.raw.get("growth_all") is not None:
        growth_all = t.number("growth_all", *GROWTH_RANGE, "growth_out_of_range")
    growth_add: list[tuple[str, float]] = []
    add = t.raw.get("growth_add") or {}
    if not isinstance(add, Mapping):
        t.problem("bad_field", "growth_add", _kind(add))
    elif len(add) > MAX_SECTORS:
        t.problem("too_many_items", "growth_add", str(len(add)))
    else:
        g = _Table(add, problems, "presets.growth_add", row)
        for sid in add:
            if not isinstance(sid, str) or not SECTOR_ID_PATTERN.match(sid):
                t.problem("bad_sector_id", "growth_add", str(sid)[:40])
                continue
            span = GROWTH_RANGE[1] - GROWTH_RANGE[0]  # an extra growth moves within the range's width
            value = g.number(sid, -span, span, "growth_out_of_range")
            if value is not None:
                growth_add.append((sid, value))
    return Preset(
        id=t.text("id", required=True), name_vi=name_vi, name_en=t.text("name_en", name_vi),
        basis_vi=t.text("basis_vi"), basis_en=t.text("basis_en"),
        shock=(t.number("shock", *SHOCK_RANGE) or 0.0) if "shock" in t.raw else 0.0,
        rec=(t.integer("rec", *RECOVERY_RANGE) or 0) if "rec" in t.raw else 0,
        growth_all=growth_all,
        growth_add=tuple(sorted(growth_add)),  # a mapping: sorted, so equal presets are equal
        perm=(t.number("perm", *PERM_RANGE) or 0.0) if "perm" in t.raw else 0.0,
        hypothetical=t.flag("hypothetical"),
    )  # fmt: skip


def _event_from(raw: object, problems: list[Problem], row: int) -> Event:
    t = _Table(raw, problems, "events", row)
    date = t.raw.get("date")
    if isinstance(date, str) and ISO_DATE_PATTERN.match(date.strip()):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            pass
    # TOML reads `date = 2025-07-01` as a date; a date and time is not a date.
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        shown = date[:40] if isinstance(date, str) else _kind(date)
        t.problem("missing_field" if date in (None, "") else "bad_date", "date", shown)
        date = datetime.date(YEAR_RANGE[0], 1, 1)
    elif not YEAR_RANGE[0] <= date.year <= YEAR_RANGE[1]:
        t.problem("bad_date", "date", date.isoformat())
    text_vi = t.text("text_vi", required=True)
    return Event(date, t.text("kind", required=True), text_vi, t.text("text_en", text_vi),
                 t.text("source"), t.status())  # fmt: skip


def _rows(d: Mapping, key: str, columns: tuple[str, ...], problems: list[Problem]) -> pd.DataFrame:
    """d[key] (a list of rows, each a mapping of column -> str, int, float or None) as a table
    of text and numbers, with the known columns that some row has (so a missing column is
    reported as missing; no rows: every column). Cells of another kind are problems and
    read as empty."""
    file = LIST_FILES[key]
    raw_rows = d.get(key)
    if raw_rows is None:
        raw_rows = []
    if not isinstance(raw_rows, (list, tuple)):
        problems.append(Problem("bad_field", file, None, key, _kind(raw_rows)))
        raw_rows = []
    present = [c for c in columns if not raw_rows or any(isinstance(r, Mapping) and c in r for r in raw_rows)]
    records = []
    for i, r in enumerate(raw_rows, start=1):
        if not isinstance(r, Mapping):
            problems.append(Problem("bad_field", file, i, "", _kind(r)))
            r = {}
        rec = {}
        for c in present:
            value = r.get(c)
            if value is not None and not _scalar(value):
                problems.append(Problem("bad_field", file, i, c, _kind(value)))
                value = None
            rec[c] = "" if value is None else value
        records.append(rec)
    return pd.DataFrame(records, columns=present, dtype=object)


def _sources_from(d: Mapping, problems: list[Problem]) -> tuple[Source, ...]:
    frame = _rows(d, "sources", SOURCE_COLUMNS, problems)
    if len(frame) and "source_id" not in frame.columns:
        problems.append(Problem("missing_column", SOURCES_FILE, None, "source_id"))
        return ()
    sources = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if long := _long_cells(rec, SOURCE_COLUMNS, SOURCES_FILE, i):
            problems += long
            continue
        sid, url = _text(rec.get("source_id")), _text(rec.get("url"))
        if not sid:
            problems.append(Problem("missing_field", SOURCES_FILE, i, "source_id"))
        if url and not URL_PATTERN.match(url):
            problems.append(Problem("bad_field", SOURCES_FILE, i, "url", url[:40]))
        sources.append(Source(sid, title=_text(rec.get("title")), publisher=_text(rec.get("publisher")),
                              date=_text(rec.get("date")), url=url, quote=_text(rec.get("quote"))))  # fmt: skip
    return tuple(sources)


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem of each cell, and of a row that is not a row only that one: a cell
    of the wrong kind is read as empty, which the table's validator would report again."""
    cells: set[tuple] = set()
    rows: set[tuple] = set()
    kept = []
    for p in problems:
        if p.row is not None and p.file != PLAN_FILE:
            if (p.file, p.row) in rows or (p.file, p.row, p.column) in cells:
                continue
            cells.add((p.file, p.row, p.column))
            if not p.column:
                rows.add((p.file, p.row))
        kept.append(p)
    return kept


def _list(d: Mapping, key: str, problems: list[Problem]) -> list:
    value = d.get(key)
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        problems.append(Problem("bad_field", LIST_FILES[key], None, key, _kind(value)))
        return []
    return list(value)


def plan_from_dict(d: Mapping) -> Plan:
    """Validate a plan's dict (plan_to_dict's shape; a folder read by `read_plan_folder`
    has the same shape, with CSV cells as text) and build the Plan, or raise PlanError
    with every problem found. Limits are checked first, so no table is built from an
    oversized input."""
    if not isinstance(d, Mapping):
        raise PlanError([Problem("bad_field", PLAN_FILE, None, "", _kind(d))])
    limits = [p for key in LIST_LIMITS if isinstance(d.get(key), (list, tuple)) for p in _too_many(len(d[key]), key)]
    if limits:
        raise PlanError(limits)
    problems: list[Problem] = []
    top = _Table(d, problems)
    if d.get("schema", PLAN_SCHEMA) != PLAN_SCHEMA or isinstance(d.get("schema"), bool):
        top.problem("bad_field", "schema", _text(d.get("schema"))[:40])
    base_year = top.integer("base_year", YEAR_RANGE[0], HORIZON_LIMIT - 1) or YEAR_RANGE[0]  # a target year after it
    province_vi, scheme_vi = top.text("province_vi", required=True), top.text("scheme_vi")
    req = _Table(d.get("required_growth"), problems, "required_growth")
    required_note_vi = req.text("note_vi")
    fields = dict(
        id=top.text("id", required=True), version=top.text("version"),
        province_vi=province_vi, province_en=top.text("province_en", province_vi),
        scheme_vi=scheme_vi, scheme_en=top.text("scheme_en", scheme_vi),
        base_year=base_year,
        horizon_max=top.integer("horizon_max", base_year + 1, HORIZON_LIMIT, "bad_year") if "horizon_max" in d
        else 2030,
        target=_target_from(d.get("target"), problems, "target", base_year),
        required_growth_pct=req.number("value_pct", *GROWTH_RANGE, "growth_out_of_range"),
        required_growth_prov=Provenance(req.status(), req.text("source"), required_note_vi),
        required_growth_note_en=req.text("note_en"),
        target_2030=None if d.get("target_2030") is None
        else _target_from(d["target_2030"], problems, "target_2030", base_year),
        presets=tuple(_preset_from(p, problems, i) for i, p in enumerate(_list(d, "presets", problems), 1)),
        events=tuple(_event_from(e, problems, i) for i, e in enumerate(_list(d, "events", problems), 1)),
        sources=_sources_from(d, problems),
    )  # fmt: skip
    sectors, found = sectors_from_frame(_rows(d, "sectors", SECTOR_COLUMNS, problems), SECTORS_FILE)
    problems += found
    frame = _rows(d, "actuals", ACTUAL_COLUMNS, problems)
    actuals, found = actuals_from_frame(frame, tuple(s.id for s in sectors), base_year, ACTUALS_FILE)
    problems += found
    if problems:
        raise PlanError(_one_per_cell(problems))
    plan = Plan(sectors=sectors, actuals=actuals, **fields)  # type: ignore[arg-type]
    size = len(plan_json(plan).encode("utf-8"))
    if size > MAX_PLAN_BYTES:
        raise PlanError([Problem("plan_too_large", "", None, "", str(size))])
    return plan


# --- plan folders ---------------------------------------------------------------------


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_plan_folder(folder: str | Path) -> dict:
    """A plan folder as the dict `plan_from_dict` builds: plan.toml's keys, and each CSV
    (sources.csv is optional) as a list of rows of text cells."""
    folder = Path(folder)
    d = tomllib.loads((folder / PLAN_FILE).read_text(encoding="utf-8"))
    for key, file in (("sectors", SECTORS_FILE), ("actuals", ACTUALS_FILE), ("sources", SOURCES_FILE)):
        path = folder / file
        d[key] = read_table(path).to_dict("records") if key != "sources" or path.exists() else []
    return d


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan folder (the bundled Thái Bình plan by default)."""
    folder = Path(path) if path is not None else DEFAULT_PLAN_DIR
    return _load_plan_cached(folder.resolve())


@lru_cache(maxsize=8)
def _load_plan_cached(folder: Path) -> Plan:
    return plan_from_dict(read_plan_folder(folder))
