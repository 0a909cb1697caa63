"""Per-project flag thresholds: who may change them, and the rows of the lead's form.

Names, defaults, units, ranges and help are the core table's (core/thresholds.py);
this module only adds the permission and the storage on the project.
"""

from oversight.core.thresholds import THRESHOLDS, ThresholdError, clean_threshold
from oversight.jobs import enqueue
from oversight.workspace.access import is_manager
from oversight.workspace.models import Project

from .jobs import refresh_project_signals
from .services import ReviewError, ReviewForbidden

NOT_MANAGER = "Only the project's leads and admins may change its flag thresholds."


def thresholds_update(*, project: Project, user, values: dict) -> dict:
    """Set some of a project's flag thresholds; return the thresholds now in force."""
    if not is_manager(user, project):
        raise ReviewForbidden(NOT_MANAGER)
    try:
        clean = {key: clean_threshold(key, value) for key, value in values.items()}
    except ThresholdError as error:
        raise ReviewError(str(error)) from None
    project.signal_thresholds = {**(project.signal_thresholds or {}), **clean}
    project.save(update_fields=["signal_thresholds"])
    # The stored signals are now stale: reads compute them until this job stores them.
    enqueue(refresh_project_signals, project.pk)
    return project.thresholds()


def threshold_rows(project: Project) -> list[dict]:
    """Return each threshold with its value in force, default, unit and help, for the form."""
    current = project.thresholds()
    return [{"key": key, "value": current[key], "default": spec.default, "unit": spec.unit,
             "help": spec.help, "low": spec.low, "high": spec.high}
            for key, spec in THRESHOLDS.items()]
