import pytest

from editor import dbthread, rooms


@pytest.fixture(autouse=True)
async def fresh_rooms():
    """Rooms belong to one event loop: every test starts and ends with none loaded."""
    await rooms.unload_all()
    yield
    await rooms.unload_all()
    await dbthread.close_connection()
