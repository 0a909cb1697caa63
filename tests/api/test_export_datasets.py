"""Every export format loads with Hugging Face `datasets`; preference rows fit TRL's DPO trainer.

Local files only: the hub is switched off and the cache lives in the test's tmp folder.
"""

import pytest
from django.urls import reverse

from oversight.workspace import status as task_status
from tests.api.export_factories import make_trajectory, read_body
from tests.factories import api_client

datasets = pytest.importorskip("datasets")

URL = reverse("export")
DPO_COLUMNS = {"prompt", "chosen", "rejected"}  # what TRL's DPOTrainer reads


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Keep `datasets` off the network: local JSON files need nothing from the hub."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for flag in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
        if hasattr(datasets.config, flag):
            monkeypatch.setattr(datasets.config, flag, True)


@pytest.fixture
def export_file(team, tmp_path):
    """Return a function writing one format's export of a varied project to a file."""
    make_trajectory(team.project, team.writer1, team.reviewer)
    make_trajectory(team.project, team.writer2, team.reviewer, rounds=2)
    make_trajectory(team.project, team.writer1, team.reviewer, note=False)
    make_trajectory(team.project, team.writer1, team.reviewer, status=task_status.IN_PROGRESS)

    def write(fmt: str):
        path = tmp_path / f"{fmt}.jsonl"
        response = api_client(team.lead).get(URL, {"format": fmt, "status": "any"})
        path.write_bytes(read_body(response))
        return path

    return write


def load(path, tmp_path):
    return datasets.load_dataset("json", data_files=str(path), split="train",
                                 cache_dir=str(tmp_path / "hf-cache"))


@pytest.mark.parametrize("fmt", ["trajectory", "sft", "preference", "critique", "edits"])
def test_each_format_loads_as_a_dataset_with_one_row_per_line(export_file, tmp_path, fmt):
    path = export_file(fmt)
    rows = load(path, tmp_path)
    assert rows.num_rows == len(path.read_text(encoding="utf-8").splitlines()) > 0


def test_preference_rows_have_exactly_the_dpo_columns_plus_meta(export_file, tmp_path):
    rows = load(export_file("preference"), tmp_path)
    assert set(rows.column_names) == DPO_COLUMNS | {"meta"}
    for column in DPO_COLUMNS:
        assert rows.features[column].dtype == "string"
    assert all(row["chosen"] != row["rejected"] for row in rows)
    assert rows[0]["meta"]["schema"] == "oversight.trajectory/v1"


def test_sft_rows_are_chat_messages(export_file, tmp_path):
    rows = load(export_file("sft"), tmp_path)
    assert set(rows.column_names) == {"messages", "meta"}
    assert [m["role"] for m in rows[0]["messages"]] == ["user", "assistant"]


def test_trajectory_rows_keep_events_with_mixed_ops(export_file, tmp_path):
    rows = load(export_file("trajectory"), tmp_path)
    ops = [op for row in rows for event in row["events"] for op in event["ops"]]
    assert any(op.get("insert") for op in ops) and any(op.get("delete") for op in ops)
    assert None in rows["final"]  # the in-progress task has no final yet
