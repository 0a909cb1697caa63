"""What a room's worker is asked to do: one small frozen type per kind of work, matched by type.

Everything that changes the room's document or answers from it goes through the
worker's queue (room.py), so it sees one item at a time in arrival order. Updates
(`batch.Incoming`) are batched; the others are handled one by one.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Greet:
    """A connection joined: send it the room's state vector and the known awareness."""

    conn: object


@dataclass(frozen=True, slots=True)
class Step1:
    """A connection sent its state vector: answer with what it lacks (sync step 2)."""

    conn: object
    state_vector: bytes


@dataclass(frozen=True, slots=True)
class Remote:
    """Updates another process stored, from log position `first_position` on."""

    first_position: int
    updates: list[bytes]


@dataclass(frozen=True, slots=True)
class Status:
    """The task's status changed (submitted, sent back…): tell the connections."""

    status: str
    round: int


Control = Greet | Step1 | Remote | Status
