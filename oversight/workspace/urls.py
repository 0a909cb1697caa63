from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:task_id>/generate-draft/", views.generate_draft, name="generate-draft"),
]
