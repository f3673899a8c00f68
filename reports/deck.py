"""The slide deck: the Present slides as one self-contained 16:9 HTML file, one slide per page.

Each slide is a ``<section>`` of exactly 1280 × 720 px and each printed page is that size
(``@page``), so :func:`reports.html_to_pdf` prints one slide per page. Slides: the title with
the headline figures, the risk matrix, the opportunity radar, the runway, the three biggest
risks with what to do, the valuation and, with variants, the comparison (key figures, runways
overlaid, radars overlaid). A renderer like :mod:`reports.html`: numbers from the summaries,
words from :mod:`presentation`, charts from :mod:`presentation.charts` (Plotly inlined once).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

import scoring
from presentation import charts
from presentation.formatting import KPI_LABELS, band_counts, compact, kpi_table_html, kpi_value, valuation_warnings
from presentation.i18n import text
from reports.html import MAX_SCENARIOS, _band_badge, runway_of
from scoring import Scenario, load_catalogue
from scoring.compare import Summary, summarise
from scoring.risk import band_grid
from scoring.valuation import load_methods

__all__ = ["SLIDE_HEIGHT", "SLIDE_WIDTH", "build_deck", "deck_slides"]

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720  # px: 16:9, a projector's 720p
CHART_WIDTH, CHART_HEIGHT = 1168, 610  # a chart slide's chart: the slide less its padding and footer
_CONFIG = {"displayModeBar": False, "responsive": False, "staticPlot": True}

FONT_FAMILY = '"Source Sans Pro", "Noto Sans", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif'
_STYLE = f"""
:root {{ --ink: #1F2A44; --muted: #5B6475; --line: #D9DDE5; --good: #1B7F3B; --bad: #B3261E; }}
* {{ box-sizing: border-box; }}
@page {{ size: {SLIDE_WIDTH}px {SLIDE_HEIGHT}px; margin: 0; }}
html, body {{ margin: 0; padding: 0; background: #fff; color: var(--ink);
  font: 22px/1.35 {FONT_FAMILY}; }}
section.slide {{ position: relative; width: {SLIDE_WIDTH}px; height: {SLIDE_HEIGHT}px; overflow: hidden;
  padding: 30px 56px 46px; break-after: page; page-break-after: always; }}
section.slide:last-child {{ break-after: auto; page-break-after: auto; }}
@media screen {{ body {{ background: #8A93A6; }} section.slide {{ margin: 16px auto; background: #fff; }} }}
h1 {{ font-size: 56px; line-height: 1.1; margin: 56px 0 8px; overflow-wrap: anywhere; }}
h2 {{ font-size: 36px; margin: 0 0 16px; }}
h3 {{ font-size: 28px; margin: 10px 0 6px; }}
.meta {{ color: var(--muted); font-size: 20px; margin: 0 0 44px; }}
.kpis {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 40px 22px; }}
.kpi .label {{ color: var(--muted); font-size: 21px; }}
.kpi .value {{ font-size: 50px; font-weight: 600; line-height: 1.15; overflow-wrap: anywhere; }}
.kpi .value.range {{ font-size: 38px; }}
.kpi .counts {{ color: var(--muted); font-size: 19px; word-break: keep-all; }}
.risk .actions {{ display: grid; grid-template-columns: 1fr 1fr; gap: 0 30px; font-size: 21px; line-height: 1.3; }}
.risk .actions p {{ margin: 0 0 6px; }}
.band {{ display: inline-block; padding: 0 8px; border-radius: 5px; font-size: 18px; font-weight: 600;
  vertical-align: middle; }}
.note {{ color: var(--muted); font-size: 17px; }}
.warning {{ border-left: 5px solid var(--bad); padding: 4px 10px; background: #FDECEA; font-size: 17px;
  margin: 4px 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 20px; }}
th, td {{ text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); vertical-align: top;
  word-break: keep-all; }}
td, tr:first-child th {{ text-align: right; }}
tr.counts td {{ font-size: 16px; }}
.delta {{ font-size: 16px; margin-left: 6px; white-space: nowrap; }}
.better {{ color: var(--good); }} .worse {{ color: var(--bad); }}
footer {{ position: absolute; left: 56px; right: 56px; bottom: 14px; display: flex; justify-content: space-between;
  color: var(--muted); font-size: 15px; }}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _chart(figure: go.Figure, height: int = CHART_HEIGHT) -> str:
    """A figure at a slide's size in the projector's large type, drawn by the inlined Plotly."""
    figure = charts.for_projector(figure, height=height)
    figure.update_layout(width=CHART_WIDTH, autosize=False, paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF")
    figure.update_layout(font_family=FONT_FAMILY)
    return pio.to_html(figure, full_html=False, include_plotlyjs=False, config=_CONFIG)


def _title_slide(summary: Summary, lang: str, meta: str) -> str:
    scenario, values = summary.scenario, summary.kpis()
    shown = ("overall_risk", "opportunity", "runway_months", "p10_months")
    shown += ("cash_out_month", "prob_default_alive", "break_even_month")
    tiles = []
    for kpi in shown:
        counts = ""
        if kpi == "overall_risk":
            counts = f'<div class="counts">{_e(band_counts(summary.evaluation.risk, lang))}</div>'
        tiles.append(
            f'<div class="kpi"><div class="label">{_e(text(KPI_LABELS[kpi], lang))}</div>'
            f'<div class="value">{_e(kpi_value(kpi, values[kpi], scenario, lang))}</div>{counts}</div>'
        )
    valuation = summary.valuation
    tiles.append(
        f'<div class="kpi"><div class="label">{_e(text("valuation.range", lang))} ({_e(scenario.currency)})</div>'
        f'<div class="value range">{_e(compact(valuation.low))} – {_e(compact(valuation.high))}</div></div>'
    )
    return f'<h1>{_e(scenario.name)}</h1><p class="meta">{_e(meta)}</p><div class="kpis">{"".join(tiles)}</div>'


def _risks_slide(summary: Summary, lang: str) -> str:
    catalogue = load_catalogue()
    blocks = []
    for rank, item in enumerate(summary.evaluation.risk.top(3), start=1):
        actions = "".join(
            f"<p><strong>{_e(catalogue.mitigations[m].title.get(lang))}</strong> — "
            f"{_e(catalogue.mitigations[m].text.get(lang))}</p>"
            for m in item.mitigations[:2]
        )
        name = catalogue.risks[item.id].name.get(lang)
        blocks.append(
            f'<div class="risk"><h3>{rank}. {_e(catalogue.risk_code(item.id))} {_e(name)} '
            f"{_band_badge(item.band, lang)} {item.score:.1f}</h3>"
            f'<div class="actions">{actions}</div></div>'
        )
    return f"<h2>{_e(text('present.top_risks', lang))}</h2>{''.join(blocks)}"


def _valuation_slide(summary: Summary, lang: str) -> str:
    result, currency = summary.valuation, summary.scenario.currency
    names = [category.name.get(lang) for category in load_methods().risk_factor_summation]
    warnings = valuation_warnings(result, currency, lang)
    notes = "".join(f'<p class="warning">{_e(w)}</p>' for w in warnings)
    height = CHART_HEIGHT - 70 - 44 * len(warnings)  # the heuristic's note under it, each warning over it
    figure = charts.valuation_waterfall(result, names, currency, lang)
    return f"{notes}{_chart(figure, height)}<p class='note'>{_e(text('valuation.heuristic', lang))}</p>"


def _kpi_table(summaries: Sequence[Summary], lang: str) -> str:
    base = summaries[0].scenario.name
    return (  # the band counts: a phrase per scenario, in smaller type
        f"<h2>{_e(text('compare.kpis', lang))}</h2>{kpi_table_html(summaries, lang, counts='row')}"
        f'<p class="note">{_e(text("report.deltas_against", lang, base=base))}</p>'
    )


# The slides in the order Present shows them (dashboard/views/present.py draws them by these names),
# so the deck handed out after a meeting follows the talk.
SLIDES = ("summary", "runway", "heatmap", "risks", "radar", "valuation")
COMPARE_SLIDES = ("compare_kpis", "compare_runway", "compare_radar")


def deck_slides(summaries: Sequence[Summary], lang: str, meta: str) -> list[str]:
    """Each slide's inner HTML in :data:`SLIDES` order, then :data:`COMPARE_SLIDES` with variants."""
    catalogue = load_catalogue()
    summary = summaries[0]
    scenario, evaluation = summary.scenario, summary.evaluation
    names = [s.scenario.name for s in summaries]  # the figure builders escape them
    runs = [(name, s.scenario.finance.cash, s.evaluation.runway) for name, s in zip(names, summaries, strict=True)]
    radars = [(name, s.evaluation.opportunity) for name, s in zip(names, summaries, strict=True)]
    builders = {
        "summary": lambda: _title_slide(summary, lang, meta),
        "runway": lambda: _chart(runway_of(summary, lang)),
        "heatmap": lambda: _chart(charts.risk_heatmap(evaluation.risk, band_grid(catalogue), catalogue, lang)),
        "risks": lambda: _risks_slide(summary, lang),
        "radar": lambda: _chart(charts.opportunity_radar(evaluation.opportunity, None, catalogue, lang)),
        "valuation": lambda: _valuation_slide(summary, lang),
        "compare_kpis": lambda: _kpi_table(summaries, lang),
        "compare_runway": lambda: _chart(
            charts.runway_overlay(runs, scenario.currency, lang, scenario.settings.start_month)
        ),
        "compare_radar": lambda: _chart(charts.radar_overlay(radars, catalogue, lang)),
    }
    return [builders[kind]() for kind in SLIDES + (COMPARE_SLIDES if len(summaries) > 1 else ())]


def build_deck(
    scenarios: Sequence[Scenario],
    lang: str = "en",
    today: dt.date | None = None,
    summaries: Sequence[Summary] | None = None,
) -> str:
    """The deck of one scenario, or of a base and its variants (two to four scenarios)."""
    if not 1 <= len(scenarios) <= MAX_SCENARIOS:
        raise ValueError(f"a deck covers 1 to {MAX_SCENARIOS} scenarios, got {len(scenarios)}")
    summaries = list(summaries) if summaries is not None else [summarise(s) for s in scenarios]
    today = today or dt.datetime.now(dt.UTC).date()
    meta = text("report.meta", lang, date=today.isoformat(), version=scoring.__version__)
    slides = deck_slides(summaries, lang, meta)
    title = scenarios[0].name
    sections = "".join(
        f'<section class="slide">{body}<footer><span>{_e(title)}</span>'
        f"<span>{index} / {len(slides)}</span></footer></section>"
        for index, body in enumerate(slides, start=1)
    )
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f"<body>{sections}</body></html>"
    )
