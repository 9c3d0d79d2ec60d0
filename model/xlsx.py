"""An .xlsx workbook's cells as data: streamed, bounded, nothing evaluated.

An .xlsx file is a zip of XML parts. openpyxl builds every row out to the sheet's last used
column (one empty cell in column XFD makes each row 16,384 cells) and reads all shared
strings before anything can stop it, so a 1 MB file can cost minutes of CPU. Here each
part is streamed through expat in chunks and only the cells that hold something are kept:
- a filled cell beyond `Limits.columns` columns, more than `Limits.rows` rows with data, a
  row number past `Limits.records`, or more than `Limits.cells` cell elements (empty
  formatted ones included) stops the reading with a `Limit`;
- the `Deadline` is checked between chunks (64 KB of XML each), so reading stops soon
  after the time runs out or the caller's `cancelled()` says the work is no longer wanted;
- a DOCTYPE (entity tricks), a missing part or malformed XML is `Damaged`.
Formulas are never evaluated: a cell with one comes back as its formula text.

Pure Python (no Streamlit). model/upload.py turns the cells into a table.
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

CHUNK = 64 * 1024  # bytes of XML parsed between two checks of the deadline
MAX_STYLES = 64_000  # cell formats in styles.xml (Excel's own limit)
_NOT_A_NUMBER = ("nan", "inf", "infinity", "-inf", "-infinity", "+inf", "+infinity", "-nan", "+nan")


class Limit(Exception):
    """Reading stopped at a limit; `code` is the Problem's code (model/upload.py)."""

    def __init__(self, code: str, row: int | None = None, column: int | None = None, value: str = "") -> None:
        super().__init__(code)
        self.code, self.row, self.column, self.value = code, row, column, value


class Damaged(Exception):
    """The workbook is not a well-formed .xlsx; the message says what is wrong."""


class Deadline:
    """The time a parse may take, and whether its result is still wanted.

    `check()` raises Limit('parse_timeout') when the time is up and Limit('cancelled') when
    `cancelled()` says so (e.g. the user's session has closed).
    """

    def __init__(self, seconds: float, cancelled: Callable[[], bool] | None = None) -> None:
        self.seconds = seconds
        self.end = time.thread_time() + seconds
        self.cancelled = cancelled

    def check(self) -> None:
        if time.thread_time() > self.end:
            raise Limit("parse_timeout", value=f"{self.seconds:g}")
        if self.cancelled is not None and self.cancelled():
            raise Limit("cancelled")


@dataclass(frozen=True)
class Limits:
    rows: int  # rows holding data (a few more are read, to say "too many")
    columns: int  # a filled cell in a column beyond this stops the reading
    records: int  # row numbers beyond this stop the reading (blank rows included)
    cells: int  # cell elements and shared strings, empty ones included


@dataclass
class Sheet:
    """A sheet's rows that hold something: (row number, cells), cells indexed by column from 0
    up to the last filled one ('' where empty); and its formulas as (row, column, text)."""

    name: str
    rows: list[tuple[int, list]] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


# A cell's value as the caller wants it: (raw value, number format) -> cell; and whether a
# converted cell counts as filled.
Convert = Callable[[Any, str], Any]
Filled = Callable[[Any], bool]


