"""Workshop rooms no stranger can flood or lock: limits that never refuse a right code, throttled
joins and new rooms, the facilitator removing a participant, and the client's address behind a
trusted proxy. On SQLite always, and on PostgreSQL when WORKSHOP_TEST_DATABASE_URL names a server."""

import datetime as dt

import pytest
from sqlalchemy import func, select

import workshop.queries
from scoring import load_preset
from tests.helpers import FACTORS, failed_join_rows, needs_postgres
from workshop.aggregate import factor_medians
from workshop.queries import (
    JOINS_PER_BROWSER,
    JOINS_PER_ROOM,
    ROOMS_PER_ADDRESS,
    ROOMS_PER_BROWSER,
    WRONG_PER_ADDRESS,
    WRONG_PER_BROWSER,
)
from workshop.records import Client, Throttled, client_address, trusted_proxy
from workshop.schema import participants
from workshop.store import Forbidden, RoomNotFound, TooManyAttempts, WorkshopStore

WRONG = "ZZZZ2222"  # no room has it: every test room is drawn at random, and this one is never drawn twice
NO_ROOM = "There is no room with this code. Check the code on the projector."


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def store(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'workshop.sqlite3'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    store = WorkshopStore(url)
    yield store
    store.engine.dispose()


@pytest.fixture
def room(store):
    return store.create_room(load_preset("neutral_template"), FACTORS)


def later(monkeypatch, **delta) -> None:
    """The store's clock moved on by ``delta``."""
    then = dt.datetime.now(dt.UTC) + dt.timedelta(**delta)
    monkeypatch.setattr(workshop.queries, "_now", lambda: then)


def ratings(demand: float) -> dict[str, float]:
    return {"market.demand": demand, "market.competition": 5.0, "talent.team_strength": 5.0}


def joined(store, code) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(participants)).scalar()


# --- wrong codes: counted, never a lock-out -------------------------------------------------------


def test_a_right_code_is_admitted_after_a_thousand_wrong_ones_from_the_same_address(store, room):
    code, _ = room
    venue = "203.0.113.7"  # one address for the whole venue (NAT), or a proxy's
    ann = store.join(code, "Ann", Client("a" * 32, venue))
    for i in range(1000):  # a script, half of it with a fresh cookie each time
        guesser = Client("b" * 32 if i % 2 else f"{i:032x}", venue)
        with pytest.raises(RoomNotFound, match="^" + NO_ROOM + "$"):
            store.enter(WRONG, guesser)
    newcomer = Client("c" * 32, venue)
    assert store.enter(code, newcomer).code == code  # the right code, from the same address
    assert store.participant(code, store.join(code, "Bob", newcomer))[1] == "Bob"
    assert store.participant(code, ann)[1] == "Ann"  # an already-joined phone goes on
    store.submit(code, ann, ratings(4.0))
    # By hand: guesses alternate fresh cookie / "b"*32. After 20 guesses "b"*32 has its 10 rows and
    # the address 20; from then on only the fresh ones write, 80 more until the address has 100.
    # So 100 rows for the address + 10 for "b"*32 + 90 fresh ones; the other 880 guesses wrote nothing.
    assert len(failed_join_rows(store)) == WRONG_PER_ADDRESS + WRONG_PER_BROWSER + 90 == 200


def test_past_its_limit_a_client_gets_the_same_words_and_writes_nothing_more(store, room):
    code, _ = room
    phone = Client("d" * 32, "198.51.100.4")
    for _ in range(WRONG_PER_BROWSER):
        with pytest.raises(RoomNotFound) as first:
            store.enter(WRONG, phone)
        assert type(first.value) is RoomNotFound
    rows = failed_join_rows(store)
    assert len(rows) == 2 * WRONG_PER_BROWSER == 20  # one row for the browser, one for the address
    for _ in range(5):
        with pytest.raises(TooManyAttempts) as refused:
            store.enter(WRONG, phone)
        assert str(refused.value) == str(first.value) == NO_ROOM  # a guesser learns nothing from it
        with pytest.raises(TooManyAttempts):
            store.join(WRONG, "Eve", phone)
    assert failed_join_rows(store) == rows  # no unbounded writes
    # A script with a fresh cookie each time is held by its address: 100 rows there, then nothing.
    for i in range(150):
        with pytest.raises(RoomNotFound):
            store.enter(WRONG, Client(f"{i:032x}", "192.0.2.9"))
    # guesses 1..100 wrote 2 rows each (fresh browser + the address); 101..150 none
    assert len(failed_join_rows(store)) == 20 + 2 * WRONG_PER_ADDRESS == 220
    assert store.enter(code, phone).code == code  # and the right code still opens


