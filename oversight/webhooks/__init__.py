"""Webhooks: tell a project's pipelines the moment something happens to a task.

Import direction: this package sits below workspace, traces and review (they call
`events.emit_task_event` where events happen), so it imports none of them; it reads
the objects they pass in by attribute only.
"""
