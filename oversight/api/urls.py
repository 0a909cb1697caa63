from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import (
    views_drafts,
    views_export,
    views_import,
    views_judge,
    views_overlap,
    views_verifiers,
    views_workspace,
)
from .responses import api_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # ReDoc's page starts with an inline script (drf-spectacular's template).
    path("redoc/", csp_update({"script-src": [UNSAFE_INLINE]})(
        SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
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
    path("trajectories/bulk/", views_import.TrajectoryBulkImport.as_view(),
         name="trajectory-bulk-import"),
    path("tasks/<int:pk>/generate-draft/", views_drafts.TaskGenerateDraft.as_view(),
         name="task-generate-draft"),
    path("tasks/<int:pk>/verify/", views_verifiers.TaskVerify.as_view(), name="task-verify"),
    path("tasks/<int:pk>/verifier-runs/", views_verifiers.TaskVerifierRuns.as_view(),
         name="task-verifier-runs"),
    path("verifier-runs/<int:pk>/", views_verifiers.VerifierRunDetail.as_view(),
         name="verifier-run-detail"),
    path("groups/<int:pk>/", views_overlap.GroupDetail.as_view(), name="group-detail"),
    path("groups/<int:pk>/ranking/", views_overlap.GroupRanking.as_view(), name="group-ranking"),
    path("export/", views_export.TrajectoryExport.as_view(), name="export"),
    path("", include("oversight.api.urls_traces")),
    path("", include("oversight.api.urls_review")),
    path("", include("oversight.api.urls_webhooks")),
    path("", include("oversight.api.urls_experiments")),
    # Anything else under /api/ (e.g. /api/tasks/abc/) is a 404 in the API's error body.
    re_path(r"^", api_not_found),
]
