"""Sessions at once on one server: no leaks between them, every save kept.

Five sessions, each a `Session` of tests/streamlit_client.py speaking Streamlit's own
protocol to a fresh server (no browser), run concurrently in one event loop: each opens
its own scenario (a distinct textiles growth and shock in the link), moves the recovery
slider (2 -> 3), visits Risk and Compare, saves a scenario under its own name, and goes
back to the overview; sessions 0 and 3 first upload their own sectors file on the Data
page (a plan for that session only). Then each session's 2025 figure and share link must
be those of ITS OWN scenario and data (model.project), and the five saves must all be in
the store, each with its own session's parameters; a sixth session sends a message larger
than the server accepts and is disconnected, the others going on. Correctness only: the timings are the benchmark's job
(tests/benchmarks/bench.py --load).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, urlsplit

import pytest
import streamlit_client as sc

import model
from model.store import ScenarioStore
from model.upload import plan_with_upload, template_csv
from ui import format as fmt
from ui.session import UPLOAD_KEY
from ui.text import t

SESSIONS = 5
UPLOADS = {0, 3}  # sessions that replace the plan's sectors with their own file
TEXTILES_BASE = "903,64"  # in the bundled plan's Vietnamese sectors template


def link_params(i: int) -> dict[str, str]:
    return {"g.textiles": f"{6 + 1.5 * i:g}", "shock": str(3 * i + 1)}


def expected_scenario(i: int) -> model.Scenario:
    """Session i's scenario: its link, and the recovery slider moved to 3."""
    return model.Scenario.from_query(link_params(i) | {"rec": "3"}, model.load_plan())


def upload_bytes(i: int) -> bytes:
    template = template_csv(model.load_plan(), "sectors", "vi")
    assert TEXTILES_BASE.encode() in template
    return template.replace(TEXTILES_BASE.encode(), f"{1000 + 10 * i},00".encode())


def expected_plan(i: int) -> model.Plan:
    plan = model.load_plan()
    if i not in UPLOADS:
        return plan
    uploaded, problems = plan_with_upload(plan, f"load-{i}.csv", upload_bytes(i))
    assert uploaded is not None, problems
    return uploaded


async def visit(url: str, i: int) -> tuple[str | None, str | None]:
    """Session i's visit; returns (the overview's figure for the target year, the share link)."""
    query = "&".join(f"{k}={v}" for k, v in link_params(i).items())
    async with sc.Session(url, timeout_s=60) as session:
        await session.open(f"/?{query}")
        if i in UPLOADS:
            await session.switch_page("data")
            await session.upload(UPLOAD_KEY, f"load-{i}.csv", upload_bytes(i))
            applied = t("data.applied", "vi", fingerprint=expected_plan(i).fingerprint)
            assert applied in sc.success_messages(session.view), sc.success_messages(session.view)
        await session.switch_page("risk")
        await session.set_widgets({sc.REC: 3})  # a rerun of the Risk page sends its own widgets too
        await session.switch_page("compare")
        await session.open_section(sc.SAVE_BOX)
        await session.submit_form(sc.SAVE_FORM, {sc.SAVE_NAME: f"Phiên {i}", sc.SAVE_NOTE: f"ghi chú {i}"})
        assert any(f"Phiên {i}" in m for m in sc.success_messages(session.view)), sc.success_messages(session.view)
        await session.switch_page("")
        await session.open_section(sc.SHARE_BOX)
        label = t("kpi.total", "vi", year=expected_scenario(i).ty)
        return sc.metric(session.view, label), sc.share_link(session.view)


async def oversized(url: str) -> str:
    """A session that sends a widget value larger than a message may hold (the server's
    `maxWidgetStateSize`, 2 MB): the server closes its connection, and only its."""
    async with sc.Session(url) as session:
        await session.open("/")
        await session.open_section(sc.SAVE_BOX)
        with pytest.raises(sc.Disconnected) as closed:
            await session.set_widgets({sc.SAVE_NAME: "x" * 2_100_000})
        return str(closed.value)


async def visit_all(url: str) -> tuple[list[tuple[str | None, str | None]], str]:
    *visits, refused = await asyncio.gather(*(visit(url, i) for i in range(SESSIONS)), oversized(url))
    return visits, refused


@pytest.mark.timeout(120)
def test_concurrent_sessions_see_their_own_scenario_and_all_saves_are_kept(tmp_path):
    want = [fmt.number(model.project(expected_plan(i), expected_scenario(i)).target_year_total, "vi")
            for i in range(SESSIONS)]  # fmt: skip
    assert len(set(want)) == SESSIONS  # every session has a figure of its own

    with sc.Server(tmp_path) as server:
        # In a thread of its own: the browser tests' Playwright keeps an event loop running in
        # this one when the whole suite runs.
        with ThreadPoolExecutor(max_workers=1) as thread:
            results, refused = thread.submit(asyncio.run, visit_all(server.url)).result()
        log = server.log_tail(10**7)
        assert server.proc.poll() is None, "the server died"

    assert "code=1009" in refused, refused  # "message too big"
    assert [figure for figure, _ in results] == want, "a session shows another scenario's numbers"
    for i, (_, link) in enumerate(results):
        query = dict(parse_qsl(urlsplit(link or "").query))
        assert query.pop("data", None) == expected_plan(i).fingerprint, (i, link)
        assert model.Scenario.from_query(query).to_query() == expected_scenario(i).to_query(), (i, link)

    store = ScenarioStore(server.db)
    saved = {s.name: s for s in store.list()}
    assert sorted(saved) == sorted(f"Phiên {i}" for i in range(SESSIONS))
    for i in range(SESSIONS):
        query, params = saved[f"Phiên {i}"].query, link_params(i)
        assert float(query["g.textiles"]) == float(params["g.textiles"]), (i, query)
        assert float(query["shock"]) == float(params["shock"]), (i, query)
        assert int(query["rec"]) == 3, (i, query)
        assert saved[f"Phiên {i}"].note == f"ghi chú {i}"
    assert store.integrity_check()
    assert "Traceback" not in log, log[-4000:]
