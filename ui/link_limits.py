"""Links that Streamlit would ignore whole: too many parameters, or too many characters.

Streamlit 1.67 drops a query with more than 1,000 parameters or more than 512 Ki characters
without a word, before the script runs (the script never sees it): the page would open the
default scenario as if the link were empty, which the link contract forbids (repair, and
say what was changed). Streamlit has no setting for this, so `install()` wraps the
function it drops such queries with, and gives back instead:
- up to MAX_LINK_CHARS, the parameters the app knows (the last value of each: link keys,
  scenario parameters, growth of a bundled plan's sector), where the link repair reads
  them like any other link;
- beyond, nothing: the default scenario opens;
and in both cases one more parameter, MARKER, saying what was done. `recover()` (on a
session's first run) takes it out of the address bar and turns it into a `Repair`
(too_many_params, link_too_long) that the link repair notice lists first.

`install()` runs when the server starts (ui/serve.py, used by scripts/run.sh) and again
on every page run (app.py; a server started with plain `streamlit run` repairs from its
second run on). A test checks that Streamlit still drops such links through this function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from model import Repair
from model.params import PARAMS
from model.scenario import LINK_KEYS

MAX_LINK_CHARS = 64 * 1024  # a full link of this app is about 1 KB
STREAMLIT_MAX_FIELDS = 1_000  # Streamlit ignores a query with more parameters than this
STREAMLIT_MAX_CHARS = 512 * 1024  # ... or more characters than this
MARKER = "_link_limits"  # "<parameters>.<kept>" or "long.<characters>"
CHECKED_KEY = "_link_limits_checked"
REPAIRS_KEY = "_link_limits_repairs"


def ignored_by_streamlit(query: str) -> bool:
    return query.count("&") + 1 > STREAMLIT_MAX_FIELDS or len(query) > STREAMLIT_MAX_CHARS


def known_params(query: str, sector_ids: Iterable[str]) -> tuple[dict[str, str] | None, Repair]:
    """The parameters of `query` the app knows (None: too long to read) and the repair to announce."""
    if len(query) > MAX_LINK_CHARS:
        return None, Repair("", str(len(query)), "link_too_long")
    known = set(LINK_KEYS) | {p.key for p in PARAMS} | {f"g.{sid}" for sid in sector_ids}
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = {key: value for key, value in pairs if key in known}  # a later value replaces an earlier one
    return kept, Repair("", str(len(pairs)), "too_many_params", str(len(kept)))


def repaired_query(query: str, sector_ids: Iterable[str]) -> str:
    """What the app reads instead of a query Streamlit would ignore."""
    kept, repair = known_params(query, sector_ids)
    marker = f"{repair.raw}.{repair.value}" if kept is not None else f"long.{repair.raw}"
    return urlencode({**(kept or {}), MARKER: marker})


def _bundled_sector_ids() -> set[str]:
    from ui import session  # no Streamlit call: safe outside a script run

    return {s.id for pid in session.bundled_plans() for s in session.bundled_plan(pid).sectors}


def install() -> None:
    """Make Streamlit hand such queries to the app repaired (idempotent)."""
    from streamlit.runtime import app_session
    from streamlit.runtime.state import query_params

    for module in (app_session, query_params):
        unbounded: Callable[[str], str] = module.sanitize_query_string
        if getattr(unbounded, "repairs_links", False):
            continue

        def sanitize(query: str, unbounded: Callable[[str], str] = unbounded) -> str:
            if query and ignored_by_streamlit(query):
                return repaired_query(query, _bundled_sector_ids())
            return unbounded(query)

        sanitize.repairs_links = True  # type: ignore[attr-defined]
        module.sanitize_query_string = sanitize  # type: ignore[attr-defined]


def recover() -> None:
    """On a session's first run: turn the marker of a repaired query into its repair."""
    if st.session_state.get(CHECKED_KEY):
        return
    st.session_state[CHECKED_KEY] = True
    marker = st.query_params.get(MARKER)
    if marker is None:
        return
    del st.query_params[MARKER]
    first, _, second = marker.partition(".")
    if first == "long":
        repair = Repair("", second[:12], "link_too_long")
    else:
        repair = Repair("", first[:12], "too_many_params", second[:12])
    st.session_state[REPAIRS_KEY] = (repair,)


def repairs() -> list[Repair]:
    """The repair `recover` found, once (the link repair notice lists it first)."""
    return list(st.session_state.pop(REPAIRS_KEY, ()))
