// A document as code points, each with a mark: the seq of the event that inserted it.
// Trajectory ops count code points while JS strings count UTF-16 units, so the text
// is held as arrays of code points and ops index them.
//
// A long document (105k code points) is held in pieces of at most PIECE code points:
// an edit splices one small array instead of two whole-document ones, and the view
// redraws only the pieces an edit changed (each piece counts its own `version`).

export const DRAFT = 0 // from the model's draft
export const EARLIER = -1 // changed since the draft, by an event before the loaded window

const PIECE = 2048 // a piece splits in two past this many code points
const FILL = 1024 // pieces are built this full

const SPREAD = 4096 // spread arguments stay well below the engine's argument limit

function spliceIn (array, at, items) {
  for (let i = 0; i < items.length; i += SPREAD) array.splice(at + i, 0, ...items.slice(i, i + SPREAD))
}

/** Return the number of code points in a JS string. */
export function codePointLength (text) {
  let n = 0
  for (const _ of text) n++ // eslint-disable-line no-unused-vars
  return n
}

let pieceIds = 0

class Piece {
  constructor (chars, marks) {
    this.id = ++pieceIds
    this.chars = chars
    this.marks = marks
    this.version = 0
    this.newest = marks.reduce((a, b) => Math.max(a, b), DRAFT) // the newest mark it has held
  }
}

export class MarkedText {
  constructor (text, marks) {
    const chars = Array.from(text)
    const all = marks && marks.length === chars.length ? marks : null
    this.pieces = []
    for (let i = 0; i < chars.length; i += FILL) {
      this.pieces.push(new Piece(chars.slice(i, i + FILL),
        all ? all.slice(i, i + FILL) : new Array(Math.min(FILL, chars.length - i)).fill(DRAFT)))
    }
    if (!this.pieces.length) this.pieces.push(new Piece([], []))
    this.size = chars.length
    this.layout = 0 // bumps when pieces are added or removed
  }

  get length () { return this.size }

  /** Every code point, in order (a copy: O(length)). */
  get chars () { return this.pieces.flatMap((p) => p.chars) }

  /** Every code point's mark, in order (a copy: O(length)). */
  get marks () { return this.pieces.flatMap((p) => p.marks) }

  toString () { return this.pieces.map((p) => p.chars.join('')).join('') }

  /** Return [piece index, offset in it] of code point `pos` (the end of a piece if between). */
  locate (pos) {
    let i = 0
    while (i < this.pieces.length - 1 && pos > this.pieces[i].chars.length) {
      pos -= this.pieces[i].chars.length
      i++
    }
    return [i, pos]
  }

  insert (pos, chars, marks) {
    const [i, at] = this.locate(pos)
    const piece = this.pieces[i]
    spliceIn(piece.chars, at, chars)
    spliceIn(piece.marks, at, marks)
    for (const m of marks) if (m > piece.newest) piece.newest = m
    piece.version++
    this.size += chars.length
    if (piece.chars.length > PIECE) this.split(i)
  }

  split (i) {
    const piece = this.pieces[i]
    const parts = []
    for (let at = 0; at < piece.chars.length; at += FILL) {
      const part = new Piece(piece.chars.slice(at, at + FILL), piece.marks.slice(at, at + FILL))
      part.newest = Math.max(part.newest, piece.newest)
      parts.push(part)
    }
    this.pieces.splice(i, 1, ...parts)
    this.layout++
  }

  /** Remove `count` code points at `pos`; return {chars, marks} removed. */
  remove (pos, count) {
    if (pos + count > this.size) throw new Error(`delete past the end at ${pos}`)
    const removed = { chars: [], marks: [] }
    while (count > 0) {
      let [i, at] = this.locate(pos)
      if (at === this.pieces[i].chars.length) { i++; at = 0 } // starts at the next piece
      const piece = this.pieces[i]
      const take = Math.min(count, piece.chars.length - at)
      removed.chars.push(...piece.chars.splice(at, take))
      removed.marks.push(...piece.marks.splice(at, take))
      piece.version++
      this.size -= take
      count -= take
      if (!piece.chars.length && this.pieces.length > 1) {
        this.pieces.splice(i, 1)
        this.layout++
      }
    }
    return removed
  }

  /** Apply a delta whose inserts get `mark`; return the record that reverts it. */
  apply (ops, mark) {
    const undo = []
    let pos = 0
    for (const op of ops) {
      if (op.retain !== undefined) {
        pos += op.retain
        undo.push({ retain: op.retain })
      } else if (op.delete !== undefined) {
        undo.push(this.remove(pos, op.delete))
      } else if (op.insert !== undefined) {
        const chars = Array.from(op.insert)
        this.insert(pos, chars, new Array(chars.length).fill(mark))
        pos += chars.length
        undo.push({ remove: chars.length })
      }
    }
    return undo
  }

  /** Undo what `apply` did, given the record it returned. */
  revert (undo) {
    let pos = 0
    for (const op of undo) {
      if (op.retain !== undefined) {
        pos += op.retain
      } else if (op.remove !== undefined) {
        this.remove(pos, op.remove)
      } else {
        this.insert(pos, op.chars, op.marks)
        pos += op.chars.length
      }
    }
  }

  /**
   * Turn the text into `text` by one replacement between the common ends; the new
   * middle gets `mark`. A jump far ahead during playback redraws only what changed.
   */
  replaceWith (text, mark) {
    const next = Array.from(text)
    const old = this.chars
    const limit = Math.min(old.length, next.length)
    let prefix = 0
    while (prefix < limit && old[prefix] === next[prefix]) prefix++
    let suffix = 0
    while (suffix < limit - prefix && old[old.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++
    if (old.length - prefix - suffix > 0) this.remove(prefix, old.length - prefix - suffix)
    const middle = next.slice(prefix, next.length - suffix)
    if (middle.length) this.insert(prefix, middle, new Array(middle.length).fill(mark))
  }
}

/** Return the code-point position right after the last change a delta makes. */
export function caretAfter (ops) {
  let pos = 0
  let caret = 0
  for (const op of ops) {
    if (op.retain !== undefined) pos += op.retain
    else if (op.insert !== undefined) { pos += codePointLength(op.insert); caret = pos }
    else caret = pos
  }
  return caret
}

/** Return marks for a text from the segments of a diff draft → text. */
export function marksFromDiff (segments) {
  const marks = []
  for (const { op, text } of segments) {
    if (op === 'delete') continue
    const n = codePointLength(text)
    for (let i = 0; i < n; i++) marks.push(op === 'equal' ? DRAFT : EARLIER)
  }
  return marks
}
