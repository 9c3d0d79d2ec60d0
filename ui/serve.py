"""Start the planner: the bounds on hostile input and the heavy imports first, then
Streamlit's own `streamlit run app.py`.

`streamlit run app.py` starts a server that imports nothing of the app until a browser
asks for a page: the first user then waits while pandas, Altair, Arrow support, the model
and the chart code are imported and their lazy parts (locale data, the chart schema) are
loaded. This launcher does that work before the server listens, in the same process, and
then hands over to Streamlit's command line with the same options, so every run finds it
done (in a thread beside the starting server, it slowed the server's start and the first
page more than it saved: one core at a time runs Python). SciPy's optimisers, which only
the Scenario page uses, are imported a few seconds after the start, in a thread:

    python -m ui.serve --server.port 8501 --server.address 0.0.0.0   # any `streamlit run` option

scripts/serve.sh (what scripts/run.sh runs once everything is installed) uses it.

ui/upload_limits.py and ui/link_limits.py wrap parts of Streamlit that handle requests before
any page runs; installed here, they hold from the server's first request on (app.py installs
them too, for a server started with plain `streamlit run`). The launcher also has the
server's connections send small messages at once (see send_small_messages_at_once), which
only a launcher can do: the socket exists before any page runs.
"""

from __future__ import annotations

import functools
import gc
import inspect
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
# Streamlit warns when a cached function is defined before its runtime exists; the caches
# are created on first use, by then inside the runtime, so the warning does not apply here.
_CACHE_LOGGERS = ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api")


def preload() -> float:
    """Import what a page run imports. Returns the seconds it took."""
    start = time.perf_counter()
    import streamlit  # noqa: F401 (sets up its loggers, which the next lines quieten)

    quiet = [logging.getLogger(name) for name in _CACHE_LOGGERS]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.ERROR)
    try:
        _import_all()
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    return time.perf_counter() - start


def warm_up() -> None:
    """Run the first page's pure code once: the default plan's projection and simulation,
    whose random numbers stay cached; numbers in both languages; the overview chart's spec;
    the module-to-file map Streamlit's first element needs."""
    _guarded(_first_page_once)


# SciPy's optimisers (the Scenario page's fitted preset and goal seek) take 0.3 s to import,
# which the page's first visitor paid. Imported before the server listens, they delayed a
# fresh server's first page by more than that (a browser loading the page on the same two
# cores); so they are imported in a thread this long after the server has started, when its
# first page has been served.
SCENARIO_WARM_UP_AFTER_S = 5.0


def warm_up_scenario_page() -> None:
    """Every plan's calibration and goal seek, once (importing SciPy's optimisers)."""
    _guarded(_scenario_page_once)


def _guarded(warm: Callable[[], None]) -> None:
    """A warm-up, then what it loaded (it lives as long as the process) moved out of the
    garbage collector's sight: a full collection no longer walks it (about 1 ms of a rerun,
    averaged over reruns). Whatever else exists then is frozen too: at the later warm-up, at
    most the objects of a session or two opened in the first seconds, which are freed when
    unreferenced but not collected as cycles. A failure is logged: the server runs anyway,
    and a user pays."""
    try:
        warm()
    except Exception:
        logging.getLogger(__name__).exception("the warm-up run failed")
    gc.freeze()


def _import_all() -> None:
    import altair  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import model  # noqa: F401
    from ui import (  # noqa: F401
        charts,
        components,
        controls,
        exports,
        link_limits,
        problems,
        saving,
        session,
        text,
        upload_limits,  # noqa: F401 (app.py's imports)
    )


def _first_page_once() -> None:
    import model
    from ui import charts, session
    from ui import format as fmt

    plan = session.bundled_plan(session.default_plan_id())  # loads every bundled plan
    sc = model.Scenario.default(plan)
    proj = model.project(plan, sc)
    model.simulate(plan, sc, n=sc.n, seed=sc.seed)
    for lang in ("vi", "en"):
        fmt.number(proj.target_year_total, lang)
    for lang in ("vi", "en"):  # the overview chart's shape, made once and kept (charts.ChartSpec)
        charts.overview_chart(proj, plan, sc, lang).spec()
    # Streamlit's first element in a process looks at the call stack (is this a REPL?),
    # which makes Python map every loaded module to its file: ~0.1 s, done here instead.
    inspect.stack()


def _scenario_page_once() -> None:
    import model
    from ui import session

    for plan_id in session.bundled_plans():
        plan = session.bundled_plan(plan_id)
        model.calibrate(plan, model.Scenario.default(plan))
        model.required_uplift_pp(plan, model.Scenario.default(plan))


def send_small_messages_at_once() -> bool:
    """Make every connection the server accepts send a small message at once (TCP_NODELAY).
    Returns False, with a warning, when this Streamlit binds its socket elsewhere.

    A rerun sends a few small messages in a row (status, session, the changed elements, the
    end of the run). asyncio turns off Nagle's algorithm only on sockets made with the TCP
    protocol number, and Streamlit makes its listening socket with the default (0), so its
    connections kept it: a small message written while the previous one was unacknowledged
    waited for the reader's delayed acknowledgement, 40 ms on Linux (up to 200 ms on
    Windows), on most reruns, behind a proxy too. Set on the listening socket, the option is
    inherited by each connection it accepts (Linux)."""
    try:
        from streamlit.web.server.starlette import starlette_server
    except ImportError:
        starlette_server = None  # type: ignore[assignment]
    bind = getattr(starlette_server, "_bind_socket", None)
    if bind is None:
        logging.getLogger(__name__).warning("Streamlit's socket not found: small messages may wait 40 ms or more")
        return False
    if getattr(bind, "sends_at_once", False):
        return True

    @functools.wraps(bind)
    def bind_sending_at_once(*args: object, **kwargs: object) -> socket.socket:
        sock = bind(*args, **kwargs)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # not a TCP socket after all: served as Streamlit serves it
            logging.getLogger(__name__).warning("TCP_NODELAY refused: small messages may wait 40 ms or more")
        return sock

    bind_sending_at_once.sends_at_once = True  # type: ignore[attr-defined]
    starlette_server._bind_socket = bind_sending_at_once
    return True


def run_streamlit(script: str | Path, argv: list[str]) -> None:
    """`streamlit run script` with these options, its connections sending at once."""
    send_small_messages_at_once()
    from streamlit.web import cli

    cli.main(args=["run", str(script), *argv], prog_name="streamlit")


def main(argv: list[str] | None = None) -> None:
    from ui import link_limits, upload_limits

    upload_limits.install()
    link_limits.install()
    start = time.perf_counter()
    preload()
    warm_up()
    print(f"Preloaded the app's modules in {time.perf_counter() - start:.1f} s.", file=sys.stderr)
    later = threading.Timer(SCENARIO_WARM_UP_AFTER_S, warm_up_scenario_page)
    later.daemon = True  # never keeps a stopping server alive
    later.start()
    run_streamlit(APP, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
