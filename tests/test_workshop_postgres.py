"""The same store on PostgreSQL, when a test server is named in WORKSHOP_TEST_DATABASE_URL
(e.g. postgresql://ws:ws@127.0.0.1/wstest). Without one these tests skip and say why; the
SQLite suite (test_workshop_store.py) covers the rest on every run."""

import os

import pytest
from sqlalchemy import text

from scoring import load_preset
from tests.test_workshop_store import submit_all_at_once
from workshop.store import Forbidden, WorkshopStore, metadata

URL = os.environ.get("WORKSHOP_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="no PostgreSQL: set WORKSHOP_TEST_DATABASE_URL to run these")
FACTORS = ["market.demand", "market.competition"]


@pytest.fixture
def store():
    url = URL.replace("postgresql://", "postgresql+psycopg://", 1)
    first = WorkshopStore(url)
    metadata.drop_all(first.engine)
    with first.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS schema_version"))
    first.engine.dispose()
    return WorkshopStore(url)


def test_rooms_answers_and_rounds_on_postgres(store):
    code, facilitator = store.create_room(load_preset("neutral_template"), FACTORS)
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


def test_sixty_concurrent_writers_and_a_restart_on_postgres(store):
    code, _ = store.create_room(load_preset("neutral_template"), FACTORS)
    answers = [{"market.demand": i % 11, "market.competition": 5} for i in range(60)]
    assert submit_all_at_once(store, code, answers) == []
    store.engine.dispose()
    again = WorkshopStore(store.url)
    assert len(again.answers(code)) == 60
