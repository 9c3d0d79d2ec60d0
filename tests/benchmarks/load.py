"""Load, memory per session: simulated users speaking Streamlit's protocol to a fresh server.

Not a test: bench.py runs it (--load, --load-quick) and prints the figures beside their
targets. Every simulated user is a `Session` of tests/streamlit_client.py (no browser), in
one asyncio loop of this process, on the same machine as the server (loopback only).

A user of the app opens a link (a scenario in the query string, a deep link to another
page now and then), then acts every `think_s` seconds on average (uniform random think
time, 0.5-1.5 x): moves a sector slider or the shock slider, switches page, saves a
scenario on the Compare page (the form's name and note, then its submit button) or
compares two scenarios there. After each action it reads back what the script drew:
the share link holds the value just set, the page shown is the one asked for, the saved
scenario's name is in the success message, the comparison's link lists two scenarios.
A user of the EMPTY app (one slider) opens a link and moves the slider: the server's
own cost per connection and rerun.

Users start evenly over the ramp-up; the measured window follows it; then every user
finishes its action and disconnects. An action's time is from the message sent to its
run's script_finished (opening a link: from the page's GET). An error is an exception,
a disconnect, a run that did not finish within `timeout_s`, an exception or unexpected
error alert in the deltas, or a read-back that does not match.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit_client as sc  # noqa: E402

OPEN = "open a link"


@dataclass(frozen=True)
class Profile:
    users: int
    ramp_s: float
    measure_s: float
    think_s: float = 5.0  # mean time between one user's actions
    timeout_s: float = 30.0  # one action


FULL = Profile(users=50, ramp_s=60, measure_s=300)
QUICK = Profile(users=20, ramp_s=15, measure_s=45)
WHERE = Profile(users=50, ramp_s=30, measure_s=60)  # the full load's users, sampled for a minute


@dataclass
class Action:
    kind: str
    start: float  # time.monotonic()
    seconds: float
    error: str | None


@dataclass
class Stats:
    kind: str
    n: int
    p50: float
    p95: float
    max: float
    errors: int


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def stats(kind: str, actions: list[Action]) -> Stats:
    times = [a.seconds for a in actions]
    return Stats(kind, len(actions), quantile(times, 0.5), quantile(times, 0.95), max(times),
                 sum(a.error is not None for a in actions))  # fmt: skip


@dataclass
class LoadResult:
    profile: Profile
    actions: list[Action]
    window: tuple[float, float]
    server_cpu_s: float  # in the measured window
    generator_cpu_s: float  # this process, in the measured window
    machine_cpu_s: float  # every process on the machine, in the measured window
    server_rss_mb: float  # at the end of the window
    stuck_users: int  # users that had not stopped by the hard deadline

    @property
    def measured(self) -> list[Action]:
        start, end = self.window
        return [a for a in self.actions if start <= a.start < end]

    def by_kind(self) -> list[Stats]:
        kinds = sorted({a.kind for a in self.measured}, key=lambda k: (k != OPEN, k))
        return [stats(k, [a for a in self.measured if a.kind == k]) for k in kinds]

    @property
    def overall(self) -> Stats:
        return stats("every action", self.measured)

    @property
    def errors(self) -> list[Action]:
        """Every failed action of the whole run (ramp-up and wind-down included)."""
        return [a for a in self.actions if a.error is not None]

    @property
    def throughput(self) -> float:
        return len(self.measured) / self.profile.measure_s

    @property
    def server_cpu_per_action_ms(self) -> float:
        return 1000 * self.server_cpu_s / max(1, len(self.measured))


class Run:
    """The clock and the record of one load run, shared by its users."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.t0 = time.monotonic()
        self.window = (self.t0 + profile.ramp_s, self.t0 + profile.ramp_s + profile.measure_s)
        self.actions: list[Action] = []

    def stopping(self) -> bool:
        return time.monotonic() >= self.window[1]

    async def think(self, rng: random.Random) -> None:
        pause = rng.uniform(0.5, 1.5) * self.profile.think_s
        await asyncio.sleep(max(0.0, min(pause, self.window[1] - time.monotonic())))

    async def act(self, kind: str, step: Callable[[], Awaitable[float]], check: Callable[[], str | None]) -> bool:
        """Run one action, record its time and whether it failed; True if it did not."""
        start = time.monotonic()
        try:
            seconds = await step()
            problem = check()
        except Exception as exc:  # any failure is the action's error, reported with its message
            seconds, problem = time.monotonic() - start, f"{type(exc).__name__}: {exc}"
        self.actions.append(Action(kind, start, seconds, problem))
        return problem is None


