"""Phương pháp / Method: the equations in plain words, the presets' basis, the sources."""

import pyarrow as pa
import streamlit as st

from ui import components, session
from ui.text import md_line, t

ctx = session.context()
plan, lang = ctx.plan, ctx.lang

st.title(t("page.method", lang))
st.markdown(components.content("method", lang))
st.markdown("\n".join(f"- **{md_line(preset.name(lang))}**: {md_line(preset.basis(lang))}" for preset in plan.presets))
st.markdown(components.content("backtest", lang))
if notes := session.plan_notes(plan, lang):  # the bundled plan's own data notes (trusted text)
    st.markdown(notes)
    if not ctx.uses_bundled_plan:
        st.caption(t("method.notes_other_data", lang))

st.subheader(t("method.sources", lang))
st.caption(t("status.legend", lang))
# An Arrow table, no pandas: Streamlit sends Arrow, and a frame made and converted on every
# run cost this page about a millisecond.
sources = pa.table({column: [getattr(s, column) for s in plan.sources] for column in ("id", "title", "url")})
# Tall rows let a long title wrap inside its cell; the address shows as its site's name. As tall
# as its rows: a source list read on a projector must not hide rows behind a scroll of its own.
st.dataframe(
    sources, hide_index=True, width="stretch", height="content", row_height=72,
    column_config={
        "id": st.column_config.TextColumn(t("word.id", lang), width=50),
        "title": st.column_config.TextColumn(t("word.source", lang), width=350),
        "url": st.column_config.LinkColumn(t("method.link", lang), display_text=r"https?://(?:www\.)?([^/]+).*", width=150),
    },
)  # fmt: skip
