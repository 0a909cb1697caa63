from django.urls import path

from . import views_experiments as views

urlpatterns = [
    path("projects/<slug:slug>/experiments/", views.ProjectExperiments.as_view(),
         name="project-experiments"),
    path("projects/<slug:slug>/experiments/<int:pk>/", views.ExperimentDetail.as_view(),
         name="experiment-detail"),
    path("projects/<slug:slug>/experiments/<int:pk>/stop/", views.ExperimentStop.as_view(),
         name="experiment-stop-api"),
    path("projects/<slug:slug>/experiments/<int:pk>/report/", views.ExperimentReport.as_view(),
         name="experiment-report"),
]
