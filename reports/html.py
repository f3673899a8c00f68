"""The report as one self-contained HTML document (see :mod:`reports`).

A renderer: every number comes in with the summaries (:func:`scoring.compare.summarise`: the
evaluation, the simulations with and without risk events, the valuation), the words from
:mod:`presentation` and the charts from :mod:`presentation.charts`.

Made to print: the first page is the summary (the KPIs, when to raise, the top risks and what to
do), which ``layout="summary"`` gives alone on one A4 page; every chart is drawn at one fixed width
that fits A4 with fixed margins that hold its tick labels and axis titles (see ``_figure``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

import scoring
from presentation import charts
from presentation.formatting import (
    KPI_LABELS,
    band_counts,
    input_rows,
    kpi_table_html,
    kpi_value,
    mitigations_html,
    money,
    months_long,
    raise_hint,
    valuation_warnings,
)
from presentation.i18n import text
from presentation.method_text import method_sections
from scoring import Scenario, load_catalogue
from scoring.catalogue import Catalogue
from scoring.compare import Summary, differing_top_risks, summarise
from scoring.risk import band_grid
from scoring.valuation import ValuationResult, load_methods

__all__ = ["LAYOUTS", "MAX_SCENARIOS", "build_report"]

MAX_SCENARIOS = 4
LAYOUTS = ("full", "summary")  # the whole report, or its first page alone
# px: A4 portrait inside the page's 12 mm margins is 186 mm = 703 px wide. A chart is drawn once, at
# a fixed width, and is that wide on every screen and on paper, so its margins (below) are checked once.
CHART_WIDTH = 700
_HALF_WIDTH = 340  # two charts side by side, 20 px apart
_UNTITLED_TOP = 16  # px over a chart without a title: half a tick label sticks out above the plot
_CONFIG = {"displayModeBar": False, "responsive": False}
# Room for each chart's tick labels and axis titles, in px, fixed rather than found by automargin: the
# report must not depend on how a browser happens to lay it out, nor on the process's default template
# (the app's Streamlit theme has no automargin at all). Left: the longest money tick ("−12.5M", "−250k")
# and the currency; right of the single runway: "100%" and its share axis. The heatmap and the radar
# keep their own margins (presentation.charts), which hold their labels at any width.
_RUNWAY_MARGIN = {"l": 84, "r": 16, "t": 56, "b": 72}
_RUNWAY_SHARE_RIGHT = 80  # the single runway's right axis: the share of futures out of cash
_LEGEND_ROW = 24  # px per row of a legend under a chart
_LEGEND_NAME = 34  # a scenario's name in a legend, in Latin-letter widths (a CJK character is two)
_HEAD_NAME = 48  # and on the summary page, in its title and table heads (every input table has it whole)

_STYLE = """
:root { --ink: #1F2A44; --muted: #5B6475; --line: #D9DDE5; --good: #1B7F3B; --bad: #B3261E; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 "Source Sans Pro", "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 28px 30px 40px; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 6px; }
.meta, .note, figcaption { color: var(--muted); font-size: 13px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 18px 0 6px; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.kpi .label { color: var(--muted); font-size: 13px; }
.kpi .value { font-size: 22px; font-weight: 600; }
.kpi .counts { color: var(--muted); font-size: 12px; line-height: 1.3; word-break: keep-all; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #F4F6F9; }
td.num { text-align: right; white-space: nowrap; }
td.counts { text-align: right; font-size: 12.5px; word-break: keep-all; }
.delta { display: block; font-size: 12px; }
.better { color: var(--good); } .worse { color: var(--bad); }
tr.differs td { background: #FFF7E0; }
figure { margin: 10px 0 18px; break-inside: avoid; }
.chart { width: 700px; max-width: 100%; overflow-x: auto; }
.pair { display: grid; grid-template-columns: repeat(2, 340px); column-gap: 20px; }
.pair .chart { width: 340px; margin: 4px 0 12px; } .pair h3 { margin-top: 6px; }
.pair .cell { break-inside: avoid; }
section { break-inside: auto; }
.hint { margin: 8px 0; } .hint p { margin: 0; }
.summary h2 { font-size: 18px; margin-top: 14px; }
.summary .kpis { gap: 8px; margin: 12px 0 4px; } .summary .kpi { padding: 6px 9px; }
.summary .kpi .value { font-size: 20px; }
.summary .delta { display: inline; margin-left: 6px; }
table.top td:first-child { width: 40%; } ul.todo { margin: 0; padding-left: 18px; }
.summary h1 { font-size: 24px; } .summary table { font-size: 13px; line-height: 1.35; }
.summary th, .summary td { padding: 3px 7px; }
.summary table.differing th:first-child { width: 26%; }
ul.todo.inline { padding: 0; list-style: none; } ul.todo.inline li { display: inline; }
ul.todo.inline li + li::before { content: " · "; }
.risk, .keep { break-inside: avoid; margin-bottom: 8px; }
.band { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; }
.heuristic { border-left: 4px solid #F58518; padding: 6px 10px; background: #FFF8F0; margin: 8px 0; }
.warning { border-left: 4px solid var(--bad); padding: 6px 10px; background: #FDECEA; margin: 8px 0; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 12mm; }
@media print { main { padding: 0; max-width: none; } h2 { break-after: avoid; }
  body.layout-full .summary { break-after: page; } }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _inline(line: str) -> str:
    escaped = _e(line.strip())
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)


def _wide(char: str) -> bool:
    """A character of Chinese script or punctuation (full-width or wide)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _join(lines: Sequence[str]) -> str:
    """The source lines of one paragraph as one line: a space between words, none where either
    side is Chinese (a line break inside Chinese text is not a space)."""
    joined = ""
    for line in lines:
        gap = "" if not joined or _wide(joined[-1]) or _wide(line[0]) else " "
        joined += gap + line
    return joined


def _markdown(source: str) -> str:
    """Our own Method text (Markdown: paragraphs, ``- `` lists, ``| a | b |`` tables, *italic*,
    **bold**) as HTML. As in Markdown, the lines of a paragraph or of a list item are joined into
    one (a line that goes on under a list item belongs to that item); a blank line ends either."""
    out: list[str] = []
    paragraph: list[str] = []
    items: list[list[str]] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{_inline(_join(paragraph))}</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(_join(item))}</li>" for item in items) + "</ul>")
            items.clear()
        if rows:
            head, *body = rows
            cells = "".join(f"<th>{cell}</th>" for cell in head)
            lines = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in body)
            out.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{lines}</tbody></table>")
            rows.clear()

    for line in source.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            if paragraph or items:
                flush()
            if not re.fullmatch(r"\|[\s:|-]+\|", stripped):  # skip the |---|---| separator
                rows.append([_inline(cell) for cell in stripped.strip("|").split("|")])
            continue
        if rows:
            flush()
        if stripped.startswith("- "):
            if paragraph:
                flush()
            items.append([stripped[2:].strip()])
        elif stripped and items:  # a line under a list item goes on with that item
            items[-1].append(stripped)
        elif stripped:
            paragraph.append(stripped)
        else:
            flush()
    flush()
    return "\n".join(out)


def _short(name: str, width: int = _LEGEND_NAME) -> str:
    """``name`` in at most ``width`` Latin-letter widths (a CJK character counts two), ending in "…"
    if cut: a legend entry has a fixed share of the chart's width (every input table has it whole)."""
    sizes = [2 if _wide(char) else 1 for char in name]
    if sum(sizes) <= width:
        return name
    used = 0
    for index, size in enumerate(sizes):
        if used + size > width - 1:  # one width for the "…"
            return name[:index].rstrip() + "…"
        used += size
    return name


def _legend_below(fig: go.Figure, per_row: int) -> go.Figure:
    """The legend at the foot of the figure, ``per_row`` entries to a row, with the bottom margin
    grown by its rows: a fixed layout, where a legend left to Plotly could wrap into the axis title."""
    entries = sum(1 for trace in fig.data if trace.showlegend is not False)
    rows = math.ceil(entries / per_row)
    margin = fig.layout.margin
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "entrywidth": 1 / per_row,
            "entrywidthmode": "fraction",
        },
        margin={"b": (margin.b or 0) + _LEGEND_ROW * rows},
        height=fig.layout.height + _LEGEND_ROW * rows,
    )
    return fig


def _untitled(fig: go.Figure) -> go.Figure:
    """The chart without its title, and without the room it took: the page heads it."""
    return fig.update_layout(title={"text": ""}, margin={"t": _UNTITLED_TOP})


def _square(fig: go.Figure, width: int) -> go.Figure:
    """A heatmap ``width`` px wide, as tall as its square plot and its margins need (no spare
    height under it)."""
    margin = fig.layout.margin
    return fig.update_layout(width=width, height=margin.t + margin.b + width - margin.l - margin.r)


def _figure(fig: go.Figure, caption: str = "") -> str:
    """A chart at its width (the report's, unless set). No template (the process's default would
    otherwise apply: Streamlit's theme, in the app) and no automargin: the chart's margins hold its
    tick labels and axis titles."""
    fig.update_layout(
        width=fig.layout.width or CHART_WIDTH,
        autosize=False,
        template="none",
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
    )
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    div = pio.to_html(fig, full_html=False, include_plotlyjs=False, config=_CONFIG)
    note = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{div}{note}</figure>'


def _kpi_tiles(summary: Summary, lang: str) -> str:
    tiles = []
    for kpi, value in summary.kpis().items():
        shown = kpi_value(kpi, value, summary.scenario, lang)
        counts = ""
        if kpi == "overall_risk":  # how many risks in each band, beside the headline
            counts = f'<div class="counts">{_e(band_counts(summary.evaluation.risk, lang))}</div>'
        tiles.append(
            f'<div class="kpi"><div class="label">{_e(text(KPI_LABELS[kpi], lang))}</div>'
            f'<div class="value">{_e(shown)}</div>{counts}</div>'
        )
    return f'<div class="kpis">{"".join(tiles)}</div>'


def _kpi_table(summaries: Sequence[Summary], lang: str) -> str:
    names = [_short(s.scenario.name, _HEAD_NAME) for s in summaries]
    # the band counts are a phrase that may wrap, not a number
    return kpi_table_html(summaries, lang, names=names, counts="cell", cells="num")


def _valuation_range(result: ValuationResult, currency: str, lang: str) -> str:
    """The pre-money range in a line, with the base and the step it comes from."""
    return text(
        "report.valuation_range",
        lang,
        low=money(result.low, currency),
        high=money(result.high, currency),
        base=money(result.base_pre_money, currency),
        step=money(result.step, currency),
    )


def _band_badge(band_id: str, lang: str) -> str:
    name = load_catalogue().band_name(band_id, lang)
    colour, ink = charts.BAND_COLOURS[band_id], charts.BAND_TEXT[band_id]
    return f'<span class="band" style="background:{colour};color:{ink}">{_e(name)}</span>'


def _top_risks(summary: Summary, lang: str) -> str:
    catalogue = load_catalogue()
    blocks = []
    for rank, item in enumerate(summary.evaluation.risk.top(5), start=1):
        risk = catalogue.risks[item.id]
        blocks.append(
            f'<div class="risk"><h3>{rank}. {_e(catalogue.risk_code(item.id))} {_e(risk.name.get(lang))} '
            f"{_band_badge(item.band, lang)} {item.score:.1f}</h3>"
            f'<div class="note">{_e(risk.description.get(lang))}</div>'
            f"{mitigations_html(item.mitigations[:3], lang)}</div>"
        )
    return "".join(blocks)


def _top_risk_table(summary: Summary, lang: str, actions: int, inline: bool = False) -> str:
    """The five biggest risks as a table for the summary page: each with its band and score, and
    what to do (the titles of its first ``actions`` mitigations, one a line or ``inline``)."""
    catalogue = load_catalogue()
    rows = []
    css = "todo inline" if inline else "todo"
    for rank, item in enumerate(summary.evaluation.risk.top(5), start=1):
        todo = "".join(f"<li>{_e(catalogue.mitigations[m].title.get(lang))}</li>" for m in item.mitigations[:actions])
        rows.append(
            f"<tr><td>{rank}. {_e(catalogue.risk_code(item.id))} {_e(catalogue.risks[item.id].name.get(lang))}"
            f' {_band_badge(item.band, lang)} {item.score:.1f}</td><td><ul class="{css}">{todo}</ul></td></tr>'
        )
    return f'<table class="top">{"".join(rows)}</table>'


def _simulation(summary: Summary, lang: str) -> str:
    simulation = summary.simulation
    if simulation is None:
        return f'<p class="note">{_e(text("report.no_uncertainty", lang))}</p>'
    scenario = summary.scenario
    horizon = scenario.finance.horizon_months
    percentiles = simulation.runway_months
    rows = [
        (text("report.paths", lang), f"{simulation.paths:,} · seed {simulation.seed}"),
        ("P10", months_long(percentiles.p10, horizon, lang)),
        ("P50", months_long(percentiles.p50, horizon, lang)),
        ("P90", months_long(percentiles.p90, horizon, lang)),
        (text("compare.alive_share", lang), f"{simulation.prob_default_alive:.0%}"),
    ]
    if summary.without_events is not None:  # the same futures without risk events: what the events cost
        without = summary.without_events.runway_months.p50
        rows.append((text("report.without_events", lang), months_long(without, horizon, lang)))
    _, hint = raise_hint(simulation, scenario, lang)
    table = "".join(f'<tr><th>{_e(label)}</th><td class="num">{_e(value)}</td></tr>' for label, value in rows)
    return f'<div class="keep"><table>{table}</table>{_markdown(hint)}</div>'


def _table(headers: Sequence[str], rows: Sequence[Sequence[tuple[str, bool]]]) -> str:
    """A table of escaped text; each cell is (text, right-aligned number?)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if num else ''}>{_e(cell)}</td>" for cell, num in row) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _valuation(summary: Summary, lang: str) -> str:
    catalogue = load_catalogue()
    methods = load_methods()
    result = summary.valuation
    currency = summary.scenario.currency

    def drivers(category) -> tuple[str, bool]:
        return ", ".join(catalogue.input_name(i, lang) for i in category.drivers), False

    summation = [
        [
            (c.name.get(lang), False),
            drivers(c),
            (f"{item.rating:+.0f}" if item.rating else "0", True),
            (money(item.contribution, currency), True),
        ]
        for c, item in zip(methods.risk_factor_summation, result.summation_items, strict=True)
    ]
    scorecard = [
        [
            (c.name.get(lang), False),
            drivers(c),
            (f"{c.weight:.0%}", True),
            (f"{item.rating:.0%}", True),
            (money(item.contribution, currency), True),
        ]
        for c, item in zip(methods.scorecard, result.scorecard_items, strict=True)
    ]
    header = _valuation_range(result, currency, lang)
    names = [text(f"valuation.{key}", lang) for key in ("category", "from", "rating", "adds", "weight", "ratio")]
    warnings = "".join(f'<p class="warning">{_e(w)}</p>' for w in valuation_warnings(result, currency, lang))
    return (
        f"<p><strong>{_e(header)}</strong></p>{warnings}"
        f'<p class="heuristic">{_e(text("valuation.heuristic", lang))}</p>'
        f"<h3>{_e(text('valuation.summation', lang))}: {_e(money(result.summation, currency))}</h3>"
        + _table(names[:4], summation)
        + f"<h3>{_e(text('valuation.scorecard', lang))}: {_e(money(result.scorecard, currency))}</h3>"
        + _table([*names[:2], names[4], names[5], names[3]], scorecard)
    )


def _inputs(scenarios: Sequence[Scenario], lang: str) -> str:
    """Every input of every scenario; with several, the rows that differ are shaded."""
    tables = [input_rows(scenario, lang) for scenario in scenarios]
    head = "".join(f"<th>{_e(s.name)}</th>" for s in scenarios)
    seen = list(dict.fromkeys((section, label) for table in tables for section, label, _ in table))
    sections = list(dict.fromkeys(section for section, _ in seen))  # a round only some have stays in its section
    labels = sorted(seen, key=lambda pair: sections.index(pair[0]))
    lookup = [{(section, label): value for section, label, value in table} for table in tables]
    body, last_section = [], None
    for section, label in labels:
        if section != last_section:
            body.append(f'<tr><th colspan="{len(scenarios) + 1}">{_e(section)}</th></tr>')
            last_section = section
        values = [entry.get((section, label), "—") for entry in lookup]
        differs = len(scenarios) > 1 and len(set(values)) > 1
        cells = "".join(f"<td>{_e(value)}</td>" for value in values)
        body.append(f"<tr{' class=differs' if differs else ''}><td>{_e(label)}</td>{cells}</tr>")
    return f"<table><tr><th>{_e(text('report.input', lang))}</th>{head}</tr>{''.join(body)}</table>"


def _conventions(lang: str) -> str:
    return "".join(f"<h3>{_e(title)}</h3>{_markdown(body)}" for title, body in method_sections(lang))


def _runway_sized(fig: go.Figure, height: int, right: int, per_row: int) -> go.Figure:
    """A runway at report size: fixed margins, the legend at its foot (clear of the title and of
    the cash-out label at the top of the plot)."""
    fig.update_layout(height=height, margin={**_RUNWAY_MARGIN, "r": right})
    return _legend_below(fig, per_row)


def _single_summary(summary: Summary, lang: str) -> str:
    """The first page of a one-scenario report: the KPIs, when to raise, the valuation range, and
    the five biggest risks with what to do about them."""
    scenario, valuation = summary.scenario, summary.valuation
    parts = [_kpi_tiles(summary, lang)]
    if summary.simulation is not None:
        parts.append(f'<div class="hint">{_markdown(raise_hint(summary.simulation, scenario, lang)[1])}</div>')
    span = _valuation_range(valuation, scenario.currency, lang)
    parts.append(f'<p class="hint"><strong>{_e(span)}</strong> · {_e(text("report.heuristic_short", lang))}</p>')
    parts.append(f"<h2>{_e(text('explore.top_risks', lang))}</h2>{_top_risk_table(summary, lang, actions=3)}")
    return "".join(parts)


def runway_of(summary: Summary, lang: str) -> go.Figure:
    """The scenario's cash-by-month figure, with its simulated futures when there are any."""
    scenario = summary.scenario
    return charts.runway_figure(
        summary.evaluation.runway,
        scenario.finance.cash,
        scenario.currency,
        lang,
        scenario.settings.start_month,
        simulation=summary.simulation,
    )


def _single(summary: Summary, lang: str) -> list[str]:
    catalogue = load_catalogue()
    evaluation = summary.evaluation
    runway = runway_of(summary, lang)
    right = _RUNWAY_SHARE_RIGHT if summary.simulation is not None else _RUNWAY_MARGIN["r"]
    heatmap = charts.risk_heatmap(evaluation.risk, band_grid(catalogue), catalogue, lang)
    radar = charts.opportunity_radar(evaluation.opportunity, None, catalogue, lang)
    return [
        f"<h2>{_e(text('report.runway', lang))}</h2>{_figure(_runway_sized(runway, 500, right, 3))}"
        + _simulation(summary, lang),
        f"<h2>{_e(text('report.risks', lang))}</h2>{_figure(heatmap)}",
        f"<h2>{_e(text('explore.top_risks', lang))}</h2>{_top_risks(summary, lang)}",
        f"<h2>{_e(text('report.opportunity', lang))}</h2>{_figure(radar)}",
        f"<h2>{_e(text('valuation.title', lang))}</h2>{_valuation(summary, lang)}",
    ]


def _risk_names(catalogue: Catalogue, risk_ids: Sequence[str], lang: str) -> str:
    names = (f"{catalogue.risk_code(r)} {catalogue.risks[r].name.get(lang)}" for r in risk_ids)
    return ", ".join(names) or text("compare.none", lang)


def _comparison_summary(summaries: Sequence[Summary], lang: str) -> str:
    """The first page of a comparison: the KPIs side by side with their deltas, the top risks that
    differ from the base's, and the base's five biggest risks with what to do."""
    catalogue = load_catalogue()
    base = summaries[0].scenario
    differing = "".join(
        f"<tr><td>{_e(_short(summary.scenario.name, _HEAD_NAME))}</td>"
        f"<td>{_e(_risk_names(catalogue, entered, lang))}</td><td>{_e(_risk_names(catalogue, left, lang))}</td></tr>"
        for summary, (entered, left) in zip(summaries[1:], differing_top_risks(summaries), strict=True)
    )
    warnings = "".join(  # under the valuation rows of the table
        f'<p class="warning">{_e(s.scenario.name)}{_e(text("field.separator", lang))}{_e(w)}</p>'
        for s in summaries
        for w in valuation_warnings(s.valuation, s.scenario.currency, lang)
    )
    top = text("report.top_risks_of", lang, name=base.name)
    return (
        f'<p class="note">{_e(text("report.deltas_against", lang, base=base.name))}</p>'
        + _kpi_table(summaries, lang)
        + warnings
        + f"<h2>{_e(text('compare.differing_risks', lang))}</h2>"
        + f"<table class='differing'><tr><th></th><th>{_e(text('compare.new_in_top', lang))}</th>"
        + f"<th>{_e(text('compare.left_top', lang, base=_short(base.name, _HEAD_NAME)))}</th></tr>{differing}</table>"
        + f"<h2>{_e(top)}</h2>{_top_risk_table(summaries[0], lang, actions=2, inline=True)}"
    )


def _comparison(summaries: Sequence[Summary], lang: str) -> list[str]:
    catalogue = load_catalogue()
    base = summaries[0].scenario
    named = [(_short(s.scenario.name), s) for s in summaries]  # the figure builders escape the names
    runway = charts.runway_overlay(
        [(name, s.scenario.finance.cash, s.evaluation.runway) for name, s in named],
        base.currency,
        lang,
        base.settings.start_month,
    )
    radar = charts.radar_overlay([(name, s.evaluation.opportunity) for name, s in named], catalogue, lang)
    radar.update_layout(margin={"b": 40})  # room for its lowest axis name; the legend gets rows of its own
    grid = band_grid(catalogue)
    heatmaps = "".join(  # two to a row, each under its scenario's name (which the page wraps) for a title
        f'<div class="cell"><h3>{_e(s.scenario.name)}</h3>'
        + _figure(_square(_untitled(charts.risk_heatmap(s.evaluation.risk, grid, catalogue, lang)), _HALF_WIDTH))
        + "</div>"
        for s in summaries
    )
    return [
        f"<h2>{_e(text('report.runway', lang))}</h2>{_figure(_runway_sized(runway, 440, _RUNWAY_MARGIN['r'], 2))}",
        f"<h2>{_e(text('report.opportunity', lang))}</h2>{_figure(_legend_below(radar, 2))}",
        f"<h2>{_e(text('report.risks', lang))}</h2><div class='pair'>{heatmaps}</div>",
    ]


def build_report(
    scenarios: Sequence[Scenario],
    lang: str = "en",
    today: dt.date | None = None,
    summaries: Sequence[Summary] | None = None,
    layout: Literal["full", "summary"] = "full",
) -> str:
    """The report of one scenario, or the comparison of two to four (the first is the base).

    Its first page is the summary (the KPIs, the top risks and what to do); ``layout="summary"``
    is that page alone, which fits one A4 page."""
    if not 1 <= len(scenarios) <= MAX_SCENARIOS:
        raise ValueError(f"a report covers 1 to {MAX_SCENARIOS} scenarios, got {len(scenarios)}")
    if layout not in LAYOUTS:
        raise ValueError(f"a report's layout is one of {', '.join(LAYOUTS)}, got {layout!r}")
    summaries = list(summaries) if summaries is not None else [summarise(s) for s in scenarios]
    today = today or dt.datetime.now(dt.UTC).date()
    if len(scenarios) == 1:
        title = scenarios[0].name
        summary = _single_summary(summaries[0], lang)
    else:
        title = text("report.comparison_title", lang, names=" · ".join(_short(s.name, _HEAD_NAME) for s in scenarios))
        summary = _comparison_summary(summaries, lang)
    meta = text("report.meta", lang, date=today.isoformat(), version=scoring.__version__)
    sections = [
        f'<section class="summary"><header><h1>{_e(title)}</h1><p class="meta">{_e(meta)}</p></header>'
        f"{summary}</section>"
    ]
    if layout == "full":
        sections += [
            *(_single(summaries[0], lang) if len(scenarios) == 1 else _comparison(summaries, lang)),
            f"<h2>{_e(text('report.inputs', lang))}</h2>{_inputs(scenarios, lang)}",
            f"<h2>{_e(text('report.conventions', lang))}</h2>{_conventions(lang)}",
        ]
    footer = text("report.footer", lang, date=today.isoformat(), version=scoring.__version__)
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style>"
        + (f'<script type="text/javascript">{get_plotlyjs()}</script>' if layout == "full" else "")
        + f'</head><body class="layout-{layout}"><main>{"".join(sections)}'
        + f"<footer>{_e(footer)}</footer></main></body></html>"
    )
