import pytest


@pytest.fixture
def team(db):
    from tests.factories import Team

    return Team()
