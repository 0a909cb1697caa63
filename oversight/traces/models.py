"""The expert trace: edit events, text checkpoints, reasoning notes and submissions."""

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
