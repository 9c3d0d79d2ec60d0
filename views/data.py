"""Dữ liệu / Data: every figure with its provenance; edit, upload, templates; plan vs actual."""

import pandas as pd
import streamlit as st

from model.actuals import plan_vs_actual
from model.plan import TOTAL
from model.upload import plan_with_tables, template_csv, template_xlsx
from ui import format as fmt
from ui import session
from ui.problems import describe_all
from ui.text import md, status_label, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ctx = session.context()
plan, sc, proj, lang = ctx.plan, ctx.scenario, ctx.projection, ctx.lang

st.title(t("page.data", lang))
origin = t("data.bundled" if ctx.uses_bundled_plan else "data.uploaded", lang)
st.info(t("data.in_use", lang, name=origin, fingerprint=plan.fingerprint))
st.caption(t("status.legend", lang))

# --- targets
st.subheader(t("data.targets", lang))
target_rows = [
    (t("data.target_row", lang, year=plan.target.year), fmt.musd(plan.target.value_musd, lang), plan.target.prov,
     plan.target.note(lang)),
    (t("data.required_row", lang), fmt.pct(plan.required_growth_pct, lang), plan.required_growth_prov, plan.required_growth_note(lang)),
]  # fmt: skip
if plan.target_2030 is not None:
    t2030 = plan.target_2030
    target_rows.append((t("data.target_row", lang, year=t2030.year), fmt.musd(t2030.value_musd, lang), t2030.prov,
                        t2030.note(lang)))  # fmt: skip
st.dataframe(
    pd.DataFrame([
        {t("word.item", lang): item, t("word.value", lang): value,
         t("word.status", lang): status_label(prov.status, lang), t("word.source", lang): prov.source,
         t("data.col.note", lang): note}
        for item, value, prov, note in target_rows
    ]),
    hide_index=True, width="stretch",
)  # fmt: skip

# --- sectors
st.subheader(t("data.sectors", lang))
sector_rows = []
for s in plan.sectors:
    sector_rows.append({
        t("word.sector", lang): s.name(lang),
        t("data.col.base", lang, year=plan.base_year): fmt.number(s.base_musd, lang, 2),
        t("word.status", lang): status_label(s.base_prov.status, lang),
        t("data.col.growth", lang): fmt.number(s.growth_pct, lang),
        t("word.status", lang) + " ": status_label(s.growth_prov.status, lang),
        t("data.col.volatility", lang): fmt.number(s.volatility_pp, lang),
        t("word.status", lang) + "  ": status_label(s.volatility_prov.status, lang),
        t("word.source", lang): " / ".join(dict.fromkeys([s.base_prov.source, s.growth_prov.source, s.volatility_prov.source])),
        t("data.col.note", lang): " · ".join(n for n in (s.base_prov.note, s.growth_prov.note, s.volatility_prov.note) if n),
    })  # fmt: skip
st.dataframe(pd.DataFrame(sector_rows), hide_index=True, width="stretch", height=36 * (len(sector_rows) + 1) + 2)

# --- actuals
st.subheader(t("data.actuals", lang))
names = {s.id: s.name(lang) for s in plan.sectors} | {TOTAL: t("data.total", lang)}
st.dataframe(
    pd.DataFrame([
        {t("word.year", lang): str(a.year), t("word.sector", lang): names.get(a.sector, a.sector),
         t("data.col.actual", lang): fmt.number(a.value_musd, lang), t("word.status", lang): status_label(a.prov.status, lang),
         t("word.source", lang): a.prov.source, t("data.col.note", lang): a.prov.note}
        for a in plan.actuals
    ]),
    hide_index=True, width="stretch",
)  # fmt: skip

# --- plan vs actual
st.subheader(t("data.vs", lang))
check = plan_vs_actual(plan, proj)
if check.table.empty:
    st.caption(t("data.no_actuals", lang, base=sc.base))
else:
    st.caption(t("data.vs_text", lang))
    table = check.table
    st.dataframe(
        pd.DataFrame({
            t("word.year", lang): table["year"].astype(str),
            t("data.col.actual", lang): [fmt.number(v, lang) for v in table["actual_musd"]],
            t("word.status", lang): [status_label(v, lang) for v in table["status"]],
            t("data.col.scenario", lang): [fmt.number(v, lang) for v in table["scenario_musd"]],
            t("data.col.deviation", lang): [fmt.signed(v, lang) for v in table["deviation_musd"]],
            t("data.col.deviation_pct", lang): [fmt.signed(v, lang) for v in table["deviation_pct"]],
        }),
        hide_index=True, width="stretch",
    )  # fmt: skip
if check.reached_year is None:
    st.write(t("data.not_reached_fact", lang, target=fmt.musd(sc.target, lang)))
elif check.reached_status == "official":
    st.success(t("data.reached_official", lang, target=fmt.musd(sc.target, lang), year=check.reached_year))
else:
    st.warning(t("data.reached_fact", lang, target=fmt.musd(sc.target, lang), year=check.reached_year,
                 status=status_label(check.reached_status, lang)))  # fmt: skip

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
for column, (label, make, name, mime) in zip(st.columns(len(templates)), templates, strict=True):
    column.download_button(
        t(label, lang), data=make, file_name=f"{plan.id}-{name}", mime=mime, on_click="ignore", key=f"tpl_{name}"
    )

with st.expander(t("data.edit_sectors", lang)):
    sectors_edit = st.data_editor(plan.sectors_frame(), key="edit_sectors", num_rows="dynamic", hide_index=True)
with st.expander(t("data.edit_actuals", lang)):
    actuals_edit = st.data_editor(plan.actuals_frame(), key="edit_actuals", num_rows="dynamic", hide_index=True)
apply_col, reset_col = st.columns(2)
if apply_col.button(t("data.apply_edits", lang), type="primary", key="apply_edits"):
    session.accept_plan(*plan_with_tables(plan, sectors=sectors_edit, actuals=actuals_edit))
    st.rerun()
reset_col.button(t("data.reset", lang), on_click=session.reset_plan, key="reset_plan", disabled=ctx.uses_bundled_plan)
st.caption(t("data.other_province", lang))
