"""What changed and why: Shapley shares of a headline's change, checked against score_risks, by hand
and by the axioms (the parts add up, symmetric inputs share alike, an idle input gets 0)."""

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import load_preset, parse_scenario, score_opportunity, score_risks
from scoring.attribution import (
    EXACT_MAX_INPUTS,
    PERMUTATIONS,
    RISK_FINANCE_KEYS,
    apportion,
    attribute,
    changed_inputs,
    risk_moves,
    shapley,
)
from tests.helpers import CATALOGUE, SIGNED
from tests.strategies import factor_value, scenarios

BASE = parse_scenario({"finance": {"cash": 900_000, "monthly_costs": 60_000, "monthly_revenue": 10_000}})


def with_factors(scenario, **changes):
    factors = dict(scenario.factors)
    factors.update({key.replace("__", "."): float(value) for key, value in changes.items()})
    return scenario.model_copy(update={"factors": factors})


def power_mean_headline(report, catalogue) -> float:
    """Overall risk computed here from the item scores: the weighted power mean (p = 4) on 1..25 -> 0..100."""
    weights = [catalogue.risks[item.id].weight for item in report.items]
    mean = (sum(w * item.score**4 for w, item in zip(weights, report.items, strict=True)) / sum(weights)) ** 0.25
    return 100 * (mean - 1) / 24


@st.composite
def nearby(draw):
    """A scenario and one that differs from it in a few inputs (factors, the cash plan, the name)."""
    base = draw(scenarios)
    data = base.to_dict()
    for factor_id in draw(st.lists(st.sampled_from(SIGNED), max_size=6, unique=True)):
        data["factors"][factor_id] = draw(factor_value)
    finance = data["finance"]
    if draw(st.booleans()):
        finance["cash"] = draw(st.floats(min_value=0, max_value=5e7))
    if draw(st.booleans()):
        finance["monthly_revenue"] = draw(st.floats(min_value=0, max_value=5e6))
    if draw(st.booleans()):
        finance["funding"] = [{"month": 1, "amount": draw(st.floats(min_value=0, max_value=5e6))}]
    if draw(st.booleans()):
        data["name"] = "renamed"
    return base, parse_scenario(data)


class TestTheSumIsTheChange:
    @settings(max_examples=60, deadline=None)
    @given(nearby())
    def test_few_changes_exact(self, pair):
        before, after = pair
        self.check(before, after)

    @settings(max_examples=25, deadline=None)
    @given(scenarios, scenarios)
    def test_any_two_scenarios(self, before, after):
        self.check(before, after)

    @staticmethod
    def check(before, after):
        catalogue = CATALOGUE
        old, new = score_risks(before, catalogue).overall, score_risks(after, catalogue).overall
        result = attribute(before, after, catalogue)
        # the batch scorer agrees with score_risks at both ends
        assert result.before == pytest.approx(old, abs=1e-9)
        assert result.after == pytest.approx(new, abs=1e-9)
        assert sum(share.share for share in result.shares) == pytest.approx(new - old, abs=1e-9)
        # and the shares as printed add up to the KPI's change as printed (f"{delta:+.1f}")
        printed = result.rounded(1, total=new - old)
        assert sum(round(part * 10) for part in printed) == round(float(f"{new - old:.1f}") * 10)
        assert {share.input for share in result.shares} == set(changed_inputs(before, after))
        opportunity = attribute(before, after, catalogue, "opportunity")
        change = score_opportunity(after, catalogue).overall - score_opportunity(before, catalogue).overall
        assert sum(share.share for share in opportunity.shares) == pytest.approx(change, abs=1e-9)


