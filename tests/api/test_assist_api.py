"""Model help over the API, against a real loopback chat-completions server."""

import json

import pytest

from oversight.assist import services
from oversight.assist.models import AssistRequest
from oversight.traces.models import EditEvent
from oversight.workspace.models import Project
from tests.factories import Team, add_edits, api_client
from tests.provider_server import COMPLETION, PIECES

pytestmark = pytest.mark.django_db

DRAFT = "The sky is violet. It is so because of the air."
SELECTED = "The sky is violet."


@pytest.fixture
def helped(db, configured_provider):
    team = Team(draft_text=DRAFT)
    Project.objects.filter(pk=team.project.pk).update(model_help="all")
    team.server = configured_provider
    return team


def events_of(response) -> list[tuple[str, dict]]:
    """Parse a server-sent event stream into (event, data) pairs."""
    text = b"".join(response.streaming_content).decode()
    return parse(text)


def parse(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def ask(team, user=None, **body):
    body = {"action": "rewrite", "start": 0, "end": len(SELECTED), **body}
    return api_client(user or team.writer1).post(f"/api/tasks/{team.task1.pk}/assists/", body,
                                                 format="json")


def test_a_streamed_rewrite_is_relayed_piece_by_piece_and_recorded(helped):
    helped.server.mode = "stream"
    response = ask(helped, instruction="Make it correct.", quote=SELECTED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    events = events_of(response)
    assist = AssistRequest.objects.get()
    assert events[0] == ("request", {"id": assist.pk, "model": "test-model"})
    assert [d["text"] for e, d in events if e == "delta"] == PIECES
    assert events[-1][0] == "done" and events[-1][1]["response"] == COMPLETION
    assert (assist.outcome, assist.response, assist.quote, assist.seq) == (
        "answered", COMPLETION, SELECTED, 0)
    assert assist.latency_ms is not None and assist.params["stream"] is True
    sent = helped.server.requests[-1]["json"]
    assert sent["stream"] is True and "Make it correct." in sent["messages"][-1]["content"]
    assert SELECTED in sent["messages"][-1]["content"]


def test_the_first_piece_reaches_the_writer_before_the_model_sends_the_rest(helped):
    helped.server.mode = "stream_gated"
    chunks = iter(ask(helped).streaming_content)
    first = next(chunks) + next(chunks)  # the request event, then the first delta
    assert parse(first.decode())[1] == ("delta", {"text": PIECES[0]})
    helped.server.gate.set()
    rest = parse(b"".join(chunks).decode())
    assert [d["text"] for e, d in rest if e == "delta"] == PIECES[1:]


def test_a_provider_without_streaming_answers_in_one_piece(helped):
    helped.server.mode = "ok"
    events = events_of(ask(helped))
    assert [d["text"] for e, d in events if e == "delta"] == [COMPLETION]


@pytest.mark.parametrize("mode, kept", [("stream_cut", "".join(PIECES[:2])), ("error", ""),
                                        ("malformed", ""), ("empty", ""), ("hang", ""),
                                        ("stream_garbage", "".join(PIECES[:2]))])
def test_a_provider_failure_is_an_error_event_and_a_failed_record(helped, mode, kept):
    helped.server.mode = mode
    before = EditEvent.objects.count()
    events = events_of(ask(helped))
    assist = AssistRequest.objects.get()
    assert events[-1] == ("error", {"id": assist.pk, "message": assist.error})
    assert assist.outcome == "failed" and assist.error and assist.response == kept
    assert EditEvent.objects.count() == before  # the document is untouched


def test_a_closed_tab_leaves_the_request_failed_with_what_had_arrived(helped):
    helped.server.mode = "stream_gated"
    response = ask(helped)
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    # A server closes the response when its client goes away. Closing the test client's
    # wrapper of the stream does that, and keeps the test's database connection open
    # (response.close() itself would fire request_finished and close it).
    response._iterator.close()
    helped.server.gate.set()
    assist = AssistRequest.objects.get()
    assert (assist.outcome, assist.error, assist.response) == (
        "failed", services.DISCONNECTED, PIECES[0])


def test_help_off_and_critique_only_refuse_with_a_plain_message(helped):
    Project.objects.filter(pk=helped.project.pk).update(model_help="off")
    response = ask(helped)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == services.HELP_OFF.format(
        slug=helped.project.slug)
    Project.objects.filter(pk=helped.project.pk).update(model_help="critique")
    response = ask(helped)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "model_help_critique_only"
    helped.server.mode = "stream"
    assert ask(helped, action="critique").status_code == 200
    assert AssistRequest.objects.count() == 1  # refusals store nothing


def test_the_daily_budget(helped):
    Project.objects.filter(pk=helped.project.pk).update(assist_daily_budget=1)
    helped.server.mode = "stream"
    events_of(ask(helped))
    response = ask(helped)
    assert response.status_code == 429
    assert response.json()["error"]["message"] == services.BUDGET_SPENT.format(
        budget=1, slug=helped.project.slug)


@pytest.mark.parametrize("body, status, code", [
    ({"end": 999}, 400, "invalid_parameter"), ({"quote": "The sea"}, 409, "selection_changed"),
    ({"seq": 5}, 400, "invalid_parameter"), ({"action": "poem"}, 400, "invalid")])
def test_bad_requests_are_clear_and_store_nothing(helped, body, status, code):
    response = ask(helped, **body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert not AssistRequest.objects.exists()


def test_only_the_tasks_writer_may_ask(helped):
    assert ask(helped, user=helped.reviewer).status_code == 403
    assert ask(helped, user=helped.writer2).status_code == 404


def decide(team, assist, outcome, user=None):
    return api_client(user or team.writer1).post(f"/api/assists/{assist.pk}/decide/",
                                                 {"outcome": outcome}, format="json")


def replace(team, start: int, text: str, *, seq: int, length: int = 0):
    """Store the edit an editor makes when the writer accepts: the selection replaced."""
    ops = ([{"retain": start}] if start else []) + (
        [{"delete": length}] if length else []) + [{"insert": text}]
    EditEvent.objects.create(task=team.task1, seq=seq, round=1, author=team.writer1,
                             client_id=1, server_ms=seq, kind="model.assist",
                             inferred_kind="paste-like", ops=ops)


def answered(team) -> AssistRequest:
    team.server.mode = "stream"
    events_of(ask(team))
    return AssistRequest.objects.latest("id")


def test_accepting_links_the_model_assist_edit_and_tells_edited_from_verbatim(helped):
    assist = answered(helped)
    assert decide(helped, assist, "accepted").json()["error"]["code"] == "no_edit"
    add_edits(helped.task1, helped.writer2, "X" + DRAFT, kind="model.assist")  # not theirs
    replace(helped, 1, COMPLETION, seq=2)  # the editor replaces the selection: one edit
    body = decide(helped, assist, "accepted").json()
    assert (body["outcome"], body["result_seq"], body["kept_text"]) == ("accepted", 2,
                                                                        COMPLETION)
    assert decide(helped, assist, "dismissed").status_code == 409  # decided once
    second = answered(helped)
    replace(helped, 0, "Edited first. " + COMPLETION, seq=3)
    body = decide(helped, second, "accepted").json()
    assert (body["outcome"], body["result_seq"]) == ("accepted_edited", 3)
    assert body["kept_text"] == "Edited first. " + COMPLETION


def test_dismissing_and_who_may_decide(helped):
    assist = answered(helped)
    assert decide(helped, assist, "dismissed", user=helped.lead).status_code == 403
    assert decide(helped, assist, "dismissed").json()["outcome"] == "dismissed"
    assert decide(helped, assist, "maybe").status_code == 400


def test_leads_set_model_help_over_patch(team):
    url = f"/api/projects/{team.project.slug}/"
    body = api_client(team.lead).patch(url, {"model_help": "critique",
                                             "assist_daily_budget": 5}, format="json").json()
    assert (body["model_help"], body["assist_daily_budget"]) == ("critique", 5)
    assert api_client(team.writer1).patch(url, {"model_help": "all"},
                                          format="json").status_code == 403
    bad = api_client(team.lead).patch(url, {"model_help": "sometimes"}, format="json")
    assert bad.status_code == 400 and "model_help" in bad.json()["error"]["message"]
    assert api_client(team.outsider).get(url).status_code == 404
    assert api_client(team.writer1).get(url).json()["model_help"] == "critique"
