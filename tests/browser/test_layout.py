"""Every page fits a projector: 1024×768 and 1366×768, Vietnamese and English.

One server and one browser session for the module; each page is opened once and looked at
four times (two sizes × two languages, the language switched in the sidebar). On each,
measured in the browser as a reader would see it:

- no text is cut: no element that hides its overflow (ellipsis, hidden or clipped) has
  text running past its edge;
- no chart is clipped: every legend, title and axis of every chart lies inside the chart's
  box, and every text of a chart is at least 16 px;
- the main area never scrolls sideways, nor does any table.

The store holds what a department's server holds after a few meetings (saved scenarios with
long names and notes, a saved dataset), so the Compare and Data pages show their lists and
the buttons that act on them.

Set PROJECTOR_SCREENSHOTS=<folder> to keep the first screen of each page as a PNG
(docs/screenshots/ holds the committed ones).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import model
from model.plan import plan_to_dict
from model.store import ScenarioStore
from tests.browser.conftest import WAIT_MS, StreamlitServer
from ui.table_html import FRAME

pytestmark = pytest.mark.browser

SIZES = [(1024, 768), (1366, 768)]
PAGES = ["overview", "scenario", "risk", "compare", "data", "method"]
NAV = {
    "vi": ["Tổng quan", "Kịch bản", "Rủi ro & độ nhạy", "So sánh", "Dữ liệu", "Phương pháp"],
    "en": ["Overview", "Scenario", "Risk & sensitivity", "Compare", "Data", "Method"],
}
TOLERANCE_PX = 3  # an axis line's stroke may stand a pixel or two past the chart's box

MEASURE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const cut = [];
  for (const el of app.querySelectorAll('*')) {
    if (!shown(el) || el.clientWidth <= 4 || !el.textContent.trim()) continue;
    if (el.closest('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"], pre, code')) continue;
    const cs = getComputedStyle(el);
    const hides = cs.textOverflow === 'ellipsis' || cs.overflowX === 'hidden' || cs.overflowX === 'clip';
    if (!hides || el.scrollWidth <= el.clientWidth + 1) continue;
    const box = el.getBoundingClientRect();
    const left = box.left + el.clientLeft, right = left + el.clientWidth;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(n);
      const over = [...range.getClientRects()].some(r => r.width > 0 && (r.right > right + 1 || r.left < left - 1));
      if (over) { cut.push(n.textContent.trim().slice(0, 70)); break; }
    }
  }
  const charts = [];
  for (const c of app.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const box = c.getBoundingClientRect();
    const title = (c.querySelector('.role-title text') || {}).textContent || '(untitled)';
    for (const g of c.querySelectorAll('.role-legend, .role-title, .role-axis')) {
      const r = g.getBoundingClientRect();
      if (r.width === 0) continue;
      const out = Math.max(box.left - r.left, r.right - box.right);
      if (out > %(tol)d) charts.push(`${title}: ${g.getAttribute('class')} ${Math.round(out)} px outside`);
    }
    for (const t of c.querySelectorAll('svg text')) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (t.textContent.trim() && size < 16) { charts.push(`${title}: "${t.textContent}" at ${size} px`); break; }
    }
  }
  const main = document.querySelector('[data-testid="stMain"]');
  const sideways = main.scrollWidth > main.clientWidth + 1 || document.scrollingElement.scrollWidth > innerWidth + 1;
  // a grid's scroller, or a static table's box (its cells wrap, unless a word is wider than the page)
  const tables = [...app.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller, .%(frame)s, .%(frame)s > *')]
    .filter(t => t.scrollWidth > t.clientWidth + 1).map(t => `${t.scrollWidth} > ${t.clientWidth} px`);
  return {cut, charts, sideways, tables, count: app.querySelectorAll('[data-testid="stVegaLiteChart"]').length};
}""".replace("%(tol)d", str(TOLERANCE_PX)).replace("%(frame)s", FRAME)

