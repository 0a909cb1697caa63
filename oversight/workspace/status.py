"""The task status machine: which transitions are legal, and the error for the rest."""

OPEN = "open"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
REJECTED = "rejected"

CHOICES = [
    (OPEN, "Open"),
    (IN_PROGRESS, "In progress"),
    (SUBMITTED, "Submitted"),
    (APPROVED, "Approved"),
    (CHANGES_REQUESTED, "Changes requested"),
    (REJECTED, "Rejected"),
]

TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({APPROVED, CHANGES_REQUESTED, REJECTED}),
    CHANGES_REQUESTED: frozenset({IN_PROGRESS}),
    APPROVED: frozenset(),
    REJECTED: frozenset(),
}

# Statuses in which the document accepts edits.
EDITABLE = frozenset({OPEN, IN_PROGRESS, CHANGES_REQUESTED})

ILLEGAL_TRANSITION = ("A task cannot go from '{current}' to '{target}'; "
                      "allowed from '{current}': {allowed}.")


class IllegalTransition(ValueError):
    """Raised when a status change is not allowed by the machine."""

    def __init__(self, current: str, target: str):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "nothing (final)"
        super().__init__(ILLEGAL_TRANSITION.format(current=current, target=target, allowed=allowed))
        self.current = current
        self.target = target


def check_transition(current: str, target: str) -> None:
    """Raise IllegalTransition unless current → target is allowed."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(current, target)
