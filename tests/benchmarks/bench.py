"""Speed and memory, measured against their floors (DESIGN.md section 8). Not a test: it prints.

    .venv/bin/python tests/benchmarks/bench.py            # everything (needs /usr/bin/chromium)
    .venv/bin/python tests/benchmarks/bench.py --quick    # no browser parts

Each figure is a median over repeated runs on this machine, printed beside its floor:
- server-side rerun after a slider change, per page (AppTest), beside an empty Streamlit
  page with one slider, measured the same way in the same run; every rerun moves the
  slider to a value not used before in the run, so no cached result is reused;
- Monte Carlo, 10,000 paths x all sectors x 10 years, beside a bare numpy draw of the
  same size (a fresh seed each time, so the draws are never cached);
- a user's first page on a running server (started the way scripts/run.sh starts it and
  left to start, no request before), in fresh Chromium contexts, one per server;
- a fresh process's first rendered page in Chromium; slider release to chart redrawn;
- memory per session (server RSS growth per extra browser session).

A page counts as rendered when its key figures and its first chart are drawn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import model  # noqa: E402

PAGES = sorted(f"views/{path.name}" for path in (ROOT / "views").glob("*.py"))
TARGETS = {
    "rerun_x": 10.0,  # a page's slider rerun, in multiples of the empty page's
    "rerun_risk_x": 20.0,  # the Risk page's (a simulation and four charts)
    "mc": 50.0,
    "first_page_running": 1500.0,  # a user's first page on a server already started
    "first_page": 3000.0,  # a fresh process's first page
    "slider_chart": 300.0,
    "session_mb": 30.0,
}
SERVE = ROOT / "scripts" / "serve.sh"  # what scripts/run.sh runs once everything is installed
RENDERED = "[data-testid='stMetricValue']"
CHART_DRAWN = "[data-testid='stVegaLiteChart'] .marks"  # Vega's SVG (or canvas) once drawn
EMPTY_PAGE = "import streamlit as st\nst.slider('x', 0.0, 50.0, 10.0, key='x')\n"


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


def row(name: str, value: float, floor: str, target: str) -> None:
    print(f"{name:<44} {value:>9.1f}   {floor:<28} {target}")


def rerun_times(repeats: int) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ.setdefault("EXPORT_PLANNER_DB", str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text(EMPTY_PAGE)
    floor_app = AppTest.from_file(str(empty)).run()
    values = iter(np.linspace(1, 49, 10_000))
    floor, floor_cpu = median_wall_and_cpu_ms(
        lambda: floor_app.slider(key="x").set_value(float(next(values))).run(), repeats
    )
    row("empty page rerun (floor), ms", floor, f"cpu {floor_cpu:.1f} ms", "")
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
        row(
            f"slider rerun {Path(page).stem}, ms",
            ms,
            f"{ms / floor:.1f}x floor (cpu {cpu / floor_cpu:.1f}x)",
            f"target <= {limit:.0f}x floor",
        )


def monte_carlo(repeats: int) -> None:
    plan = model.load_plan()
    sc = model.Scenario.from_query({"h": "2030"}, plan)
    n_years, n_sectors = sc.h - sc.base, len(plan.sectors)
    seeds = iter(range(10_000))
    mc = median_ms(lambda: model.simulate(plan, sc, n=10_000, seed=next(seeds)), repeats)
    bare = median_ms(lambda: np.random.default_rng(1).standard_normal((10_000, n_years, n_sectors + 1)), repeats)
    row(
        f"Monte Carlo 10k x {n_sectors} x {n_years} yrs, new seed, ms",
        mc,
        f"bare numpy draw {bare:.1f} ms",
        f"target <= {TARGETS['mc']:.0f} ms",
    )


def monte_carlo_slider_move(repeats: int) -> None:
    """A slider move: the same seed and size, another growth; the draws come from the cache."""
    plan = model.load_plan()
    sc = model.Scenario.from_query({"h": "2030"}, plan)
    model.simulate(plan, sc, n=10_000, seed=1)  # draws the random numbers once
    uplifts = iter(np.arange(0.1, 1000.0, 0.1))
    mc = median_ms(lambda: model.simulate(plan, sc.with_uplift(float(next(uplifts))), n=10_000, seed=1), repeats)
    row("Monte Carlo, slider move (cached draws), ms", mc, "", f"target <= {TARGETS['mc']:.0f} ms")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """A server started as scripts/run.sh starts it (without its install step), on `port`."""
    env = dict(os.environ, EXPORT_PLANNER_DB=str(Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    if SERVE.exists():
        env.update(PORT=str(port), ADDRESS="127.0.0.1")
        cmd = [str(SERVE)]
    else:  # a tree from before the launcher: what scripts/run.sh ran then
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def wait_listening(port: int, timeout_s: float = 60.0) -> None:
    """Until the port accepts a connection: no HTTP request, so no session and no script run."""
    import socket

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout_s} s")


def open_rendered(page, url: str) -> None:
    """Open `url` and wait until its key figures and its first chart are drawn."""
    page.goto(url, timeout=30_000)
    page.wait_for_selector(RENDERED, timeout=30_000)
    page.wait_for_selector(CHART_DRAWN, timeout=30_000)


def first_page_running(browser, repeats: int, settle_s: float = 3.0) -> None:
    """A user's first page on a server that has started and had no request yet: one fresh
    server and one fresh browser context per sample; the clock starts at the request."""
    first = []
    for _ in range(repeats):
        port = free_port()
        proc = start_server(port)
        try:
            wait_listening(port)
            time.sleep(settle_s)  # "given time to start": whatever start-up still does
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            open_rendered(page, f"http://127.0.0.1:{port}/")
            first.append((time.perf_counter() - start) * 1000)
            context.close()
        finally:
            stop_server(proc)
    row(
        "running server -> a user's first page, ms",
        statistics.median(first),
        f"{len(first)} servers, fresh contexts",
        f"target <= {TARGETS['first_page_running']:.0f} ms",
    )


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=10)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browser_figures(repeats: int) -> None:
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        first_page_running(browser, 5)
        first = []
        for _ in range(repeats):
            port = free_port()
            start = time.perf_counter()
            proc = start_server(port)
            page = browser.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                    break
                except Exception:
                    time.sleep(0.05)
            page.wait_for_selector(RENDERED, timeout=30_000)
            page.wait_for_selector(CHART_DRAWN, timeout=30_000)
            first.append((time.perf_counter() - start) * 1000)
            page.close()
            stop_server(proc)
        row(
            "fresh process -> first page rendered, ms",
            statistics.median(first),
            "(includes Python start)",
            f"target <= {TARGETS['first_page']:.0f} ms",
        )

        port = free_port()
        proc = start_server(port)
        wait_listening(port)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
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
                arg=before,
                timeout=10_000,
            )
            page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=10_000)
            redraw.append((time.perf_counter() - start) * 1000)
        row(
            "slider release -> figures and chart redrawn, ms",
            statistics.median(redraw),
            "",
            f"target <= {TARGETS['slider_chart']:.0f} ms",
        )

        base_rss = rss_mb(proc.pid)
        contexts = []
        for _ in range(5):
            ctx = browser.new_context()
            extra = ctx.new_page()
            extra.goto(f"http://127.0.0.1:{port}/risk")
            extra.wait_for_selector("h2", timeout=30_000)
            contexts.append(ctx)
        time.sleep(1)
        per_session = (rss_mb(proc.pid) - base_rss) / len(contexts)
        row(
            "memory per extra session, MB",
            per_session,
            f"server RSS {base_rss:.0f} MB at 1",
            f"target <= {TARGETS['session_mb']:.0f} MB",
        )
        for ctx in contexts:
            ctx.close()
        stop_server(proc)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the browser measurements")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"{'measure':<44} {'median':>9}   {'floor':<28} target")
    monte_carlo(args.repeats * 2)
    monte_carlo_slider_move(args.repeats * 2)
    rerun_times(args.repeats)
    if not args.quick:
        browser_figures(max(3, args.repeats // 5))


if __name__ == "__main__":
    main()
