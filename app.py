"""Entry point: page config, navigation, the shared sidebar, and URL <-> scenario.

Run: streamlit run app.py. The page scripts live in views/ (not pages/: a folder named
pages/ beside the entry point makes Streamlit serve a deep link's first request in its
legacy multipage mode, without this sidebar; see docs/design.md, "Architecture").
"""

from pathlib import Path

import streamlit as st

from ui import components, controls, link_limits, saving, session, upload_limits
from ui.text import t

# The tab's icon, served by this server: a Material icon there is fetched from Google's font
# servers, which the province's internal network cannot reach.
ICON = str(Path(__file__).resolve().parent / "ui" / "icon.png")

upload_limits.install()  # what a session may keep uploaded (ui/serve.py installs both at start)
link_limits.install()  # links Streamlit would ignore reach the app repaired
link_limits.recover()  # ... and are announced: before the plan is chosen
session.open_link_data()  # a link's figures (data=) decide the plan, so they come before it
plan = session.current_plan()
controls.repair_link_once(plan)
lang = controls.language()
st.set_page_config(
    page_title=t("app.title", lang, province=plan.province(lang)), page_icon=ICON,
    layout="wide", initial_sidebar_state="expanded",
)  # fmt: skip
controls.plan_selector(lang)

# (script, title, address). The first is the default page: Streamlit serves it at the root
# only, so its address is "" (any other name there would answer "page not found").
PAGES = [
    ("views/overview.py", "page.overview", ""),
    ("views/scenario.py", "word.scenario", "scenario"),
    ("views/risk.py", "page.risk", "risk"),
    ("views/compare.py", "page.compare", "compare"),
    ("views/data.py", "page.data", "data"),
    ("views/method.py", "page.method", "method"),
]
navigation = st.navigation(
    [st.Page(path, title=t(title, lang), url_path=url, default=(i == 0)) for i, (path, title, url) in enumerate(PAGES)],
    position="top",
)

scenario = controls.scenario_from_sidebar(plan, lang)
context = session.Context(
    plan=plan, scenario=scenario, projection=session.project(plan, scenario), lang=lang,
    uses_bundled_plan=plan.fingerprint == session.bundled_plan().fingerprint,
    dataset=session.dataset_in_use(plan),
)  # fmt: skip
session.set_context(context)
session.sync_data_param(context)
components.share_box(context)
saving.save_box(context)
components.link_repairs_notice(lang)
saving.link_data_notice(lang)
components.adjustments_notice(context)
navigation.run()
