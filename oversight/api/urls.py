from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views_drafts, views_export, views_import, views_judge, views_workspace

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("projects/", views_workspace.ProjectList.as_view(), name="project-list"),
    path("projects/<slug:slug>/", views_workspace.ProjectDetail.as_view(),
         name="project-detail"),
    path("projects/<slug:slug>/judge-agreement/", views_judge.ProjectJudgeAgreement.as_view(),
         name="project-judge-agreement"),
    path("tasks/", views_workspace.TaskList.as_view(), name="task-list"),
    path("tasks/<int:pk>/critiques/", views_judge.TaskCritiques.as_view(), name="task-critiques"),
    path("tasks/<int:pk>/critiques/rerun/", views_judge.TaskCritiquesRerun.as_view(),
         name="task-critiques-rerun"),
    path("tasks/<int:pk>/", views_workspace.TaskDetail.as_view(), name="task-detail"),
    path("tasks/bulk/", views_import.TaskBulkImport.as_view(), name="task-bulk-import"),
    path("tasks/<int:pk>/generate-draft/", views_drafts.TaskGenerateDraft.as_view(),
         name="task-generate-draft"),
    path("export/", views_export.TrajectoryExport.as_view(), name="export"),
    path("", include("oversight.api.urls_traces")),
    path("", include("oversight.api.urls_review")),
    path("", include("oversight.api.urls_webhooks")),
]
