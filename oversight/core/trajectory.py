"""The trajectory: draft, edit events, notes, reviews, final; and its v1 record.

`trajectory_to_dict` is the exported schema, written field by field on purpose:
renaming a dataclass field must not silently change the dataset.
"""

import hashlib
from dataclasses import dataclass, field

from .evidence import MARKS

SCHEMA = "oversight.trajectory/v1"

WRONG_SCHEMA = "expected schema {expected!r}, got {got!r}"


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded change of the text; ops count code points."""

    seq: int
    t_ms: int
    author: str
    client: int
    round: int
    kind: str
    inferred_kind: str
    ops: list
    evidence: dict | None = None  # the browser's marks (core.evidence), None: nothing seen


@dataclass(frozen=True, slots=True)
class Note:
    """An expert's note anchored to a quoted range of the text at `seq`."""

    id: int
    seq: int
    t_ms: int
    author: str
    principle: str
    quote: str
    start: int
    end: int
    orphaned: bool
    body: str
    versions: list[dict] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Draft:
    """The model's draft the edits start from."""

    text: str
    model: str = ""
    params: dict = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True, slots=True)
class Final:
    """The submitted text of one round."""

    text: str
    sha256: str
    submitted_by: str
    submitted_at: str
    round: int
    provenance: list[dict] | None = None  # runs of the text's origins (core.provenance)


@dataclass(frozen=True, slots=True)
class Trajectory:
    """Everything recorded about one task."""

    task_id: int
    project: str
    kind: str
    language: str
    prompt: str
    draft: Draft
    final: Final | None
    events: list[Event] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    model_critiques: list[dict] = field(default_factory=list)
    rubric: list[dict] = field(default_factory=list)
    assists: list[dict] = field(default_factory=list)  # model help asked for while editing
    focus: list[dict] = field(default_factory=list)  # intervals the editor's window lost focus


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_to_dict(e: Event, paste_source: str | None = None) -> dict:
    """Return the v1 record of one event: with its true evidence marks and paste source."""
    d = {"seq": e.seq, "t_ms": e.t_ms, "author": e.author, "client": e.client,
         "round": e.round, "kind": e.kind, "inferred_kind": e.inferred_kind, "ops": e.ops}
    return with_evidence(d, e.evidence, paste_source)


def with_evidence(d: dict, evidence: dict | None, paste_source: str | None) -> dict:
    """Add an event's evidence keys (add-only, present only when seen) to its record."""
    if evidence:
        d.update((k, v) for k, v in evidence.items() if k != "paste_source")
    source = paste_source or (evidence or {}).get("paste_source")
    if source:
        d["paste_source"] = source
    return d


def note_to_dict(n: Note) -> dict:
    """Return the v1 record of one note."""
    return {"id": n.id, "seq": n.seq, "t_ms": n.t_ms, "author": n.author,
            "principle": n.principle, "quote": n.quote, "start": n.start, "end": n.end,
            "orphaned": n.orphaned, "body": n.body, "versions": n.versions}


def trajectory_to_dict(t: Trajectory) -> dict:
    """Return the `oversight.trajectory/v1` record of a trajectory."""
    d, f = t.draft, t.final
    sources = t.metrics.get("paste_sources") or {}
    return {
        "schema": SCHEMA,
        "task_id": t.task_id,
        "project": t.project,
        "kind": t.kind,
        "language": t.language,
        "prompt": t.prompt,
        "draft": {"text": d.text, "model": d.model, "params": d.params, "source": d.source},
        "final": None if f is None else {
            "text": f.text, "sha256": f.sha256, "submitted_by": f.submitted_by,
            "submitted_at": f.submitted_at, "round": f.round, "provenance": f.provenance},
        "events": [event_to_dict(e, sources.get(str(e.seq))) for e in t.events],
        "notes": [note_to_dict(n) for n in t.notes],
        "reviews": t.reviews,
        "metrics": t.metrics,
        "model_critiques": t.model_critiques,
        "rubric": t.rubric,
        "assists": t.assists,
        "focus": t.focus,
    }


def event_from_dict(d: dict) -> Event:
    """Build an Event from its v1 record, with its evidence marks and paste source."""
    evidence = {k: True for k in MARKS if d.get(k) is True}
    if isinstance(d.get("paste_source"), str):
        evidence["paste_source"] = d["paste_source"]
    return Event(seq=d["seq"], t_ms=d["t_ms"], author=d["author"], client=d["client"],
                 round=d["round"], kind=d["kind"], inferred_kind=d["inferred_kind"],
                 ops=d["ops"], evidence=evidence or None)


def note_from_dict(d: dict) -> Note:
    """Build a Note from its v1 record."""
    return Note(id=d["id"], seq=d["seq"], t_ms=d["t_ms"], author=d["author"],
                principle=d["principle"], quote=d["quote"], start=d["start"], end=d["end"],
                orphaned=d["orphaned"], body=d["body"], versions=d["versions"])


def trajectory_from_dict(d: dict) -> Trajectory:
    """Build a Trajectory from its v1 record; raise ValueError on another schema."""
    if d.get("schema") != SCHEMA:
        raise ValueError(WRONG_SCHEMA.format(expected=SCHEMA, got=d.get("schema")))
    draft, final = d["draft"], d["final"]
    return Trajectory(
        task_id=d["task_id"], project=d["project"], kind=d["kind"], language=d["language"],
        prompt=d["prompt"],
        draft=Draft(text=draft["text"], model=draft["model"], params=draft["params"],
                    source=draft["source"]),
        final=None if final is None else Final(
            text=final["text"], sha256=final["sha256"], submitted_by=final["submitted_by"],
            submitted_at=final["submitted_at"], round=final["round"],
            provenance=final.get("provenance")),
        events=[event_from_dict(e) for e in d["events"]],
        notes=[note_from_dict(n) for n in d["notes"]],
        reviews=d["reviews"],
        metrics=d["metrics"],
        model_critiques=d.get("model_critiques", []),  # added to v1 later: optional on read
        rubric=d.get("rubric", []),
        assists=d.get("assists", []),
        focus=d.get("focus", []),
    )
