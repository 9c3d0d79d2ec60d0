"""Speed, memory and load, measured against their floors. Not a test: it prints.

    .venv/bin/python tests/benchmarks/bench.py               # everything, about 22 minutes
    .venv/bin/python tests/benchmarks/bench.py --quick       # model and server-side reruns only
    .venv/bin/python tests/benchmarks/bench.py --first-page  # the Chromium figures only
    .venv/bin/python tests/benchmarks/bench.py --load        # protocol reruns, memory, the load run, where its CPU goes (about 18 minutes)
    .venv/bin/python tests/benchmarks/bench.py --load-quick  # the same, shorter, to try it
    .venv/bin/python tests/benchmarks/bench.py --where       # Streamlit's share of the loaded server's CPU (4 minutes)
    .venv/bin/python tests/benchmarks/bench.py --hostile     # hostile uploads and the worst plan's memory

Each figure is printed beside its floor and its target, in one table at the end:
- server-side rerun after a slider change, per page (AppTest, median, the scripts compiled
  once as a server compiles them), beside an empty Streamlit page with one slider,
  measured the same way in the same run;
- Monte Carlo, 10,000 paths x all sectors x 10 years, beside a bare numpy draw;
- first page rendered in Chromium (the verdict banner and the sidebar sliders visible):
  a new user on a running server (median of 5 fresh browser contexts, the first one
  being the server's first request) and a fresh server process, each beside the empty
  app's first page measured the same way; slider release to figures redrawn (needs
  /usr/bin/chromium);
- slider reruns on an idle real server over Streamlit's protocol, per page: the wall time
  a client waits and the server's CPU per rerun, beside the empty app served the same way
  (an independent check of the AppTest figures, which also sees what the server does
  outside the script: its messages and their delivery), and beside the app's sidebar
  widgets drawn by plain Streamlit calls with no app code (SIDEBAR_APP): what Streamlit's
  own work for the widgets the product must show costs, before any of the app's;
- memory: server RSS with 1, 20 and 50 sessions, each having opened its own link;
- load: simulated users speaking Streamlit's protocol (tests/benchmarks/load.py), a
  ramp-up then a measured window: latency per action type, errors, throughput, the
  server's CPU per action and this process's own CPU; the same load on the empty app
  gives the floor, and on the sidebar's widgets alone Streamlit's share (their measured
  windows are shorter: their figures are steady sooner);
- where the loaded server's CPU goes (where.py, py-spy sampling the app's server for a
  minute under the full load's 50 users): Streamlit's own work (outside the script, its elements and widgets, its chart
  element) and the app's code, in ms an action, Streamlit's own beside the empty app's CPU
  per action under the same load: the part of the CPU target no app code can reach.

Servers are fresh processes on loopback with a throwaway store, the app's started as the
README's `scripts/run.sh` starts it (scripts/serve.sh: the launcher, then `streamlit run`),
the empty app's by the launcher's `run_streamlit` (the same server settings, no warm-up).
Every rerun moves the slider to a value not used before, so no cached result is reused. The
machine's load average is printed at the start and the end: on a shared machine the
figures are only as quiet as it was.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "benchmarks")]

import load  # noqa: E402
import streamlit_client as sc  # noqa: E402
import where  # noqa: E402

import model  # noqa: E402
from model.params import GROUPS  # noqa: E402
from ui.controls import IN_VIEW  # noqa: E402

PAGES = sorted(f"views/{path.name}" for path in (ROOT / "views").glob("*.py"))
TARGETS = {
    "rerun_x": 10.0,  # a page's slider rerun, in multiples of the empty page's
    "rerun_risk_x": 20.0,  # the Risk page's (a simulation and four charts)
    "mc": 50.0,
    "first_page_running": 1500.0,
    "first_page_fresh": 3000.0,
    "slider_chart": 300.0,
    "session_mb": 30.0,
    "load_p95": 1000.0,
    "cpu_ratio": 3.0,
}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
EMPTY_MEASURE_S = 120.0  # the empty app's measured window in the full load run
ROWS: list[tuple[str, str, str, str]] = []


def row(name: str, value: str, floor: str = "", target: str = "") -> None:
    """Record one figure for the final table (and show it now, for a long run)."""
    ROWS.append((name, value, floor, target))
    print(f"  {name}: {value}   {floor}   {target}", file=sys.stderr, flush=True)


def print_table() -> None:
    widths = [max(len(r[i]) for r in [("measure", "measured", "floor / context", "target"), *ROWS]) for i in range(3)]
    for r in [("measure", "measured", "floor / context", "target"), *ROWS]:
        print(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}")


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def median_wall_and_cpu_ms(fn, repeats: int) -> tuple[float, float]:
    """Medians of wall time and of this process's CPU time (all threads): on a machine other
    jobs keep busy, the CPU time shows the work done, the wall time what a user waits."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="bench-"))


