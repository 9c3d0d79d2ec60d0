"""So sánh / Compare: save the current scenario, manage saved ones, compare 2–4 side by side."""

import streamlit as st

import model
from model.compare import OUTCOME_ROWS, comparison_frame, differs_from_first
from model.store import StoreError
from ui import charts, components, controls, session
from ui import format as fmt
from ui.text import TEXT, t, tmd

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang
store, store_error = session.store()
CURRENT = "current"
OUTCOME_LABELS = {
    "reachable": "row.reachable", "target_year_total": "cmp.col.total", "gap_musd": "kpi.gap",
    "gap_pct": "row.gap_pct", "year_reached": "row.year_reached", "implied_cagr_pct": "row.implied_cagr_pct",
    "probability": "row.probability",
}  # fmt: skip

st.title(t("page.compare", lang))
if store_error is not None:
    reason_key = f"store.reason.{store_error.code}"
    reason = t(reason_key if reason_key in TEXT else "store.reason.other", lang)
    st.error(t("store.unavailable", lang, reason=reason, detail=store_error.code))


def store_message(error: StoreError) -> str:
    key = f"store.{error.code}"
    return t(key, lang) if key in TEXT else t("store.other", lang, detail=error.code)


def run_store_action(action, done_key: str) -> None:
    """Run one write; show what happened or why not (the app and the list keep working)."""
    try:
        saved = action()
    except StoreError as error:
        st.session_state["_store_message"] = ("error", store_message(error))
    else:
        st.session_state["_store_message"] = ("success", t(done_key, lang, name=saved.name))


def read_saved(include_deleted: bool = False) -> list:
    """The saved scenarios, or none (with the reason shown) if the store cannot be read now."""
    if store is None:
        return []
    try:
        return store.list(include_deleted=include_deleted)
    except StoreError as error:
        st.error(store_message(error))
        return []


if message := st.session_state.pop("_store_message", None):
    (st.error if message[0] == "error" else st.success)(message[1])

# --- save
if store is not None:
    if st.session_state.pop("_save_form_saved", False):  # empty the form after a save, not after a refusal
        st.session_state.save_name = st.session_state.save_note = ""
    with st.form("save_form", border=True):
        st.markdown(f"**{t('cmp.save', lang)}**")
        name = st.text_input(t("cmp.name", lang), max_chars=80, key="save_name")
        note = st.text_area(t("cmp.note", lang), max_chars=500, key="save_note", height=80)
        if st.form_submit_button(t("cmp.save_button", lang), type="primary"):
            summary = (proj.reachable, proj.target_year_total, sc.ty)
            made_on = {"plan_id": plan.id, "data_fingerprint": plan.fingerprint}  # the data it was made on
            run_store_action(lambda: store.save(name, note, sc.to_query(), *summary, **made_on), "cmp.saved")
            st.session_state["_save_form_saved"] = st.session_state["_store_message"][0] == "success"
            st.rerun()

# --- saved scenarios
saved = read_saved()
st.subheader(t("cmp.list", lang))
if not saved:
    if store is not None:
        st.caption(t("cmp.empty", lang))
else:
    st.dataframe(
        [
            {
                t("cmp.col.name", lang): s.name,
                t("cmp.col.updated", lang): s.updated_at[:16].replace("T", " "),
                t("word.verdict", lang): t("cmp.reached" if s.reachable else "cmp.missed", lang, year=s.target_year),
                t("cmp.col.total", lang): fmt.number(s.target_year_total, lang),
                t("word.note", lang): s.note,
            }
            for s in saved
        ],
        hide_index=True, width="stretch",
    )  # fmt: skip
    by_id = {s.id: s for s in saved}
    with st.container(border=True):
        st.markdown(f"**{t('cmp.manage', lang)}**")
        chosen_id = st.selectbox(
            t("cmp.pick", lang), list(by_id), format_func=lambda i: by_id[i].name, key="manage_pick"
        )
        chosen = by_id[chosen_id]
        open_col, copy_col = st.columns(2)
        open_col.button(
            t("cmp.open", lang), key="open_saved", type="primary",
            on_click=controls.apply_scenario, args=(model.Scenario.from_query(chosen.query, plan),),
        )  # fmt: skip
        if copy_col.button(t("cmp.duplicate", lang), key="duplicate_saved"):
            run_store_action(lambda: store.duplicate(chosen.id), "cmp.done")
            st.rerun()
        rename_col, rename_button_col = st.columns([3, 1], vertical_alignment="bottom")
        new_name = rename_col.text_input(
            t("cmp.new_name", lang), value=chosen.name, max_chars=80, key=f"rename_{chosen.id}"
        )
        if rename_button_col.button(t("cmp.rename", lang), key="rename_saved"):
            run_store_action(lambda: store.rename(chosen.id, new_name), "cmp.done")
            st.rerun()
        sure = st.checkbox(t("cmp.confirm_delete", lang, name=chosen.name), key=f"confirm_delete_{chosen.id}")
        if st.button(t("cmp.delete", lang), key="delete_saved", disabled=not sure):
            run_store_action(lambda: store.delete(chosen.id), "cmp.deleted")
            st.rerun()

