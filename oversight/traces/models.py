"""The expert trace: the document's update log, its edit events, checkpoints, notes, submissions.

The update log (DocState, DocUpdate, DocSnapshot, DocClient) is the document people
saw; events are derived from it in order. Its tables keep the names the editor app
gave them (`editor_*`): the models moved here in migration state only.
"""

from django.conf import settings
from django.db import models

from oversight.workspace.models import Task


class EditEvent(models.Model):
    """One change to a task's document, derived from the stored update log in order."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField(help_text="Gapless 1-based position in the trajectory.")
    round = models.PositiveIntegerField(default=1, help_text="Revision round of the change.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    client_id = models.BigIntegerField(default=0, help_text="Yjs client id of the sender.")
    server_ms = models.BigIntegerField(help_text="Server time of the change, ms since the epoch.")
    kind = models.CharField(max_length=40, blank=True,
                            help_text="Kind reported by the editor (CodeMirror userEvent), if any.")
    inferred_kind = models.CharField(max_length=40, help_text="Kind inferred from the delta.")
    ops = models.JSONField(help_text="Delta in code points: [{retain}|{insert}|{delete}].")
    evidence = models.JSONField(
        null=True, blank=True,
        help_text="The browser's true marks (untrusted, silent, after_refocus) and, for "
                  "imported records, their paste_source (core.evidence); null: none seen.")

    class Meta:
        ordering = ["task_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["task", "seq"], name="event_seq_unique")]


class FocusLoss(models.Model):
    """An interval the editor's window or tab had lost focus while its writer was editing."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="focus_losses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    client_id = models.BigIntegerField(default=0, help_text="Yjs client id of the tab.")
    lost_ms = models.BigIntegerField(help_text="Server time focus was lost, ms since the epoch.")
    back_ms = models.BigIntegerField(help_text="Server time focus came back.")

    class Meta:
        ordering = ["task_id", "lost_ms", "id"]


class Checkpoint(models.Model):
    """The full text of a task's document after event `seq` (seq 0 is the draft)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checkpoints")
    seq = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["task_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["task", "seq"], name="checkpoint_seq_unique")]


class Note(models.Model):
    """A writer's reasoning, anchored to the text it explains and the edit it justifies."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    server_ms = models.BigIntegerField(help_text="Server time of writing, ms since the epoch.")
    round = models.PositiveIntegerField(default=1)
    seq = models.PositiveIntegerField(help_text="Trajectory length when the note was written.")
    quote = models.TextField(help_text="The text the note is about, as it was then.")
    start = models.PositiveIntegerField(help_text="Code-point offset of the quote at `seq`.")
    end = models.PositiveIntegerField(help_text="Code-point end offset of the quote at `seq`.")
    anchor = models.JSONField(default=dict, blank=True,
                              help_text="Yjs relative positions {start, end} (base64).")
    principle = models.CharField(max_length=60, blank=True, help_text="Rubric principle key.")
    body = models.TextField(help_text="Why the change was made (markdown).")
    orphaned = models.BooleanField(default=False, help_text="Its text was deleted.")
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["task_id", "seq", "id"]


class NoteVersion(models.Model):
    """Every body a note has had, oldest first."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField()
    principle = models.CharField(max_length=60, blank=True)
    withdrawn = models.BooleanField(default=False)
    server_ms = models.BigIntegerField()

    class Meta:
        ordering = ["note_id", "id"]


class Submission(models.Model):
    """The frozen final artifact of one revision round."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="submissions")
    round = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    events = models.PositiveIntegerField(help_text="Trajectory length at submission.")
    provenance = models.JSONField(
        null=True, blank=True,
        help_text="Runs of the final's origins, frozen at submission (core.provenance).")

    class Meta:
        ordering = ["task_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["task", "round"], name="one_final_per_round")]


# -- the update log: tables named by the editor app, which created them (moved in state only)


class DocState(models.Model):
    """Per-document counters, locked to allocate gapless log positions."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="doc_state",
                                primary_key=True)
    last_position = models.PositiveBigIntegerField(default=0,
                                                   help_text="Position of the newest update.")
    last_seq = models.PositiveIntegerField(default=0, help_text="Newest edit event's seq.")
    recorded_position = models.PositiveBigIntegerField(
        default=0, help_text="Log position up to which edit events are recorded (the recorder's).")

    class Meta:
        db_table = "editor_docstate"
        indexes = [
            # The recorder's work list: only documents whose log is ahead of their events.
            models.Index(fields=["task"], name="docstate_unrecorded",
                         condition=models.Q(last_position__gt=models.F("recorded_position"))),
        ]


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
    evidence = models.JSONField(
        null=True, blank=True,
        help_text="The browser's marks for this update (core.evidence), for its edit event.")

    class Meta:
        db_table = "editor_docupdate"
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
        db_table = "editor_docsnapshot"
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
        db_table = "editor_docclient"
        ordering = ["task_id", "client_id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "client_id"], name="doc_client_unique")
        ]
