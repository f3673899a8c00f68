"""KPI values and deltas as people read them, for the pages, the reports and the command line,
:func:`plain`: user text made inert for a Markdown element, and the HTML blocks Explore shows
(escaped here; styled by dashboard.ui).

Pure Python; the numbers come from :mod:`scoring.compare`, this module only words them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Literal

from presentation.i18n import text
from scoring.catalogue import load_catalogue
from scoring.compare import Summary, kpi_rows
from scoring.risk import RiskItem, RiskReport
from scoring.runway import calendar_month
from scoring.scenario import MAX_HORIZON_MONTHS, Scenario
from scoring.simulate import SimulationResult, raise_advice
from scoring.valuation import ValuationResult

__all__ = [
    "KPI_LABELS",
    "band_counts",
    "cash_plan_line",
    "compact",
    "input_rows",
    "kpi_delta",
    "kpi_table",
    "kpi_table_html",
    "kpi_value",
    "mitigations_html",
    "money",
    "months_long",
    "naive_months",
    "plain",
    "raise_hint",
    "risk_detail_html",
    "score_bars_html",
    "score_delta",
    "section_html",
    "split_html",
    "survival_word",
    "top_risks_html",
    "valuation_warnings",
]

KPI_LABELS = {
    "overall_risk": "kpi.overall_risk",
    "opportunity": "kpi.opportunity",
    "runway_months": "kpi.runway",
    "p10_months": "sim.p10",
    "p50_months": "compare.p50",
    "cash_out_month": "kpi.cash_out",
    "break_even_month": "kpi.break_even",
    "prob_default_alive": "compare.alive_share",
    "valuation_low": "compare.valuation_low",
    "valuation_high": "compare.valuation_high",
}
_MONTHS = {"runway_months", "p10_months", "p50_months"}
_CALENDAR = {"cash_out_month", "break_even_month"}
_VALUES = {"valuation_low", "valuation_high"}


# --- user text in Streamlit's Markdown ------------------------------------------------------------
# Streamlit renders Markdown (CommonMark + GFM) in titles, captions, alerts, labels, help and table
# cells, with its own directives (:red[x], :small[x]), icons (:material/x:, :streamlit:), emoji
# shortcodes (:smile:) and KaTeX ($x$). A backslash makes a mark literal to the parser; but GFM's
# bare links (https://…, www.…, a@b.co) and the icon and emoji shortcodes are found afterwards, in
# the parsed text, where the backslash is gone: there a word joiner (U+2060, invisible, zero width)
# splits the sequence instead. Marks that mean nothing where they stand are left alone, so ordinary
# text ("Customer-service AI", "horizon_months", "Round 1: month") reads the same in the source.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_SPLIT = re.compile(
    r"(?<=:)(?=[a-z0-9_+-]+:|material/)"  # :smile:, :+1:, :streamlit:, :material/x: (shortcodes)
    r"|(?<=:)(?=/)"  # https://… (a bare link)
    r"|(?<=www)(?=\.)"  # www.… (a bare link)
    r"|(?<=@)(?=[a-z0-9_-])",  # a@b.co (a bare e-mail link)
    re.IGNORECASE,
)
_MARKS = re.compile(
    r"[\\`*{}\[\]<>|~$/]"  # anywhere: code, emphasis, links, images, HTML, tables, strikethrough, maths
    r"|_(?![^\W_])|(?<![^\W_])_"  # "_" unless inside a word (where it never makes emphasis)
    r"|:(?=\S)"  # a directive (:red[x]) or shortcode; not "Round 1: month"
    r"|&(?=#?\w+;)"  # an entity (&lt;)
    r"|^[-+#]"  # a list, heading or rule: only at the start
)
_ORDERED = re.compile(r"^(\d{1,9})(?=[.)](?:\s|$))")  # "1. " or "1) ": a numbered list, only at the start


def plain(words: str) -> str:
    """User text (a scenario, variant or room name, a file name, a link's key or value, an error
    that quotes them) for any Streamlit element that renders Markdown, shown as typed: no link,
    image, emphasis, heading, list, HTML, colour, icon, emoji or formula. One line: line breaks
    become spaces, and the ends are trimmed (as Markdown would)."""
    words = _SPLIT.sub("\u2060", _LINE_BREAKS.sub(" ", words).strip())
    return _ORDERED.sub(r"\1\\", _MARKS.sub(lambda mark: "\\" + mark.group(0), words), count=1)


def score_bars_html(rows: Sequence[tuple[str, float]]) -> str:
    """Scores out of 100 as a list of labelled bars in one HTML block (styled by ``.score-bars``
    in dashboard.ui): "Market · 45 / 100" above a bar 45 % full. The words carry the value for a
    screen reader; the bar is decoration. Names are escaped."""
    items = "".join(
        f"<li><span>{html.escape(name)} · {value:.0f} / 100</span>"
        f'<span class="score-bar" aria-hidden="true"><span style="width: {max(0.0, min(value, 100.0)):.1f}%">'
        "</span></span></li>"
        for name, value in rows
    )
    return f'<ul class="score-bars">{items}</ul>'


# --- Explore's text blocks as HTML ---------------------------------------------------------------
# One st.html each: the browser sanitises and inserts HTML, where Markdown is parsed in JavaScript
# on every change, and one element replaces a dozen (headings, columns, lists): on each slider move
# the page then reaches the browser lighter and is drawn sooner (benchmarks/README.md, latency).


def _e(value: object) -> str:
    return html.escape(str(value))


def section_html(heading: str, body: str) -> str:
    """A section of a page: an h2 heading (the page's title is its h1) over an HTML body."""
    return f"<section><h2>{_e(heading)}</h2>{body}</section>"


def split_html(left: str, right: str, kind: Literal["even", "wide"] = "even") -> str:
    """Two HTML blocks side by side ("wide": the left one takes 60 %), one above the other on a
    phone (the CSS, .split, is in dashboard.ui)."""
    return f'<div class="split {kind}"><div>{left}</div><div>{right}</div></div>'


def mitigations_html(mitigation_ids: Sequence[str], lang: str) -> str:
    """What to do about a risk as one list: each mitigation's title in bold, then what it means."""
    mitigations = load_catalogue().mitigations
    items = "".join(
        f"<li><strong>{_e(mitigations[m].title.get(lang))}</strong> — {_e(mitigations[m].text.get(lang))}</li>"
        for m in mitigation_ids
    )
    return f"<ul>{items}</ul>"


def top_risks_html(risk: RiskReport, lang: str, count: int = 5, actions: int = 2) -> str:
    """The ``count`` highest-scoring risks, highest first, as one numbered list: code and name,
    band and score, and the first ``actions`` things to do about each."""
    catalogue = load_catalogue()
    items = "".join(
        f"<li><strong>{_e(catalogue.risk_code(item.id))} {_e(catalogue.risks[item.id].name.get(lang))}</strong>"
        f" — {_e(catalogue.band_name(item.band, lang))} {item.score:.1f}"
        f"{mitigations_html(item.mitigations[:actions], lang)}</li>"
        for item in risk.top(count)
    )
    return f'<ol class="top-risks">{items}</ol>'


def risk_detail_html(item: RiskItem, lang: str, drivers: int = 5) -> str:
    """One risk in two columns: what it is, likelihood × impact = score, the inputs that drive each
    dimension (at most ``drivers`` each, those adding at least 0.005; an input that drives both is
    in both lists) and the risks that amplify it; then everything to do about it."""
    catalogue = load_catalogue()
    risk = catalogue.risks[item.id]
    values = {"likelihood": f"{item.likelihood:.2f}", "impact": f"{item.impact:.2f}", "score": f"{item.score:.1f}"}
    dims = text("explore.dims", lang, **values)
    about = [
        f"<p><strong>{_e(catalogue.risk_code(item.id))} {_e(risk.name.get(lang))}</strong>"
        f" · {_e(catalogue.band_name(item.band, lang))} {item.score:.1f}</p>",
        f"<p><em>{_e(risk.description.get(lang))}</em></p>",
        f"<p>{_e(dims)}</p>",
    ]
    for heading, found in (("drivers.likelihood", item.likelihood_drivers), ("drivers.impact", item.impact_drivers)):
        named = [
            f"<li>{_e(catalogue.input_name(d.input, lang))} (+{d.contribution:.2f})</li>"
            for d in found
            if d.contribution >= 0.005
        ]
        if named:
            about.append(f"<p><strong>{_e(text(heading, lang))}</strong></p><ul>{''.join(named[:drivers])}</ul>")
    if item.amplified_by:
        sources = "".join(
            f"<li>{_e(catalogue.risks[s.id].name.get(lang))} (+{s.uplift:.2f})</li>" for s in item.amplified_by
        )
        about.append(f"<p><strong>{_e(text('explore.amplified_by', lang))}</strong></p><ul>{sources}</ul>")
    todo = f"<p><strong>{_e(text('explore.what_to_do', lang))}</strong></p>{mitigations_html(item.mitigations, lang)}"
    return split_html("".join(about), todo)


def compact(value: float) -> str:
    """An amount to three figures: 2M, 1.75M, 96.6k, -250k. The unit is the rounded value's
    (999,999 is 1M, not 1e+03k); thousands of billions are written out (1,000B)."""
    rounded = float(f"{value:.3g}")
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= limit:
            shown = rounded / limit
            return f"{shown:,.0f}{suffix}" if abs(shown) >= 1000 else f"{shown:.3g}{suffix}"
    return f"{value:,.0f}"


def money(value: float, currency: str) -> str:
    return f"{compact(value)} {currency}"


def cash_plan_line(scenario: Scenario, lang: str) -> str:
    """The cash plan in one line, for the sidebar while its controls are folded away: "4M USD in
    the bank · costs 160k USD/mo (+2.5 %/mo) · revenue 10k USD/mo (+8 %/mo) · 60 months · 1 funding
    round" (a growth rate only where there is one)."""
    finance, currency = scenario.finance, scenario.currency

    def amount(value: float, growth: float) -> str:
        key = "sidebar.monthly_growing" if growth else "sidebar.monthly"
        return text(key, lang, amount=money(value, currency), pct=f"{growth * 100:+.3g}")

    count = len(finance.funding)
    rounds = {0: "sidebar.rounds_none", 1: "sidebar.rounds_one"}.get(count, "sidebar.rounds_many")
    return text(
        "sidebar.cash_summary",
        lang,
        cash=money(finance.cash, currency),
        costs=amount(finance.monthly_costs, finance.cost_growth),
        revenue=amount(finance.monthly_revenue, finance.revenue_growth),
        months=finance.horizon_months,
        rounds=text(rounds, lang, count=count),
    )


def kpi_value(kpi: str, value: float | None, scenario: Scenario, lang: str) -> str:
    horizon = scenario.finance.horizon_months
    if kpi in _MONTHS:
        if value is None:
            return "> " + text("kpi.months_short", lang, months=horizon)
        return text("kpi.months_short", lang, months=f"{value:.1f}")
    if kpi in _CALENDAR:
        if value is None:
            return "—"
        start = scenario.settings.start_month
        return calendar_month(start, int(value)) if start else text("kpi.month_n", lang, month=int(value))
    if kpi == "prob_default_alive":
        return f"{value:.0%}"
    if kpi in _VALUES:
        return money(value, scenario.currency)
    return f"{value:.0f} / 100"


def band_counts(risk: RiskReport, lang: str, *, no_break: bool = True) -> str:
    """How many risks are in each band, highest band first, empty bands left out:
    "2 critical · 5 high · 15 medium · 5 low" (band names from the catalogue). Each count is
    tied to its band by no-break spaces, and the dot to the part before it, so a narrow column
    wraps the line only after a " ·"; ``no_break=False`` keeps plain spaces (a terminal)."""
    space = "\u00a0" if no_break else " "
    parts = []
    for band in reversed(load_catalogue().bands):
        count = risk.band_counts.get(band.id, 0)
        if count:
            name = band.name.get(lang)
            part = text("kpi.band_count", lang, count=count, band=name.lower() if lang == "en" else name)
            parts.append(part.replace(" ", space))
    return f" ·{space}".join(parts) or "—"


def valuation_warnings(valuation: ValuationResult, currency: str, lang: str) -> list[str]:
    """What a reader of the valuation range must know about this company, in words: that it
    already has material revenue (the rules of thumb are for pre-revenue companies), and that
    the base is the data's placeholder in another currency. Empty when neither holds."""
    warnings = []
    if valuation.material_revenue:
        share = valuation.revenue_cost_share
        warnings.append(
            text(
                "valuation.has_revenue" if share is not None else "valuation.has_revenue_no_costs",
                lang,
                revenue=money(valuation.monthly_revenue, currency),
                share="" if share is None else f"{share:.0%}",
            )
        )
    if valuation.base_is_placeholder:
        warnings.append(
            text(
                "valuation.placeholder_base",
                lang,
                base=f"{valuation.base_pre_money:,.0f}",
                default=valuation.default_base_currency,
                currency=currency,
            )
        )
    return warnings


def survival_word(default_alive: bool, share_of_futures: float, lang: str) -> str:
    """The "No new money" verdict: the plan's default alive (Graham), tempered by the futures.

    A plan that reaches break-even on its cash but that fewer than half of the simulated futures
    survive reads "At risk", not "Survives" beside "22% survive"."""
    if not default_alive:
        return text("kpi.dead", lang)
    return text("kpi.alive" if share_of_futures >= 0.5 else "kpi.at_risk", lang)


def months_long(value: float | None, horizon: int, lang: str) -> str:
    """A runway in a sentence: "12.3 months", or "> 36 months" when it lasts the horizon."""
    if value is None:
        return text("kpi.beyond_horizon", lang, months=horizon)
    return text("kpi.months", lang, months=f"{value:.1f}")


def naive_months(value: float | None, lang: str) -> str:
    """The naive runway (cash / burn) as a number of months: "16.7", "not burning", or "> 120" past
    the longest plan the model projects, so a tiny burn never reads as a million months."""
    if value is None:
        return text("sim.not_burning", lang)
    return f"> {MAX_HORIZON_MONTHS}" if value > MAX_HORIZON_MONTHS else f"{value:.1f}"


def raise_hint(simulation: SimulationResult, scenario: Scenario, lang: str) -> tuple[str, str]:
    """When to start raising, in words (Markdown), and its tone: "none", "now" or "by"."""
    advice = raise_advice(simulation, scenario.settings.fundraising_lead_months)
    p10 = simulation.runway_months.p10
    if advice.slack_months is None:
        return "none", text("sim.raise_none", lang, months=scenario.finance.horizon_months)
    if advice.now:
        return "now", text("sim.raise_now", lang, p10=f"{p10:.1f}", lead=f"{advice.lead_months:g}")
    start = scenario.settings.start_month
    when = (
        calendar_month(start, advice.start_by_month)
        if start
        else text("sim.month_when", lang, month=advice.start_by_month)
    )
    hint = text(
        "sim.raise_by",
        lang,
        when=when,
        p10=f"{p10:.1f}",
        lead=f"{advice.lead_months:g}",
        slack=f"{advice.slack_months:.1f}",
    )
    return "by", hint


def kpi_delta(kpi: str, delta: float | None, lang: str) -> str:
    """A change as shown beside a value; "" when there is none at the shown precision."""
    if delta is None:
        return ""
    if kpi in _MONTHS or kpi in _CALENDAR:
        shown = text("kpi.months_short", lang, months=f"{delta:+.1f}") if round(delta, 1) else ""
    elif kpi == "prob_default_alive":
        shown = text("compare.points", lang, points=f"{delta * 100:+.0f}") if round(delta * 100) else ""
    elif kpi in _VALUES:
        shown = ("+" if delta > 0 else "") + compact(delta) if round(delta) else ""
    else:
        shown = f"{delta:+.1f}" if round(delta, 1) else ""
    return shown


def score_delta(delta: float) -> tuple[str, bool]:
    """A 0-100 score's change as the KPI row shows it, to one decimal, and whether that is a change
    at all: ("+0.5", True), ("-1.2", True), or ("±0.0", False) when it rounds to zero at that
    precision, so a page shows it grey and without an arrow rather than as a red "↑ +0.0"."""
    shown = f"{delta:+.1f}"
    if float(shown) == 0:  # "+0.0" and "-0.0" alike
        return "±0.0", False
    return shown, True


def kpi_table(summaries: Sequence[Summary], lang: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Each KPI's label and, per scenario, (value, change against the base, tone), where the
    tone is "better", "worse" or "" (no change at the shown precision, or the base itself).
    Under overall risk, a row with each scenario's count of risks per band."""
    table = []
    for row in kpi_rows(summaries):
        cells = []
        for summary, value, delta in zip(summaries, row.values, row.deltas, strict=True):
            change = kpi_delta(row.kpi, delta, lang)
            tone = ("better" if (delta > 0) == row.higher_is_better else "worse") if change else ""
            cells.append((kpi_value(row.kpi, value, summary.scenario, lang), change, tone))
        table.append((text(KPI_LABELS[row.kpi], lang), cells))
        if row.kpi == "overall_risk":
            counts = [(band_counts(summary.evaluation.risk, lang), "", "") for summary in summaries]
            table.append((text("kpi.band_counts", lang), counts))
    return table


def kpi_table_html(
    summaries: Sequence[Summary],
    lang: str,
    *,
    names: Sequence[str] | None = None,
    table_class: str = "",
    counts: Literal["", "row", "cell"] = "",
    cells: str = "",
) -> str:
    """:func:`kpi_table` as an HTML table of escaped text, one column a scenario, for the reports,
    the deck and Present. ``names``: the column heads (the scenarios' names by default; user text,
    escaped here); ``table_class``: the table's class; ``counts``: where the band-counts row is
    marked with the class "counts" — on its ``"row"``, on its ``"cell"``s, or not at all;
    ``cells``: the class of every other row's cells."""
    names = [s.scenario.name for s in summaries] if names is None else names
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    counts_label = text("kpi.band_counts", lang)
    rows = []
    for label, row in kpi_table(summaries, lang):
        is_counts = label == counts_label
        css = "counts" if is_counts and counts == "cell" else "" if is_counts else cells
        td = f'<td class="{css}">' if css else "<td>"
        shown = "".join(
            f"{td}{html.escape(value)}"
            + (f'<span class="delta {tone}">{html.escape(change)}</span>' if change else "")
            + "</td>"
            for value, change, tone in row
        )
        tr = '<tr class="counts">' if is_counts and counts == "row" else "<tr>"
        rows.append(f"{tr}<th>{html.escape(label)}</th>{shown}</tr>")
    table = f'<table class="{table_class}">' if table_class else "<table>"
    return f"{table}<tr><th></th>{head}</tr>{''.join(rows)}</table>"


_PERCENT = {"cost_growth", "revenue_growth", "cost_sd", "revenue_sd", "revenue_growth_sd"}
_AMOUNTS = {"cash", "monthly_costs", "monthly_revenue", "base_pre_money", "step"}


def input_rows(scenario: Scenario, lang: str) -> list[tuple[str, str, str]]:
    """Every input of the scenario as (section, label, value) rows, in the sidebar's order."""
    catalogue = load_catalogue()
    rows = []
    for factor_id, value in scenario.factors.items():
        group = catalogue.groups[factor_id.split(".")[0]].name.get(lang)
        rows.append((group, catalogue.factors[factor_id].name.get(lang), f"{value:g}"))
    finance = scenario.finance
    plan = text("sidebar.cash_plan", lang)
    for field in ("cash", "monthly_costs", "monthly_revenue", "cost_growth", "revenue_growth", "horizon_months"):
        rows.append((plan, text(f"field.{field}", lang), _input_value(field, getattr(finance, field), scenario)))
    for index, funding_round in enumerate(finance.funding, start=1):
        words = f"{text('field.month', lang)} {funding_round.month}: {money(funding_round.amount, scenario.currency)}"
        if funding_round.probability != 1:
            words += f" · {funding_round.probability:.0%}"
        if funding_round.label:
            words += f" · {funding_round.label}"
        rows.append((plan, text("field.funding_row", lang, row=index), words))
    uncertainty = text("field.uncertainty", lang)
    for field in ("cost_sd", "revenue_sd", "revenue_growth_sd"):
        value = getattr(finance.uncertainty, field)
        rows.append((uncertainty, text(f"field.{field}", lang), _input_value(field, value, scenario)))
    on_off = text("compare.on" if finance.uncertainty.risk_events else "compare.off", lang)
    rows.append((uncertainty, text("field.risk_events", lang), on_off))
    settings = scenario.settings
    other = text("compare.settings", lang)
    rows.append((other, text("field.currency", lang), scenario.currency))
    rows.append((other, text("field.start_month", lang), settings.start_month or "—"))
    lead = settings.fundraising_lead_months
    rows.append((other, text("field.fundraising_lead_months", lang), "—" if lead is None else f"{lead:g}"))
    if settings.valuation is not None:
        for field in ("base_pre_money", "step"):
            value = getattr(settings.valuation, field)
            rows.append(
                (other, text(f"field.{field}", lang), "—" if value is None else money(value, scenario.currency))
            )
    return rows


def _input_value(field: str, value: float, scenario: Scenario) -> str:
    if field in _PERCENT:
        return f"{value * 100:g} %"
    if field in _AMOUNTS:
        return f"{value:,.0f} {scenario.currency}"
    return f"{value:g}"
