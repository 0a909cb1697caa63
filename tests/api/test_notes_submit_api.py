"""Notes and submission over the API: what is refused, with which status and message,
and that a refusal leaves nothing behind (no note, no version, no submission, no status change).

Events are stored directly (tests.factories.add_edits), the way the editor stores them:
gapless seq from 1, ops in code points.
"""

import hashlib

import pytest
from django.urls import reverse

from oversight.traces import services
from oversight.traces.models import Checkpoint, EditEvent, Note, NoteVersion, Submission
from oversight.workspace import status as task_status
from tests.factories import add_edits, api_client, make_task

DRAFT = "The sky is violet 🌍 because air scatters violet light."
STEP_1 = "The sky is  🌍 because air scatters violet light."
STEP_2 = "The sky is blue 🌍 because air scatters violet light."
EDITED = "The sky is blue 🌍 because air scatters blue light most."


@pytest.fixture
def task(team):
    """writer1's task, its draft edited in three events (one past an astral character)."""
    task = make_task(team.project, draft_text=DRAFT, assignees=[team.writer1])
    add_edits(task, team.writer1, STEP_1, STEP_2, EDITED, checkpoint=True)
    return task


def notes_url(task):
    return reverse("task-notes", args=[task.pk])


def submit_url(task):
    return reverse("task-submit", args=[task.pk])


def note_url(note_id):
    return reverse("note-detail", args=[note_id])


def note_request(text=EDITED, quote="because", **fields):
    start = text.index(quote)  # Python str index: code points
    return {"body": "Why I changed it.", "start": start, "end": start + len(quote),
            "quote": quote, **fields}


def stored(task) -> dict:
    """Everything a refused request must leave as it was."""
    task.refresh_from_db()
    return {
        "notes": list(Note.objects.filter(task=task).order_by("id").values_list(
            "id", "body", "principle", "withdrawn", "start", "end", "quote")),
        "versions": NoteVersion.objects.filter(note__task=task).count(),
        "submissions": list(Submission.objects.filter(task=task).values_list("round", "sha256")),
        "events": EditEvent.objects.filter(task=task).count(),
        "status": task.status,
        "round": task.round,
    }


def assert_refused(response, status: int, *fragments: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "detail"}
    for fragment in fragments:
        assert fragment in error["message"], error["message"]
    return error


def create_note(user, task, **fields):
    return api_client(user).post(notes_url(task), note_request(**fields), format="json")


# -- what is accepted -------------------------------------------------------------------


def test_a_writer_notes_a_range_in_code_points(team, task):
    response = create_note(team.writer1, task, quote="blue light", principle="factual",
                           anchor={"start": "AAA=", "end": "AAE="})
    assert response.status_code == 201, response.content
    note = response.json()
    start = EDITED.index("blue light")
    assert EDITED.encode("utf-16-le").find("blue light".encode("utf-16-le")) // 2 == start + 1
    assert (note["start"], note["end"], note["quote"]) == (start, start + 10, "blue light")
    assert (note["seq"], note["author"], note["principle"]) == (3, team.writer1.username, "factual")
    assert note["anchor"] == {"start": "AAA=", "end": "AAE="}
    assert len(note["versions"]) == 1
    listed = api_client(team.writer1).get(notes_url(task)).json()
    assert [n["id"] for n in listed] == [note["id"]]


