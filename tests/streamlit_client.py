"""A browserless client that speaks Streamlit 1.67's own protocol, for load and concurrency tests.

A `Session` is one browser tab, as the server sees it: it loads the page and the health
and host-config endpoints (which set the XSRF cookie), opens the WebSocket at
`/_stcore/stream`, sends `BackMsg.rerun_script` with the link's query string and the
widget states, and reads the `ForwardMsg`s back until the run's `script_finished`.
It keeps what the browser keeps between runs:

- the widget states of every widget drawn (slider, number input, text, select...), with
  the value the page shows, and sends them all with each rerun; a bound widget
  (`bind="query-params"`) moved by the user is written into the query string, as the
  browser writes it into the address bar;
- the query string, replaced by the server's `page_info_changed`;
- the pages of `st.navigation` (url path -> page script hash); a page switch sends the
  target's hash, the main script's widget states and the bound query parameters only;
- uploads: a `file_urls_request` for an upload URL, a PUT of the file with the XSRF
  cookie and header, then the uploader's widget state names the file;
- the ForwardMsg cache: large elements come back as `ref_hash` once the client has
  announced their hash in `cached_message_hashes` (entries expire after
  `max_cached_message_age` runs, as in the browser).

Errors raise `RunError`: an exception element in the deltas, an error alert that is not
the verdict banner, a compile error, a disconnect, or a run that does not finish within
the session's timeout (the session then closes: what follows belongs to that run).
After each finished run, `Session.view` is what the run drew.

Also here: `Server` (a fresh `streamlit run` in its own process group, loopback only,
throwaway store) with its CPU and RSS, and the few facts about this app the tests and the
benchmark need (widget keys, pages, where the verdict and the share link are). Those are
in one section below, "This app": the place to adapt when the app changes.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileURLsRequest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.RootContainer_pb2 import RootContainer
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"

# --- This app: everything the tests and the benchmark know about its pages --------------

PAGES = {  # url path -> name (app.py: the st.navigation pages)
    "": "Overview",
    "scenario": "Scenario",
    "risk": "Risk",
    "compare": "Compare",
    "data": "Data",
    "method": "Method",
}
SECTOR_PREFIX = "g."  # the sector growth sliders: key g.<sector id>
SHOCK = "shock"
REC = "rec"
SAVE_FORM, SAVE_NAME, SAVE_NOTE = "save_form", "save_name", "save_note"  # the sidebar save box
# The sidebar's sections whose content is built only while open (the keys of their open state)
SAVE_BOX, SHARE_BOX = "open_save", "open_share"
COMPARE_PICK = "compare_pick"  # Compare page: the scenarios compared
COMPARE_PARAM = "cmp"  # ...and the parameter the page writes them to
# A page is rendered in Chromium when the verdict banner and the sidebar sliders show.
BROWSER_RENDERED = (
    "[data-testid='stMain'] [data-testid='stAlert'] h3",
    "[data-testid='stSidebar'] [data-testid='stSlider']",
)
# The smallest Streamlit app with the same kind of widget: the floor the app is compared to.
EMPTY_APP = "import streamlit as st\n\nst.slider('x', 0.0, 50.0, 10.0, key='x', bind='query-params')\n"


def verdict(view: View) -> str | None:
    """The verdict banner's sentence: the main area's alert written as a heading ("### ...")."""
    for _, alert in view.elements("alert", root=MAIN):
        if alert.body.startswith("### "):
            return alert.body.removeprefix("### ").strip()
    return None


def share_link(view: View) -> str | None:
    """The sidebar's share link (it holds the whole scenario, computed by the script)."""
    return next((code.code_text.strip() for _, code in view.elements("code", root=SIDEBAR)), None)


def compare_link(view: View) -> str | None:
    """The Compare page's link to the comparison shown (it ends with cmp=<ids>)."""
    for _, code in view.elements("code", root=MAIN):
        if f"&{COMPARE_PARAM}=" in code.code_text:
            return code.code_text.strip()
    return None


def metric(view: View, label_prefix: str) -> str | None:
    """The value of the main area's metric whose label starts with `label_prefix`."""
    for _, m in view.elements("metric", root=MAIN):
        if m.label.startswith(label_prefix):
            return m.body
    return None


