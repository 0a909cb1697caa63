"""The demo's overlap group at work: three writers fix one draft, each their own way.

Each sibling of explain-rainbow is edited in a sitting of its own and submitted;
reviewers score every final against the rubric, and reviewer1 ranks the three finals
(writer1 fixed all three false claims of the draft and is ranked best; the other two
fixed one each and are tied) so the group page, the project's agreement and the
preference export's human-vs-human pairs are alive on first run.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from oversight.overlap.services import save_ranking
from oversight.review.services import review_submit
from oversight.traces import selectors
from oversight.traces.services import note_create, task_submit
from oversight.workspace.models import Task

from .demo_activity import Session

GREETING = "Hello! Rainbows are one of nature's most beautiful sights.\n\n"
SIGN_OFF = "\nI hope this helps you enjoy the next rainbow you see!\n"
FALSE_CLAIM = ("Rainbows are always a full circle, but the ground hides the bottom half, "
               "and every rainbow has exactly seven colours.")
SEVEN = "and every rainbow has exactly seven colours."


SUN_WRONG = "Sun is in front of you and the rain is behind it"
SUN_RIGHT = "Sun is behind you and the rain is in front of you"


def _careful(s: Session) -> None:
    s.pause(150)
    s.delete(GREETING)
    s.pause(30)
    s.replace(SUN_WRONG, SUN_RIGHT)
    s.pause(40)
    s.replace(FALSE_CLAIM, "From high up, in a plane, you can sometimes see the whole circle; "
                           "from the ground, the horizon hides the lower part. The colours "
                           "blend smoothly into each other: the familiar seven are names "
                           "we give, not a count nature keeps.")
    s.pause(20)
    s.delete(SIGN_OFF)


def _quick(s: Session) -> None:
    s.pause(60)
    s.delete(GREETING)
    s.pause(15)
    s.replace(SEVEN, "and its colours shade into each other rather than coming in seven "
                     "bands.")
    s.delete(SIGN_OFF)


def _partial(s: Session) -> None:
    s.pause(45)
    s.delete(GREETING)
    s.pause(30)
    s.replace(SUN_WRONG, SUN_RIGHT)
    s.delete(SIGN_OFF)


SCORES = {
    "explain-rainbow/1": {"serves-the-need": 5, "factual": 5, "calibrated": 5, "no-extras": 5,
                          "plain-language": 4},
    "explain-rainbow/2": {"serves-the-need": 4, "factual": 3, "calibrated": 4, "no-extras": 5,
                          "plain-language": 4},
    "explain-rainbow/3": {"serves-the-need": 4, "factual": 3, "calibrated": 3, "no-extras": 5,
                          "plain-language": 4},
}


def _note(task, user, quote: str, body: str, principle: str) -> None:
    text = selectors.text_at(task, selectors.last_seq(task))
    at = text.find(quote)
    note_create(task=task, author=user, body=body, principle=principle, start=at,
                end=at + len(quote), quote=quote)


def record_overlap_group(sit) -> list[str]:
    """Record the group's work with `sit(task, user, hours_ago, seed, actions)`."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["writer1", "writer2", "writer3", "reviewer1", "lead1"])}
    tasks = {t.external_id: t for t in Task.objects.filter(
        project__slug="explain", external_id__startswith="explain-rainbow/")}
    if len(tasks) != 3:
        return []
    plan = [("explain-rainbow/1", "writer1", _careful, "reviewer1"),
            ("explain-rainbow/2", "writer2", _quick, "lead1"),
            ("explain-rainbow/3", "writer3", _partial, "reviewer1")]
    for seed, (external_id, writer, actions, reviewer) in enumerate(plan, start=20):
        task = tasks[external_id]
        sit(task, users[writer], 6 - seed / 10, seed, actions)
        if writer == "writer1":
            _note(task, users[writer], SUN_RIGHT, "The draft had it backwards: the Sun must "
                  "be behind you for the light to come back from the drops.", "factual")
        task_submit(task=task, user=users[writer])
        task.refresh_from_db()
        review_submit(task=task, reviewer=users[reviewer], verdict="approve",
                      scores=SCORES[external_id],
                      comment="Scored as one of three independent edits of this draft.")
    first, second, third = (tasks[f"explain-rainbow/{n}"].pk for n in (1, 2, 3))
    save_ranking(group=tasks["explain-rainbow/1"].group, reviewer=users["reviewer1"],
                 tiers=[[first], [second, third]],
                 reason="writer1 fixed all three false claims of the draft (where the Sun is, "
                        "the full circle, the seven colours); writer2 and writer3 each fixed "
                        "one, equally well.")
    return ["explain-rainbow: three writers, three finals, reviewed and ranked"]
