from django.urls import path

from . import views

urlpatterns = [
    path("groups/<int:group_id>/", views.group_page, name="overlap-group"),
    path("groups/<int:group_id>/ranking/", views.group_ranking, name="overlap-group-ranking"),
    path("<slug:project_slug>/groups/", views.project_groups, name="overlap-groups"),
    path("<slug:project_slug>/groups/overlap/", views.project_overlap_setting,
         name="overlap-setting"),
]
