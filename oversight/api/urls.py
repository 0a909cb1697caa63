from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views_drafts, views_export, views_import, views_workspace

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("projects/", views_workspace.ProjectList.as_view(), name="project-list"),
    path("tasks/", views_workspace.TaskList.as_view(), name="task-list"),
    path("tasks/<int:pk>/", views_workspace.TaskDetail.as_view(), name="task-detail"),
    path("tasks/bulk/", views_import.TaskBulkImport.as_view(), name="task-bulk-import"),
    path("trajectories/bulk/", views_import.TrajectoryBulkImport.as_view(),
         name="trajectory-bulk-import"),
    path("tasks/<int:pk>/generate-draft/", views_drafts.TaskGenerateDraft.as_view(),
         name="task-generate-draft"),
    path("export/", views_export.TrajectoryExport.as_view(), name="export"),
    path("", include("oversight.api.urls_traces")),
    path("", include("oversight.api.urls_review")),
]
