// Colour the text by origin (draft, typed, pasted, model, other), from
// GET /api/tasks/<id>/provenance/, with a legend; hovering a run says who wrote it and when.
//
// Self-contained: it needs a #provenance-toggle button and an empty #provenance-legend
// element. Colours: static/css/origins.css (Okabe–Ito, plus an underline style each).
import { StateEffect, StateField } from '@codemirror/state'
import { Decoration, EditorView } from '@codemirror/view'
import { toUtf16 } from './offsets.js'

export const ORIGINS = [
  ['draft', 'Draft (model)'],
  ['typed', 'Typed'],
  ['pasted', 'Pasted'],
  ['model.assist', 'Model suggestion'],
  ['other', 'Other (dropped, undo)']
]
const LABEL = Object.fromEntries(ORIGINS)
const REFRESH_MS = 800

const setRuns = StateEffect.define()

const runsField = StateField.define({
  create: () => Decoration.none,
  update (deco, tr) {
    for (const effect of tr.effects) if (effect.is(setRuns)) return effect.value
    return tr.docChanged ? deco.map(tr.changes) : deco
  },
  provide: (field) => EditorView.decorations.from(field)
})

function clock (ms) {
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Return the hover text of one run. */
export function describe (run) {
  const who = run.origin === 'draft' ? `from the draft${run.author ? ` (${run.author})` : ''}` : `by ${run.author || 'an unknown client'}`
  if (run.origin === 'draft') return `${LABEL.draft}: ${who}`
  const when = run.first_seq === run.last_seq
    ? `at ${clock(run.first_t_ms)} (edit ${run.first_seq})`
    : `between ${clock(run.first_t_ms)} and ${clock(run.last_t_ms)} (edits ${run.first_seq}–${run.last_seq})`
  return `${LABEL[run.origin] || run.origin} ${who}, ${when} after the first edit`
}

/** Return decorations for `runs` (code points) over `text`. */
export function decorationsFor (runs, text) {
  const marks = []
  for (const run of runs) {
    if (run.end <= run.start) continue
    const from = toUtf16(text, run.start)
    const to = toUtf16(text, run.end)
    marks.push(Decoration.mark({
      class: `origin origin-${run.origin.replace('.', '-')}`,
      attributes: { title: describe(run), 'data-origin': run.origin }
    }).range(from, to))
  }
  return Decoration.set(marks, true)
}

export function legend (host) {
  host.replaceChildren()
  for (const [origin, label] of ORIGINS) {
    const item = document.createElement('span')
    item.className = `origin-key origin-${origin.replace('.', '-')}`
    item.textContent = label
    host.append(item)
  }
}

/**
 * Mount the toggle. `load()` resolves to the runs of the text now shown (the editor
 * flushes first); `view` is the CodeMirror view to colour.
 */
export function mountProvenance ({ view, load, live = true }) {
  const toggle = document.getElementById('provenance-toggle')
  const key = document.getElementById('provenance-legend')
  if (!toggle) return null
  view.dispatch({ effects: StateEffect.appendConfig.of(runsField) })
  let on = false
  let timer = null

  async function refresh () {
    if (!on) return
    try {
      const runs = await load()
      const text = view.state.doc.toString()
      const last = runs.length ? runs[runs.length - 1].end : 0
      if (last !== [...text].length) return schedule() // text moved on meanwhile: again later
      view.dispatch({ effects: setRuns.of(decorationsFor(runs, text)) })
      toggle.dataset.state = 'shown'
    } catch (err) {
      toggle.dataset.state = 'error'
      toggle.title = `Could not load the origins: ${err.message}`
    }
  }

  function schedule () {
    clearTimeout(timer)
    timer = setTimeout(refresh, REFRESH_MS)
  }

  function set (flag) {
    on = flag
    toggle.setAttribute('aria-pressed', String(flag))
    if (key) {
      key.hidden = !flag
      if (flag) legend(key)
    }
    if (flag) refresh()
    else view.dispatch({ effects: setRuns.of(Decoration.none) })
  }

  if (live) {
    view.dispatch({
      effects: StateEffect.appendConfig.of(EditorView.updateListener.of((u) => { if (on && u.docChanged) schedule() }))
    })
  }
  toggle.hidden = false
  toggle.addEventListener('click', () => set(!on))
  return { set, refresh }
}
