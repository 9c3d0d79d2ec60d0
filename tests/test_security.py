"""The security settings (docs/design.md, "Hostile input"), checked where they live."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


# The one HTML the app draws: a read-only table built by ui/table_html.py, which escapes every
# text in it (tests/test_table_html.py tries it with hostile cells).
ESCAPED_HTML = "st.html(table_html("


def test_no_html_rendering_of_any_text():
    """No user text may reach the page as HTML: the app never turns HTML rendering on, and
    draws HTML only as a table whose every text is escaped."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in APP_SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(
            r"unsafe_allow_html\s*=\s*True|unsafe_allow_javascript|st\.html\(|components\.v1\.html",
            line.replace(ESCAPED_HTML, ""),
        )  # fmt: skip
    ]
    assert offenders == []


def test_streamlit_configuration_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, client, browser = config["server"], config["client"], config["browser"]
    assert server["enableXsrfProtection"] is True
    assert 0 < server["maxUploadSize"] <= 5  # megabytes
    assert 0 < server["maxWidgetStateSize"] <= server["maxUploadSize"]  # what one message may hold
    assert server["enableAgentApi"] is False
    assert server["allowedHosts"], "a host allow-list guards against DNS rebinding"
    assert browser["gatherUsageStats"] is False
    assert client["showErrorDetails"] == "none"
    assert client["toolbarMode"] == "minimal"  # no developer menu for meeting-room viewers


def test_model_never_imports_streamlit():
    offenders = [
        path.name
        for path in (ROOT / "model").glob("*.py")
        if re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


# --- pages hold no arithmetic ------------------------------------------------------------
#
# A page script (views/*.py) reads the context, calls the model and draws: every figure it
# shows was computed in model/ and formatted in ui/format.py, so that one place holds each
# calculation and the workbook, the brief and the pages cannot disagree. The check below
# reads each page's syntax tree and names every operation on numbers it finds.

ARITHMETIC_OPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
    ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
}  # fmt: skip
ORDERING = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
NUMERIC_MODULES = {"numpy", "scipy", "math", "statistics", "decimal", "fractions", "cmath"}
ARITHMETIC_BUILTINS = {"sum", "round", "min", "max", "abs", "pow", "divmod"}
# Methods that compute (pandas, numpy): a page may build a DataFrame to show, never reduce one.
ARITHMETIC_METHODS = {
    "sum", "mean", "median", "std", "var", "min", "max", "prod", "cumsum", "cumprod", "cummax", "cummin",
    "diff", "pct_change", "add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow", "round", "clip",
    "abs", "quantile", "agg", "aggregate", "rolling", "expanding", "ewm", "rank", "corr", "cov", "idxmax",
    "idxmin", "nlargest", "nsmallest", "eval", "interpolate", "resample", "transform", "dot",
}  # fmt: skip
PANDAS_ALLOWED = {"DataFrame", "Series"}  # building a table to show is not arithmetic
# Calls whose result is text: `+` with one of them on either side joins text.
TEXT_FUNCTIONS = {"t", "tmd", "md", "str", "status_label"}
TEXT_MODULES = {"fmt"}  # ui.format as the pages import it: every function returns text


