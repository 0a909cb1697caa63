"""The demo: two projects with instructions, rubrics and tasks, and the users who work on them."""

from .demo_code import CODE_TASKS
from .demo_overlap import OVERLAP_TASKS
from .demo_prose import PROSE_TASKS

# (username, role in both projects); each logs in with "<username>-demo".
DEMO_MEMBERS = [("writer1", "writer"), ("writer2", "writer"), ("writer3", "writer"),
                ("reviewer1", "reviewer"), ("lead1", "lead")]
DEMO_SUPERUSER = "admin"
PASSWORD_SUFFIX = "-demo"

EXPLAIN_INSTRUCTIONS = """\
## What you are doing

Each task is a question from a curious adult with no special background, with a model's first \
draft of an answer. Improve the draft until you would happily hand it to that reader.

## How to edit

- **Fix what is wrong first.** Check every claim and every number; redo worked examples yourself.
- **Cut what nobody asked for**: greetings, "great question", summaries of what was just said, \
advice the reader did not ask for.
- **Keep what works.** Don't rewrite a sound paragraph just to make it yours.
- Aim for the length the question deserves, usually 150–300 words.
- Plain words. When a technical term is needed, say what it means the first time.

## Notes

Leave a short note on each substantive change saying *why*, with the rubric principle it serves. \
"$1,000 at 5% for 3 years compounds to $1,157.63, not $1,155" is a good note; "improved" is not.
"""

PYFUNCS_INSTRUCTIONS = """\
## What you are doing

Each prompt asks for one Python function and shows the tests it must pass. The draft is a \
model's attempt. Turn it into a function you would approve in code review.

## How to edit

- **Make the tests pass.** Run them in your head or in a scratch file. Then look for the cases \
the prompt implies but the tests don't cover: empty input, zero, negative numbers.
- **Cut what nobody asked for**: wrapper classes, unused options, logging, `main()` blocks.
- **Comments earn their place**: keep the ones that say *why*; delete the ones that repeat the \
code and, above all, the ones that contradict it.
- Standard library only, Python 3.11. Keep the name and signature the prompt gives.

## Notes

Put a note on each fix: what was wrong and how you know, e.g. \
"`chunk([1, 2, 3], 2)` returned `[[1, 2]]`: the range stopped one short".
"""

SERVES_THE_NEED = {"key": "serves-the-need", "name": "Serves the need",
                   "question": "Does it actually answer what was asked?"}
NO_EXTRAS = {"key": "no-extras", "name": "No extras",
             "question": "Does it avoid what nobody asked for?"}

EXPLAIN_RUBRIC = [
    SERVES_THE_NEED,
    {"key": "factual", "name": "Factual", "question": "Is every claim and number correct?"},
    {"key": "calibrated", "name": "Calibrated",
     "question": "Does it claim no more certainty than the evidence gives?"},
    NO_EXTRAS,
    {"key": "plain-language", "name": "Plain language",
     "question": "Could a reader with no background follow every sentence?"},
]

PYFUNCS_RUBRIC = [
    {**SERVES_THE_NEED, "question": "Does it do what the prompt asks and pass its tests?"},
    {"key": "edge-cases", "name": "Edge cases",
     "question": "Does it behave on empty, zero, negative and boundary inputs?"},
    NO_EXTRAS,
    {"key": "maintainable", "name": "Maintainable",
     "question": "Could the next reader understand and safely change it?"},
    {"key": "comments-earn-their-place", "name": "Comments earn their place",
     "question": "Does every comment say something the code cannot, and say it truly?"},
]

DEMO_PROJECTS = [
    {"slug": "explain", "name": "Explanations for a general reader", "kind": "prose",
     "language": "markdown", "instructions": EXPLAIN_INSTRUCTIONS, "rubric": EXPLAIN_RUBRIC,
     "gold_rate": 0.1, "tasks": PROSE_TASKS + OVERLAP_TASKS},
    {"slug": "pyfuncs", "name": "Python functions with their tests in the prompt",
     "kind": "code", "language": "python", "instructions": PYFUNCS_INSTRUCTIONS,
     "rubric": PYFUNCS_RUBRIC, "tasks": CODE_TASKS},
]


def demo_password(username: str) -> str:
    """Return the demo password of a demo user."""
    return username + PASSWORD_SUFFIX
