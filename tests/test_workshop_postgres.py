"""The same store on PostgreSQL, on the server named in WORKSHOP_TEST_DATABASE_URL (`make test` sets
it through scripts/ensure_postgres.sh: postgresql://postgres@127.0.0.1:5432/test when that answers).
Without one these tests skip and say why — except under CI=true, where they fail; the SQLite suite
(test_workshop_store.py) covers the rest on every run.

Each test gets a schema of its own (``ws_test_<random>``, first on the connections' search_path)
and drops it afterwards, so runs in parallel, or against a database with other tables, do not
collide."""

import pytest
from sqlalchemy import text

from scoring import load_preset
from tests.helpers import (
    TWO_FACTORS,
    deleting_a_room_removes_everything,
    first_submits_at_once,
    needs_postgres,
    submit_all_at_once,
)
from workshop.store import Forbidden, WorkshopStore

pytestmark = needs_postgres


@pytest.fixture
def store(pg_url):
    store = WorkshopStore(pg_url)
    yield store
    store.engine.dispose()  # before the schema is dropped


def test_each_test_works_in_a_schema_of_its_own(store):
    with store.engine.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s ORDER BY 1"), {"s": schema}
        ).scalars()
        assert schema.startswith("ws_test_")
        assert list(tables) == ["answers", "failed_joins", "participants", "rooms", "schema_version", "throttle_events"]


def test_rooms_answers_and_rounds_on_postgres(store):
    code, facilitator = store.create_room(load_preset("neutral_template"), TWO_FACTORS)
    ann = store.join(code, "Ann")
    store.submit(code, ann, {"market.demand": 3, "market.competition": 5})
    store.submit(code, ann, {"market.demand": 4, "market.competition": 5})
    assert [a.factors["market.demand"] for a in store.answers(code)] == [4.0]
    with pytest.raises(Forbidden):
        store.close_round(code, ann)
    store.next_round(code, facilitator)
    store.submit(code, ann, {"market.demand": 6, "market.competition": 5})
    assert [a.round for a in store.answers(code)] == [1, 2]
    assert store.export_csv(code, facilitator).count("\n") == 3


def test_deleting_a_room_removes_everything_on_postgres(store):
    deleting_a_room_removes_everything(store)


def test_sixty_concurrent_writers_and_a_restart_on_postgres(store):
    code, _ = store.create_room(load_preset("neutral_template"), TWO_FACTORS)
    answers = [{"market.demand": i % 11, "market.competition": 5} for i in range(60)]
    assert submit_all_at_once(store, code, answers) == []
    store.engine.dispose()
    again = WorkshopStore(store.url)
    assert len(again.answers(code)) == 60
    again.engine.dispose()


def test_simultaneous_first_submits_by_one_participant_all_succeed_on_postgres(store):
    """A double tap on a phone: before the submit was one upsert, an update-then-insert let two first
    submissions both insert, and 133 of 400 such calls failed with "duplicate key"."""
    code, _ = store.create_room(load_preset("neutral_template"), TWO_FACTORS)
    errors, stored = first_submits_at_once(store, code, participants=25, taps=4)
    assert errors == []
    assert sorted(stored) == sorted(f"p{i}" for i in range(25))
    for answers in stored.values():  # one answer each, and it is one of the four sent (whichever came last)
        assert len(answers) == 1 and answers[0]["market.demand"] in {0.0, 1.0, 2.0, 3.0}
        assert answers[0]["market.demand"] == answers[0]["market.competition"]  # never a mix of two taps
