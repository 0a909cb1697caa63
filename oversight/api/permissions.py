"""Object-level permissions shared by the API views."""

from rest_framework.permissions import BasePermission

from oversight.workspace.access import can_view_task


class CanViewTask(BasePermission):
    message = "You are not allowed to see this task."

    def has_object_permission(self, request, view, obj):
        return can_view_task(request.user, obj)