def test_a_quote_a_few_keystrokes_off_is_found_nearest_the_offsets(team, task):
    # The browser sent UTF-16 offsets by mistake (one more after the emoji): the quote wins.
    start = EDITED.index("because") + 1
    response = api_client(team.writer1).post(notes_url(task), {
        "body": "b", "start": start, "end": start + 7, "quote": "because"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["start"] == EDITED.index("because")


def test_submission_freezes_the_replayed_text(team, task):
    response = api_client(team.writer1).post(submit_url(task))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == EDITED
    assert body["sha256"] == hashlib.sha256(EDITED.encode("utf-8")).hexdigest()
    assert (body["round"], body["events"], body["submitted_by"]) == (1, 3, team.writer1.username)
    task.refresh_from_db()
    assert task.status == task_status.SUBMITTED


def test_a_lead_may_note_and_submit(team, task):
    assert create_note(team.lead, task).status_code == 201
    assert api_client(team.lead).post(submit_url(task)).status_code == 201


# -- refusals ---------------------------------------------------------------------------


def test_nothing_is_accepted_once_the_task_is_submitted(team, task):
    note_id = create_note(team.writer1, task).json()["id"]
    assert api_client(team.writer1).post(submit_url(task)).status_code == 201
    before = stored(task)
    client = api_client(team.writer1)
    closed = "This task is submitted: notes and submissions are closed."
    assert_refused(create_note(team.writer1, task), 400, closed)
    assert_refused(client.patch(note_url(note_id), {"body": "later"}, format="json"), 400, closed)
    assert_refused(client.delete(note_url(note_id)), 400, closed)
    # Submitting twice: the round already has its final.
    assert_refused(client.post(submit_url(task)), 400, closed)
    assert stored(task) == before


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"start": 0, "end": len(EDITED) + 1, "quote": None}, "outside the text at seq 3"),
    ({"start": len(EDITED) + 5, "end": len(EDITED) + 9, "quote": None}, "outside the text"),
    ({"start": 10, "end": 4, "quote": None}, "outside the text"),
    ({"start": -1, "end": 4, "quote": None}, "start:"),
    ({"start": "ten", "end": 4, "quote": None}, "start:"),
    ({"seq": 4}, "seq 4 is beyond the trajectory's 3 events"),
    ({"seq": -1}, "seq:"),
    ({"quote": "not in the text"}, "The quote does not match the text"),
    ({"anchor": "AAA="}, "anchor"),
    ({"anchor": ["AAA=", "AAE="]}, "anchor"),
    ({"anchor": {"start": "A" * 3000, "end": "A"}}, "anchor"),
])
def test_ranges_anchors_and_seqs_out_of_range_are_refused(team, task, fields, fragment):
    before = stored(task)
    payload = note_request()
    payload.update(fields)
    payload = {k: v for k, v in payload.items() if v is not None}
    response = api_client(team.writer1).post(notes_url(task), payload, format="json")
    assert_refused(response, 400, fragment)
    assert stored(task) == before


def test_a_range_valid_at_an_earlier_seq_is_checked_against_that_text(team, task):
    # "violet" stood at 11–17 in the draft (seq 0); at seq 3 that range holds other text.
    before = stored(task)
    response = create_note(team.writer1, task, text=DRAFT, quote="violet", seq=0)
    assert response.status_code == 201, response.content
    assert (response.json()["seq"], response.json()["start"]) == (0, 11)
    assert stored(task)["versions"] == before["versions"] + 1


def test_oversize_and_empty_bodies_are_refused(team, task):
    client = api_client(team.writer1)
    # The limit counts characters (code points), not UTF-8 bytes: 10,000 emoji fit.
    largest = client.post(notes_url(task), note_request(body="🌍" * 10_000), format="json")
    assert largest.status_code == 201, largest.content
    before = stored(task)
    assert_refused(client.post(notes_url(task), note_request(body="🌍" * 10_001), format="json"),
                   400, "at most 10000 characters")
    assert_refused(client.post(notes_url(task), note_request(body="  \n "), format="json"),
                   400, "A note needs a body")
    assert_refused(client.patch(note_url(largest.json()["id"]), {"body": "x" * 10_001},
                                format="json"), 400, "at most 10000 characters")
    assert stored(task) == before


def test_an_unknown_principle_is_refused(team, task):
    client = api_client(team.writer1)
    note_id = create_note(team.writer1, task, principle="factual").json()["id"]
    before = stored(task)
    error = assert_refused(create_note(team.writer1, task, principle="vibes"), 400,
                           "Unknown rubric principle 'vibes'")
    assert "serves-the-need, no-extras, factual" in error["message"]
    assert_refused(client.patch(note_url(note_id), {"principle": "vibes"}, format="json"), 400,
                   "Unknown rubric principle")
    assert stored(task) == before


