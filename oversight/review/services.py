"""Writes of review: claims on submitted tasks and rubric verdicts."""

from django.db import IntegrityError, transaction

from oversight.judge.models import ModelCritique
from oversight.traces.models import Submission
from oversight.webhooks.events import emit_review
from oversight.workspace import status as task_status
from oversight.workspace.access import is_manager, is_overseer
from oversight.workspace.models import Task
from oversight.workspace.realtime import announce
from oversight.workspace.services import task_transition
from oversight.workspace.task_settings import settings_for

from . import writer_summary
from .assessments import AssessmentError, check_assessments
from .models import Claim, Review
from .selectors import is_round_author

VERDICT_STATUS = {
    Review.APPROVE: task_status.APPROVED,
    Review.REQUEST_CHANGES: task_status.CHANGES_REQUESTED,
    Review.REJECT: task_status.REJECTED,
}

NOT_REVIEWER = "Only the project's reviewers, leads and admins may review."
NOT_SUBMITTED = "Only a submitted task can be reviewed; this one is {status}."
BAD_VERDICT = "Unknown verdict '{verdict}'; expected approve, request_changes or reject."
BAD_SCORE = "Score for '{key}' must be an integer from 1 to 5."
UNKNOWN_PRINCIPLE = "Unknown rubric principle '{key}'; expected one of: {keys}."
MISSING_SCORES = "Score every principle of the rubric; missing: {keys}."
CLAIMED_BY_OTHER = "{user} is already reviewing this task."
COMMENT_NEEDED = "Say what to change: requesting changes needs a comment."
NOT_CLAIMABLE = "Only a submitted task can be claimed; this one is {status}."
NOT_YOUR_CLAIM = "{user} holds this claim; only they or a lead may release it."
SELF_REVIEW = ("You wrote or submitted round {round} of this task, so you may not review it; "
               "another reviewer must (or a lead allows self-review in the project).")
CLAIM_HELD = ("{user} holds the review claim on this task: claim it yourself once they release "
              "it, or, as a lead, pass override_claim to review over it.")
BAD_SCORE_COMMENT = "The comment on '{key}' must be text."
ANCHOR_SHAPE = "Anchored comment {n} needs integer start and end, a quote and a non-empty body."
ANCHOR_RANGE = ("Anchored comment {n}: {start}–{end} is outside the submitted text "
                "({length} characters).")
ANCHOR_QUOTE = "Anchored comment {n}: the quote does not match the submitted text at {start}–{end}."


class ReviewError(ValueError):
    """A refused review action, with a message the reviewer can act on."""


class ReviewForbidden(ReviewError):
    """The user's role does not allow the action (HTTP 403)."""


class ClaimConflict(ReviewError):
    """Someone else holds the task's claim (HTTP 409)."""


def _check_scores(scores: dict, keys: list[str]) -> None:
    for key, value in scores.items():
        if key not in keys:
            raise ReviewError(UNKNOWN_PRINCIPLE.format(key=key, keys=", ".join(keys)))
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ReviewError(BAD_SCORE.format(key=key))
    missing = [k for k in keys if k not in scores]
    if missing:
        raise ReviewError(MISSING_SCORES.format(keys=", ".join(missing)))


def _check_score_comments(score_comments: dict, keys: list[str]) -> None:
    for key, value in score_comments.items():
        if key not in keys:
            raise ReviewError(UNKNOWN_PRINCIPLE.format(key=key, keys=", ".join(keys)))
        if not isinstance(value, str):
            raise ReviewError(BAD_SCORE_COMMENT.format(key=key))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_anchored(anchored: list, final_text: str) -> list[dict]:
    """Return the anchored comments reduced to {start, end, quote, body}, or refuse them."""
    clean = []
    for n, item in enumerate(anchored, start=1):
        if not (isinstance(item, dict) and _is_int(item.get("start")) and _is_int(item.get("end"))
                and isinstance(item.get("quote"), str) and isinstance(item.get("body"), str)
                and item["body"].strip()):
            raise ReviewError(ANCHOR_SHAPE.format(n=n))
        start, end = item["start"], item["end"]
        if not 0 <= start <= end <= len(final_text):
            raise ReviewError(ANCHOR_RANGE.format(n=n, start=start, end=end,
                                                  length=len(final_text)))
        # Offsets count code points, like every offset in a trajectory.
        if final_text[start:end] != item["quote"]:
            raise ReviewError(ANCHOR_QUOTE.format(n=n, start=start, end=end))
        clean.append({"start": start, "end": end, "quote": item["quote"], "body": item["body"]})
    return clean