def test_a_wrong_key_and_a_wrong_room_read_alike_and_both_count(store, room):
    code, key = room
    laptop = Client("e" * 32, "198.51.100.5")
    with pytest.raises(RoomNotFound) as wrong_key:
        store.check_facilitator(code, "x" * 43, laptop)
    with pytest.raises(RoomNotFound) as wrong_room:
        store.check_facilitator(WRONG, key, laptop)
    assert str(wrong_key.value) == str(wrong_room.value) == NO_ROOM
    assert sorted(client for client, _ in failed_join_rows(store)) == [
        "address:198.51.100.5",
        "address:198.51.100.5",
        f"browser:{'e' * 32}",
        f"browser:{'e' * 32}",
    ]
    for _ in range(WRONG_PER_BROWSER):
        with pytest.raises(RoomNotFound):
            store.check_facilitator(code, "y" * 43, laptop)
    assert store.check_facilitator(code, key, laptop).code == code  # the right key: never refused
    with pytest.raises(Forbidden):  # without a client (the console's own 3-s poll): not counted
        store.check_facilitator(code, "z" * 43)


# --- joins and new rooms: throttled ---------------------------------------------------------------


def test_five_hundred_fake_joins_in_a_minute_are_throttled(store, room, monkeypatch):
    code, _ = room
    refused = []
    for i in range(500):  # every fake with a cookie of its own, all from one address
        try:
            store.join(code, f"fake {i}", Client(f"{i:032x}", "203.0.113.66"))
        except Throttled as error:
            refused.append(error.limit)
    assert joined(store, code) == JOINS_PER_ROOM == 120
    assert refused == ["room"] * (500 - 120)
    later(monkeypatch, seconds=61)  # a minute on: the next 120 may join
    store.join(code, "Real person", Client("f" * 32, "203.0.113.66"))
    assert joined(store, code) == 121


def test_a_real_room_of_two_hundred_arriving_over_two_minutes_all_get_in(store, room, monkeypatch):
    code, _ = room
    for i in range(100):
        store.join(code, f"p{i}", Client(f"{i:032x}", "203.0.113.1"))
    later(monkeypatch, seconds=61)
    for i in range(100, 200):
        store.join(code, f"p{i}", Client(f"{i:032x}", "203.0.113.1"))
    assert joined(store, code) == 200


def test_a_join_without_a_known_client_still_counts_for_the_room(store, room, monkeypatch):
    code, _ = room
    monkeypatch.setattr(workshop.queries, "JOINS_PER_ROOM", 3)
    for name in ("Ann", "Bob", "Cem"):
        store.join(code, name)  # no client: the command line, a test
    with pytest.raises(Throttled) as refused:
        store.join(code, "Dan", Client("6" * 32))
    assert refused.value.limit == "room" and joined(store, code) == 3


def test_one_browser_joins_a_room_only_a_few_times_a_minute(store, room):
    code, _ = room
    phone = Client("9" * 32, "203.0.113.2")
    for i in range(JOINS_PER_BROWSER):
        store.join(code, f"tab {i}", phone)
    with pytest.raises(Throttled) as refused:
        store.join(code, "one more", phone)
    assert refused.value.limit == "browser" and joined(store, code) == JOINS_PER_BROWSER == 5
    store.join(code, "a neighbour", Client("8" * 32, "203.0.113.2"))  # the same address: not limited


