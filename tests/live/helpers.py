"""Data set-up and server-side checks for the live tests, through `manage.py shell -c`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.live.server import ROOT, LiveServer

DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
# Tests write screenshots to test-artifacts/ (ignored by git); this asks a run to also
# refresh the committed copies the docs show (`make screenshots` sets it).
REFRESH_DOCS_ENV = "OVERSIGHT_REFRESH_DOCS_SCREENSHOTS"

DEMO_PASSWORD_SUFFIX = "-demo"  # seed_demo: the password of `writer1` is `writer1-demo`


def demo_password(username: str) -> str:
    return username + DEMO_PASSWORD_SUFFIX


def publish_docs_screenshot(shot: Path, *, docs_dir: Path = DOCS_SCREENSHOTS) -> Path | None:
    """Copy a test's screenshot over the committed one of the same name in the docs, only
    when REFRESH_DOCS_ENV is "1": a plain test run leaves the checkout unmodified."""
    if os.environ.get(REFRESH_DOCS_ENV) != "1":
        return None
    target = docs_dir / shot.name
    shutil.copyfile(shot, target)
    return target


def open_as(browser, server: LiveServer, username: str, *, viewport=(1400, 1000),
            timeout_ms: int = 20_000, bypass_csp: bool = False):
    """Return (context, page, errors) of a browser context logged in as a demo user.

    `bypass_csp` lets a test inject its own tools (axe-core) into pages whose
    Content-Security-Policy forbids inline scripts; the pages' own scripts are unchanged.
    """
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  bypass_csp=bypass_csp)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo_password(username))
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page, errors


def create_task(server: LiveServer, draft: str, assignees=("writer1",),
                project: str = "explain") -> dict:
    """Create a task with `draft` in a demo project; return {"id", "doc_id"}."""
    # The draft travels as ASCII-only JSON, so any text survives the command line intact.
    return server.query(f"""
import json, uuid
from django.contrib.auth import get_user_model
from oversight.workspace.models import Draft, Project, Task
project = Project.objects.get(slug={project!r})
task = Task.objects.create(project=project, external_id="live-" + uuid.uuid4().hex[:12],
                           prompt="A live test task.")
task.assignees.set(get_user_model().objects.filter(username__in={list(assignees)!r}))
Draft.objects.create(task=task, text=json.loads({json.dumps(draft, ensure_ascii=True)!r}),
                     model="live-test")
result = {{"id": task.pk, "doc_id": str(task.doc_id)}}
""")


def stored_trace(server: LiveServer, task_id: int) -> dict:
    """What the database holds for a task's document.

    Returns {"draft", "log_text" (the update log replayed with pycrdt, in stored order),
    "positions" (of the log), "events" ([{seq, ops, author, kind, inferred_kind}])}.
    The events are read once the server's recorder (`manage.py serve`'s child process)
    has recorded the whole log: it follows the log, and this waits for it, up to 15 s.
    """
    return server.query(f"""
import time
from django.db.models import F
from pycrdt import Doc, Text
from oversight.traces.models import DocState, DocUpdate
deadline = time.monotonic() + 15
while (DocState.objects.filter(task_id={int(task_id)}, last_position__gt=F("recorded_position"))
       .exists() and time.monotonic() < deadline):
    time.sleep(0.05)
from oversight.traces.models import EditEvent
from oversight.workspace.models import Task
task = Task.objects.select_related("draft").get(pk={int(task_id)})
doc = Doc()
positions = []
for position, data in (DocUpdate.objects.filter(task=task).order_by("position")
                       .values_list("position", "data")):
    doc.apply_update(bytes(data))
    positions.append(position)
events = [
    {{"seq": e.seq, "ops": e.ops, "author": e.author.username if e.author else None,
      "kind": e.kind, "inferred_kind": e.inferred_kind}}
    for e in EditEvent.objects.filter(task=task).select_related("author").order_by("seq")
]
result = {{"draft": task.draft.text, "log_text": str(doc.get("codemirror", type=Text)),
           "positions": positions, "events": events, "status": task.status}}
""")


def apply_ops(text: str, ops: list[dict]) -> str:
    """Apply one code-point delta ([{retain}|{insert}|{delete}]) to `text`.

    Written here on purpose, independent of oversight.core: it is the test's oracle.
    """
    out, pos = [], 0
    for op in ops:
        if "retain" in op:
            n = op["retain"]
            assert n > 0 and pos + n <= len(text), f"retain {n} at {pos} past {len(text)}: {ops}"
            out.append(text[pos:pos + n])
            pos += n
        elif "delete" in op:
            n = op["delete"]
            assert n > 0 and pos + n <= len(text), f"delete {n} at {pos} past {len(text)}: {ops}"
            pos += n
        elif "insert" in op:
            assert isinstance(op["insert"], str) and op["insert"], f"bad insert in {ops}"
            out.append(op["insert"])
        else:
            raise AssertionError(f"unknown op {op!r}")
    out.append(text[pos:])
    return "".join(out)


def replay_events(draft: str, events: list[dict]) -> str:
    text = draft
    for event in events:
        text = apply_ops(text, event["ops"])
    return text


def assert_gapless(events: list[dict]) -> None:
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(1, len(seqs) + 1)), f"seq not gapless 1..n: {seqs[:20]}…"


def assert_trace_replays_to(trace: dict, expected: str) -> None:
    """The log and the events both replay to `expected`, exactly (code points and bytes)."""
    assert trace["positions"] == list(range(1, len(trace["positions"]) + 1))
    assert trace["log_text"] == expected
    assert trace["log_text"].encode("utf-8") == expected.encode("utf-8")
    assert_gapless(trace["events"])
    assert all(e["author"] for e in trace["events"]), "an event without an author"
    assert all(e["inferred_kind"] for e in trace["events"]), "an event without a kind"
    replayed = replay_events(trace["draft"], trace["events"])
    assert replayed == expected
    assert replayed.encode("utf-8") == expected.encode("utf-8")
