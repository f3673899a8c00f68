"""Compare: a base and up to three variants side by side. A variant stores only what it changes,
so editing the base (in Explore, or by picking another) carries through to every variant.

The comparison lives in the address too (:mod:`dashboard.url_state`: a reload or a copied link
reopens it) and downloads as a pitch file (:mod:`scoring.pitch`, from the share panel)."""

import html
import re

import pandas as pd
import streamlit as st

from dashboard.compute import risk_band_grid, scenario_summary
from dashboard.fields import ignored_message, setting_labels, shown_value
from dashboard.share import report_buttons
from dashboard.sidebar import draw_sidebar, scenario_from_controls
from dashboard.state import fold_variant_edits, load_scenario_into_controls, preset_scenario
from dashboard.ui import PLOTLY_CONFIG, current_lang
from dashboard.url_state import new_variant
from presentation import charts
from presentation.formatting import kpi_table, plain, valuation_warnings
from presentation.i18n import text
from scoring import load_catalogue
from scoring.compare import differing_top_risks
from scoring.links import apply_changes, changes, flatten
from scoring.pitch import MAX_VARIANTS, pitch_json
from scoring.presets import preset_after, preset_info
from scoring.variants import derive, variant_templates

if st.session_state.pop("goto_explore", False):
    st.switch_page("views/explore.py")
lang = current_lang()
catalogue = load_catalogue()
current = scenario_from_controls()
state = st.session_state
library = state.setdefault("library", {})  # name -> Scenario kept for comparison in this session
variants = state.setdefault("variants", [])  # [{"id", "name", "rows": [{"setting": key, "value": text}]}]
labels = setting_labels(lang)  # flat key -> label in this language
keys_by_label = {label: key for key, label in labels.items()}

st.title(text("compare.title", lang))
st.caption(text("compare.subtitle", lang))

# --- the base --------------------------------------------------------------------------------
sources = {"current": text("compare.current", lang, name=current.scenario.name)}
if state.get("pinned") is not None:
    sources["pinned"] = text("explore.pinned_name", lang, name=state["pinned"].name)
sources |= {f"saved:{name}": text("compare.saved", lang, name=name) for name in library}
sources |= {f"preset:{pid}": info.name.get(lang) for pid, info in preset_info().items()}
if state.get("compare_base") not in sources:
    state["compare_base"] = "current"
source = st.selectbox(
    text("compare.base", lang),
    list(sources),
    format_func=lambda key: sources[key],
    key="compare_base",
    persist_state="session",  # kept on other pages, whose address carries the comparison too
)
if source == "current":
    base = current.scenario
elif source == "pinned":
    base = state["pinned"]
elif source.startswith("saved:"):
    base = library[source.removeprefix("saved:")]
else:
    preset_id = source.removeprefix("preset:")
    base = preset_scenario(preset_id).model_copy(update={"name": preset_info()[preset_id].name.get(lang)})


def _keep_explore() -> None:
    scenario = st.session_state["last_valid"]
    st.session_state["library"][scenario.name] = scenario


def _add_variant(name: str, variant_changes: dict[str, str]) -> None:
    rows = [{"setting": key, "value": value} for key, value in variant_changes.items() if key != "name"]
    st.session_state["variants"].append(new_variant(name, rows))


def _remove_variant(variant_id: int) -> None:
    st.session_state["variants"] = [v for v in st.session_state["variants"] if v["id"] != variant_id]


def _on_rename(variant_id: int) -> None:
    """A new name reaches the address in the run it was typed (the address is written first)."""
    variant = next(v for v in st.session_state["variants"] if v["id"] == variant_id)
    variant["name"] = st.session_state[f"variant_name:{variant_id}"]


def _on_rows_edit(variant_id: int, lang: str) -> None:
    variant = next(v for v in st.session_state["variants"] if v["id"] == variant_id)
    edits = st.session_state.get(f"variant_rows:{variant_id}:{variant['version']}", {})
    variant["rows"] = fold_variant_edits(variant["rows"], edits, setting_labels(lang))
    variant["version"] += 1


def _show_in_explore(scenario, base) -> None:
    """Open a variant in Explore; a base that was the Explore scenario is kept so it stays the base."""
    state = st.session_state
    if state["compare_base"] == "current":
        state["library"][base.name] = base
        state["compare_base"] = f"saved:{base.name}"
    load_scenario_into_controls(scenario)
    state["goto_explore"] = True


