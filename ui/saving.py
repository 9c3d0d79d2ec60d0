"""Saving and reopening: the sidebar's save box, saved datasets and scenarios opened by hand or
by a link, and what the store says, in the user's language.

Every write runs in a button's callback (before the page is drawn), so the page shows its
result at once and a failed write leaves the form as the user typed it. Names, notes and link
values are user input: they reach Markdown only through `md`/`tmd`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import streamlit as st

from model import Plan, Scenario
from model.plan import plan_to_dict
from model.store import MAX_BIN, MAX_LIVE, MAX_NAME_LENGTH, MAX_NOTE_LENGTH, DatasetEntry, ScenarioStore, StoreError
from ui import controls, session
from ui import format as fmt
from ui.problems import describe_all
from ui.session import Context
from ui.text import TEXT, md, t

SAVE_FORM, SAVE_NAME, SAVE_NOTE = "save_form", "save_name", "save_note"  # the sidebar's save box
DATASET_FORM, DATASET_NAME, DATASET_NOTE = "dataset_form", "dataset_name", "dataset_note"  # the Data page
SAVE_SLOT = "_save_message"  # the save box's message
PAGE_SLOT = "_page_message"  # a page's message (Data, Compare)
LIST_ROWS = 30  # a saved list shows the newest; every one stays in the picker under it
# The store's words for a scenario, and these instead for a dataset.
DATASET_WORDING = {"name_empty": "ds.name_empty", "name_taken": "ds.name_taken"}


# --- the store's messages -------------------------------------------------------------------


def store_message(error: StoreError, lang: str, dataset: bool = False) -> str:
    """What went wrong, in plain words (plain text: escape it for Markdown)."""
    if dataset and error.code in DATASET_WORDING:
        return t(DATASET_WORDING[error.code], lang)
    if error.code == "dataset_exists":
        return t("store.dataset_exists", lang, name=_dataset_name(error.existing))
    if error.code == "store_full":
        table = "datasets" if dataset else "scenarios"
        return t(f"store.full.{table}", lang, n=fmt.number(MAX_LIVE[table], lang, 0))
    if error.code == "name_lookalike":
        return t("store.name_lookalike", lang, letters=_lookalike_letters(error.letters, lang))
    if error.code == "name_bad_chars":
        return t("store.name_bad_chars", lang, letters=_bad_letters(error.letters, lang))
    key = f"store.{error.code}"
    return t(key, lang) if key in TEXT else t("store.other", lang, detail=error.code)


LOOKALIKES_NAMED = 5  # a long name's first few: enough to find them


def _lookalike_letters(letters: list[tuple[int, str]], lang: str) -> str:
    """Where the look-alike letters are: 'ký tự thứ 1 «Р» (chữ Kirin), ...'. The letter looks
    Latin, so its position and script are what tell it apart."""

    def script(ch: str) -> str:
        return t(
            "store.script.greek" if unicodedata.name(ch, "").startswith("GREEK") else "store.script.cyrillic", lang
        )

    named = [t("store.lookalike_letter", lang, n=i, letter=ch, script=script(ch)) for i, ch in letters]
    return fmt.first_few(named, LOOKALIKES_NAMED, "store.lookalike_more", lang)


def _bad_letters(letters: list[tuple[int, str]], lang: str) -> str:
    """Where the refused characters are: 'ký tự thứ 4 «_», ...'; one that does not show (a
    control character) by its code point."""
    named = [t("store.bad_letter", lang, n=i, letter=ch if ch.isprintable() else f"U+{ord(ch):04X}")
             for i, ch in letters]  # fmt: skip
    return fmt.first_few(named, LOOKALIKES_NAMED, "store.lookalike_more", lang)


def unavailable_message(error: StoreError | None, lang: str) -> str:
    """Why nothing can be saved or listed (the store cannot be opened), and that the rest works."""
    code = error.code if error is not None else "other"
    reason_key = f"store.reason.{code}"
    reason = t(reason_key if reason_key in TEXT else "store.reason.other", lang)
    return t("store.unavailable", lang, reason=reason, detail=code)


def _dataset_name(dataset_id: int | None) -> str:
    store, _ = session.store()
    try:
        return store.get_dataset(dataset_id).name if store is not None and dataset_id is not None else "?"
    except StoreError:
        return "?"


def read_with_bin(read: Callable[[bool], list], lang: str) -> list:
    """Every saved item, the deleted ones too (for the bin), read once a run: `read(True)`.
    When that fails (one damaged row fails a whole read), the reason is shown and the live
    items are read alone: a damaged deleted item then costs the bin, not the list. None at
    all when the live ones cannot be read either."""
    try:
        return read(True)
    except StoreError as error:
        st.error(md(store_message(error, lang)))
    try:
        return read(False)
    except StoreError:
        return []


def newest(items: list, lang: str) -> list:
    """The newest LIST_ROWS of a saved list (newest first), saying so when there are more."""
    if len(items) > LIST_ROWS:
        st.caption(t("saved.newest", lang, shown=LIST_ROWS, total=len(items)))
    return items[:LIST_ROWS]


def say(slot: str, kind: str, text: str) -> None:
    """Keep a message (plain text) for `slot` until it is shown."""
    st.session_state[slot] = (kind, text)


def show(slot: str) -> None:
    """The message kept for `slot`, once, as plain text."""
    if message := st.session_state.pop(slot, None):
        kind, text = message
        {"success": st.success, "error": st.error, "warning": st.warning}.get(kind, st.info)(md(text))


def write(action: Callable[[], object], done: Callable[[object], str], lang: str, dataset: bool = False) -> None:
    """Run one store write (a callback); say what was done, or why not. The app goes on either way."""
    try:
        result = action()
    except StoreError as error:
        say(PAGE_SLOT, "error", store_message(error, lang, dataset))
    else:
        say(PAGE_SLOT, "success", done(result))


def recycle_bin(deleted: list, label: Callable[[Any], str], restore: Callable[[int], object], key: str, lang: str,
                dataset: bool = False) -> None:  # fmt: skip
    """The deleted items (saved scenarios or datasets) in an expander, each with its Restore
    button, built only while it is open; nothing when nothing is deleted."""
    if not deleted:
        return
    # A constant title: an expander whose title changes (a count) is a new one, closed, and its
    # Restore buttons (built only while open) would vanish under a click.
    box = st.expander(t("cmp.bin", lang), **controls.built_when_open(f"bin_{key}"))
    if not box.open:
        return
    with box:
        keep = MAX_BIN["datasets" if dataset else "scenarios"]
        st.caption(t("cmp.bin_count", lang, n=fmt.number(len(deleted), lang, 0), keep=fmt.number(keep, lang, 0)))
        for item in deleted:
            name_col, button_col = st.columns([4, 1], vertical_alignment="center")
            name_col.markdown(md(label(item)))
            if button_col.button(t("cmp.restore", lang), key=f"{key}_{item.id}"):
                write(lambda item=item: restore(item.id), lambda r: t("cmp.restored", lang, name=r.name), lang, dataset)
                st.rerun()


# --- the save box (sidebar, every page) -----------------------------------------------------


def save_box(ctx: Context) -> None:
    """Save the current scenario with its data, from any page: a name and a note, in a section
    that opens on a click (its form is built only while open)."""
    lang = ctx.lang
    box = st.sidebar.expander(t("cmp.save", lang), **controls.built_when_open("save"))
    if not box.open:
        return
    store, error = session.store()
    with box:
        if store is None:
            st.caption(t("save.unavailable", lang, detail=error.code if error else "?"))
            return
        with st.form(SAVE_FORM, border=False):
            st.text_input(t("cmp.name", lang), max_chars=MAX_NAME_LENGTH, key=SAVE_NAME)
            st.text_area(t("cmp.note", lang), max_chars=MAX_NOTE_LENGTH, key=SAVE_NOTE, height=68)
            st.form_submit_button(t("cmp.save_button", lang), type="primary", on_click=_save_scenario, args=(ctx,))
        show(SAVE_SLOT)
        if not ctx.uses_bundled_plan and ctx.dataset is None:
            st.warning(t("save.data_unsaved", lang))
        else:
            st.caption(md(t("save.with_data", lang, data=session.data_name(ctx, lang))))


def _store() -> ScenarioStore:
    """The shared store, for a callback that needs it: StoreError("readonly") when it could
    not be opened, so that the callback says so as it says any other refusal."""
    store, _ = session.store()
    if store is None:
        raise StoreError("readonly")
    return store


def _save_scenario(ctx: Context) -> None:
    """on_click of Save: the scenario the user saw, with the plan and figures it was computed on.
    A refused save keeps the name and the note; a saved one clears them."""
    lang, plan, sc, proj = ctx.lang, ctx.plan, ctx.scenario, ctx.projection
    name, note = st.session_state.get(SAVE_NAME, ""), st.session_state.get(SAVE_NOTE, "")
    try:
        saved = _store().save(
            name, note, sc.to_query(), proj.reachable, proj.target_year_total, sc.ty,
            plan_id=plan.id, data_fingerprint=plan.fingerprint, probability=ctx.risk().probability,
        )  # fmt: skip
    except StoreError as error:
        say(SAVE_SLOT, "error", store_message(error, lang))
        return
    st.session_state[SAVE_NAME] = st.session_state[SAVE_NOTE] = ""
    say(SAVE_SLOT, "success", t("cmp.saved", lang, name=saved.name, data=session.data_name(ctx, lang)))


# --- the data in use ------------------------------------------------------------------------


def save_dataset(plan: Plan, lang: str) -> None:
    """on_click of "Save the dataset" (Data page): the figures in use, under a name. A refused
    save keeps the name and the note, and says why (the plan's own problems when it is over a limit)."""
    name, note = st.session_state.get(DATASET_NAME, ""), st.session_state.get(DATASET_NOTE, "")
    try:
        saved = _store().save_dataset(name, note, plan_to_dict(plan), plan.id)
    except StoreError as error:
        lines = [store_message(error, lang, dataset=True), *describe_all(error.problems, lang)]
        say(PAGE_SLOT, "error", "\n\n".join(lines))
        return
    st.session_state[DATASET_NAME] = st.session_state[DATASET_NOTE] = ""
    say(PAGE_SLOT, "success", t("ds.saved", lang, name=saved.name, fingerprint=saved.fingerprint))


def use_plan(plan: Plan) -> None:
    """Make `plan` (a bundled plan or a saved dataset's) this session's data (a callback). Another
    province's figures bring their own sliders, set to their defaults."""
    if plan.id != session.selected_plan_id():
        st.session_state[session.PLAN_PARAM] = plan.id
        controls.apply_scenario(Scenario.default(plan))
    session.set_plan(None if plan.fingerprint == session.bundled_plan(plan.id).fingerprint else plan)


def open_dataset(dataset_id: int, lang: str) -> None:
    """on_click of "Use this dataset" (Data page)."""
    try:
        dataset = _store().get_dataset(dataset_id)
    except StoreError as error:
        say(PAGE_SLOT, "error", store_message(error, lang, dataset=True))
        return
    data = session.saved_data(dataset.source_plan_id, dataset.fingerprint)
    if data.plan is None:
        say(PAGE_SLOT, "error", t("ds.cannot_open", lang, data=data.describe(lang)))
        return
    use_plan(data.plan)
    say(PAGE_SLOT, "success", t("ds.opened", lang, data=data.describe(lang)))


def open_scenario(scenario_id: int, lang: str) -> None:
    """on_click of "Open" (Compare page): the scenario's sliders, on the figures it was saved on."""
    try:
        saved = _store().get(scenario_id)
    except StoreError as error:
        say(PAGE_SLOT, "error", store_message(error, lang))
        return
    data = session.saved_data(saved.plan_id, saved.data_fingerprint)
    if data.plan is None:
        say(PAGE_SLOT, "error", t("cmp.cannot_open", lang, name=saved.name, data=data.describe(lang)))
        return
    use_plan(data.plan)
    controls.apply_scenario(Scenario.from_query(saved.query, data.plan))
    say(PAGE_SLOT, "success", t("cmp.opened", lang, name=saved.name, data=data.describe(lang)))


def link_data_notice(lang: str) -> None:
    """What the link's figures (data=) led to: the saved dataset opened (info), or figures this
    server does not have (warning). Not a repair: such a link is valid. Shown until dismissed."""
    notice = session.link_data_notice(lang)
    if notice is None:
        return
    kind, text = notice
    with st.container(border=True):
        (st.info if kind == "info" else st.warning)(md(text), icon=":material/dataset:")
        if st.button(t("repair.dismiss", lang), key="dismiss_link_data"):
            st.session_state.pop(session.LINK_DATA_NOTICE_KEY, None)
            st.rerun()


def in_use(ctx: session.Context, dataset: DatasetEntry) -> bool:
    """This saved dataset is the one the session's figures are."""
    return ctx.dataset is not None and ctx.dataset.id == dataset.id