def success_messages(view: View) -> list[str]:
    """Success alerts anywhere (the page's, and the sidebar save box's), as a reader sees them:
    the Markdown escapes of names and data (ui.text.md) removed."""
    return [re.sub(r"\\(.)", r"\1", a.body) for _, a in view.elements("alert") if a.format == ALERT_SUCCESS]


def unexpected_error_alerts(view: View) -> list[str]:
    """Error alerts other than the verdict banner (which is an error alert when the target is missed)."""
    return [a.body for _, a in view.elements("alert") if a.format == ALERT_ERROR and not a.body.startswith("### ")]


# --- the protocol ------------------------------------------------------------------------

MAIN, SIDEBAR = RootContainer.MAIN, RootContainer.SIDEBAR  # the first index of a delta path
ALERT_ERROR, ALERT_SUCCESS = Alert.ERROR, Alert.SUCCESS
# A run is over when it finished by itself; FINISHED_EARLY_FOR_RERUN (st.rerun) is not.
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_XSRF_COOKIE = "_streamlit_xsrf"

# How each widget type carries its value in a WidgetState. Buttons have no state: they
# send a trigger once, when clicked. Widgets not listed here are left to their default.
_VALUE_FIELD = {
    "slider": "double_array_value",
    "select_slider": "string_array_value",  # the options' shown texts (a Slider proto of type SELECT_SLIDER)
    "number_input": "double_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "selectbox": "string_value",
    "radio": "string_value",
    "multiselect": "string_array_value",
    "checkbox": "bool_value",
    "color_picker": "string_value",
}


def _value_of(kind: str, el: Any, *, default: bool = False) -> Any:
    """The value a widget shows (the server's value if it set one, else its default)."""
    shown = el.set_value and not default
    if kind == "slider":
        return list(el.value if shown else el.default)
    if kind == "select_slider":
        return [el.options[int(i)] for i in (el.value if shown else el.default)]
    if kind in ("selectbox", "radio"):
        if shown:
            return el.raw_value if el.HasField("raw_value") else None
        return el.options[el.default] if el.HasField("default") and el.default < len(el.options) else None
    if kind == "multiselect":
        return list(el.raw_values) if shown else [el.options[i] for i in el.default]
    if kind in ("number_input", "text_input", "text_area", "color_picker"):
        if shown:
            return el.value if el.HasField("value") else None
        return el.default if el.HasField("default") else None
    return el.value if shown else el.default  # checkbox


def _wire_value(kind: str, value: Any) -> Any:
    """A value as the widget's state holds it: a slider's single value becomes a one-item list."""
    if _VALUE_FIELD[kind].endswith("_array_value"):
        return list(value) if isinstance(value, (list, tuple)) else [value]
    return value


def _state(widget_id: str, kind: str, value: Any) -> WidgetState:
    state = WidgetState(id=widget_id)
    field_name = _VALUE_FIELD[kind]
    if field_name.endswith("_array_value"):
        getattr(state, field_name).data[:] = _wire_value(kind, value)
    else:
        setattr(state, field_name, value)
    return state


def _url_text(value: Any) -> str:
    """A value as the browser writes it into the address bar (JavaScript's String(number))."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


class RunError(Exception):
    """The app or the connection failed: what a user would see as an error."""


class ScriptError(RunError):
    """An exception, a compile error or an unexpected error alert in what the script drew."""


class RunTimeout(RunError):
    pass


class Disconnected(RunError):
    pass


@dataclass
class Widget:
    key: str
    kind: str  # the element type: "slider", "text_input", "button", ...
    proto: Any
    script_hash: str  # the script that drew it (app.py or a page)

    @property
    def id(self) -> str:
        return self.proto.id

    @property
    def value(self) -> Any:
        return _value_of(self.kind, self.proto) if self.kind in _VALUE_FIELD else None


def _section_id(kind: str, proto: Any) -> str:
    """The widget id of an expander or a popover that keeps its open state, else ""."""
    inner = proto.WhichOneof("type") if kind == "block" else None
    return getattr(proto, inner).id if inner in ("expandable", "popover") else ""


def _user_key(element_id: str) -> str | None:
    """The user's key in a widget id ("$$ID-<hash>-<key>"), None without one."""
    parts = element_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "$$ID" and parts[2] != "None" else None


