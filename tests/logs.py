"""Tests log their edits as the editor's rooms would (oversight.traces.log.offline)."""

from oversight.traces.log.offline import apply_ops, log_edits

__all__ = ["apply_ops", "log_edits"]
