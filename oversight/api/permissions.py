"""Object-level permissions shared by the API views."""

from rest_framework.permissions import BasePermission

from oversight.workspace.access import can_view_task, is_overseer


class CanViewTask(BasePermission):
    message = "You are not allowed to see this task."

    def has_object_permission(self, request, view, obj):
        return can_view_task(request.user, obj)



class CanOverseeProject(BasePermission):
    """Reviewers, leads and admins of the project (its writers are refused: 403)."""

    message = "Only the project's reviewers, leads and admins see its experiments."

    def has_object_permission(self, request, view, obj):
        return is_overseer(request.user, obj)
