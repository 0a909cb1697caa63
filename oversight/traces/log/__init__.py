"""The trace's update log: the document people saw, and the events recorded from it.

The record owns its log. This package stores each document's Yjs updates
(gapless positions), its snapshots, its client-id bindings and its event counter;
it checks what an update claims before it is applied (`yupdate`), commits a batch
of updates in one transaction before they are relayed (`batch`), derives the edit
events and checkpoints from the stored log afterwards, off the relay path
(`recording`: idempotent, any thread or process may catch a document up), and
rebuilds the document from the stored log alone for submission's three-way check
(`document`). It knows nothing of sockets: the editor's rooms (the real-time
transport) call the API below, from their database threads, and relay only what it
stored.

The editor imports this package's root, never its modules (tests/test_layering.py).
"""

from .batch import BadUpdate, BatchResult, Incoming, commit_batch, task_status_of
from .document import LogUnreadable, stored_text
from .recording import (
    RecordingFailed,
    forget_copies,
    record,
    record_behind,
    unrecorded_tasks,
)
from .store import (
    SEED_KIND,
    TEXT_NAME,
    LoadedLog,
    StoredUpdate,
    client_owners,
    ensure_seeded,
    fetch_updates,
    load_log,
    save_snapshot,
    stored_positions,
)
from .yupdate import DecodedUpdate, UpdateRefused, check_against, decode, decode_state_vector

__all__ = [
    "SEED_KIND", "TEXT_NAME", "BadUpdate", "BatchResult", "DecodedUpdate", "Incoming",
    "LoadedLog", "LogUnreadable", "RecordingFailed", "StoredUpdate", "UpdateRefused",
    "check_against", "client_owners", "commit_batch", "decode", "decode_state_vector",
    "ensure_seeded", "fetch_updates", "forget_copies", "load_log", "record", "record_behind",
    "save_snapshot", "stored_positions", "stored_text", "task_status_of", "unrecorded_tasks",
]
