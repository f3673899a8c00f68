"""Undo, Redo, Reset and the browser's Back/Forward on Explore (through AppTest), and the line that
says what changed and why."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.fields import by_path, factor_key
from scoring import load_preset
from tests.helpers import metric, move_factor, new_session

COMPETITION, DEMAND = factor_key("market.competition"), factor_key("market.demand")
QUALITY = factor_key("technical.model_quality")
PRESET = "customer_service_cash_strapped"


def slider(at: AppTest, key: str) -> float:
    return at.session_state[key]  # a hidden group's slider keeps its value in the session


def moved_twice() -> AppTest:
    """A session on the neutral template, competition moved to 9, then demand to 2."""
    at = new_session().run()
    at.slider(key=COMPETITION).set_value(9.0).run()
    at.slider(key=DEMAND).set_value(2.0).run()
    assert not at.exception
    return at


def summary(at: AppTest) -> str:
    lines = [m.value for m in at.markdown if "What changed against" in m.value]
    return (lines or [c.value for c in at.caption if c.value.startswith("Nothing that scores")])[0]


@pytest.fixture
def navigation(monkeypatch):
    """Make the next runs look like the browser's Back or Forward (Streamlit's own flag, which AppTest never sets)."""
    monkeypatch.setattr("dashboard.url_state._history_navigation", lambda: True)


class TestUndoRedo:
    def test_nothing_to_undo_or_redo_at_first(self):
        at = new_session().run()
        assert at.button(key="history_undo").disabled
        assert at.button(key="history_redo").disabled
        assert not at.button(key="history_reset").disabled

    def test_undo_and_redo_step_through_the_moves(self):
        at = moved_twice()
        assert at.query_params == {"market.competition": "9", "market.demand": "2"}
        at.button(key="history_undo").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 5.0)
        assert at.query_params == {"market.competition": "9"}  # the address follows
        assert not at.button(key="history_redo").disabled
        at.button(key="history_undo").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (5.0, 5.0)
        assert at.query_params == {}
        assert at.button(key="history_undo").disabled  # the session's first scenario
        at.button(key="history_redo").click().run()
        at.button(key="history_redo").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 2.0)
        assert at.button(key="history_redo").disabled
        assert not at.exception

    def test_a_new_move_after_undo_drops_what_could_be_redone(self):
        at = moved_twice()
        at.button(key="history_undo").click().run()
        move_factor(at, "technical.model_quality", 8.0)
        assert at.button(key="history_redo").disabled
        at.button(key="history_undo").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND), slider(at, QUALITY)) == (
            9.0,
            5.0,
            5.0,
        )

    def test_undo_restores_the_kpis_too(self):
        at = new_session(cash_plan=True).run()
        before = metric(at, "Overall risk").value
        at.number_input(key=by_path("finance.cash").key).set_value(300_000.0).run()
        assert metric(at, "Overall risk").value != before
        at.button(key="history_undo").click().run()
        assert metric(at, "Overall risk").value == before
        assert at.number_input(key=by_path("finance.cash").key).value == 1_000_000.0


class TestReset:
    def test_reset_restores_every_control_and_cleans_the_address(self):
        at = new_session(cash_plan=True).run()
        at.selectbox(key="preset").set_value(PRESET).run()
        assert at.query_params == {"preset": PRESET}
        at.slider(key=COMPETITION).set_value(0.0).run()
        at.number_input(key=by_path("finance.cash").key).set_value(12_345.0).run()
        assert set(at.query_params) == {"preset", "market.competition", "cash"}
        at.button(key="history_reset").click().run()
        assert not at.exception
        preset = load_preset(PRESET)
        for factor_id, value in preset.factors.items():
            assert at.session_state[factor_key(factor_id)] == value, factor_id
        assert at.number_input(key=by_path("finance.cash").key).value == preset.finance.cash
        assert at.query_params == {"preset": PRESET}  # only the preset: no change left in the link
        assert at.title[0].value == at.session_state[by_path("name").key]

    def test_reset_can_be_undone(self):
        at = moved_twice()
        at.button(key="history_reset").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (5.0, 5.0)
        at.button(key="history_undo").click().run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 2.0)


class TestBackAndForward:
    def test_back_brings_the_address_scenario_into_the_controls(self, navigation):
        at = moved_twice()
        moves = len(at.session_state["history_moves"])
        at.query_params = {"market.competition": "9"}  # what the browser's Back leaves in the address
        at.run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 5.0)
        assert at.query_params == {"market.competition": "9"}  # nothing written over it
        assert len(at.session_state["history_moves"]) == moves  # and no new move (no new browser entry)
        assert not at.button(key="history_redo").disabled
        at.query_params = {"market.competition": "9", "market.demand": "2"}  # Forward
        at.run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 2.0)
        assert at.button(key="history_redo").disabled

    def test_back_to_an_address_this_session_never_wrote_reads_it_as_a_link(self, navigation):
        at = moved_twice()
        at.query_params = {"market.demand": "7", "cash": "not a number"}
        at.run()
        assert slider(at, DEMAND) == 7.0
        assert slider(at, COMPETITION) == 5.0  # the rest from the template, as a link opens
        assert any("Cash on hand" in w.value for w in at.warning)  # what it could not use, said once

    def test_another_address_that_is_not_back_or_forward_is_written_over(self):
        # e.g. a page that cleared the parameters: the controls keep their values
        at = moved_twice()
        at.query_params = {}
        at.run()
        assert (slider(at, COMPETITION), slider(at, DEMAND)) == (9.0, 2.0)
        assert at.query_params == {"market.competition": "9", "market.demand": "2"}

    def test_a_language_switch_is_not_a_move(self):
        at = moved_twice()
        moves = len(at.session_state["history_moves"])
        at.session_state["lang"] = "zh"
        at.run()
        assert at.query_params["lang"] == "zh"
        assert len(at.session_state["history_moves"]) == moves


class TestWhatChanged:
    def test_a_single_move_is_explained_by_that_input_alone(self):
        at = new_session().run()
        assert summary(at).startswith("Nothing that scores has changed")
        at.slider(key=COMPETITION).set_value(9.0).run()
        delta = metric(at, "Overall risk").delta  # against the template, which is also the previous move
        title = f"What changed against the previous move: overall risk {delta}"
        assert summary(at) == f":material/difference: **{title}** — Competition {delta}"

    def test_against_the_previous_move_or_the_preset(self):
        at = moved_twice()
        assert "Proven demand" in summary(at) and "Competition" not in summary(at)  # the last move only
        at.segmented_control(key="changes_against").set_value("baseline").run()
        assert "against Neutral template" in summary(at)
        assert "Proven demand" in summary(at) and "Competition" in summary(at)
        risk = metric(at, "Overall risk").delta  # the KPI compares with the preset too
        assert f"overall risk {risk}" in summary(at)
        move_factor(at, "technical.model_quality", 8.0)
        assert "against Neutral template" in summary(at)  # the choice stays

    def test_the_details_split_the_change_exactly(self):
        at = moved_twice()
        at.segmented_control(key="changes_against").set_value("baseline").run()
        at.session_state["open:changes"] = True
        at.run()
        split = next(m.value for m in at.markdown if m.value.startswith("**Overall risk"))
        split = split.split("**Overall opportunity")[0]
        parts = [float(line.rsplit("**", 2)[1]) for line in split.splitlines() if line.startswith("- ")]
        assert len(parts) == 2
        assert round(sum(parts), 1) == float(metric(at, "Overall risk").delta)
        moved = next(m.value for m in at.markdown if m.value.startswith("**Risks that moved most"))
        assert moved.count("\n- ") == 5
