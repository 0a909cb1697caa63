"""Per-project flag thresholds: which values are allowed and who may change them."""

from oversight.core.thresholds import THRESHOLDS
from oversight.workspace.access import is_manager
from oversight.workspace.models import DEFAULT_SIGNAL_THRESHOLDS, Project

from .services import ReviewError, ReviewForbidden

# Allowed range and help per threshold, from the one definition in the core.
THRESHOLD_RANGES = {key: (spec.low, spec.high) for key, spec in THRESHOLDS.items()}
THRESHOLD_HELP = {key: spec.help for key, spec in THRESHOLDS.items()}

NOT_MANAGER = "Only the project's leads and admins may change its flag thresholds."
UNKNOWN_THRESHOLD = "Unknown threshold '{key}'; expected one of: {keys}."
BAD_THRESHOLD = "Threshold '{key}' must be a number from {low} to {high}."


def _number(key: str, value) -> float | int:
    low, high = THRESHOLD_RANGES[key]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ReviewError(BAD_THRESHOLD.format(key=key, low=low, high=high)) from None
    if isinstance(value, bool) or not low <= number <= high:
        raise ReviewError(BAD_THRESHOLD.format(key=key, low=low, high=high))
    # Counts and seconds stay integers where they are whole, as the defaults are.
    return int(number) if isinstance(low, int) and number.is_integer() else number


def thresholds_update(*, project: Project, user, values: dict) -> dict:
    """Set some of a project's flag thresholds; return the thresholds now in force."""
    if not is_manager(user, project):
        raise ReviewForbidden(NOT_MANAGER)
    clean = {}
    for key, value in values.items():
        if key not in DEFAULT_SIGNAL_THRESHOLDS:
            raise ReviewError(UNKNOWN_THRESHOLD.format(
                key=key, keys=", ".join(DEFAULT_SIGNAL_THRESHOLDS)))
        clean[key] = _number(key, value)
    project.signal_thresholds = {**(project.signal_thresholds or {}), **clean}
    project.save(update_fields=["signal_thresholds"])
    return project.thresholds()


def threshold_rows(project: Project) -> list[dict]:
    """Return each threshold with its value in force, default and help, for the form."""
    current = project.thresholds()
    return [{"key": key, "value": current[key], "default": default,
             "help": THRESHOLD_HELP[key], "low": THRESHOLD_RANGES[key][0],
             "high": THRESHOLD_RANGES[key][1]}
            for key, default in DEFAULT_SIGNAL_THRESHOLDS.items()]