@dataclass
class View:
    """What one finished run drew: delta path -> (element type or "block", proto, script hash)."""

    items: dict[tuple[int, ...], tuple[str, Any, str]] = field(default_factory=dict)

    def elements(self, kind: str, root: int | None = None) -> Iterator[tuple[tuple[int, ...], Any]]:
        """Elements of one type in page order, optionally in one root (MAIN, SIDEBAR)."""
        for path in sorted(self.items):
            item_kind, proto, _ = self.items[path]
            if item_kind == kind and (root is None or path[0] == root):
                yield path, proto

    def widgets(self) -> dict[str, Widget]:
        """The widgets with a user key, by key."""
        found = {}
        for path in sorted(self.items):
            kind, proto, script = self.items[path]
            key = _user_key(getattr(proto, "id", "") or "") if kind != "block" else None
            if key is not None:
                found[key] = Widget(key, kind, proto, script)
        return found

    def widget(self, key: str) -> Widget:
        widgets = self.widgets()
        if key not in widgets:
            raise KeyError(f"no widget with key {key!r} on this page; keys: {sorted(widgets)}")
        return widgets[key]

    def section(self, key: str) -> str:
        """The widget id of the expander or popover with this key."""
        for kind, proto, _ in self.items.values():
            if (section_id := _section_id(kind, proto)) and _user_key(section_id) == key:
                return section_id
        raise KeyError(f"no section with key {key!r} on this page")

    def has_form(self, form_id: str) -> bool:
        return any(b.is_form_submitter and b.form_id == form_id for _, b in self.elements("button"))

    def submit_button(self, form_id: str) -> Any:
        for _, button in self.elements("button"):
            if button.is_form_submitter and button.form_id == form_id:
                return button
        raise KeyError(f"no submit button in form {form_id!r}")


def _http_get(url: str, cookies: dict[str, str], timeout: float) -> dict[str, str]:
    """GET a URL (as the browser loads the page and pings the server); returns the cookies set."""
    request = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        jar: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


