"""The job foundation: a job commits with its cause, and the database worker runs it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from oversight.jobs import enqueue, run_pending_jobs
from tests.jobs import sample_jobs


@pytest.fixture(autouse=True)
def _clear_ran():
    sample_jobs.RAN.clear()


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_rolled_back_transaction_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(sample_jobs.record_word, "lost")
        raise RuntimeError("the cause fails")
    assert DBTaskResult.objects.count() == 0
    assert run_pending_jobs() == 0
    assert sample_jobs.RAN == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_job_runs_once_in_order_and_stores_its_result():
    with transaction.atomic():
        first = enqueue(sample_jobs.record_word, "one")
        enqueue(sample_jobs.record_word, "two")
    assert run_pending_jobs() == 2
    assert run_pending_jobs() == 0
    assert sample_jobs.RAN == ["one", "two"]
    first.refresh()
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value == "ONE"


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_marked_failed_and_does_not_stop_the_others():
    failing = enqueue(sample_jobs.fail_loudly)
    enqueue(sample_jobs.record_word, "after")
    assert run_pending_jobs() == 2
    failing.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert "this job always fails" in failing.errors[0].traceback
    assert sample_jobs.RAN == ["after"]


@pytest.mark.django_db(transaction=True)
def test_queues_can_be_drained_separately():
    enqueue(sample_jobs.fail_loudly)
    enqueue(sample_jobs.record_word, "default queue")
    assert run_pending_jobs(queues=("default",)) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_runs_what_was_enqueued():
    enqueue(sample_jobs.record_word, "worker")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                 "--queue-name", "*", "--interval", "0")
    assert sample_jobs.RAN == ["worker"]
