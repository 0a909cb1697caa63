"""A small deterministic simulation of clients editing one document through a server.

Each client has its own pycrdt Doc; local edits (typing, pastes, deletions,
undo/redo) become updates in the client's outbox. The server applies updates
in arrival order, records code-point events from its Text's observed deltas,
and relays each update to the other clients, whose inboxes are read at random
moments. Property tests check replay(draft, events) == server text == clients.

pycrdt indexes Text in UTF-8 bytes: every local edit converts its code-point
positions with units.cp_to_utf8 (an index inside a character loses the insert).
"""

import random
from collections import deque
from dataclasses import dataclass, field

from pycrdt import Doc, Text, UndoManager

from .delta import apply_ops
from .kinds import infer_kind
from .trajectory import Event
from .units import cp_to_utf8, delta_to_codepoints

TEXT_KEY = "codemirror"
REMOTE = "remote"  # origin of updates a client receives, which its undo must not touch
SERVER_CLIENT_ID = 1
DEFAULT_SNIPPETS = ("a", "é", "数", "👍🏽", "e\u0301", "👩\u200d👩\u200d👧", " ", "\n",
                    "hello world", "漢字かな", "x = 1\n")
GAPS_MS = (40, 120, 400, 2_500, 130_000)  # typing, thinking, and time away


@dataclass
class SimulatedClient:
    """One editor: its own document, undo history, and queues to and from the server."""

    index: int
    doc: Doc
    text: Text
    undo: UndoManager
    outbox: deque = field(default_factory=deque)  # (update, reported kind)
    inbox: deque = field(default_factory=deque)  # updates relayed by the server

    @property
    def author(self) -> str:
        return f"user{self.index}"

    def edit(self, rng: random.Random, snippets: tuple[str, ...]) -> None:
        """Make one random local edit and queue its update."""
        before = self.doc.get_state()
        kind = _random_edit(self, rng, snippets)
        if kind:
            self.outbox.append((self.doc.get_update(before), kind))

    def receive(self, update: bytes) -> None:
        """Apply an update relayed by the server."""
        with self.doc.transaction(origin=REMOTE):
            self.doc.apply_update(update)


def _random_edit(client: SimulatedClient, rng: random.Random, snippets) -> str:
    """Edit the client's text at random; return the userEvent, or "" if nothing changed."""
    current = str(client.text)
    action = rng.choice(("type", "type", "paste", "delete", "replace", "undo", "redo"))
    if action == "undo":
        return "undo" if client.undo.undo() else ""
    if action == "redo":
        return "redo" if client.undo.redo() else ""
    at = rng.randint(0, len(current))
    if action in ("type", "paste"):
        value = rng.choice(snippets) if action == "type" else "".join(rng.choices(snippets, k=8))
        client.text.insert(cp_to_utf8(current, at), value)
        return "input.type" if action == "type" else "input.paste"
    end = min(len(current), at + rng.randint(1, 6))
    if at == end:
        return ""
    start_b, end_b = cp_to_utf8(current, at), cp_to_utf8(current, end)
    with client.doc.transaction():  # one transaction, one update: typing over a selection
        del client.text[start_b:end_b]
        if action == "replace":
            client.text.insert(start_b, rng.choice(snippets))
    return "input.type" if action == "replace" else "delete.selection"


class SimulatedServer:
    """The authoritative document: applies updates in arrival order and records events."""

    def __init__(self, draft: str):
        self.doc = Doc(client_id=SERVER_CLIENT_ID)
        self.text = self.doc.get(TEXT_KEY, type=Text)
        self.text.insert(0, draft)
        self.current = draft  # the text as the recorder knows it, in code points
        self.events: list[Event] = []
        self._observed: list[list[dict]] = []
        self.text.observe(self._on_text_event)

    def _on_text_event(self, event) -> None:
        ops = delta_to_codepoints(event.delta, self.current, unit="utf8")
        self.current = apply_ops(self.current, ops)
        self._observed.append(ops)

    def receive(self, client: SimulatedClient, update: bytes, kind: str, t_ms: int) -> None:
        """Apply one client update and record the text change it made, if any."""
        with self.doc.transaction(origin=client.index):
            self.doc.apply_update(update)
        observed, self._observed = self._observed, []
        for ops in observed:
            self.events.append(Event(
                seq=len(self.events) + 1, t_ms=t_ms, author=client.author,
                client=client.doc.client_id, round=1, kind=kind,
                inferred_kind=infer_kind(ops), ops=ops))


@dataclass
class SimulationResult:
    """What a simulation produced: the draft, the recorded events and every final text."""

    draft: str
    events: list[Event]
    server_text: str
    recorded_text: str
    client_texts: list[str]


def _new_client(index: int, server: SimulatedServer) -> SimulatedClient:
    doc = Doc(client_id=1000 + index)
    text = doc.get(TEXT_KEY, type=Text)
    with doc.transaction(origin=REMOTE):
        doc.apply_update(server.doc.get_update())
    # Created after the draft arrived, and only local changes are tracked: undo never
    # removes the draft or a collaborator's text.
    undo = UndoManager(scopes=[text], capture_timeout_millis=0)
    return SimulatedClient(index=index, doc=doc, text=text, undo=undo)


def _send(server: SimulatedServer, clients: list, sender: SimulatedClient, t_ms: int) -> None:
    update, kind = sender.outbox.popleft()
    server.receive(sender, update, kind, t_ms)
    for other in clients:
        if other is not sender:
            other.inbox.append(update)


def simulate(draft: str, *, clients: int = 2, steps: int = 40, seed: int = 0,
             snippets: tuple[str, ...] = DEFAULT_SNIPPETS,
             gaps_ms: tuple[int, ...] = GAPS_MS) -> SimulationResult:
    """Run a random, reproducible editing session and return what it recorded.

    `gaps_ms`: the time steps drawn from (e.g. a person's inter-key intervals).
    """
    rng = random.Random(seed)
    server = SimulatedServer(draft)
    peers = [_new_client(i, server) for i in range(clients)]
    t_ms = 0
    for _ in range(steps):
        t_ms += rng.choice(gaps_ms)
        peer = rng.choice(peers)
        step = rng.choice(("edit", "edit", "send", "deliver"))
        if step == "edit":
            peer.edit(rng, snippets)
        elif step == "send" and peer.outbox:
            _send(server, peers, peer, t_ms)
        elif step == "deliver" and peer.inbox:
            peer.receive(peer.inbox.popleft())
    # Full sync: every queued update reaches the server, then every client.
    for peer in peers:
        while peer.outbox:
            t_ms += rng.choice(gaps_ms)
            _send(server, peers, peer, t_ms)
    for peer in peers:
        while peer.inbox:
            peer.receive(peer.inbox.popleft())
    return SimulationResult(draft=draft, events=server.events, server_text=str(server.text),
                            recorded_text=server.current,
                            client_texts=[str(p.text) for p in peers])
