"""Browser tests: a real Streamlit server driven by Playwright in Debian's Chromium.

Fixtures
- ``browser``: one headless Chromium for the whole session (``/usr/bin/chromium``;
  Playwright's own browser download is not used). Missing Chromium skips the suite,
  except under ``CI=true`` where it is an error.
- ``server``: the base URL (``http://127.0.0.1:PORT``) of ONE server, started the way the
  README's ``scripts/run.sh`` starts it (``scripts/serve.sh``: the launcher, then ``streamlit
  run app.py``), shared by every test whose subject is not a fresh server: each test still gets its own
  browser context, i.e. its own Streamlit session (starting a server costs seconds a test).
- ``start_server``: a factory for FRESH servers, for the tests that need one: a deep link as
  a server's first request (docs/design.md, "Architecture"), a restart on the same database, a store
  of the test's own; each is killed (its process group) at the end of the test.
- ``app`` / ``new_app``: an ``App`` (a Playwright page in its own browser context, i.e. a
  fresh Streamlit session) with helpers that read what a user reads.

Every read of the page waits: Playwright's ``expect`` retries until the page shows what is
expected or its bound (30 s) passes; no test sleeps. Every test is bounded (60 s).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest

from tests.streamlit_client import Server

APP_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000  # every single wait
# Any address off this machine: on the province's internal network there is no internet, so
# a page that fetches from it (a font, an icon) shows a gap or waits; the tests refuse them all.
OUTSIDE = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/)")
TEST_TIMEOUT_S = 60  # every browser test
SERVER_START_S = 30
VIEWPORT = {"width": 1400, "height": 1000}
HERE = Path(__file__).resolve().parent


# --- markers, limits, the skip rule -----------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the app in Chromium through a real Streamlit server (tests/browser)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only ours: touch tests/browser only.
    has_timeout = config.pluginmanager.hasplugin("timeout")
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if has_timeout and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT_S))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


def _chromium_available() -> str | None:
    """None if the suite can run, else why not."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser tests need it"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_available()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the browser suite cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- servers --------------------------------------------------------------------------


class StreamlitServer(Server):
    """One server process, started by scripts/serve.sh (as scripts/run.sh does once
    everything is installed), in its own process group; `db` is the store it uses."""

    def __init__(self, workdir: Path, db: Path | None = None) -> None:
        super().__init__(workdir, db=db, start_s=SERVER_START_S)


@pytest.fixture
def start_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., StreamlitServer]]:
    """Factory: start another fresh server (stopped at the end of the test at the latest).

    start_server() uses a new database; start_server(db) one of the test's choosing, e.g.
    the same file again after a restart.
    """
    servers: list[StreamlitServer] = []

    def start(db: Path | None = None) -> StreamlitServer:
        server = StreamlitServer(tmp_path, db)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    if request.node.stash.get(_FAILED, False):
        for server in servers:
            sys.stderr.write(f"\n--- {server.log_path} (tail) ---\n{server.log_tail()}\n")


@pytest.fixture(scope="session")
def _shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    server = StreamlitServer(tmp_path_factory.mktemp("shared-server"))
    yield server
    server.stop()


@pytest.fixture
def server(_shared_server: StreamlitServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """The shared server's base URL (its log's tail is printed when the test fails)."""
    if _shared_server.proc.poll() is not None:
        pytest.fail(f"the shared server has stopped:\n{_shared_server.log_tail()}", pytrace=False)
    yield _shared_server.url
    if request.node.stash.get(_FAILED, False):
        sys.stderr.write(f"\n--- {_shared_server.log_path} (tail) ---\n{_shared_server.log_tail()}\n")


@pytest.fixture(scope="session")
def default_growth() -> dict[str, float]:
    """The bundled plan's default growth per sector id (what a slider shows by default)."""
    from model import load_plan

    return {s.id: float(s.growth_pct) for s in load_plan().sectors}


# --- pages ------------------------------------------------------------------------------


def _expect():
    """Playwright's expect, imported late so that a missing playwright skips instead of erroring."""
    from playwright.sync_api import expect

    return expect


# The verdict banner's headline: "CHƯA CHẮC ĐẠT mục tiêu 2025: xác suất đạt 70% — dự báo nhìn từ năm
# 2020", or "ĐẠT mục tiêu 2025 — …" when firm.
VERDICT = re.compile(r"^((CHƯA (CHẮC )?)?ĐẠT mục tiêu|Target \d{4} ((NOT )?REACHED|UNCERTAIN))")
PROBABILITY = re.compile(r"^(Xác suất đạt mục tiêu|Probability of reaching the target): \d+%$")


def message_kind(payload: str | bytes) -> str:
    """What a message from the browser to the server asks for: 'rerun_script', ..."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
    return message.WhichOneof("type") or ""


def run_finished(payload: str | bytes) -> bool:
    """Whether a message from the server says a script run has ended."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg()
    message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode("latin-1"))
    return message.WhichOneof("type") == "script_finished"


