"""The test oracle: a trajectory record assembled the straightforward way, through the core.

Production has one builder (`oversight.api.records.trajectory_record`, straight from
rows into dicts); this slower assembly through the core's dataclasses, with each note
followed by `follow_range` and the signals always recomputed, is what it is held equal to.
"""

from oversight.api.records import _critiques, final_provenance, rubric_record
from oversight.assist.selectors import assist_record, assists_of
from oversight.core.anchors import follow_range
from oversight.core.trajectory import Draft, Final, Note, Trajectory, trajectory_to_dict
from oversight.experiments.selectors import variant_record
from oversight.review.models import Review
from oversight.traces import selectors
from oversight.traces.focus import focus_record, focus_rows
from oversight.traces.models import Submission
from oversight.traces.signals import task_signals
from oversight.verifiers.selectors import run_record, runs_of


def _final(task, round_: int | None, events: list) -> tuple[Final | None, Submission | None]:
    submissions = Submission.objects.filter(task=task).select_related("submitted_by")
    if round_ is not None:
        submissions = submissions.filter(round=round_)
    submission = submissions.order_by("-round").first()
    if submission is None:
        return None, None
    return Final(text=submission.text, sha256=submission.sha256,
                 submitted_by=submission.submitted_by.username,
                 submitted_at=submission.submitted_at.isoformat(),
                 round=submission.round,
                 provenance=final_provenance(task, events, submission.events,
                                             submission.provenance)), submission


def _notes(task, events, first_ms: int | None) -> list[Note]:
    notes = []
    for note in selectors.notes_of(task):
        later = (e.ops for e in events if e.seq > note.seq)
        _, _, orphaned = follow_range(note.start, note.end, later)
        versions = [{"body": v.body, "principle": v.principle, "withdrawn": v.withdrawn,
                     "t_ms": v.server_ms - (first_ms or v.server_ms)}
                    for v in note.versions.all()]
        t_ms = note.server_ms - (first_ms or note.server_ms)
        notes.append(Note(id=note.pk, seq=note.seq, t_ms=t_ms,
                          author=note.author.username, principle=note.principle, quote=note.quote,
                          start=note.start, end=note.end, orphaned=orphaned or note.orphaned,
                          body=note.body, versions=versions))
    return notes


def _reviews(task) -> list[dict]:
    return [{"id": r.pk, "reviewer": r.reviewer.username, "round": r.round,
             "verdict": r.verdict, "scores": r.scores, "score_comments": r.score_comments,
             "comment": r.comment, "anchored_comments": r.anchored_comments,
             "critique_assessments": r.critique_assessments,
             "created_at": r.created_at.isoformat(), "self_review": r.self_review}
            for r in Review.objects.filter(task=task).select_related("reviewer").order_by("id")]


def reference_record(task, round_: int | None = None) -> dict:
    """Return the full trajectory record of a task (its latest final, or `round_`'s)."""
    first_ms = selectors.first_event_ms(task)
    events = list(selectors.iter_events(task, first_ms))
    final, submission = _final(task, round_, events)
    notes = _notes(task, events, first_ms)
    current = final.text if final else selectors.text_at(task, events[-1].seq if events else 0)
    live_notes = sum(1 for n in notes if not n.versions or not n.versions[-1]["withdrawn"])
    draft = getattr(task, "draft", None)
    record = trajectory_to_dict(Trajectory(
        task_id=task.pk, project=task.project.slug, kind=task.project.kind,
        language=task.project.language, prompt=task.prompt,
        draft=Draft(text=draft.text if draft else "", model=draft.model if draft else "",
                    params=draft.params if draft else {},
                    source=draft.source if draft else ""),
        final=final, events=events, notes=notes, reviews=_reviews(task),
        metrics=task_signals(task, events, current, live_notes, submission),
        model_critiques=_critiques([task.pk]).get(task.pk, []),
        rubric=rubric_record(task.project),
        assists=[assist_record(a, first_ms) for a in assists_of(task)],
        focus=focus_record(focus_rows([task.pk]).get(task.pk, []), first_ms)))
    record["verifier_runs"] = [run_record(run) for run in runs_of(task)]
    record["group"] = task.group_id  # the overlap group of sibling tasks, or None
    record["experiment"] = variant_record(task)
    return record


