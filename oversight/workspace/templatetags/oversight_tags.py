from django import template
from django.utils.safestring import mark_safe

from oversight.workspace.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render markdown to sanitized HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 sanitized it


@register.filter
def ago(value) -> str:
    """'just now', '5 minutes ago', '3 days ago': one unit, never '0 minutes ago'."""
    from django.utils import timezone
    from django.utils.timesince import timesince

    if not value:
        return "—"
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def thousands(value) -> str:
    """A whole number with thousands separated (100,000), for counts and page bounds."""
    return f"{value:,}" if isinstance(value, int) else str(value)
