// The player's Origins toggle: draw the text at the current seq coloured by where each
// character came from (GET /api/tasks/<id>/provenance/?seq=N), with a legend and hover.
// The same classes and legend as the editor's toggle (static/css/origins.css).

const ORIGINS = [
  ['draft', 'Draft (model)'], ['typed', 'Typed'], ['pasted', 'Pasted'],
  ['model.assist', 'Model suggestion'], ['other', 'Other (dropped, undo)']
]
const LABEL = Object.fromEntries(ORIGINS)
const SETTLE_MS = 250 // while playing, ask only once the position rests
const CACHE = 32

function clock (ms) {
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

function describe (run) {
  if (run.origin === 'draft') return `${LABEL.draft}${run.author ? `: ${run.author}` : ''}`
  const when = run.first_seq === run.last_seq
    ? `at ${clock(run.first_t_ms)} (event ${run.first_seq})`
    : `between ${clock(run.first_t_ms)} and ${clock(run.last_t_ms)} (events ${run.first_seq}–${run.last_seq})`
  return `${LABEL[run.origin] || run.origin} by ${run.author || 'an unknown client'}, ${when}`
}

function draw (host, chars, runs) {
  const fragment = document.createDocumentFragment()
  for (const run of runs) {
    const span = document.createElement('span')
    span.textContent = chars.slice(run.start, run.end).join('')
    span.className = `origin origin-${run.origin.replace('.', '-')}`
    span.dataset.origin = run.origin
    span.title = describe(run)
    fragment.appendChild(span)
  }
  host.replaceChildren(fragment)
}

/** Mount the toggle; `shown()` is called after each redraw of the document. */
export function setupOrigins ({ api, taskId, host, toggle, legend }) {
  if (!toggle) return { shown () {} }
  const cache = new Map()
  let on = false
  let timer = null
  let want = null // {seq, chars} last drawn by the player (chars: an array or a function)

  function paint () {
    const runs = want && cache.get(want.seq)
    if (!on || !runs) return
    const last = runs.length ? runs[runs.length - 1].end : 0
    const chars = typeof want.chars === 'function' ? want.chars() : want.chars // built on demand
    if (last === chars.length) draw(host, chars, runs)
  }

  async function load (seq) {
    if (!cache.has(seq)) {
      try {
        cache.set(seq, await api.get(`/tasks/${taskId}/provenance/?seq=${seq}`))
      } catch (err) {
        toggle.title = `Could not load the origins: ${err.message}`
        return
      }
      if (cache.size > CACHE) cache.delete(cache.keys().next().value)
    }
    if (want && want.seq === seq) paint()
  }

  function shown (seq, chars) {
    want = { seq, chars }
    if (!on) return
    if (cache.has(seq)) return paint()
    clearTimeout(timer)
    timer = setTimeout(() => load(seq), SETTLE_MS)
  }

  toggle.hidden = false
  toggle.addEventListener('click', () => {
    on = !on
    toggle.setAttribute('aria-pressed', String(on))
    legend.hidden = !on
    if (on && !legend.childElementCount) {
      for (const [origin, label] of ORIGINS) {
        const key = document.createElement('span')
        key.className = `origin-key origin-${origin.replace('.', '-')}`
        key.textContent = label
        legend.appendChild(key)
      }
    }
    toggle.dispatchEvent(new CustomEvent('origins', { detail: on, bubbles: true }))
    if (on && want) shown(want.seq, want.chars)
  })
  return { shown, get on () { return on } }
}
