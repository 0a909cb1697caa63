from django.urls import path

from . import views

urlpatterns = [
    path("<slug:project_slug>/experiments/", views.project_experiments, name="experiments"),
    path("<slug:project_slug>/experiments/<int:experiment_id>/", views.experiment_page,
         name="experiment"),
    path("<slug:project_slug>/experiments/<int:experiment_id>/stop/", views.experiment_stop,
         name="experiment-stop"),
]