# --- model and server-side reruns (no server) -------------------------------------------


def monte_carlo(repeats: int) -> None:
    plan = model.load_plan()
    scenario = model.Scenario.from_query({"h": "2030"}, plan)
    n_years, n_sectors = scenario.h - scenario.base, len(plan.sectors)
    seeds = iter(range(10_000))
    mc = median_ms(lambda: model.simulate(plan, scenario, n=10_000, seed=next(seeds)), repeats)
    bare = median_ms(lambda: np.random.default_rng(1).standard_normal((10_000, n_years, n_sectors + 1)), repeats)
    row(f"Monte Carlo 10k x {n_sectors} sectors x {n_years} yrs, new seed, ms", f"{mc:.1f}",
        f"bare numpy draw {bare:.1f} ms", f"<= {TARGETS['mc']:.0f} ms")  # fmt: skip


def monte_carlo_slider_move(repeats: int) -> None:
    """A slider move: the same seed and size, another growth; the draws come from the cache."""
    plan = model.load_plan()
    scenario = model.Scenario.from_query({"h": "2030"}, plan)
    model.simulate(plan, scenario, n=10_000, seed=1)  # draws the random numbers once
    uplifts = iter(np.arange(0.1, 1000.0, 0.1))
    mc = median_ms(lambda: model.simulate(plan, scenario.with_uplift(float(next(uplifts))), n=10_000, seed=1), repeats)
    row("Monte Carlo, slider move (cached draws), ms", f"{mc:.1f}", "", f"<= {TARGETS['mc']:.0f} ms")