def _check_critique_assessments(assessments: dict | None, task: Task, scores: dict) -> dict:
    critique = ModelCritique.objects.filter(task=task, round=task.round,
                                            target=ModelCritique.FINAL).first()
    try:
        return check_assessments(assessments or {}, keys=settings_for(task).principle_keys(),
                                 scores=scores, critique=critique)
    except AssessmentError as exc:
        raise ReviewError(str(exc)) from exc


def _check_claim(task: Task, reviewer, override_claim: bool) -> None:
    """Refuse a verdict over someone else's claim, unless a lead overrides it explicitly."""
    holder = Claim.objects.filter(task=task).select_related("reviewer").first()
    if holder is None or holder.reviewer_id == reviewer.pk:
        return
    if override_claim and is_manager(reviewer, task.project):
        return
    raise ClaimConflict(CLAIM_HELD.format(user=holder.reviewer.username))


def review_submit(*, task: Task, reviewer, verdict: str, scores: dict, comment: str = "",
                  score_comments: dict | None = None,
                  anchored_comments: list | None = None,
                  critique_assessments: dict | None = None,
                  override_claim: bool = False) -> Review:
    """Record a rubric verdict on the submitted round and move the task accordingly.

    Refused (403) from anyone who wrote or submitted the round, unless the project allows
    self-review (the review is then marked `self_review`); refused (409) over another
    reviewer's claim unless a lead overrides it.
    """
    if not is_overseer(reviewer, task.project):
        raise ReviewForbidden(NOT_REVIEWER)
    if verdict not in VERDICT_STATUS:
        raise ReviewError(BAD_VERDICT.format(verdict=verdict))
    keys = settings_for(task).principle_keys()  # an experiment's variant may set the rubric
    _check_scores(scores, keys)
    _check_score_comments(score_comments or {}, keys)
    if verdict == Review.REQUEST_CHANGES and not (comment.strip() or anchored_comments):
        raise ReviewError(COMMENT_NEEDED)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status != task_status.SUBMITTED:
            raise ReviewError(NOT_SUBMITTED.format(status=locked.get_status_display().lower()))
        own_work = is_round_author(task=locked, user=reviewer, round_=locked.round)
        if own_work and not task.project.allow_self_review:
            raise ReviewForbidden(SELF_REVIEW.format(round=locked.round))
        _check_claim(locked, reviewer, override_claim)
        final_text = (Submission.objects.filter(task=locked, round=locked.round)
                      .values_list("text", flat=True).first() or "")
        anchored = _check_anchored(anchored_comments or [], final_text)
        assessments = _check_critique_assessments(critique_assessments, locked, scores)
        review = Review.objects.create(
            task=locked, reviewer=reviewer, round=locked.round, verdict=verdict, scores=scores,
            score_comments=score_comments or {}, comment=comment, anchored_comments=anchored,
            critique_assessments=assessments, self_review=own_work)
        task_transition(task=locked, target=VERDICT_STATUS[verdict])
        writer_summary.refresh_writers(task.project, Submission.objects.filter(
            task=locked, round=locked.round).values_list("submitted_by_id", flat=True))
        Claim.objects.filter(task=locked).delete()
        announce(locked.doc_id, {"t": "status", "status": locked.status, "round": locked.round})
        emit_review(task=locked, review=review)
    task.status = locked.status
    return review


def claim_task(*, task: Task, reviewer) -> Claim:
    """Claim a submitted task for review; refuse when someone else holds it."""
    if not is_overseer(reviewer, task.project):
        raise ReviewForbidden(NOT_REVIEWER)
    if task.status != task_status.SUBMITTED:
        raise ReviewError(NOT_CLAIMABLE.format(status=task.get_status_display().lower()))
    existing = Claim.objects.filter(task=task).select_related("reviewer").first()
    if existing and existing.reviewer_id != reviewer.pk:
        raise ClaimConflict(CLAIMED_BY_OTHER.format(user=existing.reviewer.username))
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Claim.objects.create(task=task, reviewer=reviewer)
    except IntegrityError:
        holder = Claim.objects.select_related("reviewer").get(task=task).reviewer.username
        raise ClaimConflict(CLAIMED_BY_OTHER.format(user=holder)) from None


def release_claim(*, task: Task, reviewer) -> None:
    """Give up one's own claim on a task; a lead may release anyone's (a stale claim)."""
    if not is_overseer(reviewer, task.project):
        raise ReviewForbidden(NOT_REVIEWER)
    existing = Claim.objects.filter(task=task).select_related("reviewer").first()
    if existing is None:
        return
    if existing.reviewer_id != reviewer.pk and not is_manager(reviewer, task.project):
        raise ReviewForbidden(NOT_YOUR_CLAIM.format(user=existing.reviewer.username))
    existing.delete()
