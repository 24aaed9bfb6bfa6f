"""Data: browse, filter and edit the stored dataset; import and export it.

The Calendar tab shows one year's working days for a region, as the planner counts
them: the federal production calendar with the saved `calendar.csv` rows. Managers
edit those rows like any table; operator users see the rows that apply to them.

Edits are drafts until saved, made against the rows as they were loaded (kept
with their versions in the session). Saving sends only the rows that changed,
each with the version it started from: the whole dataset is validated like an
import, nothing is stored while any problem remains, and a row somebody else
saved in the meantime is refused by name instead of being overwritten.
"""

import pandas as pd
import streamlit as st

from app_pages import common
from planner import services
from planner.services import (
    DEMO_START,
    EDITABLE,
    MANAGER,
    dataset_frames,
    reports,
    row_changes,
)

TABS = {
    "Operators & requirements": ("operators", "requirements"),
    "Staff & absences": ("staff", "absences"),
    "Specialists & absences": ("specialists", "specialist_absences"),
    "Requests": ("requests",),
    "Calendar": ("calendar",),
}
OPERATOR_TABS = {
    "Requirements": ("requirements",),
    "Staff & absences": ("staff", "absences"),
    "Requests": ("requests",),
}
READ_ONLY = ("history", "pinned", "rota_pinned")
TITLES = {
    "operators": "Operators",
    "requirements": "Requirements",
    "staff": "Operators' staff",
    "absences": "Staff absences",
    "specialists": "Vendor specialists",
    "specialist_absences": "Specialists' absences",
    "requests": "Requests",
    "history": "History (specialist has worked for the operator)",
    "pinned": "Pinned bookings (from the confirmed run)",
    "rota_pinned": "Confirmed on-call duty (UTC, end exclusive)",
    "calendar": "Production calendar changes",
}


def file_lines(frame: pd.DataFrame) -> pd.DataFrame:
    """Index rows by their line in the CSV file (header = line 1), as problems name them.

    A plain integer index rather than a `RangeIndex`, which the editor would hide.
    """
    return frame.set_axis(line_index(2, len(frame)), axis=0)


def line_index(first: int, count: int) -> pd.Index:
    return pd.Index(list(range(first, first + count)), dtype="int64", name="line")


def matching(frame: pd.DataFrame, text: str) -> pd.Series:
    """Rows with `text` in any cell, ignoring case."""
    if not text:
        return pd.Series(True, index=frame.index)
    needle = text.strip().lower()
    cells = frame.astype("string").fillna("")
    return cells.apply(lambda column: column.str.lower().str.contains(needle, regex=False)).any(
        axis=1
    )


