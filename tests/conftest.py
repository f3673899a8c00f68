import os
from collections.abc import Iterator

import pytest
from hypothesis import settings
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.helpers import CATALOGUE, PG_PROBLEM, PG_REQUIRED, isolated_schema

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
    Without a server the test skips (fails under CI=true): see ``needs_postgres`` in tests.helpers."""
    with isolated_schema() as url:
        yield url


def _postgres_warning() -> str | None:
    if PG_PROBLEM is None:
        return None
    then = "they FAIL (CI=true)" if PG_REQUIRED else "they SKIP"
    return f"WARNING: the PostgreSQL tests cannot run: {PG_PROBLEM}; {then}."


def pytest_report_header(config) -> str | None:
    """Said at the start of the run, so a skipped PostgreSQL path is never silent."""
    return _postgres_warning()


def pytest_terminal_summary(terminalreporter) -> None:
    """…and again at the end, beside pytest's -ra skip summary."""
    warning = _postgres_warning()
    if warning:
        terminalreporter.write_line(warning, yellow=True, bold=True)


@pytest.fixture
def served(monkeypatch) -> dict[str, bytes]:
    """What the app's download buttons serve, by media file id: the bytes a click hands the user."""
    files = {}
    register_file = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = register_file(self, path_or_data, mimetype, kind, filename)
        files[file_id] = self.get_file(file_id).content
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files
