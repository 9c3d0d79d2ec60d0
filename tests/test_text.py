"""The text catalogue (ui/text.py): one place for every vi/en string.

Every key the code names exists; every key is named somewhere (literally, or through an
f-string prefix such as f"repair.{code}", whose members are checked against the codes the
model really produces); no two keys hold the same text; every entry has both languages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import model.scenario_file
import model.store
import model.upload
import ui.problems
import ui.session
from model.backtest import DIRECTIONS, GRADES
from model.params import GROUPS, PARAMS
from model.plan import BOUNDS, STATUSES
from ui import format as fmt
from ui.text import TEXT, label_md, md, t, tmd

ROOT = Path(__file__).resolve().parent.parent
# The code that names keys (the catalogue's own definitions do not count as a use: the
# dictionary is blanked out of ui/text.py before it is read).
CODE = [p for d in ("ui", "views", "model") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
CALLS = {"t", "tmd"}


def _trees() -> dict[Path, ast.AST]:
    trees = {}
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "TEXT":
                node.value = ast.Dict(keys=[], values=[])
        trees[path] = tree
    return trees


def _strings_and_prefixes() -> tuple[set[str], set[str], set[str]]:
    """(every string constant, every f-string's leading text, the first argument of t()/tmd() calls)."""
    constants, prefixes, called = set(), set(), set()
    for tree in _trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and _is_key_shape(node):
                prefixes.add(str(node.values[0].value))  # type: ignore[attr-defined]
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS
                and node.args and isinstance(node.args[0], ast.Constant)
            ):  # fmt: skip
                called.add(str(node.args[0].value))
    return constants, prefixes, called


def _is_key_shape(node: ast.JoinedStr) -> bool:
    """f"prefix.{...}": a constant prefix and one value at the end (not e.g. f"method.{lang}.md")."""
    parts = node.values
    return len(parts) == 2 and isinstance(parts[0], ast.Constant) and isinstance(parts[1], ast.FormattedValue)


def _codes(call: str, position: int) -> set[str]:
    """String constants passed at `position` to calls of `call` (e.g. the code of Repair(...))."""
    out = set()
    for tree in _trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == call:
                if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                    out.add(str(node.args[position].value))
    return out


def _returned_codes(function: str) -> set[str]:
    """The string constants a function returns as the second item of a (None, code) pair."""
    out = set()
    for tree in _trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == function:
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple) and len(ret.value.elts) == 2:
                        code = ret.value.elts[1]
                        if isinstance(code, ast.Constant) and isinstance(code.value, str):
                            out.add(code.value)
    return out


# Keys the code builds with an f-string (f"repair.{code}"): the prefix and where its members come from.
FAMILIES = {
    "repair.": lambda: _codes("Repair", 2),
    "adjust.": lambda: {"clamped", "outside_figures"},  # a setting the others moved: worded by its label
    "status.": lambda: set(STATUSES),
    "problem.": lambda: (
        _codes("Problem", 0)
        | _codes("problem", 0)
        | set(model.upload.PROBLEM_CODES)
        | {"not_a_number.empty", "unsupported_type.none", "too_many_items.other", "unknown"}
    ),
    "problem.what.": lambda: {name for _, name in model.upload._MAGIC},
    "problem.items.": lambda: set(ui.problems._ITEM_LIMITS),
    "verdict.record.": lambda: {"later", "earlier", "never"},
    "backtest.direction.": lambda: set(DIRECTIONS),
    "backtest.grade.": lambda: set(GRADES),
    "side.": lambda: set(GROUPS) - {"covid"},
    "store.reason.": lambda: {"readonly", "write_failed", "corrupt", "foreign", "newer_schema", "other"},
    "store.": lambda: set(model.store.CODES) | {"other"},
    "store.full.": lambda: set(model.store.MAX_LIVE),  # "store_full", worded per kind of row
    "export.error.": lambda: set(model.scenario_file.ERRORS) | _returned_codes("_read_payload"),
    "bound.": lambda: set(BOUNDS) - {""},
    "export.download.": lambda: {"png", "svg"},
    "data.missing.": lambda: set(ui.session.MISSING_REASONS),
}


KEY_SHAPE = re.compile(r"^[a-z]+(\.[a-z0-9_]+)+$")


def test_every_key_the_code_names_exists():
    constants, _, called = _strings_and_prefixes()
    namespaces = {k.split(".")[0] for k in TEXT}
    # Keys passed around before they reach t() (e.g. a message key handed to a callback) count too.
    keyish = {c for c in constants if KEY_SHAPE.match(c) and c.split(".")[0] in namespaces and not c.endswith(".py")}
    assert sorted((called | keyish) - set(TEXT)) == []


