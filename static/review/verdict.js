// The verdict form: a 1–5 score and optional comment per rubric principle, a verdict,
// a comment, the anchored comments and the assessments of the model's critique, sent to
// POST /api/tasks/<id>/reviews/.
import { collectAssessments } from './critique.js'

function collect (form, anchors) {
  const scores = {}
  const scoreComments = {}
  form.querySelectorAll('fieldset.principle').forEach((fieldset) => {
    const key = fieldset.dataset.key
    const checked = fieldset.querySelector(`input[name="score-${key}"]:checked`)
    if (checked) scores[key] = Number(checked.value)
    const note = fieldset.querySelector(`input[name="note-${key}"]`).value.trim()
    if (note) scoreComments[key] = note
  })
  return {
    verdict: form.elements.verdict.value,
    scores,
    score_comments: scoreComments,
    comment: form.elements.comment.value,
    anchored_comments: anchors ? anchors.comments() : [],
    critique_assessments: collectAssessments(form),
    // Leads only: a verdict over another reviewer's claim must be asked for explicitly.
    override_claim: Boolean(form.elements.override_claim?.checked)
  }
}

/** Wire the verdict form; a stored review reloads the page to show it in the history. */
export function setupVerdict ({ api, taskId, form, errorEl, anchors }) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    errorEl.hidden = true
    const button = form.querySelector('button[type=submit]')
    button.disabled = true
    try {
      await api.post(`/tasks/${taskId}/reviews/`, collect(form, anchors))
      window.location.reload()
    } catch (error) {
      errorEl.textContent = error.message
      errorEl.hidden = false
      button.disabled = false
    }
  })
}