class TestAxioms:
    def test_a_single_changed_factor_gets_the_whole_change(self, catalogue):
        after = with_factors(BASE, market__demand=2)
        result = attribute(BASE, after, catalogue)
        assert [share.input for share in result.shares] == ["market.demand"]
        assert result.shares[0].share == result.change
        assert result.change == pytest.approx(
            score_risks(after, catalogue).overall - score_risks(BASE, catalogue).overall, abs=1e-9
        )
        assert result.change > 0  # less demand, more risk
        assert (result.shares[0].before, result.shares[0].after) == ("5", "2")

    def test_a_single_cash_change_gets_the_whole_change(self, catalogue):
        after = BASE.model_copy(update={"finance": BASE.finance.model_copy(update={"cash": 200_000.0})})
        result = attribute(BASE, after, catalogue)
        assert [share.input for share in result.shares] == ["cash"]
        assert result.shares[0].share == result.change > 0  # 4 months of runway instead of 18

    def test_symmetric_players_share_alike_hand_game(self):
        # v = (x0 + x1)^2 + 3 x2: player 0 adds 1 without player 1 and 3 with it, 2 on average;
        # player 1 the same; player 2 always adds 3. Total v(N) - v({}) = 4 + 3 = 7.
        phi, orders = shapley(3, lambda m: (m[:, 0].astype(float) + m[:, 1]) ** 2 + 3 * m[:, 2])
        assert orders == 0
        assert phi.tolist() == pytest.approx([2.0, 2.0, 3.0], abs=1e-12)

    def test_symmetric_players_share_alike_when_sampled(self):
        # v = |S|^2 over 12 players: the k-th player in an order adds 2k + 1, and an order and its
        # reverse give every player (2k + 1 + 2(n - 1 - k) + 1) / 2 = n = 12 on average: exactly 144 / 12.
        players = EXACT_MAX_INPUTS + 2
        phi, orders = shapley(players, lambda m: m.sum(axis=1).astype(float) ** 2)
        assert orders == PERMUTATIONS
        assert phi.tolist() == pytest.approx([12.0] * players, abs=1e-9)

    def test_symmetric_inputs_of_the_model_share_alike(self, catalogue):
        # two factors that enter the opportunity axes with the same weights and the same sign,
        # moved by the same step, play the same role: their shares are equal
        weights = {}
        for axis in catalogue.axes.values():
            total = sum(axis.drivers.values())
            for factor_id, weight in axis.drivers.items():
                weights.setdefault(factor_id, []).append(weight / total)
        twins = next(
            (a, b)
            for a, b in combinations(sorted(weights), 2)
            if sorted(weights[a]) == sorted(weights[b])
            and catalogue.factors[a].direction == catalogue.factors[b].direction
        )
        after = with_factors(BASE, **{twins[0].replace(".", "__"): 8, twins[1].replace(".", "__"): 8})
        result = attribute(BASE, after, catalogue, "opportunity")
        shares = {share.input: share.share for share in result.shares}
        assert shares[twins[0]] == pytest.approx(shares[twins[1]], abs=1e-12)
        assert shares[twins[0]] != 0

    def test_an_input_that_moves_nothing_gets_zero(self, catalogue):
        idle_factor = next(fid for fid, factor in catalogue.factors.items() if factor.direction == "none")
        data = BASE.to_dict()
        data["name"] = "Another name"
        data["finance"]["horizon_months"] = 48
        data["finance"]["uncertainty"] = {"cost_sd": 0.2}
        data["factors"][idle_factor] = 9.0  # an opportunity factor: it drives no risk
        data["factors"]["market.demand"] = 8.0
        after = parse_scenario(data)
        result = attribute(BASE, after, catalogue)
        shares = {share.input: share.share for share in result.shares}
        assert set(shares) == {"name", "horizon_months", "cost_sd", idle_factor, "market.demand"}
        for key in ("name", "horizon_months", "cost_sd", idle_factor):
            assert shares[key] == 0.0
        assert shares["market.demand"] == result.change < 0
        assert result.rounded() == (round(result.change, 1), 0.0, 0.0, 0.0, 0.0)

    def test_a_cash_change_beyond_the_comfort_runway_gets_zero(self, catalogue):
        # profitable from month 1: the runway never ends, with 1 million or with 2
        rich = parse_scenario({"finance": {"cash": 1e6, "monthly_costs": 50_000, "monthly_revenue": 80_000}})
        after = with_factors(rich, market__demand=9)
        after = after.model_copy(update={"finance": after.finance.model_copy(update={"cash": 2e6})})
        shares = {share.input: share.share for share in attribute(rich, after, catalogue).shares}
        assert shares["cash"] == 0.0
        assert shares["market.demand"] != 0.0

    def test_the_null_player_of_a_hand_game(self):
        phi, _ = shapley(3, lambda m: 5.0 * m[:, 0] * m[:, 1])
        assert phi.tolist() == pytest.approx([2.5, 2.5, 0.0], abs=1e-12)
        assert phi[2] == 0.0

    @settings(max_examples=30, deadline=None)
    @given(scenarios, st.integers(min_value=1, max_value=120), st.floats(min_value=0, max_value=1))
    def test_inputs_outside_risk_never_move_it(self, catalogue, scenario, horizon, spread):
        """The claim that lets attribute skip them: horizon, uncertainty, settings and name leave risk alone."""
        data = scenario.to_dict()
        data["name"] = "x"
        data["finance"]["funding"] = []
        data["finance"]["horizon_months"] = horizon
        data["finance"]["uncertainty"] = {"cost_sd": spread, "revenue_sd": spread, "risk_events": True}
        data["settings"] = {"start_month": "2030-05", "fundraising_lead_months": 3}
        other = parse_scenario(data)
        without_rounds = scenario.model_copy(update={"finance": scenario.finance.model_copy(update={"funding": ()})})
        assert score_risks(other, catalogue).overall == score_risks(without_rounds, catalogue).overall
        assert not {key for key in changed_inputs(without_rounds, other)} & {*RISK_FINANCE_KEYS, *catalogue.factors}


