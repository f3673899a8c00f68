"""The workshop pages (console, projector, join) through AppTest, on a SQLite file in a temporary DATA_DIR."""

import csv
import datetime as dt
import io
import subprocess
import sys
from types import SimpleNamespace

import pytest
import streamlit.runtime.context
from streamlit import net_util
from streamlit.testing.v1 import AppTest

from scoring import load_preset
from tests.helpers import FACTORS, failed_join_rows, metric, new_session
from workshop.export import BOM, answers_csv
from workshop.recover import main as recover
from workshop.store import MAX_NAME_CHARS, Answer, StoreUnavailable, WorkshopStore, open_store


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


def browser_with_cookies(monkeypatch, cookies: dict[str, str]) -> None:
    """What a browser sends when its session begins: these cookies (AppTest's own client is a mock
    that carries none, so the page reads them through the same ``st.context.cookies`` as live)."""
    client = SimpleNamespace(cookies=cookies, headers=[], remote_ip="127.0.0.1")
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: client)


def everything_sent(at: AppTest) -> list[tuple[str, str]]:
    """(type, protobuf text) of every element and block the run sent to the browser, and the address bar's query."""
    found = [("query", str(dict(at.query_params)))]

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            found.append((node.type, str(node.proto)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def cookie_scripts(at: AppTest) -> list[str]:
    return [h.value for h in at.get("html") if "document.cookie" in h.value]


def projector(code: str, lang: str | None = None) -> AppTest:
    at = new_session(lang)
    at.query_params["room"] = code
    at.switch_page("views/projector.py").run()
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
    assert not at.get("code")  # the console link stays hidden until asked for


def test_the_console_keeps_its_key_out_of_sight_and_in_a_cookie():
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    (script,) = cookie_scripts(at)  # the key goes to the browser's cookie, by a script
    assert f'"{code}.{token}"' in script and "max-age=2592000" in script  # 30 days
    assert dict(at.query_params) == {}
    carriers = [kind for kind, sent in everything_sent(at) if token in sent]
    assert carriers == ["html"]  # the cookie script alone; on screen nowhere, until asked for
    at.toggle(key="workshop_show_console_link").set_value(True).run()
    (link,) = at.get("code")
    assert link.proto.code_text == f"/workshop?room={code}&key={token}"


def test_a_reload_restores_the_console_from_the_cookie(monkeypatch):
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{token}", "other": "x"})
    reloaded = new_session()  # a new session of the same browser: only the cookie carries over
    reloaded.switch_page("views/workshop.py").run()
    assert not reloaded.exception
    assert reloaded.title[0].value == "Workshop: Neutral template"
    assert reloaded.session_state["workshop"] == {"code": code, "token": token}
    assert reloaded.button(key="workshop_close_round").disabled is False


def test_a_cookie_that_no_longer_opens_a_room_is_dropped(monkeypatch):
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{'x' * 43}"})  # the wrong key
    forged = new_session()
    forged.switch_page("views/workshop.py").run()
    assert "workshop" not in forged.session_state
    assert "This console link does not open the room" in forged.error[0].value
    assert forged.title[0].value == "Run a workshop"
    assert any("max-age=0" in script for script in cookie_scripts(forged))  # the cookie is deleted
    at.button(key="workshop_delete").click().run()  # the right key, but the room is gone
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{token}"})
    late = new_session()
    late.switch_page("views/workshop.py").run()
    assert "This console link does not open the room" in late.error[0].value  # a gone room reads as a wrong key
    assert late.title[0].value == "Run a workshop" and "workshop" not in late.session_state
    assert any("max-age=0" in script for script in cookie_scripts(late))


def test_leaving_the_console_forgets_the_room_in_this_browser(monkeypatch):
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{token}"})
    tab = new_session()
    tab.switch_page("views/workshop.py").run()
    tab.button(key="workshop_leave").click().run()
    assert tab.title[0].value == "Run a workshop"  # the session's cookie no longer reopens it
    assert any("max-age=0" in script for script in cookie_scripts(tab))
    tab.run()
    assert "workshop" not in tab.session_state
    assert open_store().room(code).round_open  # the room itself goes on


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
    assert at.header[0].value == "Round 1 is closed"
    ann.run()
    assert "Round 1 is closed" in ann.info[0].value
    assert not ann.header  # nothing revealed yet
    at.button(key="workshop_reveal").click().run()
    ann.run()
    assert ann.header[0].value == "Round 1: the group's result"
    assert "Proven demand: group median 5 · you said 2" in [t.value for t in ann.text]
    at.button(key="workshop_next_round").click().run()
    ann.run()
    assert ann.header[0].value == "Round 2"
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
    assert phone.text_input(key="join_code").value == ""  # the box is there again: type the code anew
    assert "room" not in phone.query_params
    for _ in range(10):
        phone.query_params["room"] = "ZZZZ2222"
        phone.run()
    assert "There is no room with this code, or too many codes were tried" in phone.error[0].value  # the same words


def test_the_console_link_opens_the_room_keeps_the_key_and_leaves_the_address_bar():
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    other = new_session()
    other.query_params["room"] = code
    other.query_params["key"] = token
    other.switch_page("views/workshop.py").run()
    assert not other.exception
    assert other.title[0].value == "Workshop: Neutral template"
    assert dict(other.query_params) == {}
    assert any(f'"{code}.{token}"' in script for script in cookie_scripts(other))  # that browser keeps it
    forged = new_session()
    forged.query_params["room"] = code
    forged.query_params["key"] = "guess"
    forged.switch_page("views/workshop.py").run()
    assert "This console link does not open the room" in forged.error[0].value
    assert forged.title[0].value == "Run a workshop"
    assert dict(forged.query_params) == {}


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


# --- the projector view ---------------------------------------------------------------------------


def test_the_projector_shows_the_room_live_and_carries_no_key():
    at = facilitator(FACTORS)
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    big = projector(code)
    assert big.title[0].value == "Neutral template"
    shown = " ".join(m.value for m in big.markdown)
    assert f"/join?room={code}" in shown and f"**{code[:4]} {code[4:]}**" in shown
    assert len(big.get("image")) == 1  # the QR code
    assert big.header[0].value == "Round 1 is open"
    assert metric(big, "Joined").value == "0"
    assert not big.button and not big.get("download_button")  # nothing on it changes the room
    for name, demand in (("Ann", 2.0), ("Bob", 6.0), ("Cy", 9.0)):
        answer(participant(code, name), 1, "market.demand", demand)
    at.button(key="workshop_close_round").click().run()
    big.run()
    assert big.header[0].value == "Round 1 is closed"
    assert metric(big, "Joined").value == "3" and metric(big, "Agreement").value == "78%"  # as on the console
    assert len(big.get("plotly_chart")) == 2  # the heatmap with halos and the radar
    assert big.dataframe[0].value.iloc[0]["Factor"] == "Proven demand"
    names = [kind for kind, sent in everything_sent(big) if "Ann" in sent]
    assert names == []  # no participant's name on the big screen
    carriers = [kind for kind, sent in everything_sent(big) if token in sent or token[:12] in sent]
    assert carriers == [] and dict(big.query_params) == {"room": code}
    assert not any("cookie" in sent for _, sent in everything_sent(big))


def test_the_console_links_to_the_projector_without_the_key():
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    link = at.get("link_button")[0].proto.url
    assert link == f"./projector?room={code}&lang=en" and token not in link  # AppTest knows no address
    at.context["url"] = "http://navigator.example.org/workshop"
    at.run()
    assert at.get("link_button")[0].proto.url == f"http://navigator.example.org/projector?room={code}&lang=en"


def test_the_projector_of_a_deleted_or_unknown_room_says_so():
    at = facilitator()
    code = at.session_state["workshop"]["code"]
    big = projector(code)
    at.button(key="workshop_delete").click().run()
    big.run()
    assert big.info[0].value == "This room has ended."
    unknown = projector("ZZZZ2222", lang="zh")
    assert unknown.info[0].value == "该房间已结束。"


# --- the round's buttons ----------------------------------------------------------------------------


def round_buttons(at: AppTest) -> list[tuple[str, bool]]:
    keys = ("workshop_close_round", "workshop_reveal", "workshop_next_round")
    return [(b.label, b.disabled) for b in at.button if b.key in keys]


def next_step(at: AppTest) -> list[str]:
    """The round buttons drawn as primary: the step a facilitator takes next."""
    keys = ("workshop_close_round", "workshop_reveal", "workshop_next_round")
    return [b.label for b in at.button if b.key in keys and b.proto.type == "primary"]


def test_the_round_buttons_follow_a_session_and_only_what_makes_sense_is_enabled():
    at = facilitator(["market.demand"])
    # in page order: Close -> Reveal -> Open next
    assert round_buttons(at) == [("Close the round", False), ("Reveal the result", True), ("Open round 2", True)]
    assert next_step(at) == ["Close the round"]
    at.button(key="workshop_close_round").click().run()
    assert at.header[0].value == "Round 1 is closed"
    assert round_buttons(at) == [("Close the round", True), ("Reveal the result", False), ("Open round 2", False)]
    assert next_step(at) == ["Reveal the result"]
    at.button(key="workshop_reveal").click().run()
    assert at.header[0].value == "Round 1 is closed and its result is shown on the phones"
    assert round_buttons(at) == [("Close the round", True), ("Reveal the result", True), ("Open round 2", False)]
    assert next_step(at) == ["Open round 2"]
    at.button(key="workshop_next_round").click().run()
    assert at.header[0].value == "Round 2 is open"
    assert round_buttons(at) == [("Close the round", False), ("Reveal the result", True), ("Open round 3", True)]
    # the CSV is a download, after the round's buttons; Delete stands apart, behind a confirmation
    order = [e.key for e in at._tree if e.type in ("button", "download_button")]
    assert order.index("workshop_export") == order.index("workshop_next_round") + 1
    assert order.index("workshop_delete") > order.index("workshop_export")
    assert at.get("download_button")[0].proto.label == "Answers (CSV)"
    delete = at.button(key="workshop_delete")
    assert delete.label == "Delete for good" and delete.proto.type == "primary"
    assert "cannot be undone" in at.warning[0].value


def test_a_second_console_sees_the_round_move_on(monkeypatch):
    at = facilitator(["market.demand"])
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{token}"})
    tab = new_session()
    tab.switch_page("views/workshop.py").run()
    at.button(key="workshop_close_round").click().run()
    tab.run()
    assert round_buttons(tab)[1] == ("Reveal the result", False)


# --- phones -------------------------------------------------------------------------------------------


def test_a_phone_is_told_when_the_room_has_ended():
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    ann = participant(code, "Ann")
    at.button(key="workshop_close_round").click().run()
    ann.run()
    assert "Wait for the facilitator" in ann.info[0].value
    at.button(key="workshop_delete").click().run()
    ann.run()
    assert [i.value for i in ann.info] == ["This room has ended. Thank you for taking part."]
    assert not ann.error and not ann.slider
    ann.run()  # and it stays so (it stops waiting)
    assert ann.info[0].value.startswith("This room has ended")


def test_a_phone_reads_every_message_in_chinese():
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    wrong = new_session("zh")
    wrong.query_params["room"] = "ZZZZ2222"
    wrong.switch_page("views/join.py").run()
    one_message = "没有这个房间码对应的房间，或此处尝试的房间码过多。请核对投影上的房间码，或等几分钟再试。"
    assert wrong.error[0].value == one_message
    for _ in range(10):
        wrong.query_params["room"] = "ZZZZ2222"
        wrong.run()
    assert wrong.error[0].value == one_message  # past the limit: the same words
    phone = new_session("zh")
    phone.query_params["room"] = code
    phone.switch_page("views/join.py").run()
    phone.text_input(key="join_name").input("   ")
    phone.button(key="join_join").click().run()
    assert phone.error[0].value == "请输入显示名称。"
    phone.text_input(key="join_name").input("李明")
    phone.button(key="join_join").click().run()
    assert phone.header[0].value == "第 1 轮"  # the round is open
    answer(phone, 1, "market.demand", 7.0)
    assert phone.success[0].value == "已保存。本轮结束前你都可以修改答案。"
    at.button(key="workshop_close_round").click().run()
    phone.run()
    assert phone.info[0].value == "第 1 轮已结束。请等待主持人开始下一轮。"
    at.button(key="workshop_delete").click().run()
    phone.run()
    assert phone.info[0].value == "该房间已结束。感谢你的参与。"


def test_a_display_name_is_held_to_the_stores_limit_by_the_field_itself():
    at = facilitator(["market.demand"])
    phone = new_session("zh")
    phone.query_params["room"] = at.session_state["workshop"]["code"]
    phone.switch_page("views/join.py").run()
    field = phone.text_input(key="join_name")
    assert field.proto.max_chars == MAX_NAME_CHARS == 40  # the browser counts and stops at 40: nothing is cut later
    field.input("名" * 40)
    phone.button(key="join_join").click().run()
    assert phone.text[0].value == f"你的名字：{'名' * 40}"


def test_the_room_name_is_shown_as_typed_never_as_formatting():
    at = new_session()
    at.switch_page("views/workshop.py").run()
    typed = "**Q3** <b>board</b> :red[x] $y$ 李明的房间"
    at.text_input(key="workshop_room_name").input(typed)
    at.button(key="workshop_create").click().run()
    code = at.session_state["workshop"]["code"]
    escaped = r"\*\*Q3\*\* \<b\>board\<\/b\> \:red\[x\] \$y\$ 李明的房间"  # every mark escaped, by hand
    assert at.title[0].value == f"Workshop: {escaped}"
    assert open_store().room(code).scenario.name == typed  # stored as typed
    phone = participant(code)
    assert phone.title[0].value == escaped
    assert projector(code).title[0].value == escaped


# --- join links ---------------------------------------------------------------------------------------


def join_caption(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_join_link_uses_workshop_public_url_when_set(monkeypatch):
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://workshop.example.org/")
    at = new_session()
    at.context["url"] = "http://localhost:8621/workshop"
    at.switch_page("views/workshop.py").run()
    at.button(key="workshop_create").click().run()
    code = at.session_state["workshop"]["code"]
    assert f"## `https://workshop.example.org/join?room={code}`" in [m.value for m in at.markdown]
    assert "WORKSHOP_PUBLIC_URL" in join_caption(at)
    at.toggle(key="workshop_show_console_link").set_value(True).run()  # another device reaches it there too
    assert at.get("code")[0].proto.code_text.startswith(f"https://workshop.example.org/workshop?room={code}&key=")
    big = projector(code)
    assert f"## `https://workshop.example.org/join?room={code}`" in [m.value for m in big.markdown]
    assert "WORKSHOP_PUBLIC_URL" not in join_caption(big)  # a setup note for the console, not the wall


def test_a_loopback_address_is_replaced_by_the_network_address(monkeypatch):
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "192.168.1.20")  # what the UDP trick would find
    for opened in (
        "http://localhost:8621/workshop",
        "http://127.0.0.1:8621/workshop?x=1",
        "http://[::1]:8621/workshop",
    ):
        at = new_session()
        at.context["url"] = opened
        at.switch_page("views/workshop.py").run()
        at.button(key="workshop_create").click().run()
        code = at.session_state["workshop"]["code"]
        link = f"http://192.168.1.20:8621/join?room={code}"
        assert f"## `{link}`" in [m.value for m in at.markdown], opened
        assert "your computer's network address, not localhost" in join_caption(at)
        assert link not in join_caption(at)  # said once, in the big link above
    elsewhere = new_session()
    elsewhere.context["url"] = "https://navigator.example.org/app/workshop"
    elsewhere.switch_page("views/workshop.py").run()
    elsewhere.button(key="workshop_create").click().run()
    code = elsewhere.session_state["workshop"]["code"]
    assert f"## `https://navigator.example.org/app/join?room={code}`" in [m.value for m in elsewhere.markdown]
    assert "network address" not in join_caption(elsewhere)


def test_without_a_network_address_the_console_warns_that_phones_cannot_join(monkeypatch):
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: "127.0.0.1")  # Streamlit's answer when none is found
    at = new_session("zh")
    at.context["url"] = "http://localhost:8501/workshop"
    at.switch_page("views/workshop.py").run()
    at.button(key="workshop_create").click().run()
    code = at.session_state["workshop"]["code"]
    assert f"## `http://localhost:8501/join?room={code}`" in [m.value for m in at.markdown]
    assert "手机无法打开" in at.warning[0].value and "WORKSHOP_PUBLIC_URL" in at.warning[0].value


# --- the CSV ----------------------------------------------------------------------------------------


def test_the_spreadsheet_csv_has_a_bom_names_then_ids(data_dir):
    store = open_store(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    code, key = store.create_room(load_preset("neutral_template"), ["market.demand", "talent.team_strength"])
    for name, demand in (("李明", 7.0), ("=1+1", 3.5)):
        values = {"market.demand": demand, "talent.team_strength": 5.0}
        store.submit(code, store.join(code, name), values)
    room = store.check_facilitator(code, key)
    labels = {"room": "房间", "round": "轮次", "participant": "参与者", "submitted_at": "提交时间（UTC）"}
    data = answers_csv(room, store.answers(code), "zh", labels).encode("utf-8")
    assert data[:3] == b"\xef\xbb\xbf"  # the UTF-8 byte order mark Excel looks for
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["房间", "轮次", "参与者", "提交时间（UTC）", "市场需求", "团队实力"]
    assert rows[1] == ["room", "round", "participant", "submitted_at", "market.demand", "talent.team_strength"]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows[2:]] == [
        (code, "1", "李明", "7", "5"),
        (code, "1", "'=1+1", "3.5", "5"),  # a name a spreadsheet would run is defused
    ]
    english = list(csv.reader(io.StringIO(answers_csv(room, [], "en").removeprefix(BOM))))
    assert english == [
        ["room", "round", "participant", "submitted_at", "Proven demand", "Team strength"],
        ["room", "round", "participant", "submitted_at", "market.demand", "talent.team_strength"],
    ]  # no labels given: the ids; the factors by their English names
    assert not answers_csv(room, []).startswith(BOM)  # the store's machine form: ids only


def test_the_console_csv_button_exports_in_the_pages_language():
    at = facilitator(["market.demand"], lang="zh")
    button = at.get("download_button")[0]
    assert button.proto.label == "答案（CSV）" and "第 2 行" in button.proto.help


def test_a_cell_time_is_iso_utc():
    when = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)
    room = open_store().room(facilitator(["market.demand"]).session_state["workshop"]["code"])
    answer_ = Answer(participant="Ann", participant_id=1, round=1, factors={"market.demand": 6.0}, submitted_at=when)
    rows = list(csv.reader(io.StringIO(answers_csv(room, [answer_], "en").removeprefix(BOM))))
    assert rows[2] == [room.code, "1", "Ann", "2026-11-30T09:05:00+00:00", "6"]


