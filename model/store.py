"""Saved scenarios and datasets: an embedded SQLite store (stdlib ``sqlite3``, no Streamlit here).

People in planning meetings save the current scenario under a name, list,
rename, duplicate, delete (softly: a deleted scenario can be restored) and purge
saved scenarios. The store is shared by every session of one server and survives
restarts. It holds at most MAX_LIVE live and MAX_BIN deleted rows of each kind, so that
a page listing them does bounded work however long the server has been in use.

Since schema version 2 it also keeps datasets: a plan (a province's figures, e.g. a
department's upload) saved under a name, self-contained (its whole canonical JSON, see
``model.plan.plan_json``), so it opens even after the plan folder it came from changed.
Two live datasets never hold the same figures (a unique fingerprint), and a scenario
records the plan id and the data fingerprint it was made on. Since version 3 a scenario
also keeps the probability of reaching its target, so that the list says the verdict as
the pages do (the central path alone can read "reached" where most simulated paths miss).

Design:
- One SQLite file, by default ``<repo>/var/scenarios.sqlite3``; the environment
  variable ``EXPORT_PLANNER_DB`` overrides it (see ``default_store_path``).
- The schema is versioned with ``PRAGMA user_version`` and tagged with
  ``PRAGMA application_id``; ``MIGRATIONS`` maps each version to the function that
  brings the previous one up to it, so each new version is one more entry.
- WAL journal, ``synchronous=FULL``, a busy timeout; a new connection for every write and
  most reads (the reads pages make on every run use one kept connection, under a lock), so
  the store is safe to share between Streamlit's threads and between processes.
- Every write is one ``BEGIN IMMEDIATE ... COMMIT`` transaction: a process killed at
  any point leaves either the whole write or none of it.
- Anything that goes wrong is a ``StoreError`` with a stable ``code`` (see ``CODES``)
  and a ``detail``; no bare ``sqlite3`` exception leaves this module. Reading keeps
  working when the file or its directory cannot be written.
- Names are stored NFC-normalised, validated (length, characters) and unique among
  scenarios (datasets) that are not deleted, ignoring case. They are plain text: the UI
  must never render them as HTML or Markdown, and since version 2 they cannot hold
  Markdown link or emphasis characters (see ``NAME_FORBIDDEN``); rows saved before keep
  their names and still load.
"""

from __future__ import annotations

import builtins
import json
import math
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from model.plan import LIMIT_CODES, MAX_PLAN_BYTES, Plan, PlanError, plan_from_dict, plan_json

__all__ = [
    "CODES", "ENV_VAR", "MAX_BIN", "MAX_LIVE", "MAX_NAME_LENGTH", "MAX_NOTE_LENGTH", "NAME_FORBIDDEN",
    "NAME_PUNCTUATION", "SCHEMA_VERSION", "DatasetEntry", "SavedDataset", "SavedScenario", "ScenarioStore", "StoreError",
    "default_store_path", "validate_name", "validate_note",
]  # fmt: skip

ENV_VAR = "EXPORT_PLANNER_DB"
SCHEMA_VERSION = 3
APPLICATION_ID = 0x54425850  # "TBXP": marks the file as ours (PRAGMA application_id)
BUSY_TIMEOUT_MS = 5000

MAX_NAME_LENGTH = 80
MAX_NOTE_LENGTH = 500
MAX_QUERY_KEYS = 200
MAX_QUERY_CHARS = 20_000  # the stored JSON
MAX_PLAN_ID_LENGTH = 100  # a plan folder's id ("thai-binh")
# How many rows a table may hold: the Compare and Data pages read every live and deleted row
# of theirs on each run and offer each live one in a picker, so the store's size bounds the
# work of every such run. Live rows: saving (duplicating, restoring) more is refused until
# one is deleted. Deleted rows (the bin): a delete removes the oldest beyond the limit for good.
MAX_LIVE = {"scenarios": 500, "datasets": 100}
MAX_BIN = {"scenarios": 200, "datasets": 20}
COPY_SUFFIX = "bản sao"  # duplicate's default name: "<name> (bản sao)"

# Characters allowed in a name besides Unicode letters, combining marks, digits and
# the space. Control and format characters are never allowed, and neither is anything
# in NAME_FORBIDDEN. Parentheses stay: the copy suffix "(bản sao)" uses them.
NAME_PUNCTUATION = frozenset(".,-()/:#+&'%–—‘’“”!?;\"")
# Names are shown in a UI that renders Markdown in places: no link or image syntax
# ("![x](http://host/x.png)" would load a remote image), no emphasis, code, strike-through,
# table, escape or math characters, no HTML tags.
NAME_FORBIDDEN = frozenset("[]<>`*_~|\\$")
assert not NAME_FORBIDDEN & NAME_PUNCTUATION
# Cyrillic and Greek letters drawn like Latin ones (with or without an accent: ό is ο with
# one). In a name that also has Latin letters they can only make it look like another
# ("Рhương án A" with a Cyrillic Р beside "Phương án A" in the list), and a name made of
# nothing else reads as Latin ("ТВ 2030"), so both are refused. A name in Cyrillic or Greek
# with other letters too ("Сценарий"), or a Greek letter that looks like no Latin one
# (Δ, α), is fine.
NAME_LOOKALIKES = frozenset("АВЕКМНОРСТХЅІЈҮаеорсухѕіјһԁԛԝӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοινρυχ")
FINGERPRINT_CHARS = 12  # model.plan's Plan.fingerprint: hex digits