def compile_once_as_a_server_does() -> None:
    """AppTest compiles the app and page scripts again on every run (a new ScriptCache each
    run: 2.5 ms for the Data page's script alone); a server compiles each script once. One
    cache for every run, the empty page's included, measures the rerun a server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[misc]


def rerun_times(repeats: int) -> None:
    from streamlit.testing.v1 import AppTest

    compile_once_as_a_server_does()
    os.environ["EXPORT_PLANNER_DB"] = str(workdir() / "bench.sqlite3")  # a throwaway store, never a real one
    save_scenarios(Path(os.environ["EXPORT_PLANNER_DB"]))
    empty = workdir() / "empty.py"
    empty.write_text(sc.EMPTY_APP)
    floor_app = AppTest.from_file(str(empty)).run()
    values = iter(np.linspace(1, 49, 10_000))
    floor, floor_cpu = median_wall_and_cpu_ms(
        lambda: floor_app.slider(key="x").set_value(float(next(values))).run(), repeats
    )
    row("empty page rerun (AppTest), ms", f"{floor:.1f}", f"the floor (cpu {floor_cpu:.1f} ms)")
    # One growth value per rerun, never the same twice in the run (the slider's step is 0.1):
    # a repeated value would find the scenario's projection and simulation already cached.
    growths = iter(np.round(np.arange(-10.0, 50.0, 0.1), 1))
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page(page).run()
        ms, cpu = median_wall_and_cpu_ms(
            lambda at=at: at.slider(key="g.textiles").set_value(float(next(growths))).run(), repeats
        )
        limit = TARGETS["rerun_risk_x"] if "risk" in page else TARGETS["rerun_x"]
        what = Path(page).stem + (" (two scenarios compared)" if "compare" in page else "")
        row(f"slider rerun {what} (AppTest), ms", f"{ms:.1f}",
            f"{ms / floor:.1f}x floor (cpu {cpu / floor_cpu:.1f}x)", f"<= {limit:.0f}x floor")  # fmt: skip


def save_scenarios(db: Path, count: int = 20) -> Path:
    """A meeting's saved scenarios in the store at `db`, so that the Compare page compares (the
    scenario on screen and the newest saved one), as it does in a meeting."""
    from model.store import ScenarioStore

    plan, store = model.load_plan(), ScenarioStore(db)
    for i in range(count - len(store.list())):
        query = {"g.textiles": f"{8 + i / 2:g}", "shock": str(i % 20)}
        proj = model.project(plan, model.Scenario.from_query(query, plan))
        store.save(f"Phương án {i + 1}", f"Ghi chú {i + 1}", query, proj.reachable, proj.target_year_total,
                   proj.target_year, plan_id=plan.id, data_fingerprint=plan.fingerprint)  # fmt: skip
    return db


def empty_app() -> Path:
    path = workdir() / "empty_app.py"
    path.write_text(sc.EMPTY_APP)
    return path


# The app's sidebar widgets alone, as plain Streamlit calls with no app code (bench.sidebar_app).
SIDEBAR_APP = """import streamlit as st

st.set_page_config(layout="wide")
with st.sidebar:
    st.radio("Ngôn ngữ", ["vi", "en"], key="lang", bind="query-params", horizontal=True)
    st.selectbox("Tỉnh", ["a", "b"], key="plan", help="Bộ số liệu")
    st.markdown("**Tăng trưởng**")
    for i in range({sliders}):
        if i == {sectors}:
            st.markdown("**COVID**")
        st.slider(f"Ngành {{i}}: 10,0%/năm", 0.0, 50.0, 10.0, 0.1, key=f"s{{i}}", bind="query-params",
                  help="Tốc độ tăng kim ngạch mỗi năm.")
    for name in ("target", "uncertainty", "save"):
        st.expander(name, key=f"open_{{name}}", on_change="rerun")
    st.popover("share", key="open_share", on_change="rerun")
