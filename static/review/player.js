// The trajectory player: play, pause, speed, skip idle gaps, step, jump to notes, scrub.
// It starts from the trajectory's overview (no events) and fetches events in chunks of
// seqs around what it shows. Seeking far asks the server for the text at a seq (its
// checkpoints make that cheap) and applies only the few events after it here; nearby
// moves are applied locally. Playing faster than events can be applied jumps the same
// way, so no frame waits for thousands of edits.
import { makeApi } from './api.js'
import { setupAnchors } from './anchors.js'
import { setupClaim } from './claim.js'
import { bindControls, showAuthors } from './controls.js'
import { keepInView, renderDoc } from './docview.js'
import { setupDiff } from './diffview.js'
import { fillNotePicker, renderNotes } from './notesview.js'
import { setupOrigins } from './origins.js'
import { createStrip } from './strip.js'
import { createTestsTrack } from './teststrack.js'
import { caretAfter, EARLIER, MarkedText, marksFromDiff } from './text.js'
import { CHUNK, evidenceOf, Timeline, unfocusedAt } from './timeline.js'
import { setupCritique } from './critique.js'
import { setupVerdict } from './verdict.js'

const RECENT = 30 // the last this-many events show in their author's colour
const LOCAL_REACH = 400 // farther moves load the text at the target from the server
const HISTORY = 2000 // revert records kept for stepping back; farther back asks the server
const PREFETCH = 1500 // while playing, fetch the events this far ahead
const IDLE_MS = 2000 // "skip idle gaps" jumps over quiet stretches longer than this
const IDLE_LEAD_MS = 300 // ...landing just before the next edit, so it is seen arriving
const MAX_FRAME_MS = 250 // a throttled background tab must not leap ahead
const TEXT_CACHE = 64 // texts fetched from the server for seeks, kept for seeking back

const $ = (id) => document.getElementById(id)
const config = JSON.parse($('review-config').textContent)
const api = makeApi(config)