class TestHandWorkedTwoInputs:
    def test_demand_and_cash(self, catalogue):
        """Two inputs a (market demand 5 -> 2) and b (cash 900k -> 300k), by the two orders:

        phi_a = 1/2 (v(a) - v()) + 1/2 (v(ab) - v(b)),  phi_b = 1/2 (v(b) - v()) + 1/2 (v(ab) - v(a))

        with each v the power mean of the scored register, computed here from the item scores.
        """

        def scenario(demand, cash):
            return parse_scenario(
                {
                    "factors": {"market.demand": demand},
                    "finance": {"cash": cash, "monthly_costs": 60_000, "monthly_revenue": 10_000},
                }
            )

        def v(demand, cash):
            return power_mean_headline(score_risks(scenario(demand, cash), catalogue), catalogue)

        v0, va, vb, vab = v(5, 900_000), v(2, 900_000), v(5, 300_000), v(2, 300_000)
        phi_a = 0.5 * (va - v0) + 0.5 * (vab - vb)
        phi_b = 0.5 * (vb - v0) + 0.5 * (vab - va)
        result = attribute(scenario(5, 900_000), scenario(2, 300_000), catalogue)
        shares = {share.input: share.share for share in result.shares}
        assert shares == pytest.approx({"market.demand": phi_a, "cash": phi_b}, abs=1e-9)
        assert result.method == "exact"
        # both raise risk; 6 months of runway instead of 18 moves it more than one factor
        assert 0 < phi_a < phi_b
        assert [share.input for share in result.shares] == ["cash", "market.demand"]
        assert va - v0 != pytest.approx(vab - vb, abs=1e-6)  # they interact: the order matters


class TestRounding:
    def test_largest_remainders_by_hand(self):
        # thirds of 1.0: 0.3 each leaves 0.1 over, which goes to the first of the equal remainders
        assert apportion([1 / 3, 1 / 3, 1 / 3], 1.0) == (0.4, 0.3, 0.3)
        # -0.26 and 0.51 round to -0.3 and 0.5 (sum 0.2), but 0.25 prints as 0.2: nothing to move
        assert apportion([-0.26, 0.51], 0.25) == (-0.3, 0.5)
        # 1.26 + 1.26 = 2.52 prints as 2.5; floors 1.2 + 1.2 leave 0.1 for the first
        assert apportion([1.26, 1.26], 2.52) == (1.3, 1.2)
        assert apportion([], 0.0) == ()

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.floats(min_value=-50, max_value=50), min_size=1, max_size=27))
    def test_rounded_parts_add_up_to_the_printed_total(self, parts):
        total = float(np.sum(parts))
        rounded = apportion(parts, total)
        assert sum(round(part * 10) for part in rounded) == round(float(f"{total:.1f}") * 10)
        assert all(abs(r - p) < 0.1 + 1e-9 for r, p in zip(rounded, parts, strict=True))


class TestRiskMoves:
    def test_largest_moves_first_with_their_bands(self, catalogue):
        before = score_risks(load_preset("neutral_template"), catalogue)
        after = score_risks(load_preset("customer_service_cash_strapped"), catalogue)
        moves = risk_moves(before, after, count=5)
        assert len(moves) == 5
        changes = [abs(move.change) for move in moves]
        assert changes == sorted(changes, reverse=True)
        every = sorted((abs(a.score - b.score) for a, b in zip(after.items, before.items, strict=True)), reverse=True)
        assert changes == every[:5]
        for move in moves:
            assert (move.before, move.band_before) == (before.item(move.id).score, before.item(move.id).band)
            assert (move.after, move.band_after) == (after.item(move.id).score, after.item(move.id).band)
        assert any(move.band_before != move.band_after for move in moves)  # a cash crisis changes bands

    def test_nothing_moved(self, catalogue):
        report = score_risks(BASE, catalogue)
        assert risk_moves(report, report) == ()
        one = score_risks(with_factors(BASE, legal__ip_exposure=10), catalogue)
        moved = risk_moves(report, one, count=27)
        assert 0 < len(moved) < 27  # only the risks the factor drives (and those they amplify)
