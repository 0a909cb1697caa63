"""Projects, memberships, tasks and the model drafts tasks start from."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oversight.core.thresholds import thresholds_in_force
from oversight.core.verifier_spec import verifier_problems

from . import status as task_status

# Most writers one imported task goes to independently (overlap siblings).
MAX_OVERLAP = 20


def check_verifier(value) -> None:
    """Refuse an invalid verifier spec (admin forms call this through `clean`)."""
    if value is None:
        return
    _, errors = verifier_problems(value)
    if errors:
        raise ValidationError({"verifier": errors})


class Project(models.Model):
    PROSE = "prose"
    CODE = "code"
    KIND_CHOICES = [(PROSE, "Prose"), (CODE, "Code")]

    name = models.CharField(max_length=200, help_text="Human-readable project name.")
    slug = models.SlugField(unique=True, help_text="Stable identifier used in URLs and the API.")
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=PROSE,
                            help_text="Whether writers edit prose or code.")
    language = models.CharField(max_length=40, default="markdown",
                                help_text="Editor language mode: markdown, python, javascript, …")
    instructions = models.TextField(blank=True, help_text="Instructions for writers (markdown).")
    rubric = models.JSONField(default=list, blank=True,
                              help_text="Ordered principles: [{key, name, question}].")
    signal_thresholds = models.JSONField(default=dict, blank=True,
                                         help_text="Overrides of the quality-flag thresholds.")
    notes_per_changed_chars = models.PositiveIntegerField(
        default=0, help_text="Require a reasoning note per this many changed characters (0: off).")
    ai_critique = models.BooleanField(
        default=False, help_text="Ask the judge model to critique each submitted final and its "
                                 "draft against the rubric (a background job).")
    judge_model = models.CharField(
        max_length=200, blank=True,
        help_text="Model that critiques (blank: the draft provider's model).")
    MODEL_HELP_OFF = "off"
    MODEL_HELP_CRITIQUE = "critique"
    MODEL_HELP_ALL = "all"
    MODEL_HELP_CHOICES = [(MODEL_HELP_OFF, "Off"), (MODEL_HELP_CRITIQUE, "Critique only"),
                          (MODEL_HELP_ALL, "All actions")]
    model_help = models.CharField(
        max_length=10, choices=MODEL_HELP_CHOICES, default=MODEL_HELP_OFF,
        help_text="Model help in the editor: off, critique only, or every action.")
    assist_daily_budget = models.PositiveIntegerField(
        default=30, help_text="Model-help requests each writer may make per day (UTC).")
    allow_self_review = models.BooleanField(
        default=False, help_text="Let a reviewer review a round they wrote or submitted "
                                 "(such reviews are marked in the export).")
    verifier = models.JSONField(null=True, blank=True, help_text=(
        "Default verifier spec for the project's tasks (oversight.core.verifier_spec)."))
    require_green_tests = models.BooleanField(
        default=False, help_text="Submitting requires the final text to pass every test.")
    gold_rate = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
        help_text="Share of each writer's assignments that are gold tasks (0: none; at most 0.5).")
    overlap = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_OVERLAP)],
        help_text="Writers each imported task goes to independently (1: no overlap); "
                  "an import line's own `overlap` wins.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        check_verifier(self.verifier)

    def thresholds(self) -> dict:
        """Return the flag thresholds in force: defaults overridden by the project's own."""
        return thresholds_in_force(self.signal_thresholds)

    def principle_keys(self) -> list[str]:
        return [p["key"] for p in self.rubric or []]


class Membership(models.Model):
    WRITER = "writer"
    REVIEWER = "reviewer"
    LEAD = "lead"
    ADMIN = "admin"
    ROLE_CHOICES = [(WRITER, "Writer"), (REVIEWER, "Reviewer"), (LEAD, "Lead"), (ADMIN, "Admin")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES, help_text="Role in this project.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="one_role_per_project")
        ]

    def __str__(self):
        return f"{self.user} {self.role} in {self.project}"


class OverlapGroup(models.Model):
    """Sibling tasks of one prompt and draft, each written by another writer independently."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="overlap_groups")
    external_id = models.CharField(max_length=200, help_text="The import line's external_id.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"],
                                    name="overlap_group_unique_per_project")
        ]

    def __str__(self):
        return f"{self.project.slug}/{self.external_id} (overlap)"


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    external_id = models.CharField(max_length=200, help_text="Caller's id, unique per project.")
    prompt = models.TextField(help_text="What the model was asked.")
    metadata = models.JSONField(default=dict, blank=True, help_text="Free-form caller metadata.")
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="assigned_tasks")
    status = models.CharField(max_length=20, choices=task_status.CHOICES, default=task_status.OPEN,
                              db_index=True)
    round = models.PositiveIntegerField(default=1, help_text="Current revision round (1-based).")
    doc_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False,
                              help_text="The task's editor room.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True,
                                     help_text="When the task's document was first opened.")
    verifier = models.JSONField(null=True, blank=True, help_text=(
        "The task's tests, a verifier spec (oversight.core.verifier_spec); "
        "none: the project's default."))
    group = models.ForeignKey(OverlapGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tasks",
                              help_text="The overlap group of sibling tasks (none: no overlap).")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"],
                                    name="external_id_unique_per_project")
        ]
        # The lists' orders (by id within a project, filtered by status or not): the
        # task list API's pages, the home page's table and its counts by status.
        indexes = [models.Index(fields=["project", "status", "id"], name="task_project_status"),
                   models.Index(fields=["project", "id"], name="task_project_order")]

    def __str__(self):
        return f"{self.project.slug}/{self.external_id}"

    @property
    def is_editable(self) -> bool:
        return self.status in task_status.EDITABLE

    def clean(self):
        check_verifier(self.verifier)

    def verifier_spec(self) -> dict | None:
        """The tests in force: the task's own, else the project's default."""
        return self.verifier or self.project.verifier or None


class Draft(models.Model):
    IMPORTED = "imported"
    GENERATED = "generated"
    SOURCE_CHOICES = [(IMPORTED, "Imported"), (GENERATED, "Generated")]

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="draft")
    text = models.TextField(help_text="The model output the task starts from; never changed.")
    model = models.CharField(max_length=200, blank=True, help_text="Model that wrote the draft.")
    params = models.JSONField(default=dict, blank=True, help_text="Generation parameters.")
    source = models.CharField(max_length=10, choices=SOURCE_CHOICES, default=IMPORTED)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"draft of {self.task}"

    def save(self, *args, **kwargs):
        # A draft is one half of every preference pair: once stored, it never changes.
        if self.pk and Draft.objects.filter(pk=self.pk).exclude(text=self.text).exists():
            raise ValueError("A task's draft is immutable once stored.")
        super().save(*args, **kwargs)


class GoldFlaw(models.Model):
    """A flaw planted in a gold task's draft: a task with any is gold (never shown to writers)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="gold_flaws")
    start = models.PositiveIntegerField(help_text="Code-point offset of the flaw in the draft.")
    end = models.PositiveIntegerField(help_text="Code-point end offset (exclusive).")
    description = models.CharField(max_length=500, help_text="What is wrong there.")
    test = models.CharField(max_length=200, blank=True, help_text=(
        "For code with a verifier: the planted failing test that must pass on the final."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_id", "start", "id"]

    def __str__(self):
        return f"flaw {self.start}–{self.end} of {self.task}"

    def as_dict(self) -> dict:
        return {"id": self.pk, "start": self.start, "end": self.end,
                "description": self.description, "test": self.test}
