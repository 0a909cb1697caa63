"""The demo's finished experiment on `explain`: model help off against on, 16 tasks, stopped.

The tasks are imported while the experiment runs, so they are assigned like any other;
their work is written as recorded events (typing word by word on a fake clock, days ago),
submitted and reviewed through the services, then the experiment is stopped, which
freezes its report. Deterministic: one seeded generator drives every choice.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from oversight.core.kinds import infer_kind
from oversight.review.services import review_submit
from oversight.traces import selectors
from oversight.traces.log.offline import log_edits
from oversight.traces.models import EditEvent, Submission
from oversight.traces.services import task_submit
from oversight.workspace.importer import import_tasks, parse_records
from oversight.workspace.models import Project, Task

from .models import Experiment, TaskVariant
from .services import experiment_create, experiment_stop

NAME = "Model help in the editor"
HYPOTHESIS = ("With model help on, writers fix a draft in less active time, without "
              "lower rubric scores or more flags.")
VARIANTS = [{"name": "Help off", "settings": {"model_help": "off"}},
            {"name": "Help on", "settings": {"model_help": "all"}}]
SEED = 20261204
FLUFF = "Great question! "
# (topic, the draft's answer with its mistake, the mistake, the fix)
TOPICS = [
    ("Why do onions make you cry?", "Cutting an onion releases a gas that reaches your eyes.",
     "a gas", "a sulfur compound, syn-propanethial-S-oxide, which turns into a mild acid"),
    ("Why is the sea salty?", "Rivers carry salt from the mountains, and it stays there.",
     "from the mountains", "dissolved from rocks all along their way"),
    ("How do vaccines train the immune system?", "They contain a full-strength virus.",
     "a full-strength virus", "a harmless piece or weakened form of the germ"),
    ("Why do we have leap years?", "A year is exactly 365 days and 6 hours long.",
     "exactly 365 days and 6 hours", "about 365.2422 days"),
    ("What makes thunder?", "Clouds bump into each other and make a sound.",
     "Clouds bump into each other and make a sound",
     "Lightning heats the air so fast that it expands with a bang"),
    ("Why does ice float?", "Ice is heavier than water but traps air bubbles.",
     "heavier than water but traps air bubbles", "less dense than liquid water"),
    ("How do noise-cancelling headphones work?", "They block every sound with thick foam.",
     "block every sound with thick foam",
     "play a sound wave that is the mirror image of the noise"),
    ("Why do cats purr?", "Cats purr only when they are happy.",
     "only when they are happy", "when content, but also when hurt or stressed"),
    ("What is inflation?", "Inflation is when one product becomes more expensive.",
     "one product becomes", "prices in general become"),
    ("Why is the sky dark at night?", "The Sun switches off at night.",
     "The Sun switches off at night", "Our side of the Earth faces away from the Sun"),
    ("How do plants drink water?", "Leaves soak up rain like a sponge.",
     "Leaves soak up rain like a sponge", "Roots take it up and it rises through the stem"),
    ("Why do we yawn?", "Yawning is proven to bring more oxygen to the brain.",
     "is proven to bring more oxygen to the brain", "may help cool the brain; nobody is sure"),
    ("What causes the seasons?", "The Earth is closer to the Sun in summer.",
     "The Earth is closer to the Sun in summer", "The Earth's axis is tilted"),
    ("How does a fridge keep food cold?", "It makes cold and blows it inside.",
     "makes cold and blows it inside", "pumps heat out of the box and releases it behind"),
    ("Why do bubbles pop?", "Bubbles pop because air inside gets bored.",
     "because air inside gets bored", "when their thin water film dries or is touched"),
    ("Why do stars twinkle?", "Stars turn on and off very fast.",
     "Stars turn on and off very fast", "Moving air bends their light back and forth"),
]
WRITERS, REVIEWER, LEAD = ("writer1", "writer2"), "reviewer1", "lead1"
PREFIX = "exp-help-"


def _rows() -> list[dict]:
    return [{"external_id": f"{PREFIX}{i + 1:02d}",
             "prompt": f"Explain to a curious adult: {topic}",
             "draft": {"text": f"{FLUFF}{answer} That is all there is to it.",
                       "model": "demo-model", "params": {"temperature": 0.7}},
             "assignees": [WRITERS[i % 2]]}
            for i, (topic, answer, _, _) in enumerate(TOPICS)]


class _Clock:
    def __init__(self, start_ms: int, rng: random.Random):
        self.now, self.rng = start_ms, rng

    def gap(self, low_s: float, high_s: float) -> int:
        self.now += int(self.rng.uniform(low_s, high_s) * 1000)
        return self.now


def _edit(task, seq: int, author, ops, at_ms: int, kind: str) -> None:
    # The event and the update a room would have stored: submission checks one by the other.
    EditEvent.objects.create(task=task, seq=seq, round=1, author=author, server_ms=at_ms,
                             kind=kind, inferred_kind=infer_kind(ops), ops=ops)
    log_edits(task, author, [ops], server_ms=at_ms, kind=kind)


def _work(task, writer, mistake: str, fix: str, *, helped: bool, clock: _Clock) -> None:
    """Delete the greeting, then replace the mistake with the fix, a word at a time."""
    text, seq = selectors.draft_text(task), 0
    think = (20, 60) if helped else (45, 110)  # reading and checking before each change
    per_word = (0.8, 2.0) if helped else (1.5, 4.0)
    clock.gap(*think)
    seq += 1
    _edit(task, seq, writer, [{"delete": len(FLUFF)}], clock.now, "delete.backward")
    text = text[len(FLUFF):]
    at = text.index(mistake)
    clock.gap(*think)
    seq += 1
    _edit(task, seq, writer, [{"retain": at}, {"delete": len(mistake)}], clock.now,
          "delete.backward")
    for i, word in enumerate(fix.split(" ")):
        piece = word if i == 0 else " " + word
        clock.gap(*per_word)
        seq += 1
        _edit(task, seq, writer, [{"retain": at}, {"insert": piece}], clock.now, "input.type")
        at += len(piece)


def _review(task, reviewer, rng: random.Random) -> None:
    # Every final is approved (none is left waiting for rework, and the demo writers'
    # approval rates stay the recorded scenario's); the scores vary.
    keys = task.project.principle_keys()
    scores = {key: rng.choice((3, 4, 4, 5)) for key in keys}
    review_submit(task=task, reviewer=reviewer, verdict="approve", scores=scores,
                  comment="Checked against the rubric.")


def seed_demo_experiment() -> str:
    """Create the demo's stopped experiment unless it exists; return what was done."""
    project = Project.objects.filter(slug="explain").first()
    if project is None:
        return "no explain project: run seed_demo first"
    if Experiment.objects.filter(project=project, name=NAME).exists():
        return "already there, nothing to do"
    if Experiment.objects.filter(project=project, status=Experiment.RUNNING).exists():
        return "another experiment is running on explain: left alone"
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[*WRITERS, REVIEWER, LEAD])}
    rng = random.Random(SEED)
    with transaction.atomic():
        experiment = experiment_create(project=project, user=users[LEAD], name=NAME,
                                       hypothesis=HYPOTHESIS, variants=VARIANTS, seed=SEED)
        import_tasks(project=project, rows=parse_records(enumerate(_rows(), start=1)))
        variants = dict(TaskVariant.objects.filter(experiment=experiment)
                        .values_list("task__external_id", "variant__name"))
        start = dt.datetime.now(dt.UTC) - dt.timedelta(days=9)
        for i, (_, _, mistake, fix) in enumerate(TOPICS):
            task = Task.objects.select_related("project", "draft").get(
                project=project, external_id=f"{PREFIX}{i + 1:02d}")
            writer = users[WRITERS[i % 2]]
            opened = start + dt.timedelta(hours=6 * i)
            clock = _Clock(int(opened.timestamp() * 1000), rng)
            _work(task, writer, mistake, fix, helped=variants[task.external_id] == "Help on",
                  clock=clock)
            submission = task_submit(task=task, user=writer)
            submitted = dt.datetime.fromtimestamp(clock.gap(5, 20) / 1000, dt.UTC)
            Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted)
            Task.objects.filter(pk=task.pk).update(opened_at=opened)
            _review(task, users[REVIEWER], rng)
        experiment_stop(experiment=experiment, user=users[LEAD])
    return f"stopped experiment “{NAME}” with {len(TOPICS)} tasks on explain"
