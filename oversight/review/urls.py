from django.urls import path

from . import views, views_gold, views_judge, views_webhooks

urlpatterns = [
    path("", views.review_index, name="review-index"),
    path("tasks/<int:task_id>/", views.task_player, name="review-player"),
    path("tasks/<int:task_id>/claim/", views.task_claim, name="review-claim"),
    path("tasks/<int:task_id>/gold/", views_gold.task_gold, name="review-task-gold"),
    path("tasks/<int:task_id>/gold/<int:flaw_id>/delete/", views_gold.flaw_delete,
         name="review-gold-flaw-delete"),
    path("<slug:project_slug>/", views.review_queue, name="review-queue"),
    path("<slug:project_slug>/thresholds/", views.project_thresholds, name="review-thresholds"),
    path("<slug:project_slug>/gold-rate/", views_gold.project_gold_rate,
         name="review-gold-rate"),
    path("<slug:project_slug>/writers/", views.writer_dashboard, name="review-writers"),
    path("<slug:project_slug>/judge/", views_judge.judge_dashboard, name="review-judge"),
    path("<slug:project_slug>/judge/settings/", views_judge.judge_settings,
         name="review-judge-settings"),
    path("<slug:project_slug>/webhooks/", views_webhooks.project_webhooks,
         name="review-webhooks"),
    path("<slug:project_slug>/webhooks/<int:webhook_id>/", views_webhooks.webhook_page,
         name="review-webhook"),
]
