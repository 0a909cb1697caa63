"""format=judgement: a record per task, round and principle; model and human side by side."""

import pytest
from django.urls import reverse

from tests.api.export_factories import read_body, read_jsonl
from tests.factories import api_client, make_task
from tests.judge.conftest import critique_answer, run_models_queue
from tests.judge_server import answer
from tests.review.traces import careful_work

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("export")


def export(user, **params):
    response = api_client(user).get(URL, params)
    assert response.status_code == 200, response.content
    return read_jsonl(read_body(response))


@pytest.fixture
def reviewed(judged_team, submitted_round, judge_server, keys):
    """An approved round: the reviewer adopted one model score and disagreed with another."""
    judge_server.script = [answer(critique_answer(keys, [4, 2, 5], quotes=["scatters"])),
                           answer(critique_answer(keys, [2, 1, 3]))]  # the draft's
    run_models_queue()
    api_client(judged_team.reviewer).post(
        f"/api/tasks/{judged_team.task1.pk}/reviews/",
        {"verdict": "approve", "scores": dict(zip(keys, [4, 5, 5], strict=True)),
         "critique_assessments": {keys[0]: {"adopted": True},
                                  keys[1]: {"assessment": "wrong", "reason": "It answers."}}},
        format="json")
    return judged_team


def test_each_principle_of_the_round_is_one_record_with_both_judgements(reviewed, keys):
    rows = export(reviewed.lead, format="judgement")
    assert [r["principle"]["key"] for r in rows] == keys
    first, second, third = rows
    assert set(first) == {"prompt", "response", "draft", "principle", "model", "human", "meta"}
    assert first["response"] == reviewed.task1.submissions.get().text
    assert first["draft"] == "Draft."
    assert first["principle"] == reviewed.project.rubric[0]
    assert first["model"] == {"score": 4, "critique": f"Concrete critique. ({keys[0]})",
                              "quotes": ["scatters"], "model": "judge-model-1",
                              "template_version": 0}
    assert first["human"] == {"score": 4, "assessment": "agree", "adopted": True, "reason": "",
                              "reviewer": reviewed.reviewer.username}
    assert second["human"]["assessment"] == "wrong" and second["human"]["score"] == 5
    assert third["human"]["assessment"] is None and third["human"]["score"] == 5
    assert [r["meta"]["draft_model_score"] for r in rows] == [2, 1, 3]
    assert first["meta"]["task_id"] == reviewed.task1.pk and first["meta"]["round"] == 1


def test_an_unreviewed_round_has_a_null_human_and_an_uncritiqued_one_no_records(
        judged_team, submitted_round, judge_server, keys):
    judge_server.script = [answer(critique_answer(keys, [3, 3, 3]))]
    run_models_queue()
    other = make_task(judged_team.project, assignees=[judged_team.writer2])
    careful_work(other, judged_team.writer2)  # submitted, never critiqued
    rows = export(judged_team.lead, format="judgement", status="submitted")
    assert {r["meta"]["task_id"] for r in rows} == {judged_team.task1.pk}
    assert all(r["human"] is None for r in rows)


def test_the_critique_format_carries_the_model_critiques_in_meta(reviewed, keys):
    [row] = export(reviewed.lead, format="critique")
    targets = {c["target"]: c for c in row["meta"]["model_critiques"]}
    assert set(targets) == {"final", "draft"}
    assert [p["score"] for p in targets["final"]["principles"]] == [4, 2, 5]


def test_the_trajectory_record_carries_the_rubric_critiques_and_assessments(reviewed, keys):
    [record] = export(reviewed.lead, format="trajectory")
    assert record["rubric"] == reviewed.project.rubric
    assert {c["target"] for c in record["model_critiques"]} == {"draft", "final"}
    assert record["reviews"][0]["critique_assessments"][keys[0]]["adopted"] is True


def test_the_judgement_export_loads_as_a_dataset(reviewed, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    path = tmp_path / "judgement.jsonl"
    path.write_bytes(read_body(api_client(reviewed.lead).get(URL, {"format": "judgement"})))
    rows = datasets.load_dataset("json", data_files=str(path), split="train",
                                 cache_dir=str(tmp_path / "cache"))
    assert rows.num_rows == 3 and "principle" in rows.column_names