class SentMessages:
    """Every message a page sends to the server over its websocket, by kind, in order."""

    def __init__(self, page) -> None:
        self.kinds: list[str] = []
        self.sockets: list = []
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:
        self.sockets.append(socket)
        socket.on("framesent", lambda payload: self.kinds.append(message_kind(payload)))

    def expect(self, kind: str):
        """A context manager: the block's actions send a message of this kind; on leaving the
        block it has left the browser (waits for it, up to the usual bound)."""
        return self.sockets[-1].expect_event(
            "framesent", predicate=lambda payload: message_kind(payload) == kind, timeout=WAIT_MS
        )

    def expect_run_end(self):
        """A context manager: the block's actions start a script run (none may be under way);
        on leaving the block the server has said that a run ended."""
        return self.sockets[-1].expect_event("framereceived", predicate=run_finished, timeout=WAIT_MS)


# Installed in every page before Streamlit's own code: counts the script runs that have
# ended (the stApp element's data-test-script-state leaving 'running'), so that "the page
# has run to its end" cannot be mistaken for "the page has not started yet".
COUNT_RUNS = """
window.__runsEnded = 0;
new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running') window.__runsEnded += 1;
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


class App:
    """A Streamlit session in a browser tab, seen the way a user sees it."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.sent = SentMessages(page)  # before the first request: the websocket opens with the page

    # navigation and waiting
    def open(self, path_and_query: str = "/", *, absolute: bool = False) -> App:
        url = path_and_query if absolute else self.base_url + path_and_query
        self.page.goto(url, wait_until="domcontentloaded")
        self.page.wait_for_function("() => window.__runsEnded > 0", timeout=WAIT_MS)  # a first run has ended
        self.wait_idle()
        _expect()(
            self.sidebar.get_by_test_id("stSlider").first,
            f"no scenario sidebar after opening {url}: the page ran without app.py "
            "(legacy multipage mode) or the app failed",
        ).to_be_visible()
        return self

    def wait_idle(self) -> None:
        """The script has run to the end and the app is connected (no rerun pending)."""
        self.page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return !!app && app.dataset.testScriptState === 'notRunning'
                    && app.dataset.testConnectionState === 'CONNECTED'
                    && !document.querySelector('[data-stale="true"]');
            }""",
            timeout=WAIT_MS,
        )

    def nav(self, title: str) -> None:
        self.page.get_by_test_id("stTopNav").get_by_test_id("stTopNavLink").filter(
            has_text=re.compile(f"^{re.escape(title)}$")
        ).click()

    @property
    def url(self) -> str:
        """The address bar now (page.url can lag behind history.replaceState)."""
        return self.page.evaluate("() => window.location.href")

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def path(self) -> str:
        return urlsplit(self.url).path

    # sidebar
    @property
    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def slider(self, key: str):
        """The slider widget bound to URL parameter `key` (Streamlit marks it st-key-<key>)."""
        return self.sidebar.locator(f".st-key-{key.replace('.', '-')}").get_by_test_id("stSlider")

    def slider_by_label(self, label: str):
        """The slider labelled `label` (its label goes on with the value: 'Dệt may: 12,8%/năm')."""
        return self.sidebar.get_by_test_id("stSlider").filter(
            has=self.page.get_by_test_id("stWidgetLabel").filter(has_text=re.compile(f"^{re.escape(label)}: "))
        )

    @staticmethod
    def label(slider):
        """A slider's label, with the value in the reader's convention: 'Dệt may: 12,8%/năm'.
        The script writes it, so it changing proves the server has run with the new value."""
        return slider.get_by_test_id("stWidgetLabel")

    @staticmethod
    def thumb(slider):
        return slider.get_by_role("slider")

    @staticmethod
    def thumb_text(slider):
        return slider.get_by_test_id("stSliderThumbValue")

    def press(self, slider, *keys: str) -> None:
        thumb = self.thumb(slider)
        thumb.focus()
        for key in keys:
            thumb.press(key)

    @contextlib.contextmanager
    def share_box(self) -> Iterator:
        """The share link's text, its popover opened for the block as a user opens it (the app
        builds its content only while it is open) and closed after it: open, it lies over the
        main area, where the next step may click. Closing reruns the page; the next step waits
        for that run's end as a user's pace does: a popover opened again while the run that
        closed it is still under way can be closed by that run's answer."""
        body = self.page.get_by_test_id("stPopoverBody")
        self.sidebar.get_by_test_id("stPopoverButton").click()
        try:
            yield body.get_by_test_id("stCode").locator("code")
        finally:
            self.wait_idle()  # the run that opened it has ended: the next run to end closes it
            with self.sent.expect_run_end():
                self.page.keyboard.press("Escape")
            _expect()(body).to_have_count(0)
            self.wait_idle()

    def expect_share_link(self, *patterns: re.Pattern[str]) -> None:
        """Wait until the share link matches every pattern."""
        with self.share_box() as link:
            for pattern in patterns:
                _expect()(link).to_have_text(pattern)

    def wait_scenario(self, **params: str) -> None:
        """Wait until the server has run the script with these values, and has finished.

        The share link is drawn by the script from the scenario it computed, so it
        changing is proof that the rerun happened (the thumb and the address bar change
        in the browser before the server has run anything). Keys with dots: pass a dict.
        """
        lookaheads = "".join(rf"(?=.*[?&]{re.escape(k)}={re.escape(v)}(&|$))" for k, v in params.items())
        self.expect_share_link(re.compile(rf"^{lookaheads}"))
        self.wait_idle()

    def set_slider(self, key: str, keys: list[str], shown: str, value: str):
        """Move slider `key` with the keyboard; wait for the thumb, the URL, the rerun and the
        label, which must end in `shown` (the value as the reader reads it: '6,0%/năm').

        Press one key (Home, End, PageUp, PageDown: a tenth of the range, or one arrow): a
        burst of twenty arrow presses on a busy machine once left the thumb on 6.0 and the
        server on 7.8, an intermediate value."""
        expect = _expect()
        slider = self.slider(key)
        self.press(slider, *keys)
        expect(self.thumb(slider)).to_have_value(re.compile(rf"^{re.escape(value)}(\.0+)?$"))
        expect(self.page).to_have_url(re.compile(rf"[?&]{re.escape(key)}={re.escape(value)}(\.0+)?(&|$)"))
        self.wait_scenario(**{key: value})
        expect(self.label(slider)).to_have_text(re.compile(rf": {re.escape(shown)}$"))
        return slider

    def open_expander(self, title: str, root=None):
        """Open the section `title` (in the sidebar unless `root` says where) if it is closed, as
        a click on its title does; the app builds what it holds only while it is open."""
        expander = (root or self.sidebar).get_by_test_id("stExpander").filter(has_text=title)
        details = expander.locator("details")
        if details.get_attribute("open") is None:
            expander.locator("summary").click()
            # The run the click started builds the content; the next step waits for its end
            # as a person's pace does (a click on a form drawn while that run still goes on
            # can be lost).
            content = expander.get_by_test_id("stExpanderDetails").get_by_test_id("stElementContainer")
            _expect()(content.first).to_be_visible()
            self.wait_idle()
        _expect()(details).to_have_attribute("open", "")
        return expander

    def type_in(self, field, text: str) -> None:
        """Fill a form's field and leave it, as a person does before the click on the form's
        button lands: a click whose own mouse-down takes the focus from the field redraws the
        field under the pointer, and the click could be lost (rarely, on a busy machine)."""
        field.fill(text)
        field.blur()
        _expect()(field).not_to_be_focused()

    def save_form(self):
        """The sidebar's save box (on every page), its section opened."""
        return self.open_expander("Lưu kịch bản hiện tại").get_by_test_id("stForm")

    def share_link(self) -> str:
        """The share link's text, to open elsewhere: read it once expect_share_link (or
        wait_scenario) has seen the values it must carry."""
        with self.share_box() as link:
            return link.inner_text().strip()

    def language(self, lang: str) -> None:
        """Switch the language and wait until the page is drawn in it: the share button and the
        sections take their titles from it, and a click on the old ones is lost."""
        self.sidebar.get_by_test_id("stRadio").get_by_text(lang, exact=True).click()
        share = {"vi": "Chia sẻ kịch bản này", "en": "Share this scenario"}[lang]
        _expect()(self.sidebar.get_by_test_id("stPopoverButton")).to_contain_text(share)
        self.wait_idle()

    # main area
    @property
    def main(self):
        return self.page.get_by_test_id("stMain")

    def title(self):
        return self.main.get_by_role("heading", level=1)

    def verdict(self):
        """The verdict banner's text (not its icon): its headline and the details below it."""
        banner = self.main.get_by_test_id("stAlert").filter(has=self.page.locator("h3").filter(has_text=VERDICT))
        return banner.get_by_test_id("stMarkdownContainer")

    @staticmethod
    def verdict_text(reached: bool, total: str | None = None, year: int = 2025, lang: str = "vi") -> re.Pattern[str]:
        """The banner as read: whether the central path reaches the target (the headline says so
        when it is a firm answer, else "uncertain"; the details say on which side the central
        path ends), then the projected total as shown ('2.870,0')."""
        value = re.escape(total) if total is not None else r"-?[\d.,]+"
        if lang == "en":
            side = r"[\d.,]+ million USD above" if reached else r"[\d.,]+ million USD short"
            return re.compile(rf"^Target {year} ({'' if reached else 'NOT '}REACHED|UNCERTAIN)\b.*"
                              rf"Projected {year} exports: {value} million USD, {side}", re.S)  # fmt: skip
        side = "vượt" if reached else "thiếu"
        return re.compile(rf"^({'' if reached else 'CHƯA '}ĐẠT|CHƯA CHẮC ĐẠT) mục tiêu {year}\b.*"
                          rf"Kim ngạch dự báo năm {year}: {value} triệu USD, {side}", re.S)  # fmt: skip

    def metric_value(self, label_prefix: str):
        metric = self.main.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(f"^{re.escape(label_prefix)}"))
        )
        return metric.get_by_test_id("stMetricValue")

    def probability(self):
        return self.main.get_by_role("heading", level=2, name=PROBABILITY)

    # plain helpers
    @staticmethod
    def relink(link: str, base_url: str) -> str:
        """The same link pointed at another server (scheme, host and port replaced)."""
        parts, base = urlsplit(link), urlsplit(base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))

    @staticmethod
    def number(text: str) -> float:
        """A locale-formatted number read from the page: '2.870,0 triệu USD' or '2,870.0 million USD'."""
        m = re.search(r"-?\d[\d.,]*", text.replace("\u2212", "-"))
        assert m, f"no number in {text!r}"
        raw = m.group(0)
        if "," in raw and raw.rfind(",") > raw.rfind("."):  # vi: 2.870,0
            raw = raw.replace(".", "").replace(",", ".")
        else:  # en: 2,870.0
            raw = raw.replace(",", "")
        return float(raw)


