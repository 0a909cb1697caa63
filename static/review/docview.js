// Draw the document at a point of the trajectory: draft text plain, text changed since
// the draft tinted, recent inserts in their author's colour, the caret of the last edit.
import { DRAFT, EARLIER } from './text.js'

const AGE_STEPS = 3 // recent edits fade in this many steps

/** Return the class key of one code point's mark: draft, changed, or recent by whom and how long ago. */
function markKey (mark, view) {
  if (mark === DRAFT) return 'd'
  if (mark === EARLIER || mark <= view.seq - view.recent) return 'c'
  const age = Math.min(AGE_STEPS - 1, Math.floor(((view.seq - mark) / view.recent) * AGE_STEPS))
  return `r${age}|${view.authorOf(mark)}`
}

/** Return the element for one run of code points that share a key. */
function runElement (text, key, view) {
  const quoted = key[0] === 'q'
  const base = key.slice(2)
  if (base === 'd' && !quoted) return document.createTextNode(text)
  const span = document.createElement('span')
  span.textContent = text
  if (quoted) span.classList.add('quote')
  if (base === 'c') {
    span.classList.add('chg')
  } else if (base !== 'd') {
    const [age, author] = [Number(base[1]), base.slice(3)]
    span.classList.add('recent')
    span.style.setProperty('--author', view.colourOf(author))
    // Older recent edits fade, so the eye finds the newest one.
    span.style.setProperty('--age', (age / AGE_STEPS).toFixed(2))
    span.title = `recent change by ${author}`
  }
  return span
}

/**
 * Render `doc` into `host` (a <pre>); return the caret element.
 * view: {seq, recent, authorOf(seq), colourOf(author), caret, quote: {start, end}|null}
 */
export function renderDoc (host, doc, view) {
  const { chars, marks } = doc
  const fragment = document.createDocumentFragment()
  const keyAt = (i) => {
    const inQuote = view.quote && i >= view.quote.start && i < view.quote.end
    return (inQuote ? 'q:' : '-:') + markKey(marks[i], view)
  }
  let caretEl = null
  let runStart = 0
  let runKey = null
  const flush = (end) => {
    if (end > runStart) fragment.appendChild(runElement(chars.slice(runStart, end).join(''), runKey, view))
    runStart = end
  }
  for (let i = 0; i <= chars.length; i++) {
    if (i === view.caret) {
      flush(i)
      caretEl = document.createElement('span')
      caretEl.className = 'caret'
      caretEl.style.setProperty('--author', view.colourOf(view.authorOf(view.seq)))
      fragment.appendChild(caretEl)
    }
    if (i === chars.length) break
    const key = keyAt(i)
    if (key !== runKey) {
      flush(i)
      runKey = key
    }
  }
  flush(chars.length)
  host.replaceChildren(fragment)
  return caretEl
}

/** Scroll `host` so `el` is visible inside it, without moving the page. */
export function keepInView (host, el) {
  if (!el) return
  const top = el.offsetTop // the host is positioned, so this is relative to it
  if (top < host.scrollTop + 20 || top > host.scrollTop + host.clientHeight - 40) {
    host.scrollTop = Math.max(0, top - host.clientHeight / 2)
  }
}
