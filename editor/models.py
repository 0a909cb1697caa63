"""The durable side of a document: its append-only update log and compacted snapshots."""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Task


class DocState(models.Model):
    """Per-document counters, locked to allocate gapless log positions."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="doc_state",
                                primary_key=True)
    last_position = models.PositiveBigIntegerField(default=0,
                                                   help_text="Position of the newest update.")
    last_seq = models.PositiveIntegerField(default=0, help_text="Newest edit event's seq.")


class DocUpdate(models.Model):
    """One Yjs update as a client sent it, in the order the server stored it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="doc_updates")
    position = models.PositiveBigIntegerField(help_text="Gapless 1-based position in the log.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    client_id = models.BigIntegerField(default=0)
    server_ms = models.BigIntegerField()
    data = models.BinaryField()
    reported_kind = models.CharField(max_length=40, blank=True)
    round = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["task_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="update_position_unique")
        ]


class DocSnapshot(models.Model):
    """The merged state of a document after update `position`."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="doc_snapshots")
    position = models.PositiveBigIntegerField()
    state = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "position"]


class DocClient(models.Model):
    """A Yjs client id used in a document, bound to the user who first wrote with it.

    Only that user's connections may add structs under the id; `user` is null for
    the draft's seed (nobody may extend it) and for a deleted user.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="doc_clients")
    client_id = models.BigIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    first_position = models.PositiveBigIntegerField(
        help_text="Log position of the first update that used the id.")

    class Meta:
        ordering = ["task_id", "client_id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "client_id"], name="doc_client_unique")
        ]
