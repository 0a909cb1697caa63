"""Record demo work through the real room and recorder, as a person would have done it.

A `Session` opens the task's real `Room` (the one the WebSocket consumer feeds), keeps a
pycrdt document like a browser tab does, and turns scripted actions into keystroke-sized
updates with a human rhythm: a gap of 60–250 ms between characters, longer after words
and sentences, thinking pauses, the odd typo fixed with Backspace, selections typed over,
pastes. The room commits them in batches, records their edit events and moves the task
in progress exactly as for a browser; the timestamps are the simulated ones, so the
player, signals and dashboards see a realistic session. Notes, submissions and reviews
go through the same services as the HTTP API (editor/demo_script.py is the scenario).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass

from pycrdt import Doc, Text

from oversight.core.units import cp_to_utf8
from oversight.traces.log import TEXT_NAME

from . import protocol
from .room import Room


class _Tab:
    """What the room needs of a connection: who it is, and somewhere to send frames."""

    speaks_oversight = False
    closing = False

    def __init__(self, user_id: int):
        self.user_id = user_id
        self.can_write = True
        self.synced = asyncio.Event()

    async def send_frame(self, data: bytes) -> None:
        if data[:2] == bytes([protocol.MSG_SYNC, protocol.SYNC_STEP2]):
            self.synced.set()  # the answer to our step 1: everything before it is stored

    async def close_with(self, code: int, reason: str) -> None:
        raise RuntimeError(f"the room refused the demo edit ({code}: {reason})")


@dataclass
class Rhythm:
    """Milliseconds between a person's keystrokes (seeded: the demo is reproducible)."""

    rng: random.Random

    def key(self, char: str) -> int:
        gap = self.rng.randint(60, 250)
        if char in " \n":
            gap += self.rng.randint(40, 300)
        if char in ".!?":
            gap += self.rng.randint(400, 2_500)
        return gap

    def think(self, seconds: float) -> int:
        return int(seconds * 1000 * self.rng.uniform(0.7, 1.3))


class Session:
    """One writer's sitting at one task: `await session.start()`, actions, `await finish()`."""

    def __init__(self, task, user, *, started_ms: int, seed: int):
        self.task, self.user = task, user
        self.now_ms = started_ms
        self.rhythm = Rhythm(random.Random(seed))
        self.tab = _Tab(user.pk)
        self.room = Room(task.pk, str(task.doc_id))
        self.doc = Doc()
        self.text = self.doc.get(TEXT_NAME, type=Text)

    async def start(self) -> Session:
        await self.room.load()
        self.doc.apply_update(self.room.doc.get_update())
        return self

    @property
    def current(self) -> str:
        return str(self.text)

    def _send(self, change, kind: str, gap_ms: int) -> None:
        self.now_ms += gap_ms
        before = self.doc.get_state()
        with self.doc.transaction():
            change(self.text, self.current)
        self.room.receive_update(self.tab, self.doc.get_update(before), kind, self.now_ms)

    # -- what a writer does -----------------------------------------------------------

    def pause(self, seconds: float) -> None:
        self.now_ms += self.rhythm.think(seconds)

    def type_at(self, at: int, words: str, *, typos: bool = True) -> int:
        """Type `words` at code-point offset `at`, one key at a time; return the end."""
        rng = self.rhythm.rng
        for char in words:
            if typos and char.isalpha() and rng.random() < 0.03:
                wrong = rng.choice("asdfghjkl")
                self._send(lambda t, cur, a=at, w=wrong: t.insert(cp_to_utf8(cur, a), w),
                           "input.type", self.rhythm.key(wrong))
                self._send(lambda t, cur, a=at: t.__delitem__(
                    slice(cp_to_utf8(cur, a), cp_to_utf8(cur, a + 1))),
                    "delete.backward", self.rhythm.key(" ") + 250)
            self._send(lambda t, cur, a=at, c=char: t.insert(cp_to_utf8(cur, a), c),
                       "input.type", self.rhythm.key(char))
            at += 1
        return at

    def find(self, quote: str) -> int:
        at = self.current.find(quote)
        if at < 0:
            raise ValueError(f"demo script: {quote[:40]!r} is not in the text of "
                             f"{self.task.external_id}")
        return at

    def delete(self, quote: str) -> int:
        """Select `quote` and delete it in one stroke; return where it was."""
        at = self.find(quote)
        self._send(lambda t, cur: t.__delitem__(
            slice(cp_to_utf8(cur, at), cp_to_utf8(cur, at + len(quote)))),
            "delete.selection", self.rhythm.think(1.5))
        return at

    def replace(self, quote: str, words: str) -> None:
        """Select `quote`, then type `words` over it."""
        at = self.delete(quote)
        self.type_at(at, words)

    def insert_after(self, quote: str, words: str) -> None:
        self.type_at(self.find(quote) + len(quote), words)

    def paste(self, after: str, block: str) -> None:
        at = self.find(after) + len(after)
        self._send(lambda t, cur: t.insert(cp_to_utf8(cur, at), block), "input.paste",
                   self.rhythm.think(2))

    async def finish(self) -> None:
        """Wait until the room has stored every update sent, then close it."""
        self.room.receive_step1(self.tab, self.doc.get_state())
        await asyncio.wait_for(self.tab.synced.wait(), timeout=120)
        await self.room.close()
        assert str(self.room.text) == self.current, "the room and the writer disagree"


def now_ms() -> int:
    return int(time.time() * 1000)