def _param(link: str | None, key: str) -> str | None:
    values = parse_qs(urlsplit(link or "").query).get(key)
    return values[0] if values else None


def _same_number(a: str | None, b: object) -> bool:
    try:
        return a is not None and abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]
    except ValueError:
        return False


class User:
    """One simulated user: opens a link, then acts until the run stops."""

    ACTIONS: dict[str, int] = {}  # action -> weight

    def __init__(self, i: int, run: Run, base_url: str) -> None:
        self.i, self.run, self.base_url = i, run, base_url
        self.rng = random.Random(i)
        self.session: sc.Session | None = None
        self.saved = 0

    async def live(self) -> None:
        await asyncio.sleep(self.run.profile.ramp_s * self.i / self.run.profile.users)
        try:
            while not self.run.stopping():
                if self.session is None:
                    await self.open()
                else:
                    await self.run.think(self.rng)
                    if not self.run.stopping():
                        await self.act()
                        if self.session is not None and not self.session.connected:  # reload the page
                            self.session = None
        finally:
            if self.session is not None:
                await self.session.close()

    async def open(self) -> None:
        self.session = sc.Session(self.base_url, timeout_s=self.run.profile.timeout_s)
        link, check = self.link()
        if not await self.run.act(OPEN, lambda: self.session.open(link), check):  # type: ignore[union-attr]
            await self.session.close()
            self.session = None
            await asyncio.sleep(1.0)  # a broken page: the user waits a little and opens it again

    async def act(self) -> None:
        kind = self.rng.choices(list(self.ACTIONS), weights=list(self.ACTIONS.values()))[0]
        if kind == OPEN:  # the user closes the tab and opens another link: a new session
            assert self.session is not None
            await self.session.close()
            await self.open()
        else:
            await self.do(kind)

    def link(self) -> tuple[str, Callable[[], str | None]]:
        """A link to open, and the check of what its first run drew."""
        raise NotImplementedError

    async def do(self, kind: str) -> None:
        raise NotImplementedError