def test_new_rooms_are_throttled_per_browser_and_per_address(store, monkeypatch):
    scenario = load_preset("neutral_template")
    for i in range(ROOMS_PER_ADDRESS // ROOMS_PER_BROWSER):  # three browsers, ten rooms each
        browser = Client(f"{i:032x}", "198.51.100.20")
        for _ in range(ROOMS_PER_BROWSER):
            store.create_room(scenario, FACTORS, browser)
        with pytest.raises(Throttled) as refused:
            store.create_room(scenario, FACTORS, browser)
        assert refused.value.limit == "create"
    with pytest.raises(Throttled):  # a fourth browser, the same address: 30 already this hour
        store.create_room(scenario, FACTORS, Client("7" * 32, "198.51.100.20"))
    store.create_room(scenario, FACTORS, Client("7" * 32, "198.51.100.21"))  # another address
    later(monkeypatch, minutes=61)
    store.create_room(scenario, FACTORS, Client("0" * 32, "198.51.100.20"))  # an hour on


# --- the facilitator removes a participant --------------------------------------------------------


def test_a_removed_participant_leaves_the_medians_and_their_phone_is_refused(store, room):
    code, key = room
    tokens = {name: store.join(code, name) for name in ("Ann", "Bob", "Fake")}
    for name, demand in (("Ann", 2.0), ("Bob", 6.0), ("Fake", 10.0)):
        store.submit(code, tokens[name], ratings(demand))
    people = store.participants(code, key)
    assert [(p.name, p.answered) for p in people] == [("Ann", True), ("Bob", True), ("Fake", True)]
    median = factor_medians([a.factors for a in store.answers(code)], FACTORS)["market.demand"]
    assert median == 6.0  # 2, 6, 10
    fake = next(p.participant_id for p in people if p.name == "Fake")
    with pytest.raises(Forbidden):
        store.remove_participant(code, tokens["Ann"], fake)  # the facilitator's key only
    assert store.remove_participant(code, key, fake) is True
    median = factor_medians([a.factors for a in store.answers(code)], FACTORS)["market.demand"]
    assert median == 4.0  # 2, 6
    assert store.participant_count(code) == 2 and len(store.answers(code)) == 2
    with pytest.raises(Forbidden):
        store.participant(code, tokens["Fake"])
    with pytest.raises(Forbidden):
        store.submit(code, tokens["Fake"], ratings(10.0))
    assert store.remove_participant(code, key, fake) is False  # already gone
    other, other_key = store.create_room(load_preset("neutral_template"), FACTORS)
    assert store.remove_participant(other, other_key, people[0].participant_id) is False  # not that room's
    store.next_round(code, key)
    assert [(p.name, p.answered) for p in store.participants(code, key)] == [("Ann", False), ("Bob", False)]


# --- who the client is ----------------------------------------------------------------------------


def test_the_client_address_comes_from_the_trusted_proxy_only_when_configured():
    assert trusted_proxy({}) is None
    assert trusted_proxy({"WORKSHOP_TRUSTED_PROXY_HEADER": "X-Forwarded-For"}) == ("X-Forwarded-For", 1)
    setting = {"WORKSHOP_TRUSTED_PROXY_HEADER": " X-Real-IP ", "WORKSHOP_TRUSTED_PROXY_HOPS": "2"}
    assert trusted_proxy(setting) == ("X-Real-IP", 2)
    sent = ["1.1.1.1, 203.0.113.7"]  # "1.1.1.1" is what the client claimed; our proxy appended the rest
    assert client_address("10.0.0.2", sent, hops=1) == "203.0.113.7"
    assert client_address("10.0.0.2", ["1.1.1.1, 203.0.113.7, 10.0.0.9"], hops=2) == "203.0.113.7"
    assert client_address("10.0.0.2", ["203.0.113.7"], hops=3) == "203.0.113.7"  # fewer than hops: the first
    assert client_address("10.0.0.2", sent, hops=0) == "10.0.0.2"  # not configured: the peer
    assert client_address("10.0.0.2", [], hops=1) == "10.0.0.2"  # no header: the peer
    assert client_address(None) == "unknown"  # Streamlit's answer behind a same-host proxy
    assert client_address("203.0.113.7:51234") == "203.0.113.7"
    assert client_address("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"  # a phone picks any of its /64
    assert client_address("10.0.0.2", ["[2001:db8::1]:443"], hops=1) == "2001:db8::/64"
    assert client_address("10.0.0.2", ["not an address"], hops=1) == "unknown"
    assert Client("a" * 32).address_key == "address:unknown"
