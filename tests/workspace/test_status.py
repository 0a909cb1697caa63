"""The task status machine through task_transition: every pair of statuses, legal or not."""

import itertools

import pytest

from oversight.workspace import status
from oversight.workspace.services import task_mark_started, task_transition
from oversight.workspace.status import IllegalTransition
from tests.factories import make_project, make_task

STATUSES = [key for key, _ in status.CHOICES]
PAIRS = list(itertools.product(STATUSES, STATUSES))
LEGAL = [(a, b) for a, b in PAIRS if b in status.TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in PAIRS if b not in status.TRANSITIONS[a]]


def test_the_machine_is_the_documented_one():
    assert set(LEGAL) == {
        ("open", "in_progress"), ("in_progress", "submitted"), ("submitted", "approved"),
        ("submitted", "changes_requested"), ("submitted", "rejected"),
        ("changes_requested", "in_progress"),
    }


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_the_message(db, current, target):
    task = make_task(make_project(), status=current)
    with pytest.raises(IllegalTransition) as caught:
        task_transition(task=task, target=target)
    allowed = ", ".join(sorted(status.TRANSITIONS[current])) or "nothing (final)"
    assert str(caught.value) == status.ILLEGAL_TRANSITION.format(
        current=current, target=target, allowed=allowed)
    task.refresh_from_db()
    assert (task.status, task.round) == (current, 1)


@pytest.mark.parametrize(("current", "target"), LEGAL)
def test_every_legal_transition_passes(db, current, target):
    task = make_task(make_project(), status=current)
    task_transition(task=task, target=target)
    task.refresh_from_db()
    assert task.status == target


def test_going_back_to_work_after_changes_requested_starts_a_new_round(db):
    task = make_task(make_project(), status=status.SUBMITTED)
    task_transition(task=task, target=status.CHANGES_REQUESTED)
    assert task.round == 1
    task_transition(task=task, target=status.IN_PROGRESS)
    assert task.round == 2
    task.refresh_from_db()
    assert (task.status, task.round) == (status.IN_PROGRESS, 2)


def test_starting_an_open_task_does_not_add_a_round(db):
    task = task_mark_started(task=make_task(make_project()))
    assert (task.status, task.round) == (status.IN_PROGRESS, 1)
    assert task_mark_started(task=task).status == status.IN_PROGRESS  # already started: no-op
