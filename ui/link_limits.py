"""Links that Streamlit would ignore whole: too many parameters, or too many characters.

Streamlit 1.67 drops a query with more than 1,000 parameters or more than 512 Ki characters
without a word: the page would open the default scenario as if the link were empty, which
the link contract forbids (repair, and say what was changed). So on a session's first run,
before the plan is chosen, `recover()` reads the query Streamlit ignored:
- up to MAX_LINK_CHARS, the parameters the app knows are kept (the last value of each:
  link keys, scenario parameters, growth of a bundled plan's sector) and put back in the
  address bar, where the link repair reads them like any other link; the rest is dropped;
- a longer query is not read at all: the default scenario opens.
Either way one `Repair` says so (too_many_params, link_too_long), shown with the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl

import streamlit as st

from model import Repair
from model.params import PARAMS
from model.scenario import LINK_KEYS

MAX_LINK_CHARS = 64 * 1024  # a full link of this app is about 1 KB
STREAMLIT_MAX_FIELDS = 1_000  # Streamlit ignores a query with more parameters than this
STREAMLIT_MAX_CHARS = 512 * 1024  # ... or more characters than this
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


def recover() -> None:
    """On a session's first run: put back what the app can keep of a query Streamlit ignored."""
    if st.session_state.get(CHECKED_KEY):
        return
    st.session_state[CHECKED_KEY] = True
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    query = ctx.query_string if ctx is not None else ""
    if not query or st.query_params or not ignored_by_streamlit(query):
        return
    from ui import session  # the bundled plans' sectors: a link's plan is not chosen yet

    sector_ids = {s.id for pid in session.bundled_plans() for s in session.bundled_plan(pid).sectors}
    kept, repair = known_params(query, sector_ids)
    if kept:
        st.query_params.from_dict(kept)
    st.session_state[REPAIRS_KEY] = (repair,)


def repairs() -> list[Repair]:
    """The repair `recover` made, once (the link repair notice lists it first)."""
    return list(st.session_state.pop(REPAIRS_KEY, ()))
