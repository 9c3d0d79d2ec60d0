"""The benchmark's split of a loaded server's CPU (tests/benchmarks/where.py) gives each
sampled stack to its owner, the nearest frame that is the app's or Streamlit's: a library
counts for whoever called it, and Streamlit's own work is told apart by where it stands
(outside the script, its elements, its chart element)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmarks import where

ROOT = Path("/srv/planner")
SCRIPT = ROOT / "app.py"
SITE = f"{ROOT}/.venv/lib/python3.11/site-packages"  # the libraries live under the repository


def frame(name: str, path: str, line: int = 1) -> str:
    return f"{name} ({path}:{line})"


RUNNER = [frame("Thread.run", "/usr/lib/python3.11/threading.py"),
          frame("ScriptRunner._run_script", f"{SITE}/streamlit/runtime/scriptrunner/script_runner.py")]  # fmt: skip
IN_PAGE = [*RUNNER, frame("<module>", str(SCRIPT), 60), frame("Page.run", f"{SITE}/streamlit/navigation/page.py"),
           frame("<module>", f"{ROOT}/views/risk.py", 40)]  # fmt: skip
ST_CALL = frame("gather_metrics.<locals>.wrapped_func", f"{SITE}/streamlit/runtime/metrics_util.py")
JSON = frame("dumps", "/usr/lib/python3.11/json/__init__.py")
SERVER = [frame("<module>", f"{ROOT}/ui/serve.py", 203), frame("run", f"{SITE}/streamlit/web/bootstrap.py"),
          frame("BaseEventLoop._run_once", "/usr/lib/python3.11/asyncio/base_events.py")]  # fmt: skip

CASES = {
    "Altair building the app's chart": (
        [
            *IN_PAGE,
            frame("fan_chart", f"{ROOT}/ui/charts.py"),
            frame("mark_line", f"{SITE}/altair/vegalite/v6/api.py"),
            JSON,
        ],
        where.APP,
    ),
    "a slider the sidebar asks for": (
        [
            *IN_PAGE,
            frame("sector_sliders", f"{ROOT}/ui/controls.py"),
            ST_CALL,
            frame("SliderMixin._slider", f"{SITE}/streamlit/elements/widgets/slider.py"),
            frame("Message.SerializeToString", f"{SITE}/google/protobuf/message.py"),
        ],
        where.ELEMENTS,
    ),  # fmt: skip
    "Streamlit writing a chart's spec": (
        [
            *IN_PAGE,
            frame("chart", f"{ROOT}/ui/components.py"),
            ST_CALL,
            frame("VegaChartsMixin.vega_lite_chart", f"{SITE}/streamlit/elements/vega_charts.py"),
            JSON,
        ],
        where.CHARTS,
    ),  # fmt: skip
    "Streamlit turning a chart's data into Arrow": (
        [
            *IN_PAGE,
            frame("chart", f"{ROOT}/ui/components.py"),
            ST_CALL,
            frame("VegaChartsMixin.vega_lite_chart", f"{SITE}/streamlit/elements/vega_charts.py"),
            frame("_marshall_chart_data", f"{SITE}/streamlit/elements/vega_charts.py"),
            frame("convert_anything_to_arrow_bytes", f"{SITE}/streamlit/dataframe_util.py"),
            frame("Table.serialize", f"{SITE}/pyarrow/ipc.py"),
        ],
        where.CHARTS,
    ),  # fmt: skip
    "a cached simulation computing": (
        [
            *IN_PAGE,
            frame("simulate", f"{ROOT}/ui/session.py"),
            frame("CachedFunc.__call__", f"{SITE}/streamlit/runtime/caching/cache_utils.py"),
            frame("simulate", f"{ROOT}/model/risk.py"),
            frame("normal", f"{SITE}/numpy/random/_generator.py"),
        ],
        where.APP,
    ),  # fmt: skip
    "the cache looking a result up": (
        [
            *IN_PAGE,
            frame("simulate", f"{ROOT}/ui/session.py"),
            frame("CachedFunc.__call__", f"{SITE}/streamlit/runtime/caching/cache_utils.py"),
            frame("update_hash", f"{SITE}/streamlit/runtime/caching/hashing.py"),
        ],
        where.ELEMENTS,
    ),  # fmt: skip
    "the websocket sending a message, under the launcher": (
        [
            *SERVER,
            frame(
                "BrowserWebSocketHandler.write_forward_msg", f"{SITE}/streamlit/web/server/browser_websocket_handler.py"
            ),
            frame("WebSocketHandler.write_message", f"{SITE}/tornado/websocket.py"),
        ],
        where.OUTSIDE,
    ),  # fmt: skip
    "the app's upload limit, called by the server": (
        [
            *SERVER,
            frame("UploadFileRequestHandler.put", f"{SITE}/streamlit/web/server/upload_file_request_handler.py"),
            frame("checked", f"{ROOT}/ui/upload_limits.py"),
        ],
        where.APP,
    ),  # fmt: skip
    "a script thread starting": ([frame("Thread._bootstrap", "/usr/lib/python3.11/threading.py")], where.OUTSIDE),
    "a library imported by the script (its module frame is not the app's script)": (
        [*RUNNER, frame("<module>", f"{SITE}/scipy/stats/__init__.py")],
        where.OUTSIDE,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_sample_goes_to_its_owner(name: str) -> None:
    frames, expected = CASES[name]
    assert where.kind(frames, f"{ROOT}/", str(SCRIPT)) == expected


def test_shares_count_each_stack_by_its_samples() -> None:
    counts = {name: i + 1 for i, name in enumerate(CASES)}  # each case sampled a different number of times
    raw = "".join(f"{';'.join(CASES[name][0])} {count}\n" for name, count in counts.items())
    expected: dict[str, float] = dict.fromkeys(where.KINDS, 0.0)
    for name, count in counts.items():
        expected[CASES[name][1]] += count / sum(counts.values())
    assert where.shares(raw, ROOT, SCRIPT) == pytest.approx(expected)