# --- a lost key -------------------------------------------------------------------------------------


def test_a_lost_console_is_recovered_from_the_server(capsys, data_dir):
    at = facilitator(["market.demand"])
    code, old = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    assert recover([code.lower(), "--url", "https://ws.example.org/"]) == 0
    out, err = capsys.readouterr()
    prefix = f"https://ws.example.org/workshop?room={code}&key="
    assert out.startswith(prefix) and err == ""
    new = out.strip().removeprefix(prefix)
    assert len(new) >= 40 and new != old
    at.run()  # the old key no longer opens the room
    assert at.title[0].value == "Run a workshop"
    recovered = new_session()
    recovered.query_params["room"], recovered.query_params["key"] = code, new
    recovered.switch_page("views/workshop.py").run()
    assert recovered.title[0].value == "Workshop: Neutral template"
    assert recover(["ZZZZ2222"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "There is no room with this code" in err
    command = [sys.executable, "-m", "workshop.recover", code]  # as run on the server; DATA_DIR inherited
    ran = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert ran.returncode == 0 and ran.stdout.startswith(f"http://localhost:8501/workshop?room={code}&key=")


def test_a_console_whose_room_was_deleted_elsewhere_says_so_and_forgets_it(monkeypatch):
    at = facilitator(["market.demand"])
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    browser_with_cookies(monkeypatch, {"workshop_console": f"{code}.{token}"})
    tab = new_session()
    tab.switch_page("views/workshop.py").run()
    at.button(key="workshop_delete").click().run()
    tab.run()
    assert "The room this browser kept has ended" in tab.info[0].value
    assert tab.title[0].value == "Run a workshop" and "workshop" not in tab.session_state
    assert any("max-age=0" in script for script in cookie_scripts(tab))


# --- access: one message for every wrong try, the client behind a proxy, tokens out of the address ---


def client_sends(monkeypatch, cookies: dict[str, str] | None = None, headers=(), peer: str = "127.0.0.1") -> None:
    """What a browser sends when its session begins: cookies, request headers and its peer address."""
    client = SimpleNamespace(cookies=cookies or {}, headers=list(headers), remote_ip=peer)
    monkeypatch.setattr(streamlit.runtime.context, "_get_client_context", lambda: client)


def test_a_wrong_key_reads_exactly_as_a_wrong_room_and_both_are_counted(data_dir):
    at = facilitator()
    code, token = at.session_state["workshop"]["code"], at.session_state["workshop"]["token"]
    shown = []
    for room, key in ((code, "x" * 43), ("ZZZZ2222", token)):
        forged = new_session("zh")
        forged.query_params["room"], forged.query_params["key"] = room, key
        forged.switch_page("views/workshop.py").run()
        assert not forged.exception and "workshop" not in forged.session_state
        shown.append([e.value for e in forged.error] + [i.value for i in forged.info])
    assert (
        shown[0]
        == shown[1]
        == ["此主持链接无法打开房间：房间码或密钥有误、房间已结束，或尝试次数过多。请核对链接，或等几分钟再试。"]
    )
    store = open_store(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    assert len([c for c, _ in failed_join_rows(store) if c.startswith("browser:")]) == 2  # one per try


def test_the_trusted_proxy_header_is_honoured_only_when_configured(monkeypatch, data_dir):
    store = open_store(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    sent = [("X-Forwarded-For", "1.1.1.1, 203.0.113.7")]  # "1.1.1.1" is the client's own claim
    for configured, counted in ((False, "address:10.0.0.2"), (True, "address:203.0.113.7")):
        if configured:
            monkeypatch.setenv("WORKSHOP_TRUSTED_PROXY_HEADER", "X-Forwarded-For")
        else:
            monkeypatch.delenv("WORKSHOP_TRUSTED_PROXY_HEADER", raising=False)
        client_sends(monkeypatch, headers=sent, peer="10.0.0.2")
        phone = new_session()
        phone.query_params["room"] = "ZZZZ2222"
        phone.switch_page("views/join.py").run()
        assert not phone.exception
        addresses = {c for c, _ in failed_join_rows(store) if c.startswith("address:")}
        assert counted in addresses and "address:1.1.1.1" not in addresses
    assert addresses == {"address:10.0.0.2", "address:203.0.113.7"}


def test_a_wrong_code_keeps_its_words_past_the_limit_and_a_right_code_still_opens():
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    phone = new_session()
    phone.switch_page("views/join.py")
    seen = set()
    for _ in range(15):  # past the limit of 10 for this session's browser
        phone.query_params["room"] = "ZZZZ2222"
        phone.run()
        seen.add(phone.error[0].value)
    assert seen == {
        "There is no room with this code, or too many codes were tried from here. "
        "Check the code on the projector, or wait a few minutes."
    }
    phone.query_params["room"] = code
    phone.run()
    assert not phone.error and phone.text_input(key="join_name")  # the right code: never refused


def test_the_participant_token_is_kept_in_a_cookie_not_in_the_address(monkeypatch):
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    phone = participant(code, "Ann")
    token = phone.session_state["join_tokens"][code]
    assert dict(phone.query_params) == {"room": code}  # no me=
    assert [kind for kind, sent in everything_sent(phone) if token in sent] == ["html"]  # the cookie script
    (script,) = [s for s in cookie_scripts(phone) if token in s]
    assert f'"workshop_me_{code}="' in script and "samesite=strict" in script and "max-age=604800" in script
    answer(phone, 1, "market.demand", 7.0)
    client_sends(monkeypatch, cookies={f"workshop_me_{code}": token})
    reloaded = new_session()  # the same browser, reloaded: only the cookie carries over
    reloaded.query_params["room"] = code
    reloaded.switch_page("views/join.py").run()
    assert reloaded.text[0].value == "You are Ann" and dict(reloaded.query_params) == {"room": code}
    assert reloaded.slider(key="answer:1:market.demand").value == 7.0
    old = new_session()  # a link from before, with the token in it: ignored, and cleared
    old.query_params["room"], old.query_params["me"] = code, token
    client_sends(monkeypatch)
    old.switch_page("views/join.py").run()
    assert dict(old.query_params) == {"room": code} and old.text_input(key="join_name")


def test_the_console_removes_a_participant_and_their_phone_is_told(monkeypatch):
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    ann, fake = participant(code, "Ann"), participant(code, "**Fake**")
    answer(ann, 1, "market.demand", 2.0)
    answer(fake, 1, "market.demand", 10.0)
    bob = participant(code, "Bob")
    at.toggle(key="workshop_people").set_value(True).run()
    rows = [t.value for t in at.text if t.value in ("Ann", "**Fake**", "Bob")]
    assert rows == ["Ann", "**Fake**", "Bob"]  # in the order they joined, as typed
    answered = [t.value for t in at.text if t.value in ("answered this round", "not yet answered")]
    assert answered == ["answered this round", "answered this round", "not yet answered"]
    people = open_store().participants(code, at.session_state["workshop"]["token"])
    fake_id = next(p.participant_id for p in people if p.name == "**Fake**")
    at.button(key=f"workshop_remove:{fake_id}").click().run()
    assert r"Remove \*\*Fake\*\* from the room?" in at.warning[-1].value  # the name as text
    assert open_store().participant_count(code) == 3  # nothing yet: a confirmation first
    at.button(key=f"workshop_remove_yes:{fake_id}").click().run()
    assert open_store().participant_count(code) == 2
    assert [t.value for t in at.text if t.value in ("Ann", "**Fake**", "Bob")] == ["Ann", "Bob"]
    assert metric(at, "Joined").value == "2" and metric(at, "Answers in round 1").value == "1"
    fake.run()
    assert fake.warning[0].value == "You were removed from this room by the facilitator."
    assert not fake.slider and not fake.button
    assert bob.run().text[0].value == "You are Bob"


def test_a_phone_that_loses_the_database_retries_and_keeps_its_answer(monkeypatch):
    at = facilitator(["market.demand"])
    code = at.session_state["workshop"]["code"]
    phone = participant(code, "Ann")

    def away(*args, **kwargs):
        raise StoreUnavailable("The workshop database cannot be reached.")

    with monkeypatch.context() as outage:
        outage.setattr(WorkshopStore, "submit", away)
        answer(phone, 1, "market.demand", 8.5)
        assert not phone.exception
        assert phone.warning[0].value == "Cannot reach the room right now; retrying…"
        outage.setattr(WorkshopStore, "enter", away)
        phone.run()  # the page's own retry, while the database is still away
        assert phone.warning[0].value == "Cannot reach the room right now; retrying…" and not phone.slider
    phone.run()  # the retry once the database is back
    assert "Saved" in phone.success[0].value
    assert phone.slider(key="answer:1:market.demand").value == 8.5  # nothing typed was lost
    assert [a.factors["market.demand"] for a in open_store().answers(code)] == [8.5]
    zh = new_session("zh")
    zh.query_params["room"] = code
    with monkeypatch.context() as outage:
        outage.setattr(WorkshopStore, "enter", away)
        zh.switch_page("views/join.py").run()
    assert zh.warning[0].value == "暂时无法连接房间；正在重试…"
