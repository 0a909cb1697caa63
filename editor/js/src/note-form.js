// The note form, for a new note (on the selected text) or an edit of one's own note.
const MAX_BODY = 10000 // the server's limit, in code points (MAX_NOTE_CHARS)

function el (doc, tag, props = {}) {
  return Object.assign(doc.createElement(tag), props)
}

/**
 * Build the (hidden) form inside `host`. `onSave(request, {body, principle})` performs the
 * request and throws an Error whose message is shown in the form when it is refused.
 * Returns {open(request), close(), isOpen()}; request = {mode: 'create', quote} | {mode: 'edit', note}.
 */
export function createNoteForm (host, { rubric, onSave, onClose }, doc = document) {
  const form = el(doc, 'form', { id: 'note-form', className: 'note-form', hidden: true, noValidate: true })
  const title = el(doc, 'h3', { className: 'note-form-title' })
  const quote = el(doc, 'blockquote', { className: 'note-quote' })
  const body = el(doc, 'textarea', {
    id: 'note-body', name: 'body', rows: 5,
    placeholder: 'Why did you make this change? (markdown: **bold**, *em*, `code`, - lists)'
  })
  const principle = el(doc, 'select', { id: 'note-principle', name: 'principle' })
  principle.append(el(doc, 'option', { value: '', textContent: '(no principle)' }))
  for (const p of rubric || []) principle.append(el(doc, 'option', { value: p.key, textContent: p.name || p.key }))
  const error = el(doc, 'p', { className: 'note-form-error error' })
  error.setAttribute('role', 'alert')
  const save = el(doc, 'button', { id: 'note-save', type: 'submit', className: 'primary', textContent: 'Save note' })
  const cancel = el(doc, 'button', { type: 'button', className: 'note-cancel', textContent: 'Cancel' })
  const bodyLabel = el(doc, 'label', { textContent: 'Reasoning' })
  // A counter instead of a silent cut (maxlength would drop the end of a long paste).
  const counter = el(doc, 'span', { id: 'note-counter', className: 'note-counter' })
  counter.setAttribute('aria-live', 'polite')
  body.setAttribute('aria-describedby', 'note-counter')
  const count = () => {
    const n = [...body.value].length
    counter.textContent = `${n.toLocaleString('en')} / ${MAX_BODY.toLocaleString('en')}`
    counter.toggleAttribute('data-over', n > MAX_BODY)
    return n
  }
  body.addEventListener('input', count)
  bodyLabel.append(body, counter)
  const principleLabel = el(doc, 'label', { textContent: 'Rubric principle' })
  principleLabel.append(principle)
  const buttons = el(doc, 'div', { className: 'note-form-buttons' })
  buttons.append(save, cancel)
  form.append(title, quote, bodyLabel, principleLabel, error, buttons)
  if (!rubric || !rubric.length) principleLabel.hidden = true
  host.append(form)

  let request = null

  function open (next) {
    request = next
    const editing = next.mode === 'edit'
    title.textContent = editing ? 'Edit note' : 'New note'
    const shown = editing ? next.note.quote : next.quote
    quote.textContent = shown || ''
    quote.hidden = !shown
    body.value = editing ? next.note.body : ''
    count()
    principle.value = editing ? next.note.principle || '' : ''
    error.textContent = ''
    form.hidden = false
    body.focus()
  }

  function close () {
    const wasOpen = request !== null
    request = null
    form.hidden = true
    error.textContent = ''
    if (onClose && wasOpen) onClose() // not when a closed form is closed again (read-only)
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    if (!request || save.disabled) return
    if (!body.value.trim()) {
      error.textContent = 'Write why you made the change.'
      return
    }
    if (count() > MAX_BODY) {
      error.textContent = `A note may hold at most ${MAX_BODY.toLocaleString('en')} characters; this one has ${count().toLocaleString('en')}.`
      return
    }
    save.disabled = true
    error.textContent = ''
    try {
      await onSave(request, { body: body.value, principle: principle.value })
      close()
    } catch (err) {
      error.textContent = err.message || String(err)
    } finally {
      save.disabled = false
    }
  })
  cancel.addEventListener('click', close)
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close()
    else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit()
  })

  return { open, close, isOpen: () => request !== null }
}