class ArithmeticFinder(ast.NodeVisitor):
    """Collects 'line: what' for every operation on numbers in one page script.

    Not arithmetic, and allowed (the explicit list):
    - `+` that joins text (a string, an f-string, t(...), fmt.*(...), str(...) on one side),
      `%` after a string (formatting) and `/` beside a string (a path: CONTENT / "method.md");
    - `+` that joins lists or tuples written in the page ([CURRENT] + saved ids), and `|`, `&`,
      `-` between dicts or sets written in the page (merging labels, picking status codes);
    - a table's pixel height from its row count, `height=36 * (len(rows) + 1) + 2`: the
      only leaves are whole-number constants and len(...), so no figure can hide in it
      (layout, like the column weights of st.columns([3, 1]), which need no operator);
    - comparisons with a string (codes, kinds, keys) and counts compared with whole-number
      constants (`len(selection) > 4`: how many items the page offers, not a figure).
    """

    def __init__(self, constants: dict[str, object]) -> None:
        self.found: list[str] = []
        self.constants = constants  # the page's own NAME = "text" lines
        self.numeric_names: set[str] = set()  # names bound to numpy, scipy, math, ...
        self.pandas_names: set[str] = set()

    def flag(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{node.lineno}: {what}: {ast.unparse(node)[:80]}")

    # --- what the page imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            root = alias.name.split(".")[0]
            if root in NUMERIC_MODULES:
                self.flag(node, f"imports {alias.name}")
            if root == "pandas":
                self.pandas_names.add(alias.asname or root)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        root = (node.module or "").split(".")[0]
        if root in NUMERIC_MODULES:
            self.flag(node, f"imports from {node.module}")
        if root == "pandas":
            for alias in node.names:
                if alias.name not in PANDAS_ALLOWED:
                    self.flag(node, f"imports pandas.{alias.name}")

    # --- operators
    def visit_BinOp(self, node: ast.BinOp) -> None:
        if not self.allowed_binop(node):
            self.flag(node, f"'{ARITHMETIC_OPS.get(type(node.op), '?')}' on numbers")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if not (isinstance(node.op, ast.Add) and self.is_text(node.value)):
            self.flag(node, "augmented assignment")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)) and not isinstance(node.operand, ast.Constant):
            self.flag(node, "sign change")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        if any(isinstance(op, ORDERING) for op in node.ops):
            if not (any(self.is_text(x) for x in operands) or all(self.is_count(x) for x in operands)):
                self.flag(node, "comparison of figures")
        self.generic_visit(node)

    # --- calls
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ARITHMETIC_BUILTINS:
            self.flag(node, f"{func.id}()")
        elif isinstance(func, ast.Attribute):
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.numeric_names:
                self.flag(node, f"{root.id}.{func.attr}()")
            elif isinstance(root, ast.Name) and root.id in self.pandas_names and func.attr not in PANDAS_ALLOWED:
                self.flag(node, f"pandas {func.attr}()")
            elif func.attr in ARITHMETIC_METHODS and not (isinstance(root, ast.Name) and root.id in TEXT_MODULES):
                self.flag(node, f".{func.attr}()")
        for keyword in node.keywords:
            if keyword.arg == "height" and self.is_layout_height(keyword.value):
                self.visit(func)
                for arg in node.args:
                    self.visit(arg)
                for other in node.keywords:
                    if other is not keyword:
                        self.visit(other)
                return
        self.generic_visit(node)

    # --- the allow-list
    def allowed_binop(self, node: ast.BinOp) -> bool:
        if isinstance(node.op, ast.Add) and (self.is_text(node.left) or self.is_text(node.right)):
            return True
        if isinstance(node.op, ast.Mod) and self.is_text(node.left):
            return True
        if isinstance(node.op, ast.Div) and (self.is_text(node.left) or self.is_text(node.right)):
            return True  # a path joined with a name: Path(...) / "ui" (a number cannot be divided by text)
        if isinstance(node.op, ast.Add) and (self.is_sequence(node.left) or self.is_sequence(node.right)):
            return True
        collections = (ast.Dict, ast.DictComp, ast.Set, ast.SetComp)
        if isinstance(node.op, (ast.BitOr, ast.BitAnd, ast.Sub)) and (
            isinstance(node.left, collections) or isinstance(node.right, collections)
        ):
            return True
        return False

    def is_text(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.Name):
            return isinstance(self.constants.get(node.id), str)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.is_text(node.left) or self.is_text(node.right)
        if isinstance(node, ast.IfExp):
            return self.is_text(node.body) and self.is_text(node.orelse)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                return func.id in TEXT_FUNCTIONS
            if isinstance(func, ast.Attribute):
                return (isinstance(func.value, ast.Name) and func.value.id in TEXT_MODULES) or func.attr == "join"
        return False

    @staticmethod
    def is_sequence(node: ast.AST) -> bool:
        if isinstance(node, ast.IfExp):
            return ArithmeticFinder.is_sequence(node.body) and ArithmeticFinder.is_sequence(node.orelse)
        return isinstance(node, (ast.List, ast.ListComp, ast.Tuple))

    @staticmethod
    def is_count(node: ast.AST) -> bool:
        whole = isinstance(node, ast.Constant) and type(node.value) is int
        return whole or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len")

    @classmethod
    def is_layout_height(cls, node: ast.AST) -> bool:
        if isinstance(node, ast.BinOp):
            return (
                type(node.op) in (ast.Add, ast.Mult)
                and cls.is_layout_height(node.left)
                and cls.is_layout_height(node.right)
            )
        return cls.is_count(node)


def arithmetic_in(source: str) -> list[str]:
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    finder = ArithmeticFinder(constants)
    finder.visit(tree)
    return finder.found


@pytest.mark.parametrize("page", sorted(path.name for path in (ROOT / "views").glob("*.py")))
def test_pages_hold_no_arithmetic(page):
    """Pages call the model and draw; every calculation lives in model/ or ui/format.py."""
    found = arithmetic_in((ROOT / "views" / page).read_text(encoding="utf-8"))
    assert found == [], "\n".join([f"arithmetic in views/{page}:", *found])


@pytest.mark.parametrize(
    "snippet",
    [
        "share = value / total",
        "st.metric('x', fmt.pct(risk.probability * 100, lang))",
        "delta = fmt.pp(needed - current, lang)",
        "total += row",
        "x = -gap",
        "text = fmt.number(2 ** n, lang)",
        "label = t('a', lang) + str(year + 1)",
        "if uplift <= 0:\n    pass",
        "status = 'derived' if sc.base == plan.base_year else 'official'",
        "st.write(sum(values))",
        "st.write(round(value, 1))",
        "st.write(max(a, b))",
        "st.write(frame['x'].mean())",
        "st.write(frame.sum())",
        "import numpy as np",
        "from scipy import stats",
        "import math",
        "rate = value / 100",
        "import pandas as pd\nst.write(pd.to_numeric(x))",
        "st.dataframe(frame, height=36 * (len(frame) + 1) + row_height)",
        "st.dataframe(frame, height=total * 2)",
    ],
)
def test_the_arithmetic_check_finds_arithmetic(snippet):
    assert arithmetic_in(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "KEY = 'current'\nif key == KEY:\n    pass",
        "label = t('a', lang) + ' ' + t('b', lang)",
        "link = session.share_link(ctx) + f'&cmp={x}'",
        "options = [CURRENT] + [str(s.id) for s in saved]",
        "names = {s.id: s.name for s in sectors} | {TOTAL: 'total'}",
        "st.columns([3, 1])",
        "st.dataframe(frame, height=36 * (len(frame) + 1) + 2)",
        "if len(selection) > 4:\n    pass",
        "if row == 'reachable':\n    pass",
        "text = '%s' % name",
        "CONTENT = Path(__file__).parent / 'ui' / 'content'\npath = CONTENT / f'method.{lang}.md'",
        "import pandas as pd\nst.dataframe(pd.DataFrame(rows))",
        "st.write(fmt.number(value, lang, -1))",
    ],
)
def test_the_arithmetic_check_allows_text_lists_and_layout(snippet):
    assert arithmetic_in(snippet) == [], snippet
