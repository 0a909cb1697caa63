"""A variant's settings apply to its tasks: model help, notes, green tests, rubric, draft model."""

import pytest
from django.urls import reverse

from oversight.assist.services import AssistError, assist_start
from oversight.review.services import ReviewError, review_submit
from oversight.traces.services import notes_missing
from oversight.verifiers.services import NOT_RUN, green_problem
from oversight.workspace.drafting import provider_for
from oversight.workspace.models import Membership, Project
from oversight.workspace.task_settings import settings_for
from tests.experiments.helpers import import_n, start, variant_names
from tests.factories import add_member, make_project, make_user
from tests.review.traces import Recorder, submit

SPEC = {"kind": "pytest", "module": "solution",
        "files": {"test_solution.py": "from solution import f\ndef test_f():\n    assert f()\n"}}
CLARITY = [{"key": "clarity", "name": "Clarity", "question": "Is it clear?"}]
VARIANTS = [
    {"name": "plain", "settings": {}},
    {"name": "strict", "settings": {"model_help": "off", "notes_per_changed_chars": 10,
                                    "require_green_tests": True, "rubric": CLARITY,
                                    "draft_model": "model-b", "draft_temperature": 0.2}},
]


@pytest.fixture
def world(db, settings):
    settings.DRAFT_PROVIDER = {"BASE_URL": "http://127.0.0.1:9/v1", "MODEL": "model-a"}
    project = make_project(slug="applied", model_help=Project.MODEL_HELP_ALL)
    Project.objects.filter(pk=project.pk).update(verifier=SPEC)
    project.refresh_from_db()
    writer, reviewer = make_user("writer"), make_user("reviewer")
    add_member(writer, project, Membership.WRITER)
    add_member(reviewer, project, Membership.REVIEWER)
    start(project, variants=VARIANTS, seed=1)
    tasks = import_n(project, 2, assignees=[["writer"], ["writer"]])
    by_name = dict(zip(variant_names(tasks), tasks, strict=True))
    return {"plain": by_name["plain"], "strict": by_name["strict"], "writer": writer,
            "reviewer": reviewer, "project": project}


def test_settings_in_force_are_the_variants_over_the_projects(world):
    plain, strict = settings_for(world["plain"]), settings_for(world["strict"])
    assert (plain.model_help, plain.notes_per_changed_chars, plain.require_green_tests) == (
        "all", 0, False)
    assert (strict.model_help, strict.notes_per_changed_chars, strict.require_green_tests) == (
        "off", 10, True)
    assert strict.rubric == CLARITY and plain.rubric == world["project"].rubric


def test_model_help_is_hidden_and_refused_when_the_variant_turns_it_off(world, client):
    client.force_login(world["writer"])
    plain = client.get(reverse("task-editor", args=[world["plain"].pk])).content.decode()
    strict = client.get(reverse("task-editor", args=[world["strict"].pk])).content.decode()
    assert 'id="panel-assist"' in plain and 'id="panel-assist"' not in strict
    assert '"modelHelp": "off"' in strict and "Clarity" in strict
    with pytest.raises(AssistError) as refused:
        assist_start(task=world["strict"], user=world["writer"], action="critique", start=0,
                     end=3, provider=provider_for(world["strict"]))
    assert refused.value.code == "model_help_off"


def test_the_variant_requires_notes_and_green_tests_to_submit(world):
    assert notes_missing(world["plain"], 50) is None
    assert "note" in notes_missing(world["strict"], 50)
    assert green_problem(world["plain"], "x") is None
    assert green_problem(world["strict"], "x") == NOT_RUN


def test_drafts_are_generated_with_the_variants_model_and_temperature(world):
    plain, strict = provider_for(world["plain"]), provider_for(world["strict"])
    assert plain.model == "model-a"
    assert (strict.model, strict.temperature) == ("model-b", 0.2)


def test_reviews_score_the_variants_rubric(world):
    for name in ("plain", "strict"):
        Recorder(world[name]).type(world["writer"], " Edited.")
    submit(world["plain"], world["writer"])
    # The strict variant requires green tests (no runner here): store its final directly.
    from oversight.traces.models import Submission
    from oversight.workspace.models import Task

    Submission.objects.create(task=world["strict"], round=1, text="t", sha256="0" * 64,
                              submitted_by=world["writer"], events=8)
    Task.objects.filter(pk=world["strict"].pk).update(status="submitted")
    world["strict"].refresh_from_db()
    with pytest.raises(ReviewError):
        review_submit(task=world["strict"], reviewer=world["reviewer"], verdict="approve",
                      scores={"factual": 4})
    review = review_submit(task=world["strict"], reviewer=world["reviewer"],
                           verdict="approve", scores={"clarity": 4})
    assert review.scores == {"clarity": 4}
    with pytest.raises(ReviewError):
        review_submit(task=world["plain"], reviewer=world["reviewer"], verdict="approve",
                      scores={"clarity": 4})
