import os

import pytest
from hypothesis import settings

from scoring import load_catalogue

# In CI every run draws the same examples, so a red build can be reproduced exactly.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()
