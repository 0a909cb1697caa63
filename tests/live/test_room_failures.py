"""What a room failure does to its connections, through the real server (`manage.py serve`).

In-process tests (WebsocketCommunicator) accept any close code; real servers (daphne's
autobahn, uvicorn's websockets) only let an application send 1000 or 3000–4999, so only
a live server shows what clients really get when a room breaks.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from pycrdt import Doc, Text

from editor.protocol import sync_update
from tests.conftest import require_or_skip
from tests.live.helpers import create_task, stored_trace

try:
    import websockets
except ImportError:  # a runtime dependency (uvicorn's WebSocket protocol)
    websockets = None

CLOSE_WAIT_S = 2.0


def text_update(text: str, embed: dict | None = None) -> bytes:
    """A Yjs update from a fresh client inserting `text` (or an embed) into the shared text."""
    doc = Doc()
    shared = doc.get("codemirror", type=Text)
    if embed is not None:
        shared.insert_embed(0, embed)
    else:
        shared += text
    return doc.get_update()


async def closed_within(ws, seconds: float) -> bool:
    """True if the server closes `ws` within `seconds` (messages are drained meanwhile)."""
    try:
        async with asyncio.timeout(seconds):
            async for _ in ws:
                pass
    except TimeoutError:
        return False
    except websockets.ConnectionClosed:
        pass
    return True


def test_a_refused_update_closes_its_sender_and_the_room_carries_on(live_app):
    require_or_skip(websockets, "the websockets package is not installed")
    task = create_task(live_app, "Start.", assignees=["writer1"])
    writer_token, lead_token = live_app.api_token("writer1"), live_app.api_token("lead1")
    url = f"{live_app.ws_url}/{task['doc_id']}"

    async def scenario() -> dict:
        writer = await websockets.connect(f"{url}?token={writer_token}")
        lead = await websockets.connect(f"{url}?token={lead_token}")
        await asyncio.sleep(0.3)  # both joined
        # A valid Yjs update the recorder cannot turn into an event (an embed).
        await writer.send(sync_update(text_update("", embed={"image": "x.png"})))
        sockets = {"writer": writer, "lead": lead}
        closed = await asyncio.gather(*(closed_within(ws, CLOSE_WAIT_S)
                                        for ws in sockets.values()))
        outcome = {}
        for (name, ws), was_closed in zip(sockets.items(), closed, strict=True):
            outcome[name] = "closed" if was_closed else "open"
            if not was_closed:
                # Still open: then what it sends must be stored like any edit.
                await ws.send(sync_update(text_update(f"[{name}]")))
        for ws in (writer, lead):
            await ws.close()
        return outcome

    # In a thread of its own: Playwright's sync API (the browser tests) keeps an event
    # loop marked as running in this one.
    with ThreadPoolExecutor(1) as pool:
        outcome = pool.submit(asyncio.run, scenario()).result()
    deadline = time.monotonic() + CLOSE_WAIT_S
    while True:
        trace = stored_trace(live_app, task["id"])
        stranded = [name for name, state in outcome.items()
                    if state == "open" and f"[{name}]" not in trace["log_text"]]
        if not stranded or time.monotonic() > deadline:
            break
    assert not stranded, (f"{stranded}: still connected after the refusal, "
                          f"but their edits are not stored ({outcome}, log {trace['log_text']!r})")
    assert outcome == {"writer": "closed", "lead": "open"}
    assert trace["log_text"] in ("[lead]Start.", "Start.[lead]")  # concurrent inserts at 0
