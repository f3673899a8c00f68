"""The session's moves: every scenario the address bar has shown, for Undo, Redo, Reset and the
browser's Back and Forward.

Streamlit (1.67) already does the browser's half: when a run changes ``st.query_params`` it
*pushes* a history entry with the new query (``window.history.pushState``; during a Back/Forward
run it *replaces* instead), and on ``popstate`` it reruns the page with the query of the entry
the browser went to. So every settled move (a slider let go, a number typed) is one browser
entry, because :func:`dashboard.url_state.sync_address_bar` writes the scenario's link on every
run that changes it; and Back or Forward is a rerun whose address is not the one the app last
wrote. :mod:`dashboard.url_state` then finds that address among the moves kept here and loads
its scenario into the controls; the run writes nothing, so no entry is pushed.

The moves are kept per session as a list and a position (like an editor's undo stack): a new move
drops the moves after the position; Undo and Redo only move the position and load that move's
scenario (the address then changes to it, which the browser sees as one more entry, so Back after
an Undo returns to where it was undone). Entries are keyed by the link's scenario parameters,
without the language (a language switch is not a move).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from dashboard.compute import evaluate_scenario
from dashboard.fields import field_label, link_field, shown_value
from dashboard.state import PRESET, load_into_state, load_preset_into_state, preset_scenario
from presentation.formatting import compact
from presentation.i18n import text
from scoring import Evaluation, Scenario, load_catalogue, parse_scenario_json
from scoring.attribution import Attribution, attribute, risk_moves
from scoring.presets import TEMPLATE, preset_info
from scoring.risk import RiskReport

__all__ = [
    "MAX_MOVES",
    "Changes",
    "Move",
    "can_redo",
    "can_undo",
    "compare",
    "draw_changes",
    "explain",
    "find",
    "go_to",
    "moves",
    "position",
    "previous",
    "record",
    "redo",
    "reset_to_preset",
    "undo",
]

MOVES = "history_moves"  # session key: the list of moves
AT = "history_at"  # session key: the position of the move shown
MAX_MOVES = 200  # the oldest are dropped beyond this
IGNORED_PARAMS = ("lang",)  # parameters of the address that are not part of a move


@dataclass(frozen=True)
class Move:
    params: tuple[tuple[str, str], ...]  # the link's scenario parameters, sorted
    scenario: Scenario


def key_of(params: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in params.items() if k not in IGNORED_PARAMS))


def moves() -> list[Move]:
    return st.session_state.setdefault(MOVES, [])


def position() -> int:
    return st.session_state.get(AT, -1)


def record(params: Mapping[str, str], scenario: Scenario) -> None:
    """The address now shows ``params``: a new move unless it is the move at the position already.

    A new move drops the moves after the position (they can no longer be redone).
    """
    state = st.session_state
    entries, at = moves(), position()
    move = Move(key_of(params), scenario)
    if 0 <= at < len(entries) and entries[at].params == move.params:
        entries[at] = move  # the same link (its scenario's name may be written differently)
        return
    del entries[at + 1 :]
    entries.append(move)
    if len(entries) > MAX_MOVES:
        del entries[: len(entries) - MAX_MOVES]
    state[AT] = len(entries) - 1


def find(params: Mapping[str, str]) -> int | None:
    """The move whose link is ``params``, the one nearest the position (Back is one step away)."""
    wanted = key_of(params)
    at = position()
    hits = [index for index, move in enumerate(moves()) if move.params == wanted]
    return min(hits, key=lambda index: (abs(index - at), index > at)) if hits else None


def go_to(index: int) -> Move:
    """Show move ``index``: its scenario in every control (the name included)."""
    move = moves()[index]
    st.session_state[AT] = index
    load_into_state(move.scenario, dict(move.params).get(PRESET, TEMPLATE), move.scenario.name)
    return move


def previous() -> Scenario | None:
    """The scenario before the last move, if this session has made one."""
    at = position()
    return moves()[at - 1].scenario if at > 0 else None


def can_undo() -> bool:
    return position() > 0


def can_redo() -> bool:
    return 0 <= position() < len(moves()) - 1


def undo() -> None:
    if can_undo():
        go_to(position() - 1)


def redo() -> None:
    if can_redo():
        go_to(position() + 1)


def reset_to_preset(lang: str) -> None:
    """Every control back to the preset the link is based on; the address then shows only the preset."""
    load_preset_into_state(st.session_state["baseline_preset"], lang)


# --- what changed and why ---------------------------------------------------------------------------


@st.cache_data(max_entries=128, show_spinner=False)
def _explain_json(before_json: str, after_json: str) -> tuple[Attribution, Attribution]:
    before, after = parse_scenario_json(before_json), parse_scenario_json(after_json)
    catalogue = load_catalogue()
    return attribute(before, after, catalogue, "risk"), attribute(before, after, catalogue, "opportunity")


def explain(before: Scenario, after: Scenario) -> tuple[Attribution, Attribution] | None:
    """Overall risk's and overall opportunity's change split among the changed inputs (None: no change).

    Computed once per pair of scenarios (a few milliseconds for a move of one or two inputs,
    tens for every input of the register at once: docs in :mod:`scoring.attribution`).
    """
    before_json = json.dumps(before.to_dict(), sort_keys=True)
    after_json = json.dumps(after.to_dict(), sort_keys=True)
    if before_json == after_json:
        return None
    return _explain_json(before_json, after_json)


MONEY_KEYS = frozenset({"cash", "monthly_costs", "monthly_revenue", "base_pre_money", "step"})
AGAINST = "changes_against"  # the baseline picker's key: "previous" or "baseline"
PICKED = "changes_picked"  # set once the user picks a baseline; until then the previous move is shown


def _value(key: str, value: str, lang: str) -> str:
    if key == "funding":
        return text("changes.rounds", lang, count=len([r for r in value.split(",") if r]))
    if key in MONEY_KEYS and value:
        return compact(float(value))
    return shown_value(key, value) or "–"


def _split_lines(split: Attribution, total: float, lang: str) -> tuple[list[str], list[str]]:
    """One line an input that moved the score (its rounded part), and the names of those that did not."""
    lines, idle = [], []
    for share, part in zip(split.shares, split.rounded(1, total=total), strict=True):
        name = field_label(link_field(share.input), lang)
        if share.share == 0:
            idle.append(name)
            continue
        before, after = (
            ("", "")
            if share.input == "name"
            else (_value(share.input, share.before, lang), _value(share.input, share.after, lang))
        )
        lines.append(
            "- " + text("changes.input_line", lang, name=name, before=before, after=after, share=f"{part:+.1f}")
        )
    return lines, idle


def _headline(split: Attribution, total: float, lang: str) -> str:
    """The three largest parts, for the expander's title: "Market demand +1.2 · Cash +0.3"."""
    parts = [
        f"{field_label(link_field(share.input), lang)} {part:+.1f}"
        for share, part in zip(split.shares, split.rounded(1, total=total), strict=True)
        if part != 0
    ]
    return " · ".join(parts[:3])