CODES: dict[str, str] = {
    # input
    "name_empty": "the name is empty",
    "name_no_letters": "the name has no letter or digit",
    "name_lookalike": "the name has Cyrillic or Greek letters drawn like Latin ones, beside Latin letters or alone",
    "name_too_long": f"the name has more than {MAX_NAME_LENGTH} characters",
    "name_bad_chars": f"the name contains characters that are not allowed (never {' '.join(sorted(NAME_FORBIDDEN))})",
    "name_taken": "another saved scenario (or dataset) already has this name",
    "note_too_long": f"the note has more than {MAX_NOTE_LENGTH} characters",
    "note_bad_chars": "the note contains control characters",
    "bad_query": "the scenario's query is not a small mapping of strings to strings",
    "bad_value": "a value (verdict, total, year, plan id, data fingerprint) is invalid",
    "bad_dataset": "the dataset is not a valid plan (its problems are in StoreError.problems)",
    "dataset_too_large": f"the dataset is over a limit (sectors, rows, text, or {MAX_PLAN_BYTES // 1024} KB in all)",
    "dataset_exists": "a saved dataset already holds exactly these figures (StoreError.existing is its id)",
    # records
    "not_found": "no saved scenario (dataset) has this id (or, for a dataset, this fingerprint)",
    "deleted": "the scenario (dataset) is deleted: restore it first",
    "not_deleted": "only a deleted scenario can be purged",
    "store_full": "the store holds as many saved scenarios (datasets) as it may (MAX_LIVE): delete one first",
    # the file
    "corrupt": "the store file is damaged or is not an SQLite database",
    "foreign": "the file at the store's path belongs to something else",
    "newer_schema": "the store was written by a newer version of the application",
    "missing": "the store file does not exist (read-only open)",
    "readonly": "the store cannot be written (read-only file, directory or mode)",
    "write_failed": "writing failed (disk full or input/output error)",
    "read_failed": "reading the store failed",
    "busy": "the store stayed locked by another writer",
}

# SQLite primary result codes (extended codes carry them in the low byte).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_CONSTRAINT, _SQLITE_NOTADB = 19, 26


class StoreError(Exception):
    """Anything the store refuses or cannot do. ``code`` is one of ``CODES``.

    ``problems``: for bad_dataset and dataset_too_large, the plan's problems (model.plan
    Problem, worded by ui/problems.py). ``letters``: for name_lookalike and name_bad_chars,
    each such character as (its position in the name, counted from 1, the character). ``existing``: for
    dataset_exists, the id of the live dataset with the same figures; for not_found by
    fingerprint, a deleted one's id."""

    def __init__(
        self, code: str, detail: str = "", *, problems: tuple = (), existing: int | None = None,
        letters: tuple[tuple[int, str], ...] = (),
    ) -> None:  # fmt: skip
        self.code = code
        self.detail = detail or CODES.get(code, "")
        self.problems = list(problems)
        self.letters = list(letters)
        self.existing = existing
        super().__init__(f"{code}: {self.detail}")


@dataclass(frozen=True)
class SavedScenario:
    """One saved scenario, with the summary shown in the list."""

    id: int
    name: str
    note: str
    query: dict[str, str] = field(hash=False)  # the scenario's URL query (Scenario.to_query())
    reachable: bool  # the verdict when saved (the central path's)
    target_year_total: float  # million USD in the target year, when saved
    target_year: int
    created_at: str  # ISO 8601, UTC, e.g. 2025-05-01T08:30:00.123456+00:00
    updated_at: str
    deleted_at: str | None = None
    # The plan it was made on: the plan folder's id and the data's fingerprint. None for a
    # scenario saved by schema version 1, which was made on the bundled plan of that time.
    plan_id: str | None = None
    data_fingerprint: str | None = None
    # The probability of reaching the target, when saved. None for a scenario saved by
    # schema version 1 or 2, which kept the central path's verdict only.
    probability: float | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class DatasetEntry:
    """A saved dataset as its list shows it: everything but the plan, which a list of them
    need not read (up to MAX_PLAN_BYTES each)."""

    id: int
    name: str
    note: str
    fingerprint: str  # the plan's fingerprint (model.plan: Plan.fingerprint)
    source_plan_id: str  # the id of the plan folder it was derived from
    created_at: str
    updated_at: str
    deleted_at: str | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class SavedDataset(DatasetEntry):
    """One saved dataset: a whole plan, self-contained (its canonical JSON)."""

    plan_json: str = field(repr=False, kw_only=True)  # model.plan.plan_json of the plan

    def plan(self) -> Plan:
        """The plan, rebuilt and validated from the stored JSON alone (the folder it came from
        may have changed or gone). StoreError('bad_dataset') if it no longer validates."""
        if len(self.plan_json) > MAX_PLAN_BYTES:  # never parse an oversized (tampered) row
            raise StoreError("dataset_too_large", f"dataset {self.id}: {len(self.plan_json)} characters")
        try:
            return plan_from_dict(json.loads(self.plan_json))
        except (ValueError, RecursionError) as exc:  # PlanError is a ValueError; so is unreadable JSON
            problems = exc.problems if isinstance(exc, PlanError) else ()
            raise StoreError("bad_dataset", f"dataset {self.id}: {exc}"[:300], problems=tuple(problems)) from None


_REPO_STORE_PATH = Path(__file__).resolve().parents[1] / "var" / "scenarios.sqlite3"