deleted = [s for s in read_saved(include_deleted=True) if s.deleted]
if deleted:
    with st.expander(t("cmp.bin", lang, n=len(deleted))):
        for s in deleted:
            name_col, button_col = st.columns([4, 1], vertical_alignment="center")
            name_col.write(s.name)
            if button_col.button(t("cmp.restore", lang), key=f"restore_{s.id}"):
                run_store_action(lambda s=s: store.restore(s.id), "cmp.restored")
                st.rerun()

# --- comparison (the selection lives in the link: ?cmp=current,12,15)
st.subheader(t("cmp.compare", lang))
options = [CURRENT] + [str(s.id) for s in saved]
labels = {CURRENT: t("cmp.current", lang)} | {str(s.id): s.name for s in saved}
requested = [x for x in st.query_params.get(session.COMPARE_PARAM, "").split(",") if x]
missing = [x for x in requested if x not in options]
if missing:
    st.warning(tmd("cmp.missing", lang, ids=", ".join(missing)))
default = [x for x in requested if x in options] or options[:2]
selection = st.multiselect(t("cmp.choose", lang), options, default=default, format_func=labels.get, key="compare_pick")
st.query_params[session.COMPARE_PARAM] = ",".join(selection)
if len(selection) > 4:
    st.info(t("cmp.too_many", lang))
    selection = selection[:4]
if len(selection) < 2:
    st.info(t("cmp.need_two", lang))
else:
    columns = []
    for key in selection:
        scenario = sc if key == CURRENT else model.Scenario.from_query(by_id[int(key)].query, plan)
        columns.append((labels[key], scenario, session.project(plan, scenario), session.simulate(plan, scenario)))
    paths = {name: p.totals for name, _, p, _ in columns}
    components.chart(charts.compare_chart(paths, columns[0][2].target, lang), "compare", lang)
    frame = comparison_frame(plan, columns)
    changed = differs_from_first(frame)
    row_labels = {row: t(OUTCOME_LABELS[row], lang) if row in OUTCOME_ROWS else fmt.param_label(row, lang, plan)
                  for row in frame.index}  # fmt: skip

    def show(row: str, value: object) -> str:
        if value is None:
            return "–"
        if row == "reachable":
            return t("yes" if value else "no", lang)
        if row == "year_reached":
            return str(value)
        if row not in OUTCOME_ROWS:
            return fmt.param_value(row, float(value), lang)  # type: ignore[arg-type]
        return fmt.number(float(value), lang, 1)  # type: ignore[arg-type]

    shown = frame.apply(lambda col: [show(row, v) for row, v in col.items()], result_type="broadcast")
    shown.index = [row_labels[r] for r in frame.index]
    changed.index = shown.index
    st.markdown(f"**{t('cmp.table', lang)}**")
    styled = shown.style.apply(lambda col: ["background-color: #ffe8a3" if c else "" for c in changed[col.name]])
    st.dataframe(styled, width="stretch", height=36 * (len(shown) + 1))
    st.markdown(f"**{t('cmp.link', lang)}**")
    st.code(session.share_link(ctx) + f"&{session.COMPARE_PARAM}={','.join(selection)}", language=None, wrap_lines=True)
