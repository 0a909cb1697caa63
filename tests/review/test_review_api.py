"""The review API: verdicts, claims and diffs, with every refusal's status and message."""

import pytest
from django.urls import reverse

from oversight.review import diffs, services
from oversight.review.models import Review
from oversight.workspace import status as task_status
from tests.factories import Team, api_client
from tests.review.traces import Recorder, careful_work, submit

SCORES = {"serves-the-need": 4, "no-extras": 5, "factual": 3}
APPROVE = {"verdict": "approve", "scores": SCORES, "comment": "Clear and right."}


def url(name, task, **query):
    base = reverse(name, args=[task.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def error(response) -> str:
    return response.json()["error"]["message"]


@pytest.fixture
def submitted(team):
    careful_work(team.task1, team.writer1)
    return team


# -- verdicts -------------------------------------------------------------------------


def test_a_reviewer_approves_with_scores_comments_and_anchors(submitted):
    final = submitted.task1.submissions.get().text
    at = final.index("scatters")
    body = {**APPROVE, "score_comments": {"factual": "Name Rayleigh."},
            "anchored_comments": [{"start": at, "end": at + 8, "quote": "scatters",
                                   "body": "Say how."}]}
    response = api_client(submitted.reviewer).post(url("task-reviews", submitted.task1), body,
                                                   format="json")
    assert response.status_code == 201, response.json()
    review = response.json()
    assert review["verdict"] == "approve" and review["reviewer"] == submitted.reviewer.username
    assert review["scores"] == SCORES and review["round"] == 1
    assert review["anchored_comments"][0]["quote"] == "scatters"
    submitted.task1.refresh_from_db()
    assert submitted.task1.status == task_status.APPROVED


def test_every_review_is_kept_across_rounds(submitted):
    task, lead = submitted.task1, submitted.lead
    first = api_client(lead).post(url("task-reviews", task), {
        "verdict": "request_changes", "scores": SCORES, "comment": "Explain the red sunsets."},
        format="json")
    assert first.status_code == 201
    Recorder(task).type(submitted.writer1, " Sunsets are red.")
    submit(task, submitted.writer1)
    second = api_client(lead).post(url("task-reviews", task), APPROVE, format="json")
    assert second.status_code == 201 and second.json()["round"] == 2
    history = api_client(submitted.writer1).get(url("task-reviews", task)).json()
    assert [(r["verdict"], r["round"]) for r in history] == [("request_changes", 1),
                                                             ("approve", 2)]


def test_a_writer_cannot_review_their_own_task(submitted):
    response = api_client(submitted.writer1).post(url("task-reviews", submitted.task1), APPROVE,
                                                  format="json")
    assert response.status_code == 403
    assert error(response) == services.NOT_REVIEWER
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["writer2", "outsider"])
def test_those_who_cannot_see_a_task_get_404_for_its_reviews(submitted, who):
    client = api_client(getattr(submitted, who))
    assert client.get(url("task-reviews", submitted.task1)).status_code == 404
    assert client.post(url("task-reviews", submitted.task1), APPROVE,
                       format="json").status_code == 404


def test_reviewers_of_another_project_get_404(submitted):
    other = Team()
    response = api_client(other.reviewer).post(url("task-reviews", submitted.task1), APPROVE,
                                               format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(("body", "message"), [
    ({"verdict": "maybe", "scores": SCORES}, services.BAD_VERDICT.format(verdict="maybe")),
    ({"verdict": "approve", "scores": {"factual": 3}},
     services.MISSING_SCORES.format(keys="serves-the-need, no-extras")),
    ({"verdict": "approve", "scores": {**SCORES, "factual": 6}},
     services.BAD_SCORE.format(key="factual")),
    ({"verdict": "request_changes", "scores": SCORES}, services.COMMENT_NEEDED),
    ({"verdict": "approve", "scores": SCORES,
      "anchored_comments": [{"start": 0, "end": 5, "quote": "Nope!", "body": "x"}]},
     services.ANCHOR_QUOTE.format(n=1, start=0, end=5)),
])
def test_invalid_verdicts_are_refused_with_400_and_the_message(submitted, body, message):
    response = api_client(submitted.reviewer).post(url("task-reviews", submitted.task1), body,
                                                   format="json")
    assert response.status_code == 400
    assert error(response) == message


def test_a_malformed_body_is_a_400_on_the_field(submitted):
    response = api_client(submitted.reviewer).post(url("task-reviews", submitted.task1),
                                                   {"verdict": "approve", "scores": [1, 2]},
                                                   format="json")
    assert response.status_code == 400
    assert error(response).startswith("scores:")


def test_a_task_not_submitted_cannot_be_reviewed(team):
    response = api_client(team.lead).post(url("task-reviews", team.task1), APPROVE,
                                          format="json")
    assert response.status_code == 400
    assert error(response) == services.NOT_SUBMITTED.format(status="open")


def test_a_decided_task_cannot_be_reviewed_again(submitted):
    client = api_client(submitted.lead)
    assert client.post(url("task-reviews", submitted.task1), APPROVE,
                       format="json").status_code == 201
    again = client.post(url("task-reviews", submitted.task1), APPROVE, format="json")
    assert again.status_code == 400
    assert error(again) == services.NOT_SUBMITTED.format(status="approved")


def test_anonymous_requests_are_refused(submitted):
    assert api_client().get(url("task-reviews", submitted.task1)).status_code == 401


# -- claims ---------------------------------------------------------------------------


def test_claims_tell_reviewers_apart(submitted):
    task = submitted.task1
    reviewer, lead = api_client(submitted.reviewer), api_client(submitted.lead)
    taken = reviewer.post(url("task-claim", task))
    assert taken.status_code == 201 and taken.json()["reviewer"] == submitted.reviewer.username
    assert reviewer.post(url("task-claim", task)).status_code == 201  # idempotent for the holder
    assert lead.get(url("task-claim", task)).json()["reviewer"] == submitted.reviewer.username
    conflict = lead.post(url("task-claim", task))
    assert conflict.status_code == 409
    assert error(conflict) == services.CLAIMED_BY_OTHER.format(user=submitted.reviewer.username)
    assert reviewer.delete(url("task-claim", task)).status_code == 204
    assert lead.get(url("task-claim", task)).json()["reviewer"] is None


def test_a_reviewer_cannot_release_someone_elses_claim(submitted):
    task = submitted.task1
    api_client(submitted.lead).post(url("task-claim", task))
    response = api_client(submitted.reviewer).delete(url("task-claim", task))
    assert response.status_code == 403
    assert error(response) == services.NOT_YOUR_CLAIM.format(user=submitted.lead.username)


def test_writers_cannot_claim(submitted):
    response = api_client(submitted.writer1).post(url("task-claim", submitted.task1))
    assert response.status_code == 403
    assert error(response) == services.NOT_REVIEWER
    assert api_client(submitted.writer2).post(url("task-claim", submitted.task1)).status_code == 404


def test_an_open_task_cannot_be_claimed(team):
    response = api_client(team.reviewer).post(url("task-claim", team.task1))
    assert response.status_code == 400
    assert error(response) == services.NOT_CLAIMABLE.format(status="open")


# -- diffs ----------------------------------------------------------------------------


def test_the_diff_from_draft_to_final_is_word_level_for_prose(submitted):
    response = api_client(submitted.reviewer).get(url("task-diff", submitted.task1))
    assert response.status_code == 200
    diff = response.json()
    assert diff["mode"] == "word" and diff["from"] == "draft" and diff["to"] == "final"
    assert diff["segments"] == [
        {"op": "equal", "text": "Draft."},
        {"op": "insert", "text": " The sky is blue because air scatters blue light."}]
    assert diff["inserted"] == 49 and diff["deleted"] == 0


def test_a_diff_between_two_seqs_side_by_side(submitted):
    response = api_client(submitted.lead).get(url("task-diff", submitted.task1,
                                                  **{"from": 5, "to": 8, "view": "side"}))
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert "".join(r["left"] for r in rows) == "Draft. The "
    assert "".join(r["right"] for r in rows) == "Draft. The sky"
    assert {r["op"] for r in rows} <= {"equal", "insert", "delete", "replace"}


def test_code_projects_diff_by_line(db):
    code = Team(kind="code", language="python", draft_text="def f():\n    return 1\n")
    Recorder(code.task1).delete(code.writer1, 20, 1).type(code.writer1, "2", at=20)
    submit(code.task1, code.writer1)
    diff = api_client(code.lead).get(url("task-diff", code.task1)).json()
    assert diff["mode"] == "line"
    assert diff["segments"] == [{"op": "equal", "text": "def f():\n"},
                                {"op": "delete", "text": "    return 1\n"},
                                {"op": "insert", "text": "    return 2\n"}]


@pytest.mark.parametrize(("query", "message"), [
    ({"from": "start"}, diffs.BAD_POINT.format(name="from", last=49, value="start")),
    ({"to": 50}, diffs.BAD_POINT.format(name="to", last=49, value="50")),
    ({"to": -1}, diffs.BAD_POINT.format(name="to", last=49, value="-1")),
    ({"view": "split"}, diffs.BAD_VIEW.format(value="split")),
])
def test_bad_diff_points_are_refused_with_400(submitted, query, message):
    response = api_client(submitted.reviewer).get(url("task-diff", submitted.task1, **query))
    assert response.status_code == 400
    assert error(response) == message


def test_there_is_no_final_to_diff_before_a_submission(team):
    response = api_client(team.writer1).get(url("task-diff", team.task1))
    assert response.status_code == 400
    assert error(response) == diffs.NO_FINAL
    assert api_client(team.writer1).get(url("task-diff", team.task1, to=0)).status_code == 200


def test_writers_cannot_diff_or_read_another_writers_trace(submitted):
    other = api_client(submitted.writer2)
    for name in ("task-diff", "task-trajectory", "task-reviews", "task-claim"):
        assert other.get(url(name, submitted.task1)).status_code == 404, name
    assert api_client(submitted.writer1).get(url("task-diff", submitted.task1)).status_code == 200
