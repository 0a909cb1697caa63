from django.urls import path

from . import views_webhooks

urlpatterns = [
    path("projects/<slug:slug>/webhooks/", views_webhooks.ProjectWebhooks.as_view(),
         name="project-webhooks"),
    path("webhooks/<int:pk>/", views_webhooks.WebhookDetail.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/deliveries/", views_webhooks.WebhookDeliveries.as_view(),
         name="webhook-deliveries"),
    path("webhooks/<int:pk>/test/", views_webhooks.WebhookTest.as_view(), name="webhook-test"),
    path("webhooks/<int:pk>/deliveries/<int:delivery_id>/redeliver/",
         views_webhooks.DeliveryRedeliver.as_view(), name="webhook-redeliver"),
]
