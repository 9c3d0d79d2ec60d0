"""What makes reruns and first pages fast changes nothing a user sees.

- charts, built from kept shapes and this run's data, are sent as st.altair_chart sends the
  same chart built the Altair way (datasets compared by content);
- numbers are written exactly as Babel writes them;
- a simulation cut to the memory budget says so, where the probability is shown;
- the launcher does the heavy imports before the server starts, and scripts/serve.sh
  starts it with every option scripts/run.sh passed to `streamlit run`.
"""

from __future__ import annotations

import ast
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import model.risk
from tests.helpers import APP, run_app
from ui import format as fmt

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("isolated_store")  # each test has a store of its own


# --- charts ----------------------------------------------------------------------------


def _every_chart(reference: bool) -> None:
    """Every chart builder, in both languages, on scenarios that share a chart's shape and
    differ in its data (the textiles slider moved), on other shapes (base year, horizon,
    target year) and on the other plan: drawn by components.chart from the kept shapes, or,
    for reference, built the Altair way and drawn by st.altair_chart with its validation."""
    from dataclasses import replace
    from pathlib import Path

    import streamlit as st

    import model
    from ui import charts, components

    thai_binh = model.load_plan()
    hung_yen = model.load_plan(Path(model.__file__).resolve().parents[1] / "data" / "hung_yen")
    default = model.Scenario.default(thai_binh)
    scenarios = [
        (thai_binh, default), (thai_binh, default.with_growth({"textiles": 6.0})),
        (thai_binh, replace(default, base=2022, shock=20.0, rec=0, ty=2028, unc=2.0)),
        (hung_yen, model.Scenario.default(hung_yen)),
    ]  # fmt: skip
    for k, (plan, sc) in enumerate(scenarios):
        proj, risk = model.project(plan, sc), model.simulate(plan, sc, n=2_000, seed=sc.seed)
        for lang in ("vi", "en"):
            built = [
                charts.overview_chart(proj, plan, sc, lang),
                charts.fan_chart(risk, proj, plan, sc, lang),
                charts.distribution_chart(risk, sc, lang),
                charts.tornado_chart(model.tornado(plan, sc), plan, sc, proj.target_year_total, 2.0, lang),
                charts.priority_chart(model.priority_map(plan, sc), plan, sc, lang),
                charts.compare_chart({"A": proj.totals, "B": proj.totals * 1.1}, [(sc.target, str(sc.ty))], lang),
            ]
            for i, chart in enumerate(built):
                if reference:
                    st.altair_chart(chart.altair(), width="stretch")
                else:
                    components.chart(chart, f"chart-{k}-{lang}-{i}", lang)


def _by_content(proto) -> tuple:
    """A chart's message with its datasets named by their content (Streamlit names them so,
    the kept shapes by what they hold): its spec, its datasets, and everything else."""
    import hashlib
    import json

    names = {d.name: hashlib.sha256(d.data.data).hexdigest() for d in proto.datasets}

    def renamed(node):
        if isinstance(node, dict):
            return {k: ({"name": names[v["name"]]} if k == "data" and isinstance(v, dict) and v.get("name") in names
                        else renamed(v)) for k, v in node.items()}  # fmt: skip
        return [renamed(v) for v in node] if isinstance(node, list) else node

    spec = renamed(json.loads(proto.spec))
    datasets = sorted({names[d.name]: d.data.data for d in proto.datasets}.items())
    rest = type(proto)()
    rest.CopyFrom(proto)
    rest.ClearField("spec")
    rest.ClearField("datasets")
    rest.ClearField("id")  # Streamlit's hash of the spec
    return spec, datasets, rest.SerializeToString(deterministic=True)