# Every chart on the page drawn at the current width (a resize re-renders them), the script idle.
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;  // the page has been drawn
  // Streamlit draws a skeleton while an element's code is still loading (a table, a chart, a slider)
  if (app.querySelector('[data-testid="stSkeleton"]')) return false;
  // every table in sight laid out (a closed expander keeps its tables, hidden and never laid out)
  const grids = [...app.querySelectorAll('[data-testid="stDataFrame"]')].filter(g => !g.closest('details:not([open])'));
  if (!grids.every(g => g.querySelector('.dvn-scroller'))) return false;
  if (app.querySelectorAll('[data-testid="stVegaLiteChart"]').length < (window.__charts || 0)) return false;
  return [...app.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(c => {
    const svg = c.querySelector('svg.marks');
    return svg && c.querySelector('.role-axis') && Math.abs(svg.getBoundingClientRect().width - c.getBoundingClientRect().width) <= 2;
  });
}"""


@pytest.fixture(scope="module")
def room(browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One server and one browser tab for the whole module: (the tab, the server's address)."""
    workdir = tmp_path_factory.mktemp("layout")
    server = StreamlitServer(workdir, _meeting_store(workdir / "store.sqlite3"))
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    context.set_default_timeout(WAIT_MS)
    yield context.new_page(), server.url
    context.close()
    server.stop()


def _meeting_store(path: Path) -> Path:
    """A store with two saved scenarios and a saved dataset, long names and notes."""
    plan = model.load_plan()
    store = ScenarioStore(path)
    figures = replace(plan, sectors=tuple(replace(s, base_musd=s.base_musd * 1.01) for s in plan.sectors))
    store.save_dataset("Số liệu Sở Công Thương cập nhật tháng 11/2026 (bản đã rà soát)",
                       "Cập nhật theo báo cáo của Sở; đã rà soát lại nhóm hàng gỗ và điện tử",
                       plan_to_dict(figures), plan.id)  # fmt: skip
    # The newest is the one Compare shows beside the current scenario: a name as long as a name
    # may be (80 characters), in the chart's legend and the tables' headers.
    for i, name in enumerate(
        ["Phương án cơ sở", "Phục hồi chậm sau COVID: dệt may, da giày tăng 6%/năm nhờ EVFTA, CPTPP 2021–2025"]
    ):
        store.save(name, "Chuẩn bị cho cuộc họp giao ban tháng 12 về xuất khẩu", {"g.textiles": str(6 + i)},
                   True, 2750.0 + i, 2025, plan_id=plan.id, data_fingerprint=plan.fingerprint)  # fmt: skip
    return path


def _settle(page) -> None:
    """The script idle and everything drawn, then two frames for a resize's layout to land."""
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


CHARTS = {"overview": 1, "risk": 4, "compare": 1}  # how many charts a page draws (on a fresh session)


def _open(page, base_url: str, name: str) -> None:
    """Open page `name` in Vietnamese, in a new session (the link, as a colleague opens it),
    and wait until all of it is drawn: its charts (counted), its tables."""
    path = "" if name == "overview" else name
    page.goto(f"{base_url}/{path}?lang=vi", wait_until="domcontentloaded")
    page.evaluate(f"() => {{ window.__charts = {CHARTS.get(name, 0)}; }}")
    _settle(page)


def _to_english(page, name: str) -> None:
    """Switch the language in the sidebar, as a presenter does, and wait for the page in English."""
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebar").get_by_test_id("stRadio").get_by_text("en", exact=True).click()
    link = page.get_by_test_id("stTopNav").get_by_test_id("stTopNavLink").filter(has_text=NAV["en"][PAGES.index(name)])
    expect(link).to_have_attribute("aria-current", "page")
    _settle(page)


def problems_on(page, name: str) -> list[str]:
    found = page.evaluate(MEASURE)
    out = [f"text cut: {text!r}" for text in found["cut"]]
    out += [f"chart clipped: {what}" for what in found["charts"]]
    if found["sideways"]:
        out.append("the main area scrolls sideways")
    out += [f"table scrolls sideways: {what}" for what in found["tables"]]
    return out


def _check_page(room, name: str) -> None:
    """Vietnamese at both sizes, then English at both (one switch of the radio a page)."""
    page, base_url = room
    shots = os.environ.get("PROJECTOR_SCREENSHOTS")
    problems = []
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    _open(page, base_url, name)
    for lang, sizes in (("vi", SIZES), ("en", SIZES[::-1])):
        if lang == "en":
            _to_english(page, name)
        for width, height in sizes:
            page.set_viewport_size({"width": width, "height": height})
            _settle(page)
            problems += [f"{width}×{height} {lang}: {p}" for p in problems_on(page, name)]
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(shots) / f"{width}x{height}-{lang}-{name}.png"))
    assert problems == [], "\n".join(problems)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_projector(room, name):
    _check_page(room, name)


@pytest.mark.timeout(60)
def test_charts_are_there_to_be_measured(room):
    """The measurement looks at the charts: the Risk page shows four of them, each measured."""
    page, base_url = room
    _open(page, base_url, "risk")
    assert page.evaluate(MEASURE)["count"] == 4