# one row of buttons at their natural width that wraps on a narrow screen (five columns cut their labels)
actions = st.container(horizontal=True, key="compare_actions")
full = len(variants) >= MAX_VARIANTS
for template in variant_templates().values():
    actions.button(
        text("compare.add_template", lang, name=template.name.get(lang)),
        on_click=_add_variant,
        args=(template.name.get(lang), derive(base, template.id)),
        disabled=full,
        key=f"add:{template.id}",
        icon=":material/add:",
    )
# the case study behind the base: a preset picked as the base, or the preset Explore started from
case_id = source.removeprefix("preset:") if source.startswith("preset:") else None
if source == "current":
    case_id = state.get("preset")
after = preset_info()[case_id].after if case_id in preset_info() else None
actions.button(
    text("compare.add_after", lang),
    on_click=_add_variant,
    args=(text("compare.after_name", lang), preset_after(case_id) if after else {}),
    disabled=full or after is None,
    key="add:after",
    icon=":material/add:",
    help=after.story.get(lang) if after else text("compare.add_after_none", lang),
)
actions.button(
    text("compare.add_explore", lang),
    on_click=_add_variant,
    args=(current.scenario.name, changes(base, current.scenario)),
    disabled=full or source == "current",
    key="add:explore",
    icon=":material/add:",
    help=text("compare.add_explore_help", lang),
)
actions.button(
    text("compare.keep_explore", lang),
    on_click=_keep_explore,
    key="keep_explore",
    icon=":material/bookmark_add:",
    help=text("compare.keep_explore_help", lang),
)

# --- each variant: its name and its changes --------------------------------------------------
scenarios = [base]
base_flat = flatten(base)
for variant in variants:
    variant_changes = {row["setting"]: row["value"] for row in variant["rows"]}
    scenario, ignored = apply_changes(base, variant_changes)
    scenario = scenario.model_copy(update={"name": variant["name"] or text("compare.unnamed", lang)})
    scenarios.append(scenario)
    with st.expander(
        f"{plain(scenario.name)} · {text('compare.n_changes', lang, n=len(variant['rows']))}", expanded=bool(ignored)
    ):
        name_col, open_col, remove_col = st.columns([3, 1, 1], vertical_alignment="bottom")
        variant["name"] = name_col.text_input(
            text("field.name", lang),
            value=variant["name"],
            key=f"variant_name:{variant['id']}",
            max_chars=120,
            on_change=_on_rename,
            args=(variant["id"],),
        )
        open_col.button(
            text("compare.show_in_explore", lang),
            on_click=_show_in_explore,
            args=(scenario, base),
            key=f"variant_open:{variant['id']}",
            help=text("compare.show_in_explore_help", lang),
        )
        remove_col.button(
            text("compare.remove", lang),
            on_click=_remove_variant,
            args=(variant["id"],),
            key=f"variant_remove:{variant['id']}",
            icon=":material/delete:",
        )
        frame = pd.DataFrame(
            [
                {
                    "setting": labels[row["setting"]],
                    "value": shown_value(row["setting"], row["value"]),
                    "base": shown_value(row["setting"], base_flat[row["setting"]]),
                }
                for row in variant["rows"]
            ],
            columns=["setting", "value", "base"],
        )
        st.data_editor(
            frame,
            key=f"variant_rows:{variant['id']}:{variant['version']}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            on_change=_on_rows_edit,
            args=(variant["id"], lang),
            column_config={
                "setting": st.column_config.SelectboxColumn(
                    text("compare.setting", lang), options=list(labels.values()), required=True
                ),
                "value": st.column_config.TextColumn(
                    text("compare.value", lang), help=text("compare.value_help", lang)
                ),
                "base": st.column_config.TextColumn(text("compare.base_value", lang), disabled=True),
            },
        )
        if ignored:
            items = text("link.separator", lang).join(
                plain(ignored_message(item, lang, labels.get(item.key, item.key))) for item in ignored
            )
            st.caption(text("compare.units_note", lang))
            st.warning(text("compare.ignored", lang, items=items), icon=":material/warning:")

if len(scenarios) == 1:
    state.pop("pitch", None)
    st.info(text("compare.add_one", lang), icon=":material/add_circle:")
    draw_sidebar(lang, current)
    st.stop()
# the share panel's pitch file: the base and what each variant changes in effect (a row the
# variant could not apply is named above and left out, so the file always loads)
state["pitch"] = pitch_json(
    base, [(s.name, {k: v for k, v in changes(base, s).items() if k != "name"}) for s in scenarios[1:]]
)