class Session:
    """One browser tab on a Streamlit server, without the browser. Use with `async with`."""

    def __init__(self, base_url: str, *, timeout_s: float = 30.0, locale: str = "vi-VN") -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.locale = locale
        self.view = View()  # what the last finished run drew
        self.query: list[tuple[str, str]] = []  # the address bar's query
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.main_hash = ""
        self.session_id = ""
        self.runs = 0
        self._ws: Any = None
        self._states: dict[str, WidgetState] = {}  # widget id -> value the page shows
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, run it was last used)
        self._max_age = 2
        self._building: dict[tuple[int, ...], tuple[str, Any, str]] = {}
        self._problems: list[str] = []
        self._xsrf = ""

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- what a user does ---------------------------------------------------------------

    async def open(self, path_and_query: str = "/") -> float:
        """Open a link as the first page of a new tab; seconds until its run finished."""
        start = time.perf_counter()
        parts = urlsplit(path_and_query)
        path = parts.path or "/"
        cookies: dict[str, str] = {}
        for url in (self.base_url + path_and_query, f"{self.base_url}/_stcore/health",
                    f"{self.base_url}/_stcore/host-config"):  # fmt: skip
            try:
                cookies |= await asyncio.to_thread(_http_get, url, cookies, self.timeout_s)
            except OSError as exc:  # refused, reset, HTTP error status, timeout
                raise Disconnected(f"GET {url}: {exc!r}") from exc
        xsrf = self._xsrf = cookies.get(_XSRF_COOKIE, "")
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        try:
            self._ws = await websockets.connect(
                ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],  # type: ignore[list-item]
                additional_headers={"Origin": self.base_url, "Cookie": f"{_XSRF_COOKIE}={xsrf}"},
                max_size=None, open_timeout=self.timeout_s,
            )  # fmt: skip
        except (OSError, websockets.WebSocketException, TimeoutError) as exc:
            raise Disconnected(f"WebSocket did not open: {exc!r}") from exc
        self.query = parse_qsl(parts.query, keep_blank_values=True)
        rerun = self._client_state(url_path=path.strip("/"))
        rerun.page_name = path.strip("/")  # the server resolves the page: the client has no page list yet
        await self._run(rerun)
        return time.perf_counter() - start

    async def set_widgets(self, changes: Mapping[str, Any]) -> float:
        """Change widgets (by key) as a user does, then rerun; seconds until the run finished.

        Values as the widget holds them on the wire: a number for a slider or a number
        input, the option's label for a select box, a list of labels for a multiselect.
        """
        for key, value in changes.items():
            widget = self.view.widget(key)
            if widget.kind not in _VALUE_FIELD:
                raise KeyError(f"widget {key!r} is a {widget.kind}, which holds no value")
            value = _wire_value(widget.kind, value)
            self._states[widget.id] = _state(widget.id, widget.kind, value)
            if getattr(widget.proto, "query_param_key", ""):
                default = _value_of(widget.kind, widget.proto, default=True)
                self._set_param(widget.proto.query_param_key, None if value == default else value)
        return await self._timed(self._client_state())

    async def click(self, key: str) -> float:
        """Click a button (by key): a trigger sent once."""
        return await self._timed(self._client_state(triggers=[self.view.widget(key).id]))

    async def upload(self, key: str, name: str, data: bytes, mime: str = "text/csv") -> float:
        """Choose a file in a file uploader (by key): get its upload URL, PUT the file, rerun."""
        widget = self.view.widget(key)
        start = time.perf_counter()
        request_id = uuid.uuid4().hex
        request = FileURLsRequest(request_id=request_id, file_names=[name], session_id=self.session_id)
        await self._send(BackMsg(file_urls_request=request))
        deadline = time.monotonic() + self.timeout_s
        while True:
            msg = await self._next(deadline)
            if msg.WhichOneof("type") == "file_urls_response" and msg.file_urls_response.response_id == request_id:
                break
            self._handle(msg)
        if msg.file_urls_response.error_msg:
            raise RunError(f"no upload URL: {msg.file_urls_response.error_msg}")
        urls = msg.file_urls_response.file_urls[0]
        await asyncio.to_thread(self._put_file, self.base_url + urls.upload_url, name, data, mime)
        state = WidgetState(id=widget.id)
        info = state.file_uploader_state_value.uploaded_file_info.add(file_id=urls.file_id, name=name, size=len(data))
        info.file_urls.CopyFrom(urls)
        self._states[widget.id] = state
        await self._run(self._client_state())
        return time.perf_counter() - start

    def _put_file(self, url: str, name: str, data: bytes, mime: str) -> None:
        """PUT one file as multipart form data, with the XSRF token as the browser sends it."""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self._xsrf,
                   "Cookie": f"{_XSRF_COOKIE}={self._xsrf}", "Origin": self.base_url}  # fmt: skip
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            response.read()

    async def open_section(self, key: str) -> float:
        """Open an expander or a popover (by key) as a click on its title does: the page reruns
        and builds what it holds. It stays open, as it does in a browser until it is closed."""
        section_id = self.view.section(key)
        self._states[section_id] = WidgetState(id=section_id, bool_value=True)
        return await self._timed(self._client_state())

    async def submit_form(self, form_id: str, values: Mapping[str, Any]) -> float:
        """Fill a form's widgets (by key) and press its submit button, in one rerun."""
        for key, value in values.items():
            widget = self.view.widget(key)
            self._states[widget.id] = _state(widget.id, widget.kind, value)
        return await self._timed(self._client_state(triggers=[self.view.submit_button(form_id).id]))

    async def switch_page(self, url_path: str) -> float:
        """Go to another page of the navigation (by url path, "" for the default page)."""
        if url_path not in self.pages:
            raise KeyError(f"no page {url_path!r}; pages: {sorted(self.pages)}")
        # The browser keeps the main script's widgets and the bound parameters; the page's go.
        bound = {
            w.proto.query_param_key for w in self.view.widgets().values() if getattr(w.proto, "query_param_key", "")
        }
        self.query = [(k, v) for k, v in self.query if k in bound]
        main_ids = {
            getattr(proto, "id", "") or _section_id(kind, proto)
            for kind, proto, script in self.view.items.values()
            if script == self.main_hash
        }
        rerun = self._client_state(url_path=url_path, only=main_ids)
        rerun.page_script_hash = self.pages[url_path]
        return await self._timed(rerun)

    async def rerun(self) -> float:
        """Rerun with nothing changed (the browser's "Rerun")."""
        return await self._timed(self._client_state())

    async def close(self) -> None:
        if self._ws is not None:
            ws, self._ws = self._ws, None
            await ws.close()

    @property
    def connected(self) -> bool:
        return self._ws is not None

    @property
    def page(self) -> str:
        """The url path of the page shown ("" for the default page)."""
        return next((path for path, h in self.pages.items() if h == self.page_hash), "")

    # --- the protocol -------------------------------------------------------------------

    def _set_param(self, key: str, value: Any) -> None:
        values = value if isinstance(value, list) else ([] if value is None else [value])
        at = next((i for i, (k, _) in enumerate(self.query) if k == key), len(self.query))
        rest = [(k, v) for k, v in self.query if k != key]
        self.query = rest[:at] + [(key, _url_text(v)) for v in values] + rest[at:]

    def _client_state(
        self, *, url_path: str | None = None, triggers: Sequence[str] = (), only: set[str] | None = None
    ) -> ClientState:
        path = self.page if url_path is None else url_path
        state = ClientState(query_string=urlencode(self.query), page_script_hash=self.page_hash)
        state.widget_states.widgets.extend(s for i, s in self._states.items() if only is None or i in only)
        state.widget_states.widgets.extend(WidgetState(id=t, trigger_value=True) for t in triggers)
        state.cached_message_hashes.extend(self._cache)
        info = state.context_info
        info.url, info.locale, info.timezone = f"{self.base_url}/{path}", self.locale, "Asia/Ho_Chi_Minh"
        info.timezone_offset, info.is_embedded, info.color_scheme = -420, False, "light"
        return state

    async def _timed(self, state: ClientState) -> float:
        start = time.perf_counter()
        await self._run(state)
        return time.perf_counter() - start

    async def _run(self, state: ClientState) -> None:
        """Send one rerun request and read until that run (and any st.rerun after it) has finished."""
        self._problems = []
        deadline = time.monotonic() + self.timeout_s
        await self._send(BackMsg(rerun_script=state))
        while not self._handle(await self._next(deadline)):
            pass
        problems = self._problems + [f"error alert: {body[:300]}" for body in unexpected_error_alerts(self.view)]
        if problems:
            raise ScriptError("; ".join(problems))

    async def _send(self, msg: BackMsg) -> None:
        if self._ws is None:
            raise Disconnected("not connected")
        try:
            await self._ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as exc:
            self._ws = None
            raise Disconnected(f"the server closed the connection: {exc!r}") from exc

    async def _next(self, deadline: float) -> ForwardMsg:
        """The next ForwardMsg, or RunTimeout at the deadline."""
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            data = await asyncio.wait_for(self._ws.recv(), left)
        except TimeoutError:
            await self.close()  # what comes next would belong to the run given up: start again
            raise RunTimeout(f"the run did not finish in {self.timeout_s:.0f} s") from None
        except websockets.ConnectionClosed as exc:
            self._ws = None
            raise Disconnected(f"the server closed the connection: {exc!r}") from exc
        msg = ForwardMsg()
        msg.ParseFromString(data)
        return msg

    def _handle(self, msg: ForwardMsg) -> bool:
        """Apply one ForwardMsg; True when the run is over."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            new = msg.new_session
            self.main_hash, self.page_hash = new.main_script_hash, new.page_script_hash
            self._max_age = new.config.max_cached_message_age or self._max_age
            self.session_id = new.initialize.session_id or self.session_id
            self._building = {}
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query = parse_qsl(msg.page_info_changed.query_string, keep_blank_values=True)
        elif kind in ("delta", "ref_hash"):
            self._delta(msg)
        elif kind == "page_not_found":
            self._problems.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self._problems.append(f"compile error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self._problems.append("the script did not compile")
                return True
            if msg.script_finished in _DONE:
                self._finish_run()
                return True
        return False

    def _delta(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                self._problems.append(f"cache miss for {msg.ref_hash}")
                return
            self._cache[msg.ref_hash] = (cached[0], self.runs)
            body = cached[0]
        else:
            body = msg
            if msg.metadata.cacheable:
                self._cache[msg.hash] = (msg, self.runs)
        path = tuple(msg.metadata.delta_path)
        script = msg.metadata.active_script_hash
        delta = body.delta
        if delta.WhichOneof("type") == "new_element":
            kind = delta.new_element.WhichOneof("type") or "empty"
            element = getattr(delta.new_element, kind)
            if kind == "slider" and element.type == Slider.SELECT_SLIDER:
                kind = "select_slider"
            self._building[path] = (kind, element, script)
            if kind == "exception":
                self._problems.append(f"exception: {element.type}: {element.message[:300]}")
        elif delta.WhichOneof("type") == "add_block":
            self._building[path] = ("block", delta.add_block, script)

    def _finish_run(self) -> None:
        """What the browser does when a run ends: show it, sync widget states, age the cache."""
        self.view = View(self._building)
        self._building = {}
        self.runs += 1
        drawn = set()
        for kind, proto, _ in self.view.items.values():
            widget_id = getattr(proto, "id", "") if kind in _VALUE_FIELD or kind == "file_uploader" else ""
            drawn.add(_section_id(kind, proto))  # an opened one keeps the state its opening set
            if not widget_id:
                continue
            drawn.add(widget_id)
            if kind in _VALUE_FIELD and (proto.set_value or widget_id not in self._states):
                value = _value_of(kind, proto)
                if value is not None:
                    self._states[widget_id] = _state(widget_id, kind, value)
        self._states = {i: s for i, s in self._states.items() if i in drawn}
        self._cache = {h: (m, used) for h, (m, used) in self._cache.items() if self.runs - used <= self._max_age}


# --- a server to talk to -----------------------------------------------------------------


def answers_ok(url: str) -> bool:
    """Whether `url` (a health endpoint) answers "ok" right now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode().strip() == "ok"
    except OSError:
        return False


