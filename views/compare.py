"""So sánh / Compare: the meeting's paper. Each scenario's verdict and key figures first, each on
its own figures (the bundled plan or the saved dataset it was made on), then the chart, then
the parameters that differ; the saved scenarios to manage below. Saving is in the sidebar."""

from __future__ import annotations

import streamlit as st

from model import Scenario
from model.store import MAX_NAME_LENGTH
from ui import charts, comparison, components, controls, saving, session
from ui import format as fmt
from ui.exports import names
from ui.exports.brief import BriefItem, comparison_brief_pdf
from ui.text import md, t, tmd

CURRENT = comparison.CURRENT

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
store, store_error = session.store()
st.title(t("page.compare", lang))
if store_error is not None:
    st.error(saving.unavailable_message(store_error, lang))
saving.show(saving.PAGE_SLOT)


found: dict[tuple, session.SavedData] = {}


def data_of(saved) -> session.SavedData:
    """The figures a saved scenario was made on (looked up once per run)."""
    key = (saved.plan_id, saved.data_fingerprint)
    if key not in found:
        found[key] = session.saved_data(*key)
    return found[key]


def column_for(key: str, label: str) -> comparison.Column:
    if comparison.is_current(key):
        return comparison.Column(label, session.data_name(ctx, lang), plan, sc, proj, session.simulate(plan, sc))
    data = data_of(by_id[int(key)])
    if data.plan is None:
        return comparison.Column(label, t("cmp.not_computed", lang, data=data.describe(lang)))
    scenario = Scenario.from_query(by_id[int(key)].query, data.plan)
    return comparison.computed(label, data.describe(lang), data.plan, scenario, session.project, session.simulate)


# Every saved scenario, the deleted ones too (for the bin), in one read a run.
everything = [] if store is None else saving.read_with_bin(lambda deleted: store.list(include_deleted=deleted), lang)
saved = [s for s in everything if not s.deleted]
by_id = {s.id: s for s in saved}

# --- the comparison (the selection lives in the link: ?cmp=current,12,15)
st.subheader(t("cmp.compare", lang))
options = [CURRENT] + [str(s.id) for s in saved]
labels = comparison.unique({CURRENT: t("cmp.current", lang)} | {str(s.id): s.name for s in saved})
chips = comparison.unique({key: comparison.chip_label(label) for key, label in labels.items()})
link = comparison.from_link(st.query_params.get(session.COMPARE_PARAM, ""), options)
if link.cut:
    st.warning(t("cmp.link_cut", lang, n=fmt.number(link.named, lang, 0), read=comparison.LINK_IDS_READ))
if link.missing:
    st.warning(tmd("cmp.missing", lang, ids=link.missing_text(lang)))
default = link.chosen or comparison.first_choice(saved, plan.id, session.default_plan_id())
selection = comparison.distinct(
    st.multiselect(t("cmp.choose", lang), options, default=default, format_func=chips.get, key="compare_pick")
)
st.query_params[session.COMPARE_PARAM] = ",".join(selection)
if len(selection) > 4:
    st.info(t("cmp.too_many", lang))
    selection = selection[:4]
if len(selection) < 2:
    st.info(t("cmp.need_two", lang))
    if store is not None and not saved:  # nothing to choose yet: say how to make something
        st.caption(t("cmp.how_to_save", lang, save=t("cmp.save", lang)))