def test_other_writers_do_not_see_the_task_and_reviewers_may_not_write(team, task):
    note_id = create_note(team.writer1, task).json()["id"]
    before = stored(task)
    # writer2 is not assigned: for them the task (and its notes) do not exist.
    for user in (team.writer2, team.outsider):
        client = api_client(user)
        assert_refused(create_note(user, task), 404)
        assert_refused(client.post(submit_url(task)), 404)
        assert_refused(client.patch(note_url(note_id), {"body": "mine now"}, format="json"), 404)
        assert_refused(client.delete(note_url(note_id)), 404)
    # The reviewer sees the task and its notes but may not write either.
    reviewer = api_client(team.reviewer)
    assert reviewer.get(notes_url(task)).status_code == 200
    only = "Only the task's writers and the project's leads may do this."
    assert_refused(create_note(team.reviewer, task), 403, only)
    assert_refused(reviewer.post(submit_url(task)), 403, only)
    assert_refused(reviewer.patch(note_url(note_id), {"body": "x"}, format="json"), 403, only)
    # A lead may edit the task, but a note belongs to its author.
    assert_refused(api_client(team.lead).delete(note_url(note_id)), 403,
                   "Only the note's author may change it.")
    assert stored(task) == before


def test_submitting_twice_is_refused(team, task):
    client = api_client(team.writer1)
    first = client.post(submit_url(task))
    assert first.status_code == 201
    before = stored(task)
    assert_refused(client.post(submit_url(task)), 400, "This task is submitted")
    assert stored(task) == before
    assert len(before["submissions"]) == 1


def test_notes_required_by_the_project_before_submission(team, task):
    project = task.project
    project.notes_per_changed_chars = 10
    project.save()
    # Inserted plus deleted code points over all events: "violet" out, "blue" in, then
    # "violet ligh" replaced by "blue light mos" (the delta keeps the common "t.").
    changed = services.changed_chars(task)
    assert changed == 6 + 4 + 11 + 14
    needed = -(-changed // 10)
    client = api_client(team.writer1)
    before = stored(task)
    assert_refused(client.post(submit_url(task)), 400,
                   "one note per 10 changed characters",
                   f"{changed} changed characters need {needed} notes, you wrote 0")
    assert stored(task) == before

    ids = [create_note(team.writer1, task, body=f"reason {i}").json()["id"]
           for i in range(needed)]
    # A withdrawn note does not count.
    assert client.delete(note_url(ids[0])).status_code == 200
    before = stored(task)
    assert_refused(client.post(submit_url(task)), 400, f"you wrote {needed - 1}")
    assert stored(task) == before

    assert client.patch(note_url(ids[0]), {"withdrawn": False}, format="json").status_code == 200
    response = client.post(submit_url(task))
    assert response.status_code == 201, response.content
    assert response.json()["text"] == EDITED


def test_a_trace_that_does_not_replay_is_never_frozen(team, task):
    # A checkpoint disagreeing with the events (a corrupt trace): the invariant check
    # refuses, and the transaction leaves no submission and no status change behind.
    Checkpoint.objects.create(task=task, seq=2, text=STEP_2 + "!")
    before = stored(task)
    response = api_client(team.writer1).post(f"/api/tasks/{task.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "trace_mismatch"
    assert "the recorded events and the final text disagree" in response.json()["error"]["message"]
    assert stored(task) == before
    with pytest.raises(services.TraceError):
        services.task_submit(task=task, user=team.writer1)
    assert stored(task) == before


def test_notes_carry_the_servers_one_markdown_rendering(team, task):
    body = "**Violet** is *wrong*: see `Rayleigh`.\n\n- one\n- two\n\n<script>alert(1)</script>"
    assert create_note(team.writer1, task, body=body).status_code == 201
    note = api_client(team.lead).get(notes_url(task)).json()[0]
    assert note["body"] == body  # the source is kept as written
    html = note["body_html"]
    assert "<strong>Violet</strong>" in html and "<em>wrong</em>" in html
    assert "<code>Rayleigh</code>" in html and "<li>one</li>" in html
    assert "<script" not in html
    assert note["versions"][0]["body_html"] == html