def _on_pick() -> None:
    st.session_state[PICKED] = True


@dataclass(frozen=True)
class Changes:
    """What Explore compares with and what changed, worked out before the page draws anything
    (the page then sends its elements in one burst: docs in benchmarks/README.md, latency)."""

    options: tuple[str, ...]  # "previous" (while there is a previous move) and "baseline"
    against_name: str  # Markdown: user text in it is escaped
    before_report: Evaluation
    moves: tuple  # the risks that moved most (scoring.attribution.risk_moves)
    explained: tuple[Attribution, Attribution] | None  # risk's and opportunity's split; None: no change

    @property
    def changed(self) -> bool:
        return self.explained is not None and bool(
            self.moves or any(s.share != 0 for s in (*self.explained[0].shares, *self.explained[1].shares))
        )

    @property
    def ghosts(self) -> RiskReport | None:
        """The risk report the matrix draws its ghost positions from (None: nothing changed)."""
        return self.before_report.risk if self.changed else None


def compare(scenario: Scenario, report: Evaluation, baseline: Evaluation, baseline_name: str, lang: str) -> Changes:
    """Against the previous move (while there is one, until the user picks) or the page's baseline
    (the pinned scenario or the preset): the risks that moved most and the headline's split.
    ``baseline_name`` is shown as Markdown: user text in it is escaped by the caller (``plain``)."""
    state = st.session_state
    before_move = previous()
    options = (("previous",) if before_move is not None else ()) + ("baseline",)
    if not state.get(PICKED) or state.get(AGAINST) not in options:
        state[AGAINST] = options[0]  # the previous move while there is one
    if state[AGAINST] == "previous":
        before, before_report = before_move, evaluate_scenario(before_move)
        against_name = text("changes.previous_inline", lang)
    else:
        pinned = state.get("pinned")
        before = pinned if pinned is not None else preset_scenario(state["baseline_preset"])
        before_report, against_name = baseline, baseline_name
    moves = tuple(risk_moves(before_report.risk, report.risk, count=5))
    return Changes(options, against_name, before_report, moves, explain(before, scenario))


