// The side panel (#notes-panel): every note of the task, newest last, with Edit and
// Withdraw for its author while the task is editable. All text goes in via
// textContent, except the body's HTML, which the server rendered from markdown and
// sanitized (nh3): one dialect for the editor, the player and the review pages.
import { collapsible } from './collapse.js'

function el (doc, tag, className, text) {
  const node = doc.createElement(tag)
  if (className) node.className = className
  if (text != null) node.textContent = text
  return node
}

/**
 * Build the panel inside `root`. Handlers: onSelect(note), onEdit(note), onWithdraw(note).
 * Returns {formHost, setNotes, setLocated, setEditable, say}.
 */
export function createNotesPanel (root, { user, rubric, hint, onSelect, onEdit, onWithdraw }, doc = document) {
  const principleName = new Map((rubric || []).map((p) => [p.key, p.name || p.key]))
  const count = el(doc, 'span', 'notes-count muted', '')
  // Inside a side panel (panels.js) the count goes in the panel's header badge.
  const badge = root.closest && root.closest('.panel') && root.closest('.panel').querySelector('.panel-badge')
  const heading = el(doc, 'h2', 'notes-heading', 'Notes ')
  if (badge) badge.append(count)
  else heading.append(count)
  const requirement = el(doc, 'p', 'notes-hint muted', hint || '')
  requirement.hidden = !hint
  const message = el(doc, 'p', 'notes-message', '')
  message.setAttribute('role', 'status')
  const formHost = el(doc, 'div', 'note-form-host')
  const list = el(doc, 'ol', 'notes-list')
  list.id = 'notes-list'
  const empty = el(doc, 'p', 'notes-empty muted', '')
  // Only those who may edit have "Add note"; readers are not told to use it.
  const emptyText = () => (editable
    ? 'No notes yet. Select the text you changed and choose "Add note" to say why.'
    : 'No notes yet.')
  root.classList.add('notes-panel')
  root.replaceChildren(...(badge ? [] : [heading]), requirement, message, formHost, list, empty)

  let notes = []
  let located = new Map()
  let editable = false

  const isOrphaned = (note) => Boolean(note.orphaned || located.get(note.id)?.orphaned)

  function content (note) {
    const parts = []
    const meta = el(doc, 'div', 'note-meta')
    meta.append(el(doc, 'span', 'note-author', note.author))
    if (note.principle) {
      meta.append(el(doc, 'span', 'note-principle', principleName.get(note.principle) || note.principle))
    }
    const orphan = el(doc, 'span', 'note-orphaned', 'text deleted')
    orphan.hidden = !isOrphaned(note)
    meta.append(orphan)
    parts.push(meta)
    if (note.quote) parts.push(el(doc, 'blockquote', 'note-quote', note.quote))
    const body = el(doc, 'div', 'note-body')
    if (typeof note.body_html === 'string') body.innerHTML = note.body_html
    else body.textContent = note.body
    parts.push(...collapsible(body, note.body, doc))
    return parts
  }

  function item (note) {
    const li = el(doc, 'li', 'note')
    li.dataset.noteId = String(note.id)
    if (isOrphaned(note)) li.dataset.orphaned = 'true'
    if (note.withdrawn) {
      // Kept visible (the trajectory keeps it too) but folded away and struck through.
      li.dataset.withdrawn = 'true'
      const details = el(doc, 'details', 'note-withdrawn')
      details.append(el(doc, 'summary', null, `Withdrawn note by ${note.author}`), ...content(note))
      li.append(details)
      return li
    }
    li.tabIndex = 0
    li.title = 'Show this note\'s text in the editor'
    li.append(...content(note))
    if (editable && note.author === user) {
      const actions = el(doc, 'div', 'note-actions')
      const edit = el(doc, 'button', 'note-edit', 'Edit')
      const withdraw = el(doc, 'button', 'note-withdraw', 'Withdraw')
      edit.type = withdraw.type = 'button'
      edit.addEventListener('click', () => onEdit(note))
      withdraw.addEventListener('click', () => onWithdraw(note))
      actions.append(edit, withdraw)
      li.append(actions)
    }
    const select = (event) => {
      if (event.target.closest('button')) return
      onSelect(note)
    }
    li.addEventListener('click', select)
    li.addEventListener('keydown', (event) => { if (event.key === 'Enter') select(event) })
    return li
  }

  function render () {
    const live = notes.filter((n) => !n.withdrawn).length
    count.textContent = notes.length ? `(${live}${live === notes.length ? '' : ` + ${notes.length - live} withdrawn`})` : ''
    list.replaceChildren(...notes.map(item))
    empty.hidden = notes.length > 0
    empty.textContent = emptyText()
  }

  // Orphan badges change with the text: update them in place, not by re-rendering
  // (which would steal focus from a note being read).
  function setLocated (map) {
    located = map
    for (const li of list.children) {
      const note = notes.find((n) => String(n.id) === li.dataset.noteId)
      if (!note) continue
      const orphaned = isOrphaned(note)
      if (orphaned) li.dataset.orphaned = 'true'
      else delete li.dataset.orphaned
      const badge = li.querySelector('.note-orphaned')
      if (badge) badge.hidden = !orphaned
    }
  }

  return {
    formHost,
    setNotes (next) { notes = next; render() },
    setLocated,
    setEditable (flag) { editable = flag; render() },
    say (text, kind = 'info') { message.textContent = text || ''; message.dataset.kind = kind }
  }
}
