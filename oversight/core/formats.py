"""Export records, one format per training use, from a trajectory v1 record.

Every record but `trajectory` carries `meta`: who wrote it, from which model,
how it was reviewed and its quality signals, so a dataset can be filtered later.
"""

from collections.abc import Iterator

from .delta import apply_ops
from .trajectory import SCHEMA
from .verifier_summary import export_meta

FORMATS = ("trajectory", "sft", "preference", "critique", "edits", "judgement", "assist")
ACCEPTED_OUTCOMES = frozenset({"accepted", "accepted_edited"})

UNKNOWN_FORMAT = "unknown export format {fmt!r}; expected one of " + ", ".join(FORMATS)


def is_withdrawn(note: dict) -> bool:
    """Tell whether the note's latest version withdrew it."""
    versions = note.get("versions") or []
    return bool(versions and versions[-1].get("withdrawn"))


def live_notes(traj: dict) -> list[dict]:
    """Return the trajectory's notes that were not withdrawn."""
    return [n for n in traj["notes"] if not is_withdrawn(n)]


def _writer(traj: dict) -> str:
    final, events = traj["final"], traj["events"]
    if final and final.get("submitted_by"):
        return final["submitted_by"]
    return events[0]["author"] if events else ""


def record_meta(traj: dict) -> dict:
    """Return the `meta` every derived record carries."""
    reviews = traj["reviews"]
    meta = {
        "task_id": traj["task_id"],
        "project": traj["project"],
        "writer": _writer(traj),
        "model": traj["draft"]["model"],
        "scores": (reviews[-1].get("scores") or {}) if reviews else {},
        "signals": traj["metrics"],
        "schema": SCHEMA,
        # The verdict in force came from someone who wrote or submitted the round.
        "self_review": bool(reviews and reviews[-1].get("self_review")),
        "verifier": export_meta(traj),
        # The overlap group of sibling tasks (one prompt, several writers); None: no overlap.
        "group": traj.get("group"),
        # The experiment and variant the task was assigned (None: it joined none).
        "experiment": (traj.get("experiment") or {}).get("id"),
        "variant": (traj.get("experiment") or {}).get("variant"),
    }
    gold = (traj.get("meta") or {}).get("gold")
    if gold is not None:  # only in an export asked for gold tasks (include_gold=1)
        meta["gold"] = gold
    return meta


def _sft(traj: dict, meta: dict) -> Iterator[dict]:
    yield {"messages": [{"role": "user", "content": traj["prompt"]},
                        {"role": "assistant", "content": traj["final"]["text"]}],
           "meta": meta}


def _preference(traj: dict, meta: dict) -> Iterator[dict]:
    # prompt/chosen/rejected: the columns TRL's DPO trainer reads.
    yield {"prompt": traj["prompt"], "chosen": traj["final"]["text"],
           "rejected": traj["draft"]["text"], "meta": {**meta, "pair_source": "draft_final"}}


def ranking_preference(traj: dict, meta: dict, pair: dict) -> dict:
    """Return a human-vs-human preference record: two siblings' finals as a reviewer ranked them.

    `pair`: {chosen, rejected (texts), chosen_round, rejected_task_id, rejected_round,
    rejected_writer, ranked_by, reason, tiers_apart}; `traj` is the chosen sibling's.
    """
    return {"prompt": traj["prompt"], "chosen": pair["chosen"], "rejected": pair["rejected"],
            "meta": {**meta, "pair_source": "ranking", "round": pair["chosen_round"],
                     "rejected_task_id": pair["rejected_task_id"],
                     "rejected_round": pair["rejected_round"],
                     "rejected_writer": pair["rejected_writer"], "ranked_by": pair["ranked_by"],
                     "reason": pair["reason"], "tiers_apart": pair["tiers_apart"]}}


def round_critiques(traj: dict) -> dict[str, dict | None]:
    """Return the model's finished critiques of the exported final and of the draft."""
    done = [c for c in traj.get("model_critiques", []) if c["status"] == "done"]
    final = next((c for c in done if c["target"] == "final"
                  and c["round"] == traj["final"]["round"]), None)
    draft = next((c for c in done if c["target"] == "draft"), None)
    return {"final": final, "draft": draft}


