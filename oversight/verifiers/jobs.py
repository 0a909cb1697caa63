"""The verifier run job, on its own queue so workers can be given to it alone."""

from django_tasks import task


@task(queue_name="verifiers")
def verifier_run_job(run_id: int) -> str:
    from .services import run_execute

    return run_execute(run_id=run_id)
