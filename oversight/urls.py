from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oversight.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("oversight.api.urls")),
    path("review/", include("oversight.overlap.urls")),
    path("review/", include("oversight.experiments.urls")),
    path("review/", include("oversight.review.urls")),
    path("", include("oversight.assist.urls")),
    path("", include("editor.urls")),
    path("", include("oversight.workspace.urls")),
]

# Styled error pages when DEBUG is off (with DEBUG on, oversight.errorpages' middleware).
handler400 = "oversight.errorpages.bad_request"
handler403 = "oversight.errorpages.permission_denied"
handler404 = "oversight.errorpages.page_not_found"
handler500 = "oversight.errorpages.server_error"
