"""How strongly the model judge and the quality signals argue against approving a round.

The review queue sorts by it so humans look first where the model saw problems. One
number in [0, 2]: the model's part is how far its scores of the final fall below 5
(0 when it gave 5 everywhere, 1 when it gave 1 everywhere, nothing when it did not
critique the round); the signals' part is a quarter per raised flag, at most 1.
"""

from oversight.judge.models import ModelCritique

FLAG_WEIGHT = 0.25
MAX_FLAG_PART = 1.0


def model_mean(critique: ModelCritique | None) -> float | None:
    """Return the model's mean score of the final (1-5), None without a finished critique."""
    if critique is None or critique.status != ModelCritique.DONE or not critique.principles:
        return None
    return sum(p["score"] for p in critique.principles) / len(critique.principles)


def approve_doubt(critique: ModelCritique | None, flags: list[str]) -> float:
    """Return the doubt about approving: the model's low scores plus the raised flags."""
    mean = model_mean(critique)
    model_part = 0.0 if mean is None else (5 - mean) / 4
    return round(model_part + min(MAX_FLAG_PART, FLAG_WEIGHT * len(flags)), 4)


def final_critiques(tasks) -> dict[int, ModelCritique]:
    """Return {task id: the finished critique of its current round's final}."""
    rounds = {t.pk: t.round for t in tasks}
    found = ModelCritique.objects.filter(task_id__in=list(rounds), target=ModelCritique.FINAL,
                                         status=ModelCritique.DONE)
    return {c.task_id: c for c in found if rounds.get(c.task_id) == c.round}