def default_store_path() -> Path:
    """``$EXPORT_PLANNER_DB`` if set (and not empty), else ``<repo>/var/scenarios.sqlite3``."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return _REPO_STORE_PATH


# --- validation ---------------------------------------------------------------------------


def _name_char_ok(ch: str) -> bool:
    if ch in NAME_FORBIDDEN:
        return False
    if ch == " " or ch in NAME_PUNCTUATION:
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat == "Nd"


def _latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


def _lookalike(ch: str) -> bool:
    """A Cyrillic or Greek letter drawn like a Latin one, by its base letter (ӑ is а, ό is ο)."""
    return unicodedata.normalize("NFD", ch)[0] in NAME_LOOKALIKES


def validate_name(name: object) -> str:
    """The name as it will be stored (NFC, trimmed, inner spaces collapsed) or StoreError."""
    if not isinstance(name, str):
        raise StoreError("name_empty", "the name must be text")
    text = unicodedata.normalize("NFC", name).strip()
    # Any Unicode space (no-break space, ideographic space...) becomes a plain space,
    # and runs of spaces become one. Tabs and newlines inside stay (and are refused).
    text = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text)
    text = " ".join(part for part in text.split(" ") if part)
    if not text:
        raise StoreError("name_empty")
    bad = tuple((i, ch) for i, ch in enumerate(text, 1) if not _name_char_ok(ch))
    if bad:
        shown = ", ".join(repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}" for ch in sorted({ch for _, ch in bad}))
        raise StoreError("name_bad_chars", f"not allowed in a name: {shown}", letters=bad)
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):  # marks alone show nothing to pick
        raise StoreError("name_no_letters", "the name has no letter or digit")
    lookalikes = tuple((i, ch) for i, ch in enumerate(text, 1) if _lookalike(ch))
    letters = [ch for ch in text if ch.isalpha()]
    if lookalikes and (len(lookalikes) == len(letters) or any(_latin_letter(ch) for ch in letters)):
        shown = ", ".join(f"{ch} U+{ord(ch):04X} at {i}" for i, ch in lookalikes)
        raise StoreError("name_lookalike", f"look like Latin letters: {shown}", letters=lookalikes)
    if len(text) > MAX_NAME_LENGTH:
        raise StoreError("name_too_long", f"{len(text)} characters; at most {MAX_NAME_LENGTH}")
    return text


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def validate_note(note: object) -> str:
    """The note as it will be stored (NFC, newlines normalised, trimmed) or StoreError."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise StoreError("note_bad_chars", "the note must be text")
    text = unicodedata.normalize("NFC", note).replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = sorted({ch for ch in text if ch != "\n" and (unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS)})
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
        raise StoreError("note_bad_chars", f"not allowed in a note: {shown}")
    if len(text) > MAX_NOTE_LENGTH:
        raise StoreError("note_too_long", f"{len(text)} characters; at most {MAX_NOTE_LENGTH}")
    return text


def _plain_name(name: str) -> str:
    """A name saved before the rules tightened, with the characters no longer allowed
    removed (for the default name of its copy)."""
    text = "".join(ch if _name_char_ok(ch) else " " for ch in name)
    return " ".join(text.split())


