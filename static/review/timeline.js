// The trajectory's events and notes indexed for playback: time look-ups, pastes, notes,
// the browser's evidence (focus-lost intervals, events marked untrusted or silent).
// A long trace is not held whole: events arrive in chunks of seqs from the server
// (`trajectory/events/`), and the overview's index (the time of every stride-th event)
// maps time to seq where no chunk is loaded. A record with all its events works too.

const PASTE_EVENTS = ['input.paste', 'input.drop', 'move.drop']
const KNOWN_FAMILIES = ['input', 'delete', 'undo', 'redo']
export const CHUNK = 2000 // events per fetch
const KEEP_CHUNKS = 12 // chunks held at once (the rest are fetched again when needed)
const BINS = 200 // the overview's slices of time

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
const STRIP_MARKS = ['untrusted', 'silent'] // the marks the strip flags (overview's `marked`)

/** Return what the browser saw behind an event (its true marks among `keys`), in words. */
export function evidenceOf (event, keys = Object.keys(EVIDENCE)) {
  return keys.filter((key) => event[key] === true).map((key) => EVIDENCE[key])
}

/** Return the words for the marks the overview lists of a marked event. */
export function marksInWords (marks) {
  return marks.filter((key) => EVIDENCE[key]).map((key) => EVIDENCE[key])
}

/** Tell whether trajectory time t falls in an interval the writer's window had lost focus. */
export function unfocusedAt (focus, t) {
  return focus.some((f) => f.lost_t_ms <= t && t < f.back_t_ms)
}

/** The overview the server would give for a record that carries all its events. */
function overviewOf (record) {
  const events = record.events
  const last = events.length
  const lastT = last ? events[last - 1].t_ms : 0
  const stride = 256
  const bins = new Array(BINS).fill(0)
  for (const e of events) bins[Math.min(BINS - 1, Math.floor((e.t_ms * BINS) / Math.max(1, lastT)))]++
  return {
    last_seq: last,
    last_t_ms: lastT,
    duration_ms: Math.max(lastT, ...(record.notes || []).map((n) => n.t_ms)),
    index_stride: stride,
    index_t_ms: events.filter((e, i) => (i + 1) % stride === 0).map((e) => e.t_ms),
    bins: last ? bins : [],
    pastes: events.filter((e) => isPaste(e.kind, e.inferred_kind))
      .map((e) => ({ seq: e.seq, t_ms: e.t_ms, author: e.author })),
    marked: events.filter((e) => STRIP_MARKS.some((key) => e[key] === true))
      .map((e) => ({ seq: e.seq, t_ms: e.t_ms, author: e.author, marks: STRIP_MARKS.filter((key) => e[key] === true) })),
    focus: record.focus || [],
    authors: [...new Set(events.map((e) => e.author))],
    notes: record.notes || []
  }
}

export class Timeline {
  /** From the server's overview, or from a record with its events (all loaded then). */
  constructor (source, fetchRange = null) {
    const overview = source.events ? overviewOf(source) : source
    this.fetchRange = fetchRange // async (from, to) => events
    this.notes = [...overview.notes].sort((a, b) => a.seq - b.seq || a.t_ms - b.t_ms)
    this.last = overview.last_seq
    this.lastT = overview.last_t_ms
    this.duration = Math.max(1, overview.duration_ms)
    this.stride = overview.index_stride
    this.index = overview.index_t_ms
    this.bins = overview.bins
    this.pastes = overview.pastes
    this.marked = overview.marked || [] // events the browser marked untrusted or silent
    this.focus = overview.focus || [] // intervals the writer's window had lost focus
    this.authors = overview.authors
    this.chunks = new Map() // chunk number → its events, in seq order
    this.pending = new Map() // chunk number → the promise of its fetch
    if (source.events) {
      for (let c = 0; c * CHUNK < this.last; c++) this.chunks.set(c, source.events.slice(c * CHUNK, (c + 1) * CHUNK))
      this.keepAll = true
    }
  }

  /** Return the event with this seq (1-based), or undefined when not loaded. */
  event (seq) {
    if (seq < 1 || seq > this.last) return undefined
    const chunk = this.chunks.get(Math.floor((seq - 1) / CHUNK))
    return chunk && chunk[(seq - 1) % CHUNK]
  }

  /** Tell whether every event from `from` to `to` is loaded. */
  has (from, to) {
    for (let c = Math.floor((Math.max(1, from) - 1) / CHUNK); c * CHUNK < Math.min(to, this.last); c++) {
      if (!this.chunks.has(c)) return false
    }
    return true
  }

  /** Load the chunks that hold events `from` to `to`; resolves when they are here. */
  ensure (from, to) {
    const waits = []
    for (let c = Math.floor((Math.max(1, from) - 1) / CHUNK); c * CHUNK < Math.min(to, this.last); c++) {
      if (this.chunks.has(c)) {
        const events = this.chunks.get(c) // seen again: the most recently used
        this.chunks.delete(c)
        this.chunks.set(c, events)
        continue
      }
      if (!this.pending.has(c)) {
        this.pending.set(c, this.fetchRange(c * CHUNK + 1, (c + 1) * CHUNK).then((events) => {
          this.chunks.set(c, events)
          this.evict()
        }).finally(() => this.pending.delete(c)))
      }
      waits.push(this.pending.get(c))
    }
    return Promise.all(waits)
  }

  evict () {
    if (this.keepAll) return
    while (this.chunks.size > KEEP_CHUNKS) this.chunks.delete(this.chunks.keys().next().value)
  }

  /** Return the trajectory time of the moment right after event `seq` (0: the start). */
  timeOf (seq) {
    if (seq <= 0) return 0
    const event = this.event(seq)
    if (event) return event.t_ms
    // Not loaded: between the two indexed events around it.
    const k = Math.floor(seq / this.stride)
    const before = k > 0 ? this.index[k - 1] : 0
    const after = k < this.index.length ? this.index[k] : this.lastT
    const afterSeq = k < this.index.length ? (k + 1) * this.stride : this.last
    const share = afterSeq > k * this.stride ? (seq - k * this.stride) / (afterSeq - k * this.stride) : 1
    return before + (after - before) * share
  }

  /** Return the number of events that happened at or before time `t`. */
  seqAt (t) {
    let lo = 0
    let hi = this.index.length
    while (lo < hi) { // first indexed event later than t
      const mid = (lo + hi) >> 1
      if (this.index[mid] <= t) lo = mid + 1
      else hi = mid
    }
    // Events up to lo × stride are at or before t; event (lo + 1) × stride is not.
    let low = lo * this.stride
    let high = Math.min(this.last, (lo + 1) * this.stride - 1)
    if (!this.has(low + 1, high)) return low
    while (low < high) { // the last loaded event at or before t
      const mid = (low + high + 1) >> 1
      if (this.event(mid).t_ms <= t) low = mid
      else high = mid - 1
    }
    return low
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