class AppUser(User):
    # The full profile saves about 270 scenarios in all, under the store's limit of live ones
    # (model.store.MAX_LIVE, 500): a much longer run would meet it, and the saves then refused
    # (rightly, with the app's message) would count as errors.
    ACTIONS = {
        OPEN: 5,
        "sector slider": 35,
        "shock slider": 15,
        "switch page": 30,
        "save scenario": 8,
        "compare two": 7,
    }
    opened: dict[str, str]  # the parameters of the link opened last

    def link(self) -> tuple[str, Callable[[], str | None]]:
        rng = self.rng
        params = {"g.textiles": f"{rng.randrange(-50, 301, 5) / 10:g}", "shock": str(rng.randrange(0, 31)),
                  "rec": str(rng.randrange(1, 5))}  # fmt: skip
        page = "" if rng.random() < 0.7 else rng.choice([p for p in sc.PAGES if p])
        query = "&".join(f"{k}={v}" for k, v in params.items())

        def check() -> str | None:
            if self.session is not None and self.session.page != page:
                return f"opened {page!r}, shown {self.session.page!r}"
            return "no verdict on the overview" if page == "" and sc.verdict(self.view) is None else None

        self.opened = params
        return f"/{page}?{query}", check

    async def open(self) -> None:
        """Open a link, then the share button (every check reads the link the server made): it
        stays open, which costs each later run the link's two elements."""
        await super().open()
        await self.run.think(self.rng)
        session = self.session
        if session is None or self.run.stopping():
            return

        def check() -> str | None:
            link = sc.share_link(self.view)
            wrong = [k for k, v in self.opened.items() if not _same_number(_param(link, k), v)]
            return f"share link {link!r} does not hold the link's {wrong}" if wrong else None

        await self.run.act("share link", lambda: session.open_section(sc.SHARE_BOX), check)

    @property
    def view(self) -> sc.View:
        assert self.session is not None
        return self.session.view

    async def do(self, kind: str) -> None:
        if kind == "sector slider":
            keys = [k for k in self.view.widgets() if k.startswith(sc.SECTOR_PREFIX)]
            await self.move(kind, self.rng.choice(keys))
        elif kind == "shock slider":
            await self.move(kind, sc.SHOCK)
        elif kind == "switch page":
            assert self.session is not None
            await self.switch(self.rng.choice([p for p in sc.PAGES if p != self.session.page]))
        elif kind == "save scenario":
            await self.save()
        else:
            await self.compare()

    async def move(self, kind: str, key: str) -> None:
        """Move a slider by a few steps, as a drag or the arrow keys do."""
        session = self.session
        assert session is not None
        slider = self.view.widget(key).proto
        decimals = max(0, -int(math.floor(math.log10(slider.step)))) if slider.step < 1 else 0
        current = list(slider.value if slider.set_value else slider.default)[0]
        steps = self.rng.choice([-20, -10, -5, -2, -1, 1, 2, 5, 10, 20])
        value = round(min(slider.max, max(slider.min, current + steps * slider.step)), decimals)

        def check() -> str | None:
            link = sc.share_link(self.view)
            return None if _same_number(_param(link, key), value) else f"share link {link!r} lacks {key}={value}"

        await self.run.act(kind, lambda: session.set_widgets({key: value}), check)

    async def switch(self, page: str) -> bool:
        session = self.session
        assert session is not None

        def check() -> str | None:
            path = urlsplit(sc.share_link(self.view) or "").path
            if session.page != page or path.strip("/") != page:
                return f"asked for page {page!r}, shown {session.page!r} (share link path {path!r})"
            return None

        return await self.run.act(f"page: {sc.PAGES[page]}", lambda: session.switch_page(page), check)

    async def save(self) -> None:
        session = self.session
        assert session is not None
        if session.page != "compare" and not await self.switch("compare"):
            return
        if not self.view.has_form(sc.SAVE_FORM):  # the save box is closed: open it
            if not await self.run.act("open save box", lambda: session.open_section(sc.SAVE_BOX), lambda: None):
                return
        self.saved += 1
        name = f"Tải {self.i}-{self.saved}"

        def check() -> str | None:
            shown = sc.success_messages(self.view)
            return None if any(name in m for m in shown) else f"no success message naming {name!r}: {shown}"

        values = {sc.SAVE_NAME: name, sc.SAVE_NOTE: f"người dùng {self.i}"}
        await self.run.act("save scenario", lambda: session.submit_form(sc.SAVE_FORM, values), check)

    async def compare(self) -> None:
        session = self.session
        assert session is not None
        if session.page != "compare" and not await self.switch("compare"):
            return
        options = list(self.view.widget(sc.COMPARE_PICK).proto.options)
        if len(options) < 2:
            await self.save()
            return
        chosen = self.rng.sample(options, 2)

        def check() -> str | None:
            link = sc.compare_link(self.view)
            picked = (_param(link, sc.COMPARE_PARAM) or "").split(",")
            return None if len(picked) == 2 else f"comparison link {link!r} does not list 2 scenarios"

        await self.run.act("compare two", lambda: session.set_widgets({sc.COMPARE_PICK: chosen}), check)