def merge_edits(base: pd.DataFrame, shown: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """The whole table after editing the `shown` (filtered) part of it.

    Rows the filter hid stay as they are; rows added in the editor go to the end
    and get the next line numbers.
    """
    merged = base.drop(index=shown.index.difference(edited.index))
    kept = edited.index.intersection(shown.index)
    merged.loc[kept] = edited.loc[kept, merged.columns]
    added = edited.loc[edited.index.difference(shown.index), merged.columns]
    if added.empty:
        return merged
    first = int(base.index.max()) + 1 if len(base) else 2
    added = added.set_axis(line_index(first, len(added)), axis=0)
    return pd.concat([merged, added.astype(merged.dtypes.to_dict())])


def editor_key(table: str, text: str) -> str:
    """A new key whenever what the editor starts from changes, so pending edits never
    apply to the wrong rows."""
    version = st.session_state.get("data_version", 0)
    return (
        f"data_editor_{table}"
        + (f"__{text}" if text else "")
        + (f"__v{version}" if version else "")
    )


def edit_table(table: str, original: pd.DataFrame, text: str) -> pd.DataFrame:
    """An editor over the rows matching `text`; returns the whole table with the edits."""
    key = editor_key(table, text)
    starts = st.session_state.setdefault("data_bases", {})
    drafts = st.session_state.setdefault("data_drafts", {})
    if starts.get(table, (None,))[0] != key:
        starts[table] = (key, drafts.get(table, original))
    base = starts[table][1]
    shown = base[matching(base, text)]
    edited = st.data_editor(
        shown,
        key=key,
        num_rows="dynamic",
        width="stretch",
        height=min(420, 38 + 35 * (len(shown) + 1)),
        column_config={
            "_index": st.column_config.NumberColumn(
                "line", help="Line in the CSV file; problems name it", disabled=True
            )
        },
    )
    drafts[table] = merge_edits(base, shown, edited)
    return drafts[table]


def loaded_rows():
    """The dataset and row versions this session's edits start from, loaded once."""
    if "data_loaded" not in st.session_state:
        st.session_state["data_loaded"] = services.stored_rows(actor=actor, engine=common.engine())
    return st.session_state["data_loaded"]


def calendar_view(dataset: services.Dataset) -> None:
    """One year's working days for one region, from the saved data."""
    st.markdown("**Working days** · the federal production calendar with the saved rows")
    year_column, region_column, total_column = st.columns([1, 2, 1])
    year = int(
        year_column.number_input(
            "Year", min_value=2000, max_value=2100, value=DEMO_START.year, key="data_calendar_year"
        )
    )
    regions = reports.calendar_regions(dataset)
    own = (
        dataset.operator(actor.operator_id).region
        if actor.operator_id and actor.operator_id in {o.operator_id for o in dataset.operators}
        else None
    )
    region = region_column.selectbox(
        "Region",
        regions,
        index=regions.index(own) if own in regions else 0,
        key="data_calendar_region",
        help="Operators and specialists of a region follow its rows of calendar.csv "
        "after the rows for everyone; 'no region' gets only those.",
    )
    warning = reports.year_warning(year)
    if warning:
        st.warning(
            common.escape_markdown(warning[:1].upper() + warning[1:]) + ".",
            icon=":material/warning:",
        )
    days = reports.calendar_days(dataset, year, region)
    total_column.metric(f"Working days in {year}", reports.working_days_in_year(days))
    st.plotly_chart(
        reports.calendar_heatmap(days, f"{year}, {region}"),
        width="stretch",
        key="data_calendar_heatmap",
    )
    st.dataframe(
        reports.month_counts(days).set_index("month").T, width="stretch", key="data_calendar_months"
    )
    st.markdown("**Weekdays off and working weekend days**")
    st.dataframe(reports.days_off_on_weekdays(days), width="stretch", hide_index=True, height=260)
    st.markdown(f"**Rows of `calendar.csv` for {common.escape_markdown(region)} in {year}**")
    rows = reports.applying_rows(dataset, year, region)
    if rows.empty:
        st.caption("None: the federal calendar alone.")
    else:
        st.dataframe(rows, width="stretch", hide_index=True)


def show_warnings(target) -> None:
    """The warnings of the last import or save: allowed, but worth a look."""
    for warning in st.session_state.pop("data_warnings", []):
        target.warning(common.escape_markdown(warning), icon=":material/warning:")


def forget_drafts() -> None:
    st.session_state.pop("data_bases", None)
    st.session_state.pop("data_drafts", None)
    st.session_state.pop("data_loaded", None)
    st.session_state["data_version"] = st.session_state.get("data_version", 0) + 1


def has_unsaved_edits() -> bool:
    """Drafts that differ from the rows they started from, or edits an editor holds that
    this run has not merged yet (the user's last keystroke)."""
    starts = st.session_state.get("data_bases", {})
    drafts = st.session_state.get("data_drafts", {})
    if any(
        table in starts and not draft.equals(starts[table][1]) for table, draft in drafts.items()
    ):
        return True
    return any(
        isinstance(value, dict)
        and any(value.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
        for key, value in st.session_state.items()
        if str(key).startswith("data_editor_")
    )


actor = common.require_actor()
st.title("Data")
if common.data_moved_on():
    if has_unsaved_edits():
        st.warning(
            "The stored data changed since you started editing (another user or an import). "
            "Your edits are kept; saving refuses any row somebody changed meanwhile, by name.",
            icon=":material/sync_problem:",
        )
    else:
        forget_drafts()
flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(flash, icon=":material/task_alt:")

dataset, versions = loaded_rows()
originals = {name: file_lines(frame) for name, frame in dataset_frames(dataset).items()}
st.caption(common.escape_markdown(dataset.summary().removeprefix("OK: ")))

manager = actor.may(MANAGER)
if not manager:
    # an operator user edits its own rows; the services refuse anything else anyway
    TABS = OPERATOR_TABS
    st.info(
        "Your operator's data as the vendor plans with it: your requirements, staff, "
        "their absences and your requests.",
        icon=":material/info:",
    )

toolbar = st.container(border=True)
buttons = toolbar.container(horizontal=True, vertical_alignment="center")
save = buttons.button("Save changes", type="primary", key="data_save", icon=":material/save:")
discard = buttons.button("Discard changes", key="data_discard", icon=":material/undo:")
status = buttons.empty()
messages = toolbar.container()

show_warnings(messages)

edited_tables: dict[str, pd.DataFrame] = {}
shown_only = () if manager else ("Calendar",)
tabs = st.tabs([*TABS, *shown_only, "History & pins", "Import & export" if manager else "Export"])
for tab, tables in zip(tabs, TABS.values(), strict=False):
    with tab:
        text = st.text_input(
            "Filter rows",
            key=f"data_filter_{tables[0]}",
            placeholder="Show only rows containing... (e.g. OP0003)",
            help="Edits to hidden rows are kept; Save checks the whole table.",
        )
        for table in tables:
            st.markdown(f"**{TITLES[table]}** · `{table}.csv`")
            edited_tables[table] = edit_table(table, originals[table], text)
            st.caption(reports.column_notes(table))
        if "calendar" in tables:
            st.divider()
            calendar_view(dataset)

if not manager:
    with tabs[len(TABS)]:
        st.markdown(f"**{TITLES['calendar']}** · `calendar.csv` (the vendor keeps it)")
        st.dataframe(originals["calendar"], width="stretch", height=200, key="data_calendar_rows")
        st.divider()
        calendar_view(dataset)

history_tab, files_tab = tabs[len(TABS) + len(shown_only) :]
with history_tab:
    for table in READ_ONLY:
        st.markdown(f"**{TITLES[table]}** · `{table}.csv`")
        st.dataframe(originals[table], width="stretch", height=260)

with files_tab:
    if not manager:
        st.download_button(
            "CSV files (.zip)",
            common.dataset_zip(),
            file_name="dataset.zip",
            mime="application/zip",
            icon=":material/download:",
            on_click="ignore",
            key="data_download_zip",
        )
    else:
        st.markdown(
            "**Import a dataset**: the CSV files of the contract (`operators.csv`, "
            "`staff.csv`, ...) or one Excel workbook with a sheet per file. It replaces "
            "the stored dataset as a whole, and only when it has no problems."
        )
        uploads = st.file_uploader(
            "Dataset files", type=["csv", "xlsx"], accept_multiple_files=True, key="data_upload"
        )
        if st.button(
            "Check and import", key="data_import", disabled=not uploads, icon=":material/upload:"
        ):
            imported, problems = services.check_uploads(
                files={upload.name: upload.getvalue() for upload in uploads}
            )
            if problems:
                common.show_problems(problems, "Nothing was imported")
            else:
                services.save_dataset(actor=actor, dataset=imported, engine=common.engine())
                common.data_changed()
                forget_drafts()
                st.session_state["data_warnings"] = [
                    str(w) for w in services.calendar_warnings(imported)
                ]
                st.session_state["data_flash"] = (
                    "Imported: " + imported.summary().removeprefix("OK: ") + ". Re-plan to use it."
                )
                st.rerun()
        st.markdown("**Export the stored dataset**")
        zip_column, xlsx_column, _ = st.columns([1, 1, 3])
        zip_column.download_button(
            "CSV files (.zip)",
            common.dataset_zip(),
            file_name="dataset.zip",
            mime="application/zip",
            icon=":material/download:",
            on_click="ignore",
            key="data_download_zip",
        )
        xlsx_column.download_button(
            "Excel workbook",
            common.dataset_xlsx(),
            file_name="dataset.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
            key="data_download_xlsx",
        )

changed = {
    table: frame
    for table, frame in edited_tables.items()
    if not frame.reset_index(drop=True).equals(originals[table].reset_index(drop=True))
}
if discard:
    forget_drafts()
    st.rerun()
if save:
    if not changed:
        messages.info("Nothing to save: no table was edited.")
    else:
        changes = [
            change
            for table, frame in changed.items()
            if table in EDITABLE
            for change in row_changes(table, originals[table], frame, versions[table])
        ]
        try:
            warnings = services.save_changes(actor=actor, changes=changes, engine=common.engine())
        except services.DatasetError as error:
            with messages:
                common.show_problems(error.problems, "Nothing was saved")
        except services.StaleEdit as conflict:
            messages.error(
                f"**Nothing was saved**: {common.escape_markdown(str(conflict))}. "
                "*Discard changes* loads the current data.",
                icon=":material/sync_problem:",
            )
        else:
            common.data_changed()
            forget_drafts()
            st.session_state["data_warnings"] = [str(w) for w in warnings]
            st.session_state["data_flash"] = (
                f"Saved {', '.join(changed)}. Re-plan to use the changes."
            )
            st.rerun()
if changed:
    status.markdown(f":orange[Unsaved changes in {', '.join(f'`{t}`' for t in changed)}]")
else:
    status.caption("No unsaved changes.")
