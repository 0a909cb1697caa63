"""The trace's refusals, typed so that callers map them to HTTP statuses."""


class TraceError(ValueError):
    """A refused write on the trace, with a message the user can act on."""


class TraceMismatch(TraceError):
    """Submission refused: two accounts of the document disagree (HTTP 409).

    `first` and `second` name them (integrity.LOG, EVENTS, FINAL); `position` is the
    first code point where they differ, or None when one of them cannot be read.
    """

    def __init__(self, message: str, *, first: str, second: str, position: int | None):
        super().__init__(message)
        self.first, self.second, self.position = first, second, position
