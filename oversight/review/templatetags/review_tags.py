"""Template helpers for review: a task's reviews, verdict badges, signal formats, SVG plots."""

from django import template
from django.utils.safestring import mark_safe

from oversight.workspace.access import OVERSEERS, can_view_task
from oversight.workspace.models import Membership

from .. import plots
from ..selectors import FLAG_LABELS, latest_verdicts, reviews_of

register = template.Library()


@register.simple_tag(takes_context=True)
def task_reviews(context, task):
    """Return the task's reviews, oldest first, when the page's user may see the task."""
    request = context.get("request")
    if request is None or not can_view_task(request.user, task):
        return []
    return list(reviews_of(task))


@register.simple_tag
def oversees_any(user) -> bool:
    """Tell whether the user reviews, leads or administers any project."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role__in=OVERSEERS).exists()


@register.simple_tag
def latest_reviews(tasks) -> dict:
    """Return {task id: its newest review} of a list of tasks, in one query (a table's
    rows then look theirs up instead of querying one by one)."""
    return latest_verdicts([task.pk for task in tasks])


@register.filter
def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag.replace("_", " "))


@register.filter
def flag_items(metrics) -> list[dict]:
    """Return each raised flag with its label, reason in words and player moments."""
    metrics = metrics or {}
    reasons, moments = metrics.get("flag_reasons") or {}, metrics.get("flag_moments") or {}
    return [{"flag": flag, "label": flag_label(flag), "reason": reasons.get(flag, ""),
             "moments": moments.get(flag, [])} for flag in metrics.get("flags") or []]


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value:.0%}"


@register.filter
def seconds(value) -> str:
    """Format seconds as 42s, 3m 05s or 1h 02m."""
    if value is None:
        return "–"
    total = int(round(value))
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m {total % 60:02d}s"
    return f"{total // 3600}h {total % 3600 // 60:02d}m"


@register.filter
def number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{int(digits)}f}" if isinstance(value, float) else str(value)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def ratio_svg(value, label: str = ""):
    return mark_safe(plots.ratio_bar(value, label=label))  # noqa: S308 - labels escaped


@register.filter
def scores_svg(averages, names=None):
    return mark_safe(plots.score_bars(averages or {}, names))  # noqa: S308 - labels escaped


@register.filter
def weekly_svg(weeks):
    return mark_safe(plots.weekly_flags(weeks or []))  # noqa: S308 - labels escaped


@register.filter
def trust_svg(points):
    return mark_safe(plots.trust_trend(points or []))  # noqa: S308 - labels escaped


@register.simple_tag
def writers_chart(rows, field: str, title: str, colour: str = "accent"):
    """Return a bar chart of one per-writer share (e.g. approval_rate) across writers."""
    items = [(row["writer"], row[field]) for row in rows]
    fill = plots.BAD if colour == "bad" else plots.BAR
    return mark_safe(plots.bar_chart(items, title=title, colour=fill))  # noqa: S308 - escaped
