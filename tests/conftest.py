import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.helpers import CATALOGUE, isolated_schema

# In CI every run draws the same examples, so a red build can be reproduced exactly.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def catalogue():
    return CATALOGUE


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL into a schema of its own on the test PostgreSQL server, dropped after the test.
    Only for tests marked ``needs_postgres`` (tests.helpers): without a server there is none."""
    with isolated_schema() as url:
        yield url