"""


def sidebar_app() -> Path:
    """The widgets this product must show, drawn by Streamlit alone: the language, the plan, a
    slider per sector and per COVID control (bound to the address bar as the app's are), the
    headings and the closed sections (two settings, the save box, the share link)."""
    plan = model.load_plan()
    path = workdir() / "sidebar_app.py"
    path.write_text(SIDEBAR_APP.format(sliders=len(plan.sectors) + len(GROUPS[IN_VIEW]), sectors=len(plan.sectors)))
    return path


# --- Chromium ---------------------------------------------------------------------------


# What a first page has drawn once it is drawn: the app's verdict banner and sidebar sliders;
# the empty app's one slider.
APP_RENDERED = sc.BROWSER_RENDERED
EMPTY_RENDERED = ("[data-testid='stSlider']",)


def wait_rendered(page, selectors: tuple[str, ...] = APP_RENDERED) -> None:
    for selector in selectors:
        page.locator(selector).first.wait_for(state="visible", timeout=30_000)


def first_pages_running(browser, script: Path, selectors: tuple[str, ...], contexts: int) -> list[float]:
    """New users' first pages on a server that has started and has had no request yet."""
    from ui.serve import SCENARIO_WARM_UP_AFTER_S

    with sc.Server(workdir(), script, wait="log") as server:
        # Started, and given time: a server that has been up a while, its later warm-up
        # (SciPy, a few seconds after the start) done, as memory_figures waits for it too.
        time.sleep(SCENARIO_WARM_UP_AFTER_S + 2)
        times = []
        for _ in range(contexts):
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
            page = context.new_page()
            start = time.perf_counter()
            page.goto(server.url + "/")
            wait_rendered(page, selectors)
            times.append((time.perf_counter() - start) * 1000)
            context.close()
    return times


def first_page_running(browser, contexts: int = 5) -> None:
    app = first_pages_running(browser, sc.APP, APP_RENDERED, contexts)
    empty = first_pages_running(browser, empty_app(), EMPTY_RENDERED, contexts)
    context = f"empty app {statistics.median(empty):.0f} ms; the very first: {app[0]:.0f} ms"
    row(f"first page, running server, Chromium (median of {contexts}), ms", f"{statistics.median(app):.0f}",
        context, f"<= {TARGETS['first_page_running']:.0f} ms")  # fmt: skip


def first_pages_fresh(browser, script: Path, selectors: tuple[str, ...], repeats: int) -> tuple[list[float], ...]:
    """From starting the server process to the first page rendered: (rendered, answered,
    loaded) times. The server is asked whether it is up as a start script asks (its health
    address, every 50 ms), and the browser opens the page once it is: a browser retrying a
    refused page twenty times a second competes with the starting server for the two
    cores (0.4-0.6 s later, measured)."""
    times: tuple[list[float], ...] = ([], [], [])
    for _ in range(repeats):
        # The browser's window is open before the server starts, as a user's is (a new
        # context takes Chromium 0.15-0.2 s, which is not the server's).
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        page = context.new_page()
        with sc.Server(workdir(), script, wait="health") as server:
            answered = time.perf_counter()
            page.goto(server.url + "/")
            loaded = time.perf_counter()
            wait_rendered(page, selectors)
            for kept, at in zip(times, (time.perf_counter(), answered, loaded), strict=True):
                kept.append((at - server.started) * 1000)
        context.close()
    return times


def first_page_fresh(browser, repeats: int) -> None:
    rendered, answered, loaded = first_pages_fresh(browser, sc.APP, APP_RENDERED, repeats)
    empty, _, _ = first_pages_fresh(browser, empty_app(), EMPTY_RENDERED, repeats)
    context = (f"empty app {statistics.median(empty):.0f} ms; answered at {statistics.median(answered):.0f}, "
               f"loaded at {statistics.median(loaded):.0f}")  # fmt: skip
    row(f"first page, fresh server process, Chromium (median of {repeats}), ms", f"{statistics.median(rendered):.0f}",
        context, f"<= {TARGETS['first_page_fresh']:.0f} ms")  # fmt: skip


def slider_redraw(browser, repeats: int) -> None:
    with sc.Server(workdir()) as server:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(server.url + "/")
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=30_000)
        thumb = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").first.get_by_role("slider")
        redraw = []
        for i in range(repeats * 2):
            before = page.locator("[data-testid='stMetricValue']").first.inner_text()
            thumb.focus()
            start = time.perf_counter()
            thumb.press("ArrowLeft" if i % 2 else "ArrowRight")
            page.wait_for_function(
                "b => document.querySelector(\"[data-testid='stMetricValue']\").innerText !== b",
                arg=before, timeout=10_000,
            )  # fmt: skip
            page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=10_000)
            redraw.append((time.perf_counter() - start) * 1000)
        page.close()
    row("slider release -> figures redrawn, Chromium, ms", f"{statistics.median(redraw):.0f}", "",
        f"<= {TARGETS['slider_chart']:.0f} ms")  # fmt: skip


