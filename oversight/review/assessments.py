"""The reviewer's judgement of the model's critique, principle by principle.

Per principle the reviewer either adopts the model's score (`adopted`: the human
score is the model's, an agreement) or gives their own and may say how the model's
critique held up: agree, partly, wrong or missed something, with an optional reason.
Nothing is filled in for them: an absent principle simply was not assessed.
"""

from oversight.core.agreement import ASSESSMENTS
from oversight.judge.models import ModelCritique

MAX_REASON_CHARS = 2000

ASSESSMENT_SHAPE = ("The assessment of '{key}' must be an object with an optional "
                    "assessment, reason and adopted.")
BAD_ASSESSMENT = "Unknown assessment '{value}' for '{key}'; expected one of: {choices}."
BAD_REASON = "The reason given for '{key}' must be text of at most {limit} characters."
NO_CRITIQUE = "There is no model critique of this round to assess."
NOT_ADOPTED = ("You adopted the model's score for '{key}' ({model}) but scored it {human}: "
               "adopt it or give your own score.")
UNKNOWN_KEY = "Unknown rubric principle '{key}' in the critique assessments."


class AssessmentError(ValueError):
    """The assessments cannot be stored; the message says why."""


def _one(key: str, value, scores: dict, critique: ModelCritique | None) -> dict:
    if not isinstance(value, dict) or not set(value) <= {"assessment", "reason", "adopted"}:
        raise AssessmentError(ASSESSMENT_SHAPE.format(key=key))
    adopted = value.get("adopted", False)
    assessment = value.get("assessment") or ("agree" if adopted is True else None)
    reason = value.get("reason", "")
    if not isinstance(adopted, bool):
        raise AssessmentError(ASSESSMENT_SHAPE.format(key=key))
    if assessment is not None and assessment not in ASSESSMENTS:
        raise AssessmentError(BAD_ASSESSMENT.format(value=assessment, key=key,
                                                    choices=", ".join(ASSESSMENTS)))
    if not isinstance(reason, str) or len(reason) > MAX_REASON_CHARS:
        raise AssessmentError(BAD_REASON.format(key=key, limit=MAX_REASON_CHARS))
    if adopted and critique.score_of(key) != scores.get(key):
        raise AssessmentError(NOT_ADOPTED.format(key=key, model=critique.score_of(key),
                                                 human=scores.get(key)))
    return {"assessment": assessment, "reason": reason.strip(), "adopted": adopted}


def check_assessments(assessments: dict, *, keys: list[str], scores: dict,
                      critique: ModelCritique | None) -> dict:
    """Return the assessments reduced to {key: {assessment, reason, adopted}}, or refuse them."""
    if not assessments:
        return {}
    if critique is None or critique.status != ModelCritique.DONE:
        raise AssessmentError(NO_CRITIQUE)
    for key in assessments:
        if key not in keys:
            raise AssessmentError(UNKNOWN_KEY.format(key=key))
    return {key: _one(key, assessments[key], scores, critique) for key in keys
            if key in assessments}
