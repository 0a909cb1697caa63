"""Announce domain changes (notes, status) to a task's live editor room, after commit.

The editor subscribes each loaded room to its task's group; the domain never
imports the editor, it only announces here. Announcements go out on commit
(Zulip's send_event_on_commit): nobody hears of a change that was rolled back.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger("oversight.realtime")


def room_group(doc_id) -> str:
    """Return the channel-layer group of a document's room(s), in every process."""
    return f"doc-{doc_id}"


def announce(doc_id, data: dict) -> None:
    """Send `data` to the document's rooms once the current transaction commits."""

    def send():
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(room_group(doc_id), {"type": "doc.announce",
                                                                  "data": data})
        except Exception:  # a lost announcement must not fail the request that caused it
            log.exception("could not announce %s to room %s", data.get("t"), doc_id)

    transaction.on_commit(send)
