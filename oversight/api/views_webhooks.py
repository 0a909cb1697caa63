"""Webhooks over HTTP: a project's leads list, create, change and delete them, read the log,
send a test event and redeliver."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from oversight.webhooks import selectors, services
from oversight.workspace.access import is_manager, role_in
from oversight.workspace.models import Project

from .pagination import DefaultCursorPagination
from .responses import error_response
from .serializers_webhooks import (
    DeliverySerializer,
    WebhookCreateSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)

NO_PROJECT = "No project '{slug}'."
NO_WEBHOOK = "No webhook {id}."
NO_DELIVERY = "Webhook {webhook} has no delivery {id}."
NOT_A_LEAD = "Only the project's leads and admins manage its webhooks; you are a {role}."

ERRORS = {
    400: OpenApiResponse(description="Invalid URL, events or secret; the message says which."),
    403: OpenApiResponse(description="A member of the project, but not one of its leads."),
    404: OpenApiResponse(description="No such project or webhook, or not a member of it."),
}
SENDING = {**ERRORS, 409: OpenApiResponse(description="The webhook is inactive.")}


class NewestFirst(DefaultCursorPagination):
    ordering = "-id"


def _check_lead(user, project) -> None:
    """Outsiders learn nothing (404); members who are not leads are told why (403)."""
    role = role_in(user, project)
    if role is None:
        raise NotFound(NO_PROJECT.format(slug=project.slug))
    if not is_manager(user, project):
        raise PermissionDenied(NOT_A_LEAD.format(role=role))


def led_project(request, slug: str) -> Project:
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise NotFound(NO_PROJECT.format(slug=slug))
    _check_lead(request.user, project)
    return project


def led_webhook(request, pk: int):
    webhook = selectors.webhook_get(webhook_id=pk)
    if webhook is None or role_in(request.user, webhook.project) is None:
        raise NotFound(NO_WEBHOOK.format(id=pk))
    _check_lead(request.user, webhook.project)
    return webhook


def _refuse(exc: services.WebhookError):
    if isinstance(exc, services.WebhookConflict):
        return error_response(status=status.HTTP_409_CONFLICT, code="inactive", message=str(exc))
    raise ValidationError({"detail": str(exc)}, code="invalid") from exc


class ProjectWebhooks(APIView):
    """The project's webhooks (leads and admins)."""

    @extend_schema(responses={200: WebhookSerializer(many=True), **ERRORS})
    def get(self, request, slug):
        project = led_project(request, slug)
        return Response(WebhookSerializer(selectors.webhooks_of(project=project),
                                          many=True).data)

    @extend_schema(request=WebhookCreateSerializer, responses={201: WebhookSerializer, **ERRORS})
    def post(self, request, slug):
        project = led_project(request, slug)
        data = WebhookCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            webhook = services.webhook_create(project=project, user=request.user,
                                              **data.validated_data)
        except services.WebhookError as exc:
            return _refuse(exc)
        return Response(WebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetail(APIView):
    """One webhook: read, change (only the fields given) or delete it."""

    @extend_schema(responses={200: WebhookSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(WebhookSerializer(led_webhook(request, pk)).data)

    @extend_schema(request=WebhookUpdateSerializer, responses={200: WebhookSerializer, **ERRORS})
    def patch(self, request, pk):
        webhook = led_webhook(request, pk)
        data = WebhookUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.webhook_update(webhook=webhook, **data.validated_data)
        except services.WebhookError as exc:
            return _refuse(exc)
        return Response(WebhookSerializer(webhook).data)

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request, pk):
        services.webhook_delete(webhook=led_webhook(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveries(generics.ListAPIView):
    """The webhook's deliveries, newest first, each with every attempt (status, duration,
    response excerpt)."""

    serializer_class = DeliverySerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return selectors.deliveries_of(webhook=led_webhook(self.request, self.kwargs["pk"]))

    @extend_schema(responses={200: DeliverySerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookTest(APIView):
    """Queue a `webhook.test` event to this webhook now."""

    @extend_schema(request=None, responses={202: DeliverySerializer, **SENDING})
    def post(self, request, pk):
        webhook = led_webhook(request, pk)
        try:
            delivery = services.webhook_send_test(webhook=webhook, user=request.user)
        except services.WebhookError as exc:
            return _refuse(exc)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryRedeliver(APIView):
    """Queue a delivery's event again, as a new delivery (a new X-Oversight-Delivery id)."""

    @extend_schema(request=None, responses={202: DeliverySerializer, **SENDING})
    def post(self, request, pk, delivery_id):
        webhook = led_webhook(request, pk)
        delivery = selectors.delivery_get(webhook=webhook, delivery_id=delivery_id)
        if delivery is None:
            raise NotFound(NO_DELIVERY.format(webhook=pk, id=delivery_id))
        try:
            again = services.delivery_redeliver(delivery=delivery)
        except services.WebhookError as exc:
            return _refuse(exc)
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
