"""Jobs the job-framework tests enqueue (a job must be importable by its module path)."""

from django_tasks import task

RAN: list[str] = []


@task(queue_name="default")
def record_word(word: str) -> str:
    RAN.append(word)
    return word.upper()


@task(queue_name="webhooks")
def fail_loudly() -> None:
    raise RuntimeError("this job always fails")
