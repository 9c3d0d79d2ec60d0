"""Dữ liệu / Data: every figure with its provenance; edit, upload, templates; plan vs actual;
the figures saved on the server as named datasets."""

import pandas as pd
import streamlit as st

from model.plan import BOUNDS, STATUSES, TOTAL, Plan
from model.record import record
from model.store import MAX_NAME_LENGTH, MAX_NOTE_LENGTH
from model.upload import NUMERIC, plan_with_tables, template_csv, template_xlsx
from ui import controls, saving, session
from ui import format as fmt
from ui.components import text_table
from ui.problems import describe_all
from ui.text import md, md_line, status_label, t, tmd

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The data editor's column labels (the frames keep the plan's own column names, which the
# edit is read back by).
EDITOR_LABELS = {
    "id": "edit.id", "name_vi": "edit.name_vi", "name_en": "edit.name_en",
    "base_musd": "edit.base_musd", "base_status": "edit.base_status", "base_source": "edit.base_source",
    "base_note": "edit.base_note", "growth_pct": "sc.col.growth", "growth_status": "edit.growth_status",
    "growth_source": "edit.growth_source", "growth_note": "edit.growth_note",
    "volatility_pp": "edit.volatility_pp", "volatility_status": "edit.volatility_status",
    "volatility_source": "edit.volatility_source", "volatility_note": "edit.volatility_note",
    "year": "word.year", "sector": "edit.sector", "value_musd": "edit.value_musd", "status": "word.status",
    "source": "word.source", "note": "word.note", "bound": "edit.bound",
}  # fmt: skip
BOUND_LABELS = {"": "", "upper": "bound.upper", "lower": "bound.lower"}
# The tables one may edit: each one's section title and how the plan gives it as a frame.
EDITORS = {"sectors": ("data.edit_sectors", Plan.sectors_frame), "actuals": ("data.edit_actuals", Plan.actuals_frame)}

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
store, store_error = session.store()

st.title(t("page.data", lang))
st.info(md(t("data.in_use", lang, data=session.data_name(ctx, lang))))
st.caption(t("status.legend", lang))

# --- targets, sectors and actuals: every figure with its status, source and note. Tables that
# wrap their text (a projector at 1024 px shows every word without scrolling sideways).
st.subheader(t("data.targets", lang))
target_rows = [
    (t("data.target_row", lang, year=plan.target.year), fmt.target_musd(plan.target.value_musd, lang), plan.target.prov,
     plan.target.note(lang)),
    (t("data.required_row", lang), fmt.pct(plan.required_growth_pct, lang), plan.required_growth_prov, plan.required_growth_note(lang)),
]  # fmt: skip
if plan.target_2030 is not None:
    t2030 = plan.target_2030
    target_rows.append((t("data.target_row", lang, year=t2030.year), fmt.target_musd(t2030.value_musd, lang), t2030.prov,
                        t2030.note(lang)))  # fmt: skip
text_table([
    {t("word.item", lang): item, t("word.value", lang): value, t("word.status", lang): status_label(prov.status, lang),
     t("word.source", lang): prov.source, t("data.col.note", lang): note}
    for item, value, prov, note in target_rows
])  # fmt: skip

# --- sectors: the figures here, their notes (long formulas, three per sector) listed below
st.subheader(t("data.sectors", lang))
text_table([
    {t("word.sector", lang): s.name(lang),
     t("data.col.base", lang, year=plan.base_year): fmt.with_status(fmt.number(s.base_musd, lang, 2), s.base_prov.status, lang),
     t("data.col.growth", lang): fmt.with_status(fmt.number(s.growth_pct, lang), s.growth_prov.status, lang),
     t("data.col.volatility", lang): fmt.with_status(fmt.number(s.volatility_pp, lang), s.volatility_prov.status, lang),
     t("word.source", lang): " / ".join(dict.fromkeys([s.base_prov.source, s.growth_prov.source, s.volatility_prov.source]))}
    for s in plan.sectors
])  # fmt: skip
notes_box = st.expander(t("data.sector_notes", lang), **controls.built_when_open("sector_notes"))
if notes_box.open:  # a Markdown element a sector: built only when asked for
    for s in plan.sectors:
        notes = [(t(label, lang, year=plan.base_year), prov.note) for label, prov in
                 (("export.fig.base", s.base_prov), ("export.fig.growth", s.growth_prov),
                  ("export.fig.volatility", s.volatility_prov)) if prov.note]  # fmt: skip
        if notes:
            notes_box.markdown(
                f"**{md_line(s.name(lang))}**\n" + "\n".join(f"- {label}: {md_line(note)}" for label, note in notes)
            )

