"""The signals job, on the `default` queue: refresh a project's stored signals in the background.

A lead's threshold change makes every stored row of the project stale; reads compute
stale signals on the fly (and store nothing), so this job restores the store without
any GET writing.
"""

from django_tasks import task

from oversight.workspace.models import Project, Task

from . import writer_summary
from .metrics import store_signals


@task(queue_name="default")
def refresh_project_signals(project_id: int) -> str:
    """Store fresh signals for each of the project's submitted tasks; return how many."""
    project = Project.objects.get(pk=project_id)
    tasks = (Task.objects.filter(project_id=project_id, submissions__isnull=False)
             .distinct().order_by("pk"))
    count = 0
    for one in tasks.iterator():
        store_signals(one, summarise=False)
        count += 1
    writer_summary.refresh_project(project)  # once, not once per task
    return f"{count} tasks"