def _critique(traj: dict, meta: dict) -> Iterator[dict]:
    notes = [{"quote": n["quote"], "body": n["body"], "principle": n["principle"]}
             for n in live_notes(traj)]
    assists = [{"action": a["action"], "instruction": a["instruction"],
                "quote": a["selection"]["quote"], "response": a["response"],
                "outcome": a["outcome"], "kept_text": a["kept_text"]}
               for a in traj.get("assists", [])]
    critiques = round_critiques(traj)
    yield {"prompt": traj["prompt"], "draft": traj["draft"]["text"], "notes": notes,
           "final": traj["final"]["text"], "assists": assists,
           "meta": {**meta, "model_critiques": [c for c in critiques.values() if c]}}


def _round_review(traj: dict) -> dict | None:
    reviews = [r for r in traj["reviews"] if r["round"] == traj["final"]["round"]]
    return reviews[-1] if reviews else None


def _human_judgement(review: dict | None, key: str) -> dict | None:
    if review is None or key not in (review.get("scores") or {}):
        return None
    assessed = (review.get("critique_assessments") or {}).get(key) or {}
    return {"score": review["scores"][key], "assessment": assessed.get("assessment"),
            "adopted": assessed.get("adopted", False), "reason": assessed.get("reason", ""),
            "reviewer": review["reviewer"]}


def _judgement(traj: dict, meta: dict) -> Iterator[dict]:
    # One record per principle of the exported round: the model's judgement beside the
    # human's, the data a principle-following judge model is trained on.
    critiques = round_critiques(traj)
    if critiques["final"] is None:
        return
    principles = {p["key"]: p for p in traj.get("rubric", [])}
    draft_scores = {p["key"]: p["score"] for p in (critiques["draft"] or {}).get("principles", [])}
    review = _round_review(traj)
    for judged in critiques["final"]["principles"]:
        key = judged["key"]
        principle = principles.get(key, {"key": key, "name": key, "question": ""})
        yield {"prompt": traj["prompt"], "response": traj["final"]["text"],
               "draft": traj["draft"]["text"],
               "principle": {"key": key, "name": principle.get("name", key),
                             "question": principle.get("question", "")},
               "model": {"score": judged["score"], "critique": judged["critique"],
                         "quotes": judged["quotes"], "model": critiques["final"]["model"],
                         "template_version": critiques["final"]["template_version"]},
               "human": _human_judgement(review, key),
               "meta": {**meta, "round": traj["final"]["round"],
                        "draft_model_score": draft_scores.get(key)}}


def _assist(traj: dict, meta: dict) -> Iterator[dict]:
    # One record per request: the model's suggestion and what the writer did with it,
    # human feedback on model output (accepted vs dismissed) for preference training.
    for a in traj.get("assists", []):
        yield {"prompt": traj["prompt"], "messages": a["messages"], "action": a["action"],
               "instruction": a["instruction"], "selection": a["selection"], "seq": a["seq"],
               "model": a["model"], "params": a["params"], "response": a["response"],
               "outcome": a["outcome"], "accepted": a["outcome"] in ACCEPTED_OUTCOMES,
               "kept_text": a["kept_text"], "result_seq": a["result_seq"],
               "latency_ms": a["latency_ms"], "meta": meta}


def _edits(traj: dict, meta: dict) -> Iterator[dict]:
    # A note carries the seq of the text it was written on: it explains the edit there.
    notes_at: dict[int, list[str]] = {}
    for note in live_notes(traj):
        notes_at.setdefault(note["seq"], []).append(note["body"])
    text = traj["draft"]["text"]
    for event in traj["events"]:
        after = apply_ops(text, event["ops"])
        bodies = notes_at.get(event["seq"])
        yield {"prompt": traj["prompt"], "text_before": text, "ops": event["ops"],
               "text_after": after, "kind": event["kind"] or event["inferred_kind"],
               "note": "\n\n".join(bodies) if bodies else None, "meta": meta}
        text = after


_WRITERS = {"sft": _sft, "preference": _preference, "critique": _critique, "edits": _edits,
            "judgement": _judgement, "assist": _assist}
_NEED_FINAL = frozenset({"sft", "preference", "critique", "judgement"})


def to_records(fmt: str, traj: dict) -> Iterator[dict]:
    """Return the export records of one trajectory in format `fmt` (none if it needs a final)."""
    # Checked here, not in the generator, so a bad format fails before streaming starts.
    if fmt not in FORMATS:
        raise ValueError(UNKNOWN_FORMAT.format(fmt=fmt))
    return _records(fmt, traj)


def _records(fmt: str, traj: dict) -> Iterator[dict]:
    if fmt == "trajectory":
        yield traj
        return
    if fmt in _NEED_FINAL and traj["final"] is None:
        return
    yield from _WRITERS[fmt](traj, record_meta(traj))