def test_every_f_string_key_is_a_declared_family():
    _, prefixes, _ = _strings_and_prefixes()
    keyish = {p for p in prefixes if p.endswith(".") and any(k.startswith(p) for k in TEXT)}
    assert sorted(keyish - set(FAMILIES)) == []


def test_every_key_is_used():
    constants, _, _ = _strings_and_prefixes()
    used = constants | {prefix + m for prefix, members in FAMILIES.items() for m in members()}
    assert [k for k in TEXT if k not in used] == []


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_every_member_of_a_family_has_its_text(prefix):
    if prefix == "store.":  # most store codes are for developers; see the next test
        return
    missing = sorted(code for code in FAMILIES[prefix]() if f"{prefix}{code}" not in TEXT)
    assert missing == []


def test_every_store_error_a_user_can_cause_has_its_text():
    user_caused = {"name_empty", "name_no_letters", "name_lookalike", "name_too_long", "name_bad_chars", "name_taken", "note_too_long", "note_bad_chars",
                   "readonly", "write_failed"}  # fmt: skip
    assert user_caused <= set(model.store.CODES)
    assert sorted(c for c in user_caused if f"store.{c}" not in TEXT) == []


def test_no_two_keys_hold_the_same_text():
    seen: dict[tuple[str, str], str] = {}
    repeats = []
    for key, pair in TEXT.items():
        if pair in seen:
            repeats.append((seen[pair], key))
        seen.setdefault(pair, key)
    assert repeats == []


def test_every_entry_has_both_languages_and_the_same_fields():
    for key, (vi, en) in TEXT.items():
        assert vi.strip() and en.strip(), key
        assert set(re.findall(r"\{(\w+)\}", vi)) == set(re.findall(r"\{(\w+)\}", en)), key


def test_parameter_labels_come_from_the_table_and_are_not_repeated_in_the_catalogue():
    labels = {p.label for p in PARAMS}
    assert not labels & set(TEXT.values())


def test_md_escapes_what_markdown_would_interpret():
    hostile = "![x](http://host/t.png) [click](https://evil.example) <img src=x> :red[x] $x$ www.evil.example"
    escaped = md(hostile)
    assert re.sub(r"\\(.)", r"\1", escaped) == hostile  # shown exactly
    for construct in (r"!\[", r"\]\(", "<img", r":red\[", r"\$x", r"www\.evil"):
        assert not re.search(r"(?<!\\)" + construct, escaped), construct
    assert tmd("cmp.saved", "vi", name="[a](b)", data="d") == t("cmp.saved", "vi", name=md("[a](b)"), data="d")


@pytest.mark.parametrize("escape", [md, label_md])
def test_names_in_labels_are_shown_exactly_and_nothing_in_them_is_markdown(escape):
    hostile = "![x](http://host/t.png) [click](https://evil.example) <img src=x> :red[x] $x$ www.evil.example a@b.vn"
    escaped = escape(hostile)
    assert re.sub(r"\\(.)", r"\1", escaped) == hostile  # shown exactly
    for construct in (r"!\[", r"\[click\]", "<img", r":red", r"\$x", r"www\.evil", r"http:", r"a@b"):
        assert not re.search(r"(?<!\\)" + construct, escaped), construct


def test_a_label_keeps_its_ordinary_punctuation_for_the_accessible_name():
    # Streamlit gives the label as typed to screen readers: no backslash before "(", "," or "%".
    assert (
        label_md("Giấy và sản phẩm giấy (kể cả bao bì), 9,0%/năm") == "Giấy và sản phẩm giấy (kể cả bao bì), 9,0%/năm"
    )


# Texts where "điểm %" keeps its plain space: chart titles (charts.title_lines glues the "%"
# when it wraps them) and the data file's column headers (what a user's file must match).
PLAIN_POINTS = {"chart.tornado_title", "chart.priority_title", "chart.effect", "data.col.volatility",
                "edit.volatility_pp"}  # fmt: skip


def test_a_sentence_never_breaks_a_percentage_point_from_its_sign():
    """ "±0,5 điểm / %" on a projector: a lone "%" at the start of a line reads as nothing."""
    loose = [key for key, (vi, _) in TEXT.items() if "điểm %" in vi and key not in PLAIN_POINTS]
    assert loose == [], loose
    prose = Path(__file__).resolve().parents[1] / "ui" / "content"
    assert [page.name for page in sorted(prose.glob("*.md")) if "điểm %" in page.read_text()] == []
    assert t("risk.error", "vi", se="0,5") == "Sai số mô phỏng khoảng ±0,5 điểm\u00a0%."
    assert fmt.pp(1.36, "vi", 2) == "+1,36 điểm\u00a0%", "the unit a figure is written with"