def draw_changes(changes: Changes, report: Evaluation, baseline_name: str, lang: str) -> None:
    """Undo, Redo and Reset in one row with the choice of baseline, then the line that says what
    changed against it, with the details (moved risks, the split) in an expander."""
    state = st.session_state
    # one wrapping row (a horizontal container: one element where columns were five)
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.button(
        text("history.undo", lang),
        key="history_undo",
        on_click=undo,
        disabled=not can_undo(),
        help=text("history.undo_help", lang),
        icon=":material/undo:",
    )
    row.button(
        text("history.redo", lang),
        key="history_redo",
        on_click=redo,
        disabled=not can_redo(),
        help=text("history.redo_help", lang),
        icon=":material/redo:",
    )
    preset_name = preset_info()[state["baseline_preset"]].name.get(lang)
    row.button(
        text("history.reset", lang),
        key="history_reset",
        on_click=reset_to_preset,
        args=(lang,),
        help=text("history.reset_help", lang, preset=preset_name),
        icon=":material/restart_alt:",
    )
    if len(changes.options) > 1:  # a choice only once there is a previous move
        row.segmented_control(
            text("changes.against", lang),
            changes.options,
            format_func=lambda option: text("changes.previous", lang) if option == "previous" else baseline_name,
            key=AGAINST,
            on_change=_on_pick,
        )
    if not changes.changed:
        st.caption(text("changes.none", lang, against=changes.against_name))
        return
    risk_split, opportunity_split = changes.explained
    risk_change = report.risk.overall - changes.before_report.risk.overall
    title = text("changes.title", lang, against=changes.against_name, change=f"{risk_change:+.1f}")
    top = _headline(risk_split, risk_change, lang)
    st.markdown(f":material/difference: **{title}**" + (f" — {top}" if top else ""))
    # a label of its own that never changes, so the details stay open from one move to the next
    box = st.expander(text("changes.details", lang), key="open:changes", on_change="rerun")
    if box.open:
        with box:
            _draw_details(changes.moves, risk_split, opportunity_split, report, changes.before_report, lang)


def _draw_details(moves, risk_split, opportunity_split, report, before_report, lang) -> None:
    catalogue = load_catalogue()
    bands = {band.id: band.name.get(lang) for band in catalogue.bands}
    left, right = st.columns([1, 1.3])
    lines = []
    for move in moves:
        line = text(
            "changes.risk_line",
            lang,
            code=catalogue.risk_code(move.id),
            name=catalogue.risks[move.id].name.get(lang),
            before=f"{move.before:.1f}",
            after=f"{move.after:.1f}",
        )
        if move.band_before != move.band_after:
            line += " · " + text(
                "changes.band_line", lang, before=bands[move.band_before], after=bands[move.band_after]
            )
        lines.append("- " + line)
    left.markdown(
        f"**{text('changes.moved_risks', lang)}**\n\n" + ("\n".join(lines) or text("changes.no_risk_moved", lang))
    )
    blocks = []
    for key, split, old, new in (
        ("changes.risk_split", risk_split, before_report.risk.overall, report.risk.overall),
        ("changes.opportunity_split", opportunity_split, before_report.opportunity.overall, report.opportunity.overall),
    ):
        if all(share.share == 0 for share in split.shares) and f"{new - old:.1f}" in {"0.0", "-0.0"}:
            continue
        lines, idle = _split_lines(split, new - old, lang)
        heading = text(key, lang, before=f"{old:.0f}", after=f"{new:.0f}", change=f"{new - old:+.1f}")
        block = f"**{heading}**\n\n" + "\n".join(lines)
        if idle:
            block += "\n\n" + text("changes.no_effect", lang, inputs=", ".join(idle))
        blocks.append(block)
    right.markdown("\n\n".join(blocks))
    count = len([share for share in risk_split.shares if share.share != 0])
    if risk_split.method == "exact":
        right.caption(text("changes.method_exact", lang, count=count))
    else:
        right.caption(text("changes.method_sampled", lang, count=count, orders=risk_split.permutations))
