// A document as code points, each with a mark: the seq of the event that inserted it.
// Trajectory ops count code points while JS strings count UTF-16 units, so the text
// is held as an array of code points (Array.from) and ops index that array.

export const DRAFT = 0 // from the model's draft
export const EARLIER = -1 // changed since the draft, by an event before the loaded window

const CHUNK = 8192 // spread arguments stay well below the engine's argument limit

function insertAt (array, at, items) {
  for (let i = 0; i < items.length; i += CHUNK) {
    array.splice(at + i, 0, ...items.slice(i, i + CHUNK))
  }
}

/** Return the number of code points in a JS string. */
export function codePointLength (text) {
  let n = 0
  for (const _ of text) n++ // eslint-disable-line no-unused-vars
  return n
}

export class MarkedText {
  constructor (text, marks) {
    this.chars = Array.from(text)
    this.marks = marks && marks.length === this.chars.length
      ? marks.slice()
      : new Array(this.chars.length).fill(DRAFT)
  }

  get length () { return this.chars.length }

  toString () { return this.chars.join('') }

  /** Apply a delta whose inserts get `mark`; return the record that reverts it. */
  apply (ops, mark) {
    const undo = []
    let pos = 0
    for (const op of ops) {
      if (op.retain !== undefined) {
        pos += op.retain
        undo.push({ retain: op.retain })
      } else if (op.delete !== undefined) {
        if (pos + op.delete > this.chars.length) throw new Error(`delete past the end at ${pos}`)
        undo.push({ chars: this.chars.splice(pos, op.delete), marks: this.marks.splice(pos, op.delete) })
      } else if (op.insert !== undefined) {
        const chars = Array.from(op.insert)
        insertAt(this.chars, pos, chars)
        insertAt(this.marks, pos, new Array(chars.length).fill(mark))
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
        this.chars.splice(pos, op.remove)
        this.marks.splice(pos, op.remove)
      } else {
        insertAt(this.chars, pos, op.chars)
        insertAt(this.marks, pos, op.marks)
        pos += op.chars.length
      }
    }
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
