// The Submit button: a summary to confirm (what changed, notes, a warning when the draft
// is untouched), then freeze the document as this round's final artifact, say what
// happens next in words, and offer the writer's next task.
import { apiRequest } from './api.js'

/** Characters changed between two texts: the differing middle once common ends are cut. */
export function changedChars (before, after) {
  const a = [...before]
  const b = [...after]
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let end = 0
  while (end < a.length - start && end < b.length - start &&
         a[a.length - 1 - end] === b[b.length - 1 - end]) end++
  return Math.max(a.length - start - end, b.length - start - end)
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`

/**
 * Wire #submit-task, #submit-dialog and #submit-status. `liveNotes()` returns how many
 * live notes the task has. `onSubmitted(submission)` runs after a 201.
 */
export function mountSubmit ({ config, ytext, flush, liveNotes, onSubmitted, doc = document }) {
  const button = doc.getElementById('submit-task')
  const status = doc.getElementById('submit-status')
  const dialog = doc.getElementById('submit-dialog')
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

  function summarise () {
    const text = ytext.toString()
    const changed = changedChars(config.draftText || '', text)
    const slot = (name) => dialog.querySelector(`[data-summary=${name}]`)
    slot('unchanged').hidden = text !== (config.draftText || '')
    slot('changed').textContent = changed
      ? `About ${plural(changed, 'character', 'characters')} changed from the draft.`
      : 'No character changed from the draft.'
    const notes = liveNotes ? liveNotes() : 0
    slot('notes').textContent = notes ? `${plural(notes, 'note', 'notes')} saying why.` : 'No notes yet.'
    slot('round').textContent = String(config.round || 1)
    doc.getElementById('submit-confirm').textContent = text === (config.draftText || '')
      ? 'Submit unchanged'
      : 'Submit'
  }

  // Opens the summary; resolves true when the writer confirms.
  function confirmSubmit () {
    if (!dialog || typeof dialog.showModal !== 'function') return Promise.resolve(true)
    summarise()
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true })
      dialog.returnValue = ''
      dialog.showModal()
      doc.getElementById(dialog.querySelector('[data-summary=unchanged]').hidden ? 'submit-confirm' : 'submit-cancel').focus()
    })
  }

  async function submit () {
    if (!editable || busy) return
    if (!(await confirmSubmit())) {
      if (button) button.focus()
      return
    }
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
      if (button) button.focus()
    } finally {
      busy = false
      update()
    }
  }

  function showSubmitted (submission) {
    const message = doc.createElement('span')
    message.className = 'submit-done'
    message.tabIndex = -1
    message.title = `SHA-256 of the submitted text: ${submission.sha256}`
    message.textContent = `Submitted round ${submission.round}. A reviewer will read it next; ` +
      'their verdict will show on your task list.'
    const parts = [message]
    // Cannot happen when the flush worked; if it ever does, say so rather than hide it.
    if (submission.text !== ytext.toString()) {
      parts.push(' Note: the submitted text differs from this editor\'s; reload to see it.')
    }
    const next = config.nextTask
    let focusTarget = message
    if (next && next.url) {
      const link = doc.createElement('a')
      link.className = 'button primary next-task'
      link.href = next.url
      link.dataset.testid = 'next-task'
      link.textContent = `Next task: ${next.externalId} →`
      parts.push(' ', link)
      focusTarget = link
    } else {
      parts.push(' Nothing else waits for you. ')
      const home = doc.createElement('a')
      home.href = '/'
      home.textContent = 'Back to your tasks'
      parts.push(home)
    }
    show('ok', ...parts)
    focusTarget.focus()
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