def read_sheets(data: bytes, limits: Limits, deadline: Deadline, convert: Convert, filled: Filled) -> list[Sheet]:
    """The workbook's sheets that hold at least one value, in workbook order.

    The first such sheet is read in full; the others only until their first value (a table
    must be on one sheet, so their content is never needed).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Damaged("zip") from exc
    book = _Book(archive, limits, deadline)
    found: list[Sheet] = []
    for name, path in book.sheets():
        reader = _SheetReader(book, name, convert, filled, first_value_only=bool(found))
        book.parse(path, reader)
        if reader.has_value:
            found.append(reader.sheet)
    return found


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _local(name: str) -> str:
    """An element or attribute name without its namespace (expat gives 'uri local')."""
    return name.rpartition(" ")[2]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _int(text: str | None, what: str) -> int:
    """A whole number written in ASCII digits (an index, a row number), else `Damaged`."""
    if text is None or not (m := re.fullmatch(r"\s*([0-9]{1,12})\s*", text)):
        raise Damaged(what)
    return int(m.group(1))


def _refuse_dtd(*_args) -> None:
    raise Damaged("DOCTYPE")


class _Book:
    """The archive's parts, the workbook's sheet list, its shared strings and number formats."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits, deadline: Deadline) -> None:
        self.archive, self.limits, self.deadline = archive, limits, deadline
        self.names = set(archive.namelist())
        self.cells_seen = 0
        self.date1904 = False
        self._sheets: list[tuple[str, str]] = []
        self.shared: list[str] | None = None
        self.formats: list[str] | None = None
        self._parse_workbook()

    # --- streaming one part through expat

    def parse(self, path: str, handler: Any) -> None:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        try:
            for chunk in self._chunks(path):
                self.deadline.check()
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Stop:
            return
        except expat.ExpatError as exc:
            raise Damaged(f"{path}: {expat.ErrorString(exc.code)}") from exc

    def _chunks(self, path: str) -> Iterator[bytes]:
        """The part's bytes, CHUNK at a time; a damaged archive is `Damaged`."""
        if path not in self.names:
            raise Damaged(f"missing {path}")
        if self.archive.getinfo(path).flag_bits & 0x1:
            raise Damaged(f"{path}: encrypted")
        try:
            with self.archive.open(path) as part:
                while chunk := part.read(CHUNK):
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, UnicodeDecodeError) as exc:
            raise Damaged(f"{path}: {type(exc).__name__}") from exc

    def count_cell(self) -> None:
        self.cells_seen += 1
        if self.cells_seen > self.limits.cells:
            raise Limit("too_many_cells", value=str(self.limits.cells))

    # --- the workbook part and its relationships

    def _parse_workbook(self) -> None:
        workbook = _Collect({"sheet", "workbookPr"})
        self.parse("xl/workbook.xml", workbook)
        rels = _Collect({"Relationship"})
        if "xl/_rels/workbook.xml.rels" in self.names:
            self.parse("xl/_rels/workbook.xml.rels", rels)
        targets = {a.get("Id"): (a.get("Target") or "", a.get("Type") or "") for _, a in rels.found}
        for tag, attrs in workbook.found:
            if tag == "workbookPr":
                self.date1904 = (attrs.get("date1904") or "").lower() in ("1", "true")
                continue
            rid = _attr(attrs, "id")
            if rid not in targets:
                raise Damaged("sheet without a part")
            self._sheets.append((attrs.get("name") or "", _part_path(targets[rid][0])))
        self._shared_path = next(
            (_part_path(t) for t, kind in targets.values() if kind.endswith("/sharedStrings")), "xl/sharedStrings.xml"
        )
        self._styles_path = next(
            (_part_path(t) for t, kind in targets.values() if kind.endswith("/styles")), "xl/styles.xml"
        )

    def sheets(self) -> list[tuple[str, str]]:
        return list(self._sheets)

    # --- shared strings and number formats, read when a sheet first needs them

    def shared_string(self, index: int) -> str:
        if self.shared is None:
            reader = _SharedStrings(self)
            if self._shared_path in self.names:
                self.parse(self._shared_path, reader)
            self.shared = reader.strings
        if not 0 <= index < len(self.shared):
            raise Damaged("shared string index")
        return self.shared[index]

    def number_format(self, style: int) -> str:
        if self.formats is None:
            reader = _Styles()
            if self._styles_path in self.names:
                self.parse(self._styles_path, reader)
            self.formats = reader.formats()
        return self.formats[style] if 0 <= style < len(self.formats) else "General"


