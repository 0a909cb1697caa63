from django.urls import path

from . import views_assist, views_player, views_traces

urlpatterns = [
    path("tasks/<int:pk>/notes/", views_traces.TaskNotes.as_view(), name="task-notes"),
    path("notes/<int:pk>/", views_traces.NoteDetail.as_view(), name="note-detail"),
    path("tasks/<int:pk>/submit/", views_traces.TaskSubmit.as_view(), name="task-submit"),
    path("tasks/<int:pk>/trajectory/", views_traces.TaskTrajectory.as_view(),
         name="task-trajectory"),
    path("tasks/<int:pk>/trajectory/overview/", views_player.TrajectoryOverview.as_view(),
         name="task-trajectory-overview"),
    path("tasks/<int:pk>/trajectory/events/", views_player.TrajectoryEvents.as_view(),
         name="task-trajectory-events"),
    path("tasks/<int:pk>/text/", views_traces.TaskTextAt.as_view(), name="task-text-at"),
    path("tasks/<int:pk>/provenance/", views_traces.TaskProvenance.as_view(),
         name="task-provenance"),
    path("tasks/<int:pk>/assists/", views_assist.TaskAssists.as_view(), name="task-assists"),
    path("assists/<int:pk>/decide/", views_assist.AssistDecide.as_view(), name="assist-decide"),
    path("tasks/<int:pk>/metrics/", views_traces.TaskMetrics.as_view(), name="task-metrics"),
]
