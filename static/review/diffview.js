// Diffs computed by the server between two points (draft, an event seq, final),
// shown inline or side by side.

function span (className, text) {
  const el = document.createElement('span')
  if (className) el.className = className
  el.textContent = text
  return el
}

const SEGMENT_CLASS = { equal: '', insert: 'd-ins', delete: 'd-del' }

function renderInline (segments) {
  const pre = document.createElement('pre')
  pre.className = 'diff-inline'
  pre.append(...segments.map(({ op, text }) => span(SEGMENT_CLASS[op], text)))
  return pre
}

function renderSide (rows) {
  const table = document.createElement('table')
  table.className = 'diff-side'
  const head = table.createTHead().insertRow()
  head.append(Object.assign(document.createElement('th'), { textContent: 'Before' }),
    Object.assign(document.createElement('th'), { textContent: 'After' }))
  const body = table.createTBody()
  for (const { left, right, op } of rows) {
    const row = body.insertRow()
    row.className = `row-${op}`
    const l = row.insertCell()
    const r = row.insertCell()
    l.append(span(op === 'equal' ? '' : 'd-del', left))
    r.append(span(op === 'equal' ? '' : 'd-ins', right))
  }
  return table
}

/** Wire the diff form: `here()` returns the player's current seq. */
export function setupDiff ({ api, taskId, form, out, summary, here }) {
  async function show (from, to) {
    form.elements.from.value = from
    form.elements.to.value = to
    const view = form.elements.view.value
    const query = new URLSearchParams({ from, to, view })
    summary.textContent = 'computing…'
    try {
      const diff = await api.get(`/tasks/${taskId}/diff/?${query}`)
      const name = (p) => (typeof p === 'number' ? `event ${p}` : p)
      summary.textContent = `${name(diff.from)} → ${name(diff.to)}: ` +
        `${diff.inserted} characters inserted, ${diff.deleted} deleted (${diff.mode} diff)`
      out.replaceChildren(view === 'side' ? renderSide(diff.rows) : renderInline(diff.segments))
    } catch (error) {
      summary.textContent = ''
      out.replaceChildren(span('error', error.message))
    }
  }
  const shortcuts = {
    'draft-final': () => show('draft', 'final'),
    'draft-here': () => show('draft', String(here())),
    'here-final': () => show(String(here()), 'final')
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    show(form.elements.from.value.trim(), form.elements.to.value.trim())
  })
  form.addEventListener('change', (event) => {
    if (event.target.name === 'view') show(form.elements.from.value.trim(), form.elements.to.value.trim())
  })
  form.querySelectorAll('[data-diff]').forEach((button) => {
    button.addEventListener('click', () => shortcuts[button.dataset.diff]())
  })
  return { show }
}
