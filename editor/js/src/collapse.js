// Long notes fold to a few lines with a "more" button, so one essay cannot push the
// rest of the panel out of sight. (The player has the same rule in static/review/notesview.js.)
export const LONG_CHARS = 600
export const LONG_LINES = 8

export const isLong = (text) => (text || '').length > LONG_CHARS || (text || '').split('\n').length > LONG_LINES

/** Return [body] or, for a long `text`, [body (folded), its "more"/"less" button]. */
export function collapsible (body, text, doc = document) {
  if (!isLong(text)) return [body]
  body.classList.add('folded')
  const button = doc.createElement('button')
  button.type = 'button'
  button.className = 'note-more'
  button.textContent = 'more'
  button.setAttribute('aria-expanded', 'false')
  button.addEventListener('click', (event) => {
    event.stopPropagation() // not a click on the note itself (which selects its text)
    const open = body.classList.toggle('folded') === false
    button.textContent = open ? 'less' : 'more'
    button.setAttribute('aria-expanded', String(open))
  })
  return [body, button]
}
