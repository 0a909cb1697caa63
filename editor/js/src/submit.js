// The Submit button: freeze the document as this round's final artifact.
import { apiRequest } from './api.js'

/**
 * Wire #submit-task and #submit-status. `onSubmitted(submission)` runs after a 201
 * (the server also broadcasts the read-only status; this does not wait for it).
 */
export function mountSubmit ({ config, ytext, flush, onSubmitted, doc = document }) {
  const button = doc.getElementById('submit-task')
  const status = doc.getElementById('submit-status')
  let editable = !config.readOnly
  let busy = false

  const show = (kind, ...nodes) => {
    if (!status) return
    status.dataset.kind = kind || ''
    status.setAttribute('role', kind === 'error' ? 'alert' : 'status')
    status.replaceChildren(...nodes)
  }
  const update = () => {
    if (!button) return
    button.hidden = !editable
    button.disabled = !editable || busy
  }

  async function submit () {
    if (!editable || busy) return
    busy = true
    update()
    show('pending', 'Submitting…')
    try {
      // The final is what the server holds: let it store our last keystrokes first.
      await flush()
      const submission = await apiRequest(config, 'POST', `/tasks/${config.taskId}/submit/`)
      showSubmitted(submission)
      editable = false
      if (onSubmitted) onSubmitted(submission)
    } catch (err) {
      // e.g. the notes the project still requires, in the server's words.
      show('error', err.message || String(err))
    } finally {
      busy = false
      update()
    }
  }

  function showSubmitted (submission) {
    const hash = doc.createElement('code')
    hash.className = 'submit-sha'
    hash.textContent = submission.sha256
    hash.title = 'SHA-256 of the submitted text (UTF-8)'
    const parts = [`Submitted round ${submission.round} · sha256 `, hash]
    // Cannot happen when the flush worked; if it ever does, say so rather than hide it.
    if (submission.text !== ytext.toString()) {
      parts.push(' — note: the submitted text differs from this editor\'s; reload to see it.')
    }
    show('ok', ...parts)
  }

  if (button) button.addEventListener('click', submit)
  update()
  return {
    submit,
    setEditable (flag) {
      editable = flag
      update()
    }
  }
}
