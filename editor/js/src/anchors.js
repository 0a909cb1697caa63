// Where a note's text stands now. A note stores Yjs relative positions of its range
// (base64), which follow concurrent edits by anyone; the quote is the fallback for
// notes made without them (e.g. through the API by a script).
import * as Y from 'yjs'
import { toBase64, fromBase64 } from 'lib0/buffer'
import { toUtf16 } from './offsets.js'

/**
 * Encode [from, to) (UTF-16 indices in ytext) as {start, end}. The start sticks to the
 * character after it (assoc 0) and the end to the character before it (assoc -1), so
 * text typed right at either edge stays outside the note's range.
 */
export function encodeAnchor (ytext, from, to) {
  const rel = (index, assoc) =>
    toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(ytext, index, assoc)))
  return { start: rel(from, 0), end: rel(to, -1) }
}

function resolveOne (b64, ydoc, ytext) {
  if (typeof b64 !== 'string' || !b64) return null
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(b64)), ydoc)
    return abs && abs.type === ytext ? abs.index : null
  } catch (_err) {
    return null // not one of ours (or corrupt): fall back to the quote
  }
}

/** Resolve an anchor made by encodeAnchor to {from, to} (UTF-16), or null. */
export function resolveAnchor (anchor, ydoc, ytext) {
  if (!anchor || typeof anchor !== 'object') return null
  const from = resolveOne(anchor.start, ydoc, ytext)
  const to = resolveOne(anchor.end, ydoc, ytext)
  if (from == null || to == null) return null
  return { from, to: Math.max(from, to) }
}

/** The occurrence of `quote` in `text` nearest to UTF-16 index `near`, or -1. */
function nearestOccurrence (text, quote, near) {
  let best = -1
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    if (best === -1 || Math.abs(at - near) < Math.abs(best - near)) best = at
    if (at > near) break // later ones are only farther
  }
  return best
}

/**
 * A note's current range in the document: {from, to, orphaned}. Orphaned means all of
 * its quoted text has been deleted (the range collapsed, or the quote is gone).
 */
export function locateNote (note, { ydoc, ytext }) {
  const quoted = Boolean(note.quote)
  const range = resolveAnchor(note.anchor, ydoc, ytext)
  if (range) return { ...range, orphaned: quoted && range.to <= range.from }
  if (!quoted) return { from: 0, to: 0, orphaned: false }
  const text = ytext.toString()
  const at = nearestOccurrence(text, note.quote, toUtf16(text, note.start || 0))
  if (at === -1) return { from: 0, to: 0, orphaned: true }
  return { from: at, to: at + note.quote.length, orphaned: false }
}
