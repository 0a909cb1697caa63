"""Small builders of core events and trajectory records for the tests."""

from oversight.core.kinds import infer_kind
from oversight.core.trajectory import (
    Draft,
    Event,
    Final,
    Note,
    Trajectory,
    sha256_text,
    trajectory_to_dict,
)


def event(seq: int, ops: list, *, t_ms: int | None = None, author: str = "ana",
          kind: str = "input.type", inferred: str | None = None,
          evidence: dict | None = None) -> Event:
    """Build an event (inferred kind from its delta); by default at seq seconds."""
    return Event(seq=seq, t_ms=seq * 1000 if t_ms is None else t_ms, author=author, client=7,
                 round=1, kind=kind, inferred_kind=inferred or infer_kind(ops), ops=ops,
                 evidence=evidence)


def events_from(specs: list[tuple]) -> list[Event]:
    """Build events from (ops, t_ms, author, kind) tuples, numbered from seq 1."""
    return [event(i, ops, t_ms=t, author=a, kind=k) for i, (ops, t, a, k) in enumerate(specs, 1)]


def note(id: int, seq: int, body: str, *, withdrawn: bool = False, quote: str = "q") -> Note:
    return Note(id=id, seq=seq, t_ms=seq * 1000, author="ana", principle="accuracy",
                quote=quote, start=0, end=len(quote), orphaned=False, body=body,
                versions=[{"body": body, "principle": "accuracy", "withdrawn": withdrawn,
                           "t_ms": seq * 1000}])


def trajectory(*, draft: str = "The cat sat.", final: str | None = "The dog sat!",
               events: list[Event] | None = None, notes: list[Note] | None = None,
               reviews: list[dict] | None = None) -> Trajectory:
    """Build a trajectory whose default events turn the draft into the final."""
    if events is None:
        events = [event(1, [{"retain": 4}, {"delete": 3}, {"insert": "dog"}]),
                  event(2, [{"retain": 11}, {"delete": 1}, {"insert": "!"}])]
    return Trajectory(
        task_id=42, project="essays", kind="prose", language="en", prompt="Write a line.",
        draft=Draft(text=draft, model="m-1", params={"temperature": 0.7}, source="provider"),
        final=None if final is None else Final(
            text=final, sha256=sha256_text(final), submitted_by="bea",
            submitted_at="2025-01-02T03:04:05+00:00", round=1),
        events=events, notes=notes or [], reviews=reviews or [],
        metrics={"changed_share": 0.5})


def trajectory_dict(**kwargs) -> dict:
    return trajectory_to_dict(trajectory(**kwargs))