def _plan_id(value: object) -> str:
    """A plan folder's id as stored (trimmed), or StoreError('bad_value')."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_PLAN_ID_LENGTH:
        raise StoreError("bad_value", f"the plan id must be text of 1 to {MAX_PLAN_ID_LENGTH} characters")
    text = value.strip()
    if not text.isprintable():
        raise StoreError("bad_value", "the plan id has control characters")
    return text


def _fingerprint(value: object) -> str:
    if not isinstance(value, str) or len(value) != FINGERPRINT_CHARS or value.strip("0123456789abcdef"):
        raise StoreError("bad_value", f"a data fingerprint is {FINGERPRINT_CHARS} lowercase hex digits")
    return value


def _dataset_json(plan_dict: object) -> tuple[str, str]:
    """(canonical JSON, fingerprint) of a plan's dict, validated by model.plan.plan_from_dict
    (limits first: the plan's size is bounded there); StoreError('bad_dataset') or
    StoreError('dataset_too_large') with the plan's problems otherwise."""
    try:
        plan = plan_from_dict(plan_dict)  # type: ignore[arg-type]  # anything: validated there
    except PlanError as exc:
        code = "dataset_too_large" if any(p.code in LIMIT_CODES for p in exc.problems) else "bad_dataset"
        shown = "; ".join(f"{p.code} {p.file} {p.column}".strip() for p in exc.problems[:5])
        raise StoreError(code, shown, problems=tuple(exc.problems)) from None
    return plan_json(plan), plan.fingerprint


def _name_key(name: str) -> str:
    """What uniqueness compares: the case-folded NFC name."""
    return unicodedata.normalize("NFC", name.casefold())


def _query_json(query: object) -> str:
    if not isinstance(query, Mapping):
        raise StoreError("bad_query", "the query must be a mapping of strings to strings")
    if len(query) > MAX_QUERY_KEYS:
        raise StoreError("bad_query", f"{len(query)} keys; at most {MAX_QUERY_KEYS}")
    for key, value in query.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise StoreError("bad_query", f"key {key!r}: keys and values must be strings")
    text = json.dumps(dict(query), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if len(text) > MAX_QUERY_CHARS:
        raise StoreError("bad_query", f"the query is too long ({len(text)} characters)")
    return text


def _plain(value: object) -> object:
    """A numpy scalar (what the model returns) as the Python value it holds."""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    return value


def _summary(
    reachable: object, total: object, year: object, probability: object
) -> tuple[int, float, int, float | None]:
    reachable, total, year, probability = _plain(reachable), _plain(total), _plain(year), _plain(probability)
    if not isinstance(reachable, bool):
        raise StoreError("bad_value", f"reachable must be a bool, not {reachable!r}")
    if isinstance(total, bool) or not isinstance(total, (int, float)) or not math.isfinite(total):
        raise StoreError("bad_value", f"target_year_total must be a finite number, not {total!r}")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise StoreError("bad_value", f"target_year must be a year (int), not {year!r}")
    if probability is not None and (
        isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 <= probability <= 1
    ):
        raise StoreError("bad_value", f"probability must be None or within 0 to 1, not {probability!r}")
    return int(reachable), float(total), year, None if probability is None else float(probability)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# --- schema -------------------------------------------------------------------------------


def _migrate_to_v1(conn: sqlite3.Connection) -> None:
    # AUTOINCREMENT: a purged scenario's id is never given to another one, so a link
    # that names saved scenarios by id never silently shows a different scenario.
    conn.execute(
        """
        CREATE TABLE scenarios (
            id                INTEGER PRIMARY KEY AUTOINCREMENT,
            name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
            name_key          TEXT    NOT NULL,
            note              TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 500),
            query_json        TEXT    NOT NULL,
            reachable         INTEGER NOT NULL CHECK (reachable IN (0, 1)),
            target_year_total REAL    NOT NULL,
            target_year       INTEGER NOT NULL,
            created_at        TEXT    NOT NULL,
            updated_at        TEXT    NOT NULL,
            deleted_at        TEXT
        )
        """
    )
    conn.execute("CREATE UNIQUE INDEX scenarios_live_name ON scenarios(name_key) WHERE deleted_at IS NULL")
    conn.execute("CREATE INDEX scenarios_updated ON scenarios(updated_at)")


def _migrate_to_v2(conn: sqlite3.Connection) -> None:
    # Scenarios record the plan they were made on. A row saved by version 1 keeps NULL in
    # both: it was made on the plan bundled with the application at that time (the only
    # plan that could be used then, uploads were never saved), whose fingerprint was a
    # different hash: so NULL, not a guess.
    conn.execute("ALTER TABLE scenarios ADD COLUMN plan_id TEXT")
    conn.execute("ALTER TABLE scenarios ADD COLUMN data_fingerprint TEXT")
    # Datasets: a whole plan as its canonical JSON (self-contained). The same name rules
    # as scenarios; two live datasets never hold the same figures (one fingerprint).
    conn.execute(
        """
        CREATE TABLE datasets (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
            name_key       TEXT    NOT NULL,
            note           TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 500),
            fingerprint    TEXT    NOT NULL CHECK (length(fingerprint) = 12),
            source_plan_id TEXT    NOT NULL CHECK (length(source_plan_id) BETWEEN 1 AND 100),
            plan_json      TEXT    NOT NULL,
            created_at     TEXT    NOT NULL,
            updated_at     TEXT    NOT NULL,
            deleted_at     TEXT
        )
        """
    )
    conn.execute("CREATE UNIQUE INDEX datasets_live_name ON datasets(name_key) WHERE deleted_at IS NULL")
    conn.execute("CREATE UNIQUE INDEX datasets_live_fingerprint ON datasets(fingerprint) WHERE deleted_at IS NULL")
    conn.execute("CREATE INDEX datasets_updated ON datasets(updated_at)")


def _migrate_to_v3(conn: sqlite3.Connection) -> None:
    # The probability of reaching the target, when saved. Rows saved before keep NULL: the
    # store cannot work it out (it needs the plan and the simulation), and the list then
    # says its verdict is the central path's.
    conn.execute(
        "ALTER TABLE scenarios ADD COLUMN probability REAL "
        "CHECK (probability IS NULL OR (probability >= 0 AND probability <= 1))"
    )


# MIGRATIONS[v] turns a version v-1 store into version v (inside one transaction).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_to_v1, 2: _migrate_to_v2, 3: _migrate_to_v3}
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
TABLES = ("scenarios", "datasets")  # the tables of the current schema (table names are never input)

_COLUMNS = (
    "id, name, note, query_json, reachable, target_year_total, target_year, created_at, updated_at, deleted_at, "
    "plan_id, data_fingerprint, probability"
)
_ENTRY_COLUMNS = "id, name, note, fingerprint, source_plan_id, created_at, updated_at, deleted_at"
_DATASET_COLUMNS = _ENTRY_COLUMNS + ", plan_json"


def _row_to_saved(row: tuple) -> SavedScenario:
    try:
        query = json.loads(row[3])
    except ValueError as exc:
        raise StoreError("corrupt", f"scenario {row[0]}: unreadable query ({exc})") from None
    if not isinstance(query, dict):
        raise StoreError("corrupt", f"scenario {row[0]}: the query is not an object")
    return SavedScenario(
        id=int(row[0]), name=row[1], note=row[2], query={str(k): str(v) for k, v in query.items()},
        reachable=bool(row[4]), target_year_total=float(row[5]), target_year=int(row[6]),
        created_at=row[7], updated_at=row[8], deleted_at=row[9], plan_id=row[10], data_fingerprint=row[11],
        probability=None if row[12] is None else float(row[12]),
    )  # fmt: skip


def _row_to_entry(row: tuple) -> DatasetEntry:
    return DatasetEntry(
        id=int(row[0]), name=row[1], note=row[2], fingerprint=row[3], source_plan_id=row[4],
        created_at=row[5], updated_at=row[6], deleted_at=row[7],
    )  # fmt: skip


def _row_to_dataset(row: tuple) -> SavedDataset:
    return SavedDataset(**vars(_row_to_entry(row[:-1])), plan_json=row[-1])


def _primary(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _translate(exc: sqlite3.Error, writing: bool) -> StoreError:
    """A StoreError for an sqlite3 error (``writing``: during a write transaction)."""
    primary = _primary(exc)
    text = str(exc)
    low = text.lower()
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in low or "not a database" in low:
        return StoreError("corrupt", text)
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly" in low:
        return StoreError("readonly", text)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in low:
        return StoreError("busy", text)
    if primary == _SQLITE_CANTOPEN or "unable to open" in low:
        return StoreError("readonly" if writing else "read_failed", text)
    return StoreError("write_failed" if writing else "read_failed", text)


# --- the store ----------------------------------------------------------------------------


class ScenarioStore:
    """Saved scenarios in one SQLite file. Safe to share between threads and processes.

    Opening checks the file: a damaged or non-SQLite file raises StoreError('corrupt'),
    an SQLite file of another application StoreError('foreign'), a store of a newer
    schema StoreError('newer_schema'). A new file (and its directory) is created and
    migrated to the current schema. ``readonly=True`` opens the file for reading only
    (``mode=ro``): every write raises StoreError('readonly').
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, readonly: bool = False) -> None:
        self.path = Path(path if path is not None else default_store_path()).expanduser().absolute()
        self.readonly = readonly
        self._immutable_reads = False  # set when reads only work with immutable=1 (see _connect)
        self._lock = threading.Lock()
        self._kept: tuple[sqlite3.Connection, int] | None = None  # see _kept_read: (connection, file's inode)
        self._kept_lock = threading.Lock()
        self._open()

    def __repr__(self) -> str:
        return f"ScenarioStore({str(self.path)!r}, readonly={self.readonly})"

    # --- connections ----------------------------------------------------------------------

    def _uri(self, mode: str, immutable: bool = False) -> str:
        return self.path.as_uri() + f"?mode={mode}" + ("&immutable=1" if immutable else "")

    def _raw_connect(self, mode: str, immutable: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self._uri(mode, immutable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None, check_same_thread=False,
        )  # fmt: skip
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if mode != "ro":
                conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; falls back to read-only modes when writing is impossible.

        A WAL database needs its ``-shm`` file: in a directory this process cannot write,
        a normal open fails even for reading. Then the file is read as ``immutable``,
        which is right as long as no other process is writing (its -wal/-shm files would
        exist and the normal open would work).
        """
        conn = None
        try:
            if not self._immutable_reads:
                try:
                    conn = self._raw_connect("ro" if self.readonly else "rw")
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.Error as exc:
                    if conn is not None:
                        conn.close()
                        conn = None
                    if _primary(exc) not in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM):
                        raise
                    self._immutable_reads = True
            if conn is None:
                conn = self._raw_connect("ro", immutable=True)
            yield conn
        except sqlite3.Error as exc:
            raise _translate(exc, writing=False) from None
        finally:
            if conn is not None:
                conn.close()

    def _kept_read(self, sql: str, args: tuple) -> list[tuple]:
        """A query on a kept connection, for the reads pages make on every run (name_of, the
        lists, a dataset by its fingerprint): opening a connection cost 0.25 ms, reading on a
        kept one a tenth of that. In WAL mode each read sees every commit so far, from any
        process. The connection is dropped when the file at the path is no longer the one it
        opened (replaced or deleted) and after any error; then, and when reads need the
        immutable mode, the query runs as any other read does (_reading), with its fallbacks
        and its errors."""
        with self._kept_lock:
            try:
                inode = os.stat(self.path).st_ino
            except OSError:
                inode = None
            if self._kept is not None and (self._kept[1] != inode or self._immutable_reads):
                self._drop_kept()
            if self._kept is None and inode is not None and not self._immutable_reads:
                try:
                    self._kept = (self._raw_connect("ro" if self.readonly else "rw"), inode)
                except sqlite3.Error:
                    pass
            if self._kept is not None:
                try:
                    return self._kept[0].execute(sql, args).fetchall()  # all: the statement ends, no read stays open
                except sqlite3.Error:
                    self._drop_kept()
        with self._reading() as conn:
            return conn.execute(sql, args).fetchall()

    def _drop_kept(self) -> None:
        if self._kept is not None:
            self._kept[0].close()
            self._kept = None

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back on any error."""
        if self.readonly:
            raise StoreError("readonly", "the store was opened read-only")
        conn = None
        try:
            conn = self._raw_connect("rw")
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                self._commit(conn)
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise
        except sqlite3.IntegrityError as exc:
            # The checks inside each transaction come first; these are the indexes' last word.
            if "name_key" in str(exc):
                raise StoreError("name_taken", "another saved scenario (dataset) already has this name") from None
            if "datasets.fingerprint" in str(exc):
                raise StoreError("dataset_exists", "a saved dataset already holds these figures") from None
            raise StoreError("bad_value", str(exc)) from None
        except sqlite3.Error as exc:
            raise _translate(exc, writing=True) from None
        finally:
            if conn is not None:
                conn.close()
        # A write that worked means reads can use normal connections again.
        self._immutable_reads = False

    def _commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    # --- opening and migrations -----------------------------------------------------------

    def _open(self) -> None:
        path = self.path
        if path.exists():
            if path.is_dir():
                raise StoreError("foreign", f"{path} is a directory")
            # A file that is not SQLite's is found by SQLite itself (_inspect: 'corrupt'). Never
            # open the file here: closing any descriptor of it drops every POSIX lock this
            # process holds on it, the kept connection's too (see _kept_read); another process
            # then takes itself for the last one, checkpoints and deletes the WAL under it.
        elif self.readonly:
            raise StoreError("missing", f"{path} does not exist")
        else:
            self._create(path)
        state = self._inspect()
        if state == "current":
            return
        if self.readonly:
            raise StoreError("readonly", f"the store needs setting up (schema {state}) but is read-only")
        self._migrate()

    def _create(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self._uri("rwc"), uri=True, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
            finally:
                conn.close()
        except PermissionError as exc:
            raise StoreError("readonly", f"cannot create {path}: {exc.strerror}") from None
        except OSError as exc:
            raise StoreError("write_failed", f"cannot create {path}: {exc.strerror or exc}") from None
        except sqlite3.Error as exc:
            raise _translate(exc, writing=True) from None

    def _inspect(self) -> str:
        """'current', 'empty' or 'old': what the file holds; StoreError when it is not ours."""
        with self._reading() as conn:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            }
            if app_id == 0 and version == 0 and not tables:
                return "empty"
            if app_id != APPLICATION_ID:
                shown = ", ".join(sorted(tables)[:5]) or "none"
                raise StoreError("foreign", f"an SQLite database of another application (tables: {shown})")
            if version > SCHEMA_VERSION:
                raise StoreError("newer_schema", f"schema version {version}; this version reads up to {SCHEMA_VERSION}")
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise StoreError("corrupt", "; ".join(str(r[0]) for r in check[:3]))
            if version < SCHEMA_VERSION:
                return "old"
            missing = [t for t in TABLES if t not in tables]
            if missing:
                raise StoreError("corrupt", f"the {', '.join(missing)} table is missing")
            return "current"

    def _migrate(self) -> None:
        with self._lock, self._writing() as conn:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        try:
            conn = self._raw_connect("rw")
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # WAL is best effort (e.g. a file system without shared memory)

    # --- reading --------------------------------------------------------------------------

    def get(self, scenario_id: int) -> SavedScenario:
        """The scenario with this id (deleted ones included) or StoreError('not_found')."""
        with self._reading() as conn:
            return self._get(conn, scenario_id)

    def _get(self, conn: sqlite3.Connection, scenario_id: int) -> SavedScenario:
        if isinstance(scenario_id, bool) or not isinstance(scenario_id, int):
            raise StoreError("not_found", f"bad id {scenario_id!r}")
        # _COLUMNS is a constant; the id is a bound parameter.
        row = conn.execute(f"SELECT {_COLUMNS} FROM scenarios WHERE id = ?", (scenario_id,)).fetchone()  # noqa: S608
        if row is None:
            raise StoreError("not_found", f"no saved scenario has id {scenario_id}")
        return _row_to_saved(row)

    def list(self, include_deleted: bool = False) -> builtins.list[SavedScenario]:
        """Saved scenarios, the most recently updated first."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        sql = f"SELECT {_COLUMNS} FROM scenarios {where} ORDER BY updated_at DESC, id DESC"  # noqa: S608 (constants)
        return [_row_to_saved(r) for r in self._kept_read(sql, ())]

    def name_of(self, query: Mapping[str, str], plan_id: str, data_fingerprint: str, ignoring: str) -> str | None:
        """The name of the newest live scenario saved with this query (the key `ignoring`
        aside, in the row and in `query`), on this plan and these figures or saved before
        either was recorded; None when there is none.

        Compared in SQL on the canonical JSON every row is written in (_query_json), so a
        page asking on every run reads one row, however many scenarios are saved (reading
        them all cost 3 ms at 300). A row whose query is not JSON matches nothing."""
        wanted = _query_json({k: v for k, v in query.items() if k != ignoring})
        path = "$." + json.dumps(ignoring)  # a JSON path names a key as a quoted string
        rows = self._kept_read(
            "SELECT name FROM scenarios WHERE deleted_at IS NULL"
            " AND CASE WHEN json_valid(query_json) THEN json_remove(query_json, ?) END = ?"
            " AND (plan_id IS NULL OR plan_id = ?) AND (data_fingerprint IS NULL OR data_fingerprint = ?)"
            " ORDER BY updated_at DESC, id DESC LIMIT 1",
            (path, wanted, plan_id, data_fingerprint),
        )
        return str(rows[0][0]) if rows else None

    def name_available(self, name: str, exclude_id: int | None = None) -> bool:
        """True when ``name`` is valid and no live scenario (other than exclude_id) has it."""
        try:
            clean = validate_name(name)
        except StoreError:
            return False
        with self._reading() as conn:
            return self._name_holder(conn, clean, exclude_id) is None

    def writable(self) -> bool:
        """True when a write transaction can be started (probe, writes nothing)."""
        if self.readonly:
            return False
        try:
            with self._writing():
                pass
        except StoreError:
            return False
        return True

    def integrity_check(self) -> bool:
        """PRAGMA integrity_check says 'ok'."""
        try:
            with self._reading() as conn:
                return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        except StoreError:
            return False

    # --- writing --------------------------------------------------------------------------

    @staticmethod
    def _name_holder(
        conn: sqlite3.Connection, name: str, exclude_id: int | None, table: str = "scenarios"
    ) -> int | None:
        assert table in TABLES
        row = conn.execute(
            f"SELECT id FROM {table} WHERE name_key = ? AND deleted_at IS NULL AND id IS NOT ?",  # noqa: S608 (constant)
            (_name_key(name), exclude_id),
        ).fetchone()
        return None if row is None else int(row[0])

    def _check_free(
        self, conn: sqlite3.Connection, name: str, exclude_id: int | None = None, table: str = "scenarios"
    ) -> None:
        holder = self._name_holder(conn, name, exclude_id, table)
        if holder is not None:
            raise StoreError("name_taken", f"{table[:-1]} {holder} is already called {name!r}")

    @staticmethod
    def _check_room(conn: sqlite3.Connection, table: str) -> None:
        """StoreError('store_full') when `table` already holds MAX_LIVE live rows."""
        # The table name is one of two constants, never input.
        (live,) = conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()  # noqa: S608
        if live >= MAX_LIVE[table]:
            raise StoreError("store_full", f"{live} live {table}; at most {MAX_LIVE[table]}")

    @staticmethod
    def _trim_bin(conn: sqlite3.Connection, table: str, just_deleted: int) -> None:
        """Remove for good the deleted rows of `table` beyond the newest MAX_BIN deleted, the
        one just deleted counting as the newest (a clock set back could make it look older)."""
        conn.execute(
            f"DELETE FROM {table} WHERE deleted_at IS NOT NULL AND id NOT IN "  # noqa: S608 (a constant table name)
            f"(SELECT id FROM {table} WHERE deleted_at IS NOT NULL"
            " ORDER BY id = ? DESC, deleted_at DESC, id DESC LIMIT ?)",
            (just_deleted, MAX_BIN[table]),
        )

    def _free_variant(self, conn: sqlite3.Connection, base: str, suffix: str | None, table: str = "scenarios") -> str:
        """``base (suffix)``, ``base (suffix 2)``, ... (or ``base (2)`` when suffix is None),
        the first one that is free, shortening ``base`` to keep within the length limit."""
        for n in range(1, 10_000):
            if suffix is None:
                tail = "" if n == 1 else f" ({n})"
            else:
                tail = f" ({suffix})" if n == 1 else f" ({suffix} {n})"
            head = base[: MAX_NAME_LENGTH - len(tail)].rstrip()
            candidate = (head + tail).strip()
            if self._name_holder(conn, candidate, None, table) is None:
                return candidate
        raise StoreError("name_taken", f"no free name like {base!r}")

    def _live(self, conn: sqlite3.Connection, scenario_id: int) -> SavedScenario:
        current = self._get(conn, scenario_id)
        if current.deleted_at is not None:
            raise StoreError("deleted", f"scenario {scenario_id} is deleted: restore it first")
        return current

    def save(
        self, name: str, note: str, query: Mapping[str, str], reachable: bool,
        target_year_total: float, target_year: int, *,
        plan_id: str | None = None, data_fingerprint: str | None = None, probability: float | None = None,
    ) -> SavedScenario:  # fmt: skip
        """Save a new scenario; StoreError('name_taken') if a live one has the name,
        'store_full' if MAX_LIVE are saved.

        ``plan_id`` and ``data_fingerprint``: the plan it was made on (Plan.id and
        Plan.fingerprint), so it can be shown on the same data later. ``probability``: of
        reaching the target (0 to 1), as the simulation gave it."""
        clean_name = validate_name(name)
        clean_note = validate_note(note)
        query_json = _query_json(query)
        summary = _summary(reachable, target_year_total, target_year, probability)
        plan = (None if plan_id is None else _plan_id(plan_id),
                None if data_fingerprint is None else _fingerprint(data_fingerprint))  # fmt: skip
        now = _now()
        with self._writing() as conn:
            self._check_free(conn, clean_name)
            self._check_room(conn, "scenarios")
            cur = conn.execute(
                "INSERT INTO scenarios (name, name_key, note, query_json, reachable, target_year_total, "
                "target_year, probability, created_at, updated_at, plan_id, data_fingerprint) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (clean_name, _name_key(clean_name), clean_note, query_json, *summary, now, now, *plan),
            )
            saved = self._get(conn, int(cur.lastrowid or 0))
        return saved

    def rename(self, scenario_id: int, new_name: str) -> SavedScenario:
        clean_name = validate_name(new_name)
        with self._writing() as conn:
            self._live(conn, scenario_id)
            self._check_free(conn, clean_name, exclude_id=scenario_id)
            conn.execute(
                "UPDATE scenarios SET name = ?, name_key = ?, updated_at = ? WHERE id = ?",
                (clean_name, _name_key(clean_name), _now(), scenario_id),
            )
            saved = self._get(conn, scenario_id)
        return saved

    def update_note(self, scenario_id: int, note: str) -> SavedScenario:
        clean_note = validate_note(note)
        with self._writing() as conn:
            self._live(conn, scenario_id)
            conn.execute(
                "UPDATE scenarios SET note = ?, updated_at = ? WHERE id = ?",
                (clean_note, _now(), scenario_id),
            )
            saved = self._get(conn, scenario_id)
        return saved

    def duplicate(self, scenario_id: int, new_name: str | None = None) -> SavedScenario:
        """A copy under ``new_name``, or by default "<name> (bản sao)" ("(bản sao 2)", ...);
        'store_full' if MAX_LIVE are saved.
        (The default name of a copy of a name saved before the rules tightened leaves out
        the characters no longer allowed.)"""
        clean_name = None if new_name is None else validate_name(new_name)
        with self._writing() as conn:
            source = self._live(conn, scenario_id)
            if clean_name is None:
                clean_name = self._free_variant(conn, _plain_name(source.name), COPY_SUFFIX)
            else:
                self._check_free(conn, clean_name)
            self._check_room(conn, "scenarios")
            now = _now()
            cur = conn.execute(
                "INSERT INTO scenarios (name, name_key, note, query_json, reachable, target_year_total, "
                "target_year, probability, created_at, updated_at, plan_id, data_fingerprint) "
                "SELECT ?, ?, note, query_json, reachable, target_year_total, target_year, probability, ?, ?, "
                "plan_id, data_fingerprint FROM scenarios WHERE id = ?",
                (clean_name, _name_key(clean_name), now, now, scenario_id),
            )
            saved = self._get(conn, int(cur.lastrowid or 0))
        return saved

    def delete(self, scenario_id: int) -> SavedScenario:
        """Soft delete: the scenario leaves the list but can be restored, while it is among
        the newest MAX_BIN deleted (an older deleted one is removed for good). Idempotent."""
        with self._writing() as conn:
            current = self._get(conn, scenario_id)
            if current.deleted_at is None:
                conn.execute("UPDATE scenarios SET deleted_at = ? WHERE id = ?", (_now(), scenario_id))
                self._trim_bin(conn, "scenarios", scenario_id)
            saved = self._get(conn, scenario_id)
        return saved

    def restore(self, scenario_id: int) -> SavedScenario:
        """Undo a delete ('store_full' if MAX_LIVE are live). If a live scenario took the name
        meanwhile, the restored one gets the first free "<name> (2)", "<name> (3)", ... (check
        the returned name)."""
        with self._writing() as conn:
            current = self._get(conn, scenario_id)
            if current.deleted_at is not None:
                self._check_room(conn, "scenarios")
                name = self._free_variant(conn, current.name, None)
                conn.execute(
                    "UPDATE scenarios SET deleted_at = NULL, name = ?, name_key = ? WHERE id = ?",
                    (name, _name_key(name), scenario_id),
                )
            saved = self._get(conn, scenario_id)
        return saved

    def purge(self, scenario_id: int) -> None:
        """Remove a deleted scenario for good; StoreError('not_deleted') for a live one."""
        with self._writing() as conn:
            current = self._get(conn, scenario_id)
            if current.deleted_at is None:
                raise StoreError("not_deleted", f"scenario {scenario_id} is not deleted: delete it first")
            conn.execute("DELETE FROM scenarios WHERE id = ?", (scenario_id,))

    # --- datasets -------------------------------------------------------------------------

    def get_dataset(self, dataset_id: int) -> SavedDataset:
        """The dataset with this id (deleted ones included) or StoreError('not_found')."""
        with self._reading() as conn:
            return self._get_dataset(conn, dataset_id)

    @staticmethod
    def _get_dataset(conn: sqlite3.Connection, dataset_id: int) -> SavedDataset:
        if isinstance(dataset_id, bool) or not isinstance(dataset_id, int):
            raise StoreError("not_found", f"bad id {dataset_id!r}")
        row = conn.execute(
            f"SELECT {_DATASET_COLUMNS} FROM datasets WHERE id = ?",  # noqa: S608 (constant columns)
            (dataset_id,),
        ).fetchone()
        if row is None:
            raise StoreError("not_found", f"no saved dataset has id {dataset_id}")
        return _row_to_dataset(row)

    def list_datasets(self, include_deleted: bool = False) -> builtins.list[SavedDataset]:
        """Saved datasets, the most recently updated first."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {_DATASET_COLUMNS} FROM datasets {where} ORDER BY updated_at DESC, id DESC"  # noqa: S608
            ).fetchall()
        return [_row_to_dataset(r) for r in rows]

    def dataset_entries(self, include_deleted: bool = False) -> builtins.list[DatasetEntry]:
        """Saved datasets as a list shows them (no plan), the most recently updated first:
        one read on the kept connection, as a page makes on every run."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        sql = f"SELECT {_ENTRY_COLUMNS} FROM datasets {where} ORDER BY updated_at DESC, id DESC"  # noqa: S608 (constants)
        return [_row_to_entry(r) for r in self._kept_read(sql, ())]

    def entry_by_fingerprint(self, fingerprint: str) -> DatasetEntry:
        """The live dataset with these figures, without its plan (get_dataset reads that), or
        StoreError('not_found'): also when the only one is deleted (then ``existing`` is its
        id, so a link can say it was deleted). On the kept connection: a page asks on every run."""
        if not isinstance(fingerprint, str) or len(fingerprint) != FINGERPRINT_CHARS:
            raise StoreError("not_found", "not a data fingerprint")
        rows = self._kept_read(
            f"SELECT {_ENTRY_COLUMNS} FROM datasets WHERE fingerprint = ? "  # noqa: S608 (constant columns)
            "ORDER BY deleted_at IS NOT NULL, deleted_at DESC LIMIT 1",
            (fingerprint,),
        )
        if not rows:
            raise StoreError("not_found", f"no saved dataset has the fingerprint {fingerprint}")
        found = _row_to_entry(rows[0])
        if found.deleted:
            raise StoreError("not_found", f"the dataset with these figures ({found.id}) is deleted", existing=found.id)
        return found

    def _live_fingerprint_holder(self, conn: sqlite3.Connection, fingerprint: str, exclude_id: int | None) -> None:
        row = conn.execute(
            "SELECT id, name FROM datasets WHERE fingerprint = ? AND deleted_at IS NULL AND id IS NOT ?",
            (fingerprint, exclude_id),
        ).fetchone()
        if row is not None:
            raise StoreError(
                "dataset_exists", f"dataset {row[0]} {row[1]!r} already holds these figures", existing=int(row[0])
            )

    def _live_dataset(self, conn: sqlite3.Connection, dataset_id: int) -> SavedDataset:
        current = self._get_dataset(conn, dataset_id)
        if current.deleted_at is not None:
            raise StoreError("deleted", f"dataset {dataset_id} is deleted: restore it first")
        return current

    def save_dataset(self, name: str, note: str, plan_dict: Mapping, source_plan_id: str) -> SavedDataset:
        """Save a plan (``model.plan.plan_to_dict``'s dict) under a name.

        The plan is validated by ``plan_from_dict`` (StoreError 'bad_dataset' or, over a
        limit, 'dataset_too_large', with its problems); its canonical JSON is stored and its
        fingerprint computed here. StoreError('dataset_exists') if a live dataset holds the
        same figures (``existing`` names it), 'name_taken' if a live one has the name,
        'store_full' if MAX_LIVE are saved."""
        clean_name = validate_name(name)
        clean_note = validate_note(note)
        plan_id = _plan_id(source_plan_id)
        text, fingerprint = _dataset_json(plan_dict)
        now = _now()
        with self._writing() as conn:
            self._live_fingerprint_holder(conn, fingerprint, None)
            self._check_free(conn, clean_name, table="datasets")
            self._check_room(conn, "datasets")
            cur = conn.execute(
                "INSERT INTO datasets (name, name_key, note, fingerprint, source_plan_id, plan_json, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (clean_name, _name_key(clean_name), clean_note, fingerprint, plan_id, text, now, now),
            )
            saved = self._get_dataset(conn, int(cur.lastrowid or 0))
        return saved

    def rename_dataset(self, dataset_id: int, new_name: str) -> SavedDataset:
        clean_name = validate_name(new_name)
        with self._writing() as conn:
            self._live_dataset(conn, dataset_id)
            self._check_free(conn, clean_name, exclude_id=dataset_id, table="datasets")
            conn.execute(
                "UPDATE datasets SET name = ?, name_key = ?, updated_at = ? WHERE id = ?",
                (clean_name, _name_key(clean_name), _now(), dataset_id),
            )
            saved = self._get_dataset(conn, dataset_id)
        return saved

    def update_dataset_note(self, dataset_id: int, note: str) -> SavedDataset:
        clean_note = validate_note(note)
        with self._writing() as conn:
            self._live_dataset(conn, dataset_id)
            conn.execute("UPDATE datasets SET note = ?, updated_at = ? WHERE id = ?", (clean_note, _now(), dataset_id))
            saved = self._get_dataset(conn, dataset_id)
        return saved

    def delete_dataset(self, dataset_id: int) -> SavedDataset:
        """Soft delete: the dataset leaves the list (and entry_by_fingerprint) but can be
        restored, while it is among the newest MAX_BIN deleted. Idempotent."""
        with self._writing() as conn:
            current = self._get_dataset(conn, dataset_id)
            if current.deleted_at is None:
                conn.execute("UPDATE datasets SET deleted_at = ? WHERE id = ?", (_now(), dataset_id))
                self._trim_bin(conn, "datasets", dataset_id)
            saved = self._get_dataset(conn, dataset_id)
        return saved

    def restore_dataset(self, dataset_id: int) -> SavedDataset:
        """Undo a delete. A live dataset that took the name meanwhile: the restored one gets
        "<name> (2)", ...; one that holds the same figures: StoreError('dataset_exists')
        (two live datasets never hold the same figures); 'store_full' if MAX_LIVE are live."""
        with self._writing() as conn:
            current = self._get_dataset(conn, dataset_id)
            if current.deleted_at is not None:
                self._live_fingerprint_holder(conn, current.fingerprint, dataset_id)
                self._check_room(conn, "datasets")
                name = self._free_variant(conn, current.name, None, table="datasets")
                conn.execute(
                    "UPDATE datasets SET deleted_at = NULL, name = ?, name_key = ? WHERE id = ?",
                    (name, _name_key(name), dataset_id),
                )
            saved = self._get_dataset(conn, dataset_id)
        return saved
