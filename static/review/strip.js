// The activity strip: edits per slice of time, pastes and notes marked, the stretches
// the writer's window had lost focus shaded, inserts the browser saw no key behind
// (silent) or marked as programmatic (untrusted) flagged, with a playhead; clicking or
// dragging it seeks. Drawn as inline SVG, from the overview alone (no event is read).
import { marksInWords } from './timeline.js'

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 1000
const HEIGHT = 64
const TOP = 10 // room for paste marks above the bars
const BASE = HEIGHT - 10 // bars stand on this line; notes sit below it

function clock (ms) {
  const s = Math.max(0, Math.floor(ms / 1000))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function node (name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, name)
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value)
  if (parent) parent.appendChild(el)
  return el
}

/** Draw the strip for a timeline into `host`; `onSeek(t)` is called while the user scrubs. */
export function createStrip (host, timeline, onSeek) {
  const x = (t) => (t / timeline.duration) * WIDTH
  const svg = node('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', class: 'strip-svg',
    role: 'slider', 'aria-label': 'Trajectory position', 'aria-valuemin': '0',
    'aria-valuemax': String(timeline.last), 'aria-valuenow': '0'
  })
  // Edits per slice of time, as the server's overview counts them (no event is read here).
  const bins = timeline.bins
  const most = Math.max(1, ...bins)
  const away = node('g', { class: 'focus-lost' }, svg)
  for (const f of timeline.focus) {
    const from = Math.max(0, f.lost_t_ms)
    const to = Math.min(timeline.duration, f.back_t_ms)
    if (to < from) continue
    const band = node('rect', { x: x(from), y: 0, width: Math.max(2, x(to) - x(from)), height: BASE }, away)
    node('title', {}, band).textContent =
      `${f.author || 'the writer'}'s window lost focus ${clock(f.lost_t_ms)}–${clock(f.back_t_ms)}`
  }
  const bars = node('g', { class: 'bars' }, svg)
  bins.forEach((value, i) => {
    if (!value) return
    // A square-root scale keeps a few keystrokes visible next to bursts of typing.
    const h = Math.max(1.5, Math.sqrt(value / most) * (BASE - TOP))
    const width = WIDTH / bins.length
    node('rect', { x: i * width + 0.5, y: BASE - h, width: width - 1, height: h }, bars)
  })
  node('line', { x1: 0, x2: WIDTH, y1: BASE + 0.5, y2: BASE + 0.5, class: 'axis' }, svg)
  // Under the paste marks: a scripted paste shows both, the red stick inside the triangle.
  const flagged = node('g', { class: 'evidence-marks' }, svg)
  for (const e of timeline.marked) {
    const at = Math.min(WIDTH - 4, Math.max(4, x(e.t_ms))) // whole at either end
    const mark = node('path', { d: `M${at - 4} 0 H${at + 4} L${at} ${TOP - 1} Z` }, flagged)
    node('title', {}, mark).textContent =
      `${marksInWords(e.marks).join(', ')} at event ${e.seq}` + (e.author ? ` by ${e.author}` : '')
  }
  const pastes = node('g', { class: 'pastes' }, svg)
  for (const e of timeline.pastes) {
    const mark = node('rect', { x: x(e.t_ms) - 1.5, y: 0, width: 3, height: TOP - 2 }, pastes)
    node('title', {}, mark).textContent = `paste at event ${e.seq} by ${e.author}`
  }
  const notes = node('g', { class: 'note-marks' }, svg)
  for (const n of timeline.notes) {
    const mark = node('rect', { x: x(n.t_ms) - 2.5, y: BASE + 3, width: 5, height: 6, rx: 1 }, notes)
    node('title', {}, mark).textContent = `note by ${n.author}: ${n.quote.slice(0, 60)}`
  }
  const playhead = node('line', { x1: 0, x2: 0, y1: 0, y2: HEIGHT, class: 'playhead' }, svg)
  host.replaceChildren(svg)

  const timeAtPointer = (event) => {
    const box = svg.getBoundingClientRect()
    const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width))
    return share * timeline.duration
  }
  // By keyboard: arrows move 1% of the time, Page Up/Down 10%, Home/End to the ends.
  let current = 0
  svg.setAttribute('tabindex', '0')
  svg.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight PageUp PageDown Home End')
  svg.addEventListener('keydown', (event) => {
    const step = { ArrowLeft: -0.01, ArrowRight: 0.01, ArrowDown: -0.01, ArrowUp: 0.01, PageDown: -0.1, PageUp: 0.1 }[event.key]
    let target = null
    if (step !== undefined) target = current + step * timeline.duration
    else if (event.key === 'Home') target = 0
    else if (event.key === 'End') target = timeline.duration
    if (target === null) return
    event.preventDefault()
    event.stopPropagation() // not the player's own keys (arrows step one event)
    onSeek(Math.min(timeline.duration, Math.max(0, target)))
  })
  // A click seeks without focusing the strip, so the player's own keys (arrows step
  // one event) keep working for mouse users; Tab reaches the strip for keyboard users.
  svg.addEventListener('mousedown', (event) => event.preventDefault())
  svg.addEventListener('pointerdown', (event) => {
    svg.setPointerCapture(event.pointerId)
    onSeek(timeAtPointer(event))
  })
  svg.addEventListener('pointermove', (event) => {
    if (svg.hasPointerCapture(event.pointerId)) onSeek(timeAtPointer(event))
  })

  return {
    /** Move the playhead to time t (event `seq`). */
    show (t, seq) {
      current = Math.min(t, timeline.duration)
      svg.setAttribute('aria-valuetext', `event ${seq} of ${timeline.last}`)
      const at = x(Math.min(t, timeline.duration))
      playhead.setAttribute('x1', at)
      playhead.setAttribute('x2', at)
      svg.setAttribute('aria-valuenow', String(seq))
    }
  }
}
