from django.urls import path

from . import views, views_tokens

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:task_id>/generate-draft/", views.generate_draft, name="generate-draft"),
    path("account/tokens/", views_tokens.api_tokens, name="api-tokens"),
]
