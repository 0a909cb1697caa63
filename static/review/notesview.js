// The writer's notes as they existed at the current point, newest last; click to jump.
// Bodies are the server's markdown rendering (sanitized with nh3), as in the editor;
// long ones fold with a "more" button (the editor's rule: editor/js/src/collapse.js).
const LONG_CHARS = 600
const LONG_LINES = 8

function noteBody (version) {
  const body = document.createElement('div')
  body.className = 'note-body'
  if (typeof version.body_html === 'string') body.innerHTML = version.body_html
  else body.textContent = version.body
  const text = version.body || ''
  if (text.length <= LONG_CHARS && text.split('\n').length <= LONG_LINES) return [body]
  body.classList.add('folded')
  const more = document.createElement('button')
  more.type = 'button'
  more.className = 'note-more small'
  more.textContent = 'more'
  more.setAttribute('aria-expanded', 'false')
  more.addEventListener('click', (event) => {
    event.stopPropagation()
    const open = body.classList.toggle('folded') === false
    more.textContent = open ? 'less' : 'more'
    more.setAttribute('aria-expanded', String(open))
  })
  return [body, more]
}

function item (note, version, colour, active, onJump) {
  const li = document.createElement('li')
  li.className = 'note' + (active ? ' active' : '') + (version.withdrawn ? ' withdrawn' : '')
  li.dataset.noteId = note.id
  li.style.setProperty('--author', colour)
  const head = document.createElement('div')
  head.className = 'note-head'
  head.textContent = `${note.author} · event ${note.seq}`
  if (version.principle) {
    const tag = document.createElement('span')
    tag.className = 'tag'
    tag.textContent = version.principle
    head.append(' ', tag)
  }
  if (version.withdrawn) head.append(' (withdrawn)')
  const quote = document.createElement('blockquote')
  quote.textContent = note.quote
  li.append(head, quote, ...noteBody(version))
  li.addEventListener('click', () => onJump(note))
  return li
}

/** Fill the note picker once: one option per note. */
export function fillNotePicker (select, timeline) {
  timeline.notes.forEach((note, i) => {
    const option = document.createElement('option')
    option.value = String(i)
    option.textContent = `${i + 1}. ${note.author}: ${note.quote.slice(0, 40) || '(no quote)'}`
    select.appendChild(option)
  })
}

/** Render the notes visible at (seq, t); the one written at this very point is active. */
export function renderNotes (list, timeline, seq, t, colourOf, onJump) {
  const count = timeline.visibleNotes(seq, t)
  const active = count && timeline.notes[count - 1].seq === seq ? count - 1 : -1
  const shown = `${count}:${active}`
  if (list.dataset.shown === shown) return // unchanged: spare the DOM while playing
  list.dataset.shown = shown
  const items = timeline.notes.slice(0, count).map((note, i) =>
    item(note, timeline.versionAt(note, t), colourOf(note.author), i === active, onJump))
  if (!items.length) {
    const empty = document.createElement('li')
    empty.className = 'muted'
    empty.textContent = 'No note written yet at this point.'
    items.push(empty)
  }
  list.replaceChildren(...items)
  list.scrollTop = list.scrollHeight
}