function clock (ms) {
  const s = Math.floor(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function fetchEvents (from, to) {
  return api.get(`/tasks/${config.taskId}/trajectory/events/?from_seq=${from}&to_seq=${to}`)
    .then((answer) => answer.events)
}

class Player {
  constructor (overview) {
    this.overview = overview
    this.timeline = new Timeline(overview, fetchEvents)
    this.doc = new MarkedText(overview.draft.text)
    this.seq = 0
    this.t = 0
    this.history = [] // revert records of the events applied since `baseSeq`
    this.baseSeq = 0
    this.epoch = 0 // bumps on every server load, so a late answer is dropped
    this.loading = false
    this.pending = null
    this.texts = new Map([[0, { text: overview.draft.text, marks: null }]])
    this.playing = false
    this.speed = Number($('speed').value)
    this.skipIdle = $('skip-idle').checked
    this.dirty = true
    this.version = 0 // bumps whenever the document changes, so it is redrawn only then
    this.drawn = null
    this.strip = createStrip($('strip'), this.timeline, (t) => this.seek(this.timeline.seqAt(t), t))
    fillNotePicker($('note-jump'), this.timeline)
    this.timeline.ensure(1, CHUNK).catch(() => {}) // the first events, before Play is pressed
  }

  colourOf (author) { return config.colours[author] || '#888' }

  authorOf (seq) { return this.timeline.event(seq)?.author || '' }

  /** Await `promise` with the player marked as loading (playback and seeks wait). */
  async busy (promise) {
    this.loading = true
    try {
      return await promise
    } finally {
      this.loading = false
    }
  }

  /** Move to the moment right after event `target` (at time t, default: that event's). */
  async seek (target, t) {
    target = Math.max(0, Math.min(this.timeline.last, target))
    if (this.loading) { // a drag fires faster than the server answers: keep the latest
      this.pending = { target, t }
      return
    }
    try {
      if (target >= this.seq && target - this.seq <= LOCAL_REACH) {
        if (!this.timeline.has(this.seq + 1, target)) await this.busy(this.timeline.ensure(this.seq + 1, target))
        this.forwardTo(target)
      } else if (target < this.seq && target >= this.baseSeq && this.seq - target <= LOCAL_REACH) {
        this.backTo(target)
      } else {
        await this.load(target)
      }
    } catch (error) {
      $('position').textContent = `Could not load the text at event ${target}: ${error.message}`
      return
    }
    this.t = t ?? this.timeline.timeOf(target)
    this.dirty = true
    if (this.pending) {
      const next = this.pending
      this.pending = null
      await this.seek(next.target, next.t)
    }
  }

  /** Apply events up to `target`, as far as they are loaded. */
  forwardTo (target) {
    if (this.seq < target) this.version++
    while (this.seq < target) {
      const event = this.timeline.event(this.seq + 1)
      if (!event) break
      this.seq++
      this.history.push(this.doc.apply(event.ops, this.seq))
    }
    if (this.history.length > 2 * HISTORY) { // bounded: older steps back ask the server
      this.history.splice(0, this.history.length - HISTORY)
      this.baseSeq = this.seq - this.history.length
    }
  }

  backTo (target) {
    if (this.seq > target) this.version++
    while (this.seq > target) {
      this.doc.revert(this.history.pop())
      this.seq--
    }
  }

  /**
   * Load the text RECENT events before `target` from the server, then apply the rest here.
   * While playing (`playing`), the text replaces only what differs from the one shown,
   * and is not cached: playback never comes back to it.
   */
  async load (target, playing = false) {
    const base = Math.max(0, target - RECENT)
    const epoch = ++this.epoch
    const cached = this.texts.get(base)
    const [answer] = await this.busy(Promise.all([
      cached ? null : api.get(`/tasks/${config.taskId}/text/?seq=${base}`),
      this.timeline.ensure(base + 1, target)]))
    if (epoch !== this.epoch) return
    if (playing) {
      this.doc.replaceWith(cached ? cached.text : answer.text, EARLIER)
      this.baseSeq = this.seq = base
      this.history = []
      this.version++
      this.forwardTo(target)
      return
    }
    if (!cached) {
      if (this.texts.size >= TEXT_CACHE) this.texts.delete([...this.texts.keys()][1]) // keep the draft
      this.texts.set(base, { text: answer.text, marks: null })
    }
    this.rebuild(base, target)
    if (base > 0 && !this.texts.get(base).marks) this.loadMarks(base, epoch)
  }

  rebuild (base, target) {
    const { text, marks } = this.texts.get(base)
    this.doc = new MarkedText(text, marks)
    this.baseSeq = this.seq = base
    this.history = []
    this.version++
    this.forwardTo(target)
    this.dirty = true
  }

  /** Fetch which text at `base` differs from the draft, and repaint if still there. */
  async loadMarks (base, epoch) {
    try {
      const diff = await api.get(`/tasks/${config.taskId}/diff/?from=draft&to=${base}&view=inline`)
      const entry = this.texts.get(base)
      if (entry) entry.marks = marksFromDiff(diff.segments)
    } catch {
      return // the highlight is a nicety; the text is right without it
    }
    if (epoch === this.epoch && this.baseSeq === base && this.texts.has(base)) this.rebuild(base, this.seq)
  }

  play () {
    if (this.seq >= this.timeline.last) this.seek(0)
    this.playing = true
    this.lastFrame = performance.now()
    $('play-button').textContent = 'Pause'
  }

  pause () {
    this.playing = false
    $('play-button').textContent = 'Play'
  }

  toggle () { this.playing ? this.pause() : this.play() }

  step (delta) {
    this.pause()
    this.seek(this.seq + delta)
  }

  jumpNote (direction) {
    const { notes } = this.timeline
    const shown = this.timeline.visibleNotes(this.seq, this.t)
    const here = shown && notes[shown - 1].seq === this.seq && notes[shown - 1].t_ms === this.t
    const index = direction > 0 ? shown : shown - (here ? 2 : 1)
    if (index >= 0 && index < notes.length) this.jumpTo(notes[index])
  }

  jumpTo (note) {
    this.pause()
    this.seek(note.seq, Math.max(note.t_ms, this.timeline.timeOf(note.seq)))
  }

  /** Advance playback by one animation frame. */
  tick (now) {
    if (this.playing) {
      const elapsed = Math.min(now - this.lastFrame, MAX_FRAME_MS)
      let t = this.t + elapsed * this.speed
      const next = this.timeline.event(this.seq + 1)
      if (!this.loading && next && this.skipIdle && next.t_ms - this.t > IDLE_MS) t = Math.max(t, next.t_ms - IDLE_LEAD_MS)
      this.t = Math.min(t, this.timeline.duration) // the clock runs on while a jump loads
      if (!this.loading) this.advance()
      this.dirty = true
      if (this.seq >= this.timeline.last && this.t >= this.timeline.duration) this.pause()
    }
    this.lastFrame = now
    if (this.dirty) this.render()
    requestAnimationFrame((time) => this.tick(time))
  }

  /** Catch the document up with the clock: apply what is near, jump when far behind. */
  advance () {
    const target = this.timeline.seqAt(this.t)
    if (target - this.seq > LOCAL_REACH) {
      this.load(target, true).catch((error) => {
        $('position').textContent = `Could not load the text at event ${target}: ${error.message}`
      })
      return
    }
    if (target > this.seq) this.forwardTo(target)
    const ahead = Math.min(this.timeline.last, this.seq + PREFETCH)
    if (!this.timeline.has(this.seq + 1, ahead)) this.timeline.ensure(this.seq + 1, ahead).catch(() => {})
  }

  /** The note written at this very point, whose quote is highlighted. */
  currentQuote () {
    const shown = this.timeline.visibleNotes(this.seq, this.t)
    const note = shown ? this.timeline.notes[shown - 1] : null
    return note && note.seq === this.seq ? { start: note.start, end: note.end } : null
  }

  render () {
    this.dirty = false
    const event = this.timeline.event(this.seq)
    const quote = this.currentQuote()
    const drawn = `${this.version}:${quote ? quote.start : ''}`
    if (drawn !== this.drawn) {
      this.drawn = drawn
      const caret = renderDoc($('doc'), this.doc, {
        seq: this.seq, recent: RECENT, quote, caret: event ? caretAfter(event.ops) : null,
        authorOf: (seq) => this.authorOf(seq), colourOf: (a) => this.colourOf(a)
      })
      // After a seek or a step too, not only while playing: show the edit of this moment.
      keepInView($('doc'), caret)
      if (this.origins) this.origins.shown(this.seq, () => this.doc.chars)
    }
    renderNotes($('notes'), this.timeline, this.seq, this.t, (a) => this.colourOf(a), (n) => this.jumpTo(n))
    this.strip.show(this.t, this.seq)
    $('position').textContent = `${clock(this.t)} / ${clock(this.timeline.duration)} · ` +
      `event ${this.seq} of ${this.timeline.last}` + (event ? ` · ${event.author}` : '') +
      evidenceLine(event, this.timeline, this.t)
    $('player').dataset.seq = String(this.seq)
  }
}

/** What the browser saw at this moment, for the position line ("" when nothing). */
function evidenceLine (event, timeline, t) {
  const parts = event ? evidenceOf(event) : []
  // The signals' judgement of where pasted text came from (the page's), else the record's.
  const source = event && (config.pasteSources?.[String(event.seq)] || event.paste_source)
  if (source) parts.unshift(`pasted (${source.replace('_', ' ')})`)
  if (unfocusedAt(timeline.focus, t)) parts.push('window unfocused')
  return parts.map((part) => ` · ${part}`).join('')
}

// The trajectory record is training data and carries markdown sources only; the notes
// API carries the server's rendering of each version (body_html), the one dialect.
function addRenderedBodies (record, rendered) {
  const byId = new Map((rendered || []).map((n) => [n.id, n]))
  for (const note of record.notes || []) {
    const html = byId.get(note.id)
    if (!html) continue
    note.body_html = html.body_html
    const versions = html.versions || []
    if (versions.length !== (note.versions || []).length) continue
    note.versions.forEach((v, i) => { v.body_html = versions[i].body_html })
  }
}

async function main () {
  const [overview, rendered] = await Promise.all([
    api.get(`/tasks/${config.taskId}/trajectory/overview/`),
    api.get(`/tasks/${config.taskId}/notes/`).catch(() => [])
  ])
  addRenderedBodies(overview, rendered)
  const player = new Player(overview)
  window.oversightPlayer = player // for tests and curious reviewers
  player.origins = setupOrigins({
    api, taskId: config.taskId, host: $('doc'), toggle: $('origins-toggle'), legend: $('origins-legend')
  })
  // Toggling redraws: the origins over the text, or the player's own marks again.
  document.addEventListener('origins', () => { player.drawn = null; player.dirty = true })
  showAuthors($('authors'), player.timeline, config.colours)
  createTestsTrack($('tests-track'), player.timeline, overview.verifier_runs || [], (seq) => player.seek(seq))
  bindControls(player)
  const diff = setupDiff({
    api, taskId: config.taskId, form: $('diff-form'), out: $('diff-out'),
    summary: $('diff-summary'), here: () => player.seq
  })
  diff.show('draft', overview.final ? 'final' : String(player.timeline.last))
  requestAnimationFrame((time) => player.tick(time))
  // A flag's moments link here as #seq=N: open the player at that event.
  const seekToHash = () => {
    const match = /^#seq=(\d+)$/.exec(window.location.hash)
    if (match) { player.pause(); player.seek(Number(match[1])) }
  }
  window.addEventListener('hashchange', seekToHash)
  seekToHash()
  // The same moment clicked again (no hashchange) must seek too.
  document.querySelectorAll('#player a[data-seq]').forEach((link) => {
    link.addEventListener('click', (event) => {
      event.preventDefault()
      window.history.replaceState(null, '', `#seq=${link.dataset.seq}`)
      player.pause()
      player.seek(Number(link.dataset.seq))
    })
  })
  $('player').dataset.ready = 'true'
}

setupClaim({
  api, taskId: config.taskId, user: config.user, button: $('claim-button'),
  state: $('claim-state'), claimedBy: config.claimedBy
})
const anchors = $('final-text')
  ? setupAnchors({
    finalEl: $('final-text'), pop: $('anchor-pop'), quoteEl: $('anchor-quote'),
    bodyEl: $('anchor-body'), addButton: $('anchor-add'), cancelButton: $('anchor-cancel'),
    list: $('anchored-list')
  })
  : null
if ($('verdict-form')) {
  setupVerdict({ api, taskId: config.taskId, form: $('verdict-form'), errorEl: $('verdict-error'), anchors })
}
setupCritique({
  api, taskId: config.taskId, form: $('verdict-form'), finalEl: $('final-text'),
  spans: config.quoteSpans || [], rerunButton: $('critique-rerun')
})
main().catch((error) => {
  $('position').textContent = `Could not load the trajectory: ${error.message}`
})