else:
    columns = [column_for(key, labels[key]) for key in selection]
    computed = [c for c in columns if c.projection is not None]
    st.markdown(f"**{t('cmp.summary', lang)}**")
    if (shared := comparison.shared_data(columns)) is not None:
        st.caption(md(t("cmp.data_shared", lang, data=shared)))
    components.text_table(comparison.summary(columns, lang))
    if computed:
        paths = {c.label: c.projection.totals for c in computed}  # type: ignore[union-attr]
        components.chart(charts.compare_chart(paths, comparison.targets(computed, lang), lang), "compare", lang)
        every = comparison.parameters(computed, lang, plan)
        st.markdown(f"**{t('cmp.params_differ', lang)}**")
        if (differ := comparison.differing(every)) is not None:
            components.text_table(differ)
        else:
            st.caption(t("cmp.params_same", lang))
        if (box := st.expander(t("cmp.table", lang), **controls.built_when_open("all_parameters"))).open:
            with box:
                components.text_table(every)
    st.markdown(f"**{t('cmp.link', lang)}**")
    compare_link = session.share_link(ctx) + f"&{session.COMPARE_PARAM}={','.join(selection)}"
    st.code(compare_link, language=None, wrap_lines=True)
    if shared is None:  # when they share it, the caption above the outcome said it
        st.caption(md(t("cmp.link_data", lang, list="; ".join(f"{c.label}: {c.data}" for c in columns))))
    if len(computed) >= 2:
        items = [BriefItem(c.plan, c.scenario, c.projection, c.risk, c.data, None if comparison.is_current(key) else c.label)
                 for key, c in zip(selection, columns, strict=True) if c.projection is not None]  # fmt: skip
        st.download_button(
            t("cmp.brief", lang), data=lambda: comparison_brief_pdf(items, lang, compare_link, session.today()),
            file_name=names.comparison_stem(plan, session.today(), lang) + ".pdf", mime="application/pdf",
            on_click="ignore", key="download_comparison_brief", icon=":material/download:",
        )  # fmt: skip

# --- saved scenarios: list, open, rename, duplicate, delete; the bin
st.subheader(t("cmp.list", lang))
if not saved:
    if store is not None:
        st.caption(t("cmp.empty", lang))
else:
    components.text_table(
        [
            {
                t("cmp.col.name", lang): s.name,
                t("cmp.col.updated", lang): session.local_time(s.updated_at),
                t("word.verdict", lang): comparison.verdict_cell(s.reachable, s.probability, s.target_year, lang),
                t("cmp.col.total", lang): fmt.number(s.target_year_total, lang),
                t("word.note", lang): s.note,
                t("cmp.data", lang): data_of(s).short(lang),
            }
            for s in saving.newest(saved, lang)
        ]
    )
    with st.container(border=True):
        st.markdown(f"**{t('cmp.manage', lang)}**")
        chosen_id = st.selectbox(
            t("cmp.pick", lang), list(by_id), format_func=lambda i: by_id[i].name, key="manage_pick"
        )
        chosen = by_id[chosen_id]
        actions = st.container(horizontal=True)  # two buttons that wrap rather than cut their labels
        actions.button(
            t("cmp.open", lang), key="open_saved", type="primary", on_click=saving.open_scenario, args=(chosen.id, lang)
        )
        if actions.button(t("cmp.duplicate", lang), key="duplicate_saved"):
            saving.write(lambda: store.duplicate(chosen.id), lambda s: t("cmp.done", lang, name=s.name), lang)
            st.rerun()
        rename_col, rename_button_col = st.columns([3, 1], vertical_alignment="bottom")
        new_name = rename_col.text_input(
            t("cmp.new_name", lang), value=chosen.name, max_chars=MAX_NAME_LENGTH, key=f"rename_{chosen.id}"
        )
        if rename_button_col.button(t("cmp.rename", lang), key="rename_saved"):
            saving.write(lambda: store.rename(chosen.id, new_name), lambda s: t("cmp.done", lang, name=s.name), lang)
            st.rerun()
        sure = st.checkbox(tmd("cmp.confirm_delete", lang, name=chosen.name), key=f"confirm_delete_{chosen.id}")
        if st.button(t("cmp.delete", lang), key="delete_saved", disabled=not sure):
            saving.write(lambda: store.delete(chosen.id), lambda s: t("cmp.deleted", lang, name=s.name), lang)
            st.rerun()

if store is not None:  # without a store there is nothing deleted to restore
    saving.recycle_bin([s for s in everything if s.deleted], lambda s: s.name, store.restore, "restore", lang)
