"""Both workshop pages through AppTest, on a SQLite file in a temporary DATA_DIR."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import FACTORS, metric, new_session
from workshop.store import open_store


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    return tmp_path


def facilitator(factors=None, lang: str | None = None) -> AppTest:
    """A facilitator who has opened the Workshop page and created a room (of these factors)."""
    at = new_session(lang)
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    if factors is not None:
        at.multiselect(key="workshop_factors").set_value(factors)
    at.button(key="workshop_create").click().run()
    assert not at.exception
    return at


def participant(code: str, name: str | None = None) -> AppTest:
    """A phone on the room's join link, joined under ``name`` if given."""
    at = new_session()
    at.query_params["room"] = code
    at.switch_page("views/join.py").run()
    assert not at.exception
    if name is not None:
        at.text_input(key="join_name").input(name)
        at.button(key="join_join").click().run()
        assert not at.exception
    return at


def answer(phone: AppTest, round_: int, factor_id: str, value: float | None = None) -> None:
    """Move the phone's slider for this factor in this round to ``value`` (if given) and submit."""
    if value is not None:
        phone.slider(key=f"answer:{round_}:{factor_id}").set_value(value)
    phone.button(key="join_submit").click().run()


def test_the_facilitator_gets_a_code_a_join_link_and_a_qr_code():
    at = facilitator()
    code = at.session_state["workshop"]["code"]
    assert at.title[0].value == "Workshop: Neutral template"
    shown = " ".join(m.value for m in at.markdown)
    assert f"/join?room={code}" in shown and f"**{code[:4]} {code[4:]}**" in shown
    assert len(at.get("image")) == 1  # the QR code
    assert metric(at, "Joined").value == "0"
    assert "No answers in this round yet" in at.info[0].value
    private = at.get("code")[0].proto.code_text
    assert f"/workshop?room={code}&key=" in private


def test_a_room_of_three_rates_and_the_facilitator_sees_the_group():
    at = facilitator(FACTORS)
    code = at.session_state["workshop"]["code"]
    for name, demand in (("Ann", 2.0), ("Bob", 6.0), ("<b>Cy</b>", 9.0)):
        phone = participant(code, name)
        assert len(phone.slider) == 3
        assert f"You are {name}" in phone.text[0].value
        answer(phone, 1, "market.demand", demand)
        assert "Saved" in phone.success[0].value
    at.run()
    assert metric(at, "Joined").value == "3" and metric(at, "Answers in round 1").value == "3"
    # demand 2, 6, 9: median 6, only 6 within 5 … 7 -> 1/3; the other two factors keep the
    # company's value on every phone -> 1 each; the room: (1/3 + 1 + 1) / 3 = 7/9 = 78 %
    assert metric(at, "Agreement").value == "78%"
    assert metric(at, "Shared ranking (Kendall's W)").value not in ("", "—")
    assert not any("Kendall" in m.label and "Agreement" in m.label for m in at.metric)
    assert len(at.get("plotly_chart")) == 3  # heatmap with halos, radar with spread, runway
    table = at.dataframe[0].value
    assert table.iloc[0]["Factor"] == "Proven demand"  # 2, 6, 9: the widest spread, discussed first
    assert table.iloc[0]["Median"] == 6.0 and table.iloc[0]["IQR"] == pytest.approx(3.5)
    assert table.iloc[0]["Agreement"] == pytest.approx(100 / 3) and table.iloc[1]["Agreement"] == 100.0
    names = at.dataframe[1].value["Participant"].tolist()
    assert names == ["Ann", "Bob", "<b>Cy</b>"]  # as text in a cell


def test_rounds_close_reopen_and_show_the_median():
    at = facilitator(["market.demand", "market.competition"])
    code = at.session_state["workshop"]["code"]
    ann, bob = participant(code, "Ann"), participant(code, "Bob")
    for phone, value in ((ann, 2.0), (bob, 8.0)):
        answer(phone, 1, "market.demand", value)
    at.button(key="workshop_close_round").click().run()
    assert at.subheader[0].value == "Round 1 is closed"
    ann.run()
    assert "Round 1 is closed" in ann.info[0].value
    assert not ann.subheader  # nothing revealed yet
    at.button(key="workshop_reveal").click().run()
    ann.run()
    assert ann.subheader[0].value == "Round 1: the group's result"
    assert "Proven demand: group median 5 · you said 2" in [t.value for t in ann.text]
    at.button(key="workshop_next_round").click().run()
    ann.run()
    assert ann.subheader[0].value == "Round 2"
    assert "Group median 5 · you said 2" in [c.value for c in ann.caption]
    answer(ann, 2, "market.demand", 4.0)
    at.run()
    assert metric(at, "Answers in round 2").value == "1"
    assert metric(at, "Agreement").value == "—"  # one answer agrees with no one
    assert "IQR last round" in at.dataframe[0].value.columns
    bob.run()
    answer(bob, 2, "market.demand", 5.0)
    at.run()
    # round 1: demand 2 and 8 around 5 -> 0, competition alike -> 1: 50 %; round 2: 4 and 5 -> 100 %
    agreement = metric(at, "Agreement")
    assert (agreement.value, agreement.delta) == ("100%", "+50 pts")


def test_a_wrong_code_is_refused_and_repeated_guesses_are_stopped():
    facilitator()
    phone = new_session()
    phone.query_params["room"] = "ZZZZ2222"
    phone.switch_page("views/join.py").run()
    assert "There is no room with this code" in phone.error[0].value
    for _ in range(10):
        phone.query_params["room"] = "ZZZZ2222"
        phone.run()
    assert "Too many wrong room codes" in phone.error[0].value


def test_the_private_link_opens_the_room_and_leaves_the_address_bar():
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    other = new_session()
    other.query_params["room"] = code
    other.query_params["key"] = token
    other.switch_page("views/workshop.py").run()
    assert not other.exception
    assert other.title[0].value == "Workshop: Neutral template"
    assert dict(other.query_params) == {}
    forged = new_session()
    forged.query_params["room"] = code
    forged.query_params["key"] = "guess"
    forged.switch_page("views/workshop.py").run()
    assert "Only the facilitator's private link" in forged.error[0].value
    assert forged.title[0].value == "Run a workshop"


def test_an_unreachable_database_is_a_message(monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("DATA_DIR", str(blocked))
    at = new_session()
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    assert "The workshop database" in at.error[0].value and "cannot be" in at.error[0].value


def test_answers_survive_in_the_store_the_pages_use(data_dir):
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    phone = participant(code, "Ann")
    answer(phone, 1, "market.demand")  # the company's value, as it stands
    assert [a.participant for a in open_store(f"sqlite:///{data_dir / 'workshop.sqlite3'}").answers(code)] == ["Ann"]


def test_a_phone_can_switch_to_chinese():
    at = facilitator(["market.demand"])
    phone = participant(at.session_state["workshop"]["code"])
    phone.segmented_control(key="join_language").set_value("zh").run()
    assert not phone.exception
    assert phone.text_input(key="join_name").label == "你的名字"
    zh = new_session("zh")
    zh.switch_page("views/workshop.py").run()
    assert zh.title[0].value == "主持研讨会"


def test_the_facilitator_reads_agreement_and_shared_ranking_in_chinese():
    at = facilitator(lang="zh")  # 创建房间
    labels = [m.label for m in at.metric]
    assert "一致性" in labels and "排序一致度（肯德尔 W）" in labels
    assert metric(at, "一致性").value == "—"  # no answers yet
