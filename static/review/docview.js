// Draw the document at a point of the trajectory: draft text plain, text changed since
// the draft tinted, recent inserts in their author's colour, the caret of the last edit.
// One <span> per piece of the text (text.js): a redraw rebuilds only the pieces whose
// text, recent marks, quote or caret changed, so a 105k-character document stays cheap.
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

/** Fill `el` with the runs of one piece (code points start…); return its caret element. */
function drawPiece (el, piece, start, view, caretHere) {
  const { chars, marks } = piece
  const fragment = document.createDocumentFragment()
  const keyAt = (i) => {
    const at = start + i
    const inQuote = view.quote && at >= view.quote.start && at < view.quote.end
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
    if (caretHere && start + i === view.caret) {
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
  el.replaceChildren(fragment)
  return caretEl
}

/** Put `els` in `host` in order, moving only what moved and dropping what is gone. */
function placeChildren (host, els) {
  const wanted = new Set(els)
  let node = host.firstChild
  for (const el of els) {
    while (node && node !== el && !wanted.has(node)) {
      const gone = node
      node = node.nextSibling
      gone.remove()
    }
    if (node === el) node = node.nextSibling
    else host.insertBefore(el, node)
  }
  while (node) {
    const gone = node
    node = node.nextSibling
    gone.remove()
  }
}

/**
 * Render `doc` into `host` (a <pre>); return the caret element.
 * view: {seq, recent, authorOf(seq), colourOf(author), caret, quote: {start, end}|null}
 */
export function renderDoc (host, doc, view) {
  let state = host.oversightDoc
  if (!state || state.doc !== doc) {
    state = { doc, drawn: new Map(), layout: -1 }
    host.oversightDoc = state
  }
  const els = []
  const ids = new Set()
  let caretEl = null
  let start = 0
  doc.pieces.forEach((piece, index) => {
    const end = start + piece.chars.length
    const last = index === doc.pieces.length - 1
    const caretHere = view.caret !== null && view.caret >= start && (view.caret < end || (last && view.caret === end))
    const quoted = view.quote && view.quote.start < end && view.quote.end > start
    // What this piece's drawing depends on: marks can be recent only if it ever held one.
    // (Its offset only matters to the quote and the caret, which count from the start.)
    const sig = [piece.version, piece.newest > view.seq - view.recent ? view.seq : '',
      quoted ? `${view.quote.start}-${view.quote.end}@${start}` : '',
      caretHere ? `${view.caret}@${start}:${view.seq}` : ''].join('|')
    let drawn = state.drawn.get(piece.id)
    if (!drawn) {
      drawn = { el: document.createElement('span'), sig: null, caretEl: null }
      drawn.el.className = 'piece'
      state.drawn.set(piece.id, drawn)
    }
    if (drawn.sig !== sig) {
      drawn.caretEl = drawPiece(drawn.el, piece, start, view, caretHere)
      drawn.sig = sig
    }
    if (caretHere) caretEl = drawn.caretEl
    els.push(drawn.el)
    ids.add(piece.id)
    start = end
  })
  if (state.layout !== doc.layout || host.childNodes.length !== els.length ||
      els.some((el) => el.parentNode !== host)) { // the origins view draws here too
    placeChildren(host, els)
    state.layout = doc.layout
    for (const id of state.drawn.keys()) if (!ids.has(id)) state.drawn.delete(id)
  }
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
