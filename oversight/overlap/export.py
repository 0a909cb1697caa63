"""Human-vs-human preference pairs from rankings, for `format=preference` exports."""

from collections.abc import Iterator

from oversight.core.formats import ranking_preference, record_meta
from oversight.core.overlap import ranking_pairs
from oversight.traces.models import Submission

from .models import Ranking


def ranking_records(record: dict) -> Iterator[dict]:
    """Yield a preference record for each sibling some ranking put below this record's task.

    Each pair is yielded once, with the better final's record (so its filters, e.g. flags,
    decide); the texts are the finals of the rounds that were ranked.
    """
    task_id, group = record["task_id"], record.get("group")
    if group is None or record.get("final") is None:
        return
    rankings = list(Ranking.objects.filter(group_id=group).select_related("reviewer")
                    .order_by("id"))
    wanted = [(r, worse, apart) for r in rankings for better, worse, apart in
              ranking_pairs(r.tiers) if better == task_id]
    if not wanted:
        return
    finals = {(s.task_id, s.round): s for s in Submission.objects.filter(
        task_id__in={task_id} | {worse for _, worse, _ in wanted}).select_related("submitted_by")}
    meta = record_meta(record)
    for ranking, worse, apart in wanted:
        chosen = finals.get((task_id, ranking.rounds.get(str(task_id))))
        rejected = finals.get((worse, ranking.rounds.get(str(worse))))
        if chosen is None or rejected is None:
            continue
        yield ranking_preference(record, meta, {
            "chosen": chosen.text, "rejected": rejected.text, "chosen_round": chosen.round,
            "rejected_task_id": worse, "rejected_round": rejected.round,
            "rejected_writer": rejected.submitted_by.username,
            "ranked_by": ranking.reviewer.username, "reason": ranking.reason,
            "tiers_apart": apart})