def _part_path(target: str) -> str:
    """A relationship target of the workbook as a path in the archive."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


class _Stop(Exception):
    """A handler has seen enough (the caller's sheet holds a value)."""


class _Collect:
    """The attributes of every element with one of the given local names."""

    def __init__(self, tags: set[str]) -> None:
        self.tags = tags
        self.found: list[tuple[str, dict[str, str]]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag in self.tags:
            if len(self.found) > 10_000:
                raise Damaged("too many sheets")
            self.found.append((tag, attrs))

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _SharedStrings:
    """Every <si>'s text: its <t> runs, without phonetic guides (<rPh>)."""

    def __init__(self, book: _Book) -> None:
        self.book = book
        self.strings: list[str] = []
        self._parts: list[str] | None = None
        self._in_t = False
        self._phonetic = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            self.book.count_cell()
            self._parts = []
        elif tag == "rPh":
            self._phonetic += 1
        elif tag == "t" and self._parts is not None and not self._phonetic:
            self._in_t = True

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "si" and self._parts is not None:
            self.strings.append("".join(self._parts))
            self._parts = None
        elif tag == "rPh":
            self._phonetic -= 1
        elif tag == "t":
            self._in_t = False

    def text(self, data: str) -> None:
        if self._in_t and self._parts is not None:
            self._parts.append(data)


class _Styles:
    """Each cell format's number format code (<cellXfs>'s <xf numFmtId>, <numFmts>)."""

    def __init__(self) -> None:
        self.codes: dict[int, str] = {}
        self.ids: list[int] = []
        self._in_cell_xfs = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "numFmt":
            if len(self.codes) >= MAX_STYLES:
                raise Damaged("too many number formats")
            self.codes[_int(attrs.get("numFmtId"), "numFmtId")] = attrs.get("formatCode") or "General"
        elif tag == "cellXfs":
            self._in_cell_xfs = True
        elif tag == "xf" and self._in_cell_xfs:
            if len(self.ids) >= MAX_STYLES:
                raise Damaged("too many cell formats")
            self.ids.append(_int(attrs.get("numFmtId", "0"), "numFmtId"))

    def end(self, name: str) -> None:
        if _local(name) == "cellXfs":
            self._in_cell_xfs = False

    def text(self, data: str) -> None:
        pass

    def formats(self) -> list[str]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        return [self.codes.get(i) or BUILTIN_FORMATS.get(i, "General") for i in self.ids]


def _column_index(reference: str) -> int | None:
    """0-based column of a cell reference such as 'AB12' (None if there are no letters)."""
    index = 0
    for ch in reference:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            index = index * 26 + ord(ch) - 96
        else:
            break
        if index > 1_000_000:
            raise Damaged("cell reference")
    return index - 1 if index else None


class _SheetReader:
    """One worksheet's rows that hold something, within the limits."""

    def __init__(self, book: _Book, name: str, convert: Convert, filled: Filled, first_value_only: bool) -> None:
        self.book, self.limits = book, book.limits
        self.convert, self.filled = convert, filled
        self.first_value_only = first_value_only
        self.sheet = Sheet(name)
        self.has_value = False
        self.row = 0  # the current row number
        self.column = -1  # the current cell's column
        self._cell: dict[str, str] | None = None  # the open <c>'s attributes
        self._value: list[str] = []
        self._formula: list[str] | None = None
        self._formula_attrs: dict[str, str] = {}
        self._shared_formulas: dict[str, str] = {}
        self._capture: str | None = None  # 'v', 'f' or 't' (inline string) while inside it
        self._in_is = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "row":
            if self._cell is not None:  # a row cannot start inside a cell
                raise Damaged("row inside a cell")
            ref = attrs.get("r")
            self._set_row(_int(ref, "row number") if ref is not None else self.row + 1)
            self.column = -1
        elif tag == "c":
            self.book.count_cell()
            ref = attrs.get("r")
            column = _column_index(ref) if ref else None
            self.column = column if column is not None else self.column + 1
            self._cell, self._value, self._formula = attrs, [], None
        elif self._cell is not None:
            if tag == "v":
                self._capture = "v"
            elif tag == "f":
                self._formula, self._formula_attrs, self._capture = [], attrs, "f"
            elif tag == "is":
                self._in_is = True
            elif tag == "t" and self._in_is:
                self._capture = "t"
            elif tag == "rPh":
                self._in_is = False  # a phonetic guide is not the cell's text

    def _set_row(self, number: int) -> None:
        if number > self.limits.records:
            raise Limit("too_many_rows", value=str(self.limits.rows))
        self.row = number

    def text(self, data: str) -> None:
        if self._capture == "f" and self._formula is not None:
            self._formula.append(data)
        elif self._capture is not None:
            self._value.append(data)

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag in ("v", "f", "t"):
            self._capture = None
        elif tag == "is":
            self._in_is = False
        elif tag == "c" and self._cell is not None:
            self._end_cell()
            self._cell = None

    def _end_cell(self) -> None:
        attrs = self._cell or {}
        if self._formula is not None:
            value = self._formula_text()
            self.sheet.formulas.append((self.row, self.column, value))
            cell = value
        else:
            raw, number_format = self._raw_value(attrs, "".join(self._value))
            cell = self.convert(raw, number_format)
            if not self.filled(cell):
                return
        self.has_value = True
        if self.first_value_only:
            raise _Stop
        if self.column >= self.limits.columns:
            raise Limit("too_many_columns", self.row, self.column, str(self.limits.columns))
        if not self.sheet.rows or self.sheet.rows[-1][0] != self.row:
            self.sheet.rows.append((self.row, []))
            if len(self.sheet.rows) > self.limits.rows + 10:
                raise Limit("too_many_rows", value=str(self.limits.rows))
        row_cells = self.sheet.rows[-1][1]
        if self.column >= len(row_cells):
            row_cells.extend([""] * (self.column + 1 - len(row_cells)))
        row_cells[self.column] = cell

    def _formula_text(self) -> str:
        text = "".join(self._formula or [])
        index = self._formula_attrs.get("si")
        if self._formula_attrs.get("t") == "shared" and index is not None:
            if text:
                self._shared_formulas[index] = text
            else:
                text = self._shared_formulas.get(index, "")
        return "=" + text

    def _raw_value(self, attrs: dict[str, str], text: str) -> tuple[Any, str]:
        """The cell's value (str, int, float, bool, datetime or None) and its number format."""
        kind = attrs.get("t", "n")
        style = _int(attrs["s"], "style") if attrs.get("s") else 0
        if kind == "inlineStr":
            return text, "General"
        if not text:
            return None, "General"
        if kind == "s":
            return self.book.shared_string(_int(text, "shared string index")), "General"
        if kind in ("str", "e", "d"):
            return text, "General"
        if kind == "b":
            return text.strip() in ("1", "true"), "General"
        number_format = self.book.number_format(style)
        return self._number(text, number_format), number_format

    def _number(self, text: str, number_format: str) -> Any:
        from openpyxl.styles.numbers import is_date_format, is_timedelta_format
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        text = text.strip()
        if len(text) > 400 or text.lower() in _NOT_A_NUMBER:
            raise Damaged("number")
        try:
            value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError as exc:
            raise Damaged("number") from exc
        if number_format != "General" and is_date_format(number_format):
            epoch = CALENDAR_MAC_1904 if self.book.date1904 else CALENDAR_WINDOWS_1900
            try:
                return from_excel(value, epoch, timedelta=is_timedelta_format(number_format))
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value