# --- the comparison ------------------------------------------------------------------------------
summaries = [scenario_summary(s) for s in scenarios]
names = []
for scenario in scenarios:  # table columns need distinct names, as shown (``plain`` makes "a\nb" "a b")
    name = scenario.name
    while plain(name) in map(plain, names):
        name += " ·"
    names.append(name)

named = list(zip(names, summaries, strict=True))
st.header(text("compare.kpis", lang))
TONES = {"better": "color: #1B7F3B", "worse": "color: #B3261E", "": ""}
rows = kpi_table(summaries, lang)
index = [label for label, _ in rows]


def _cell(value: str, change: str) -> str:
    """A value and its change, each kept on one line: a narrow column breaks only between them
    (or between the parts of a list such as the risks per band, "2 critical · 3 high")."""

    def bound(words: str) -> str:
        return words.replace(" ", "\u00a0").replace("\u00a0·\u00a0", " ·\u00a0")

    return _plain(f"{bound(value)} ({bound(change)})" if change else bound(value))


def _plain(words: str) -> str:
    """Our own words and figures that st.table shows as written: its cells are Markdown, where
    "> 60 mo" would be a quote (a scenario's name, user text, goes through ``plain``)."""
    words = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", words)
    return re.sub(r"^([#+-])(?=\s)", r"\\\1", words)


table = pd.DataFrame(
    [[_cell(value, change) for value, change, _ in cells] for _, cells in rows],
    index=[_plain(label) for label in index],
    columns=[plain(name) for name in names],
)
styles = pd.DataFrame(
    [[TONES[tone] for _, _, tone in cells] for _, cells in rows], index=table.index, columns=table.columns
)
# A static table: every row and column in view and long cells (the risks per band, a long
# scenario name) wrap, where a data grid would cut them off or scroll sideways with four scenarios.
# No-break spaces hold a figure together; keep-all stops Chinese text breaking between characters.
st.html("<style>.st-key-kpi_table td p, .st-key-kpi_table th p { word-break: keep-all !important; }</style>")
st.container(key="kpi_table").table(table.style.apply(lambda _: styles, axis=None), border="horizontal")
st.caption(text("report.deltas_against", lang, base=plain(base.name)))
# the valuation rows: a company that already has revenue, a base that is a placeholder in another currency
valuation_notes = [
    f"- **{plain(name)}**{text('field.separator', lang)}{warning}"
    for name, summary in named
    for warning in valuation_warnings(summary.valuation, summary.scenario.currency, lang)
]
if valuation_notes:
    st.warning("\n".join(valuation_notes), icon=":material/warning:")

left, right = st.columns(2)
left.plotly_chart(
    charts.runway_overlay(
        [
            (name, s.finance.cash, summary.evaluation.runway)
            for name, s, summary in zip(names, scenarios, summaries, strict=True)
        ],
        base.currency,
        lang,
        base.settings.start_month,
    ),
    config=PLOTLY_CONFIG,
    key="compare_runway",
    alt=text("chart.runway_compare_title", lang),
)
right.plotly_chart(
    charts.radar_overlay(
        [(name, summary.evaluation.opportunity) for name, summary in zip(names, summaries, strict=True)],
        catalogue,
        lang,
    ),
    config=PLOTLY_CONFIG,
    key="compare_radar",
    alt=text("chart.radar_title", lang),
)

st.header(text("report.risks", lang))
grid = risk_band_grid()
for start in range(0, len(summaries), 2):
    columns = st.columns(2)
    for column, name, summary in zip(columns, names[start:], summaries[start:], strict=False):
        figure = charts.risk_heatmap(summary.evaluation.risk, grid, catalogue, lang)
        figure.update_layout(title={"text": html.escape(name)}, height=520)
        alt = f"{text('chart.heatmap_title', lang)}: {name}"  # an attribute: the name as typed, never markup
        column.plotly_chart(figure, config=PLOTLY_CONFIG, key=f"compare_heatmap:{start}:{name}", alt=alt)

st.header(text("compare.differing_risks", lang))


def risk_names(risk_ids: list[str]) -> str:
    return ", ".join(f"{catalogue.risk_code(r)} {catalogue.risks[r].name.get(lang)}" for r in risk_ids) or text(
        "compare.none", lang
    )


st.dataframe(
    pd.DataFrame(
        [
            (name, risk_names(entered), risk_names(left_))
            for name, (entered, left_) in zip(names[1:], differing_top_risks(summaries), strict=True)
        ],
        columns=["", text("compare.new_in_top", lang), text("compare.left_top", lang, base=base.name)],
    ),
    hide_index=True,
    width="stretch",
)

report_buttons(lang, scenarios, summaries, key="compare")
draw_sidebar(lang, current)
