from django.urls import path

from . import views

urlpatterns = [
    path("tasks/<int:task_id>/", views.task_editor, name="task-editor"),
]
