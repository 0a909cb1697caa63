// Model help in the editor: a small menu on the selection (button or Ctrl+Alt+K), a side
// panel streaming the model's answer, and accept / edit-then-accept / dismiss.
//
// Self-contained: it needs only an empty #assist-panel element and an #assist-open
// button in the page. An accepted suggestion is ONE CodeMirror transaction with the
// userEvent "model.assist" (the server records it as the edit's kind); once the
// server holds it (flush), the request is told so and links that edit.
import { StateEffect } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { apiRequest, ApiError } from './api.js'
import { readEvents } from './assist-stream.js'
import { toCodePoints } from './offsets.js'

const ACTIONS = [
  ['critique', 'Critique', 'What is wrong here, against the rubric'],
  ['rewrite', 'Rewrite', 'Rewrite the selection (optional instruction)'],
  ['continue', 'Continue', 'Continue from the end of the selection'],
  ['explain', 'Explain', 'Explain the selection (code)']
]
const CUT = 'The answer stopped before it was complete.'

function el (tag, attrs = {}, text = '') {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v)
  if (text) node.textContent = text
  return node
}

function buildPanel (panel, allowed) {
  panel.replaceChildren()
  const head = el('div', { class: 'assist-head' })
  const close = el('button', { type: 'button', class: 'assist-close', title: 'Close (Esc)', 'aria-label': 'Close model help' }, '×')
  head.append(el('h2', {}, 'Model help'), close)
  panel.append(head)
  const menu = el('div', { class: 'assist-actions', role: 'group', 'aria-label': 'Ask the model' })
  for (const [action, label, title] of ACTIONS) {
    const button = el('button', { type: 'button', 'data-action': action, title }, label)
    if (!allowed.includes(action)) button.disabled = true
    menu.append(button)
  }
  const instruction = el('input', { type: 'text', id: 'assist-instruction', placeholder: 'Instruction for Rewrite (optional)', 'aria-label': 'Instruction' })
  const status = el('p', { class: 'assist-status', role: 'status', 'aria-live': 'polite' })
  const answer = el('textarea', { id: 'assist-answer', rows: '8', readonly: '', 'aria-label': "The model's answer" })
  const decide = el('div', { class: 'assist-decide' })
  const accept = el('button', { type: 'button', class: 'primary', id: 'assist-accept', disabled: '' }, 'Accept')
  const dismiss = el('button', { type: 'button', id: 'assist-dismiss', disabled: '' }, 'Dismiss')
  decide.append(accept, dismiss)
  panel.append(menu, instruction, status, answer, decide)
  return { menu, instruction, status, answer, accept, dismiss, close }
}

/** Mount model help for `view`; returns {open} or null when the project has it off. */
export function mountAssist ({ config, view, flush }) {
  const panel = document.getElementById('assist-panel')
  const opener = document.getElementById('assist-open')
  const help = config.modelHelp || 'off'
  if (!panel || help === 'off' || config.readOnly) return null
  const allowed = help === 'all' ? ACTIONS.map((a) => a[0]) : ['critique']
  const ui = buildPanel(panel, allowed)
  // The request in progress: its id, action, and the selection mapped through later edits.
  let current = null

  view.dispatch({
    effects: StateEffect.appendConfig.of([
      EditorView.updateListener.of((update) => {
        if (!current || !update.docChanged) return
        current.from = update.changes.mapPos(current.from, -1)
        current.to = update.changes.mapPos(current.to, 1)
      }),
      keymap.of([{ key: 'Ctrl-Alt-k', run: () => { open(); return true } }])
    ])
  })

  function setStatus (text, kind = '') {
    ui.status.textContent = text
    ui.status.dataset.kind = kind
  }

  function open () {
    panel.hidden = false
    const first = ui.menu.querySelector('button:not([disabled])')
    if (first) first.focus()
  }

  function busy (flag) {
    for (const b of ui.menu.querySelectorAll('button')) b.disabled = flag || !allowed.includes(b.dataset.action)
  }

  async function ask (action) {
    const { from, to } = view.state.selection.main
    const doc = view.state.doc.toString()
    current = { id: null, action, from, to, done: false }
    ui.answer.value = ''
    ui.answer.readOnly = true
    ui.accept.disabled = ui.dismiss.disabled = true
    busy(true)
    setStatus('Asking the model…')
    try {
      await flush(5000) // the server must hold the text the selection refers to
    } catch (err) {
      busy(false)
      return setStatus(err.message, 'error')
    }
    const body = {
      action,
      instruction: action === 'rewrite' ? ui.instruction.value : '',
      start: toCodePoints(doc, from),
      end: toCodePoints(doc, to),
      quote: doc.slice(from, to)
    }
    let response
    try {
      response = await fetch(`${config.apiBase}/tasks/${config.taskId}/assists/`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'X-CSRFToken': config.csrfToken || '' },
        body: JSON.stringify(body)
      })
    } catch (_err) {
      busy(false)
      return setStatus('Could not reach the server; check your connection and try again.', 'error')
    }
    if (!response.ok) {
      let message = `The server answered ${response.status}.`
      try { message = (await response.json()).error.message || message } catch (_e) {}
      busy(false)
      return setStatus(message, 'error')
    }
    setStatus('The model is answering…')
    try {
      await readEvents(response, onEvent)
    } catch (_err) {
      // The connection dropped mid-answer: said below, like a stream without its end.
    }
    if (!current.done) onEvent('error', { message: CUT })
    busy(false)
  }

  function onEvent (name, data) {
    if (name === 'request') {
      current.id = data.id
    } else if (name === 'delta') {
      ui.answer.value += data.text
    } else if (name === 'done') {
      current.done = true
      ui.answer.value = data.response
      ui.answer.readOnly = false // edit before accepting
      ui.dismiss.disabled = false
      ui.accept.disabled = current.action === 'critique'
      setStatus(current.action === 'critique' ? 'Done. Dismiss when you have read it.' : 'Done. Edit the answer if you like, then accept or dismiss it.')
    } else if (name === 'error') {
      current.done = true
      setStatus(`The model could not answer: ${data.message}`, 'error')
    }
  }

  async function decide (outcome) {
    if (!current || !current.id) return
    ui.accept.disabled = ui.dismiss.disabled = true
    try {
      if (outcome === 'accepted') {
        const text = ui.answer.value
        const at = current.action === 'rewrite' ? { from: current.from, to: current.to } : { from: current.to, to: current.to }
        const insert = current.action === 'rewrite' || !text || /^\s/.test(text) ? text : ' ' + text
        view.dispatch({ changes: { ...at, insert }, userEvent: 'model.assist', scrollIntoView: true })
        await flush(5000)
      }
      const result = await apiRequest(config, 'POST', `/assists/${current.id}/decide/`, { outcome })
      setStatus(result.outcome === 'dismissed' ? 'Dismissed.' : `Inserted (${result.outcome.replace('_', ' ')}).`)
      current = null
      view.focus()
    } catch (err) {
      setStatus(err instanceof ApiError || err instanceof Error ? err.message : String(err), 'error')
    }
  }

  ui.menu.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action]')
    if (button && !button.disabled) ask(button.dataset.action)
  })
  ui.close.addEventListener('click', () => { panel.hidden = true; view.focus() })
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { panel.hidden = true; view.focus() } })
  ui.accept.addEventListener('click', () => decide('accepted'))
  ui.dismiss.addEventListener('click', () => decide('dismissed'))
  if (opener) {
    opener.hidden = false
    opener.addEventListener('click', open)
  }
  return { open }
}
