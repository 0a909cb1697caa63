"""The leads' webhooks pages of a project: list and add, edit, test, the attempts log, redeliver."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_http_methods

from oversight.webhooks import selectors, services
from oversight.webhooks.delivery import MAX_ATTEMPTS, RETRY_DELAYS
from oversight.webhooks.events import EVENTS
from oversight.workspace.access import is_manager, projects_for

LOG_DELIVERIES = 30  # the page shows the latest ones; the API pages through all
NOT_A_LEAD = "Only the project's leads and admins manage its webhooks."
CREATED = "Webhook added. Keep its secret: it is not shown again."
SAVED = "Webhook saved."
DELETED = "Webhook deleted."
TEST_QUEUED = "Test event queued: reload in a few seconds to see its attempt in the log."
REDELIVERY_QUEUED = "Redelivery queued as a new delivery: reload to see its attempts."
UNKNOWN_ACTION = "Unknown action."


def led_project(request, slug: str):
    """Return a project the user leads; 404 for non-members, 403 for other members."""
    project = get_object_or_404(projects_for(request.user), slug=slug)
    if not is_manager(request.user, project):
        raise PermissionDenied(NOT_A_LEAD)
    return project


def _form_values(post) -> dict:
    return {"url": post.get("url", "").strip(), "events": post.getlist("events"),
            "secret": post.get("secret", ""), "active": post.get("active") == "on"}


def _context(project, **extra) -> dict:
    return {"project": project, "events": EVENTS, "max_attempts": MAX_ATTEMPTS,
            "retry_delays": RETRY_DELAYS, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def project_webhooks(request, project_slug: str):
    """List the project's webhooks; add one (the form keeps what was typed if refused)."""
    project = led_project(request, project_slug)
    form = {"url": "", "events": list(EVENTS), "secret": get_random_string(32), "active": True}
    if request.method == "POST":
        form = _form_values(request.POST)
        try:
            webhook = services.webhook_create(project=project, user=request.user, **form)
        except services.WebhookError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, CREATED)
            return redirect("review-webhook", project_slug=project.slug, webhook_id=webhook.pk)
    return render(request, "review/webhooks.html", _context(
        project, webhooks=selectors.webhooks_of(project=project), form=form))


def _act(request, webhook) -> str | None:
    """Do the page's POST action; return the success message (errors raise WebhookError)."""
    action = request.POST.get("action")
    if action == "update":
        values = _form_values(request.POST)
        services.webhook_update(webhook=webhook, url=values["url"], events=values["events"],
                                secret=values["secret"] or None, active=values["active"])
        return SAVED
    if action == "test":
        services.webhook_send_test(webhook=webhook, user=request.user)
        return TEST_QUEUED
    if action == "redeliver":
        delivery = selectors.delivery_get(webhook=webhook,
                                          delivery_id=int(request.POST.get("delivery") or 0))
        if delivery is None:
            raise services.WebhookError(UNKNOWN_ACTION)
        services.delivery_redeliver(delivery=delivery)
        return REDELIVERY_QUEUED
    raise services.WebhookError(UNKNOWN_ACTION)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_page(request, project_slug: str, webhook_id: int):
    """One webhook: edit it, send a test event, read its attempts log, redeliver, delete."""
    project = led_project(request, project_slug)
    webhook = get_object_or_404(selectors.webhooks_of(project=project), pk=webhook_id)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.webhook_delete(webhook=webhook)
            messages.success(request, DELETED)
            return redirect("review-webhooks", project_slug=project.slug)
        try:
            messages.success(request, _act(request, webhook))
        except services.WebhookError as exc:
            messages.error(request, str(exc))
            webhook.refresh_from_db()
        return redirect("review-webhook", project_slug=project.slug, webhook_id=webhook.pk)
    deliveries = selectors.deliveries_of(webhook=webhook)[:LOG_DELIVERIES]
    # The secret is write-only: the form never carries it back to the browser.
    form = {"url": webhook.url, "events": webhook.events, "secret": "", "active": webhook.active}
    return render(request, "review/webhook.html", _context(
        project, webhook=webhook, deliveries=deliveries, form=form))
