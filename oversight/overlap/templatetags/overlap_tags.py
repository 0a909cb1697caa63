"""The overlap summary card of the project dashboard (the review app cannot import us)."""

from django import template

from oversight.overlap.selectors import project_overlap

register = template.Library()


@register.inclusion_tag("overlap/_summary.html")
def overlap_summary(project):
    """Render the project's overlap figures, or nothing when it has no groups."""
    return {"project": project, "overlap": project_overlap(project)}
