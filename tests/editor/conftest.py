import pytest

from editor import rooms


@pytest.fixture(autouse=True)
async def fresh_rooms():
    """Rooms belong to one event loop: every test starts and ends with none loaded."""
    await rooms.unload_all()
    yield
    await rooms.unload_all()