# --- actuals: reported, estimated and derived figures, each named for what it is
kinds = {a.prov.status for a in plan.actuals}
st.subheader(t("data.actuals_derived" if kinds & {"derived", "assumption", "proxy"} else "data.actuals", lang))
names = {s.id: s.name(lang) for s in plan.sectors} | {TOTAL: t("data.total", lang)}
if plan.actuals:
    text_table([
        {t("word.year", lang): str(a.year), t("word.sector", lang): names.get(a.sector, a.sector),
         t("data.col.actual", lang): fmt.number(a.value_musd, lang),
         t("word.status", lang): fmt.with_bound(status_label(a.prov.status, lang), a.bound, lang),
         t("word.source", lang): a.prov.source, t("data.col.note_file", lang): a.prov.note}
        for a in plan.actuals
    ])  # fmt: skip
else:  # every row deleted in the editor: say so, rather than draw an empty box
    st.caption(t("data.no_actuals", lang))
if sentence := fmt.record_sentence(record(plan, proj, session.today()), lang, plan.events):
    st.info(md(sentence), icon=":material/history:")
st.caption(t("data.vs_overview", lang))

# --- the user's own figures: edit, upload, templates, reset
st.subheader(t("data.replace", lang))
st.caption(t("data.replace_help", lang))
if result := st.session_state.pop(session.PLAN_RESULT_KEY, None):
    kind, detail = result
    if kind == "problems":
        st.error(
            "\n".join(
                [t("data.problems", lang, n=len(detail)), *(f"- {md(line)}" for line in describe_all(detail, lang))]
            )
        )
    elif kind == "applied":
        st.success(t("data.applied", lang, fingerprint=detail))
    elif kind == "unchanged":
        st.info(t("data.unchanged", lang, fingerprint=detail))
    else:
        st.success(t("data.reset_done", lang))

st.file_uploader(
    t("data.upload", lang), type=["csv", "txt", "xlsx"], key=session.UPLOAD_KEY, on_change=session.upload_plan_file
)
st.markdown(f"**{t('data.templates', lang)}**")
templates = [
    ("data.tpl_sectors_csv", lambda: template_csv(plan, "sectors", lang), "sectors.csv", "text/csv"),
    ("data.tpl_sectors_xlsx", lambda: template_xlsx(plan, "sectors", lang), "sectors.xlsx", XLSX),
    ("data.tpl_actuals_csv", lambda: template_csv(plan, "actuals", lang), "actuals.csv", "text/csv"),
    ("data.tpl_actuals_xlsx", lambda: template_xlsx(plan, "actuals", lang), "actuals.xlsx", XLSX),
]
# A row that wraps: four buttons side by side would cut their labels at 1024 px.
template_row = st.container(horizontal=True)
for label, make, name, mime in templates:
    template_row.download_button(
        t(label, lang), data=make, file_name=f"{plan.id}-{name}", mime=mime, on_click="ignore", key=f"tpl_{name}"
    )


def editor_columns(frame: pd.DataFrame, kind: str) -> dict:
    """Each column in the interface language; statuses, sectors and bounds shown as words, kept as codes."""
    names = {s.id: s.name(lang) for s in plan.sectors} | {TOTAL: t("data.total", lang)}
    choices = {
        "status": (STATUSES, lambda v: status_label(v, lang) if v else ""),
        "sector": (list(names), lambda v: names.get(v, str(v or ""))),
        "bound": (BOUNDS, lambda v: t(BOUND_LABELS[v], lang) if BOUND_LABELS.get(v) else ""),
    }
    config = {}
    for column in frame.columns:
        label = t(EDITOR_LABELS[column], lang)
        choice = choices.get("status" if column.endswith("status") else column)
        if choice is not None:
            config[column] = st.column_config.SelectboxColumn(label, options=list(choice[0]), format_func=choice[1])
        elif column == "year":
            config[column] = st.column_config.NumberColumn(label, format="%d", step=1)
        elif column in NUMERIC[kind]:
            config[column] = st.column_config.NumberColumn(label)
        else:
            config[column] = st.column_config.TextColumn(label)
    return config


def table_editor(kind: str):
    """An editor of one table, drawn only while its section is open: an editor is the costliest
    element of this page, and a closed one would still be built on every slider move. The
    edited table, or None (unchanged) when closed. A new editor for new figures: its edits are
    about the table it was drawn from."""
    title, table = EDITORS[kind]
    section = st.expander(t(title, lang), **controls.built_when_open(f"edit_{kind}"))
    if not section.open:
        return None
    frame = table(plan)
    with section:
        st.caption(t("data.edit_lost_on_close", lang))
        edited = st.data_editor(
            frame, key=editor_key(kind), num_rows="dynamic", hide_index=True, column_config=editor_columns(frame, kind)
        )
        if changes := session.pending_changes(editor_key(kind)):
            st.caption(t("data.pending", lang, n=changes))
    return edited


def editor_key(kind: str) -> str:
    return f"edit_{kind}_{plan.fingerprint}"


edits = {kind: table_editor(kind) for kind in EDITORS}
nothing_to_apply = not any(
    session.pending_changes(editor_key(kind)) for kind, edit in edits.items() if edit is not None
)
apply_col, reset_col = st.columns(2)
if apply_col.button(t("data.apply_edits", lang), type="primary", key="apply_edits", disabled=nothing_to_apply):
    session.accept_plan(*plan_with_tables(plan, **edits))
    st.rerun()
