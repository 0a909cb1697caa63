from django import template
from django.utils.safestring import mark_safe

from oversight.workspace.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render markdown to sanitized HTML."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 sanitized it
