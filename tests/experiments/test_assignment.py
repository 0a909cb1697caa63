"""New tasks join the running experiment: seeded, recorded, balanced; writers keep theirs."""

from collections import Counter

import pytest

from oversight.experiments.blocks import variant_index
from oversight.experiments.models import TaskVariant, WriterVariant
from oversight.experiments.services import ExperimentError, experiment_stop
from oversight.workspace.models import Membership
from tests.experiments.helpers import AB, import_n, lead_of, start, variant_names
from tests.factories import add_member, make_project, make_user

THREE = [*AB, {"name": "C", "settings": {"model_help": "off"}}]


def test_the_same_seed_gives_the_same_sequence_and_another_seed_another():
    one = [variant_index(11, i, 3) for i in range(60)]
    assert one == [variant_index(11, i, 3) for i in range(60)]
    assert one != [variant_index(12, i, 3) for i in range(60)]


@pytest.mark.parametrize("variants", [2, 3, 5])
def test_counts_differ_by_at_most_one_after_every_unit(variants):
    counts = [0] * variants
    for position in range(200):
        counts[variant_index(99, position, variants)] += 1
        assert max(counts) - min(counts) <= 1, (position, counts)


def test_each_block_is_a_permutation_of_the_variants():
    for block in range(20):
        assert sorted(variant_index(5, block * 4 + i, 4) for i in range(4)) == [0, 1, 2, 3]


@pytest.mark.django_db
def test_imported_tasks_are_assigned_recorded_and_balanced():
    project = make_project(slug="exp")
    experiment = start(project, variants=THREE, seed=42)
    tasks = import_n(project, 7) + import_n(project, 5, prefix="u")  # two imports
    names = variant_names(tasks)
    assert None not in names
    assert max(Counter(names).values()) - min(Counter(names).values()) <= 1
    positions = list(TaskVariant.objects.filter(experiment=experiment)
                     .order_by("task_id").values_list("position", flat=True))
    assert positions == list(range(12))
    expected = [THREE[variant_index(42, i, 3)]["name"] for i in range(12)]
    assert names == expected


@pytest.mark.django_db
def test_the_same_seed_assigns_the_same_way_in_another_project():
    first, second = make_project(slug="one"), make_project(slug="two")
    start(first, seed=3)
    start(second, seed=3)
    assert variant_names(import_n(first, 10)) == variant_names(import_n(second, 10))


@pytest.mark.django_db
def test_under_unit_writer_all_of_a_writers_tasks_get_the_writers_variant():
    project = make_project(slug="wr")
    writers = [make_user(f"w{i}") for i in range(4)]
    for w in writers:
        add_member(w, project, Membership.WRITER)
    experiment = start(project, unit="writer", seed=8)
    owners = [[writers[i % 4].username] for i in range(12)]
    tasks = import_n(project, 12, assignees=owners)
    later = import_n(project, 4, prefix="later", assignees=owners[:4])
    by_writer = {}
    for task, name in zip(tasks + later, variant_names(tasks + later), strict=True):
        by_writer.setdefault(task.assignees.get().username, set()).add(name)
    assert all(len(names) == 1 for names in by_writer.values()), by_writer
    counts = Counter(WriterVariant.objects.filter(experiment=experiment)
                     .values_list("variant__name", flat=True))
    assert counts == {"A": 2, "B": 2}  # four writers in two balanced blocks
    unowned = import_n(project, 2, prefix="nobody")
    assert variant_names(unowned) == [None, None]


@pytest.mark.django_db
def test_after_stop_tasks_keep_their_variant_and_new_tasks_get_none():
    project = make_project(slug="stop")
    lead = lead_of(project, "boss")
    experiment = start(project, user=lead)
    before = import_n(project, 4)
    names = variant_names(before)
    experiment_stop(experiment=experiment, user=lead)
    assert variant_names(before) == names
    assert variant_names(import_n(project, 3, prefix="after")) == [None] * 3
    with pytest.raises(ExperimentError) as refused:
        experiment_stop(experiment=experiment, user=lead)
    assert refused.value.status == 409


@pytest.mark.django_db
def test_one_running_experiment_per_project_and_definitions_are_checked():
    project = make_project(slug="one-at-a-time")
    lead = lead_of(project)
    start(project, user=lead)
    with pytest.raises(ExperimentError) as running:
        start(project, user=lead)
    assert running.value.status == 409
    other = make_project(slug="checked")
    with pytest.raises(ExperimentError) as invalid:
        start(other, variants=[{"name": "A", "settings": {"model_help": "maybe"}}])
    assert invalid.value.status == 400
    assert "at least two" in str(invalid.value) and "model_help" in str(invalid.value)
