"""The shipped reverse proxy (deploy/): the app works through it, and it closes what
Streamlit leaves open: framing by another origin, the metrics page, unknown host names,
floods of uploads. Everything on loopback: a Streamlit server, nginx in front of it
(deploy/run-proxy.sh), and a page of "another origin" served by the test itself.

Each test has a control where it matters: the same thing done to Streamlit directly
succeeds, so a pass means the proxy blocked it, not that the test could not tell.
"""

from __future__ import annotations

import http.client
import http.server
import os
import re
import shutil
import signal
import subprocess
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import APP_DIR, WAIT_MS, StreamlitServer
from tests.streamlit_client import answers_ok, free_port, wait_for
from ui import upload_limits

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VERDICT = re.compile(r"(CHƯA ĐẠT|ĐẠT) mục tiêu 2025")
FRAMING_HEADERS = {"x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'"}


@dataclass
class Proxied:
    url: str  # through nginx
    direct: StreamlitServer  # the Streamlit server behind it
    port: int


@pytest.fixture
def proxied(start_server, tmp_path: Path) -> Iterator[Proxied]:
    if not os.access(NGINX, os.X_OK):
        reason = "nginx is missing (apt-get install nginx; scripts/test.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    server = start_server()
    port = free_port()
    env = dict(os.environ, PROXY_PORT=str(port), PROXY_ADDRESS="127.0.0.1", STREAMLIT=f"127.0.0.1:{server.port}",
               SERVER_NAMES="127.0.0.1 localhost", PROXY_DIR=str(tmp_path / "proxy"))  # fmt: skip
    log = open(tmp_path / "proxy.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([str(APP_DIR / "deploy" / "run-proxy.sh")], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        try:
            wait_for(lambda: answers_ok(f"http://127.0.0.1:{port}/_stcore/health"), 30, proc, "the proxy")
        except RuntimeError as error:
            raise RuntimeError(f"{error}:\n{(tmp_path / 'proxy.log').read_text(errors='replace')}") from None
        yield Proxied(f"http://127.0.0.1:{port}", server, port)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        log.close()


@pytest.fixture
def other_origin(tmp_path: Path) -> Iterator[callable]:
    """A page on another origin (another loopback port) that frames a given URL."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def framing(target: str) -> str:
        name = f"/{uuid.uuid4().hex}.html"
        pages[name] = (
            "<!doctype html><title>Another site</title><p>Win a prize: press Save below.</p>"
            f'<iframe id="victim" src="{target}" width="1200" height="900" '
            "onload=\"this.dataset.loaded = '1'\"></iframe>"
        ).encode()
        return f"http://127.0.0.1:{httpd.server_address[1]}{name}"

    yield framing
    httpd.shutdown()
    httpd.server_close()


def _get(url: str, host: str | None = None) -> tuple[int, dict[str, str]]:
    parts = urllib.request.urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path or "/", headers={"Host": host} if host else {})
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def test_the_app_works_through_the_proxy_and_every_response_forbids_framing(proxied, new_app):
    app = new_app(proxied.url)
    responses = []
    app.page.on("response", lambda response: responses.append(response))
    app.open("/")  # the WebSocket (/_stcore/stream) goes through nginx too: the sidebar is drawn
    verdict = app.main.get_by_test_id("stAlert").locator("h3").filter(has_text=VERDICT)
    expect(verdict).to_contain_text("ĐẠT mục tiêu 2025")
    expect(verdict).not_to_contain_text("CHƯA ĐẠT")
    textiles = app.slider("g.textiles")
    app.press(textiles, "Home")  # the slider's minimum: -30% a year
    expect(app.page).to_have_url(re.compile(r"[?&]g\.textiles=-30(\.0)?(&|$)"))
    expect(verdict).to_contain_text("CHƯA ĐẠT mục tiêu 2025")

    ours = [r for r in responses if r.url.startswith(proxied.url)]
    assert len(ours) > 5, "the page, its scripts, styles and fonts came through the proxy"
    for response in ours:
        headers = response.all_headers()
        for name, value in FRAMING_HEADERS.items():
            assert headers.get(name) == value, (response.url, name, headers.get(name))
    status, headers = _get(proxied.url + "/no-such-page")  # errors too
    assert {k: headers.get(k) for k in FRAMING_HEADERS} == FRAMING_HEADERS


def test_another_origin_cannot_frame_the_app_through_the_proxy(proxied, new_app, other_origin):
    app = new_app(proxied.url)
    page = app.page
    # Control: Streamlit alone can be framed by another origin (the app appears in the frame).
    page.goto(other_origin(proxied.direct.url + "/"), wait_until="domcontentloaded")
    expect(page.frame_locator("#victim").get_by_test_id("stApp")).to_be_visible(timeout=WAIT_MS)
    # Through the proxy: Chromium refuses to show it (its error page stands in the frame).
    page.goto(other_origin(proxied.url + "/"), wait_until="domcontentloaded")
    expect(page.locator("#victim")).to_have_attribute("data-loaded", "1")  # the frame has finished loading
    frame = page.locator("#victim").element_handle().content_frame()
    assert frame is not None and frame.url.startswith("chrome-error://"), frame and frame.url
    expect(page.frame_locator("#victim").get_by_test_id("stApp")).to_have_count(0)


def test_a_link_with_too_many_parameters_is_repaired_through_the_proxy(proxied, new_app):
    app = new_app(proxied.url)
    junk = "&".join(f"utm{i}=x" for i in range(1_500))
    app.open(f"/?shock=20&{junk}")  # 12 KB: over nginx's default 8 KB request line, under the app's 64 KB
    notice = app.main.get_by_test_id("stAlert").filter(has_text="Liên kết có 1501 tham số")
    expect(notice).to_contain_text("ứng dụng giữ 1 tham số mà nó biết")
    expect(app.page).to_have_url(re.compile(r"/\?shock=20$"))  # on a fresh server's first request too


def test_metrics_are_closed_and_unknown_hosts_refused(proxied):
    assert _get(proxied.direct.url + "/_stcore/metrics")[0] == 200  # control: Streamlit shows them
    assert _get(proxied.url + "/_stcore/metrics")[0] in (403, 404)
    assert _get(proxied.url + "/_stcore/health")[0] == 200
    assert _get(proxied.url + "/", host="127.0.0.1")[0] == 200
    assert _get(proxied.url + "/", host="evil.example")[0] == 403  # DNS rebinding, a name not on the list


def _upload_requests(app, count: int, size: int) -> list[int]:
    """PUT `count` files of `size` bytes straight to this session's upload endpoint, as a
    hostile client would (the page's own session id and XSRF token); their HTTP statuses."""
    app.nav("Dữ liệu")
    with app.page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT") as put:
        app.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": b"year,value_musd\n2021,1\n"}]
        )
    assert put.value.status == 204
    session_url = put.value.url.rsplit("/", 1)[0]
    token = next(c["value"] for c in app.page.context.cookies() if c["name"] == "_streamlit_xsrf")
    statuses = []
    for _ in range(count):
        response = app.page.request.put(
            f"{session_url}/{uuid.uuid4()}", headers={"X-Xsrftoken": token},
            multipart={"file": {"name": "x.csv", "mimeType": "text/csv", "buffer": os.urandom(size)}},
        )  # fmt: skip
        statuses.append(response.status)
    return statuses


def _uploaded_bytes(server: StreamlitServer) -> int:
    """What Streamlit's in-memory upload store holds now (its own metrics page, direct)."""
    with urllib.request.urlopen(server.url + "/_stcore/metrics", timeout=10) as r:
        text = r.read().decode()
    found = re.findall(r'cache_memory_bytes\{cache_type="UploadedFileManager"[^}]*\}\s+([0-9.e+]+)', text)
    return int(sum(float(v) for v in found))


def test_a_session_keeps_a_bounded_upload_store_and_the_proxy_limits_the_rate(proxied, new_app):
    size = 1_900_000  # just under Streamlit's 2 MB per file
    direct = new_app(proxied.direct.url).open("/")
    statuses = _upload_requests(direct, 12, size)
    assert statuses == [204] * 12, "Streamlit itself accepts every one"
    held = _uploaded_bytes(proxied.direct)
    assert held <= upload_limits.MAX_BYTES < 12 * size, held  # the app keeps only the newest

    through = new_app(proxied.url).open("/")
    statuses = _upload_requests(through, 20, 10_000)
    assert statuses[:9].count(204) == 9, statuses  # the page's own upload and a burst pass
    assert 429 in statuses, statuses  # then the proxy slows the client down
