"""Every export record of an experiment's task names its experiment and variant."""

import pytest

from oversight.api.export import export_records
from oversight.api.export_selectors import ExportFilters
from oversight.api.records import related_rows, trajectory_record
from oversight.core.formats import FORMATS
from oversight.workspace.models import Membership
from tests.api.reference_record import reference_record
from tests.experiments.helpers import import_n, start, variant_names
from tests.factories import add_member, make_project, make_user
from tests.review.traces import Recorder, submit


@pytest.mark.django_db
def test_records_of_assigned_tasks_carry_meta_experiment_and_variant():
    project = make_project(slug="exported")
    writer = make_user("w")
    add_member(writer, project, Membership.WRITER)
    outside = import_n(project, 1, prefix="before", assignees=[["w"]])[0]
    experiment = start(project, seed=4)
    tasks = import_n(project, 4, assignees=[["w"]] * 4)
    for task in [outside, *tasks]:
        Recorder(task).type(writer, " More.")
        submit(task, writer)
    expected = dict(zip([t.pk for t in tasks], variant_names(tasks), strict=True))
    related = related_rows([outside.pk, *expected])
    for task in tasks:
        full = reference_record(task)
        assert full["experiment"] == {"id": experiment.pk, "name": "Try B",
                                      "variant": expected[task.pk]}
        assert trajectory_record(task, related=related) == full
    assert trajectory_record(outside)["experiment"] is None
    for fmt in FORMATS:
        if fmt == "trajectory":  # the record itself, checked above
            continue
        records = list(export_records(projects=[project], fmt=fmt,
                                      filters=ExportFilters(statuses=None)))
        # judgement needs verdicts and assist model-help requests: none here
        assert records or fmt in ("judgement", "assist"), fmt
        for record in records:
            task_id = record["meta"]["task_id"]
            assert record["meta"]["experiment"] == (experiment.pk if task_id in expected
                                                    else None), fmt
            assert record["meta"]["variant"] == expected.get(task_id), fmt