def browser_figures(repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            first_page_running(browser)
            first_page_fresh(browser, repeats)
            slider_redraw(browser, repeats)
        finally:
            browser.close()


# --- memory and load (protocol clients, no browser) -------------------------------------


async def _protocol_reruns(server: sc.Server, path: str, key: str, values: list[float]) -> tuple[float, float]:
    """One session on `path` moving the slider `key` through `values` (the first five
    unmeasured): the median wall time of a rerun and the server's CPU per rerun, ms."""
    async with sc.Session(server.url) as session:
        await session.open(path)
        for value in values[:5]:
            await session.set_widgets({key: value})
        walls, cpu = [], server.cpu_seconds()
        for value in values[5:]:
            walls.append(await session.set_widgets({key: value}))
        return statistics.median(walls) * 1000, (server.cpu_seconds() - cpu) / len(walls) * 1000


def protocol_reruns(moves: int = 60) -> None:
    """Slider reruns on an idle real server, over Streamlit's protocol: what a browser waits
    for (the server's work, its messages and their delivery), beside the empty app served
    the same way. An independent check of the AppTest figures."""
    with sc.Server(workdir(), empty_app()) as server:
        floor = asyncio.run(_protocol_reruns(server, "/", "x", list(np.linspace(1, 49, moves + 5))))
    row("slider rerun over the protocol, idle server: empty app, wall / server CPU ms",
        f"{floor[0]:.1f} / {floor[1]:.1f}", "the floor")  # fmt: skip
    with sc.Server(workdir(), sidebar_app()) as server:
        wall, cpu = asyncio.run(_protocol_reruns(server, "/", "s3", list(np.linspace(1, 49, moves + 5))))
    row("slider rerun over the protocol, idle server: the sidebar's widgets alone (no app code), wall / CPU ms",
        f"{wall:.1f} / {cpu:.1f}", f"{wall / floor[0]:.1f}x / {cpu / max(floor[1], 1e-9):.1f}x floor")  # fmt: skip
    plan = model.load_plan()
    with sc.Server(workdir(), sc.APP, db=save_scenarios(workdir() / "saved.sqlite3")) as server:
        # One sector per page, each value new: every move is a scenario no cache holds.
        for page, sector in zip(("", "scenario", "risk", "compare", "data", "method"), plan.sector_ids, strict=False):
            values = [float(v) for v in np.round(np.arange(-5.0, 40.0, 0.1), 1)[: moves + 5]]
            wall, cpu = asyncio.run(_protocol_reruns(server, f"/{page}", f"g.{sector}", values))
            what = (page or "overview") + (" (two scenarios compared)" if page == "compare" else "")
            row(f"slider rerun over the protocol, idle server: {what}, wall / server CPU ms",
                f"{wall:.1f} / {cpu:.1f}", f"{wall / floor[0]:.1f}x / {cpu / max(floor[1], 1e-9):.1f}x floor")  # fmt: skip


def memory_figures(counts: tuple[int, ...] = (1, 20, 50)) -> None:
    from ui.serve import SCENARIO_WARM_UP_AFTER_S

    rss = {}
    for name, script, user in (("empty app", empty_app(), load.EmptyUser), ("app", sc.APP, load.AppUser)):
        with sc.Server(workdir(), script) as server:
            # A server as it runs once started: the launcher's later warm-up (SciPy) has run,
            # so its memory is not counted as the sessions'.
            time.sleep(SCENARIO_WARM_UP_AFTER_S + 2)
            rss[name] = asyncio.run(load.memory(server, user, counts))
    low, high = counts[0], counts[-1]
    app, empty = rss["app"], rss["empty app"]
    row(f"server RSS with {', '.join(map(str, counts))} sessions, MB", ", ".join(f"{app[n]:.0f}" for n in counts),
        f"empty app {', '.join(f'{empty[n]:.0f}' for n in counts)}")  # fmt: skip
    row("memory per session, MB", f"{(app[high] - app[low]) / (high - low):.2f}",
        f"empty app {(empty[high] - empty[low]) / (high - low):.2f} MB", f"<= {TARGETS['session_mb']:.0f} MB")  # fmt: skip


def load_figures(profile: load.Profile, empty_measure_s: float) -> None:
    results = {}
    short = dataclasses.replace(profile, measure_s=empty_measure_s)
    for name, script, user, prof in (
        ("app", sc.APP, load.AppUser, profile),
        ("empty app", empty_app(), load.EmptyUser, short),
        ("sidebar alone", sidebar_app(), load.SidebarUser, short),
    ):
        print(f"load: {name}, {prof.users} users, ramp-up {prof.ramp_s:.0f} s, measured {prof.measure_s:.0f} s ...",
              file=sys.stderr, flush=True)  # fmt: skip
        with sc.Server(workdir(), script) as server:
            results[name] = asyncio.run(load.drive(server, prof, user))
            if "Traceback" in server.log_tail(10**7):
                print(f"the {name}'s server log has a traceback:\n{server.log_tail()}", file=sys.stderr)
    app, empty, sidebar = results["app"], results["empty app"], results["sidebar alone"]
    head = f"load {profile.users} users"
    for s in app.by_kind():
        row(f"{head}: {s.kind} (n={s.n}), p50/p95/max ms", f"{s.p50 * 1000:.0f} / {s.p95 * 1000:.0f} / {s.max * 1000:.0f}",
            f"{s.errors} errors" if s.errors else "", f"p95 <= {TARGETS['load_p95']:.0f} ms")  # fmt: skip
    a, e = app.overall, empty.overall
    row(f"{head}: every action (n={a.n}), p50/p95/max ms", f"{a.p50 * 1000:.0f} / {a.p95 * 1000:.0f} / {a.max * 1000:.0f}",
        f"empty app {e.p50 * 1000:.0f} / {e.p95 * 1000:.0f} / {e.max * 1000:.0f}",
        f"p95 <= {TARGETS['load_p95']:.0f} ms")  # fmt: skip
    for name, result in results.items():
        first = (result.errors[0].error or "") if result.errors else ""
        row(f"{head}: errors, {name} (whole run, {len(result.actions)} actions)", str(len(result.errors)),
            first[:60] + (f"; {result.stuck_users} users stuck" if result.stuck_users else ""), "0")  # fmt: skip
        for action in result.errors[:5]:
            print(f"  {name} error in {action.kind!r}: {action.error}", file=sys.stderr)
    row(f"{head}: throughput, actions/s", f"{app.throughput:.2f}", f"empty app {empty.throughput:.2f}")
    ratio = app.server_cpu_per_action_ms / max(empty.server_cpu_per_action_ms, 1e-9)
    row(f"{head}: server CPU per action, ms", f"{app.server_cpu_per_action_ms:.0f}",
        f"empty app {empty.server_cpu_per_action_ms:.0f} ms (measured {empty.profile.measure_s:.0f} s): {ratio:.1f}x",
        f"<= {TARGETS['cpu_ratio']:.0f}x floor")  # fmt: skip
    alone = sidebar.server_cpu_per_action_ms
    row(f"{head}: server CPU per action, the sidebar's widgets alone (no app code), ms", f"{alone:.0f}",
        f"{alone / max(empty.server_cpu_per_action_ms, 1e-9):.1f}x the empty app: Streamlit's own, before the app's")  # fmt: skip
    window = app.profile.measure_s
    row(f"{head}: server CPU in the measured {window:.0f} s", f"{app.server_cpu_s:.0f} s",
        f"{100 * app.server_cpu_s / window:.0f}% of one core; RSS at the end {app.server_rss_mb:.0f} MB")  # fmt: skip
    row(f"{head}: load generator's own CPU, same window", f"{app.generator_cpu_s:.1f} s",
        f"{100 * app.generator_cpu_s / window:.0f}% of one core (empty app run: {empty.generator_cpu_s:.1f} s)")  # fmt: skip
    others = app.machine_cpu_s - app.server_cpu_s - app.generator_cpu_s
    row(f"{head}: other processes' CPU, same window", f"{others:.0f} s",
        f"{others / window:.2f} of {os.cpu_count()} cores busy with other work (machine shared)")  # fmt: skip


def where_figures(profile: load.Profile) -> None:
    """Which share of the loaded app server's CPU is Streamlit's own work and which the app's
    (where.py), beside the empty app's CPU per action under the same load: what the CPU
    target leaves for the app once Streamlit has drawn what the pages show."""
    py_spy = Path(sys.executable).parent / "py-spy"
    if not py_spy.exists():
        row("where the server's CPU goes", "not measured", "py-spy is missing: scripts/setup.sh dev installs it")
        return
    out = workdir() / "where.raw"
    out.unlink(missing_ok=True)

    async def sampled(server: sc.Server) -> tuple[load.LoadResult, str]:
        async def spy() -> str:
            await asyncio.sleep(profile.ramp_s)  # the measured window
            process = where.record(where.busiest(server.processes()), profile.measure_s, out, str(py_spy))
            _, error = await asyncio.to_thread(process.communicate)
            return "" if process.returncode == 0 else error.decode(errors="replace").strip()

        spying = asyncio.create_task(spy())
        result = await load.drive(server, profile, load.AppUser)
        return result, await spying

    print(f"where: app under py-spy, {profile.users} users ...", file=sys.stderr, flush=True)
    with sc.Server(workdir(), sc.APP) as server:
        app, error = asyncio.run(sampled(server))
    if error or not out.exists():
        row(
            "where the server's CPU goes", "not measured", f"py-spy: {error.splitlines()[-1] if error else 'no output'}"
        )
        return
    print(f"where: empty app, {profile.users} users ...", file=sys.stderr, flush=True)
    with sc.Server(workdir(), empty_app()) as server:
        empty = asyncio.run(load.drive(server, profile, load.EmptyUser))
    shares = where.shares(out.read_text(), ROOT, sc.APP)
    per_action, floor = app.server_cpu_per_action_ms, empty.server_cpu_per_action_ms
    head = f"where the server's CPU goes, {profile.users} users"
    for kind in where.KINDS:
        row(f"{head}: {kind}", f"{shares[kind]:.0%}", f"{shares[kind] * per_action:.1f} ms an action")
    own = sum(shares[kind] for kind in where.STREAMLIT_OWN) * per_action
    row(f"{head}: Streamlit's own work, with no app code", f"{own:.1f} ms an action",
        f"{own / max(floor, 1e-9):.1f}x the empty app's {floor:.1f} ms (whole app: {per_action:.1f} ms, "
        f"{per_action / max(floor, 1e-9):.1f}x)", f"the app's CPU target: <= {TARGETS['cpu_ratio']:.0f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--quick", action="store_true", help="model and server-side reruns only")
    only.add_argument("--first-page", action="store_true", help="the Chromium figures only")
    only.add_argument(
        "--load", action="store_true", help="reruns over the protocol, memory, then the load run (50 users, 1 + 5 min)"
    )
    only.add_argument(
        "--load-quick", action="store_true", help="reruns over the protocol, memory, then a short load run"
    )
    only.add_argument(
        "--where", action="store_true", help="the share of a loaded server's CPU that is Streamlit's own (py-spy)"
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--hostile", action="store_true", help="only hostile input: upload CPU, worst plan memory")
    args = parser.parse_args()
    if args.hostile:
        from tests.benchmarks import hostile  # only for this flag

        hostile.main()
        return
    everything = not (args.quick or args.first_page or args.load or args.load_quick or args.where)
    print(f"load average at the start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)", file=sys.stderr)
    if everything or args.quick:
        monte_carlo(args.repeats * 2)
        monte_carlo_slider_move(args.repeats * 2)
        rerun_times(args.repeats)
    if everything or args.first_page:
        browser_figures(max(3, args.repeats // 5))
    if everything or args.load or args.load_quick:
        protocol_reruns()
        memory_figures()
        if args.load_quick:
            load_figures(load.QUICK, load.QUICK.measure_s)
        else:
            load_figures(load.FULL, EMPTY_MEASURE_S)
    if everything or args.load or args.where:
        where_figures(load.WHERE)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print_table()


if __name__ == "__main__":
    main()