class EmptyUser(User):
    """The same load on the one-slider app: connect, then move its slider."""

    ACTIONS = {OPEN: 5, "move the slider": 95}
    FIRST = "x"  # the slider a link sets

    def sliders(self) -> list[str]:
        return [self.FIRST]

    def link(self) -> tuple[str, Callable[[], str | None]]:
        return f"/?{self.FIRST}={self.rng.randrange(0, 51)}", lambda: None

    async def do(self, kind: str) -> None:
        session = self.session
        assert session is not None
        values = {self.rng.choice(self.sliders()): float(self.rng.randrange(0, 51))}
        await self.run.act(kind, lambda: session.set_widgets(values), lambda: None)


class SidebarUser(EmptyUser):
    """The same load on the app's sidebar alone (bench.sidebar_app): connect, then move one
    of its sliders (s0, s1, ...)."""

    ACTIONS = {OPEN: 5, "move a slider": 95}
    FIRST = "s0"

    def sliders(self) -> list[str]:
        assert self.session is not None
        return [k for k in self.session.view.widgets() if k.startswith("s")]


def machine_cpu_seconds() -> float:
    """CPU time used by every process on the machine so far (Linux /proc/stat): others' share shows."""
    fields = [int(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


async def drive(server: sc.Server, profile: Profile, user: type[User]) -> LoadResult:
    run = Run(profile)
    users = [asyncio.create_task(user(i, run, server.url).live()) for i in range(profile.users)]
    samples: dict[str, tuple[float, float, float]] = {}

    async def sample() -> None:
        for name, at in (("start", run.window[0]), ("end", run.window[1])):
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            samples[name] = (server.cpu_seconds(), time.process_time(), machine_cpu_seconds())

    sampler = asyncio.create_task(sample())
    # Hard stop: the window, then one action's timeout for everyone to finish, and a margin.
    limit = profile.ramp_s + profile.measure_s + profile.timeout_s + 15
    _, stuck = await asyncio.wait([*users, sampler], timeout=limit)
    for task in stuck:
        task.cancel()
    outcomes = await asyncio.gather(*users, sampler, return_exceptions=True)
    for outcome in outcomes[:-1]:
        if isinstance(outcome, Exception):  # a user the generator itself lost counts as an error
            run.actions.append(Action("user crashed", time.monotonic(), 0.0, f"{type(outcome).__name__}: {outcome}"))
    start, end = samples.get("start", (0.0, 0.0, 0.0)), samples.get("end", (0.0, 0.0, 0.0))
    return LoadResult(
        profile=profile, actions=run.actions, window=run.window,
        server_cpu_s=end[0] - start[0], generator_cpu_s=end[1] - start[1], machine_cpu_s=end[2] - start[2],
        server_rss_mb=server.rss_mb(), stuck_users=len(stuck - {sampler}),
    )  # fmt: skip


async def memory(server: sc.Server, user: type[User], counts: tuple[int, ...] = (1, 20, 50)) -> dict[int, float]:
    """Server RSS (MB) with 1, 20, 50 sessions connected, each having opened its own link."""
    run = Run(Profile(users=max(counts), ramp_s=0, measure_s=3600))
    users: list[User] = []
    rss = {}
    try:
        for count in counts:
            while len(users) < count:
                batch = [user(len(users) + k, run, server.url) for k in range(min(5, count - len(users)))]
                await asyncio.gather(*(u.open() for u in batch))
                users += batch
            await asyncio.sleep(2)  # let the last runs' garbage go
            rss[count] = server.rss_mb()
    finally:
        await asyncio.gather(*(u.session.close() for u in users if u.session is not None))
    failed = [a for a in run.actions if a.error]
    if failed:
        raise RuntimeError(f"{len(failed)} sessions failed to open: {failed[0].error}")
    return rss
