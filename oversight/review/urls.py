from django.urls import path

from . import views

urlpatterns = [
    path("", views.review_index, name="review-index"),
    path("tasks/<int:task_id>/", views.task_player, name="review-player"),
    path("tasks/<int:task_id>/claim/", views.task_claim, name="review-claim"),
    path("<slug:project_slug>/", views.review_queue, name="review-queue"),
    path("<slug:project_slug>/thresholds/", views.project_thresholds, name="review-thresholds"),
    path("<slug:project_slug>/writers/", views.writer_dashboard, name="review-writers"),
]