def _charts_sent(reference: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Each chart as the browser gets it: the chart's message and its layout (width, height)."""
    from streamlit.delta_generator import DeltaGenerator

    sent = []
    enqueue = DeltaGenerator._enqueue

    def recording(self, delta_type, element_proto, layout_config=None, *args, **kwargs):
        if delta_type == "vega_lite_chart":
            sent.append((_by_content(element_proto), repr(layout_config)))
        return enqueue(self, delta_type, element_proto, layout_config, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(DeltaGenerator, "_enqueue", recording)
        at = AppTest.from_function(_every_chart, args=(reference,), default_timeout=60).run()
    assert not at.exception, at.exception
    return sent


def test_charts_are_sent_as_st_altair_chart_sends_them(monkeypatch):
    from altair.utils.schemapi import SchemaBase

    validated = _charts_sent(True, monkeypatch)
    assert len(validated) == 48

    def no_validation(*args, **kwargs):
        raise AssertionError("a whole chart was validated")

    monkeypatch.setattr(SchemaBase, "validate", classmethod(no_validation))
    # spec, data, options and layout; the kept shapes are reused (the second scenario's, the
    # first language's), and never changed by a run
    assert _charts_sent(False, monkeypatch) == validated


# --- numbers ----------------------------------------------------------------------------


@settings(max_examples=3000, deadline=None)
@given(
    value=st.one_of(
        st.floats(min_value=-1e15, max_value=1e15),  # Babel itself gives up past 28 digits
        st.sampled_from([math.inf, -math.inf]),
        st.floats(min_value=-1e7, max_value=1e7).map(lambda v: round(v, 2)),
        st.integers(-(10**9), 10**9),
        st.sampled_from([0.0, -0.0, 0.05, 0.15, 0.25, 2.5, -2.5, 999.95, -0.05, 1234.5675]),
    ),
    lang=st.sampled_from(["vi", "en"]),
    decimals=st.integers(0, 3),
)
def test_numbers_are_written_exactly_as_babel_writes_them(value, lang, decimals):
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    babel = format_decimal(value, format=pattern, locale=fmt.LOCALES[lang])
    if set(babel) <= set("-0.,"):  # a number that rounds to zero is written without a sign ("-0,0" is not a value)
        babel = babel.lstrip("-")
    assert fmt.number(value, lang, decimals) == babel


# --- the memory budget on the page -----------------------------------------------------


def _texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("caption", "warning") for e in at.get(kind)]


def test_a_reduced_simulation_says_so_where_the_probability_is_shown(monkeypatch):
    # 10 years x (11 sectors + 1): 120 numbers a path; a budget of 600,000 leaves 5,000 paths.
    monkeypatch.setattr(model.risk, "MAX_SIMULATION_NUMBERS", 600_000)
    query = {"n": "50000", "seed": "424242"}  # a seed of its own: nothing cached from other tests
    for lang, shown in (
        ("vi", "Chỉ mô phỏng 5\\.000 trong 50\\.000 đường"),
        ("en", "Only 5\\,000 of the 50\\,000 paths"),
    ):
        overview = run_app(query | {"lang": lang})
        assert any(text.startswith(shown) for text in _texts(overview)), _texts(overview)
        assert "600" in next(text for text in _texts(overview) if text.startswith(shown))
        risk = run_app(query | {"lang": lang}, page="views/risk.py")
        assert any(text.startswith(shown) for text in _texts(risk)), _texts(risk)
        probability_help = fmt.number(5_000, lang, 0)
        assert any(probability_help in m.value for m in risk.markdown)  # "Of 5,000 simulated paths ..."


def test_no_reduction_no_message():
    for page in (None, "views/risk.py"):
        at = run_app({"n": "50000", "lang": "en"}, page=page)  # the largest simulation the app offers fits
        assert not any(text.startswith("Only") for text in _texts(at)), _texts(at)


# --- the launcher ----------------------------------------------------------------------


def test_the_launcher_runs_streamlit_run_app_with_the_options_given(monkeypatch):
    from streamlit.web import cli

    from ui import serve

    calls = []

    class Timer:  # the Scenario page's warm-up, recorded instead of run
        def __init__(self, seconds, target):
            self.seconds, self.target, self.daemon = seconds, target, False

        def start(self):
            calls.append(("later", self.seconds, self.target, self.daemon))

    monkeypatch.setattr(serve, "preload", lambda: calls.append("imports") or 0.0)
    monkeypatch.setattr(serve, "warm_up", lambda: calls.append("warm-up"))
    monkeypatch.setattr(serve.threading, "Timer", Timer)
    monkeypatch.setattr(serve, "send_small_messages_at_once", lambda: calls.append("at once") or True)
    monkeypatch.setattr(cli, "main", lambda args, prog_name: calls.append((args, prog_name)))
    serve.main(["--server.port", "8123", "--server.allowedHosts", "planner.internal"])
    args = ["run", APP, "--server.port", "8123", "--server.allowedHosts", "planner.internal"]
    # the imports and the first page's warm-up before the server listens; SciPy's a few seconds
    # after it starts, in a thread that does not keep a stopping server alive
    later = ("later", serve.SCENARIO_WARM_UP_AFTER_S, serve.warm_up_scenario_page, True)
    assert calls == ["imports", "warm-up", later, "at once", (args, "streamlit")]


def _nagle_off_on_a_connection_accepted() -> int:
    """TCP_NODELAY on a connection accepted by asyncio (as the server accepts them) on a
    socket Streamlit's function binds."""
    import asyncio
    import socket

    from streamlit.web.server.starlette import starlette_server

    async def accept() -> int:
        listener = starlette_server._bind_socket("127.0.0.1", 0, 8)
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport):  # type: ignore[no-untyped-def]
                accepted.set_result(
                    transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                )

        async with await asyncio.get_running_loop().create_server(Protocol, sock=listener):
            _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
            value = await accepted
            writer.close()
        return value

    return asyncio.run(accept())


