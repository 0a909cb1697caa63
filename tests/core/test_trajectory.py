"""The oversight.trajectory/v1 record: exact keys, and a lossless way back."""

import hashlib

import pytest

from oversight.core.trajectory import SCHEMA, sha256_text, trajectory_from_dict

from .factories import note, trajectory, trajectory_dict


def test_the_record_has_exactly_the_v1_keys():
    d = trajectory_dict(notes=[note(1, 1, "why")], reviews=[{"verdict": "accept"}])
    assert SCHEMA == "oversight.trajectory/v1"
    assert list(d) == ["schema", "task_id", "project", "kind", "language", "prompt", "draft",
                       "final", "events", "notes", "reviews", "metrics", "model_critiques",
                       "rubric", "assists", "focus"]
    assert d["schema"] == SCHEMA
    assert list(d["draft"]) == ["text", "model", "params", "source"]
    assert list(d["final"]) == ["text", "sha256", "submitted_by", "submitted_at", "round",
                              "provenance"]
    assert list(d["events"][0]) == ["seq", "t_ms", "author", "client", "round", "kind",
                                    "inferred_kind", "ops"]
    assert list(d["notes"][0]) == ["id", "seq", "t_ms", "author", "principle", "quote",
                                   "start", "end", "orphaned", "body", "versions"]
    assert d["reviews"] == [{"verdict": "accept"}]


def test_an_unsubmitted_trajectory_has_a_null_final():
    assert trajectory_dict(final=None)["final"] is None


def test_the_record_converts_back_to_the_same_trajectory():
    t = trajectory(notes=[note(1, 2, "because")], reviews=[{"verdict": "accept"}])
    from oversight.core.trajectory import trajectory_to_dict

    assert trajectory_from_dict(trajectory_to_dict(t)) == t
    assert trajectory_from_dict(trajectory_dict(final=None)).final is None


def test_another_schema_is_refused():
    d = trajectory_dict()
    d["schema"] = "oversight.trajectory/v0"
    with pytest.raises(ValueError, match="expected schema 'oversight.trajectory/v1'"):
        trajectory_from_dict(d)


def test_the_hash_is_sha256_of_the_utf8_text():
    assert sha256_text("数👍🏽") == hashlib.sha256("数👍🏽".encode()).hexdigest()
    assert sha256_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
