"""Render user-written markdown (instructions, notes, comments) to sanitized HTML."""

import markdown
import nh3

_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]


def render_markdown(text: str) -> str:
    """Return safe HTML for markdown text: scripts, handlers and unknown tags are stripped."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")