def test_the_servers_connections_send_small_messages_at_once(monkeypatch):
    from streamlit.web.server.starlette import starlette_server

    from ui import serve

    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)  # undone after the test
    bind = starlette_server._bind_socket
    assert _nagle_off_on_a_connection_accepted() == 0, "Streamlit's own: Nagle's algorithm on, why the launcher acts"
    assert serve.send_small_messages_at_once() and serve.send_small_messages_at_once()
    assert starlette_server._bind_socket.__wrapped__ is bind, "installed once"
    assert _nagle_off_on_a_connection_accepted() != 0


def test_the_warm_ups_fill_the_caches_and_freeze_what_they_loaded(monkeypatch):
    from ui import charts, serve, session

    calibrate = sys.modules["model.calibrate"]  # the module (`model.calibrate` is its function)
    frozen = []
    monkeypatch.setattr(serve.gc, "freeze", lambda: frozen.append(True))
    calibrate._calibrate_cached.cache_clear()
    charts._templates.clear()
    serve.preload()
    serve.warm_up()
    assert sum(key[0] == "overview" for key in charts._templates) == 2  # the overview's chart, one a language
    assert frozen == [True]
    serve.warm_up_scenario_page()
    # every plan's fitted preset (SciPy's optimiser imported on the way)
    assert calibrate._calibrate_cached.cache_info().currsize == len(session.bundled_plans())
    assert frozen == [True, True]


def test_a_failing_warm_up_does_not_stop_the_server(monkeypatch, caplog):
    from ui import serve

    def broken() -> None:
        raise KeyError("a chart builder changed")

    frozen = []
    monkeypatch.setattr(serve, "_first_page_once", broken)
    monkeypatch.setattr(serve.gc, "freeze", lambda: frozen.append(True))
    serve.warm_up()
    assert "the warm-up run failed" in caplog.text
    assert frozen == [True]


FIRST_RUN = textwrap.dedent(
    """
    import sys
    from streamlit.testing.v1 import AppTest
    import streamlit.web.bootstrap  # what a started server has imported

    if sys.argv[1] == "preload":
        from ui import serve
        serve.preload()
        serve.warm_up()
    before = set(sys.modules)
    at = AppTest.from_file(sys.argv[2], default_timeout=60).run()
    assert not at.exception, at.exception
    heavy = ("numpy", "pandas", "pyarrow", "altair", "babel", "jsonschema", "model", "ui")
    print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in heavy))
    """
)


def _imported_by_first_run(preload: bool) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", FIRST_RUN, "preload" if preload else "no", APP],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])  # the printed list of module names


def test_after_the_launchers_preload_the_first_page_run_imports_nothing_heavy():
    assert _imported_by_first_run(preload=True) == []


def test_without_the_preload_the_first_page_run_imports_the_heavy_libraries():
    # The check above is meaningful: a plain `streamlit run` imports them on the first request.
    imported = {m.split(".")[0] for m in _imported_by_first_run(preload=False)}
    assert {"pandas", "altair", "pyarrow", "model", "ui"} <= imported


def test_serve_sh_starts_the_launcher_with_the_options_run_sh_passed(tmp_path):
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    fake.chmod(0o755)
    env = dict(
        os.environ, APP_PYTHON=str(fake), PORT="8123", ADDRESS="127.0.0.1", ALLOWED_HOSTS="planner.internal,b.lan"
    )
    out = subprocess.run(
        [str(ROOT / "scripts" / "serve.sh"), "--server.headless", "true"],
        env=env, capture_output=True, text=True, timeout=30, check=True,
    ).stdout.split("\n")  # fmt: skip
    assert out[:6] == ["-m", "ui.serve", "--server.port", "8123", "--server.address", "127.0.0.1"]
    hosts = {out[i + 1] for i, arg in enumerate(out) if arg == "--server.allowedHosts"}
    assert {"localhost", "127.0.0.1", "::1", "planner.internal", "b.lan"} <= hosts
    assert out[-3:-1] == ["--server.headless", "true"]
    run_sh = (ROOT / "scripts" / "run.sh").read_text()
    assert "scripts/setup.sh runtime" in run_sh and run_sh.rstrip().endswith('exec scripts/serve.sh "$@"')
