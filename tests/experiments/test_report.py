"""The report over real traces: it finds a known effect, sees none in a null fixture, and
freezes when the experiment stops; the page and the API serve the same figures."""

import re

import pytest
from django.urls import reverse

from oversight.core.signals import changed_fraction
from oversight.experiments.models import Experiment
from oversight.experiments.report import experiment_report
from oversight.experiments.services import experiment_stop
from oversight.review.services import review_submit
from oversight.workspace.models import Membership
from tests.experiments.helpers import import_n, lead_of, start, variant_names
from tests.factories import add_member, make_project, make_user, token_for
from tests.review.traces import Recorder, submit

DRAFT = "The model's draft answer, which is not quite right yet."  # 55 characters
PER_VARIANT = 8


def metric(report: dict, key: str) -> dict:
    return next(m for m in report["metrics"] if m["key"] == key)


def run(project, *, b_extra: int, seed: int = 21):
    """Tasks of A append 4–6 characters; B's append `b_extra` more: a known effect."""
    writer, reviewer = make_user(f"w-{project.slug}"), make_user(f"r-{project.slug}")
    add_member(writer, project, Membership.WRITER)
    add_member(reviewer, project, Membership.REVIEWER)
    lead = lead_of(project)
    experiment = start(project, seed=seed, user=lead)
    tasks = import_n(project, 2 * PER_VARIANT, draft=DRAFT,
                     assignees=[[writer.username]] * (2 * PER_VARIANT))
    truth: dict[str, list[float]] = {"A": [], "B": []}
    for task, name in zip(tasks, variant_names(tasks), strict=True):
        typed = "x" * (4 + len(truth[name]) % 3 + (b_extra if name == "B" else 0))
        Recorder(task).type(writer, typed)
        submit(task, writer)
        truth[name].append(changed_fraction(DRAFT, DRAFT + typed))
        review_submit(task=task, reviewer=reviewer, verdict="approve",
                      scores={"serves-the-need": 4, "no-extras": 4, "factual": 3})
    return experiment, truth, lead


def mean(values):
    return sum(values) / len(values)


@pytest.mark.django_db
def test_the_report_finds_a_known_effect_and_its_interval_covers_the_true_value():
    experiment, truth, _ = run(make_project(slug="effect"), b_extra=20)
    report = experiment_report(experiment)
    changed = metric(report, "changed_fraction")
    a, b = changed["variants"]
    assert (a["n"], b["n"]) == (PER_VARIANT, PER_VARIANT)
    assert a["mean"] == pytest.approx(mean(truth["A"]), abs=1e-6)
    assert b["mean"] == pytest.approx(mean(truth["B"]), abs=1e-6)
    (diff,) = changed["differences"]
    true_difference = mean(truth["B"]) - mean(truth["A"])
    assert diff["difference"] == pytest.approx(true_difference, abs=1e-6)
    assert diff["low"] <= true_difference <= diff["high"] and diff["excludes_zero"]
    assert changed["conclusion"].startswith("B is higher than A by")
    rubric = metric(report, "rubric_average")
    assert [v["mean"] for v in rubric["variants"]] == [pytest.approx(11 / 3)] * 2
    assert [v["mean"] for v in metric(report, "approved")["variants"]] == [1.0, 1.0]
    assert metric(report, "verifier_passed")["conclusion"].startswith("Too few data")
    assert [v["assigned"] for v in report["variants"]] == [PER_VARIANT, PER_VARIANT]


@pytest.mark.django_db
def test_a_null_fixture_reports_no_difference():
    experiment, truth, _ = run(make_project(slug="null"), b_extra=0)
    changed = metric(experiment_report(experiment), "changed_fraction")
    (diff,) = changed["differences"]
    assert diff["difference"] == pytest.approx(0, abs=1e-9)
    assert not diff["excludes_zero"] and changed["conclusion"].startswith("No clear difference")


@pytest.mark.django_db
def test_stopping_freezes_the_report_later_work_does_not_change_it():
    project = make_project(slug="frozen")
    experiment, truth, lead = run(project, b_extra=10)
    late = import_n(project, 2, prefix="late", draft=DRAFT)  # still running: assigned
    stopped = experiment_stop(experiment=experiment, user=lead)
    frozen = stopped.frozen_report
    assert frozen["frozen"] is True and frozen["experiment"]["status"] == "stopped"
    writer = make_user("late-writer")
    add_member(writer, project, Membership.WRITER)
    for task in late:
        task.assignees.add(writer)
        Recorder(task).type(writer, "y" * 40)
        submit(task, writer)
    again = Experiment.objects.get(pk=experiment.pk)
    assert experiment_report(again) == frozen
    live = experiment_report(again, live=True)
    assert sum(v["submitted"] for v in live["variants"]) == 2 * PER_VARIANT + 2
    assert sum(v["submitted"] for v in frozen["variants"]) == 2 * PER_VARIANT


def page_figures(html: str) -> dict:
    """{metric key: [(row, figure, text)]} read off the page's figure tables."""
    figures = {}
    for key, body in re.findall(r'data-metric="([a-z_]+)".*?<tbody>(.*?)</tbody>', html, re.S):
        rows = re.findall(r'<tr[^>]*data-(?:variant|difference)="([^"]+)"[^>]*>(.*?)</tr>',
                          body, re.S)
        figures[key] = [(row, fig, text.strip()) for row, cells in rows
                        for fig, text in re.findall(r'data-figure="(\w+)" data-value="([^"]*)"',
                                                    cells)]
    return figures


def _text(value) -> str:
    return "None" if value is None else str(value)


@pytest.mark.django_db
def test_the_api_serves_the_figures_the_page_shows(client):
    from rest_framework.test import APIClient

    project = make_project(slug="same")
    experiment, _, lead = run(project, b_extra=12)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_for(lead)}")
    url = f"/api/projects/same/experiments/{experiment.pk}/report/"
    report = api.get(url).json()
    client.force_login(lead)
    html = client.get(reverse("experiment", args=["same", experiment.pk])).content.decode()
    shown = page_figures(html)
    assert set(shown) == {m["key"] for m in report["metrics"]}
    for m in report["metrics"]:
        expected = []
        for row in m["variants"]:
            ci = f"{_text(row['low'])} {_text(row['high'])}"
            expected += [(row["variant"], "n", str(row["n"])),
                         (row["variant"], "mean", _text(row["mean"])),
                         (row["variant"], "ci", ci)]
        for d in m["differences"]:
            ci = f"{_text(d['low'])} {_text(d['high'])}"
            expected += [(d["variant"], "difference", _text(d["difference"])),
                         (d["variant"], "ci", ci)]
        assert shown[m["key"]] == expected, m["key"]
        assert m["conclusion"] in html.replace("&#x27;", "'")
    assert api.get(url).json()["metrics"] == report["metrics"]  # seeded: the same again
