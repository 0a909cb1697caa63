"""Who may do what: role look-ups and the task visibility rules, enforced server-side."""

from django.db.models import Q, QuerySet

from .models import Membership, Project, Task

WRITER, REVIEWER, LEAD, ADMIN = (Membership.WRITER, Membership.REVIEWER, Membership.LEAD,
                                 Membership.ADMIN)
MANAGERS = frozenset({LEAD, ADMIN})
OVERSEERS = frozenset({REVIEWER, LEAD, ADMIN})


def role_in(user, project: Project) -> str | None:
    """Return the user's role in the project (superusers are admins), or None."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    cache = getattr(user, "_oversight_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("project_id", "role"))
        user._oversight_roles = cache
    return cache.get(project.pk)


def projects_for(user) -> QuerySet[Project]:
    """Return the projects the user belongs to."""
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user).distinct()


def visible_tasks(user) -> QuerySet[Task]:
    """Return the tasks the user may see: all of a project for overseers, own ones for writers."""
    if user.is_superuser:
        return Task.objects.all()
    # The user's projects read first, as constants: the planner then knows which branch
    # applies and how big it is (a writer's few assignments drive their query; an
    # overseer's walks the project's (project, status, id) index in page order).
    overseen, written = [], []
    for project_id, role in Membership.objects.filter(user=user).values_list("project_id",
                                                                             "role"):
        (overseen if role in OVERSEERS else written if role == WRITER else []).append(
            project_id)
    # A semi-join on the assignments, not a join: no row per assignee, so no DISTINCT
    # (which cost seconds at 100k tasks).
    assigned = Q(project_id__in=written, pk__in=Task.assignees.through.objects.filter(
        user_id=user.pk).values("task_id"))
    if not written:
        return Task.objects.filter(project_id__in=overseen)
    return Task.objects.filter(Q(project_id__in=overseen) | assigned if overseen else assigned)


def can_view_task(user, task: Task) -> bool:
    role = role_in(user, task.project)
    if role in OVERSEERS:
        return True
    return role == WRITER and task.assignees.filter(pk=user.pk).exists()


def can_edit_task(user, task: Task) -> bool:
    """Assigned writers and the project's leads and admins may edit the document."""
    role = role_in(user, task.project)
    if role in MANAGERS:
        return True
    return role == WRITER and task.assignees.filter(pk=user.pk).exists()


def is_manager(user, project: Project) -> bool:
    """Leads and admins manage a project: generate drafts, import, export, set thresholds."""
    return role_in(user, project) in MANAGERS


def is_overseer(user, project: Project) -> bool:
    """Reviewers, leads and admins review a project's work."""
    return role_in(user, project) in OVERSEERS
