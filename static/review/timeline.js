// The trajectory's events and notes indexed for playback: time look-ups, pastes, notes.

const PASTE_EVENTS = ['input.paste', 'input.drop', 'move.drop']
const KNOWN_FAMILIES = ['input', 'delete', 'undo', 'redo']

/** Tell whether an edit counts as a paste (same rule as oversight.core.kinds.is_paste). */
export function isPaste (kind, inferred) {
  if (kind) {
    if (PASTE_EVENTS.some((e) => kind === e || kind.startsWith(e + '.'))) return true
    // A familiar userEvent that is not a paste is believed; an unfamiliar one is not.
    if (KNOWN_FAMILIES.includes(kind.split('.', 1)[0])) return false
  }
  return inferred === 'paste-like'
}

/** Return {inserted, deleted} code points of a delta. */
export function opSizes (ops) {
  let inserted = 0
  let deleted = 0
  for (const op of ops) {
    if (op.insert !== undefined) inserted += Array.from(op.insert).length
    else if (op.delete !== undefined) deleted += op.delete
  }
  return { inserted, deleted }
}

const EVIDENCE = {
  untrusted: 'untrusted input',
  silent: 'silent insert',
  after_refocus: 'first insert after the window got focus back'
}

/** Return what the browser saw behind an event (its true marks among `keys`), in words. */
export function evidenceOf (event, keys = Object.keys(EVIDENCE)) {
  return keys.filter((key) => event[key] === true).map((key) => EVIDENCE[key])
}

/** Tell whether trajectory time t falls in an interval the writer's window had lost focus. */
export function unfocusedAt (focus, t) {
  return focus.some((f) => f.lost_t_ms <= t && t < f.back_t_ms)
}

export class Timeline {
  constructor (record) {
    this.events = record.events
    this.focus = record.focus || [] // intervals the editor's window had lost focus
    this.notes = [...record.notes].sort((a, b) => a.seq - b.seq || a.t_ms - b.t_ms)
    this.last = this.events.length
    const lastNote = this.notes.length ? this.notes[this.notes.length - 1].t_ms : 0
    const lastEvent = this.last ? this.events[this.last - 1].t_ms : 0
    this.duration = Math.max(1, lastEvent, lastNote)
  }

  /** Return the event with this seq (1-based), or undefined. */
  event (seq) { return this.events[seq - 1] }

  /** Return the trajectory time of the moment right after event `seq` (0: the start). */
  timeOf (seq) { return seq > 0 ? this.events[seq - 1].t_ms : 0 }

  /** Return the number of events that happened at or before time `t`. */
  seqAt (t) {
    let lo = 0
    let hi = this.last
    while (lo < hi) { // first event later than t
      const mid = (lo + hi) >> 1
      if (this.events[mid].t_ms <= t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Tell whether a note exists at position (seq, t): written at or before it. */
  noteVisible (note, seq, t) {
    return note.seq < seq || (note.seq === seq && note.t_ms <= t)
  }

  /** Return how many notes are visible at (seq, t). */
  visibleNotes (seq, t) {
    let n = 0
    while (n < this.notes.length && this.noteVisible(this.notes[n], seq, t)) n++
    return n
  }

  /** Return the note version in force at time t (a note's body can change later). */
  versionAt (note, t) {
    const versions = note.versions || []
    let current = null
    for (const v of versions) if (v.t_ms <= t) current = v
    return current || versions[0] || { body: note.body, body_html: note.body_html, principle: note.principle, withdrawn: false }
  }
}
