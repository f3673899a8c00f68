"""The command line: ``ai-navigator VERB FILE`` (the same as ``python -m scoring VERB FILE``).

- ``evaluate FILE [--format json|text] [--lang en|zh]``: risk, opportunity and runway;
- ``simulate FILE [--paths N] [--seed S] [--risk-events on|off]``: the Monte Carlo runway;
- ``sensitivity FILE``: every input swept, rows sorted by swing;
- ``report FILE [FILE ...] --out PATH.html|PATH.pdf [--lang en|zh] [--summary | --deck]``: a self-contained
  report of one scenario, or a comparison of two to four (the first is the base), or with
  ``--summary`` its first page alone, or with ``--deck`` a 16:9 slide deck (one slide per page); a pitch file
  (:mod:`scoring.pitch`) is a comparison by itself, its base and its variants.

A composition root above the core: it reads files, runs :mod:`scoring`, words the text summary
with :mod:`presentation` (labels from ``data/i18n.yaml``) and hands the summaries, simulations
included, to :mod:`reports`. The ``reports`` package (and with it Plotly) is imported only by
the ``report`` verb, so the other verbs run without the app's chart libraries.

Results go to stdout, errors to stderr as one line. Exit 0 on success, 2 on bad input
(invalid scenario, missing file, wrong arguments), 1 if the data files themselves are broken.
A scenario file is read through :mod:`scoring.limits`: only a regular file of at most 1 MB,
opened without blocking (a pipe or ``/dev/zero`` is refused at once), every limit checked
before it is parsed. Output in any language on any stdout encoding (escapes where it lacks a
character: JSON's own in the JSON output).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import unicodedata
from pathlib import Path

from presentation.formatting import band_counts, naive_months
from presentation.i18n import text
from scoring.catalogue import Catalogue, load_catalogue
from scoring.compare import summarise
from scoring.errors import DataError, ScenarioError
from scoring.evaluate import Evaluation, evaluate
from scoring.pitch import load_scenarios
from scoring.scenario import Scenario
from scoring.sensitivity import sensitivity
from scoring.simulate import DEFAULT_PATHS, MAX_PATHS, simulate

__all__ = ["PROG", "format_text", "main", "run"]

PROG = "ai-navigator"  # the console script; `python -m scoring` passes its own name
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump on stderr noise
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 1)


def format_text(scenario: Scenario, report: Evaluation, catalogue: Catalogue, lang: str = "en") -> str:
    """A readable terminal summary of one evaluation."""

    def t(key: str, **values: object) -> str:
        return text(f"cli.{key}", lang, **values)

    def months(value: float) -> str:
        return t("months", months=f"{value:.1f}")

    runway = report.runway
    bands = {band.id: band.name.get(lang) for band in catalogue.bands}
    lines = [
        scenario.name,
        "=" * len(scenario.name),
        f"{t('overall')}: {report.risk.overall:.1f} / 100  ({band_counts(report.risk, lang, no_break=False)})",
        f"{t('opportunity')}: {report.opportunity.overall:.1f} / 100",
        f"{t('runway')}: "
        + (t("never") if runway.months is None else months(runway.months))
        + f"  ({t('cash_out')}: {runway.cash_out_month or t('none')}, "
        f"{t('break_even')}: {runway.break_even_month or t('none')}, "
        f"{t('alive') if runway.default_alive else t('dead')}, "
        f"{t('naive')}: "
        + (
            t("not_burning")
            if runway.naive_months is None
            else t("months", months=naive_months(runway.naive_months, lang))
        )
        + ")",
        "",
        f"{t('by_category')}:",
    ]
    for category, value in report.risk.by_category.items():
        lines.append(f"  {_pad(catalogue.categories[category].name.get(lang), 12)}{value:5.1f}")
    lines += ["", f"{t('top')}:"]
    for rank, item in enumerate(report.risk.top(5), start=1):
        risk = catalogue.risks[item.id]
        lines.append(
            f"  {rank}. {risk.name.get(lang)}  [{bands[item.band]} {item.score:.1f}]"
            f"  L {item.likelihood:.2f} x I {item.impact:.2f}"
        )
        mitigation = catalogue.mitigations[item.mitigations[0]]
        lines.append(f"     {t('do')}: {mitigation.title.get(lang)}: {mitigation.text.get(lang)}")
    lines += ["", f"{t('axes')}:"]
    for axis_id, value in report.opportunity.axes.items():
        lines.append(f"  {_pad(catalogue.axes[axis_id].name.get(lang), 16)}{value:4.1f}")
    return "\n".join(lines) + "\n"


def _build_parser(prog: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Score an AI-startup scenario file.")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    run = verbs.add_parser("evaluate", help="print risk, opportunity and runway for a scenario file")
    run.add_argument("file", help="scenario JSON file")
    run.add_argument("--format", choices=("json", "text"), default="json")
    run.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the text format")
    sim = verbs.add_parser("simulate", help="print the Monte Carlo runway (P10/P50/P90, fan, out-of-cash shares)")
    sim.add_argument("file", help="scenario JSON file")
    sim.add_argument(
        "--paths", type=int, default=DEFAULT_PATHS, help=f"paths, 1..{MAX_PATHS} (default {DEFAULT_PATHS})"
    )
    sim.add_argument("--seed", type=int, default=0, help="random seed >= 0; the same seed gives the same numbers")
    sim.add_argument(
        "--risk-events",
        choices=("on", "off"),
        help="override the scenario's finance.uncertainty.risk_events",
    )
    sens = verbs.add_parser("sensitivity", help="print how far each input moves overall risk and runway")
    sens.add_argument("file", help="scenario JSON file")
    rep = verbs.add_parser("report", help="write an offline HTML or PDF report (one file) or comparison (2-4 files)")
    rep.add_argument("files", nargs="+", metavar="FILE", help="scenario or pitch JSON files; the first is the base")
    rep.add_argument("--out", required=True, help="where to write it: a path ending in .html or .pdf")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the report")
    rep.add_argument("--summary", action="store_true", help="only the first page: key figures, top risks, what to do")
    rep.add_argument("--deck", action="store_true", help="a 16:9 slide deck instead, one slide per page (as Present)")
    return parser


def _read_files(files: list[str]) -> tuple[Catalogue, list[Scenario]] | int:
    """The catalogue and the scenario files, or the exit code once the reason is printed."""
    try:
        return load_catalogue(), [scenario for path in files for scenario in load_scenarios(path)]
    except DataError as exc:
        print(f"error: broken data file {exc}", file=sys.stderr)
        return EXIT_DATA
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in {".html", ".htm", ".pdf"}:
        parser.error(f"argument --out: must end in .html or .pdf, got {args.out!r}")
    if args.deck and args.summary:
        parser.error("argument --deck: not allowed with argument --summary")
    if len(args.files) > 4:
        parser.error(f"a comparison covers at most 4 scenarios, got {len(args.files)}")
    if not out.parent.is_dir():
        print(f"error: {args.out}: the folder {str(out.parent)!r} does not exist", file=sys.stderr)
        return EXIT_USAGE
    loaded = _read_files(args.files)
    if isinstance(loaded, int):
        return loaded
    catalogue, scenarios = loaded
    if len(scenarios) > 4:  # a pitch file counts as its base and its variants
        print(f"error: a comparison covers at most 4 scenarios, got {len(scenarios)}", file=sys.stderr)
        return EXIT_USAGE
    try:  # only here: the other verbs run without the chart libraries
        from reports import PdfError, build_deck, build_report, html_to_pdf
    except ImportError as exc:
        print(f"error: reports need the app's requirements (pip install -r requirements.txt): {exc}", file=sys.stderr)
        return EXIT_DATA
    # every number of the report, the simulations with and without risk events included, is computed here
    summaries = [summarise(scenario, catalogue) for scenario in scenarios]
    if args.deck:
        page = build_deck(scenarios, lang=args.lang, summaries=summaries)
    else:
        layout = "summary" if args.summary else "full"
        page = build_report(scenarios, lang=args.lang, summaries=summaries, layout=layout)
    try:
        content = html_to_pdf(page) if out.suffix.lower() == ".pdf" else page.encode("utf-8")
    except PdfError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    try:
        out.write_bytes(content)
    except OSError as exc:
        print(f"error: {args.out}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {out} ({len(content) / 1e6:.1f} MB)")
    return EXIT_OK


def _unicode_out() -> bool:
    """Whether stdout takes any character (a UTF encoding), or only some (``PYTHONIOENCODING=ascii``)."""
    try:
        return codecs.lookup(sys.stdout.encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


def _dump(result) -> None:
    # JSON's own escapes (\u98ce) where stdout cannot take every character: still valid, exact JSON
    ensure_ascii = not _unicode_out()
    json.dump(result.model_dump(mode="json"), sys.stdout, ensure_ascii=ensure_ascii, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    """Run one verb on ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = _build_parser(prog)
    args = parser.parse_args(argv)
    if args.verb == "report":
        return _report(args, parser)
    if args.verb == "simulate":
        if not 1 <= args.paths <= MAX_PATHS:
            parser.error(f"argument --paths: must be between 1 and {MAX_PATHS}, got {args.paths}")
        if args.seed < 0:
            parser.error(f"argument --seed: must be 0 or more, got {args.seed}")
    loaded = _read_files([args.file])
    if isinstance(loaded, int):
        return loaded
    catalogue, scenarios = loaded
    if len(scenarios) != 1:
        print(f"error: {args.file}: a pitch file holds a comparison; make its report with `report`", file=sys.stderr)
        return EXIT_USAGE
    (scenario,) = scenarios
    if args.verb == "simulate":
        events = None if args.risk_events is None else args.risk_events == "on"
        _dump(simulate(scenario, catalogue, paths=args.paths, seed=args.seed, risk_events=events))
        return EXIT_OK
    if args.verb == "sensitivity":
        _dump(sensitivity(scenario, catalogue))
        return EXIT_OK
    report = evaluate(scenario, catalogue)
    if args.format == "json":
        _dump(report)
    else:
        sys.stdout.write(format_text(scenario, report, catalogue, args.lang))
    return EXIT_OK


def run(prog: str = PROG) -> int:
    """Run the CLI on ``sys.argv`` with a quiet exit; return its exit code (the console script
    ``ai-navigator = "cli:run"`` passes it to ``sys.exit``; ``python -m scoring`` calls it too)."""
    # Any language on any stdout: a character the encoding lacks is written as its escape (\u98ce),
    # so `PYTHONIOENCODING=ascii … --lang zh` prints every number and label (recoverable) instead
    # of stopping with UnicodeEncodeError; UTF-8 output stays as it was.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = main(prog=prog)
        sys.stdout.flush()
    except BrokenPipeError:  # `... | head`: the reader left; stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # a bug: one line, never a traceback
        reason = " ".join(str(exc).split())  # one line whatever the exception says
        print(f"error: internal error ({type(exc).__name__}: {reason}); please report it", file=sys.stderr)
        code = EXIT_DATA
    return code