@pytest.fixture
def new_app(
    browser, start_server: Callable[[], StreamlitServer], tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], App]]:
    """Factory: a new browser context (a fresh Streamlit session) on the given server.

    Depends on start_server so that the pages close (and failure screenshots are taken)
    before the servers stop.
    """
    contexts = []
    outside: list[str] = []  # requests that left this machine (refused): the app must work offline

    def refuse(route) -> None:
        outside.append(route.request.url)
        route.abort()

    def make(base_url: str) -> App:
        context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
        context.set_default_timeout(WAIT_MS)
        context.set_default_navigation_timeout(WAIT_MS)
        context.add_init_script(COUNT_RUNS)
        context.route(OUTSIDE, refuse)
        contexts.append(context)
        return App(context.new_page(), base_url)

    yield make
    failed = request.node.stash.get(_FAILED, False)
    assert failed or not outside, f"the page asked the internet for {sorted(set(outside))[:5]}"
    for i, context in enumerate(contexts):
        if failed:
            for j, page in enumerate(context.pages):
                try:
                    shot = tmp_path / f"failure-{i}-{j}.png"
                    page.screenshot(path=str(shot), full_page=True, timeout=5_000)
                    sys.stderr.write(f"\nscreenshot of {page.url}: {shot}\n")
                except Exception as exc:  # the page may be gone; the failure itself matters more
                    sys.stderr.write(f"\n(no screenshot: {exc})\n")
        context.close()


@pytest.fixture
def app(new_app: Callable[[str], App], server: str) -> App:
    """A page on this test's freshly started server (nothing opened yet)."""
    return new_app(server)
