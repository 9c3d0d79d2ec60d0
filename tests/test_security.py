"""The security settings of DESIGN.md section 8 and issue 6, checked where they live."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


def test_no_html_rendering_of_any_text():
    """No user text may reach the page as HTML: the app never turns HTML rendering on."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in APP_SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"unsafe_allow_html\s*=\s*True|st\.html\(|components\.v1\.html", line)
    ]
    assert offenders == []


def test_streamlit_configuration_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, client, browser = config["server"], config["client"], config["browser"]
    assert server["enableXsrfProtection"] is True
    assert 0 < server["maxUploadSize"] <= 5  # megabytes
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


def test_pages_hold_no_model_arithmetic():
    """Pages call the model and draw; projection, goal seek and simulation live in model/."""
    for path in (ROOT / "views").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "np." not in text and "import numpy" not in text, path.name
        assert "scipy" not in text, path.name
