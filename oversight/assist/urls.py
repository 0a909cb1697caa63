from django.urls import path

from . import views

urlpatterns = [
    path("projects/<slug:project_slug>/model-help/", views.project_model_help,
         name="project-model-help"),
]