reset_col.button(t("data.reset", lang), on_click=session.reset_plan, key="reset_plan", disabled=ctx.uses_bundled_plan)
st.caption(t("data.other_province", lang))

# --- saved datasets: the figures kept on the server under a name -----------------------------
st.subheader(t("ds.title", lang))
st.caption(t("ds.help", lang))
saving.show(saving.PAGE_SLOT)
if store is None:
    st.error(saving.unavailable_message(store_error, lang))
    st.stop()

if ctx.uses_bundled_plan:
    st.caption(t("ds.bundled", lang))
elif ctx.dataset is not None:
    st.info(tmd("ds.already", lang, name=ctx.dataset.name))
else:
    with st.form(saving.DATASET_FORM, border=True):
        st.markdown(f"**{t('ds.save', lang)}**")
        st.text_input(t("ds.name", lang), max_chars=MAX_NAME_LENGTH, key=saving.DATASET_NAME)
        st.text_area(t("cmp.note", lang), max_chars=MAX_NOTE_LENGTH, key=saving.DATASET_NOTE, height=68)
        st.form_submit_button(
            t("ds.save_button", lang), type="primary", on_click=saving.save_dataset, args=(plan, lang)
        )


every_dataset = saving.read_with_bin(lambda deleted: store.dataset_entries(include_deleted=deleted), lang)
datasets = [d for d in every_dataset if not d.deleted]
plans = session.bundled_plans()
if not datasets:
    st.caption(t("ds.empty", lang))
else:
    text_table(
        [
            {
                t("cmp.col.name", lang): d.name, t("ds.col.saved", lang): session.local_time(d.created_at),
                t("word.note", lang): d.note,
                t("ds.col.from", lang): (session.bundled_plan(d.source_plan_id).province(lang)
                                         if d.source_plan_id in plans else d.source_plan_id),
                t("ds.col.code", lang): d.fingerprint, t("ds.col.in_use", lang): t("yes", lang) if saving.in_use(ctx, d) else "",
            }
            for d in saving.newest(datasets, lang)
        ]
    )  # fmt: skip
    by_id = {d.id: d for d in datasets}
    with st.container(border=True):
        st.markdown(f"**{t('ds.manage', lang)}**")
        chosen = by_id[
            st.selectbox(t("ds.pick", lang), list(by_id), format_func=lambda i: by_id[i].name, key="dataset_pick")
        ]
        data = session.saved_data(chosen.source_plan_id, chosen.fingerprint)
        if data.plan is None:
            st.warning(md(t("ds.cannot_open", lang, data=data.describe(lang))))
        else:
            st.button(
                t("ds.open", lang), key="open_dataset", type="primary", on_click=saving.open_dataset,
                args=(chosen.id, lang), disabled=saving.in_use(ctx, chosen),
            )  # fmt: skip
            st.caption(t("ds.downloads", lang))
            downloads = [("sectors", "ds.download_sectors"), ("actuals", "ds.download_actuals")]
            for column, (kind, label) in zip(st.columns(len(downloads)), downloads, strict=True):
                column.download_button(
                    t(label, lang), data=lambda kind=kind, chosen_plan=data.plan: template_xlsx(chosen_plan, kind, lang),
                    file_name=f"{chosen.source_plan_id}-{chosen.fingerprint}-{kind}.xlsx", mime=XLSX,
                    on_click="ignore", key=f"dataset_{kind}_xlsx",
                )  # fmt: skip
        rename_col, rename_button_col = st.columns([3, 1], vertical_alignment="bottom")
        new_name = rename_col.text_input(
            t("cmp.new_name", lang), value=chosen.name, max_chars=MAX_NAME_LENGTH, key=f"dataset_rename_{chosen.id}"
        )
        if rename_button_col.button(t("cmp.rename", lang), key="rename_dataset"):
            saving.write(lambda: store.rename_dataset(chosen.id, new_name),
                         lambda d: t("cmp.done", lang, name=d.name), lang, dataset=True)  # fmt: skip
            st.rerun()
        sure = st.checkbox(tmd("ds.confirm_delete", lang, name=chosen.name), key=f"dataset_confirm_{chosen.id}")
        if st.button(t("cmp.delete", lang), key="delete_dataset", disabled=not sure):
            saving.write(lambda: store.delete_dataset(chosen.id), lambda d: t("ds.deleted", lang, name=d.name), lang,
                         dataset=True)  # fmt: skip
            st.rerun()

if store is not None:  # without a store there is nothing deleted to restore
    deleted = [d for d in every_dataset if d.deleted]
    saving.recycle_bin(deleted, lambda d: f"{d.name} · {d.fingerprint}", store.restore_dataset, "restore_dataset",
                       lang, dataset=True)  # fmt: skip
