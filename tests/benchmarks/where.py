"""Where a loaded server's CPU goes: Streamlit's own work, or the app's.

py-spy samples the server's Python stacks while the load runs (only the thread holding the
GIL, so each sample is Python work being done; a share is then applied to the process's
whole CPU, which also holds work done without the GIL); each sample is owned by the nearest frame,
from the innermost outwards, that is either the app's (a file of this repository) or
Streamlit's. A library frame (Altair, pandas, numpy, json, protobuf, tornado) counts for
whoever called it: Altair building a chart for ui/charts.py is the app's, json writing a
chart spec for Streamlit's chart element is Streamlit's. Streamlit's own work is split by
where the sample stands:

- outside the script: the server's side of a rerun (its new-session message, the script
  thread, delivering every element's message over the websocket), which no app code runs in;
- in the script, Streamlit's element and widget calls (st.slider, st.markdown, session
  state) and its chart element (marshalling a Vega-Lite spec and its Arrow data).

The split says how much of a rerun any change to the app's own code could still save.
"""

from __future__ import annotations

import collections
import subprocess
from pathlib import Path

OUTSIDE = "Streamlit, outside the script (new-session message, script thread, websocket)"
ELEMENTS = "Streamlit, the elements and widgets the script asks for"
CHARTS = "Streamlit, its chart element (spec and Arrow data marshalled)"
APP = "the app's own code (ui/, model/, views/, with the libraries it calls)"
KINDS = (OUTSIDE, ELEMENTS, CHARTS, APP)
STREAMLIT_OWN = (OUTSIDE, ELEMENTS, CHARTS)

SCRIPT_ENTRY = "<module> ("  # the app's main script runs as a module: its frame marks a rerun


def _file(frame: str) -> str:
    """The file of a py-spy frame, "name (path:line)"."""
    return frame.rpartition(" (")[2].rpartition(":")[0]


def _owner(frame: str, root: str) -> str | None:
    path = _file(frame)
    if "/site-packages/streamlit/" in path:
        return "streamlit"
    if path.startswith(root) and "/site-packages/" not in path:
        return "app"
    return None


def kind(frames: list[str], root: str, script: str) -> str:
    """Which kind of work one stack (outermost frame first) is doing. `root` is the
    repository's path with a trailing slash, `script` the app's main script's path."""
    in_script = any(f.startswith(SCRIPT_ENTRY) and _file(f) == script for f in frames)
    for depth in range(len(frames) - 1, -1, -1):
        owner = _owner(frames[depth], root)
        if owner == "app":
            return APP
        if owner == "streamlit":
            if not in_script:
                return OUTSIDE
            # the Streamlit call the app made: every frame inside the innermost app frame (the
            # chart element's Arrow data goes through Streamlit's dataframe code, not vega_charts)
            apps = [i for i, f in enumerate(frames) if _owner(f, root) == "app"]
            call = frames[apps[-1] + 1 :] if apps else frames
            return CHARTS if any("/elements/vega_charts.py" in _file(f) for f in call) else ELEMENTS
    return ELEMENTS if in_script else OUTSIDE  # the interpreter's own frames: a thread starting, say


def shares(raw: str, root: Path, script: Path) -> dict[str, float]:
    """Each kind's share of the samples in py-spy's raw output ("frame;frame;... count" lines)."""
    counts: collections.Counter[str] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            counts[kind(stack.split(";"), f"{root}/", str(script))] += int(count)
    total = sum(counts.values())
    return {k: counts[k] / total if total else 0.0 for k in KINDS}


def record(pid: int, seconds: float, out: Path, py_spy: str) -> subprocess.Popen:
    """Start sampling `pid` for `seconds` (py-spy writes `out` when it stops)."""
    command = [py_spy, "record", "--pid", str(pid), "--duration", str(round(seconds)), "--rate", "1000",
               "--format", "raw", "--output", str(out), "--gil", "--nonblocking", "--full-filenames"]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def busiest(pids: list[int]) -> int:
    """The process that has used the most CPU: the server, not the shell that started it."""

    def cpu(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return -1
        return int(fields[11]) + int(fields[12])  # utime + stime

    return max(pids, key=cpu)
