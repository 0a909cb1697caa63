"""Evidence from the browser about each edit and about the writer's attention.

The editor reports, beside each local change, what the page saw behind it:
- `untrusted`: an input event behind it was not the user's (`event.isTrusted` false:
  dispatched by a script or an extension);
- `silent`: it inserted text with no key, input, paste, drop, composition or pointer
  event in the second before it (a script writing into the document);
- `after_refocus`: it is the first insert within REFOCUS_WINDOW_MS of the window
  getting focus back (text brought from another application).
And, for the session, the intervals the window or tab had lost focus (`focus`).

An event's stored evidence holds only the marks that are true (and, for imported
records, the `paste_source` the record carried); absent means not seen.
"""

from .paste_source import PASTE_SOURCES

MARKS = ("untrusted", "silent", "after_refocus")
REFOCUS_WINDOW_MS = 5_000  # the browser's window (editor/js/src/evidence.js)
MAX_FOCUS_MS = 7 * 86_400_000  # a longer interval is a clock error, not time away

BAD_MARK = "{field}.{key}: expected true or false"
BAD_SOURCE = "{field}.paste_source: expected one of {sources}"
BAD_INTERVAL = "{field}: expected {{lost_t_ms, back_t_ms}} integers, lost before back"


def marks_of(data: dict, field: str, problems: list[str]) -> dict:
    """Return the true marks of an event or meta message; append problems for bad values."""
    marks = {}
    for key in MARKS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, bool):
            problems.append(BAD_MARK.format(field=field, key=key))
        elif value:
            marks[key] = True
    return marks


def event_evidence(data: dict, field: str, problems: list[str]) -> dict | None:
    """Return the evidence a v1 event record carries (marks and paste_source), or None."""
    evidence = marks_of(data, field, problems)
    source = data.get("paste_source")
    if source is not None:
        if source not in PASTE_SOURCES:
            problems.append(BAD_SOURCE.format(field=field, sources=", ".join(PASTE_SOURCES)))
        else:
            evidence["paste_source"] = source
    return evidence or None


def focus_interval(data, field: str, problems: list[str]) -> dict | None:
    """Return a checked v1 focus interval {author, client, lost_t_ms, back_t_ms}, or None."""
    ok = (isinstance(data, dict) and isinstance(data.get("author"), str)
          and all(isinstance(data.get(k), int) and not isinstance(data.get(k), bool)
                  for k in ("client", "lost_t_ms", "back_t_ms"))
          and 0 <= data["back_t_ms"] - data["lost_t_ms"] <= MAX_FOCUS_MS)
    if not ok:
        problems.append(BAD_INTERVAL.format(field=field))
        return None
    return {"author": data["author"], "client": data["client"],
            "lost_t_ms": data["lost_t_ms"], "back_t_ms": data["back_t_ms"]}


def on_server_clock(lost_ms: int, back_ms: int, sent_ms: int, server_ms: int) -> tuple[int, int]:
    """Move a client's focus interval onto the server's clock.

    The client's clock may be off by minutes; what it measures between two of its own
    readings is not. The report left the client at `sent_ms` (its clock) and arrived at
    `server_ms`: the offset between them, network delay aside.
    """
    offset = server_ms - sent_ms
    return lost_ms + offset, back_ms + offset
