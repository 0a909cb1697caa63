"""Reads: how the model judge's scores compare with the reviewers', per project and principle."""

from oversight.core.agreement import (
    ScorePair,
    agreement,
    agreement_by_principle,
    agreement_over_time,
)
from oversight.judge.models import ModelCritique
from oversight.workspace.models import Project

from .models import Review


def score_pairs(project: Project) -> list[ScorePair]:
    """Return a pair per principle of every reviewed round whose final the model critiqued.

    The latest review of a round is the human verdict on it.
    """
    critiques = {(c.task_id, c.round): c for c in ModelCritique.objects.filter(
        task__project=project, target=ModelCritique.FINAL, status=ModelCritique.DONE)}
    latest: dict[tuple[int, int], Review] = {}
    for review in Review.objects.filter(task__project=project).order_by("created_at", "id"):
        latest[(review.task_id, review.round)] = review
    pairs = []
    for key_round, review in sorted(latest.items()):
        critique = critiques.get(key_round)
        if critique is None:
            continue
        for principle in critique.principles:
            human = review.scores.get(principle["key"])
            if human is None:
                continue
            judged = (review.critique_assessments or {}).get(principle["key"]) or {}
            pairs.append(ScorePair(principle=principle["key"], model_score=principle["score"],
                                   human_score=human, assessment=judged.get("assessment"),
                                   day=review.created_at.date().isoformat()))
    return pairs


def project_judge_agreement(project: Project) -> dict:
    """Return the project's judge-human agreement: overall, per principle, and per day."""
    pairs = score_pairs(project)
    rubric = project.rubric or []
    by_key = agreement_by_principle(pairs, [p["key"] for p in rubric])
    return {
        "project": project.slug,
        "overall": agreement(pairs),
        "principles": [{"key": p["key"], "name": p.get("name", p["key"]), **by_key[p["key"]]}
                       for p in rubric],
        "over_time": agreement_over_time(pairs),
    }
