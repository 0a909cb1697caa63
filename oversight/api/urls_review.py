from django.urls import path

from . import views_review

urlpatterns = [
    path("tasks/<int:pk>/reviews/", views_review.TaskReviews.as_view(), name="task-reviews"),
    path("tasks/<int:pk>/claim/", views_review.TaskClaim.as_view(), name="task-claim"),
    path("tasks/<int:pk>/diff/", views_review.TaskDiff.as_view(), name="task-diff"),
]