def wait_for(ready: Callable[[], bool], deadline_s: float, proc: subprocess.Popen, what: str) -> None:
    """Poll `ready` while a process starts (a server or a proxy: there is no event to wait on);
    fail at once if the process exits, or when the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start in {deadline_s:.0f} s")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A fresh server in its own process group: loopback only, a throwaway store (or `db`).

    The app is started as the README's scripts/run.sh starts it (scripts/serve.sh: the
    launcher, then `streamlit run app.py`), another script (the empty app) with a plain
    `streamlit run`; both from the repository, so .streamlit/config.toml applies. `wait="health"` returns once
    /_stcore/health answers; `wait="log"` once the server says it listens, without any
    request (a first-page measurement must not warm it up); `wait="none"` at once.
    """

    def __init__(
        self, workdir: Path, script: Path = APP, *, db: Path | None = None, wait: str = "health", start_s: float = 30.0
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Saved scenarios go to a throwaway database (or the caller's), never the repository's var/.
        self.db = db or workdir / f"scenarios-{self.port}.sqlite3"
        self.log_path = workdir / f"streamlit-{self.port}.log"
        env = dict(os.environ, EXPORT_PLANNER_DB=str(self.db), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
        if Path(script).resolve() == APP.resolve():
            env.update(PORT=str(self.port), ADDRESS="127.0.0.1", APP_PYTHON=sys.executable)
            command = [str(ROOT / "scripts" / "serve.sh"), "--server.headless", "true"]
        else:
            # Served as the launcher serves the app (its connections send at once), so that
            # another app (the benchmark's empty one) is compared on equal terms.
            serve = "import sys; from ui.serve import run_streamlit; run_streamlit(sys.argv[1], sys.argv[2:])"
            command = [sys.executable, "-c", serve, str(script), "--server.port", str(self.port),
                       "--server.headless", "true", "--server.address", "127.0.0.1"]  # fmt: skip
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait(wait, start_s)
        except BaseException:
            self.stop()
            raise

    def _wait(self, how: str, start_s: float) -> None:
        if how == "none":
            return
        if how == "log":
            ready = lambda: "You can now view" in self.log_tail()  # noqa: E731
        else:
            ready = lambda: answers_ok(f"{self.url}/_stcore/health")  # noqa: E731
        try:
            wait_for(ready, start_s, self.proc, "streamlit")
        except RuntimeError as error:
            raise RuntimeError(f"{error}:\n{self.log_tail()}") from None

    def log_tail(self, chars: int = 4000) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def processes(self) -> list[int]:
        """The server's processes (its process group)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.proc.pid:
                        pids.append(int(entry.name))
                except OSError:
                    pass
        return pids

    def cpu_seconds(self) -> float:
        """User + system CPU of the process group so far, its finished children included."""
        total = 0.0
        for pid in self.processes():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
        return total / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        total = 0
        for pid in self.processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        return total / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
