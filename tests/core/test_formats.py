"""Export records per format, built from a trajectory v1 record."""

import pytest

from oversight.core.formats import FORMATS, record_meta, to_records
from oversight.core.trajectory import SCHEMA

from .factories import event, note, trajectory_dict

REVIEWS = [{"verdict": "revise", "scores": {"accuracy": 2}, "reviewer": "rex", "round": 1},
           {"verdict": "accept", "scores": {"accuracy": 4}, "reviewer": "rex", "round": 2}]


def records(fmt, **kwargs):
    return list(to_records(fmt, trajectory_dict(**kwargs)))


def test_the_formats():
    assert FORMATS == ("trajectory", "sft", "preference", "critique", "edits", "judgement",
                       "assist")
    with pytest.raises(ValueError, match="unknown export format 'csv'"):
        to_records("csv", trajectory_dict())


def test_the_trajectory_format_is_the_record_itself():
    traj = trajectory_dict()
    assert list(to_records("trajectory", traj)) == [traj]


def test_meta_names_the_writer_model_last_scores_and_signals():
    meta = record_meta(trajectory_dict(reviews=REVIEWS))
    assert meta == {"task_id": 42, "project": "essays", "writer": "bea", "model": "m-1",
                    "scores": {"accuracy": 4}, "signals": {"changed_share": 0.5},
                    "schema": SCHEMA, "self_review": False,
                    "verifier": None, "group": None, "experiment": None, "variant": None}


def test_meta_names_the_experiment_and_variant_of_the_record():
    traj = {**trajectory_dict(reviews=REVIEWS),
            "experiment": {"id": 7, "name": "Model help", "variant": "B"}}
    meta = record_meta(traj)
    assert (meta["experiment"], meta["variant"]) == (7, "B")


def test_meta_marks_a_record_whose_verdict_in_force_is_a_self_review():
    self_reviewed = [*REVIEWS[:1], {**REVIEWS[1], "self_review": True}]
    assert record_meta(trajectory_dict(reviews=self_reviewed))["self_review"] is True
    assert record_meta(trajectory_dict(reviews=self_reviewed[::-1]))["self_review"] is False


def test_without_a_submission_the_writer_is_the_first_author_and_scores_are_empty():
    meta = record_meta(trajectory_dict(final=None))
    assert meta["writer"] == "ana" and meta["scores"] == {}
    assert record_meta(trajectory_dict(final=None, events=[]))["writer"] == ""


def test_sft_is_a_user_assistant_conversation_ending_in_the_final():
    [record] = records("sft")
    assert record["messages"] == [{"role": "user", "content": "Write a line."},
                                  {"role": "assistant", "content": "The dog sat!"}]
    assert record["meta"]["task_id"] == 42


def test_preference_has_exactly_the_dpo_columns_plus_meta():
    [record] = records("preference")
    assert set(record) == {"prompt", "chosen", "rejected", "meta"}
    assert (record["prompt"], record["chosen"], record["rejected"]) == (
        "Write a line.", "The dog sat!", "The cat sat.")


def test_critique_carries_the_notes_that_were_not_withdrawn():
    notes = [note(1, 1, "dogs fit better", quote="cat"),
             note(2, 2, "never mind", withdrawn=True)]
    [record] = records("critique", notes=notes)
    assert record["draft"] == "The cat sat." and record["final"] == "The dog sat!"
    assert record["notes"] == [{"quote": "cat", "body": "dogs fit better",
                                "principle": "accuracy"}]


@pytest.mark.parametrize("fmt", ["sft", "preference", "critique"])
def test_formats_that_need_a_final_yield_nothing_without_one(fmt):
    assert records(fmt, final=None) == []


def test_edits_yield_one_record_per_event_with_running_text_and_its_note():
    notes = [note(1, 1, "dogs fit better"), note(2, 1, "and rhyme"),
             note(3, 2, "withdrawn", withdrawn=True), note(4, 0, "before any edit")]
    out = records("edits", notes=notes, final=None)
    assert [(r["text_before"], r["text_after"]) for r in out] == [
        ("The cat sat.", "The dog sat."), ("The dog sat.", "The dog sat!")]
    assert [r["note"] for r in out] == ["dogs fit better\n\nand rhyme", None]
    assert out[0]["ops"] == [{"retain": 4}, {"delete": 3}, {"insert": "dog"}]
    assert out[0]["kind"] == "input.type"
    assert set(out[0]) == {"prompt", "text_before", "ops", "text_after", "kind", "note", "meta"}


def test_an_unreported_edit_kind_falls_back_on_the_inferred_one():
    events = [event(1, [{"delete": 4}], kind="")]
    [record] = records("edits", events=events, final="cat sat.")
    assert record["kind"] == "deleted"


def test_the_edit_records_of_a_long_trajectory_are_built_incrementally():
    events = [event(i + 1, [{"retain": i}, {"insert": "x"}]) for i in range(3000)]
    out = records("edits", draft="", events=events, final="x" * 3000)
    assert len(out) == 3000 and out[-1]["text_after"] == "x" * 3000
    assert out[1234]["text_before"] == "x" * 1234
